"""Dates: the calendar rules of the contract, and words that only look like dates."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.nlu import parse
from handlers.nlu.dates import Day, resolve

TUE = date(2026, 11, 24)


def when(text: str, today: date = TUE) -> str | None:
    return parse(text, today, "fr").to_json()["date"]


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("2 baguettes mardi", TUE, "2026-12-01"),  # a Tuesday said on a Tuesday is next week's
        ("2 baguettes ce mardi", TUE, "2026-11-24"),
        ("2 baguettes lundi prochain", TUE, "2026-11-30"),
        ("2 baguettes le 28", TUE, "2026-11-28"),
        ("2 baguettes le 24", TUE, "2026-11-24"),
        ("2 baguettes le 20", TUE, "2026-12-20"),  # a day gone by this month: next month's
        ("2 pains le 2", date(2026, 12, 30), "2027-01-02"),
        ("une baguette le 5 janvier", date(2026, 12, 30), "2027-01-05"),
        ("une baguette demain", date(2026, 12, 31), "2027-01-01"),
        ("une baguette demain", date(2028, 2, 28), "2028-02-29"),
        ("une baguette le 29", date(2028, 2, 28), "2028-02-29"),
        ("une baguette dans 3 jours", TUE, "2026-11-27"),
        ("une baguette lundi en huit", TUE, "2026-12-07"),
        ("une baguette le 1er décembre", TUE, "2026-12-01"),
        ("une baguette le 27/11", TUE, "2026-11-27"),
        ("une baguette pour Noël", TUE, "2026-12-25"),
        ("a loaf on the 28th", TUE, "2026-11-28"),
        ("a loaf on december 3rd", TUE, "2026-12-03"),
        ("a loaf the day after tomorrow", TUE, "2026-11-26"),
    ],
)
def test_delivery_day(text: str, today: date, expected: str) -> None:
    assert when(text, today) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("une baguette le 23/11", "past_date"),
        ("une baguette hier", "past_date"),
        ("une baguette le 31", "impossible_date"),  # November has no 31st
        ("une baguette le 30/02", "impossible_date"),
        ("2 baguettes jeudi 27", "weekday_mismatch"),  # the 27th is a Friday
        ("2 baguettes demain ou jeudi", "two_dates"),
        ("2 baguettes la semaine prochaine", "vague_date"),
        ("2 baguettes ce week-end", "vague_date"),
    ],
)
def test_dates_that_need_a_question(text: str, reason: str) -> None:
    p = parse(text, TUE, "fr")
    assert p.clarify and p.reason == reason and p.question


def test_next_weekday_that_is_tomorrow_is_asked() -> None:
    p = parse("une baguette mardi prochain", date(2026, 11, 30), "fr")  # a Monday
    assert p.clarify and p.reason == "vague_date"


@pytest.mark.parametrize(
    "text",
    [
        "je voudrais 2 baguettes",  # "je" is not jeudi
        "ma commande de pain : 2 baguettes",  # "ma" is not mardi
        "mon mari voudrait 2 baguettes",  # "mari" is not mardi, "mon" is not Monday
        "j'ai 87 ans, 2 baguettes",  # an age is not a date
        "2 baguettes, ça marche ?",  # "marche" is not March
        "may I have 2 loaves",  # "may" is not May
        "2 baguettes svp, sam",  # a name, not samedi
    ],
)
def test_ordinary_words_are_not_dates(text: str) -> None:
    got = parse(text, TUE).to_json()
    assert got["date"] is None and got["items"] == {"bread": 2}, got


def test_resolve_directly() -> None:
    assert resolve(Day("wd", weekday=1), TUE).date == date(2026, 12, 1)
    assert resolve(Day("abs", day=2), date(2026, 12, 30)).date == date(2027, 1, 2)
    assert resolve(Day("abs", day=23, month=11), TUE).problem == "past"
    assert resolve(Day("abs", day=5, month=1), date(2026, 12, 30)).date == date(2027, 1, 5)
    end = resolve(Day("abs", day=3), TUE, after=date(2026, 11, 28))
    assert end.date == date(2026, 12, 3)


@pytest.mark.parametrize(
    ("text", "start", "until"),
    [
        ("je pars chez ma fille du 1er au 8 décembre", "2026-12-01", "2026-12-08"),
        ("pas de livraison du 28 au 3", "2026-11-28", "2026-12-03"),
        ("absente de jeudi à dimanche", "2026-11-26", "2026-11-29"),
        ("pas de livraison jusqu'au 10 décembre", None, "2026-12-10"),
        ("je rentre le 8 décembre, pas de livraison d'ici là", None, "2026-12-07"),
        ("away from december 20 to january 3", "2026-12-20", "2027-01-03"),
    ],
)
def test_pause_periods(text: str, start: str | None, until: str) -> None:
    got = parse(text, TUE).to_json()
    assert (got["intent"], got["date"], got["until"]) == ("pause", start, until), got


@pytest.mark.parametrize(
    ("text", "weekdays"),
    [
        ("pain tous les mardis et vendredis", ["tue", "fri"]),
        ("une baguette du lundi au vendredi", ["mon", "tue", "wed", "thu", "fri"]),
        ("du pain tous les jours", ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
        (
            "une baguette tous les jours sauf le dimanche",
            ["mon", "tue", "wed", "thu", "fri", "sat"],
        ),
        ("bread every monday", ["mon"]),
        ("une baguette le mardi et le jeudi", ["tue", "thu"]),
        ("du pain le week-end", ["sat", "sun"]),
    ],
)
def test_standing_weekdays(text: str, weekdays: list[str]) -> None:
    got = parse(text, TUE).to_json()
    assert (got["intent"], got["weekdays"]) == ("standing_order", weekdays), got
