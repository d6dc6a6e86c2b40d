"""The parser against labelled messages: the shared examples one by one, our corpus in bulk.

The held-out set (holdout.jsonl) is only checked for shape here: it measures generalisation
(bench/nlu.py prints its figures) and the parser is not tuned on it.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from handlers.nlu import parse
from tests.nlu.scoring import CONTRACT_INTENTS, CORPUS, HOLDOUT, SHARED, load, matches, score

CONTRACT_KEYS = {"intent", "items", "date", "until", "weekdays", "clarify", "question"}


@pytest.mark.parametrize("case", load(SHARED), ids=lambda c: c["text"][:40])
def test_shared_example(case: dict) -> None:
    got = parse(case["text"], date.fromisoformat(case["today"]), case["lang"]).to_json()
    assert matches(case["expect"], got), json.dumps(got, ensure_ascii=False)


def test_corpus_accuracy_and_wrong_actions() -> None:
    cases = load(CORPUS)
    assert len(cases) >= 320
    result = score(cases)
    report = "\n".join(f"{c['text']!r} want {c['expect']} got {g}" for c, g in result.misses[:20])
    assert result.accuracy >= 0.97, report
    assert result.wrong_action <= 0.005, report


def test_corpus_covers_both_languages_and_every_intent() -> None:
    cases = load(CORPUS)
    french = sum(c["lang"] == "fr" for c in cases) / len(cases)
    assert 0.6 <= french <= 0.8
    intents = {c["expect"]["intent"] for c in cases}
    assert intents == CONTRACT_INTENTS


def test_holdout_is_well_formed_and_parses() -> None:
    cases = load(HOLDOUT)
    assert len(cases) >= 150
    for case in cases:
        got = parse(case["text"], date.fromisoformat(case["today"]), case["lang"]).to_json()
        assert set(got) == CONTRACT_KEYS
        assert "intent" in case["expect"] and "clarify" in case["expect"]
