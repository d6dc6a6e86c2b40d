"""The outbox rows' units of work, after `models.outbox.enqueue`: claimed, recorded as sent or
failed, retried, rerouted, recovered after a crash; and the rows a pull channel (the console)
takes itself. Each runs in one short transaction; the loop that calls them is
`scheduler.dispatcher`. Provider vocabularies never reach this module: adapters report in
`scheduler.sending`'s neutral terms.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from handlers.notify import per_reader, tell_coordinators
from handlers.texts import t
from models.alerts import AlertKind
from models.base import DeliveryStatus, OutboxStatus
from models.context import Context
from models.messages import OutboxMessage
from models.outbox import route
from models.people import Person
from models.phones import mask
from models.rules import in_quiet_hours, quiet_hours_end
from scheduler.sending import DeliveryReport, SendResult

log = logging.getLogger("entraide.outbox")

MAX_ATTEMPTS = 3
LEASE = timedelta(minutes=2)
# Rows claimed per tick are all sent at once: a row is marked "sending" only when its call is
# about to start, so a process killed mid-tick leaves at most this many in doubt.
BATCH = 16
DIRECT = ("reply",)  # kinds that are direct replies: quiet hours do not hold them
DIRECT_RETRY = timedelta(seconds=20)


@dataclass(frozen=True)
class Claimed:
    id: int
    channel: str
    address: str
    payload: dict[str, Any]
    attempts: int


def backoff(attempts: int, direct: bool = False) -> timedelta:
    """Courier's rule: 5 × (attempt + 1) minutes. A direct reply's first failure (a connection
    reset, a timeout) is tried again after 20 s: a tenant is waiting for that answer, and a
    provider really down still gets the long waits from the second failure on."""
    if direct and attempts <= 1:
        return DIRECT_RETRY
    return timedelta(minutes=5 * (attempts + 1))


# --- units of work ------------------------------------------------------------------------------
def claim(
    session: Session,
    ctx: Context,
    channels: list[str],
    limit: int = BATCH,
    grouped: Collection[str] = (),
) -> list[Claimed]:
    """Take due rows for these channels: oldest first, never overtaking an earlier message to
    the same recipient, skipping rows another dispatcher holds. On a `grouped` channel (a
    phone call) every due row of a recipient is taken at once: one call reads them all."""
    now = ctx.now()
    _expire(session, ctx, now)
    earlier = aliased(OutboxMessage)
    waiting = sa.and_(
        earlier.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
        OutboxMessage.channel.not_in(list(grouped)),
    )
    blocked = (
        sa.select(earlier.id)
        .where(
            earlier.channel == OutboxMessage.channel,
            earlier.address == OutboxMessage.address,
            earlier.id < OutboxMessage.id,
            sa.or_(waiting, earlier.status == OutboxStatus.SENDING),
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
    rows = [*rows, *_rest_of_group(session, rows, grouped, now)]
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


def _rest_of_group(
    session: Session, rows: list[OutboxMessage], grouped: Collection[str], now: datetime
) -> list[OutboxMessage]:
    """The other due rows of the recipients of a grouped channel taken in this batch: the
    evening queues every visit reminder, then every delivery reminder, so a person's two
    messages can lie further apart than one batch; one call must still carry both."""
    recipients = {(r.channel, r.address) for r in rows if r.channel in grouped}
    if not recipients:
        return []
    taken = [r.id for r in rows]
    return list(
        session.scalars(
            sa.select(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at <= now,
                sa.tuple_(OutboxMessage.channel, OutboxMessage.address).in_(list(recipients)),
                OutboxMessage.id.not_in(taken),
            )
            .order_by(OutboxMessage.id)
            .with_for_update(skip_locked=True)
        ).all()
    )


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
            kinds=per_reader(lambda lang, names=names: _kinds(names, lang)),
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
    wait = backoff(row.attempts, direct=row.kind in DIRECT)
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
            "voice.coordinator_unreached" if row.channel == "voice" else "coordinator.send_failed",
            alert=AlertKind.SEND_FAILED,
            about=person,
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
                kind=per_reader(lambda lang, kinds=[row.kind]: _kinds(kinds, lang)),
            )


def record_delivery(
    session: Session, ctx: Context, external_id: str, report: DeliveryReport
) -> bool:
    """A provider's later word on a message it took (Twilio's status callback): delivered, or
    failed and whether it is worth another try. False when no message has this id (yet: a
    callback can overtake the recording of the send)."""
    rows = session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.external_id == external_id)
        .order_by(OutboxMessage.id)
    ).all()
    if not rows:
        return False
    for i, row in enumerate(rows):  # several when one call carried several messages
        row.delivery_status = report.status.value
        if report.status is not DeliveryStatus.FAILED:
            continue
        allowed = report.attempts or MAX_ATTEMPTS
        if report.retryable and row.attempts < allowed:
            wait = backoff(row.attempts)
            if report.retry_after is not None:
                wait = max(wait, timedelta(seconds=report.retry_after))
            row.status, row.next_attempt_at = OutboxStatus.PENDING, ctx.now() + wait
            row.last_error, row.external_id = report.error, None
            continue
        row.last_error = report.error[:300]
        if report.retryable:  # tries used up: the person could not be reached
            row.status = OutboxStatus.FAILED
            if i == 0:  # one notice for the call, not one per message it carried
                person = session.get(Person, row.person_id) if row.person_id else None
                _fail(session, ctx, row, person)
            continue
        result = SendResult(False, permanent=True, opted_out=report.opted_out, error=report.error)
        row.status = OutboxStatus.SENDING  # let record_result apply the permanent-failure rules
        record_result(session, ctx, row.id, result)
    return True


def mark_started(session: Session, row_id: int, now: datetime) -> None:
    """The provider call of this row begins now (see `stale`)."""
    session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.id == row_id).values(started_at=now)
    )


def release(session: Session, ids: list[int]) -> None:
    """Claimed rows not tried after all (an earlier one to the same recipient failed)."""
    if ids:
        session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.SENDING)
            .values(status=OutboxStatus.PENDING, attempts=OutboxMessage.attempts - 1)
        )


def take_pending(
    session: Session, channel: str, address: str, now: datetime
) -> list[dict[str, Any]]:
    """For a channel that fetches its own messages (the console): the payloads due for `address`,
    oldest first, marked sent; those expired are marked so and left out."""
    rows = session.scalars(
        sa.select(OutboxMessage)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.address == address,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by(OutboxMessage.id)
        .with_for_update(skip_locked=True)
    ).all()
    payloads = []
    for row in rows:
        if row.expires_at is not None and row.expires_at <= now:
            row.status = OutboxStatus.EXPIRED
            continue
        payloads.append(dict(row.payload))
        row.status, row.sent_at, row.attempts = OutboxStatus.SENT, now, row.attempts + 1
    return payloads


KINDS = {"broadcast", "closure", "reminder", "reply", "round", "supplier", "visit", "notice"}


def _kinds(names: list[str], lang: str) -> str:
    """What the expired messages were, in the coordinator's words ("tournée", "round")."""
    words = sorted({t(lang, f"coordinator.kind.{n}") if n in KINDS else n for n in names})
    return ", ".join(words)
