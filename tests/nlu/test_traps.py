"""Numbers that are not quantities, bread that is not ordered, words that are not opt-outs."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.nlu import parse

TUE = date(2026, 11, 24)


@pytest.mark.parametrize(
    "text",
    [
        "C'est Mme Pouli du 3e, 2 baguettes demain",
        "je suis au 4ème étage, 2 baguettes demain",
        "appartement 12, 2 baguettes demain",
        "appt 5 bat B : 2 baguettes demain",
        "j'ai 87 ans, 2 baguettes demain",
        "2 baguettes demain avant 9h",
        "2 baguettes demain vers 10 heures",
        "2 baguettes demain, mon numéro est 06 12 34 56 78",
        "au 12 rue des Lilas, 2 baguettes demain",
        "2 baguettes demain pour mes 3 petits-enfants",
        "I'm 82, 2 loaves tomorrow",
        "flat 14, 2 loaves tomorrow at 8",
        "2 baguettes demain au lieu de 3",
    ],
)
def test_other_numbers_are_not_quantities(text: str) -> None:
    got = parse(text, TUE).to_json()
    assert (got["intent"], got["items"], got["date"]) == ("order", {"bread": 2}, "2026-11-25"), got


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("j'ai bien reçu le pain, il était très bon", "smalltalk"),
        ("merci pour le pain", "smalltalk"),
        ("the bread was lovely, thanks", "smalltalk"),
        ("je n'ai pas reçu mon pain ce matin", "other"),
        ("le pain était tout mouillé", "other"),
        ("my bread did not come", "other"),
        ("est-ce que vous livrez de l'eau ?", "help"),
        ("combien de baguettes je peux commander ?", "help"),
        ("comment annuler ma commande ?", "help"),
        ("une baguette pas trop cuite demain", "order"),
        ("je ne veux pas de pain demain", "cancel"),
        ("pas de pain jeudi finalement", "cancel"),
        ("I have pain in my back", "other"),  # English "pain" is not bread
    ],
)
def test_bread_mentioned_is_not_always_ordered(text: str, intent: str) -> None:
    assert parse(text, TUE).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("STOP", "stop"),
        ("stop.", "stop"),
        ("CANCEL", "stop"),
        ("cancel!", "stop"),
        ("Arrêt", "stop"),
        ("ARRET", "stop"),
        ("unsubscribe", "stop"),
        ("stop sms", "stop"),
        ("je ne veux plus recevoir de messages", "stop"),
        ("START", "other"),
        ("unstop", "other"),
        ("cancel my order", "cancel"),
        ("annuler ma commande", "cancel"),
        ("cancel tomorrow", "cancel"),
        ("please cancel", "cancel"),
        ("stop le pain du vendredi", "cancel"),
    ],
)
def test_opt_out_words(text: str, intent: str) -> None:
    assert parse(text, TUE).intent == intent


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("des baguettes demain", "quantity_missing"),
        ("some loaves tomorrow", "quantity_missing"),
        ("20 baguettes demain", "over_limit"),
        ("5 packs d'eau demain", "over_limit"),
        ("3 bouteilles d'eau demain", "unknown_unit"),
        ("une demi baguette demain", "unknown_unit"),
        ("2 croissants demain", "unknown_item"),
        ("2 pour demain", "item_missing"),
        ("je pars en vacances", "until_missing"),
        ("un pack d'eau une fois par semaine", "weekdays_missing"),
        ("je n'ai plus de pain", "order_unsure"),
        # a correction whose new number could be either item's: which one changed?
        ("3 baguettes et 1 pack d'eau demain, non pardon, 2", "quantity_missing"),
        ("2 loaves and a pack of water tomorrow, sorry I mean 3", "quantity_missing"),
    ],
)
def test_questions_instead_of_guesses(text: str, reason: str) -> None:
    p = parse(text, TUE)
    assert p.clarify and p.reason == reason and p.question, p


def test_misspellings() -> None:
    for text in ("2 bagettes dmain", "2 baguete 2main", "deus baguettes demain", "2 loafs tomorow"):
        got = parse(text, TUE).to_json()
        assert (got["items"], got["date"]) == ({"bread": 2}, "2026-11-25"), (text, got)
    assert parse("1 pak d'eau vendredie", TUE).to_json()["date"] == "2026-11-27"
