"""The shape of the result, the questions' language and source, the lexicon, purity."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.nlu import Lexicon, Parse, parse
from handlers.nlu.message import word_set
from handlers.nlu.parser import parse_strict
from handlers.nlu.questions import has, question
from handlers.nlu.result import INTENTS, REASONS
from tests.nlu.scoring import CONTRACT_INTENTS

TUE = date(2026, 11, 24)
CONTRACT_KEYS = ["intent", "items", "date", "until", "weekdays", "clarify", "question"]


def test_to_json_has_exactly_the_contract_keys() -> None:
    got = parse("2 baguettes demain", TUE).to_json()
    assert list(got) == CONTRACT_KEYS
    assert got == {
        "intent": "order",
        "items": {"bread": 2},
        "date": "2026-11-25",
        "until": None,
        "weekdays": [],
        "clarify": False,
        "question": None,
    }


def test_parse_is_frozen_and_carries_language_and_reason() -> None:
    p = parse("des baguettes demain", TUE)
    assert isinstance(p, Parse) and p.lang == "fr" and p.reason == "quantity_missing"
    with pytest.raises(AttributeError):
        p.intent = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "lang", "expected_lang", "question_start"),
    [
        ("des baguettes demain", None, "fr", "Combien de baguettes"),
        ("some loaves tomorrow", None, "en", "How many loaves"),
        ("des baguettes demain", "en", "en", "How many loaves"),
        ("20 baguettes demain", "fr", "fr", "Le maximum est de 6 baguettes par livraison"),
        ("une baguette le 23/11", "fr", "fr", "Le lundi 23 novembre est déjà passé"),
        ("a loaf on 23/11", "en", "en", "Monday 23 November has already gone by"),
        ("2 baguettes jeudi 27", "fr", "fr", "Pour quel jour : jeudi 26 novembre ou vendredi 27"),
    ],
)
def test_questions_speak_the_message_language(
    text: str, lang: str | None, expected_lang: str, question_start: str
) -> None:
    p = parse(text, TUE, lang)
    assert p.lang == expected_lang and p.clarify
    assert p.question is not None and p.question.startswith(question_start), p.question


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("reason", sorted(REASONS))
def test_every_reason_has_a_short_question_in_the_catalogue(reason: str, lang: str) -> None:
    assert has(lang, f"nlu.{reason}")
    text = question(
        reason,
        lang,
        Lexicon.default(),
        TUE,
        item="water",
        date=date(2026, 11, 25),
        first=date(2026, 11, 26),
        second=date(2026, 11, 27),
    )
    assert text and "{" not in text and len(text) <= 160
    assert text.count("?") == 1  # one question at a time


GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("reason", sorted(REASONS))
def test_questions_stay_in_the_sms_alphabet(reason: str, lang: str) -> None:
    """A "ê" or a curly apostrophe would cut an SMS segment from 160 characters to 70."""
    text = question(
        reason,
        lang,
        Lexicon.default(),
        TUE,
        item="bread",
        date=date(2026, 11, 25),
        first=date(2026, 11, 26),
        second=date(2026, 11, 27),
    )
    assert set(text) <= GSM7, set(text) - GSM7


def test_language_detection_defaults_to_french() -> None:
    assert parse("2 loaves tomorrow please", TUE).lang == "en"
    assert parse("2 baguettes demain", TUE).lang == "fr"
    assert parse("ok", TUE).lang == "fr"
    assert parse("STOP", TUE).lang == "fr"


def test_intents_are_the_contract_ten() -> None:
    assert set(INTENTS) == CONTRACT_INTENTS


def test_lexicon_takes_a_site_s_own_words() -> None:
    lexicon = Lexicon.default().with_words("bread", "fr", "pistolet")
    got = parse("2 pistolets demain", TUE, "fr", lexicon=lexicon).to_json()
    assert got["items"] == {"bread": 2}
    assert parse("2 pistolets demain", TUE, "fr").to_json()["items"] == {}


def test_lexicon_from_a_site_configuration() -> None:
    lexicon = Lexicon.from_mapping(
        {
            "bread": {"max": 3, "fr": ["baguette"], "en": ["loaf"], "plural_en": ["loaves"]},
            "milk": {
                "max": 2,
                "fr": ["brique de lait"],
                "en": ["carton of milk"],
                "name_fr": "briques de lait",
                "name_en": "cartons of milk",
            },
            "other_products": ["croissant"],
        }
    )
    got = parse("2 briques de lait et 1 baguette demain", TUE, "fr", lexicon=lexicon)
    assert got.to_json()["items"] == {"milk": 2, "bread": 1}
    over = parse("4 baguettes demain", TUE, "fr", lexicon=lexicon)
    assert (
        over.clarify and over.reason == "over_limit" and "maximum est de 3" in (over.question or "")
    )
    asked = parse("des briques de lait", TUE, "fr", lexicon=lexicon)
    assert asked.question == "Combien de briques de lait voulez-vous ?"


def test_parser_is_deterministic() -> None:
    texts = ["2 baguettes demain", "des baguettes", "STOP", "je pars du 1er au 8 décembre"]
    assert [parse(t, TUE).to_json() for t in texts] == [parse(t, TUE).to_json() for t in texts]


def test_parser_imports_nothing_heavy() -> None:
    code = (
        "import sys, handlers.nlu as n, datetime; "
        "n.parse('des baguettes demain', datetime.date(2026, 11, 24)); "
        "heavy = ('telegram', 'twilio', 'sqlalchemy', 'dateparser'); "
        "bad = [m for m in heavy if m in sys.modules]; "
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


_WORDS = tuple(
    sorted(
        word_set(
            "2 deux une des 20 baguettes baguette pain eau pack packs d x3 bouteilles "
            "croissants demain jeudi lundi le la 28 1er 27/11 décembre du au jusqu'au à partir "
            "de tous les chaque sauf dimanche prochain semaine hier ce matin annule pas plus de "
            "je pars absente rentre ne veux voudrais svp merci ? stop cancel help aide visite "
            "ma commande every monday tomorrow loaves no until from bottles 3e étage 8h ans et "
            "ou"
        )
    )
)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12), st.sampled_from([None, "fr", "en"]))
def test_any_mix_of_meaningful_words_parses(words: list[str], lang: str | None) -> None:
    got = parse_strict(" ".join(words), TUE, lang).to_json()  # the raw parser: no safety net
    assert got["intent"] in INTENTS
    assert (got["question"] is not None) == got["clarify"]


@pytest.mark.parametrize(
    "text", ["2 baguettes jusqu'à jeudi", "2 baguettes je rentre le 8", "du pain du 1er au 8"]
)
def test_a_period_for_an_order_is_a_question(text: str) -> None:
    p = parse(text, TUE)
    assert p.intent == "order" and p.clarify and p.question


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.dates(min_value=date(2020, 1, 1), max_value=date(2099, 12, 31)))
def test_any_text_parses(text: str, today: date) -> None:
    got = parse(text, today).to_json()
    assert got["intent"] in INTENTS
    assert (got["question"] is not None) == got["clarify"]
