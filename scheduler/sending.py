"""What a channel adapter reports after trying to send, and which provider errors are final.

Kept free of any SDK import: the dispatcher (core) and the adapters (wiring) share it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SendResult:
    ok: bool
    external_id: str | None = None
    permanent: bool = False  # never retry: mark the person, try another channel, tell coordinators
    opted_out: bool = False  # the recipient unsubscribed at the provider (Twilio 21610)
    error: str = ""
    retry_after: float | None = None  # seconds the provider asked us to wait


# Twilio's error dictionary: permanent ones mark the person; the others are retried.
TWILIO_PERMANENT = {
    21211: "invalid number",
    21408: "region not enabled",
    21610: "unsubscribed (STOP)",
    21612: "unreachable route",
    21614: "not a mobile number",
    30005: "unknown number",
    30006: "landline or unreachable carrier",
}
TWILIO_RETRYABLE = frozenset({20429, 30001, 30003, 30008})
