"""The helpers that read an answer to a pending question."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.nlu import read_date, read_quantity, read_weekdays, read_yes_no

TUE = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", 3),
        ("trois", 3),
        ("deux baguettes", 2),
        ("juste une", 1),
        ("one", 1),
        ("2 svp", 2),
        ("aucune", 0),
        ("2 ou 3", None),
        ("je ne sais pas", None),
        ("au 3e étage", None),
        ("", None),
    ],
)
def test_read_quantity(text: str, expected: int | None) -> None:
    assert read_quantity(text, "fr") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jeudi", date(2026, 11, 26)),
        ("demain", date(2026, 11, 25)),
        ("le 28", date(2026, 11, 28)),
        ("le jeudi", date(2026, 11, 26)),
        ("27/11", date(2026, 11, 27)),
        ("tomorrow", date(2026, 11, 25)),
        ("jeudi ou vendredi", None),
        ("hier", None),
        ("la semaine prochaine", None),
        ("je sais pas", None),
    ],
)
def test_read_date(text: str, expected: date | None) -> None:
    assert read_date(text, TUE, "fr") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lundi et jeudi", ("mon", "thu")),
        ("le mardi", ("tue",)),
        ("du lundi au vendredi", ("mon", "tue", "wed", "thu", "fri")),
        ("tous les jours sauf le dimanche", ("mon", "tue", "wed", "thu", "fri", "sat")),
        ("every monday and friday", ("mon", "fri")),
        ("le week-end", ("sat", "sun")),
        ("je ne sais pas", ()),
        ("demain", ()),
    ],
)
def test_read_weekdays(text: str, expected: tuple[str, ...]) -> None:
    assert read_weekdays(text, "fr") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oui", True),
        ("OUI merci", True),
        ("ok", True),
        ("d'accord", True),
        ("yes please", True),
        ("👍", True),
        ("bien sûr", True),
        ("non", False),
        ("non merci", False),
        ("pas du tout", False),
        ("no", False),
        ("nope", False),
        ("non, c'est bon", False),
        ("je ne sais pas", None),
        ("je ne veux pas", False),
        ("peut-être", None),
        ("", None),
    ],
)
def test_read_yes_no(text: str, expected: bool | None) -> None:
    assert read_yes_no(text, "fr") is expected
