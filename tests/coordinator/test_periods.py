"""Periods and dates as coordinators write them, read against a fixed today."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.periods import Period, PeriodError, read_day, read_period

TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("semaine", date(2026, 11, 18), TODAY, "days"),
        ("7 jours", date(2026, 11, 18), TODAY, "days"),
        ("week", date(2026, 11, 18), TODAY, "days"),
        ("mois", date(2026, 10, 26), TODAY, "days"),
        ("cette semaine", date(2026, 11, 23), TODAY, "week"),
        ("la semaine dernière", date(2026, 11, 16), date(2026, 11, 22), "week"),
        ("last week", date(2026, 11, 16), date(2026, 11, 22), "week"),
        ("ce mois-ci", date(2026, 11, 1), TODAY, "month"),
        ("le mois dernier", date(2026, 10, 1), date(2026, 10, 31), "month"),
        ("last month", date(2026, 10, 1), date(2026, 10, 31), "month"),
        ("2026-11", date(2026, 11, 1), TODAY, "month"),
        ("2026-10", date(2026, 10, 1), date(2026, 10, 31), "month"),
        ("10/2026", date(2026, 10, 1), date(2026, 10, 31), "month"),
        ("novembre 2025", date(2025, 11, 1), date(2025, 11, 30), "month"),
        ("décembre", date(2025, 12, 1), date(2025, 12, 31), "month"),
        ("février 2024", date(2024, 2, 1), date(2024, 2, 29), "month"),
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "year"),
        ("cette année", date(2026, 1, 1), TODAY, "year"),
        ("depuis le 4 mars", date(2026, 3, 4), TODAY, "since"),
        ("depuis le mercredi 4 mars", date(2026, 3, 4), TODAY, "since"),
        ("since 4 March", date(2026, 3, 4), TODAY, "since"),
        ("depuis le 28 décembre", date(2025, 12, 28), TODAY, "since"),
        ("depuis le 04/03", date(2026, 3, 4), TODAY, "since"),
        ("à partir du 2026-03-04", date(2026, 3, 4), TODAY, "since"),
        ("du 1er au 15 novembre", date(2026, 11, 1), date(2026, 11, 15), "range"),
        ("du 20 décembre 2025 au 5 janvier", date(2025, 12, 20), date(2026, 1, 5), "range"),
        ("du 28/10 au 3/11", date(2026, 10, 28), date(2026, 11, 3), "range"),
        ("3 semaines", date(2026, 11, 4), TODAY, "days"),
        ("10 jours", date(2026, 11, 15), TODAY, "days"),
    ],
)
def test_periods_in_words_and_dates(text: str, start: date, end: date, kind: str) -> None:
    assert read_period(text, TODAY) == Period(start, end, kind)  # type: ignore[arg-type]


def test_nothing_said_is_the_default() -> None:
    assert read_period("", TODAY) is None
    assert read_period("   ", TODAY) is None


def test_everything_is_resolved_by_the_caller() -> None:
    assert read_period("tout", TODAY).kind == "all"  # type: ignore[union-attr]
    assert read_period("depuis le début", TODAY).kind == "all"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text", ["bientôt", "2027", "2027-01", "depuis jeudi prochain xyz", "du 15 au 1er novembre"]
)
def test_unknown_or_future_periods_are_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        read_period(text, TODAY)


def test_previous_period_for_comparison() -> None:
    seven = read_period("semaine", TODAY)
    assert seven is not None and seven.previous() == Period(
        date(2026, 11, 11), date(2026, 11, 17), "range"
    )
    # a month so far is compared with the same days of the month before
    november = read_period("2026-11", TODAY)
    assert november is not None and november.previous() == Period(
        date(2026, 10, 1), date(2026, 10, 24), "month"
    )
    # across a year end
    january = read_period("2026-01", TODAY)
    assert january is not None and january.previous() == Period(
        date(2025, 12, 1), date(2025, 12, 31), "month"
    )
    march = read_period("mars", TODAY)
    assert march is not None and march.previous() == Period(
        date(2026, 2, 1), date(2026, 2, 28), "month"
    )
    leap = Period(date(2024, 1, 1), date(2024, 12, 31), "year")
    assert leap.previous() == Period(date(2023, 1, 1), date(2023, 12, 31), "year")


def test_labels_spell_dates_out() -> None:
    seven = read_period("semaine", TODAY)
    assert seven is not None
    assert (
        seven.label("fr") == "les 7 derniers jours (du mercredi 18 novembre au mardi 24 novembre)"
    )
    assert seven.label("en") == "the last 7 days (Wednesday 18 November to Tuesday 24 November)"
    since = read_period("depuis le 4 mars", TODAY)
    assert since is not None and since.label("fr") == "depuis le mercredi 4 mars 2026"
    month = read_period("2026-10", TODAY)
    assert month is not None and month.label("fr") == "octobre 2026"
    assert month.label("en") == "October 2026"


@pytest.mark.parametrize(
    ("text", "direction", "day", "used"),
    [
        ("25/12 Noël", "future", date(2026, 12, 25), 1),
        ("jeudi 26 novembre grève reporter", "future", date(2026, 11, 26), 3),
        ("jeudi grève", "future", date(2026, 11, 26), 1),
        ("demain", "future", date(2026, 11, 25), 1),
        ("après-demain tempête", "future", date(2026, 11, 26), 2),
        ("le 1er janvier jour de l'an", "future", date(2027, 1, 1), 3),
        ("4 mars", "future", date(2027, 3, 4), 2),
        ("4 mars", "past", date(2026, 3, 4), 2),
        ("mardi", "past", TODAY, 1),
        ("lundi", "past", date(2026, 11, 23), 1),
        ("2026-12-24 veille", "future", date(2026, 12, 24), 1),
        ("December 24th", "future", date(2026, 12, 24), 2),
        ("31/02", "future", None, 0),
        ("grève", "future", None, 0),
    ],
)
def test_read_day(text: str, direction: str, day: date | None, used: int) -> None:
    got = read_day(text, TODAY, direction)  # type: ignore[arg-type]
    assert (got[0], got[1]) == (day, used) if day else got is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("le 8 novembre", date(2026, 11, 8)),
        ("8 novembre", date(2026, 11, 8)),
        ("2026-11-08", date(2026, 11, 8)),
        ("08/11", date(2026, 11, 8)),
        ("hier", date(2026, 11, 23)),
        ("yesterday", date(2026, 11, 23)),
        ("avant-hier", date(2026, 11, 22)),
        ("aujourd'hui", TODAY),
        ("lundi", date(2026, 11, 23)),
        ("le 25 décembre", date(2025, 12, 25)),  # the last one that has come
        ("December 8th", date(2025, 12, 8)),
    ],
)
def test_a_single_day_is_a_period(text: str, day: date) -> None:
    assert read_period(text, TODAY) == Period(day, day, "day")


def test_a_single_day_in_the_future_is_refused() -> None:
    for text in ("demain", "2026-11-30"):
        with pytest.raises(PeriodError):
            read_period(text, TODAY)


def test_a_range_without_a_year_is_the_latest_that_has_begun() -> None:
    twelfth = date(2026, 12, 12)
    # this December's, up to today; not December 2025's
    assert read_period("du 1er au 15 décembre", twelfth) == Period(
        date(2026, 12, 1), twelfth, "range"
    )
    # a range not begun yet this year is last year's
    assert read_period("du 20 au 31 décembre", twelfth) == Period(
        date(2025, 12, 20), date(2025, 12, 31), "range"
    )
    # across the new year, said on 2 January
    assert read_period("du 20 décembre au 5 janvier", date(2027, 1, 2)) == Period(
        date(2026, 12, 20), date(2027, 1, 2), "range"
    )


def test_a_day_or_a_range_of_another_year_says_its_year() -> None:
    twelfth = date(2026, 12, 12)
    this = read_period("du 1er au 15 décembre", twelfth)
    assert this is not None
    assert this.label("fr") == "du mardi 1er décembre au samedi 12 décembre"
    last = read_period("du 20 au 31 décembre", twelfth)
    assert last is not None
    assert last.label("fr") == "du samedi 20 décembre 2025 au mercredi 31 décembre 2025"
    assert last.label("en") == "Saturday 20 December 2025 to Wednesday 31 December 2025"
    day = read_period("le 8 décembre", twelfth)
    assert day is not None and day.label("fr") == "le mardi 8 décembre"
    assert day.label("en") == "Tuesday 8 December"
    old = read_period("2025-12-08", twelfth)
    assert old is not None and old.label("fr") == "le lundi 8 décembre 2025"
    # a day is compared with the same weekday the week before
    assert day.previous() == Period(date(2026, 12, 1), date(2026, 12, 1), "day")
