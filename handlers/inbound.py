"""One inbound message, start to finish: record it once, guard against loops, find who wrote,
hand it to the right conversation, and keep the reply with the message.

Everything here runs in the caller's single transaction. A message already handled (a retried
webhook, a replayed update) gets the reply it got the first time and changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from handlers import optout, registration, tenant
from handlers.context import Context
from handlers.replies import say
from handlers.types import Inbound, Outcome, Reply
from models.base import PersonStatus
from models.directory import by_phone, by_telegram
from models.messages import InboundMessage
from handlers.notify import tell_coordinators
from models.people import Person
from models.phones import mask

log = logging.getLogger("entraide.inbound")

MAX_TEXT = 4000  # what we keep of a message; a longer one is kept truncated, never dropped
ECHO_WINDOW = timedelta(seconds=10)  # an identical text within this window is acted on once
ECHO_MIN_LENGTH = 13  # shorter texts ("oui", "1", "ok") are answers people repeat on purpose
BURST_WINDOW = timedelta(seconds=60)
BURST_LIMIT = 8  # messages a minute from one address before the bot stops answering it


def record(session: Session, msg: Inbound) -> tuple[InboundMessage, bool]:
    """Insert the message under its channel id; (row, True) when it is new."""
    values = {
        "channel": msg.channel,
        "external_id": msg.external_id[:64],
        "address": msg.address[:64],
        "text": clean_text(msg.text)[:MAX_TEXT],
        "payload": msg.payload,
        "received_at": msg.received_at,
    }
    dialect = session.get_bind().dialect.name
    ins = (postgresql if dialect == "postgresql" else sqlite).insert(InboundMessage)
    stmt = ins.values(**values).on_conflict_do_nothing(index_elements=["channel", "external_id"])
    fresh = session.execute(stmt.returning(InboundMessage.id)).scalar_one_or_none() is not None
    row = session.scalar(
        sa.select(InboundMessage)
        .where(
            InboundMessage.channel == msg.channel,
            InboundMessage.external_id == values["external_id"],
        )
        .with_for_update()
    )
    assert row is not None
    return row, fresh


def clean_text(text: str) -> str:
    """What we can store and read: no NUL (PostgreSQL refuses it in text), no lone surrogates
    (odd encodings)."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def handle(session: Session, ctx: Context, msg: Inbound) -> Outcome:
    row, _fresh = record(session, msg)
    if row.handled_at is not None:
        log.info("%s %s: already handled, same answer again", msg.channel, msg.external_id)
        replies = [Reply.from_json(r) for r in (row.reply or {}).get("replies", [])]
        return Outcome(replies=replies, duplicate=True, inbound_id=row.id)
    if msg.text != row.text and row.text is not None and len(msg.text) <= MAX_TEXT:
        msg = replace(msg, text=row.text)
    outcome = _handle_new(session, ctx, msg, row)
    row.handled_at = ctx.now()
    row.reply = {"replies": [r.to_json() for r in outcome.replies], "silent": outcome.silent}
    outcome.inbound_id = row.id
    return outcome


def _handle_new(session: Session, ctx: Context, msg: Inbound, row: InboundMessage) -> Outcome:
    # Loops come from phones and bots (auto-responders, carrier notices, double sends), not
    # from a person at the console; trials there may replay the same pretend time.
    if msg.channel != "console" and (_echo(session, msg, row) or _burst(session, ctx, msg, row)):
        return Outcome(silent=True)
    person = identify(session, msg)
    row.person_id = person.id if person is not None else None
    if person is not None and person.erased_at is not None:
        person = None
    if msg.unreadable and person is not None:
        return Outcome([say(person.language, "common.unreadable")])
    if person is None:
        return Outcome(registration.handle(session, ctx, msg))
    stop = optout.handle(session, ctx, person, msg)
    if stop is not None:
        return stop
    if person.status is PersonStatus.REFUSED:
        return Outcome([say(person.language, "registration.refused")])
    replies = tenant.handle(session, ctx, person, msg)
    return Outcome(replies)


def identify(session: Session, msg: Inbound) -> Person | None:
    if msg.telegram_id is not None:
        person = by_telegram(session, msg.telegram_id)
        if person is not None:
            return person
    if msg.phone:
        return by_phone(session, msg.phone)
    return None


def _echo(session: Session, msg: Inbound, row: InboundMessage) -> bool:
    """The very same text again, right after the previous one, within seconds: a double send
    or an auto-responder answering our reply. Acted on once; a person who repeats a question
    after saying something else in between is answered."""
    if len(msg.text.strip()) < ECHO_MIN_LENGTH or msg.choice:
        return False
    previous = session.execute(
        sa.select(InboundMessage.text, InboundMessage.received_at)
        .where(
            InboundMessage.channel == msg.channel,
            InboundMessage.address == row.address,
            InboundMessage.id < row.id,
        )
        .order_by(InboundMessage.id.desc())
        .limit(1)
    ).first()
    echo = (
        previous is not None
        and previous.text == row.text
        and previous.received_at >= msg.received_at - ECHO_WINDOW
    )
    if echo:
        log.warning("%s %s: same text again within seconds, not acted on", msg.channel, mask(msg.address))
    return echo


def _burst(session: Session, ctx: Context, msg: Inbound, row: InboundMessage) -> bool:
    """More messages a minute than a person types: stop answering, tell coordinators once."""
    recent = session.scalar(
        sa.select(sa.func.count())
        .select_from(InboundMessage)
        .where(
            InboundMessage.channel == msg.channel,
            InboundMessage.address == row.address,
            InboundMessage.id != row.id,
            InboundMessage.received_at >= msg.received_at - BURST_WINDOW,
        )
    ) or 0
    if recent < BURST_LIMIT:
        return False
    log.warning("%s %s: %d messages in a minute, not answering", msg.channel, mask(msg.address), recent + 1)
    hour = msg.received_at.strftime("%Y%m%d%H")
    tell_coordinators(
        session, ctx, None, f"loop:{msg.channel}:{row.address}:{hour}", "coordinator.loop",
        channel=msg.channel, address=mask(row.address),
    )
    return True
