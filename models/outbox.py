"""Putting a message in the outbox: routed to a channel, deduplicated, with an expiry.

`enqueue` is called inside the transaction of the change that causes the message, so the
change and the message commit together; the dedupe key makes a second call a no-op.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.base import Channel, OutboxStatus
from models.db import insert_ignoring
from models.messages import OutboxMessage
from models.people import Person

DEFAULT_LIFETIME = timedelta(days=2)


def route(person: Person, channels: Collection[str]) -> tuple[str, str]:
    """The channel and address to reach someone now: a phone call for those who prefer it
    (a landline only), else Telegram, else SMS, else the console.

    The console is where `entraide chat --phone …` picks up its messages: with no channel
    configured (a trial) nothing is lost, it waits there. Someone with a landline only
    (`preferred_channel` voice) is never sent an SMS: it could not arrive.
    """
    if person.preferred_channel == Channel.VOICE and Channel.VOICE in channels and person.phone:
        return Channel.VOICE.value, person.phone
    if Channel.TELEGRAM in channels and person.telegram_id and person.telegram_blocked_at is None:
        return Channel.TELEGRAM.value, str(person.telegram_id)
    landline = person.preferred_channel is Channel.VOICE
    if Channel.SMS in channels and person.phone and person.sms_failed_at is None and not landline:
        return Channel.SMS.value, person.phone
    return Channel.CONSOLE.value, person.phone or f"tg:{person.telegram_id}"


@dataclass(frozen=True)
class Message:
    """One message to queue for a person, as `enqueue_many` takes them."""

    person: Person
    kind: str
    key: str
    payload: dict[str, Any]
    expires_at: datetime | None = None
    site_id: int | None = None


def reachable(person: Person) -> bool:
    """Nobody who said STOP, and nobody erased, gets anything: that rule lives here, once."""
    return person.opted_out_at is None and person.erased_at is None


def enqueue(
    session: Session,
    *,
    person: Person,
    kind: str,
    key: str,
    payload: dict[str, Any],
    now: datetime,
    channels: Collection[str],
    expires_at: datetime | None = None,
    site_id: int | None = None,
    not_before: datetime | None = None,
    via: tuple[str, str] | None = None,
) -> bool:
    """Queue one message; False when it was already queued (same key) or must not be sent.

    Nobody who said STOP, and nobody erased, gets anything (`reachable`).
    `via` is the (channel, address) of the conversation being answered (a coordinator's answer
    goes back where the tenant wrote from), kept while that channel is still configured.
    """
    if not reachable(person):
        return False
    message = Message(person, kind, key, payload, expires_at, site_id)
    return insert_ignore(session, _values(message, now, channels, not_before, via))


def enqueue_many(
    session: Session, messages: Iterable[Message], *, now: datetime, channels: Collection[str]
) -> int:
    """Queue many messages in one statement (an executemany, whatever their number); how many
    were queued. Same rules as `enqueue`: a key already queued and a person who said STOP or
    was erased are skipped."""
    rows = [_BLANK | _values(m, now, channels) for m in messages if reachable(m.person)]
    if not rows:
        return 0
    return session.execute(_INSERT_MANY, rows).rowcount


def already_queued(session: Session, keys: Collection[str]) -> set[str]:
    """Which of these dedupe keys are in the outbox already, in one statement."""
    if not keys:
        return set()
    column = OutboxMessage.__table__.c.dedupe_key
    return set(session.scalars(sa.select(column).where(column.in_([k[:200] for k in keys]))))


def _values(
    message: Message,
    now: datetime,
    channels: Collection[str],
    not_before: datetime | None = None,
    via: tuple[str, str] | None = None,
) -> dict[str, Any]:
    person = message.person
    channel, address = route(person, channels)
    if via is not None and (via[0] in channels or via[0] == Channel.CONSOLE):
        channel, address = via
    return {
        "dedupe_key": message.key[:200],
        "kind": message.kind,
        "person_id": person.id,
        "site_id": message.site_id if message.site_id is not None else person.site_id,
        "channel": channel,
        "address": address,
        "payload": message.payload,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": not_before or now,
        "expires_at": message.expires_at or now + DEFAULT_LIFETIME,
        "created_at": now,
    }


def enqueue_to_chat(
    session: Session,
    *,
    channel: str,
    address: str,
    kind: str,
    key: str,
    payload: dict[str, Any],
    now: datetime,
    expires_at: datetime | None = None,
) -> bool:
    """Queue one message to someone who is no person yet (a newcomer mid-registration whose
    answer failed to leave), by their chat id. There is no STOP to honour: STOP needs a
    person, and a newcomer who says STOP is not asked anything further."""
    values = {
        "dedupe_key": key[:200],
        "kind": kind,
        "person_id": None,
        "site_id": None,
        "channel": channel,
        "address": address,
        "payload": payload,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "expires_at": expires_at or now + DEFAULT_LIFETIME,
        "created_at": now,
    }
    return insert_ignore(session, values)


_INSERT = insert_ignoring(OutboxMessage.__table__, ("dedupe_key",))
_INSERT_MANY = insert_ignoring(OutboxMessage.__table__, ("dedupe_key",), returning=None)
_BLANK = {c.name: None for c in OutboxMessage.__table__.columns if c.name != "id"}


def insert_ignore(session: Session, values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT (dedupe_key) DO NOTHING, on SQLite and PostgreSQL alike."""
    return session.execute(_INSERT, _BLANK | values).scalar_one_or_none() is not None
