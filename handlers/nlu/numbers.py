"""Numbers written as words, digits, ordinals and multipliers, in French and English.

The parser only ever needs small numbers: quantities (a handful), days of the month (1-31),
floors. A table of a few dozen words, misspellings included, is faster and more predictable than
a general number-to-text library, and it can be wrong only in ways a test can see.

Word numbers are rewritten as digits early (`merge_words`) so that every later stage deals with
"2" whether the tenant wrote "2", "deux", "deus" or "two". "un"/"une"/"one" stay words: they are
as often articles ("un bénévole") as quantities, and the item reader decides.
"""

from __future__ import annotations

import re

_UNITS_FR = {
    "zero": 0,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
}
_TENS_FR = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50}
_UNITS_EN = {
    "zero": 0,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS_EN = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_MISSPELT = {
    "deus": 2,
    "deu": 2,
    "deuxs": 2,
    "deuz": 2,
    "troi": 3,
    "troix": 3,
    "trwa": 3,
    "quatres": 4,
    "quatr": 4,
    "katre": 4,
    "catre": 4,
    "cinqs": 5,
    "cinque": 5,
    "cink": 5,
    "sinq": 5,
    "sixe": 6,
    "sis": 6,
    "huite": 8,
    "neuff": 9,
    "twoo": 2,
    "thre": 3,
    "fiv": 5,
    "sixx": 6,
    "eigth": 8,
}
CARDINALS: dict[str, int] = {**_UNITS_FR, **_TENS_FR, **_UNITS_EN, **_TENS_EN, **_MISSPELT}
# "un", "une", "one": a quantity only where the item reader says so.
ONE_WORDS = frozenset({"un", "une", "one", "1"})

_ORDINALS_FR = {
    "premier": 1,
    "premiere": 1,
    "deuxieme": 2,
    "seconde": 2,
    "troisieme": 3,
    "quatrieme": 4,
    "cinquieme": 5,
    "sixieme": 6,
    "septieme": 7,
    "huitieme": 8,
    "neuvieme": 9,
    "dixieme": 10,
    "onzieme": 11,
    "douzieme": 12,
    "treizieme": 13,
    "quatorzieme": 14,
    "quinzieme": 15,
    "seizieme": 16,
    "vingtieme": 20,
    "trentieme": 30,
}
_ORDINALS_EN = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}

_NOT_A_DAY_AFTER_SECOND = frozenset(
    {"thought", "thoughts", "thinking", "time", "one", "pack", "loaf"}
)
_DAY_ORDINAL = re.compile(r"^(\d{1,2})(er|ere|st|nd|rd|th)$")
_FLOOR_ORDINAL = re.compile(r"^(\d{1,2})(e|eme|emes|ieme|iem|em)$")
_MULTIPLIER = re.compile(r"^(?:x(\d{1,3})|(\d{1,3})x)$")


def merge_words(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Rewrite number words as digit tokens: "vingt et un" -> "21", "twenty eighth" -> "28th"."""
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        tens = _TENS_FR.get(tok) or _TENS_EN.get(tok)
        if tens is not None:
            j = i + 1
            if j < n and tokens[j] in ("et", "and"):
                j += 1
            nxt = tokens[j] if j < n else ""
            unit = 1 if nxt in ("un", "une", "one") else CARDINALS.get(nxt)
            if unit is not None and 1 <= unit <= 9:
                out.append(str(tens + unit))
                i = j + 1
                continue
            ordinal = _ORDINALS_EN.get(nxt) or _ORDINALS_FR.get(nxt)
            if nxt in ("unieme", "premier", "first"):
                ordinal = 1
            if ordinal is not None and ordinal <= 9:
                out.append(f"{tens + ordinal}th")
                i = j + 1
                continue
            out.append(str(tens))
            i += 1
            continue
        if tok == "dix" and i + 1 < n and tokens[i + 1] in ("sept", "huit", "neuf"):
            out.append(str(10 + CARDINALS[tokens[i + 1]]))
            i += 2
            continue
        if tok == "sept" and out and out[-1].isdigit() and int(out[-1]) <= 31:
            out.append(tok)  # "le 5 sept": the month, not seven
        elif tok in CARDINALS:
            out.append(str(CARDINALS[tok]))
        elif tok == "second" and i + 1 < n and tokens[i + 1] in _NOT_A_DAY_AFTER_SECOND:
            out.append(tok)  # "on second thought", "a second pack": no day, no date
        elif tok in _ORDINALS_EN:
            out.append(f"{_ORDINALS_EN[tok]}th")
        elif tok in ("premier", "premiere"):
            out.append("1er")
        elif tok in _ORDINALS_FR:
            out.append(f"{_ORDINALS_FR[tok]}e")
        else:
            out.append(tok)
        i += 1
    return tuple(out)


def cardinal(tok: str) -> int | None:
    """A plain number token ("12"); None for anything else, "1,5" and "27/11" included."""
    return int(tok) if tok.isdigit() and len(tok) <= 6 else None


def day_ordinal(tok: str) -> int | None:
    """A day of the month written as an ordinal: "1er", "2nd", "28th"."""
    m = _DAY_ORDINAL.match(tok)
    return int(m.group(1)) if m else None


def floor_ordinal(tok: str) -> int | None:
    """The French ordinal used for floors, never for dates: "3e", "4eme"."""
    m = _FLOOR_ORDINAL.match(tok)
    return int(m.group(1)) if m else None


def multiplier(tok: str) -> int | None:
    """A quantity written as a multiplication: "x3" or "3x"."""
    m = _MULTIPLIER.match(tok)
    if not m:
        return None
    return int(m.group(1) or m.group(2))
