"""The whole conversation corpus as a gate: a change that makes deliveries nobody asked for fails
here. It is the longest test of the suite, so the corpus is cut in two files (this one and
`test_corpus_gate_other_half.py`) that the two test workers run side by side."""

from __future__ import annotations

from tests.conversations.scenarios import corpus_gate


def test_the_whole_corpus_delivers_nothing_unasked_and_mostly_exactly_right(config) -> None:
    corpus_gate(config, part=0)
