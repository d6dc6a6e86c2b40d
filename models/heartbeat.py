"""The scheduler's heartbeat: one row per process name, its last beat in UTC.

Only the process that runs the scheduler beats. `/readyz`, `entraide doctor` and the worker
supervisor of `entraide run --workers N` read the row: a beat older than a few intervals means
the jobs (evening rounds, the outbox) have stopped, though the web side still answers.
The row is upserted, so two beats racing (a restarted process beside a dying one) never fail.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base

SCHEDULER = "scheduler"
EVERY = timedelta(seconds=30)  # how often the scheduler beats
STALE = 4 * EVERY  # a beat older than this: the scheduler is stopped or stuck


class Heartbeat(Base):
    __tablename__ = "heartbeats"

    process: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    beat_at: Mapped[datetime]
    started_at: Mapped[datetime]
    pid: Mapped[int] = mapped_column(default=0)
    host: Mapped[str] = mapped_column(sa.String(120), default="")


def beat(
    session: Session,
    process: str,
    now: datetime,
    *,
    started_at: datetime | None = None,
    pid: int = 0,
    host: str = "",
) -> None:
    """Record that `process` is alive at `now` (`started_at` only changes when given)."""
    dialect = session.get_bind().dialect.name
    ins = (postgresql if dialect == "postgresql" else sqlite).insert(Heartbeat)
    values = {"process": process, "beat_at": now, "pid": pid, "host": host}
    stmt = ins.values(**values, started_at=started_at or now)
    update = dict(values) | ({"started_at": started_at} if started_at is not None else {})
    session.execute(stmt.on_conflict_do_update(index_elements=["process"], set_=update))


def latest(session: Session, process: str = SCHEDULER) -> datetime | None:
    """When `process` last beat, or None if it never did."""
    return session.scalar(sa.select(Heartbeat.beat_at).where(Heartbeat.process == process))


def is_stale(last: datetime | None, now: datetime, stale: timedelta = STALE) -> bool:
    """No beat at all, or none for longer than `stale`."""
    return last is None or now - last > stale
