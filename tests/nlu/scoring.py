"""The parser's scoring rule, as in ../shared/score_nlu.py, for the tests and bench/nlu.py.

Only the keys present in `expect` are compared; when `expect.clarify` is true only intent and
clarify are; items with quantity 0 are dropped and weekdays sorted. A "wrong action" is an output
the conversation would act on (an actionable intent without clarify) that is not the expected one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
SHARED = HERE / "shared_examples.jsonl"
CORPUS = HERE / "corpus.jsonl"
HOLDOUT = HERE / "holdout.jsonl"
# The ten intents of DESIGN.md's parser contract, written out here (not imported from the
# parser) so a test compares the parser with the contract, not with itself.
CONTRACT_INTENTS = frozenset(
    {"order", "standing_order", "cancel", "pause", "list", "visit", "help", "stop", "smalltalk"}
    | {"other"}
)
ACTIONS = frozenset({"order", "standing_order", "cancel", "pause", "stop"})


def load(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _norm(key: str, value: Any) -> Any:
    if key == "weekdays":
        return sorted(value or [])
    if key == "items":
        return {k: v for k, v in (value or {}).items() if v}
    return value


def matches(expect: dict[str, Any], got: dict[str, Any]) -> bool:
    keys = list(expect) if expect.get("clarify") is not True else ["intent", "clarify"]
    return all(_norm(k, got.get(k)) == _norm(k, expect[k]) for k in keys)


def acting(got: dict[str, Any]) -> bool:
    return got.get("intent") in ACTIONS and not got.get("clarify")


@dataclass(frozen=True)
class Score:
    n: int
    accuracy: float
    wrong_action: float
    misses: tuple[tuple[dict[str, Any], dict[str, Any]], ...]


def score(cases: list[dict[str, Any]]) -> Score:
    """Parse every case in-process and score it."""
    from handlers.nlu import parse

    ok = wrong = 0
    misses = []
    for case in cases:
        got = parse(case["text"], date.fromisoformat(case["today"]), case.get("lang")).to_json()
        if matches(case["expect"], got):
            ok += 1
        else:
            wrong += acting(got)
            misses.append((case, got))
    n = len(cases)
    return Score(n, ok / n, wrong / n, tuple(misses))
