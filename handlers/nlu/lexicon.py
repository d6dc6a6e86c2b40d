"""What the parser knows about the catalogue: items, their words in each language, their limits.

A site's configuration builds its own `Lexicon` (`Lexicon.from_mapping`), or adds words to the
default one (`with_words`); the parser never hard-codes an item name outside this module. Words
are written naturally ("pack d'eau", "flûte"): they are folded exactly like messages, and plurals
are derived, so a site lists only what is particular to it.

Two more lists keep the parser honest: units the catalogue lacks (a bottle of water is not a pack,
half a baguette is not a baguette) and products it does not carry (croissants, milk). Both make an
order a question instead of a wrong delivery.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType
from typing import Any

from handlers.nlu.normalise import BREAK, STOP
from handlers.nlu.normalise import tokens as fold_tokens
from handlers.nlu.spelling import Speller

ITEM, UNIT, PRODUCT, THING = "item", "unit", "product", "thing"


@dataclass(frozen=True)
class Item:
    """One catalogue item: its key, its limit per delivery and the words for it."""

    key: str
    limit: int
    words: Mapping[str, tuple[str, ...]]  # language -> singular phrases ("pack d'eau", "eau")
    plurals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # irregular: "loaves"
    names: Mapping[str, str] = field(default_factory=dict)  # how a question names it: "baguettes"


@dataclass(frozen=True)
class Entry:
    """What a phrase found in a message stands for."""

    kind: str  # ITEM, UNIT (a unit we cannot deliver), PRODUCT (a product we do not carry) or
    # THING (a compound that holds an item word but names something else: "sac à pain")
    key: str | None  # the item key for ITEM
    plural: bool  # "des baguettes" without a number needs a question; "du pain" does not
    size: int  # tokens in the phrase


@dataclass(frozen=True)
class Lexicon:
    """The catalogue as the parser sees it. Immutable: `with_words` returns a new one."""

    items: tuple[Item, ...]
    other_units: tuple[str, ...] = ()
    other_products: tuple[str, ...] = ()
    # Words that name an item in one language but mean something else in another: "pain" in an
    # English sentence is pain.
    false_friends: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Compounds holding an item word that are no item: "sac à pain", "fuite d'eau", "water bill".
    # Read first (longest phrase wins), so their "pain" or "eau" is never counted.
    not_items: tuple[str, ...] = ()

    @classmethod
    def default(cls) -> Lexicon:
        """Bread (6 per delivery) and water packs (4 per delivery), as the service runs today."""
        return _DEFAULT

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> Lexicon:
        """Build from a site configuration table.

        `{"bread": {"max": 6, "fr": ["baguette"], "en": ["loaf"], "plural_en": ["loaves"],
        "name_fr": "baguettes", "name_en": "loaves"}, ...}`; optional top-level keys
        `other_units`, `other_products` and `not_items` (lists) replace the defaults.
        """
        items: list[Item] = []
        for key, spec in config.items():
            if key in ("other_units", "other_products", "not_items"):
                continue
            words = {lang: tuple(spec.get(lang, ())) for lang in ("fr", "en")}
            plurals = {lang: tuple(spec.get(f"plural_{lang}", ())) for lang in ("fr", "en")}
            names = {lang: spec[f"name_{lang}"] for lang in ("fr", "en") if f"name_{lang}" in spec}
            items.append(Item(key, int(spec["max"]), words, plurals, names))
        return cls(
            tuple(items),
            tuple(config.get("other_units", _DEFAULT.other_units)),
            tuple(config.get("other_products", _DEFAULT.other_products)),
            _DEFAULT.false_friends,
            tuple(config.get("not_items", _DEFAULT.not_items)),
        )

    def with_words(self, key: str, lang: str, *phrases: str) -> Lexicon:
        """A copy where item `key` also answers to `phrases` in `lang` (a site's own names)."""
        items = tuple(
            replace(it, words={**it.words, lang: (*it.words.get(lang, ()), *phrases)})
            if it.key == key
            else it
            for it in self.items
        )
        if items == self.items:
            raise KeyError(key)
        return replace(self, items=items)

    def item(self, key: str) -> Item:
        for it in self.items:
            if it.key == key:
                return it
        raise KeyError(key)

    @cached_property
    def index(self) -> Mapping[str, tuple[tuple[tuple[str, ...], Entry], ...]]:
        """First token -> (phrase tokens, entry), longest phrases first."""
        table: dict[tuple[str, ...], Entry] = {}
        for it in self.items:
            for phrases in it.words.values():
                for phrase in phrases:
                    for toks, plural in _forms(phrase):
                        table.setdefault(toks, Entry(ITEM, it.key, plural, len(toks)))
            for phrases in it.plurals.values():
                for phrase in phrases:
                    toks = _fold(phrase)
                    table.setdefault(toks, Entry(ITEM, it.key, True, len(toks)))
        item_words = {
            toks[0]: entry.key
            for toks, entry in table.items()
            if len(toks) == 1 and entry.key not in (None,)
        }
        kinds = ((UNIT, self.other_units), (PRODUCT, self.other_products), (THING, self.not_items))
        for kind, phrases in kinds:
            for phrase in phrases:
                for toks, plural in _forms(phrase):
                    # "bouteille d'eau" is a unit of water: the question can name the item
                    key = next((item_words[t] for t in toks if t in item_words), None)
                    table.setdefault(
                        toks, Entry(kind, key if kind == UNIT else None, plural, len(toks))
                    )
        by_first: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        for toks, entry in table.items():
            by_first.setdefault(toks[0], []).append((toks, entry))
        return MappingProxyType(
            {k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in by_first.items()}
        )

    @cached_property
    def words(self) -> frozenset[str]:
        """What misspellings are corrected towards: every word naming an item or a unit, and the
        longer product names ("croissant"; "apple" would swallow "appelez")."""
        return frozenset(
            tok
            for phrase_list in self.index.values()
            for phrase, entry in phrase_list
            for tok in phrase
            if entry.kind != THING and (entry.kind != PRODUCT or len(tok) >= 7)
        )

    @cached_property
    def meanings(self) -> Mapping[str, str]:
        """One-word item names and their item key: "loaves" and "loafs" both mean bread."""
        return MappingProxyType(
            {
                phrase[0]: entry.key
                for phrase_list in self.index.values()
                for phrase, entry in phrase_list
                if len(phrase) == 1 and entry.kind == ITEM and entry.key
            }
        )

    @cached_property
    def speller(self) -> Speller:
        """Misspellings are corrected towards this lexicon's words too."""
        return Speller(self.words, self.meanings)

    def match(self, toks: tuple[str, ...], i: int, lang: str) -> Entry | None:
        """The longest phrase starting at token `i`, if any."""
        friends = self.false_friends.get(lang, frozenset())
        for phrase, entry in self.index.get(toks[i], ()):
            if toks[i : i + len(phrase)] == phrase and not (
                len(phrase) == 1 and toks[i] in friends
            ):
                return entry
        return None

    def name(self, key: str, lang: str) -> str | None:
        return self.item(key).names.get(lang)


def _fold(phrase: str) -> tuple[str, ...]:
    return tuple(t for t in fold_tokens(phrase).tokens if t not in (BREAK, STOP))


def _forms(phrase: str) -> Iterable[tuple[tuple[str, ...], bool]]:
    """The phrase and its regular plurals: on the first word (French, "packs d'eau") and on the
    last (English compounds, "water packs")."""
    toks = _fold(phrase)
    if not toks:
        return
    yield toks, False
    first, last = toks[0], toks[-1]
    if not first.endswith(("s", "x")):
        yield (first + "s", *toks[1:]), True
    if len(toks) > 1 and not last.endswith(("s", "x")):
        yield (*toks[:-1], last + "s"), True


_BREAD = Item(
    "bread",
    6,
    {
        "fr": (
            "pain",
            "baguette",
            "flûte",
            "tradition",
            "baguette tradition",
            "baguette de tradition",
            "pain tradition",
            "baguette de pain",
            "pain baguette",
            "ficelle",
            "bâtard",
            "pain de campagne",
            "pain complet",
            "pain aux céréales",
            "pain blanc",
            "pain frais",
            "miche",
            "boule de pain",
            "pin",
        ),
        "en": (
            "bread",
            "loaf",
            "baguette",
            "loaf of bread",
            "french stick",
            "stick of bread",
            "french bread",
            "brown bread",
            "white bread",
        ),
    },
    plurals={"en": ("loaves", "loaves of bread", "loafs", "loafs of bread", "loaves of breads")},
    names={},
)
_WATER = Item(
    "water",
    4,
    {
        "fr": (
            "eau",
            "pack d'eau",
            "pack",
            "pak",
            "pac",
            "pak d'eau",
            "pac d'eau",
            "pack eau",
            "pack de flotte",
            "flotte",
            "fardeau d'eau",
            "fardeau",
            "pack d'eau minérale",
            "eau minérale",
            "pack de bouteilles d'eau",
            "pack de bouteilles",
            "pack de cristaline",
            "cristaline",
            "paquet d'eau",
            "lot d'eau",
            "lot de bouteilles d'eau",
            "carton d'eau",
            "eau en bouteille",
            "packet d'eau",
        ),
        "en": (
            "water",
            "pack of water",
            "water pack",
            "pack of water bottles",
            "pack of bottled water",
            "bottled water",
            "case of water",
            "crate of water",
            "multipack of water",
            "packet of water",
            "h2o",
            "pack of bottles",
            "bottled water pack",
        ),
    },
    plurals={"fr": ("eaux",)},
)
_DEFAULT = Lexicon(
    items=(_BREAD, _WATER),
    other_units=(
        "bouteille",
        "bouteille d'eau",
        "bouteilles d'eau",
        "bottle",
        "bottle of water",
        "water bottle",
        "litre",
        "litre d'eau",
        "liter",
        "liter of water",
        "litre of water",
        "demi baguette",
        "demi pain",
        "demi",
        "demie",
        "moitié",
        "moitié de baguette",
        "half",
        "half loaf",
        "half a loaf",
        "half baguette",
        "half a baguette",
        "quart de baguette",
        "quart de pain",
        "quarter loaf",
        "quarter of a loaf",
        "bout de pain",
        "piece of bread",
        "tranche",
        "tranche de pain",
        "slice",
        "slice of bread",
        "morceau de pain",
        "verre d'eau",
        "glass of water",
        "bidon",
        "bidon d'eau",
        "carafe",
        "gourde",
        "canette",
    ),
    other_products=(
        "croissant",
        "pain au chocolat",
        "pains au chocolat",
        "chocolatine",
        "pain aux raisins",
        "pain au raisin",
        "pain de mie",
        "pain d'épice",
        "pain d'épices",
        "pain au lait",
        "petit pain",
        "petits pains",
        "pain burger",
        "pain hamburger",
        "pain sans gluten",
        "pain perdu",
        "brioche",
        "viennoiserie",
        "gâteau",
        "gâteaux",
        "tarte",
        "lait",
        "brique de lait",
        "pack de lait",
        "oeuf",
        "beurre",
        "fromage",
        "café",
        "jus",
        "jus d'orange",
        "soda",
        "coca",
        "vin",
        "bière",
        "journal",
        "fruit",
        "pomme",
        "banane",
        "légume",
        "yaourt",
        "compote",
        "soupe",
        "sucre",
        "farine",
        "riz",
        "pâtes",
        "viande",
        "jambon",
        "médicament",
        "eau gazeuse",
        "eau pétillante",
        "gazeuse",
        "pétillante",
        "perrier",
        "badoit",
        "chocolate croissant",
        "roll",
        "bread roll",
        "bun",
        "muffin",
        "cake",
        "milk",
        "pint of milk",
        "carton of milk",
        "egg",
        "butter",
        "cheese",
        "coffee",
        "tea",
        "juice",
        "coke",
        "wine",
        "beer",
        "newspaper",
        "apple",
        "banana",
        "vegetable",
        "sugar",
        "flour",
        "rice",
        "pasta",
        "meat",
        "ham",
        "yogurt",
        "yoghurt",
        "medicine",
        "sliced bread",
        "sliced loaf",
        "pain tranché",
        "baguette tranchée",
        "sparkling water",
        "sparkling",
        "pack of milk",
    ),
    false_friends={
        "en": frozenset({"pain", "pains", "flute", "miche", "pac", "pak", "pin", "pins"})
    },
    not_items=(
        # the bread bag on the door, and other things of the household
        "sac à pain",
        "sac pour le pain",
        "sac de porte",
        "sac à baguette",
        "boîte à pain",
        "huche à pain",
        "corbeille à pain",
        "planche à pain",
        "couteau à pain",
        "machine à pain",
        "pain sur la planche",
        "gagne pain",
        "pain de savon",
        "bread bag",
        "bread bin",
        "breadbin",
        "bread box",
        "bread board",
        "bread knife",
        "bread maker",
        "breadmaker",
        "bread machine",
        "breadcrumbs",
        "bread crumbs",
        "bread and butter",
        # water in the building: leaks, heaters, bills, taps
        "eau de javel",
        "eau de cologne",
        "eau de toilette",
        "eau de vie",
        "fuite d'eau",
        "fuite de l'eau",
        "dégât des eaux",
        "dégâts des eaux",
        "dégât d'eau",
        "dégâts d'eau",
        "chauffe eau",
        "ballon d'eau chaude",
        "eau chaude",
        "eau froide",
        "compteur d'eau",
        "facture d'eau",
        "coupure d'eau",
        "coupure de l'eau",
        "eau du robinet",
        "pression de l'eau",
        "pression d'eau",
        "tuyau d'eau",
        "arrivée d'eau",
        "l'eau du bain",
        "dégât de l'eau",
        "water bill",
        "water leak",
        "water heater",
        "hot water",
        "cold water",
        "hot water bottle",
        "water meter",
        "water pressure",
        "water tank",
        "water pipe",
        "water main",
        "water damage",
        "water supply",
        "water company",
        "water board",
        "tap water",
        "watering can",
        "running water",
    ),
)
