"""Which process is alive: one lease row per running process that answers messages.

A Telegram answer leaves after the update is acknowledged; if its process dies in between, the
answer is stored but never sent. Waiting a fixed grace before sending it for the dead process
was the only way to be sure a live one was not still sending it (ten minutes: after a kill -9,
tenants waited that long). With a lease per process, the message row names its owner
(`InboundMessage.handled_by`), and another process takes over only what a DEAD owner left:
one whose lease was released (a clean stop), whose heartbeat is older than `TTL`, or, on the
same machine, whose pid no longer runs (a restart after kill -9 is seen at once).

Liveness is real time (`wall`), never the service's clock: tests and trials move the service's
clock (`--at`), processes die in real seconds.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base

BEAT = timedelta(seconds=5)  # how often a live process renews its lease
# Longer than a beat by far: a process busy for a few seconds (a long transaction, a slow disk)
# is never taken for dead. Another machine's process is judged by this alone.
TTL = timedelta(seconds=30)
_held: set[str] = set()  # the leases this process took (one, unless tests play several)


def wall() -> datetime:
    return datetime.now(UTC)


class ProcessLease(Base):
    __tablename__ = "process_leases"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    # the machine and pid namespace the process runs in, and its pid there (see `host_key`)
    host: Mapped[str] = mapped_column(sa.String(200))
    pid: Mapped[int]
    started_at: Mapped[datetime]
    beat_at: Mapped[datetime]
    stopped_at: Mapped[datetime | None]


@cache
def host_key() -> str:
    """Where a pid means something: the host name, the kernel's boot id and the pid namespace.
    Two containers with the same host name have different pid namespaces, so one never judges
    the other's pid; without /proc (not Linux) the pid is never judged at all."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        pidns = os.readlink("/proc/self/ns/pid")
    except OSError:
        return f"{socket.gethostname()}/no-proc/{uuid.uuid4().hex}"
    return f"{socket.gethostname()}/{boot}/{pidns}"[:200]


def register(session: Session, role: str, now: datetime | None = None) -> str:
    """A new lease for this process; its id goes on every message it handles."""
    now = now or wall()
    lease = ProcessLease(
        id=uuid.uuid4().hex,
        role=role[:16],
        host=host_key(),
        pid=os.getpid(),
        started_at=now,
        beat_at=now,
    )
    session.add(lease)
    _held.add(lease.id)
    return lease.id


def beat(session: Session, lease_id: str, now: datetime | None = None) -> bool:
    """Renew the lease; False when it is gone (another process took this one for dead)."""
    result = session.execute(
        sa.update(ProcessLease)
        .where(ProcessLease.id == lease_id, ProcessLease.stopped_at.is_(None))
        .values(beat_at=now or wall())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def release(session: Session, lease_id: str, now: datetime | None = None) -> None:
    """A clean stop: what this process left unsent can be taken over at once."""
    session.execute(
        sa.update(ProcessLease).where(ProcessLease.id == lease_id).values(stopped_at=now or wall())
    )


def _pid_gone(pid: int) -> bool:
    if pid == os.getpid():  # our pid on a lease we never took: a previous life of the pid
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another account's process: alive
        return False
    return False  # alive (or the pid reused since: then the heartbeat decides)


def dead(
    session: Session,
    mine: str | None,
    now: datetime | None = None,
    pid_gone: Callable[[int], bool] = _pid_gone,
    *,
    by_time: bool = True,
) -> list[str]:
    """The leases of processes that are dead for sure, never ours. `by_time`: whether a lease
    not renewed for `TTL` counts; the caller says no when it cannot tell a dead process from
    its own blindness (the database was away, or it was itself asleep: every lease looks old
    then, the live ones' too)."""
    now = now or wall()
    here = host_key()
    out = []
    for lease in session.scalars(sa.select(ProcessLease).where(ProcessLease.id != (mine or ""))):
        if (
            lease.stopped_at is not None
            or (by_time and lease.beat_at < now - TTL)
            or (lease.host == here and lease.id not in _held and pid_gone(lease.pid))
        ):
            out.append(lease.id)
    return out


def forget(session: Session, lease_ids: list[str]) -> None:
    """Leases whose messages were all taken over: nothing refers to them any more."""
    if lease_ids:
        session.execute(sa.delete(ProcessLease).where(ProcessLease.id.in_(lease_ids)))


def forget_lapsed(session: Session, older: timedelta, now: datetime | None = None) -> None:
    """Leases silent for longer than `older`: whatever they owed is too old to be sent."""
    session.execute(sa.delete(ProcessLease).where(ProcessLease.beat_at < (now or wall()) - older))


def silent(session: Session, pid: int, now: datetime | None = None) -> bool:
    """The process `pid` of this machine holds a lease it stopped renewing long ago: alive
    (else its pid would be gone) but stuck, its event loop blocked. Twice the lease's life, so
    a slow moment is never taken for it."""
    limit = (now or wall()) - 2 * TTL
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(ProcessLease)
            .where(
                ProcessLease.host == host_key(),
                ProcessLease.pid == pid,
                ProcessLease.stopped_at.is_(None),
                ProcessLease.beat_at < limit,
            )
        )
        or 0
    ) > 0
