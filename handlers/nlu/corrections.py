"""A tenant who corrects themself inside one message: the last value said wins.

"2 baguettes pour vendredi... non 3 finalement", "3 loaves for Friday. Sorry, make that 2", "une
baguette demain, euh non plutôt mercredi", "pas lundi mais mardi". A correction word stands between
a first value and a second of the same kind (a number for the same item, or a day); the first is
set aside. A bare number after the correction belongs to the one item counted before it; with two
items counted before, nobody can tell which one changed, so neither keeps an amount and the parser
asks. A second value that comes with something new ("pardon, aussi un pack d'eau jeudi") is an
addition, not a correction: nothing is set aside, and two days stay two days (a question).
"""

from __future__ import annotations

import re

from handlers.nlu.dates import Found
from handlers.nlu.items import ITEM_TAG, Reading
from handlers.nlu.lexicon import ITEM
from handlers.nlu.message import Message, word_set
from handlers.nlu.numbers import ONE_WORDS

# Words that take back what was just said. Run on the folded text.
_MARKER = re.compile(
    r"\b(?:non|no|nope|nan)\b(?!\s(?:merci|thanks|thank|pas|need|more|longer|water|bread|eau|pain"
    r"|not))"
    r"|\b(?:pardon|sorry|desolee?s?|oups|oops|whoops|finalement|actually|correction|rectification"
    r"|enfin|scratch\sthat|make\s(?:that|it)|change\s(?:that|it)\sto|i\smean|i\smeant|je\sveux\sdire"
    r"|je\svoulais\sdire|je\srectifie|je\scorrige|my\smistake|my\sbad|erreur|en\sfait)\b"
    r"|\bplutot\b(?!\sque)|\brather\b(?!\sthan)"
    r"|(?<!\bj\s)(?<!\bje\s)(?<!\bon\s)\b(?:attendez|attends|wait)\b(?!\s(?:for|pour|le|la|les|mon|ma))"
    r"|\bje\sme\ssuis\s(?:\w+\s)?trompee?\b|\bi\s(?:got\sit|was)\swrong\b|\b(?:zut|mince|damn|drat)\b"
)
# Correction words that may come after the new value: "Hmm, 2 will do actually", "mercredi plutôt".
_TRAILING = word_set("actually finalement plutot rather instead fait final")
# Correction words that take back the item too ("une baguette, non, un pack d'eau"); the others
# ("pardon", "oops") may come before one more thing.
_STRONG = re.compile(
    r"\b(?:non|no|nope|nan|plutot|rather|i\smean|i\smeant|je\sveux\sdire|je\svoulais\sdire|make\s(?:that|it)"
    r"|change\s(?:that|it)\sto|en\sfait|actually|correction|rectification|je\srectifie|je\scorrige"
    r"|scratch\sthat)\b"
)
# Sounds between two correction words ("non euh pardon"): they make one correction.
_FILLERS = word_set("euh heu ah oh hmm hum bon alors er erm um uh ben")
# "et non 3", "and not Monday": a contrast, no correction.
_NOT_AFTER = word_set("et and ou or mais but")
# Words saying the second value comes on top of the first.
_ADDITION = word_set("aussi also too egalement plus another autre extra additional")


def apply(msg: Message, found: list[Found], reading: Reading) -> list[Found]:
    """Set aside the values a correction replaces; returns the dates still meant."""
    markers: list[tuple[int, int]] = []
    for i, j, _ in msg.find(_MARKER):
        if msg.tok(i) in ("non", "no") and msg.tok(i - 1) in _NOT_AFTER:
            continue
        if markers and all(t in _FILLERS for t in msg.toks[markers[-1][1] : i]):
            markers[-1] = (markers[-1][0], j)  # "non pardon", "no wait", "euh non plutôt": one
        else:
            markers.append((i, j))
    found = _negated_days(msg, found)
    if not markers:
        return found
    for n, (i, j) in enumerate(markers):
        end = markers[n + 1][0] if n + 1 < len(markers) else len(msg)
        if any(t in _ADDITION for t in msg.toks[j:end]):
            continue
        if (
            msg.toks[i] in ("plutot", "instead", "rather")
            and any(f.span[1] == i for f in found if f.kind == "day")
            and (
                j in msg.breaks
                or not any(j <= f.span[0] <= j + 1 for f in found if f.kind == "day")
            )
        ):  # "non le mercredi 16 plutôt, le 17 j'ai la coiffeuse": the 16 is the new day (but
            continue  # "mon pain de mercredi plutôt samedi": Saturday)
        before = _state(found, reading)
        kept = _days(found, reading, i, j)
        msg.taken_back += [
            f.span for f in found if f.kind == "day" and not any(f is g for g in kept)
        ]
        found = kept
        _amounts(msg, reading, i, j, end)
        if before == _state(found, reading) and msg.toks[j - 1] in _TRAILING:
            a = msg.clause(i)[0]  # "3 loaves. Hmm, 2 will do actually": the value came first
            if 0 < a < i:
                found = _days(found, reading, a, a)
                _amounts(msg, reading, a, a, i)
        if before != _state(found, reading):
            msg.corrections.append((i, j))
    return found


def _state(found: list[Found], reading: Reading) -> tuple[int, list[tuple[int | None, int]]]:
    return len(found), [(m.qty, id(m)) for m in reading.mentions]


def _days(found: list[Found], reading: Reading, i: int, j: int) -> list[Found]:
    days = [f for f in found if f.kind == "day" and f.first is not None and not f.first.narrative]
    before = [  # "pas de pain mercredi ni jeudi, mettez-moi plutôt…": refused, not taken back
        f
        for f in days
        if f.span[1] <= i and not reading.negation_before(f.span[0], max(0, f.span[0] - 5))
    ]
    after = [f for f in days if f.span[0] >= j and not _refused(reading, f, j)]
    if not before or not after:
        return found
    keys_before = {m.key for m in reading.mentions if m.span[1] <= i}
    if any(m.key not in keys_before for m in reading.mentions if m.span[0] >= j):
        return found  # something new comes with the second day: two orders, not a correction
    # "mardi. enfin non mercredi c'est mieux, mardi j'ai le docteur": the day taken back, said
    # again after the new one, is the reason, not a second order
    gone = [f.first for f in before]
    again = [f for f in after if f.span[0] > after[0].span[0] and f.first in gone]
    return _without(found, before + again)


def _refused(reading: Reading, f: Found, j: int) -> bool:
    """ "2 baguettes lundi, non, rien pour mardi": the second day is refused, not the new one."""
    return reading.negation_before(f.span[0], j)


def _negated_days(msg: Message, found: list[Found]) -> list[Found]:
    """ "pas lundi mais mardi", "not Monday, Tuesday": a day said to be wrong, beside another."""
    days = [f for f in found if f.kind == "day" and f.first is not None]
    wrong = [
        f
        for f in days
        if msg.tok(f.span[0] - 1) in ("pas", "not")
        and any(g.span[0] >= f.span[1] for g in days if g is not f)
    ]
    return _without(found, wrong) if wrong else found


def _without(found: list[Found], dropped: list[Found]) -> list[Found]:
    """`found` less the dropped days, and less any choice offered between them ("alt")."""
    out = []
    for f in found:
        if any(f is d for d in dropped):
            continue
        if f.kind == "alt" and any(f.span[0] <= d.span[0] < f.span[1] for d in dropped):
            continue
        out.append(f)
    return out


_GIVEN = frozenset(
    {"donne", "donnee", "apporte", "apportee", "ramene", "ramenee", "monte", "montee", "achete",
     "achetee", "laisse", "laissee", "gave", "given", "brought", "got"}
)  # fmt: skip


def _amounts(msg: Message, reading: Reading, i: int, j: int, end: int) -> None:
    counted = [
        m
        for m in reading.mentions
        if m.kind == ITEM and m.qty is not None and not m.negated and m.span[1] <= i
    ]
    if not counted:
        return
    later = [
        m
        for m in reading.mentions
        if m.kind == ITEM and m.qty is not None and not m.negated and j <= m.span[0] < end
    ]
    first_later = min((m.span[0] for m in later), default=end)
    if any(j <= k < first_later and 1 <= n <= 20 for k, n in reading.loose_numbers) and not any(
        m.key in {o.key for o in counted} for m in later
    ):  # "trois baguettes, non deux, et un pack d'eau": the number is corrected, the water added
        later, end = [], first_later
    if later and not {m.key for m in later} & {m.key for m in counted}:
        # "2 baguettes, non, 2 packs d'eau": the item itself is taken back; after "pardon" or
        # "oops" it may as well be one more thing, so nothing is sure
        strong = _STRONG.search(" ".join(msg.toks[i:j])) is not None
        for old in counted:
            if strong:
                reading.mentions.remove(old)
            else:
                old.qty, old.how = None, "plural"
        return
    for m in later:  # "3 pains pour jeudi. Pardon, 2 pains seulement"
        for old in [o for o in counted if o.key == m.key]:
            reading.mentions.remove(old)
            counted.remove(old)
    if later:
        return
    loose = [
        (k, n)
        for k, n in reading.loose_numbers
        if j <= k < end
        and 1 <= n <= 20
        and msg.tok(k - 1) not in ("pas", "not")
        and not reading.negation_before(k, max(j, k - 4))
    ]  # "3 baguettes, non pas 2 comme d'habitude": the 2 is the one refused; "just one pack
    # actually, I can't lift two": a number the tenant cannot, not the new one
    loose += [
        (k, 1)
        for k in range(j, end)
        if msg.free(k)
        and msg.toks[k] in ONE_WORDS
        and msg.tok(k - 1) not in _GIVEN  # "la voisine m'en a donné une": hers, not ours
        and (
            msg.tok(k + 1) in ("seul", "seule", "only", "single", "suffira", "suffit")
            or msg.tok(k - 1) in ("just", "only", "juste", "seulement", "the")
            or k + 1 == len(msg)
            or k + 1 in msg.breaks
        )
    ]  # "non, un seul", "actually, just the one"
    if not loose:
        return
    k, n = min(loose)  # "2 baguettes vendredi... non 3 finalement", "sorry, make that 2"
    keys = {m.key for m in counted}
    if len(keys) == 1:
        last = counted[-1]
        for old in counted[:-1]:
            reading.mentions.remove(old)
        last.qty, last.how, last.at = n, "number", k
    else:
        for m in counted:  # "2 baguettes et 1 pack, non 3": which one is 3?
            m.qty, m.how = None, "plural"
    msg.mark(k, k + 1, ITEM_TAG)
    if (k, n) in reading.loose_numbers:
        reading.loose_numbers.remove((k, n))
