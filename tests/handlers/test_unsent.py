"""Answers left unsent: a dead process's are taken over at once, a live one's never by another
process (models/leases.py, handlers/unsent.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa

from handlers.inbound import handle_or_replay
from handlers.types import Inbound
from handlers.unsent import queue_unsent, take_over
from models.base import Role
from models.context import Context
from models.db import Database
from models.leases import TTL, ProcessLease, dead, host_key, register, release, wall
from models.messages import OutboxMessage
from tests.builders import residence

PETER_TG = 7002


@pytest.fixture
def ctx(db: Database, config, clock) -> Context:
    res = residence(db, config, clock, frozenset({"telegram"}))
    res.add("+33622222222", "Peter Collins", {Role.TENANT}, lang="en", telegram_id=PETER_TG)
    return res.ctx


def _process(db: Database, ctx: Context) -> Context:
    """Another process: its own lease, the same service."""
    return replace(ctx, process=db.call(register, "test"))


def _handled(db: Database, ctx: Context, update_id: int, text: str) -> int:
    msg = Inbound(
        channel="telegram",
        external_id=str(update_id),
        address=str(PETER_TG),
        text=text,
        received_at=ctx.now(),
        telegram_id=PETER_TG,
    )
    outcome = handle_or_replay(db.call, ctx, msg)  # committed; its answer never left
    assert outcome.inbound_id is not None
    return outcome.inbound_id


def _queued(db: Database) -> list[str]:
    with db.transaction() as s:
        return list(s.scalars(sa.select(OutboxMessage.dedupe_key).order_by(OutboxMessage.id)))


def _age(db: Database, lease: str, by: timedelta) -> None:
    with db.transaction() as s:
        s.execute(
            sa.update(ProcessLease).where(ProcessLease.id == lease).values(beat_at=wall() - by)
        )


def test_a_dead_process_answers_are_taken_over_at_once_a_live_ones_never(
    db: Database, ctx: Context, clock
) -> None:
    live, gone, me = _process(db, ctx), _process(db, ctx), _process(db, ctx)
    kept = _handled(db, live, 1, "2 loaves tomorrow")
    lost = _handled(db, gone, 2, "1 pack of water Friday")
    _age(db, gone.process, TTL + timedelta(seconds=1))  # its heartbeat stopped

    assert db.call(take_over, me, ["telegram"]) == 1
    assert _queued(db) == [f"reply:{lost}:0"]
    with db.transaction() as s:  # nothing of the dead one is left to take: its lease goes
        assert s.get(ProcessLease, gone.process) is None

    clock.advance(timedelta(hours=2))  # long past any grace: the live one's is still its own
    assert db.call(take_over, me, ["telegram"]) == 0
    assert db.call(queue_unsent, me, ["telegram"]) == 0
    assert _queued(db) == [f"reply:{lost}:0"]
    # the owner's own sweep, after the grace, does queue it (a send that failed unnoticed)
    assert db.call(queue_unsent, live, ["telegram"]) == 1
    assert _queued(db) == [f"reply:{lost}:0", f"reply:{kept}:0"]
    # taking over again, by anyone, queues nothing twice
    assert db.call(take_over, me, ["telegram"]) == 0
    assert db.call(queue_unsent, live, ["telegram"]) == 0


def test_a_clean_stop_gives_the_answers_up_at_once(db: Database, ctx: Context) -> None:
    stopping, me = _process(db, ctx), _process(db, ctx)
    inbound = _handled(db, stopping, 1, "2 loaves tomorrow")
    assert db.call(take_over, me, ["telegram"]) == 0  # it lives
    db.call(release, stopping.process)
    assert db.call(take_over, me, ["telegram"]) == 1
    assert _queued(db) == [f"reply:{inbound}:0"]


def test_on_the_same_machine_a_pid_that_no_longer_runs_is_dead_before_its_lease_lapses(
    db: Database,
) -> None:
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    gone_pid, now, there = int(ended.stdout), wall(), "another-machine/boot/pid:[1]"

    def lease(name: str, host: str, pid: int, beat: timedelta = timedelta(0)) -> ProcessLease:
        return ProcessLease(
            id=name, role="web", host=host, pid=pid, started_at=now, beat_at=now - beat
        )

    with db.transaction() as s:
        s.add_all(
            [
                lease("killed", host_key(), gone_pid),  # fresh beat, but its pid is gone
                lease("previous-life", host_key(), os.getpid()),  # our pid, not our lease
                lease("running", host_key(), os.getppid()),
                lease("elsewhere", there, gone_pid),  # a pid of another machine means nothing
                lease("lapsed", there, gone_pid, beat=TTL * 2),
            ]
        )
    with db.transaction() as s:
        assert set(dead(s, mine=None)) == {"killed", "previous-life", "lapsed"}


def test_without_telegram_nothing_is_taken_and_only_lapsed_leases_are_forgotten(
    db: Database, ctx: Context
) -> None:
    gone, old, me = _process(db, ctx), _process(db, ctx), _process(db, ctx)
    inbound = _handled(db, gone, 1, "2 loaves tomorrow")
    db.call(release, gone.process)
    _age(db, old.process, timedelta(days=2))
    assert db.call(take_over, me, []) == 0  # an SMS-only dispatcher: not its business
    with db.transaction() as s:
        assert {lease.id for lease in s.scalars(sa.select(ProcessLease))} == {
            gone.process,
            me.process,
        }
    assert db.call(take_over, me, ["telegram"]) == 1
    assert _queued(db) == [f"reply:{inbound}:0"]


def test_an_old_lease_is_not_taken_for_dead_by_a_process_that_was_not_watching(
    db: Database, ctx: Context
) -> None:
    """After a database outage or a machine's sleep every lease looks old, the live ones' too:
    until it has watched for a whole lease, a process takes over only what is surely dead."""
    from scheduler.dispatcher import Steadiness

    quiet, me = _process(db, ctx), _process(db, ctx)
    inbound = _handled(db, quiet, 1, "2 loaves tomorrow")
    _age(db, quiet.process, TTL + timedelta(seconds=1))
    assert db.call(take_over, me, ["telegram"], False) == 0
    assert db.call(take_over, me, ["telegram"], True) == 1
    assert _queued(db) == [f"reply:{inbound}:0"]

    steady, t = Steadiness(ttl=30), 1000.0
    assert not steady.tick(t)  # just started
    for t in range(1001, 1031):
        steady.tick(float(t))
    assert steady.tick(1031.0)  # watched a whole lease, one tick a second
    steady.failed()  # the database away
    assert not steady.tick(1032.0)
    for t in range(1033, 1063):
        steady.tick(float(t))
    assert steady.tick(1063.0)
    assert not steady.tick(1063.0 + Steadiness.GAP + 1)  # asleep in between
