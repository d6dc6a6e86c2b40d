"""The message catalogues: one TOML file per language, every user-facing text in one place.

Texts are `str.format` templates addressed by dotted keys (`order.confirm`). A template may be a
table `{one = "...", other = "..."}`: Babel's plural rules for the language pick the form from the
`n` parameter. Dates and numbers are formatted by Babel in `handlers.texts.formats`.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
_HERE = Path(__file__).parent


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, Any]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and not ({"one", "other"} >= set(value) and "other" in value):
            _flatten(full, value, out)
        else:
            out[full] = value


@cache
def catalogue(lang: str) -> dict[str, Any]:
    """Every template of one language, by dotted key."""
    with open(_HERE / f"{lang}.toml", "rb") as f:
        out: dict[str, Any] = {}
        _flatten("", tomllib.load(f), out)
        return out


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def language(lang: str | None) -> str:
    """The catalogue language to use for a person or message (French when unknown)."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def has(lang: str, key: str) -> bool:
    return key in catalogue(language(lang))


def t(lang: str | None, key: str, /, **params: Any) -> str:
    """Render one text. A missing key is a programming error and raises KeyError."""
    lang = language(lang)
    template = catalogue(lang)[key]
    if isinstance(template, dict):
        n = params.get("n", 1)
        form = _locale(lang).plural_form(abs(n)) if isinstance(n, int) else "other"
        template = template.get(form, template["other"])
    return template.format(**params) if params else template
