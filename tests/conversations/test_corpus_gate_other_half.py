"""The other half of the corpus gate (see `test_corpus_gate.py`)."""

from __future__ import annotations

from tests.conversations.scenarios import corpus_gate


def test_the_other_half_of_the_corpus_delivers_nothing_unasked_and_mostly_right(config) -> None:
    corpus_gate(config, part=1)
