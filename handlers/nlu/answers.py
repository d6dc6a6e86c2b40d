"""Reading the answer to a question the conversation asked: a number, a day, yes or no.

An answer is read with the same stages as a message ("deux", "le 3e" is a floor, "jeudi"), but
the helpers only say what they are sure of: anything ambiguous ("2 ou 3", "jeudi ou vendredi",
"oui mais non") is None, and the conversation asks again.
"""

from __future__ import annotations

import re
from datetime import date

from handlers.nlu.dates import resolve, weekdays_of
from handlers.nlu.lexicon import Lexicon
from handlers.nlu.message import Message, word_set
from handlers.nlu.numbers import ONE_WORDS
from handlers.nlu.parser import read

_ZERO = frozenset({"aucun", "aucune", "zero", "none", "rien", "0"})
_NO_PHRASES = re.compile(
    r"\b(?:pas\sdu\stout|surtout\spas|absolument\spas|certainement\spas|pas\svraiment"
    r"|pas\squestion|not\sat\sall|not\sreally|no\sway|of\scourse\snot|non\smerci|no\sthanks"
    r"|ne\s(?:veux|voudrais|souhaite|desire)\s(?:pas|plus)|don\st\swant|do\snot\swant)\b"
)
_YES_PHRASES = re.compile(
    r"\b(?:d\saccord|bien\ssur|tout\sa\sfait|c\sest\sca|c\sest\sbon|ca\smarche|avec\splaisir"
    r"|of\scourse|go\sahead|please\sdo|that\s(?:s|is)\sright|sounds\sgood)\b"
)
_YES = word_set(
    """
    oui ouais ouai oue ouii ok volontiers parfait exactement exact voila absolument entendu
    yes yeah yep yup yea sure correct right absolutely y o si affirmatif certainement
    evidemment super top nickel okay daccord
    """
)
_NO = frozenset(["non", "nan", "no", "nope", "nah", "n", "jamais", "never", "negatif"])


def read_quantity(text: str, lang: str | None = None) -> int | None:
    """A number answered: "3", "trois", "deux baguettes" -> 2, "aucune" -> 0; None if unsure."""
    clues = read(text or "", lang, Lexicon.default())
    values = {m.qty for m in clues.reading.mentions if m.qty is not None and not m.negated}
    values |= {n for _, n in clues.reading.loose_numbers}
    if not values:
        free = [t for k, t in enumerate(clues.msg.toks) if clues.msg.tags[k] in (None, "item")]
        if any(t in _ZERO for t in free):
            values = {0}
        elif len(clues.msg.toks) <= 4 and any(  # "une seule", "a loaf"; not "bonne soirée à vous"
            t in ONE_WORDS or _article_of_item(clues.msg, k)
            for k, t in enumerate(clues.msg.toks)
            if clues.msg.tags[k] in (None, "item")
        ):
            values = {1}
    return values.pop() if len(values) == 1 else None


def _article_of_item(msg: Message, k: int) -> bool:
    """ "a loaf" is one; "thanks a lot", "thanks a million" are not numbers at all."""
    toks, tags = msg.toks, msg.tags
    return (
        toks[k] in ("a", "an") and msg.lang == "en" and k + 1 < len(toks) and tags[k + 1] == "item"
    )


def read_date(text: str, today: date, lang: str | None = None) -> date | None:
    """A day answered ("jeudi", "demain", "le 28"); None if absent, several, past or vague."""
    clues = read(text or "", lang, Lexicon.default())
    got: set[date] = set()
    vague = False
    for f in clues.found:
        if f.kind in ("day", "start") and f.first is not None:
            placed = resolve(f.first, today)
            said_not = {"pas", "not", "sauf", "except"} & set(
                clues.msg.toks[max(0, f.span[0] - 2) : f.span[0]]
            )
            if said_not:
                continue  # "ah c'est vrai, pas le dimanche. lundi alors": Monday
            if placed.date is None or placed.problem:
                return None
            got.add(placed.date)
        elif f.kind == "weekdays" and len(f.days) == 1 and f.habit == "def":
            (wd,) = f.days
            ahead = (wd - today.weekday()) % 7 or 7  # "le jeudi", answering "which day?"
            got.add(date.fromordinal(today.toordinal() + ahead))
        elif f.kind == "vague":
            vague = True  # "vendredi, j'ai du monde ce week-end": the day said, and why
        elif f.kind in ("range", "until", "weekdays", "alt"):
            return None
    if vague and not got:
        return None
    return got.pop() if len(got) == 1 else None


def read_weekdays(text: str, lang: str | None = None) -> tuple[str, ...]:
    """ "lundi et jeudi", "du lundi au vendredi", "tous les jours sauf dimanche" -> weekday keys
    ("mon"...), the answer to "which days?"; empty if no weekday is said."""
    clues = read(text or "", lang, Lexicon.default())
    return weekdays_of(clues.found, plain=True)


def read_yes_no(text: str, lang: str | None = None) -> bool | None:
    """Yes ("oui", "ok", "d'accord") is True, no ("non", "pas du tout") False; else None."""
    clues = read(text or "", lang, Lexicon.default())
    msg = clues.msg
    if msg.has(_NO_PHRASES):
        return False
    polar = [tok in _YES for tok in msg.toks if tok in _YES or tok in _NO]
    if msg.has(_YES_PHRASES):
        polar.insert(0, True)
    if not polar:
        return None
    if all(polar) or not any(polar):
        return polar[0]
    first = msg.toks[0] if msg.toks else ""
    return (first in _YES) if first in _YES or first in _NO else None
