"""A phone call's webhooks and answers, in neutral terms: what the voice adapter turns into
TwiML and the console prints (handlers/voice_flow.py decides them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CallEvent:
    """One webhook of a call, in neutral terms."""

    sid: str  # Twilio's CallSid
    phone: str  # the tenant's number (From inbound, To outbound)
    step: str  # "start", "gather", "recorded", "outbound"
    n: int = 0  # the step's number, carried by the action URL
    speech: str = ""
    confidence: float | None = None
    digits: str = ""
    recording_url: str = ""
    recording_seconds: int = 0
    machine: bool = False  # an answering machine took the outbound call
    rows: tuple[int, ...] = ()  # outbound: the outbox rows this call reads

    @property
    def key(self) -> str:
        return f"{self.sid}:{self.step}:{self.n}"[:64]


@dataclass(frozen=True)
class VoiceTurn:
    """What the call does next: sentences to say, then listen, record, or hang up."""

    lang: str
    say: tuple[str, ...]
    listen: str | None = None  # "speech" (words or keys), "keys" (keys only); None: hang up
    hints: tuple[str, ...] = ()
    record: bool = False  # an unknown caller leaves a message after the tone
    record_seconds: int = 60
    next_step: int = 1  # the number the answer's webhook carries
    voice: str = ""  # the site's <Say> voice for this language ("Polly.Lea")
    speech_language: str = ""  # the site's speech language for this language ("fr-FR")

    def to_json(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "say": list(self.say),
            "listen": self.listen,
            "hints": list(self.hints),
            "record": self.record,
            "record_seconds": self.record_seconds,
            "next_step": self.next_step,
            "voice": self.voice,
            "speech_language": self.speech_language,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> VoiceTurn:
        return cls(
            lang=data["lang"],
            say=tuple(data["say"]),
            listen=data.get("listen"),
            hints=tuple(data.get("hints", ())),
            record=data.get("record", False),
            record_seconds=data.get("record_seconds", 60),
            next_step=data.get("next_step", 1),
            voice=data.get("voice", ""),
            speech_language=data.get("speech_language", ""),
        )
