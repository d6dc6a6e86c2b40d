"""What the parser returns: one intent, in the shape of the parser contract.

`to_json()` gives exactly the contract's keys; `lang` and `reason` are for the conversation layer
(which language to answer in, and why a question was asked) and never leave the process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from handlers.nlu.frames import Frame

INTENTS = (
    "order",
    "standing_order",
    "cancel",
    "pause",
    "list",
    "visit",
    "help",
    "stop",
    "smalltalk",
    "other",
)

# Why `clarify` is true. The conversation may branch on these; the question text says the same
# thing to the tenant.
REASONS: MappingProxyType[str, str] = MappingProxyType(
    {
        "quantity_missing": "an item without a usable number: 'des baguettes', 'some loaves'",
        "over_limit": "more than the item's limit per delivery: '20 baguettes'",
        "item_missing": "an order naming no item: '2 pour demain', 'comme d'habitude'",
        "unknown_unit": "a unit the catalogue lacks: bottles, litres, half a baguette",
        "unknown_item": "a product the catalogue does not carry: croissants, milk",
        "past_date": "the delivery day has gone by: 'hier', '23/11' on the 24th",
        "impossible_date": "no such day: 'le 31' in November, '30/02'",
        "two_dates": "more than one day for one order or cancellation: 'demain ou jeudi'",
        "weekday_mismatch": "weekday and day number disagree: 'jeudi 27' when the 27th is a Friday",
        "vague_date": "a time but no day: 'la semaine prochaine', 'bientôt', 'mardi prochain' "
        "said on a Monday",
        "weekdays_missing": "a standing order with no weekday: 'une fois par semaine'",
        "until_missing": "a pause with no last day: 'je pars en vacances'",
        "bad_range": "a pause that ends before it starts",
        "order_unsure": "an item said to be missing at home, not asked for: 'je n'ai plus de pain'",
    }
)


@dataclass(frozen=True)
class Parse:
    """One message, understood. Frozen: the conversation passes it around, never edits it."""

    intent: str
    items: dict[str, int] = field(default_factory=dict)
    date: date | None = None
    until: date | None = None
    weekdays: tuple[str, ...] = ()
    clarify: bool = False
    question: str | None = None
    lang: str = "fr"  # the language given, or detected: the one to answer in
    reason: str | None = None  # a key of REASONS when clarify is true
    mentioned: tuple[
        str, ...
    ] = ()  # item keys named, in order (units included: "bouteilles d'eau")
    frame: Frame = field(default_factory=Frame)  # what it asks of existing orders (frames.py)

    def to_json(self) -> dict[str, Any]:
        """The contract's object, and nothing else."""
        return {
            "intent": self.intent,
            "items": dict(self.items),
            "date": self.date.isoformat() if self.date else None,
            "until": self.until.isoformat() if self.until else None,
            "weekdays": list(self.weekdays),
            "clarify": self.clarify,
            "question": self.question,
        }
