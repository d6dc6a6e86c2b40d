"""What the core receives and returns, identical for every channel.

A reply is a text plus the choices offered: Telegram shows buttons, SMS numbers them
("Répondez 1 pour ajouter, 2 pour remplacer"), a phone call will read them aloud. The core never
knows which.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Inbound:
    channel: str  # "sms", "telegram", "console"
    external_id: str  # Twilio MessageSid, Telegram update_id, console counter
    address: str  # E.164 number (sms, console) or Telegram user id
    text: str
    received_at: datetime
    phone: str | None = None  # the sender's own number when the channel proves it
    telegram_id: int | None = None
    contact_phone: str | None = None  # Telegram: a contact shared by its own owner
    foreign_contact: bool = False  # Telegram: someone else's contact card was forwarded
    choice: str | None = None  # a button pressed (its value)
    command: str | None = None  # "start", "aide", "stats"… without the slash
    argument: str = ""  # what follows the command ("/start CODE")
    lang_hint: str | None = None  # Telegram's language_code
    display_name: str | None = None
    unreadable: bool = False  # a sticker, a photo, a voice note: nothing we can read
    payload: dict[str, Any] | None = None  # the raw update, replayed after a crash

    @property
    def key(self) -> str:
        """The conversation-state key of this correspondent."""
        return f"{self.channel if self.channel != 'console' else 'sms'}:{self.address}"


class Refusal(str):
    """A command's answer that says nothing was done: not understood, nobody found, not
    allowed. Every channel shows it as the plain text it is; the command line, which has an
    exit status, fails on it (one line on stderr, non-zero)."""

    __slots__ = ()


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Attachment:
    """A file for the coordinator (CSV export, PNG chart): a path the adapter sends."""

    path: str
    kind: str  # "document" or "photo"
    caption: str = ""


@dataclass(frozen=True)
class Reply:
    text: str
    lang: str = "fr"
    choices: tuple[Choice, ...] = ()  # answers to the question asked: every channel shows them
    menu: tuple[Choice, ...] = ()  # shortcuts, only where buttons exist
    ask_contact: bool = False  # Telegram: offer the "share my phone number" button
    attachment: Attachment | None = None

    def to_json(self) -> dict[str, Any]:
        # By hand: dataclasses.asdict deep-copies field by field, on every message.
        return {
            "text": self.text,
            "lang": self.lang,
            "choices": [{"value": c.value, "label": c.label} for c in self.choices],
            "menu": [{"value": c.value, "label": c.label} for c in self.menu],
            "ask_contact": self.ask_contact,
            "attachment": asdict(self.attachment) if self.attachment else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        return cls(
            text=data["text"],
            lang=data.get("lang", "fr"),
            choices=tuple(Choice(**c) for c in data.get("choices", ())),
            menu=tuple(Choice(**c) for c in data.get("menu", ())),
            ask_contact=data.get("ask_contact", False),
            attachment=Attachment(**data["attachment"]) if data.get("attachment") else None,
        )


@dataclass(frozen=True)
class Done:
    """A coordinator's action answered: the text, and whether it was carried out (a refusal is
    not; the CLI then exits non-zero)."""

    ok: bool
    text: str


@dataclass
class Outcome:
    """What handling one inbound message produced."""

    replies: list[Reply] = field(default_factory=list)
    duplicate: bool = False  # a retried webhook or replayed update: nothing was done again
    inbound_id: int | None = None
    silent: bool = False  # deliberately no answer (loop guard, opted-out SMS number)
    asked: bool = False  # the answer left a question open (counted as the clarify rate)
