"""The scheduler's heartbeat: upserted per process, read back as an aware UTC time, and stale
once it is older than a few beats; the scheduler beats as soon as it starts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from models.clock import FrozenClock
from models.context import Context
from models.db import Database
from models.heartbeat import SCHEDULER, STALE, Heartbeat, beat, is_stale, latest
from models.sync import sync_config

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_no_beat_is_stale(db: Database) -> None:
    with db.transaction() as s:
        assert latest(s) is None
    assert is_stale(None, T0)


def test_beats_upsert_one_row_per_process(db: Database) -> None:
    with db.transaction() as s:
        beat(s, SCHEDULER, T0, started_at=T0, pid=11, host="box")
    with db.transaction() as s:
        beat(s, SCHEDULER, T0 + timedelta(seconds=30), pid=12, host="box")
        beat(s, "other", T0 + timedelta(seconds=5))
    with db.transaction() as s:
        assert latest(s) == T0 + timedelta(seconds=30)
        assert latest(s, "other") == T0 + timedelta(seconds=5)
        row = s.get(Heartbeat, SCHEDULER)
        assert row is not None and (row.pid, row.started_at) == (12, T0)
    assert not is_stale(T0, T0 + STALE)
    assert is_stale(T0, T0 + STALE + timedelta(seconds=1))


async def test_the_scheduler_beats_when_it_starts(db: Database, config) -> None:
    from scheduler.wiring import build_scheduler

    clock = FrozenClock(T0)
    with db.transaction() as s:
        site_ids = sync_config(s, config, clock)
    scheduler = build_scheduler(db, Context(config, clock, site_ids))
    scheduler.remove_job("catch-up")  # the jobs themselves are not this test's business
    scheduler.start()
    try:
        for _ in range(100):
            with db.transaction() as s:
                if latest(s) is not None:
                    break
            await asyncio.sleep(0.05)
    finally:
        scheduler.shutdown(wait=False)
    with db.transaction() as s:
        assert latest(s) == T0
