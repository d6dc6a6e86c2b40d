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


_BY_KEY = sa.select(ConversationState).where(ConversationState.key == sa.bindparam("key"))


def _cache(session: Session) -> dict[str, ConversationState | None]:
    """States already looked up in this unit of work: asked for twice, read once."""
    return session.info.setdefault("conversation_states", {})


def get_state(session: Session, key: str, now: datetime) -> ConversationState | None:
    """The pending question of a correspondent, unless it has expired (then it is dropped)."""
    cache = _cache(session)
    if key in cache:
        state = cache[key]
    else:
        state = session.scalar(_BY_KEY, {"key": key})
        cache[key] = state
    if state is not None and state.expires_at <= now:
        session.delete(state)
        session.flush()
        cache[key] = None
        return None
    return state


def pop_lapsed(session: Session, key: str, now: datetime) -> str | None:
    """The kind of a question that expired unanswered (it is dropped now), else None.

    So that a late "oui" or "3" is told the question lapsed, instead of being read alone."""
    cache = _cache(session)
    state = cache[key] if key in cache else session.scalar(_BY_KEY, {"key": key})
    cache[key] = state
    if state is None or state.expires_at > now:
        return None
    kind = state.kind
    if kind.startswith("coord_") or kind == "last_order":
        return None  # not a question of the tenant's (get_state drops it)
    session.delete(state)
    session.flush()
    cache[key] = None
    return kind


def set_state(
    session: Session,
    key: str,
    kind: str,
    data: dict[str, Any],
    now: datetime,
    ttl: timedelta,
    person_id: int | None = None,
    *,
    question: bool = True,
) -> ConversationState:
    """Keep what the next message is read against: a question asked (a draft, a choice), or
    with `question=False` a memory that asks nothing (the order just made)."""
    cache = _cache(session)
    state = cache[key] if key in cache else session.scalar(_BY_KEY, {"key": key})
    if state is None:
        state = ConversationState(key=key)
        session.add(state)
    state.kind, state.data, state.person_id = kind, data, person_id
    state.expires_at, state.updated_at = now + ttl, now
    session.flush()
    cache[key] = state
    if question:
        session.info["asked"] = True  # the answer leaves a question open (the clarify rate)
    return state


def set_states(
    session: Session,
    states: list[tuple[str, str, dict[str, Any], timedelta, int | None]],
    now: datetime,
) -> None:
    """`set_state` (a question asked) for many correspondents at once, each a (key, kind,
    data, ttl, person_id): the existing rows read in one statement, all written in one flush."""
    cache = _cache(session)
    unknown = [key for key, *_ in states if key not in cache]
    if unknown:
        found = {
            row.key: row
            for row in session.scalars(
                sa.select(ConversationState).where(ConversationState.key.in_(unknown))
            )
        }
        for key in unknown:
            cache[key] = found.get(key)
    fresh: dict[str, dict[str, Any]] = {}
    for key, kind, data, ttl, person_id in states:
        state = cache[key]
        values = {"kind": kind, "data": data, "person_id": person_id}
        values |= {"expires_at": now + ttl, "updated_at": now}
        if state is None:
            fresh[key] = {"key": key, **values}
        else:
            for name, value in values.items():
                setattr(state, name, value)
    session.flush()
    if fresh:  # the new rows in one executemany; read again when next asked for
        session.execute(sa.insert(ConversationState.__table__), list(fresh.values()))
        for key in fresh:
            del cache[key]
    if states:
        session.info["asked"] = True


def clear_state(session: Session, key: str) -> None:
    cache = _cache(session)
    if key in cache and cache[key] is None:
        return  # known to be absent: no statement
    state = cache.get(key)
    if state is not None:
        session.delete(state)
        session.flush()  # now: a new state under the same key may follow in this transaction
    else:
        session.execute(sa.delete(ConversationState).where(ConversationState.key == key))
    cache[key] = None
