"""The outbox dispatcher: sends what the core queued, once, in order per recipient.

A row is claimed (status `sending`, with a lease) in a short transaction using
`FOR UPDATE SKIP LOCKED`, so several dispatchers on PostgreSQL never take the same row; it is
sent; the result is recorded. Retryable failures (429, 5xx, network, Twilio 30003) come back
after 5 × (attempt + 1) minutes or the server's `retry_after`; after 3 attempts, or at once on a
permanent error (Telegram 403, Twilio 21211/21610/21614/30006), the person is marked, another
channel is tried where one exists, and coordinators are told. Expired rows are never sent.
A row found still `sending` after its lease (the process died) is sent again if its call had
not begun (`started_at`); if it had, it is not sent again blindly: Twilio is asked whether it
left; for Telegram, which cannot be asked, it is counted as sent and coordinators are told.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from handlers.notify import tell_coordinators
from handlers.unsent import queue_unsent
from models.base import OutboxStatus
from models.context import Context
from models.messages import OutboxMessage
from models.outbox import route
from models.people import Person
from models.phones import mask
from models.rules import in_quiet_hours, quiet_hours_end
from scheduler.sending import TWILIO_RETRYABLE, SendResult

log = logging.getLogger("entraide.outbox")

MAX_ATTEMPTS = 3
LEASE = timedelta(minutes=2)
# Rows claimed per tick are all sent at once: a row is marked "sending" only when its call is
# about to start, so a process killed mid-tick leaves at most this many in doubt.
BATCH = 16
PER_CHAT_GAP = 1.05  # seconds between two messages to one Telegram chat
SWEEP_EVERY = 60.0  # seconds between two looks for rows left `sending` and answers never sent
DIRECT = ("reply",)  # kinds that are direct replies: quiet hours do not hold them


@dataclass(frozen=True)
class Claimed:
    id: int
    channel: str
    address: str
    payload: dict[str, Any]
    attempts: int


def backoff(attempts: int) -> timedelta:
    """Courier's rule: 5 × (attempt + 1) minutes."""
    return timedelta(minutes=5 * (attempts + 1))


# --- units of work ------------------------------------------------------------------------------
def claim(session: Session, ctx: Context, channels: list[str], limit: int = BATCH) -> list[Claimed]:
    """Take due rows for these channels: oldest first, never overtaking an earlier message to
    the same recipient, skipping rows another dispatcher holds."""
    now = ctx.now()
    _expire(session, ctx, now)
    earlier = aliased(OutboxMessage)
    blocked = (
        sa.select(earlier.id)
        .where(
            earlier.channel == OutboxMessage.channel,
            earlier.address == OutboxMessage.address,
            earlier.id < OutboxMessage.id,
            earlier.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
        )
        .exists()
    )
    rows = session.scalars(
        sa.select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.channel.in_(channels),
            ~blocked,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    out = []
    for row in rows:
        if row.kind not in DIRECT and row.site_id is not None:
            site = ctx.site(row.site_id)
            local = now.astimezone(site.zone)
            if in_quiet_hours(site, local):
                row.next_attempt_at = quiet_hours_end(site, local)
                continue
        row.status, row.attempts = OutboxStatus.SENDING, row.attempts + 1
        row.next_attempt_at, row.started_at = now + LEASE, None
        out.append(Claimed(row.id, row.channel, row.address, dict(row.payload), row.attempts))
    return out


def _expire(session: Session, ctx: Context, now: datetime) -> None:
    """Drop what is pointless now (yesterday's round, a reminder for a visit gone) and show it
    to coordinators instead of sending it."""
    rows = session.scalars(
        sa.select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.expires_at.is_not(None),
            OutboxMessage.expires_at <= now,
        )
        .with_for_update(skip_locked=True)
    ).all()
    kinds: dict[int | None, list[str]] = defaultdict(list)
    for row in rows:
        row.status, row.last_error = OutboxStatus.EXPIRED, "expired before it could be sent"
        if row.kind != "coordinator":
            kinds[row.site_id].append(row.kind)
    for site_id, names in kinds.items():
        log.warning(
            "%d outbox message(s) expired unsent: %s", len(names), ", ".join(sorted(set(names)))
        )
        tell_coordinators(
            session,
            ctx,
            site_id,
            f"expired:{site_id}:{now:%Y%m%d%H}",
            "coordinator.expired",
            n=len(names),
            kinds=", ".join(sorted(set(names))),
        )


def record_result(session: Session, ctx: Context, row_id: int, result: SendResult) -> None:
    row = session.get(OutboxMessage, row_id)
    if row is None:
        return
    now = ctx.now()
    if result.ok:
        row.status, row.sent_at, row.external_id = OutboxStatus.SENT, now, result.external_id
        row.last_error = None
        return
    row.last_error = result.error[:300]
    person = session.get(Person, row.person_id) if row.person_id else None
    if result.permanent:
        if person is not None:
            _mark_unreachable(person, row.channel, result, now)
            if not result.opted_out and _reroute(session, ctx, row, person):
                return
        _fail(session, ctx, row, person)
        return
    if row.attempts >= MAX_ATTEMPTS:
        _fail(session, ctx, row, person)
        return
    wait = backoff(row.attempts)
    if result.retry_after is not None:
        wait = max(wait, timedelta(seconds=result.retry_after))
    row.status, row.next_attempt_at = OutboxStatus.PENDING, now + wait
    log.info("outbox #%d to %s: %s; retry in %s", row.id, mask(row.address), result.error, wait)


def _mark_unreachable(person: Person, channel: str, result: SendResult, now: datetime) -> None:
    if channel == "telegram":
        person.telegram_blocked_at = person.telegram_blocked_at or now
    elif channel == "sms":
        if result.opted_out:
            person.opted_out_at = person.opted_out_at or now
        else:
            person.sms_failed_at, person.sms_error = now, result.error[:120]


def _reroute(session: Session, ctx: Context, row: OutboxMessage, person: Person) -> bool:
    """Telegram blocked but a phone known (or the reverse): try the other channel once."""
    if person.opted_out_at is not None:
        row.status = OutboxStatus.CANCELLED
        return True
    channel, address = route(person, ctx.channels)
    if channel == row.channel or channel == "console":
        return False
    log.warning("outbox #%d: %s unreachable, trying %s", row.id, row.channel, channel)
    row.channel, row.address, row.attempts = channel, address, 0
    row.status, row.next_attempt_at = OutboxStatus.PENDING, ctx.now()
    if row.kind != "coordinator":
        tell_coordinators(
            session,
            ctx,
            person.site_id,
            f"rerouted:{person.id}:{channel}",
            "coordinator.rerouted",
            name=person.name,
            channel=channel,
        )
    return True


def _fail(session: Session, ctx: Context, row: OutboxMessage, person: Person | None) -> None:
    row.status = OutboxStatus.FAILED
    log.warning("outbox #%d to %s failed for good: %s", row.id, mask(row.address), row.last_error)
    if row.kind != "coordinator" and person is not None:
        tell_coordinators(
            session,
            ctx,
            row.site_id,
            f"failed:{row.id}",
            "coordinator.send_failed",
            name=person.name,
            error=(row.last_error or "")[:100],
        )


def stale(session: Session, ctx: Context) -> list[Claimed]:
    """Rows left `sending` by a process that died. Those whose call never began go back to the
    queue; those in doubt (the call began) are returned, to be checked before anything else."""
    now = ctx.now()
    rows = session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.next_attempt_at <= now)
        .with_for_update(skip_locked=True)
    ).all()
    doubt = []
    for row in rows:
        if row.started_at is None:
            row.status, row.next_attempt_at = OutboxStatus.PENDING, now
            row.attempts = max(row.attempts - 1, 0)
            log.info("outbox #%d: interrupted before its call began: will be sent", row.id)
            continue
        row.next_attempt_at = now + LEASE
        doubt.append(Claimed(row.id, row.channel, row.address, dict(row.payload), row.attempts))
    return doubt


def settle_stale(
    session: Session, ctx: Context, row_id: int, sent_sid: str | None, can_ask: bool
) -> None:
    row = session.get(OutboxMessage, row_id)
    if row is None or row.status is not OutboxStatus.SENDING:
        return
    now = ctx.now()
    if sent_sid is not None:
        row.status, row.sent_at, row.external_id = OutboxStatus.SENT, now, sent_sid
        log.info("outbox #%d: interrupted, but the provider has it: marked sent", row.id)
    elif can_ask:
        row.status, row.next_attempt_at = OutboxStatus.PENDING, now
        log.info("outbox #%d: interrupted before it left: will be sent", row.id)
    else:
        row.status, row.sent_at = OutboxStatus.SENT, now
        row.last_error = "interrupted during the call: counted as sent, not sent twice"
        log.warning("outbox #%d: interrupted during the call; not resent", row.id)
        if row.kind != "coordinator":
            tell_coordinators(
                session,
                ctx,
                row.site_id,
                f"uncertain:{row.id}",
                "coordinator.uncertain",
                id=row.id,
                kind=row.kind,
            )


def record_status(session: Session, ctx: Context, sid: str, state: str, code: str | None) -> bool:
    """A Twilio status callback: delivered, or failed and why. False when no message has this
    sid (yet: a callback can overtake the recording of the send)."""
    row = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.external_id == sid))
    if row is None:
        return False
    row.delivery_status = state[:24]
    if state not in ("failed", "undelivered"):
        return True
    number = int(code) if code and code.isdigit() else 0
    error = f"twilio {state} code {number}"
    result = SendResult(
        False, permanent=number not in TWILIO_RETRYABLE, opted_out=number == 21610, error=error
    )
    if number in TWILIO_RETRYABLE and row.attempts < MAX_ATTEMPTS:
        row.status, row.next_attempt_at = OutboxStatus.PENDING, ctx.now() + backoff(row.attempts)
        row.last_error = error
        return True
    row.status = OutboxStatus.SENDING  # let record_result apply the permanent-failure rules
    record_result(session, ctx, row.id, result)
    return True


# --- the loop -----------------------------------------------------------------------------------
class Dispatcher:
    def __init__(
        self,
        ctx: Context,
        run: Callable[..., Awaitable[Any]],
        senders: Mapping[str, Any],
    ) -> None:
        self.ctx, self.run_db = ctx, run
        self.senders = {k: v for k, v in senders.items() if v is not None}
        self._io = ThreadPoolExecutor(8, thread_name_prefix="send")
        self._last: dict[str, float] = {}
        self.wake = asyncio.Event()
        self._recovered = False
        self._swept = float("-inf")
        # channels whose direct answers leave after the acknowledgement (Telegram): an answer
        # never noted as sent is queued here (handlers/unsent.py)
        self._after_ack = [c for c, s in self.senders.items() if getattr(s, "replies_after_ack", 0)]

    async def tick(self) -> int:
        """Send everything due now; how many messages were attempted."""
        if not self.senders:
            return 0
        due = time.monotonic() - self._swept > SWEEP_EVERY
        if not self._recovered or due:  # at start, then now and then: rows a failed tick left
            await self._recover()
            self._recovered = True
        if due:
            self._swept = time.monotonic()
            if self._after_ack:
                await self.run_db(queue_unsent, self.ctx, self._after_ack)
        rows: list[Claimed] = await self.run_db(claim, self.ctx, list(self.senders))
        if not rows:
            return 0
        by_recipient: dict[tuple[str, str], list[Claimed]] = defaultdict(list)
        for row in rows:
            by_recipient[(row.channel, row.address)].append(row)
        limit = asyncio.Semaphore(BATCH)

        async def one_recipient(batch: list[Claimed]) -> None:
            async with limit:
                for i, row in enumerate(batch):
                    result = await self._send(row)
                    await self.run_db(record_result, self.ctx, row.id, result)
                    if not result.ok:  # keep order: the rest waits for this one
                        await self.run_db(_release, [r.id for r in batch[i + 1 :]])
                        return

        await asyncio.gather(*(one_recipient(b) for b in by_recipient.values()))
        return len(rows)

    async def _send(self, row: Claimed) -> SendResult:
        sender = self.senders[row.channel]
        if row.channel == "telegram":
            gap = PER_CHAT_GAP - (time.monotonic() - self._last.get(row.address, 0.0))
            if gap > 0:
                await asyncio.sleep(gap)
        await self.run_db(_started, row.id, self.ctx.now())
        try:
            if asyncio.iscoroutinefunction(sender.send):
                result = await sender.send(row.address, row.payload)
            else:  # a blocking client (twilio's): run it off the event loop
                loop = asyncio.get_running_loop()
                result = await loop.run_in_executor(self._io, sender.send, row.address, row.payload)
        except Exception as exc:  # a sender must not kill the loop
            log.exception("outbox #%d: sender raised", row.id)
            result = SendResult(False, error=f"{type(exc).__name__}: {exc}"[:300])
        self._last[row.address] = time.monotonic()
        return result

    async def _recover(self) -> None:
        rows: list[Claimed] = await self.run_db(stale, self.ctx)
        for row in rows:
            sender = self.senders.get(row.channel)
            sid = None
            can_ask = hasattr(sender, "sent_since")
            if can_ask:
                since = self.ctx.now() - timedelta(hours=6)
                loop = asyncio.get_running_loop()
                sid = await loop.run_in_executor(
                    self._io,
                    sender.sent_since,
                    row.address,
                    row.payload.get("text", ""),
                    since,  # type: ignore[union-attr]
                )
            await self.run_db(settle_stale, self.ctx, row.id, sid, can_ask)

    async def run_forever(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        while not stop.is_set():
            try:
                sent = await self.tick()
            except Exception:
                log.exception("outbox dispatcher tick failed")
                sent = 0
            if sent:
                continue
            self.wake.clear()
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self.wake.wait())]
            _done, pending = await asyncio.wait(
                waiters, timeout=interval, return_when=asyncio.FIRST_COMPLETED
            )
            for w in pending:
                w.cancel()

    def close(self) -> None:
        self._io.shutdown(wait=True)


def _started(session: Session, row_id: int, now: datetime) -> None:
    session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.id == row_id).values(started_at=now)
    )


def _release(session: Session, ids: list[int]) -> None:
    if ids:
        session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.SENDING)
            .values(status=OutboxStatus.PENDING, attempts=OutboxMessage.attempts - 1)
        )
