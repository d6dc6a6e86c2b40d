"""Number words, ordinals and multipliers; folding and shorthand."""

from __future__ import annotations

import pytest

from handlers.nlu.normalise import tokens
from handlers.nlu.numbers import cardinal, day_ordinal, floor_ordinal, merge_words, multiplier


@pytest.mark.parametrize(
    ("words", "digits"),
    [
        ("deux baguettes", ("2", "baguettes")),
        ("trois", ("3",)),
        ("two loaves", ("2", "loaves")),
        ("vingt et un", ("21",)),
        ("vingt huit", ("28",)),
        ("dix sept", ("17",)),
        ("twenty eight", ("28",)),
        ("le premier decembre", ("le", "1er", "decembre")),
        ("the twenty first", ("the", "21th")),
        ("troisieme etage", ("3e", "etage")),
        ("deus baguettes", ("2", "baguettes")),
        ("le 5 sept", ("le", "5", "sept")),
        ("une baguette", ("une", "baguette")),
    ],
)
def test_number_words_become_digits(words: str, digits: tuple[str, ...]) -> None:
    assert merge_words(tuple(words.split())) == digits


def test_number_shapes() -> None:
    assert cardinal("12") == 12 and cardinal("1,5") is None and cardinal("27/11") is None
    assert day_ordinal("1er") == 1 and day_ordinal("28th") == 28 and day_ordinal("3e") is None
    assert floor_ordinal("3e") == 3 and floor_ordinal("4eme") == 4 and floor_ordinal("1er") is None
    assert multiplier("x3") == 3 and multiplier("2x") == 2 and multiplier("x") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Après-demain", ("apres", "demain")),
        ("J’AI", ("j", "ai")),
        ("aujourd'hui", ("aujourdhui",)),
        ("3pains", ("3", "pains")),
        ("2main", ("demain",)),
        ("merciiiii", ("mercii",)),
        ("n°12", ("numero", "12")),
        ("le 27/11", ("le", "27/11")),
        ("8h30", ("8h30",)),
        ("bjr stp", ("bonjour", "stp")),
        ("tmrw pls", ("tomorrow", "please")),
        ("🥖🥖🥖", ("3", "baguettes")),
        ("1 pak deau", ("1", "pak", "d", "eau")),
    ],
)
def test_folding(text: str, expected: tuple[str, ...]) -> None:
    assert tokens(text).tokens == expected


def test_symbols_are_noticed() -> None:
    folded = tokens("😊😊")
    assert folded.tokens == () and folded.had_symbols
