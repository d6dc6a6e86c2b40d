"""A call's own state (misses, silences, the request awaiting "oui", the keypad, what was
heard), kept as a conversation state keyed by the CallSid: a restart mid-call loses nothing.
And what a call needs to know of the conversation: who calls, whether a question is open, the
messages an outbound call carries."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers import changes
from handlers.texts.speech import for_the_ear
from handlers.types import Reply
from handlers.voice_types import CallEvent, VoiceTurn
from handlers.voice_words import hints
from models.base import Channel
from models.context import Context
from models.conversation import ConversationState, get_state, set_state
from models.messages import OutboxMessage
from models.people import Person, by_phone

KIND = "voice_call"
CALL_TTL = timedelta(hours=2)
CHANNEL = Channel.VOICE.value


def call_key(sid: str) -> str:
    return f"call:{sid}"


def new_call(person: Person) -> dict[str, Any]:
    return {
        "person_id": person.id,
        "misses": 0,
        "silences": 0,
        "pending": None,
        "keypad": None,
        "answering": False,
        "done": False,
        "heard": [],
        "prompt": [],
    }


def save(
    session: Session,
    ctx: Context,
    ev: CallEvent,
    person: Person,
    data: dict[str, Any],
    turn: VoiceTurn,
) -> VoiceTurn:
    set_state(session, call_key(ev.sid), KIND, data, ctx.now(), CALL_TTL, person.id)
    return turn


def forget_ended_calls(session: Session, now: datetime) -> int:
    """Drop the state of calls over for good (it holds what the caller said); a state is read,
    and dropped, only by the call's next webhook, which never comes after a hang-up."""
    result = session.execute(
        sa.delete(ConversationState).where(
            ConversationState.kind == KIND, ConversationState.expires_at <= now
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def ear(data: dict[str, Any], lang: str) -> tuple[str, ...]:
    return tuple(for_the_ear(text, lang) for text in data.get("prompt", []))


def listen(
    ctx: Context, person: Person, said: tuple[str, ...], step: int, *, keys: bool = False
) -> VoiceTurn:
    return VoiceTurn(
        person.language,
        said,
        listen="keys" if keys else "speech",
        hints=hints(ctx, person.language),
        next_step=step,
    )


def known(session: Session, phone: str) -> Person | None:
    person = by_phone(session, phone)
    if person is None or person.erased_at is not None:
        return None
    return person


def open_question(session: Session, ctx: Context, person: Person) -> str | None:
    """The kind of question the conversation waits on this person to answer, if any."""
    state = get_state(session, changes.state_key(person), ctx.now())
    if state is None or state.kind == changes.LAST or state.kind.startswith("coord_"):
        return None
    return state.kind


def queued_texts(session: Session, ev: CallEvent) -> list[str]:
    """The texts of the outbox rows this call was placed for, in order."""
    if not ev.rows:
        return []
    rows = session.scalars(
        sa.select(OutboxMessage)
        .where(
            OutboxMessage.id.in_(ev.rows),
            OutboxMessage.channel == CHANNEL,
            OutboxMessage.address == ev.phone,
        )
        .order_by(OutboxMessage.id)
    ).all()
    return [Reply.from_json(r.payload).text for r in rows]
