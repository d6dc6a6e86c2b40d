"""The question put to the tenant when the parser will not guess.

The texts are the parser's own, in `questions.toml` beside this module (one table per
language), so the parser imports nothing outside its package; this module only fills the blanks:
item names, the catalogue's items as a list, dates spelled out by Babel ("jeudi 26 novembre").
Babel is imported here, lazily, so a message that needs no question never pays for it.
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from handlers.nlu.lexicon import Lexicon


@cache
def _texts(lang: str) -> dict[str, Any]:
    with open(Path(__file__).with_name("questions.toml"), "rb") as f:
        tables = tomllib.load(f)
    return tables.get(lang, tables["fr"])


def has(lang: str, key: str) -> bool:
    """Whether a question text exists ("nlu.until_missing", "nlu.item.bread")."""
    table: Any = _texts(lang)
    for part in key.removeprefix("nlu.").split("."):
        if not isinstance(table, dict) or part not in table:
            return False
        table = table[part]
    return isinstance(table, str)


def t(lang: str, key: str, /, **params: Any) -> str:
    table: Any = _texts(lang)
    for part in key.removeprefix("nlu.").split("."):
        table = table[part]
    return table.format(**params) if params else table


def question(reason: str, lang: str, lexicon: Lexicon, today: date, **facts: Any) -> str:
    """One short question for a clarify reason (see `result.REASONS`).

    `facts`: `item` (an item key), `date`, `first`, `second` (dates) when the reason uses them.
    """
    params: dict[str, Any] = {}
    if "item" in facts:
        key = facts["item"]
        params["item"] = item_name(lexicon, key, lang)
        params["limit"] = lexicon.item(key).limit
    if reason in ("unknown_unit", "unknown_item"):
        params["choices"] = _choices(lexicon, lang)
    for name in ("date", "first", "second"):
        if facts.get(name) is not None:
            params[name] = spell_date(facts[name], lang, today)
    key = f"nlu.{reason}"
    if reason == "unknown_unit" and "item" in params:
        key = "nlu.unknown_unit_item"  # "Nous ne livrons que des packs d'eau. Combien..."
    text = t(lang, key, **params)
    return text[:1].upper() + text[1:]


def item_name(lexicon: Lexicon, key: str, lang: str) -> str:
    """How a question names an item: the site's name, else the catalogue's, else its key."""
    name = lexicon.name(key, lang)
    if name:
        return name
    return t(lang, f"nlu.item.{key}") if has(lang, f"nlu.item.{key}") else key


def spell_date(d: date, lang: str, today: date) -> str:
    """A date spelled out, "jeudi 26 novembre", with the year only if not this year's."""
    from babel.dates import format_date

    pattern = "EEEE d MMMM" if d.year == today.year else "EEEE d MMMM y"
    return format_date(d, pattern, locale=lang)


def _choices(lexicon: Lexicon, lang: str) -> str:
    from babel.lists import format_list

    return format_list([item_name(lexicon, it.key, lang) for it in lexicon.items], locale=lang)
