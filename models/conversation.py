"""Conversation state: the pending question or draft of one correspondent, kept in the database.

Keyed by the correspondent's address (`sms:+336…`, `telegram:123`) so that a newcomer who is
not yet a person can be mid-registration; a restart mid-conversation loses nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base


class ConversationState(Base):
    __tablename__ = "conversation_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(32))
    data: Mapped[dict[str, Any]]
    expires_at: Mapped[datetime]
    updated_at: Mapped[datetime]


def get_state(session: Session, key: str, now: datetime) -> ConversationState | None:
    """The pending question of a correspondent, unless it has expired (then it is dropped)."""
    state = session.scalar(sa.select(ConversationState).where(ConversationState.key == key))
    if state is not None and state.expires_at <= now:
        session.delete(state)
        session.flush()
        return None
    return state


def set_state(
    session: Session,
    key: str,
    kind: str,
    data: dict[str, Any],
    now: datetime,
    ttl: timedelta,
    person_id: int | None = None,
) -> ConversationState:
    state = session.scalar(sa.select(ConversationState).where(ConversationState.key == key))
    if state is None:
        state = ConversationState(key=key)
        session.add(state)
    state.kind, state.data, state.person_id = kind, data, person_id
    state.expires_at, state.updated_at = now + ttl, now
    session.flush()
    return state


def clear_state(session: Session, key: str) -> None:
    session.execute(sa.delete(ConversationState).where(ConversationState.key == key))
