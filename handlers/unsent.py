"""Direct replies a channel sends after acknowledging the message (Telegram), and the safety net
for those that never left.

A Telegram webhook is acknowledged once the message and its answer are committed; the answer
is sent just after, in the background, so Telegram never waits on our outgoing call. If the
process dies in between, or the send fails, the stored answer is not lost: it goes through the
outbox, which retries and keeps the order. A duplicate is possible (the process died after
sending and before noting it); a lost confirmation would be worse for a tenant who then does
not know whether bread is coming.

Who may queue an answer left unsent: each message names the lease of the process that handled
it (models/leases.py). A dead owner's answers are taken over at once (`take_over`); a live
owner's never by another process, only by the owner itself after `GRACE` (its own sweep,
`queue_unsent`), as are those of messages with no owner (handled before leases existed).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers.notify import tell
from handlers.types import Reply
from models.context import Context
from models.leases import ProcessLease, dead, forget, forget_lapsed
from models.messages import InboundMessage
from models.outbox import enqueue_to_chat
from models.people import Person

log = logging.getLogger("entraide.replies")

# A reply not noted as sent this long after the message is taken for lost. Long enough that a
# live worker still waiting on Telegram's rate limit or a retry is never overtaken.
GRACE = timedelta(minutes=10)
# Older than this, an answer would confuse more than help: the coordinator sees the message.
WINDOW = timedelta(days=1)
CHAT_CHANNEL = "telegram"  # the channel whose address is a chat we can write to unasked


def queue_reply(session: Session, ctx: Context, inbound_id: int, *, start: int = 0) -> int:
    """Put the stored answer of one message in the outbox (from its `start`-th part, those
    before having left); how many messages were queued.

    Idempotent: the outbox keys are the message's, so a second call queues nothing."""
    row = session.get(InboundMessage, inbound_id)
    if row is None:
        return 0
    row.replied_at = row.replied_at or ctx.now()
    replies = (row.reply or {}).get("replies", [])
    person = session.get(Person, row.person_id) if row.person_id is not None else None
    if person is None:
        return _queue_to_chat(session, ctx, row, replies[start:], start)
    queued = 0
    for i, data in enumerate(replies):
        if i < start:
            continue
        reply = Reply.from_json(data)
        queued += tell(session, ctx, person, f"reply:{inbound_id}:{i}", reply, kind="reply")
    return queued


def _queue_to_chat(
    session: Session, ctx: Context, row: InboundMessage, replies: list[Any], start: int
) -> int:
    """A newcomer (no person row yet: their registration is a conversation state) whose
    answer failed: queued to their Telegram chat, which is where they wait for it."""
    if row.channel != CHAT_CHANNEL or row.address == "erased" or not row.address.isdigit():
        if replies:
            log.warning("message #%d: answer not sent and nobody to send it to", row.id)
        return 0
    return sum(
        enqueue_to_chat(
            session,
            channel=row.channel,
            address=row.address,
            kind="reply",
            key=f"reply:{row.id}:{i}",
            payload=data,
            now=ctx.now(),
        )
        for i, data in enumerate(replies, start=start)
    )


def note_replied(session: Session, inbound_ids: list[int], now: datetime) -> None:
    """The answers of these messages left (the channel sent them after acknowledging)."""
    session.execute(
        sa.update(InboundMessage).where(InboundMessage.id.in_(inbound_ids)).values(replied_at=now)
    )


def _unsent(ctx: Context, channels: list[str]) -> sa.Select[tuple[int]]:
    return (
        sa.select(InboundMessage.id)
        .where(
            InboundMessage.channel.in_(channels),
            InboundMessage.replied_at.is_(None),
            InboundMessage.handled_at.is_not(None),
            InboundMessage.received_at > ctx.now() - WINDOW,
        )
        .order_by(InboundMessage.id)
        .limit(500)
    )


def queue_unsent(session: Session, ctx: Context, channels: list[str]) -> int:
    """Queue the answers never noted as sent, `GRACE` after their message, of this process's
    own messages and of those whose owner is unknown (none, or its lease forgotten); another
    live process's are left to it."""
    if not channels:
        return 0
    owner_known = sa.select(ProcessLease.id).where(ProcessLease.id == InboundMessage.handled_by)
    ids = session.scalars(
        _unsent(ctx, channels).where(
            InboundMessage.received_at < ctx.now() - GRACE,
            sa.or_(
                InboundMessage.handled_by.is_(None),
                InboundMessage.handled_by == (ctx.process or ""),
                ~owner_known.exists(),
            ),
        )
    ).all()
    queued = sum(queue_reply(session, ctx, i) for i in ids)
    if ids:
        log.warning("%d answer(s) found unsent after a failure: queued", queued)
    return queued


def take_over(session: Session, ctx: Context, channels: list[str], by_time: bool = True) -> int:
    """Queue at once the unsent answers of processes that are dead (models.leases.dead), then
    forget those leases once nothing of theirs is left; how many messages were queued.

    `by_time`: see models.leases.dead. Two processes taking over the same dead one queue
    nothing twice: the outbox keys are the messages'. Without a channel that answers after
    acknowledging (SMS only), there is nothing to take over: leases are only forgotten once
    nothing of theirs could be answered any more."""
    queued, done = 0, []
    for lease_id in dead(session, ctx.process, by_time=by_time) if channels else []:
        ids = session.scalars(_unsent(ctx, channels).where(InboundMessage.handled_by == lease_id))
        n = [queue_reply(session, ctx, i) for i in ids]
        queued += sum(n)
        if len(n) < 500:  # a longer backlog goes on at the next look
            done.append(lease_id)
    forget(session, done)
    forget_lapsed(session, WINDOW)
    if queued:
        log.warning("%d answer(s) of a process that died: queued", queued)
    return queued
