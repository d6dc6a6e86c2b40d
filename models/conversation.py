"""Conversation state: the pending question or draft of one correspondent, kept in the database.

Keyed by the correspondent's address (`sms:+336…`, `telegram:123`) so that a newcomer who is
not yet a person can be mid-registration; a restart mid-conversation loses nothing.
"""

from __future__ import annotations

import warnings
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, make_transient_to_detached, mapped_column
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

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
# A state is written on most messages. Plain statements on the table cost a fraction of a
# unit-of-work flush of one row (issue 17); the mapped object is kept in step by hand
# (`set_committed_value`, `make_transient_to_detached`), as a flush would have left it.
_TABLE = ConversationState.__table__
_INSERT = sa.insert(_TABLE).returning(_TABLE.c.id)
_UPDATE = sa.update(_TABLE).where(_TABLE.c.id == sa.bindparam("state_id"))
_DELETE = sa.delete(_TABLE).where(_TABLE.c.id == sa.bindparam("state_id"))


def _id(state: ConversationState) -> int:
    """The row's id from the identity map, as a flush takes it (no load, even if expired)."""
    identity = sa.inspect(state).identity
    assert identity is not None
    return int(identity[0])


def _drop(session: Session, state: ConversationState) -> None:
    """Delete the state's row now (a new state under the same key may follow in this
    transaction), as `session.delete` and a flush would, and forget the object."""
    session.flush()  # what was pending is written first, as in the flush that deleted the row
    deleted = session.execute(_DELETE, {"state_id": _id(state)}).rowcount
    if deleted != 1:  # what the ORM says of a row gone meanwhile (a warning, not an error)
        warnings.warn(
            f"DELETE statement on table 'conversation_states' expected to delete 1 row(s); "
            f"{deleted} were matched.",
            sa.exc.SAWarning,
            stacklevel=3,
        )
    session.expunge(state)


def _write(
    session: Session, state: ConversationState | None, key: str, values: dict[str, Any]
) -> ConversationState:
    """The row of `key` with these values: inserted, or updated when any differs, like the
    flush of the mapped object (an update that finds no row raises `StaleDataError`, which
    `inbound.handle_or_replay` takes as a race with another worker)."""
    session.flush()  # what was pending is written first, as in the flush that wrote the row
    if state is None:
        state_id = session.execute(_INSERT, {"key": key, **values}).scalar_one()
        state = ConversationState(id=state_id, key=key, **values)
        make_transient_to_detached(state)  # as if loaded: persistent once added, nothing dirty
        session.add(state)
        return state
    loaded = state.__dict__  # what is loaded; an expired attribute counts as changed
    if all(name in loaded and loaded[name] == value for name, value in values.items()):
        return state  # the flush would have found nothing to write
    updated = session.execute(_UPDATE, {"state_id": _id(state), **values}).rowcount
    if updated != 1:
        raise StaleDataError(
            f"UPDATE statement on table 'conversation_states' expected to update 1 row(s); "
            f"{updated} were matched."
        )
    for name, value in values.items():
        set_committed_value(state, name, value)
    return state


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
        _drop(session, state)
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
    _drop(session, state)
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
    values = {"kind": kind, "data": data, "person_id": person_id}
    state = _write(session, state, key, values | {"expires_at": now + ttl, "updated_at": now})
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
        _drop(session, state)  # now: a new state under the same key may follow
    else:
        session.execute(sa.delete(ConversationState).where(ConversationState.key == key))
    cache[key] = None
