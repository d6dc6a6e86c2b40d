"""One inbound message, start to finish: record it once, guard against loops, find who wrote,
hand it to the right conversation, and keep the reply with the message.

Everything here runs in the caller's single transaction. A message already handled (a retried
webhook, a replayed update) gets the reply it got the first time and changes nothing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from handlers import optout, registration, router
from handlers.notify import tell_coordinators
from handlers.replies import say
from handlers.types import Inbound, Outcome, Reply
from models.alerts import AlertKind
from models.base import PersonStatus
from models.context import Context
from models.db import insert_ignoring
from models.messages import InboundMessage
from models.people import Person, by_phone, by_telegram
from models.phones import mask

log = logging.getLogger("entraide.inbound")

MAX_TEXT = 4000  # what we keep of a message; a longer one is kept truncated, never dropped
ECHO_WINDOW = timedelta(seconds=10)  # an identical text within this window is acted on once
ECHO_MIN_LENGTH = 13  # shorter texts ("oui", "1", "ok") are answers people repeat on purpose
BURST_WINDOW = timedelta(seconds=60)
BURST_LIMIT = 8  # SMS a minute from one number before the bot stops answering it
# A slow loop: an auto-responder every 11 seconds passes both guards above and would be
# answered ~7,800 times a day. Over an hour: the same text this many times, or our answers
# going round between at most two texts this many times, is a machine, not a person.
LOOP_WINDOW = timedelta(hours=1)
LOOP_SAME_TEXT = 6
LOOP_SAME_REPLIES = 8


class DuplicateRace(Exception):
    """Another worker handled the same message while we did; ours is rolled back."""


_EXISTING = (
    sa.select(InboundMessage)
    .where(
        InboundMessage.channel == sa.bindparam("channel"),
        InboundMessage.external_id == sa.bindparam("external_id"),
    )
    .with_for_update()
)
# The same sender's other messages since a moment, newest first (loop guards). On the table's
# columns, not the mapped class's: a plain Core read skips the ORM's statement and result
# machinery on every SMS (issue 17). It is the unit of work's first statement, so there is
# nothing pending for an ORM autoflush to write first.
_INBOUND = InboundMessage.__table__.c
_SAME_SENDER_SINCE = (
    _INBOUND.channel == sa.bindparam("channel"),
    _INBOUND.address == sa.bindparam("address"),
    _INBOUND.received_at >= sa.bindparam("since"),
    _INBOUND.id != sa.bindparam("current"),
)
# One read serves both guards: the last hour of the sender's messages, newest first; the burst
# guard looks at the last minute of them, the slow-loop guard at the whole hour.
_HOUR = (
    sa.select(_INBOUND.text, _INBOUND.received_at, _INBOUND.reply)
    .where(*_SAME_SENDER_SINCE)
    .order_by(_INBOUND.id.desc())
    .limit(400)  # an hour of a message every 9 seconds; a person sends a handful
)


_INSERT = insert_ignoring(InboundMessage.__table__, ("channel", "external_id"))
_BLANK = {c.name: None for c in InboundMessage.__table__.columns if c.name != "id"}


def _insert(session: Session, values: dict[str, Any]) -> int | None:
    """INSERT … ON CONFLICT (channel, external_id) DO NOTHING; the new id, or None."""
    return session.execute(_INSERT, _BLANK | values).scalar_one_or_none()


def _values(msg: Inbound) -> dict[str, Any]:
    return {
        "channel": msg.channel,
        "external_id": msg.external_id[:64],
        "address": msg.address[:64],
        "text": clean_text(msg.text)[:MAX_TEXT],
        "payload": msg.payload,
        "received_at": msg.received_at,
    }


def clean_text(text: str) -> str:
    """What we can store and read: no NUL (PostgreSQL refuses it in text), no lone surrogates
    (odd encodings)."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def handle(session: Session, ctx: Context, msg: Inbound) -> Outcome:
    """Handle a message once. Its row is written, with its answer, at the end of the same
    transaction; a message already answered (a retried webhook, a replayed update) conflicts
    there, and everything this call did is rolled back (`DuplicateRace`): the caller then
    gives the stored answer (`replay`). Duplicates are rare; checking first would cost every
    message a query."""
    values = _values(msg)
    if values["text"] != msg.text:
        msg = replace(msg, text=values["text"])
    outcome, person_id = _handle_new(session, ctx, msg, -1)
    if msg.address[:64] in session.info.get("erased_addresses", ()):
        values.update(address="erased", text=None, payload=None)
    values.update(
        handled_at=ctx.now(),
        handled_by=ctx.process,
        person_id=person_id,
        reply={"replies": [r.to_json() for r in outcome.replies], "silent": outcome.silent},
    )
    new_id = _insert(session, values)
    if new_id is None:
        raise DuplicateRace(msg.external_id)
    outcome.inbound_id = new_id
    outcome.asked = bool(session.info.pop("asked", False))
    return outcome


def handle_or_replay(call: Callable[..., Any], ctx: Context, msg: Inbound) -> Outcome:
    """`handle`, or the stored answer when the message was already handled. `call` runs a
    unit of work (Database.call).

    Two workers handling the same retried webhook at once can also collide earlier, on the
    order row of the same tenant and day: that unique-key error is retried, and the retry
    finds the message handled."""
    for attempt in range(3):
        try:
            return call(handle, ctx, msg)
        except DuplicateRace:
            return call(replay, msg)
        except (IntegrityError, StaleDataError) as exc:
            if attempt == 2:
                raise
            log.info(
                "%s %s: race with another worker (%s), trying again",
                msg.channel,
                mask(msg.external_id),
                type(exc).__name__,
            )
    raise AssertionError("unreachable")


def handle_safely(call: Callable[..., Any], ctx: Context, msg: Inbound) -> Outcome:
    """`handle_or_replay`; if the core fails on the message (a bug, or data the database refuses,
    such as a value too long for its column), the message is kept for the coordinators instead
    (`keep_unhandled`), so nothing anyone wrote is lost. A database outage is re-raised: the
    webhook answers 503 and the provider sends the message again."""
    try:
        return handle_or_replay(call, ctx, msg)
    except (OperationalError, InterfaceError):
        raise  # the database is unreachable or restarting: the provider sends it again
    except Exception:
        log.exception(
            "%s %s: handling failed; kept for the coordinators", msg.channel, mask(msg.external_id)
        )
        return call(keep_unhandled, ctx, msg)


def keep_unhandled(session: Session, ctx: Context, msg: Inbound) -> Outcome:
    """Store a message the core failed on (not marked handled), show it to the coordinators
    with who sent it, and tell the person it was passed on."""
    person = by_telegram(session, msg.telegram_id) if msg.telegram_id is not None else None
    if person is None and msg.phone:
        person = by_phone(session, msg.phone)
    if person is not None and person.erased_at is not None:
        person = None
    hint = msg.lang_hint if msg.lang_hint in ("fr", "en") else "fr"
    reply = say(person.language if person is not None else hint, "other.forwarded")
    values = _values(msg) | {
        "person_id": person.id if person is not None else None,
        "reply": {"replies": [reply.to_json()], "silent": False, "failed": True},
    }
    new_id = _insert(session, values)
    if new_id is None:  # handled meanwhile, or kept already
        return replay(session, msg)
    tell_coordinators(
        session,
        ctx,
        person.site_id if person is not None else None,
        f"unhandled:{msg.channel}:{msg.external_id[:64]}",
        "coordinator.unhandled",
        alert=AlertKind.UNHANDLED,
        about=person,
        origin=(msg.channel, msg.address),
        name=person.name if person is not None else mask(msg.address),
        text=values["text"][:700],
    )
    return Outcome([reply], inbound_id=new_id)


def replay(session: Session, msg: Inbound) -> Outcome:
    """The stored answer of a message another worker handled first."""
    row = session.scalar(_EXISTING, {"channel": msg.channel, "external_id": msg.external_id[:64]})
    assert row is not None
    return _replay(msg, row)


def _replay(msg: Inbound, row: InboundMessage) -> Outcome:
    log.info("%s %s: already handled, same answer again", msg.channel, mask(msg.external_id))
    replies = [Reply.from_json(r) for r in (row.reply or {}).get("replies", [])]
    return Outcome(replies=replies, duplicate=True, inbound_id=row.id)


def _handle_new(
    session: Session, ctx: Context, msg: Inbound, current: int
) -> tuple[Outcome, int | None]:
    # Loops come from phones (auto-responders, carrier notices, double sends): SMS only.
    # Telegram bots cannot write to bots, and the console is a person at a keyboard.
    # STOP is always acted on and confirmed, inside a burst or a loop too: after it, an SMS
    # number gets no answer at all (optout), so honouring it can never feed a loop.
    guarded = msg.channel == "sms" and not optout.is_stop_word(msg)
    loop = _looping(session, ctx, msg, current) if guarded else None
    if loop == "echo":
        return Outcome(silent=True), None
    if loop == "burst":
        # Act on it (an order is never lost) but stop replying and forwarding: that is what
        # breaks an exchange with an auto-responder, and keeps coordinators from a flood.
        session.info["quiet"] = True
        _replies, person_id = _dispatch(session, ctx, msg)
        return Outcome(silent=True), person_id
    return _dispatch(session, ctx, msg)


def _dispatch(session: Session, ctx: Context, msg: Inbound) -> tuple[Outcome, int | None]:
    person = identify(session, msg)
    person_id = person.id if person is not None else None
    if person is not None and person.erased_at is not None:
        person = None
    if person is None:
        return Outcome(registration.handle(session, ctx, msg)), person_id
    if msg.unreadable:
        return Outcome([say(person.language, "common.unreadable")]), person_id
    was_out = person.opted_out_at is not None
    stop = optout.handle(session, ctx, person, msg)
    if stop is not None:
        rest = optout.after_start(msg.text) if was_out and person.opted_out_at is None else ""
        if rest:  # "pardon, je me suis trompée de touche ! START. et une baguette mercredi"
            more = router.handle(session, ctx, person, replace(msg, text=rest))
            return Outcome([*stop.replies, *more]), person_id
        return stop, person_id
    if person.status is PersonStatus.REFUSED:
        return Outcome([say(person.language, "registration.refused")]), person_id
    replies = router.handle(session, ctx, person, msg)
    return Outcome(replies), (person.id if person.erased_at is None else None)


def identify(session: Session, msg: Inbound) -> Person | None:
    """Who wrote; their row stays locked until commit, so one person's messages take turns."""
    if msg.telegram_id is not None:
        person = by_telegram(session, msg.telegram_id, lock=True)
        if person is not None:
            return person
    if msg.phone:
        return by_phone(session, msg.phone, lock=True)
    return None


def _looping(session: Session, ctx: Context, msg: Inbound, current: int) -> str | None:
    """An auto-responder or a double send, not a person: act once, then stop answering.

    The very same text again right after the previous one, within seconds, is acted on once
    (a person who repeats a question after saying something else is answered); more messages
    a minute than anyone types silences the number, and coordinators hear of it once an hour.
    """
    address = msg.address[:64]
    hour = session.execute(
        _HOUR,
        {
            "channel": msg.channel,
            "address": address,
            "since": msg.received_at - LOOP_WINDOW,
            "current": current,
        },
    ).all()
    since = msg.received_at - BURST_WINDOW
    recent = [row for row in hour if row.received_at >= since][:BURST_LIMIT]
    if (
        recent
        and len(msg.text.strip()) >= ECHO_MIN_LENGTH
        and not msg.choice
        and recent[0].text == clean_text(msg.text)[:MAX_TEXT]
        and recent[0].received_at >= msg.received_at - ECHO_WINDOW
    ):
        log.warning(
            "%s %s: same text again within seconds, not acted on", msg.channel, mask(address)
        )
        return "echo"
    if len(recent) < BURST_LIMIT:
        return slow_loop(session, ctx, msg, hour)
    log.warning(
        "%s %s: over %d messages in a minute, not answering",
        msg.channel,
        mask(address),
        BURST_LIMIT,
    )
    stamp = msg.received_at.strftime("%Y%m%d%H")
    tell_coordinators(
        session,
        ctx,
        None,
        f"loop:{msg.channel}:{_who(identify(session, msg), address)}:{stamp}",
        "coordinator.loop",
        channel=msg.channel,
        address=mask(address),
    )
    return "burst"


def slow_loop(session: Session, ctx: Context, msg: Inbound, hour: list[sa.Row[Any]]) -> str | None:
    """The same text, or the same answers going round, all hour long: stop answering (the
    messages are still acted on, silently, like a burst) and tell coordinators once a day.
    `hour`: the sender's other messages of the last hour, newest first (read by `_looping`).

    The notice's key holds the person's id, never the number (erasure would have to find it)."""
    address = msg.address[:64]
    text = clean_text(msg.text)[:MAX_TEXT]
    same_text = sum(1 for row in hour if row.text == text) + 1
    if len(text.strip()) < ECHO_MIN_LENGTH or msg.choice:  # "oui", "1": said again on purpose
        same_text = 0
    # answers given, newest first; the silences of a loop already caught keep it caught
    answers = [a for a in (_answer_text(row.reply) for row in hour) if a][:LOOP_SAME_REPLIES]
    cycling = len(answers) >= LOOP_SAME_REPLIES and len(set(answers)) <= 2
    if same_text < LOOP_SAME_TEXT and not cycling:
        return None
    log.warning(
        "%s %s: the same %s for an hour, not answering",
        msg.channel,
        mask(address),
        "text" if same_text >= LOOP_SAME_TEXT else "answers",
    )
    person = identify(session, msg)
    tell_coordinators(
        session,
        ctx,
        person.site_id if person is not None else None,
        f"slow-loop:{msg.channel}:{_who(person, address)}:{msg.received_at:%Y%m%d}",
        "coordinator.slow_loop",
        channel=msg.channel,
        address=mask(address),
    )
    return "burst"


def _who(person: Person | None, address: str) -> str:
    """Who loops, for an outbox key: the person's id; for a stranger, a digest of the
    address (a key must never hold a number: erasure would have to find it there)."""
    if person is not None:
        return f"person:{person.id}"
    return "unknown:" + hashlib.sha256(address.encode()).hexdigest()[:16]


def _answer_text(reply: dict[str, Any] | None) -> str:
    """What we answered, as one text ("" when we said nothing)."""
    if not reply or reply.get("silent"):
        return ""
    return " / ".join(r.get("text", "") for r in reply.get("replies", []))
