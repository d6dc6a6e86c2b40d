"""Items named in a message and the quantity each one carries.

A quantity belongs to an item only when it is written against it: before it ("2 baguettes",
"deux packs d'eau", "une grosse baguette"), or right after it as in a list ("baguette x3",
"pain 2, eau 1"). Any other number was either claimed earlier (floors, dates, times) or is left
as a loose number, which the intent step may read as "an amount of something unsaid".

Without a number: "du pain", "de l'eau", "some water", a bare "baguette" mean one; a plural
("des baguettes", "some loaves", "plusieurs") means the tenant has a number in mind that we do not
know, so the item is marked as missing its quantity. So does a guess ("2 ou 3", "deux-trois",
"environ 4", "2 baguettes, peut-être 3", "une baguette ou un pack d'eau") and an item only referred
to ("le pack", "the water": which delivery is meant?).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from handlers.nlu.lexicon import ITEM, THING, Entry, Lexicon
from handlers.nlu.message import Message, word_set
from handlers.nlu.numbers import ONE_WORDS, cardinal, multiplier

ITEM_TAG = "item"

# Words that may stand between a number and its item without changing anything.
_FILLERS = word_set(
    """
    grosse grosses gros petite petites belle belles bonne bonnes bon bons bien grande
    grandes grand grands fraiche fraiches frais chaude chaudes cuite cuites seule seul big
    small large fresh nice good extra more other autre autres supplementaire supplementaires
    nouvelle nouveau additional lovely
    """
)
_MASS = frozenset({"du", "de", "d", "some", "any", "of", "peu", "un peu"})
_PLURAL_WORDS = word_set(
    """
    des quelques plusieurs several few many lots plein beaucoup tas certaines certains
    """
)
_REFERENCE = word_set(
    """
    le la l les the mon ma mes my votre vos your ce cette ces this that these those aux
    """
)
_NEGATION = frozenset(
    {"pas", "plus", "no", "not", "sans", "aucun", "aucune", "none", "zero", "ni", "nor"}
    | {"skip", "without", "except", "sauf", "hormis", "excepte"}
)
_COUNT_WORDS = {"couple": 2, "paire": 2, "douzaine": 12, "dozen": 12}
# An amount given as a guess: "environ 3", "about 3", "2 ou 3", "2-3", "entre 2 et 3".
_APPROX = word_set(
    """
    environ approximativement quasiment presque about around approximately roughly nearly
    maybe perhaps possibly peut least moins max maximum
    """
)
_ALTERNATIVE = word_set("ou or voire sinon otherwise")
_HEDGES = word_set("peut etre maybe perhaps bien meme even alors possibly")
_ITEM_OR = word_set("ou or bien alors un une a an de du d l la le des some 1 2 3 4 5 6 else")
_NUMBER_SPAN = re.compile(r"^\d{1,2}[-/]\d{1,2}$")
_VAGUE_COUNTS = word_set("dizaine dizaines vingtaine quinzaine centaine tas plein pleins")
# Words between a negation and its item: "pas besoin de pain", "don't need any water", "not
# needing water", "no need for bread", "je ne prends pas d'eau".
_NEGATION_BRIDGE = word_set(
    """
    besoin peine need needing needed want wanting wanted take taking prends prendrai veux voudrais
    souhaite desire la for de du d des any more the le l les mon ma mes my some of avoir aurai
    aurais going to be sa son ses ta ton tes notre nos votre vos leur leurs her his their our your
    jamais never
    """
)


@dataclass
class Mention:
    """One item (or unknown unit/product) named in the message."""

    entry: Entry
    span: tuple[int, int]
    qty: int | None = None  # a number written for it
    how: str = "bare"  # number, one, mass, plural, reference, bare
    negated: bool = False  # "pas de pain", "no bread"
    at: int | None = None  # the token of the number, when one was written

    @property
    def key(self) -> str | None:
        return self.entry.key

    @property
    def kind(self) -> str:
        return self.entry.kind


@dataclass
class Reading:
    """What the item step found: mentions in order, and numbers attached to nothing."""

    mentions: list[Mention]
    loose_numbers: list[tuple[int, int]]  # (token index, value)
    toks: tuple[str, ...] = ()

    def negation_before(self, k: int, start: int) -> bool:
        """A word of refusal between token `start` and token `k`: "non, rien pour mardi"."""
        toks = self.toks
        return any(
            t in _NEGATION
            or t in ("rien", "nothing", "cannot")
            or (t == "t" and b > 0 and toks[b - 1] in ("can", "don", "won", "couldn", "didn"))
            for b, t in enumerate(toks[start:k], start)
        )

    def totals(self) -> dict[str, int | None]:
        """Item key -> quantity (None: named without a usable number) for wanted items.

        A number wins; then a vague amount ("des", "plusieurs", "2 ou 3") asks, whatever else was
        said; then "du pain", "une baguette", a bare "pain" mean one. An item only referred to
        ("le pain", "les packs", "the water") has no amount: acting on it would be a guess."""
        out: dict[str, int | None] = {}
        for key in dict.fromkeys(m.key for m in self.mentions if m.kind == ITEM and not m.negated):
            assert key is not None
            ms = [m for m in self.mentions if m.key == key and not m.negated]
            explicit = [m.qty for m in ms if m.qty is not None]
            if explicit:
                out[key] = sum(explicit)
            elif any(m.how == "plural" for m in ms):
                out[key] = None
            elif any(m.how != "reference" for m in ms):
                out[key] = 1
            else:
                out[key] = None  # only "le pain", "the water": which delivery, how many?
        return out


def read(msg: Message, lexicon: Lexicon) -> Reading:
    """Find every item phrase in the free tokens and the quantity written for it."""
    mentions: list[Mention] = []
    i = 0
    while i < len(msg):
        if not msg.free(i):
            i += 1
            continue
        entry = lexicon.match(msg.toks, i, msg.lang)
        if entry is None or not msg.all_free(i, i + entry.size):
            i += 1
            continue
        if entry.kind != ITEM and msg.tok(i + entry.size) in ("douzaine", "dozen"):
            i += 1  # "une demi-douzaine": half of a dozen, not half a loaf
            continue
        span = (i, i + entry.size)
        if entry.kind == ITEM and _a_verb(msg, i, entry.size):
            msg.mark(*span, "noise")  # "could you water my plants": watering, not a pack
            i = span[1]
            continue
        if entry.kind == THING:
            msg.mark(*span, "noise")  # "le sac à pain", "une fuite d'eau": no bread, no water
            i = span[1]
            continue
        msg.mark(*span, ITEM_TAG)
        mentions.append(Mention(entry, span))
        i = span[1]
    if _list_style(msg, mentions):
        _take_right_numbers(msg, mentions, lexicon, strict=False)
    for m in mentions:
        _quantity(msg, m)
    for before, m in pairwise(mentions):
        gap = msg.toks[before.span[1] : m.span[0]]
        if any(t in ("ou", "or") for t in gap) and all(t in _ITEM_OR for t in gap):
            for either in (before, m):  # "une baguette ou un pack d'eau": which one?
                either.qty, either.how = None, "plural"
    for before, m in pairwise(mentions):
        joined = msg.toks[before.span[1] : m.span[0]]
        if before.how == "reference" and m.how == "bare" and joined in (("and",), ("et",)):
            m.how = "reference"  # "my bread and water": the possessive covers both
    _take_right_numbers(msg, mentions, lexicon)
    for m in [m for m in mentions if (m.qty or 0) > 1 and _said_of(msg, m.span[1])]:
        if any(o is not m and o.key == m.key for o in mentions):
            mentions.remove(m)  # "2 packs is too heavy, one pack tomorrow": a reason, no order
            msg.mark(m.span[0] if m.at is None else min(m.at, m.span[0]), m.span[1], "noise")
        else:
            m.qty, m.how = None, "plural"  # "2 baguettes c'est trop": not 2, but how many?
    _anaphora(msg, mentions)
    for m in mentions:
        _guessed(msg, m)
    loose = [
        (k, n)
        for k, tok in enumerate(msg.toks)
        if msg.free(k) and (n := cardinal(tok)) is not None and len(tok) <= 3
    ]
    return Reading(mentions, loose, msg.toks)


_VERB_BEFORE = word_set("you to please pls can could would will i we and also just")
_OBJECT_AFTER = word_set("the my your her his our their these those them it plants flowers garden")


def _a_verb(msg: Message, i: int, size: int) -> bool:
    """ "water" as a verb: "could you water my plants", "please water the garden"."""
    return (
        size == 1
        and msg.toks[i] == "water"
        and msg.tok(i - 1) in _VERB_BEFORE
        and msg.tok(i + 1) in _OBJECT_AFTER
    )


def _list_style(msg: Message, mentions: list[Mention]) -> bool:
    """A list written item first ("eau 2 pain 1"): every item is followed by its number."""
    if not mentions:
        return False
    first = mentions[0].span[0]
    if first > 0 and msg.free(first - 1) and cardinal(msg.toks[first - 1]) is not None:
        return False
    return all(
        msg.free(m.span[1])
        and (cardinal(msg.tok(m.span[1])) is not None or multiplier(msg.tok(m.span[1])) is not None)
        for m in mentions
    )


def _quantity(msg: Message, m: Mention) -> Mention:
    """Read leftwards: fillers, then a number, "un/une/a", or a determiner."""
    if m.qty is not None:
        m.negated = _negated(msg, m.span[0] - 1)
        return m
    k = m.span[0] - 1
    while k >= 0 and msg.free(k) and msg.toks[k] in _FILLERS:
        k -= 1
    tok = msg.tok(k) if k >= 0 and msg.tags[k] in (None, ITEM_TAG) else ""
    if not msg.free(k):
        tok = ""
    prev = msg.tok(k - 1) if k >= 1 and msg.free(k - 1) else ""
    m.negated = _negated(msg, k)
    if (n := multiplier(tok)) is not None:
        _claim(msg, k, m, n)
    elif (n := cardinal(tok)) is not None and len(tok) <= 3:
        if prev == "x":  # "x 2 baguettes"
            msg.mark(k - 1, k, ITEM_TAG)
        _claim(msg, k, m, n)
    elif tok == "x" and (n := cardinal(prev) if prev else None) is not None:
        msg.mark(k, k + 1, ITEM_TAG)
        _claim(msg, k - 1, m, n)
    elif tok in ONE_WORDS or (tok in ("a", "an", "another") and msg.lang == "en"):
        _claim(msg, k, m, 1, how="one")
    elif tok in _COUNT_WORDS or (tok in ("de", "d", "of") and prev in _COUNT_WORDS):
        word = tok if tok in _COUNT_WORDS else prev
        n = _COUNT_WORDS[word]
        before = msg.tok(k - 2 if word == prev else k - 1)
        _claim(msg, k, m, n // 2 if before == "demi" else n)
    elif tok in _MASS:
        before = prev
        if before in _PLURAL_WORDS or (before in ("lots", "plenty", "couple")):
            m.how = "plural"
        elif before in _COUNT_WORDS:
            _claim(msg, k, m, _COUNT_WORDS[before])
        else:
            m.how = "mass"
    elif (
        tok in _PLURAL_WORDS
        or tok in _VAGUE_COUNTS
        or (tok in ("de", "d") and prev in _VAGUE_COUNTS)
    ):
        m.how = "plural"
    elif _NUMBER_SPAN.match(tok):
        msg.mark(k, k + 1, ITEM_TAG)
        m.how = "plural"  # "2-3 baguettes": a guess
    elif tok in ("l", "la") and prev in ("de", "d"):
        m.how = "mass"  # "de l'eau", "de la flotte"
    elif tok in _REFERENCE:
        m.how = "reference"
    if m.qty is None and m.how in ("bare", "mass") and m.entry.plural:
        m.how = "plural"
    return m


def _guessed(msg: Message, m: Mention) -> None:
    """An amount given as a guess is no amount: "2 ou 3 baguettes", "une ou deux", "2 baguettes
    ou 3", "entre 2 et 3", "environ 4", "about 3 loaves"."""
    if m.at is None:
        return
    k = m.at
    before, before2 = msg.tok(k - 1), msg.tok(k - 2)

    def count(tok: str) -> bool:
        return cardinal(tok) is not None or tok in ONE_WORDS or tok in ("a", "an")

    vague = (
        (before in _ALTERNATIVE and count(before2))
        or (before in ("et", "and", "a", "to") and msg.tok(k - 3) in ("entre", "between"))
        or (before in ("a", "to") and cardinal(before2) is not None)
        or before in _APPROX
        or (before == "pres" and before2 == "peu")
        or (before == "etre" and before2 == "peut")
        or (before == "les" and before2 == "dans")
        or ((cardinal(before) or 99) <= 20 and msg.free(k - 1))  # "deux trois baguettes"
    )
    after = m.span[1] if m.at < m.span[0] else k + 1
    if msg.tok(after) in ("moins", "less", "fewer") or (
        msg.tok(after) == "de" and msg.tok(after + 1) == "moins"
    ):
        vague = True  # "une baguette de moins": fewer than what is booked, not one
    other = None  # "2 baguettes ou 3", "2 baguettes, ou peut-être 3", "two loaves, maybe three"
    for j in range(after, min(after + 5, len(msg))):
        tok = msg.tok(j)
        if msg.tags[j] == "date":
            continue  # "une baguette pour mardi, voire deux"
        if tok in _ALTERNATIVE or tok in _APPROX:
            nxt = j + 1
            while msg.tok(nxt) in _HEDGES and nxt < j + 4:
                nxt += 1
            if msg.free(nxt) and cardinal(msg.tok(nxt)) is not None:
                other = nxt
            break
        if not msg.free(j) or cardinal(tok) is not None:
            break
    if other is not None:
        vague = True
        msg.mark(other, other + 1, ITEM_TAG)
    if vague:
        m.qty, m.how = None, "plural"
        if msg.free(k - 2) and cardinal(msg.tok(k - 2)) is not None:
            msg.mark(k - 2, k - 1, ITEM_TAG)


_MORE_WANTED = dict.fromkeys(
    ("voudrais", "voudrait", "aimerais", "faudrait", "faut"),  # "je veux plus de pain": none
    True,
)


def _ne_before(msg: Message, k: int) -> bool:
    """A "ne"/"n'" in the few words before: "je ne voudrais plus de pain" is none."""
    return any(msg.tok(b) in ("ne", "n") for b in range(max(0, k - 4), k))


def _negated(msg: Message, k: int) -> bool:
    """Negated: "pas de pain", "plus d'eau", "no bread", "not any water", "sans pain", "pas
    besoin de pain", "don't need water", "not needing water", "no need for bread"."""
    for back in range(k, max(-1, k - 5), -1):
        if back + 1 in msg.breaks:
            return False  # "je ne sors plus, du pain demain": a negation of another clause
        tok = msg.tok(back)
        if msg.tags[back] == "date":
            continue  # "doesn't need her Friday loaf", "pas besoin du lundi pain"
        if tok in _NEGATION:
            if tok == "plus" and msg.tok(back + 1) in ("que", "qu"):
                return False  # "je ne veux plus qu'une baguette": only one from now, not none
            if tok == "plus" and _MORE_WANTED.get(msg.tok(back - 1)) and not _ne_before(msg, back):
                return False  # "je voudrais plus de pain" (no "ne"): more bread, not none
            return not (tok == "plus" and msg.tok(back - 1) == "en")  # "en plus de l'eau": besides
        if tok == "t" and msg.tok(back - 1) in ("don", "won", "didn", "doesn", "shan"):
            return True
        if (tok, msg.tok(back - 1)) in (("of", "out"), ("de", "court"), ("d", "court")):
            return True  # "run out of bread", "à court d'eau": missing at home
        if tok not in _NEGATION_BRIDGE:
            return False
    return False


def _claim(msg: Message, k: int, m: Mention, n: int, how: str = "number") -> None:
    msg.mark(k, k + 1, ITEM_TAG)
    m.qty, m.how, m.at = n, how, k


# A number followed by one of these is what a sentence is about ("two are too heavy", "2 c'est
# trop"), not a count for the item before it.
_SUBJECT_VERB = word_set("are is was were sont est etaient serait seraient c ca")


def _said_of(msg: Message, k: int) -> bool:
    """ "… is too heavy", "… c'est trop": the words before are judged, not asked for."""
    return (
        k not in msg.breaks
        and msg.tok(k) in _SUBJECT_VERB
        and (
            msg.tok(k + 1) in ("too", "trop")
            or (msg.tok(k + 1) in ("est", "a") and msg.tok(k + 2) == "trop")
        )
    )


def _take_right_numbers(
    msg: Message, mentions: list[Mention], lexicon: Lexicon, strict: bool = True
) -> None:
    """A number just after an item without one: "baguette x3", "pain 2, eau 1", "bread x 2".

    `strict`: a bare number followed by another item is that item's ("pain 2 packs d'eau"),
    unless the whole message is a list written item first (`_list_style`)."""
    for m in mentions:
        if m.qty is not None:
            continue
        j = m.span[1]
        tok = msg.tok(j)
        if not msg.free(j):
            continue
        if (n := multiplier(tok)) is not None:
            _claim(msg, j, m, n)
        elif tok == "x" and msg.free(j + 1) and (n := cardinal(msg.tok(j + 1))) is not None:
            msg.mark(j, j + 1, ITEM_TAG)
            _claim(msg, j + 1, m, n)
        elif (n := cardinal(tok)) is not None and len(tok) <= 2:
            after = j + 1
            if msg.tok(after) in _SUBJECT_VERB:
                continue  # "one pack, two are too heavy": what the 2 is, not how many
            if strict and after < len(msg) and lexicon.match(msg.toks, after, msg.lang):
                continue  # "pain 2 packs d'eau": the 2 is the packs'
            _claim(msg, j, m, n)


_HAD_AFTER_EN = frozenset({"a", "ai", "avait", "avais", "ont", "avons", "reste", "restent"})


def _anaphora(msg: Message, mentions: list[Mention]) -> None:
    """The pronoun "en" carries the item: "je n'ai plus de pain, m'en apporter deux"."""
    open_ = [m for m in mentions if m.qty is None and m.kind == ITEM]
    if len({m.key for m in open_}) != 1:
        return
    for k, tok in enumerate(msg.toks):
        if tok in ONE_WORDS and msg.tok(k + 1) in ("seul", "seule") and msg.all_free(k, k + 2):
            target = open_[-1]  # "2 baguettes c'est trop, une seule demain"
            _claim(msg, k, target, 1)
            return
        if tok != "en" or not msg.free(k):
            continue
        if msg.tok(k + 1) in _HAD_AFTER_EN:
            continue  # "la voisine m'en a donné une", "il m'en reste deux": had, not asked
        for j in range(k + 1, min(k + 4, len(msg))):
            if not msg.free(j):
                break
            n = cardinal(msg.toks[j])
            if n is None and msg.toks[j] in ONE_WORDS:
                n = 1
            if n is not None:
                target = open_[-1]
                _claim(msg, j, target, n)
                target.negated = False
                return
