"""The parser's lexicon built from the configured catalogue: limits and synonyms of
`entraide.toml` reach every parse.

The parser package knows nothing of the configuration (it imports nothing of ours); the
conversation builds its lexicon once per configuration and passes it in. A configuration equal
to the built-in catalogue gets the built-in lexicon itself.
"""

from __future__ import annotations

from typing import Any

from handlers.nlu import Lexicon
from handlers.nlu.lexicon import Item
from handlers.replies import fold

_BUILT: dict[int, tuple[Any, Lexicon]] = {}


def lexicon_for(config: Any) -> Lexicon:
    """The lexicon of a service configuration (cached: the speller is built once)."""
    hit = _BUILT.get(id(config))
    if hit is not None and hit[0] is config:
        return hit[1]
    lexicon = _build(config)
    _BUILT[id(config)] = (config, lexicon)
    return lexicon


def _build(config: Any) -> Lexicon:
    lexicon = Lexicon.default()
    known = {it.key for it in lexicon.items}
    for key, item in config.catalogue.items():
        if key not in known:
            words = {
                lang: tuple(
                    dict.fromkeys(
                        [*item.synonyms.get(lang, ()), item.names[lang].one]
                        if lang in item.names
                        else item.synonyms.get(lang, ())
                    )
                )
                for lang in ("fr", "en")
            }
            names = {lang: n.other for lang, n in item.names.items()}
            plurals = {lang: (n.other,) for lang, n in item.names.items()}
            lexicon = lexicon.__class__(
                (*lexicon.items, Item(key, item.max_per_delivery, words, plurals, names)),
                lexicon.other_units,
                lexicon.other_products,
                lexicon.false_friends,
                lexicon.not_items,
            )
            continue
        current = lexicon.item(key)
        if current.limit != item.max_per_delivery:
            from dataclasses import replace

            lexicon = replace(
                lexicon,
                items=tuple(
                    replace(it, limit=item.max_per_delivery) if it.key == key else it
                    for it in lexicon.items
                ),
            )
        for lang, phrases in item.synonyms.items():
            new = [p for p in phrases if not _known(lexicon, key, lang, p)]
            if new:
                lexicon = lexicon.with_words(key, lang, *new)
    return lexicon


def _known(lexicon: Lexicon, key: str, lang: str, phrase: str) -> bool:
    toks = tuple(fold(phrase).split())
    if not toks:
        return True
    entry = lexicon.match(toks, 0, lang)
    return entry is not None and entry.key == key and entry.size == len(toks)
