"""Each webhook of a call once: recorded by CallSid, step and number (`CA…:gather:2`, an inbound
row of the voice channel) with the turn it got, so a request Twilio retries gets the same turn
and acts once; and a failure of ours still ends the call kindly. The turns themselves are
`handlers.voice_flow`'s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from handlers import inbound
from handlers.texts import t
from handlers.voice_call import CHANNEL
from handlers.voice_flow import next_turn, tell_callback
from handlers.voice_types import CallEvent, VoiceTurn
from models.context import Context
from models.db import insert_ignoring
from models.messages import InboundMessage
from models.people import by_phone
from models.phones import mask

log = logging.getLogger("entraide.voice")


def handle_call_safely(call: Callable[..., Any], ctx: Context, ev: CallEvent) -> VoiceTurn:
    """`handle_call` as one unit of work (`call` is Database.call); a replayed webhook gets the
    turn it got the first time. If the core fails, the caller hears that a volunteer will call
    back and the coordinators are told: a call never ends on silence."""
    for attempt in range(3):
        try:
            return call(handle_call, ctx, ev)  # type: ignore[no-any-return]
        except inbound.DuplicateRace:
            stored: VoiceTurn | None = call(replay, ev)
            if stored is not None:
                return stored
            return call(_failed, ctx, ev)  # type: ignore[no-any-return]
        except (OperationalError, InterfaceError):
            raise
        except IntegrityError:
            if attempt == 2:
                raise
        except Exception:
            log.exception("call %s: handling failed", mask(ev.sid))
            return call(_failed, ctx, ev)  # type: ignore[no-any-return]
    raise AssertionError("unreachable")


def _sounding(session: Session, ctx: Context, ev: CallEvent, turn: VoiceTurn) -> VoiceTurn:
    """The caller's site says how the bot sounds: its voice and speech language settings."""
    person = by_phone(session, ev.phone)
    voice = ctx.site(person.site_id if person is not None else None).voice
    lang = turn.lang if turn.lang in voice.voices else "fr"
    return replace(
        turn,
        voice=voice.voices[lang],  # type: ignore[index]
        speech_language=voice.languages[lang],  # type: ignore[index]
    )


def replay(session: Session, ev: CallEvent) -> VoiceTurn | None:
    """The turn a webhook already got (Twilio retried it); None if it is not kept (what was
    said was recorded, but not this step: a race that ends the call kindly)."""
    row = session.scalar(
        sa.select(InboundMessage).where(
            InboundMessage.channel == CHANNEL, InboundMessage.external_id == ev.key
        )
    )
    if row is None or not row.reply or "turn" not in row.reply:
        return None
    log.info("call %s %s: already answered, same turn again", mask(ev.sid), ev.step)
    return VoiceTurn.from_json(row.reply["turn"])


_INSERT = insert_ignoring(InboundMessage.__table__, ("channel", "external_id"))
_BLANK = {c.name: None for c in InboundMessage.__table__.columns if c.name != "id"}


def _record(session: Session, ctx: Context, ev: CallEvent, turn: VoiceTurn) -> None:
    person = by_phone(session, ev.phone)
    values = {
        "channel": CHANNEL,
        "external_id": ev.key,
        "address": ev.phone[:64],
        "person_id": person.id if person is not None else None,
        # never None: the retention job empties rows that have a text, and the turn kept with
        # this one says the caller's name
        "text": ev.speech or ev.digits or "",
        "received_at": ctx.now(),
        "handled_at": ctx.now(),
        "reply": {"turn": turn.to_json(), "replies": [], "silent": False},
    }
    if ev.phone[:64] in session.info.get("erased_addresses", ()):  # OUBLIER said in this call
        values.update(address="erased", text=None, person_id=None)
    if session.execute(_INSERT, _BLANK | values).scalar_one_or_none() is None:
        raise inbound.DuplicateRace(ev.key)


def _failed(session: Session, ctx: Context, ev: CallEvent) -> VoiceTurn:
    person = by_phone(session, ev.phone)
    lang = person.language if person is not None else ctx.config.sites[0].language
    tell_callback(session, ctx, person, ev, [ev.speech or ev.digits])
    return _sounding(session, ctx, ev, VoiceTurn(lang, (t(lang, "voice.give_up"),)))


def handle_call(session: Session, ctx: Context, ev: CallEvent) -> VoiceTurn:
    """The next turn of a call; recorded under the webhook's key with the turn it got."""
    turn = _sounding(session, ctx, ev, next_turn(session, ctx, ev))
    _record(session, ctx, ev, turn)
    return turn
