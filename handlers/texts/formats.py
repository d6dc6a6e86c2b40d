"""Dates, times, numbers and lists in words, by Babel, in the reader's language.

"jeudi 26 novembre", "mardi 1er décembre", "2 baguettes et 1 pack d'eau", "17 h", "1 400";
and a tenant's address, "bât. C, esc. 1, 1er étage, apt 1B", written here only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from babel.dates import format_date, format_timedelta
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

from handlers.texts import language, t

if TYPE_CHECKING:
    from models.people import Addressee, Person

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@lru_cache(maxsize=4096)
def day(d: date, lang: str | None, *, year: bool = False) -> str:
    """A date spelled out the way people say it: "jeudi 26 novembre", "mardi 1er décembre"."""
    lang = language(lang)
    text = format_date(d, "EEEE d MMMM" + (" y" if year else ""), locale=lang)
    if lang == "fr" and d.day == 1:
        text = text.replace(" 1 ", " 1er ", 1)
    if lang == "en":
        text = format_date(d, "EEEE d MMMM" + (" y" if year else ""), locale="en_GB")
    return text


@lru_cache(maxsize=1024)
def day_short(d: date, lang: str | None) -> str:
    """ "jeudi 26", for lists where the month is obvious."""
    lang = language(lang)
    text = format_date(d, "EEEE d", locale="en_GB" if lang == "en" else lang)
    return text + ("er" if lang == "fr" and d.day == 1 else "")


def weekday_name(key: str, lang: str | None, *, plural: bool = False) -> str:
    return t(lang, f"weekdays.{key}", n=2 if plural else 1)


def weekdays(keys: Iterable[str], lang: str | None) -> str:
    ordered = sorted(set(keys), key=WEEKDAY_KEYS.index)
    if len(ordered) == 7:
        return t(lang, "weekdays.every_day")
    return listing([weekday_name(k, lang) for k in ordered], lang)


def listing(parts: list[str], lang: str | None) -> str:
    return _listing(tuple(parts), language(lang)) if parts else ""


@lru_cache(maxsize=4096)
def _listing(parts: tuple[str, ...], lang: str) -> str:
    return format_list(list(parts), locale=lang)


ELIDING = frozenset("aeiouyhàâäéèêëîïôöùûüœæAEIOUYHÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")


def of_name(name: str, lang: str | None) -> str:
    """ "de Gilles", "d'Emma", "d'Hélène" in French (elision before a vowel or a mute h);
    "Gilles's" is the English template's business, so English gets "of Gilles"."""
    if language(lang) == "fr":
        return f"d'{name}" if name[:1] in ELIDING else f"de {name}"
    return f"of {name}"


def clock_time(at: time, lang: str | None) -> str:
    """ "17 h", "17 h 30" in French; "5 pm", "5:30 pm" in English."""
    if language(lang) == "fr":
        return f"{at.hour} h" + (f" {at.minute:02d}" if at.minute else "")
    hour = at.hour % 12 or 12
    suffix = "am" if at.hour < 12 else "pm"
    return f"{hour}" + (f":{at.minute:02d}" if at.minute else "") + f" {suffix}"


@lru_cache(maxsize=1024)
def number(n: int | float, lang: str | None) -> str:
    # A plain space, not Babel's narrow no-break one: it would push an SMS into UCS-2.
    return format_decimal(n, locale=language(lang)).replace("\u202f", " ").replace("\xa0", " ")


def percent(ratio: float, lang: str | None) -> str:
    text = format_percent(ratio, locale=language(lang))
    return text.replace("\u202f", " ").replace("\xa0", " ")


def items(
    lines: Mapping[str, int], lang: str | None, names: Mapping[str, Mapping[str, tuple[str, str]]]
) -> str:
    """ "2 baguettes et 1 pack d'eau" from {"bread": 2, "water": 1}, in catalogue order."""
    lang = language(lang)
    parts = []
    for key in names:
        n = lines.get(key, 0)
        if n:
            one, other = names[key][lang]
            parts.append(f"{number(n, lang)} {one if n == 1 else other}")
    return listing(parts, lang)


def floor(n: int | None, lang: str | None) -> str:
    if n is None:
        return ""
    if n == 0:
        return t(lang, "address.ground_floor")
    return t(lang, "address.floor", n=n, ordinal=ordinal(n, lang))


def address(person: Person | Addressee, lang: str | None) -> str:
    """ "bât. C, esc. 1, 1er étage, apt 1B" — what a volunteer needs to find the door (a
    person's profile, or the door a round read as plain columns)."""
    profile = person.tenant
    if profile is None or not profile.building:
        return t(lang, "address.unknown")
    parts = [t(lang, "address.building", building=profile.building)]
    if profile.entrance:
        parts.append(t(lang, "address.entrance", entrance=profile.entrance))
    if profile.floor is not None:
        parts.append(floor(profile.floor, lang))
    if profile.apartment:
        parts.append(t(lang, "address.apartment", apartment=profile.apartment))
    return ", ".join(parts)


def ordinal(n: int, lang: str | None) -> str:
    if language(lang) == "fr":
        return "1er" if n == 1 else f"{n}e"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def duration(delta: timedelta, lang: str | None) -> str:
    """ "5 minutes", "2 heures": how long ago or how late, rounded to one unit by Babel."""
    text = format_timedelta(delta, threshold=1.5, locale=language(lang))
    return text.replace("\u202f", " ").replace("\xa0", " ")
