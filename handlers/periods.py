"""Periods and dates as coordinators write them: "semaine", "mois", "depuis le 4 mars",
"2026-11", "du 1er au 15 novembre", "25/12", "jeudi", and a single day ("le 8 décembre",
"2026-12-08", "hier").

The parser in `handlers.nlu` reads tenants' dates, which are always ahead (a delivery day) and
refuses past ones; a coordinator's figures are about the past, and a closure is ahead. So this
module reads both directions with one small grammar: a date without a year is the most recent one
(for figures) or the next one (for a closure); a range without a year is the most recent one
that has begun ("du 1er au 15 décembre" on 12 December is this month's, up to today). Pure
functions: no database, no clock.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from handlers.nlu.calendar_words import MONTHS, MONTHS_NEAR_NUMBER, RELATIVE_DAYS, WEEKDAYS
from handlers.texts import t
from handlers.texts.formats import day as say_day

Direction = Literal["past", "future"]
Kind = Literal["day", "days", "week", "month", "year", "since", "range", "all"]

DEFAULT_DAYS = 7
ALL_MONTHS = {**MONTHS, **MONTHS_NEAR_NUMBER}
RELATIVE = {**RELATIVE_DAYS, "apres demain": 2, "avant hier": -2, "aujourd hui": 0}
FILLER = {"le", "la", "l", "du", "de", "des", "the", "on", "of", "a", "au", "en", "in", "pour"}
ORDINAL_DAY = re.compile(r"^(\d{1,2})(?:er|e|eme|st|nd|rd|th)?$")
NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?$")
ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
SLASH_MONTH = re.compile(r"^(\d{1,2})/(\d{4})$")
YEAR = re.compile(r"^(20\d{2})$")
COUNT_UNIT = re.compile(r"^(\d{1,3})\s*(j|jours?|days?|d|sem|semaines?|weeks?|w|mois|months?)$")

WEEK_WORDS = {"semaine", "sem", "week", "7j", "7 jours", "7 days"}
MONTH_WORDS = {"mois", "month", "30j", "30 jours", "30 days"}
YEAR_WORDS = {"annee", "an", "year", "12 mois", "12 months", "365 jours", "365 days"}
ALL_WORDS = {"tout", "total", "debut", "depuis le debut", "all", "since the start", "everything"}
LAST = {"derniere", "dernier", "passee", "passe", "precedente", "precedent", "last", "previous"}
THIS = {"cette", "ce", "this", "ci", "cours", "current"}
SINCE = ("depuis", "since", "a partir du", "a partir de", "from")


class PeriodError(ValueError):
    """A period we cannot read; the handler answers with examples."""


@dataclass(frozen=True)
class Period:
    """Local calendar dates, both ends included; `kind` says how to name it and compare it."""

    start: date
    end: date
    kind: Kind
    # The year the reader is in: a date of another year is written with its year.
    this_year: int | None = field(default=None, compare=False)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period | None:
        """The period to compare with: the same length just before; for a calendar month or
        year, the previous one over as many days (1–24 October against 1–24 November)."""
        if self.kind == "all":
            return None
        year = self.this_year
        if self.kind == "day":  # a delivery day against the same weekday the week before
            return Period(self.start - timedelta(days=7), self.end - timedelta(days=7), "day", year)
        if self.kind == "month":
            last = self.start - timedelta(days=1)
            first = last.replace(day=1)
            return Period(first, min(last, first + (self.end - self.start)), "month", year)
        if self.kind == "year":
            first = self.start.replace(year=self.start.year - 1)
            return Period(first, _same_day(self.end, self.end.year - 1), "year", year)
        return Period(
            self.start - timedelta(days=self.days), self.start - timedelta(days=1), "range", year
        )

    def _other_year(self, d: date) -> bool:
        return self.this_year is not None and d.year != self.this_year

    def label(self, lang: str) -> str:
        """ "les 7 derniers jours", "novembre 2026", "depuis le mercredi 4 mars"…"""
        if self.kind == "day":
            return t(
                lang,
                "coord.period.day",
                day=say_day(self.start, lang, year=self._other_year(self.start)),
            )
        if self.kind == "days":
            return t(
                lang,
                "coord.period.last_days",
                n=self.days,
                start=say_day(self.start, lang, year=self._other_year(self.start)),
                end=say_day(self.end, lang, year=self._other_year(self.end)),
            )
        if self.kind == "week":
            return t(
                lang,
                "coord.period.week",
                start=say_day(self.start, lang, year=self._other_year(self.start)),
            )
        if self.kind == "month":
            return month_name(self.start, lang)
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "since":
            return t(lang, "coord.period.since", start=say_day(self.start, lang, year=True))
        if self.kind == "all":
            return t(lang, "coord.period.all", start=say_day(self.start, lang, year=True))
        crossing = self.start.year != self.end.year
        return t(
            lang,
            "coord.period.range",
            start=say_day(self.start, lang, year=crossing or self._other_year(self.start)),
            end=say_day(self.end, lang, year=crossing or self._other_year(self.end)),
        )


def month_name(d: date, lang: str) -> str:
    from babel.dates import format_date

    return format_date(d, "LLLL y", locale="en_GB" if lang == "en" else "fr")


def last_days(today: date, n: int = DEFAULT_DAYS) -> Period:
    return Period(today - timedelta(days=n - 1), today, "days")


def since_start(first: date, today: date) -> Period:
    return Period(min(first, today), today, "all")


def normalise(text: str) -> str:
    """Lower case, no accents, apostrophes as spaces; keeps / - . inside dates."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’'`,;:!?()]", " ", text)
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)
    return " ".join(text.split())


def read_period(text: str, today: date) -> Period | None:
    """The period a coordinator means, ending today at the latest; None for "nothing said"
    (the default), PeriodError when the words are not a period we know."""
    words = normalise(text)
    if not words:
        return None
    if words in ALL_WORDS:
        # the caller puts the first delivery day
        return Period(date(1970, 1, 1), today, "all", today.year)
    period = _named(words, today) or _counted(words, today) or _month_or_year(words, today)
    if period is None:
        period = _since_or_range(words, today) or _one_day(words, today)
    if period is None:
        raise PeriodError(text)
    if period.start > today:
        raise PeriodError(text)
    return Period(period.start, min(period.end, today), period.kind, today.year)


def _one_day(words: str, today: date) -> Period | None:
    """ "le 8 décembre", "2026-12-08", "25/12", "hier", "lundi": that day alone."""
    found = read_day(words, today, "past")
    if found is None or found[1] != len(words.split()):
        return None
    return Period(found[0], found[0], "day")


def _named(words: str, today: date) -> Period | None:
    """ "semaine", "mois", "année" (the last 7, 30, 365 days); "cette semaine", "ce mois-ci"
    (the calendar week or month so far); "semaine dernière", "last month" (the previous one)."""
    tokens = [w for w in words.split() if w not in FILLER]
    this = any(w in THIS for w in tokens)
    last = any(w in LAST for w in tokens)
    base = " ".join(w for w in tokens if w not in THIS and w not in LAST)
    if this and last:
        return None
    monday = today - timedelta(days=today.weekday())
    first = today.replace(day=1)
    if base in WEEK_WORDS:
        if this:
            return Period(monday, today, "week")
        if last:
            return Period(monday - timedelta(days=7), monday - timedelta(days=1), "week")
        return last_days(today, 7)
    if base in MONTH_WORDS:
        if this:
            return Period(first, today, "month")
        if last:
            end = first - timedelta(days=1)
            return Period(end.replace(day=1), end, "month")
        return last_days(today, 30)
    if base in YEAR_WORDS:
        if this:
            return Period(date(today.year, 1, 1), today, "year")
        if last:
            return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31), "year")
        return last_days(today, 365)
    return None


def _counted(words: str, today: date) -> Period | None:
    """ "10 jours", "3 semaines", "6 mois" (the last ones, up to today)."""
    m = COUNT_UNIT.match(words.removeprefix("les ").removeprefix("last ").replace(" derniers", ""))
    if not m:
        return None
    n, unit = int(m.group(1)), m.group(2)
    if n < 1:
        return None
    if unit.startswith(("sem", "week", "w")):
        return last_days(today, 7 * n)
    if unit.startswith(("mois", "month")):
        start = _months_before(today, n) + timedelta(days=1)
        return Period(start, today, "range")
    return last_days(today, n)


def _month_or_year(words: str, today: date) -> Period | None:
    """ "2026-11", "11/2026", "novembre 2026", "novembre" (the latest one), "2026"."""
    m = ISO_MONTH.match(words) or SLASH_MONTH.match(words)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        year, month = (a, b) if ISO_MONTH.match(words) else (b, a)
        return _month(year, month)
    tokens = [w for w in words.split() if w not in FILLER]
    if len(tokens) in (1, 2) and tokens[0] in ALL_MONTHS:
        month = ALL_MONTHS[tokens[0]]
        if len(tokens) == 2:
            if not YEAR.match(tokens[1]):
                return None
            return _month(int(tokens[1]), month)
        year = today.year if month <= today.month else today.year - 1
        return _month(year, month)
    if len(tokens) == 1 and YEAR.match(tokens[0]):
        year = int(tokens[0])
        return Period(date(year, 1, 1), date(year, 12, 31), "year")
    return None


def _month(year: int, month: int) -> Period | None:
    if not 1 <= month <= 12:
        return None
    return Period(
        date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month"
    )


def _since_or_range(words: str, today: date) -> Period | None:
    """ "depuis le 4 mars", "since 4 March", "du 1er au 15 novembre", "4/3 - 10/4"."""
    for word in SINCE:
        if words.startswith(word + " "):
            found = read_day(words[len(word) + 1 :], today, "past")
            if found is None or found[1] != len(words[len(word) + 1 :].split()):
                return None
            return Period(found[0], today, "since")
    parts = re.split(
        r"\s+(?:au|a|to|until|till|jusqu au|-)\s+",
        words.removeprefix("du ").removeprefix("from ").removeprefix("entre le "),
        maxsplit=1,
    )
    if len(parts) != 2:
        return None
    # The most recent range that has begun: this year's if its first day has come, else the
    # one before ("du 1er au 15 décembre" on 12 December is this month's, up to today). A start
    # with its own year takes the end that follows it most closely.
    found: list[Period] = []
    for direction in ("future", "past"):
        end = read_day(parts[1], today, direction)  # type: ignore[arg-type]
        if end is None or end[1] != len(parts[1].split()):
            return None
        start = _start_of_range(parts[0], end[0])
        if start is not None and start <= end[0] and start <= today:
            found.append(Period(start, end[0], "range"))
    return min(found, key=lambda p: p.days) if found else None


def _start_of_range(words: str, end: date) -> date | None:
    """The first day of "du 1er au 15 novembre": a bare day number borrows the end's month."""
    tokens = [w for w in words.split() if w not in FILLER and w not in WEEKDAYS]
    if len(tokens) == 1 and ORDINAL_DAY.match(tokens[0]):
        day = int(ORDINAL_DAY.match(tokens[0]).group(1))  # type: ignore[union-attr]
        try:
            return end.replace(day=day)
        except ValueError:
            return None
    found = read_day(words, end, "past")
    return found[0] if found is not None and found[1] == len(words.split()) else None


def read_day(text: str, today: date, direction: Direction) -> tuple[date, int] | None:
    """The date at the start of `text`, and how many of its words it took.

    "25/12 Noël" → (25 December, 1); "jeudi 26 novembre grève" → (26 November, 3). Without a
    year, the most recent such date (past) or the next one (future), today included.
    """
    tokens = normalise(text).split()
    i = 0
    while i < len(tokens) and tokens[i] in FILLER:
        i += 1
    if i >= len(tokens):
        return None
    two = " ".join(tokens[i : i + 2])
    if i + 1 < len(tokens) and two in RELATIVE:
        return today + timedelta(days=RELATIVE[two]), i + 2
    tok = tokens[i]
    if tok in RELATIVE:
        return today + timedelta(days=RELATIVE[tok]), i + 1
    m = ISO_DAY.match(tok)
    if m:
        got = _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return (got, i + 1) if got else None
    m = NUMERIC.match(tok)
    if m:
        year = _year(m.group(3))
        return _place(int(m.group(1)), int(m.group(2)), year, today, direction, i + 1)
    weekday = None
    if tok in WEEKDAYS:
        weekday = WEEKDAYS[tok]
        i += 1
        while i < len(tokens) and tokens[i] in FILLER:
            i += 1
        if i >= len(tokens) or not (ORDINAL_DAY.match(tokens[i]) or tokens[i] == "premier"):
            ahead = (weekday - today.weekday()) % 7
            step = ahead if direction == "future" else ahead - 7 if ahead else 0
            return today + timedelta(days=step), i
    day_word = tokens[i] if i < len(tokens) else ""
    m = ORDINAL_DAY.match(day_word) if day_word != "premier" else None
    if (m or day_word == "premier") and i + 1 < len(tokens) and tokens[i + 1] in ALL_MONTHS:
        day = int(m.group(1)) if m else 1
        month = ALL_MONTHS[tokens[i + 1]]
        used = i + 2
        year = None
        if used < len(tokens) and YEAR.match(tokens[used]):
            year, used = int(tokens[used]), used + 1
        return _place(day, month, year, today, direction, used)
    if day_word in ALL_MONTHS and weekday is None and i + 1 < len(tokens):
        m = ORDINAL_DAY.match(tokens[i + 1])  # English: "March 4th", "march 4 2026"
        if m:
            used = i + 2
            year = None
            if used < len(tokens) and YEAR.match(tokens[used]):
                year, used = int(tokens[used]), used + 1
            return _place(int(m.group(1)), ALL_MONTHS[day_word], year, today, direction, used)
    return None


def _year(raw: str | None) -> int | None:
    if raw is None:
        return None
    return 2000 + int(raw) if len(raw) == 2 else int(raw)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _place(
    day: int, month: int, year: int | None, today: date, direction: Direction, used: int
) -> tuple[date, int] | None:
    if year is not None:
        got = _safe(year, month, day)
        return (got, used) if got else None
    got = _safe(today.year, month, day)
    if direction == "past" and (got is None or got > today):
        got = _safe(today.year - 1, month, day)
    elif direction == "future" and (got is None or got < today):
        got = _safe(today.year + 1, month, day)
    return (got, used) if got else None


def _months_before(d: date, n: int) -> date:
    month = d.month - n
    year = d.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _same_day(d: date, year: int) -> date:
    return date(year, d.month, min(d.day, calendar.monthrange(year, d.month)[1]))
