"""The contract between the outbox and the channel adapters, in neutral terms.

An adapter (bot/channels/) implements `Sender` and reports what happened as a `SendResult` or,
later, a `DeliveryReport`; it maps its provider's error codes and status words to these itself
(Twilio's 21610 is `opted_out`, Telegram's 403 is `permanent`), so the core never learns a
provider's vocabulary. Kept free of any SDK import.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from models.base import DeliveryStatus

# The moment a provider call really begins, for senders that wait before it (Telegram's rate
# limiter can hold a message for seconds): the dispatcher puts here what marks the row started,
# and such a sender (`marks_start = True`) awaits it just before the request leaves. A process
# killed while the message still waited then leaves it "not begun", so it is sent again.
CALL_STARTS: ContextVar[Callable[[], Awaitable[None]] | None] = ContextVar(
    "call_starts", default=None
)


async def call_starts() -> None:
    """Run (once) what the dispatcher asked to run when the provider call begins."""
    hook = CALL_STARTS.get()
    if hook is not None:
        CALL_STARTS.set(None)
        await hook()


@dataclass(frozen=True)
class SendResult:
    ok: bool
    external_id: str | None = None
    permanent: bool = False  # never retry: mark the person, try another channel, tell coordinators
    opted_out: bool = False  # the recipient unsubscribed at the provider (SMS STOP)
    error: str = ""
    retry_after: float | None = None  # seconds the provider asked us to wait


@dataclass(frozen=True)
class DeliveryReport:
    """A provider's later word on a message it took (an SMS status callback)."""

    status: DeliveryStatus
    retryable: bool = False  # a failure worth another try (a carrier's passing trouble)
    opted_out: bool = False
    error: str = ""  # for the record, in the provider's words
    retry_after: float | None = None  # seconds before the next try (a call: half an hour)
    attempts: int | None = None  # tries allowed in all, when the channel's rule differs


class Sender(Protocol):
    """A channel adapter as the outbox dispatcher sees it."""

    #: Direct answers leave after the message is acknowledged (Telegram): the dispatcher looks
    #: for answers never noted as sent (handlers/unsent.py).
    replies_after_ack: bool
    #: Seconds to leave between two messages to one recipient (Telegram: one a second per chat).
    per_recipient_gap: float

    def send(self, address: str, payload: dict[str, Any]) -> SendResult | Awaitable[SendResult]:
        """Send one outbox message: a coroutine function, or a blocking call that the
        dispatcher runs in a worker thread (Twilio's client)."""
        ...


@runtime_checkable
class Grouping(Protocol):
    """A sender that takes every message due for one recipient at once (a phone call reads
    them one after another: one call per person, not one per reminder)."""

    groups_per_recipient: bool

    def send_group(self, address: str, rows: Sequence[tuple[int, dict[str, Any]]]) -> SendResult:
        """Send these outbox rows (id, payload) as one; blocking, run in a worker thread."""
        ...


@runtime_checkable
class Recallable(Protocol):
    """A sender whose provider can say what it already sent (Twilio can; Telegram cannot)."""

    def sent_since(self, address: str, body: str, since: datetime) -> str | None:
        """The provider's id of a message with this body sent to `address` since `since`."""
        ...
