"""How many SMS segments a text costs: GSM-7 (160/153 septets) or UCS-2 (70/67 code units).

Why it matters here: one character outside GSM-7 ("reçu", the curly apostrophe ’, « »)
switches the WHOLE message to UCS-2 and cuts a segment from 160 to 70 characters; each
segment is billed, long messages can arrive out of order, and France's short-code rules
cap a message at 10 segments. The fake Twilio server uses this to fill ``num_segments``,
and tests use it to hold the catalogue's SMS texts to two segments.

The split is greedy and never cuts an escape sequence (GSM-7 extension characters such as
€ cost 2 septets) or a UTF-16 surrogate pair (emoji), as carriers do. Twilio's optional
"Smart Encoding" (which swaps some Unicode look-alikes for GSM characters) is not modelled:
we count what we send.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "GSM7_BASIC",
    "GSM7_EXTENSION",
    "SegmentInfo",
    "analyse",
    "encoding",
    "non_gsm_chars",
    "segments",
    "split",
]

# GSM 03.38 default alphabet, in table order (0x1B, the escape to the extension table, left out).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
# Extension table: each costs an escape plus the character, i.e. 2 septets.
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

Encoding = Literal["GSM-7", "UCS-2"]


def non_gsm_chars(text: str) -> list[str]:
    """The distinct characters that force UCS-2, in order of appearance (for error messages)."""
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in GSM7_BASIC and ch not in GSM7_EXTENSION:
            seen.setdefault(ch)
    return list(seen)


def encoding(text: str) -> Encoding:
    """GSM-7 when every character is in the GSM-7 tables, else UCS-2."""
    return "UCS-2" if non_gsm_chars(text) else "GSM-7"


def _units(ch: str, enc: Encoding) -> int:
    if enc == "GSM-7":
        return 2 if ch in GSM7_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1  # UTF-16 code units: astral characters are a pair


def split(text: str) -> list[str]:
    """The parts a carrier would send, in order; [] for an empty text."""
    enc = encoding(text)
    single, multi = (160, 153) if enc == "GSM-7" else (70, 67)
    total = sum(_units(ch, enc) for ch in text)
    if total <= single:
        return [text] if text else []
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for ch in text:
        cost = _units(ch, enc)
        if used + cost > multi:  # never split an escape sequence or a surrogate pair
            parts.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += cost
    parts.append("".join(current))
    return parts


def segments(text: str) -> int:
    """Number of SMS segments the text costs (0 for an empty text)."""
    return len(split(text))


@dataclass(frozen=True)
class SegmentInfo:
    """Everything a failing catalogue test wants to print about one text."""

    encoding: Encoding
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    non_gsm: tuple[str, ...]  # characters that forced UCS-2

    @property
    def per_segment(self) -> int:
        """Capacity of one segment for this text's encoding and length."""
        if self.encoding == "GSM-7":
            return 160 if self.segments <= 1 else 153
        return 70 if self.segments <= 1 else 67


def analyse(text: str) -> SegmentInfo:
    """Encoding, size, segment count and the culprit characters of a text."""
    enc = encoding(text)
    return SegmentInfo(
        enc,
        sum(_units(ch, enc) for ch in text),
        segments(text),
        tuple(non_gsm_chars(text)),
    )
