"""The speller: slips of the thumb come back, real words stay what they are."""

from __future__ import annotations

import pytest

from handlers.nlu.lexicon import Lexicon

SPELLER = Lexicon.default().speller


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("bagguette", "baguette"),
        ("baquette", "baguette"),
        ("bouteiles", "bouteilles"),
        ("vendredie", "vendredi"),
        ("mercredie", "mercredi"),
        ("tommorow", "tomorrow"),
        ("annuller", "annuler"),
        ("comande", "commande"),
        ("mercii", "merci"),
        ("ouii", "oui"),
        ("croissnat", "croissant"),
    ],
)
def test_slips_are_corrected(typed: str, meant: str) -> None:
    assert SPELLER.correct(typed) == meant


@pytest.mark.parametrize(
    "word",
    [
        "mari",
        "comment",
        "appelez",
        "marche",
        "break",
        "waiter",
        "demande",
        "braguette",
        "martin",
        "stoop",
        "croisant",
    ],
)
def test_real_words_are_left_alone(word: str) -> None:
    assert SPELLER.correct(word) == word
