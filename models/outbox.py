"""Putting a message in the outbox: routed to a channel, deduplicated, with an expiry.

`enqueue` is called inside the transaction of the change that causes the message, so the
change and the message commit together; the dedupe key makes a second call a no-op.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

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

    Nobody who said STOP, and nobody erased, gets anything: that rule lives here, once.
    `via` is the (channel, address) of the conversation being answered (a coordinator's answer
    goes back where the tenant wrote from), kept while that channel is still configured.
    """
    if person.opted_out_at is not None or person.erased_at is not None:
        return False
    channel, address = route(person, channels)
    if via is not None and (via[0] in channels or via[0] == Channel.CONSOLE):
        channel, address = via
    values = {
        "dedupe_key": key[:200],
        "kind": kind,
        "person_id": person.id,
        "site_id": site_id if site_id is not None else person.site_id,
        "channel": channel,
        "address": address,
        "payload": payload,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": not_before or now,
        "expires_at": expires_at or now + DEFAULT_LIFETIME,
        "created_at": now,
    }
    return insert_ignore(session, values)


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
_BLANK = {c.name: None for c in OutboxMessage.__table__.columns if c.name != "id"}


def insert_ignore(session: Session, values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT (dedupe_key) DO NOTHING, on SQLite and PostgreSQL alike."""
    return session.execute(_INSERT, _BLANK | values).scalar_one_or_none() is not None
