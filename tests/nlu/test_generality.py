"""Families of phrasing, not sentences: each test holds a rule the corpus shows many times over.

Refusals inside an order, alternatives, habits named by weekday, questions about what is booked,
items talked about but not asked for, festive greetings, pauses and messages that are not ours.
"""

from __future__ import annotations

from datetime import date

import pytest

from handlers.nlu import parse, read_date

WED = date(2027, 3, 10)


@pytest.mark.parametrize(
    "text",
    [
        "sans eau cette fois, 2 baguettes vendredi",
        "No water thanks, only 2 loaves on Friday",
        "vendredi 2 baguettes, l'eau c'est pas la peine",
        "2 loaves on Friday, I've still got water",
    ],
)
def test_an_item_refused_beside_another_asked_for(text: str) -> None:
    got = parse(text, WED).to_json()
    assert (got["intent"], got["items"], got["date"], got["clarify"]) == (
        "order",
        {"bread": 2},
        "2027-03-12",
        False,
    ), got


@pytest.mark.parametrize(
    "text",
    [
        "pas besoin d'eau vendredi finalement",
        "I won't be needing water on Friday",
        "plus la peine de m'apporter de l'eau vendredi",
        "ps besoin d'eau vendredi",
    ],
)
def test_not_needed_is_a_cancel(text: str) -> None:
    got = parse(text, WED).to_json()
    assert (got["intent"], got["date"], got["clarify"]) == ("cancel", "2027-03-12", False), got


@pytest.mark.parametrize(
    "text",
    [
        "2 ou 3 baguettes vendredi",
        "deux-trois baguettes vendredi",
        "about 3 loaves on Friday",
        "2 baguettes, peut-être 3, vendredi",
        "une baguette ou un pack d'eau vendredi",
        "une baguette jeudi ou vendredi",
        "one loaf tomorrow or the next day",
        "plusieurs baguettes vendredi",
        "une baguette de moins vendredi",
    ],
)
def test_a_guess_is_a_question(text: str) -> None:
    p = parse(text, WED)
    assert p.intent == "order" and p.clarify and p.question and "{" not in p.question, p


def test_two_days_offered_are_both_named() -> None:
    p = parse("une baguette jeudi ou vendredi", WED)
    assert p.reason == "two_dates"
    assert "jeudi 11 mars" in (p.question or "") and "vendredi 12 mars" in (p.question or "")
    assert read_date("jeudi ou vendredi", WED) is None


@pytest.mark.parametrize(
    ("text", "today"),
    [
        ("un pack d'eau le 29 février", date(2027, 2, 20)),
        ("je serai absente du 1er au 5 mars", WED),
        ("je pars le 20 ou le 21, retour le 30", WED),
        ("pas de livraison pendant les vacances de Pâques", WED),
    ],
)
def test_impossible_past_or_vague_dates_ask(text: str, today: date) -> None:
    p = parse(text, today)
    assert p.clarify and p.question and "{" not in p.question, p


def test_leap_day_and_month_of_a_range() -> None:
    assert parse("un pack d'eau le 29 février", date(2027, 12, 1)).date == date(2028, 2, 29)
    p = parse("absente du 28 au 3 avril", WED)
    assert (p.intent, p.date, p.until) == ("pause", date(2027, 3, 28), date(2027, 4, 3))


@pytest.mark.parametrize(
    ("text", "weekdays"),
    [
        ("annulez mes livraisons du mercredi", ("wed",)),
        ("plus besoin de l'eau du lundi ni celle du jeudi", ("mon", "thu")),
        ("stop the Friday loaves", ("fri",)),
        ("no more Saturday bread please", ("sat",)),
    ],
)
def test_cancelling_a_weekday_habit(text: str, weekdays: tuple[str, ...]) -> None:
    p = parse(text, WED)
    assert (p.intent, p.weekdays, p.date, p.clarify) == ("cancel", weekdays, None, False), p


def test_every_morning_from_monday_to_saturday() -> None:
    p = parse("une baguette chaque matin du lundi au samedi", WED)
    assert p.weekdays == ("mon", "tue", "wed", "thu", "fri", "sat")
    assert parse("2 loaves every day Mon-Fri", WED).weekdays == ("mon", "tue", "wed", "thu", "fri")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("vous m'apportez quoi vendredi ?", "list"),
        ("combien de packs d'eau j'ai commandé pour lundi ?", "list"),
        ("is my Monday bread still coming?", "list"),
        ("remind me what I ordered", "list"),
        ("qu'est-ce que je peux commander ?", "help"),
        ("what are the keywords?", "help"),
        ("how do I stop the texts?", "help"),
        ("j'ai reçu 2 packs mais j'en avais commandé un seul", "other"),
        ("where is my bread? still nothing", "other"),
        ("le pack est trop lourd, montez-le jusqu'à la cuisine la prochaine fois", "other"),
        ("thank you ever so much for the bread and water this week", "smalltalk"),
        ("j'ai 92 ans aujourd'hui !", "smalltalk"),
        ("quelqu'un pourrait venir boire un café avec moi ?", "visit"),
        ("je déménage à la fin du mois", "other"),
        ("Votre colis est en attente, payez les frais sur http://example.com/x", "other"),
        ("ma voisine aimerait aussi du pain", "other"),
    ],
)
def test_what_is_not_an_order(text: str, intent: str) -> None:
    p = parse(text, WED)
    assert p.intent == intent and not (p.intent == "order" and not p.clarify), p


@pytest.mark.parametrize(
    ("text", "today", "day"),
    [
        ("Joyeux Noël ! 1 baguette pour le 27", date(2026, 12, 24), date(2026, 12, 27)),
        ("Clocks change tonight! one loaf for Friday", WED, date(2027, 3, 12)),
        ("j'ai 90 ans aujourd'hui, 2 baguettes demain", WED, date(2027, 3, 11)),
    ],
)
def test_greetings_and_asides_are_no_dates(text: str, today: date, day: date) -> None:
    p = parse(text, today)
    assert (p.intent, p.date, p.clarify) == ("order", day, False), p


def test_holding_with_a_span_is_a_pause() -> None:
    p = parse("please hold my bread and water from the 20th to the 3rd", WED)
    assert (p.intent, p.date, p.until) == ("pause", date(2027, 3, 20), date(2027, 4, 3))
    p = parse("no deliveries until I get back on the 20th", WED)
    assert (p.intent, p.date, p.until) == ("pause", None, date(2027, 3, 19))


def test_missing_at_home_names_the_item() -> None:
    for text, key in (("je n'ai plus de pain", "bread"), ("I've run out of water", "water")):
        p = parse(text, WED)
        assert (p.intent, p.reason, p.mentioned) == ("order", "order_unsure", (key,)), p


def test_an_order_asked_as_a_question_is_confirmed() -> None:
    p = parse("du pain jeudi ?", WED)
    assert p.intent == "order" and p.reason == "order_unsure" and p.mentioned == ("bread",)
    assert not parse("pouvez-vous m'apporter du pain jeudi ?", WED).clarify


def test_a_unit_talked_about_beside_packs_asked_for() -> None:
    got = parse("les bouteilles c'est trop lourd, 2 packs d'eau vendredi", WED).to_json()
    assert (got["items"], got["clarify"]) == ({"water": 2}, False)
    assert parse("2 bouteilles d'eau vendredi", WED).reason == "unknown_unit"
