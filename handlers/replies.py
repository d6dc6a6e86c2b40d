"""Building replies from the catalogue, and reading which offered choice an answer picks.

An answer can arrive as a pressed button (Telegram), a number ("1", "2" on SMS), or words
("ajouter", "oui", "remplacer"); all three lead to the same choice value.
"""

from __future__ import annotations

from collections.abc import Sequence

from handlers.nlu import read_yes_no
from handlers.nlu.normalise import fold
from handlers.nlu.vocabulary import CHOICE_SYNONYMS
from handlers.texts import t
from handlers.types import Choice, Inbound, Reply


def say(lang: str, key: str, /, *, choices: Sequence[Choice] = (), **params: object) -> Reply:
    return Reply(text=t(lang, key, **params), lang=lang, choices=tuple(choices))


def choice(lang: str, value: str) -> Choice:
    return Choice(value=value, label=t(lang, f"choice.{value}"))


def choices(lang: str, *values: str) -> tuple[Choice, ...]:
    return tuple(choice(lang, v) for v in values)


def pick(msg: Inbound, values: Sequence[str], lang: str) -> str | None:
    """Which of the offered `values` this answer chooses, or None."""
    if msg.choice in values:
        return msg.choice
    text = fold(msg.text)
    if not text:
        return None
    if text.isdigit():
        i = int(text)
        return values[i - 1] if 1 <= i <= len(values) else None
    for value in values:
        if text == fold(t(lang, f"choice.{value}")) or text == value:
            return value
    if set(values) >= {"yes", "no"}:
        yes = read_yes_no(msg.text, lang)
        if yes is not None:
            return "yes" if yes else "no"
    words = f" {text} "
    for value in values:
        if any(f" {fold(w)} " in words for w in CHOICE_SYNONYMS.get(value, ())):
            return value
    return None
