"""Placeholder until the parser lands: the contract's shape, always asking for help."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Parse:
    intent: str
    items: dict[str, int] = field(default_factory=dict)
    date: date | None = None
    until: date | None = None
    weekdays: tuple[str, ...] = ()
    clarify: bool = False
    question: str | None = None
    lang: str = "fr"

    def to_json(self) -> dict[str, Any]:
        return {
            "intent": self.intent,
            "items": dict(self.items),
            "date": self.date.isoformat() if self.date else None,
            "until": self.until.isoformat() if self.until else None,
            "weekdays": list(self.weekdays),
            "clarify": self.clarify,
            "question": self.question,
        }


def parse(text: str, today: date, lang: str | None = None) -> Parse:
    return Parse(intent="other", lang=lang or "fr")
