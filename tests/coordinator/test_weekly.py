"""The Monday-morning summary: last week's figures to each coordinator of the site, once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from models.db import Database
from models.messages import OutboxMessage
from scheduler.weekly import due, weekly_summary
from scheduler.wiring import build_scheduler
from tests.coordinator.conftest import residence

PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2026, 11, 30)


def test_sent_once_to_each_coordinator_of_the_site(db: Database) -> None:
    w = residence(db, datetime(2026, 11, 30, 7, 30, tzinfo=UTC))  # Monday 08:30 in Paris
    done = w.db.call(weekly_summary, w.ctx, "moulin", MONDAY)
    assert done == "weekly summary of 2026-11-23..2026-11-29: 2 coordinator(s)"
    assert w.db.call(weekly_summary, w.ctx, "moulin", MONDAY) is None  # the job-run row
    with w.db.transaction() as s:
        rows = s.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.kind == "coordinator")
            .order_by(OutboxMessage.person_id)
        ).all()
        assert [r.person_id for r in rows] == [w.ids["claire"], w.ids["marc"]]
        text = rows[0].payload["text"]
    lines = text.splitlines()
    assert lines[0] == "Résumé de la semaine (la semaine du lundi 23 novembre) :"
    assert lines[1] == "Résidence du Moulin, la semaine du lundi 23 novembre :"
    assert "Livré : 2 baguettes (+2)." in text  # Jeanne's Monday
    assert any(line.startswith("Depuis le début (lundi 23 novembre 2026)") for line in lines)


def test_scheduled_on_monday_morning_in_the_sites_time(config) -> None:
    from models.clock import FrozenClock
    from models.context import Context

    ctx = Context(config, FrozenClock(datetime(2026, 11, 30, 7, 29, tzinfo=UTC)), {"moulin": 1})
    scheduler = build_scheduler(None, ctx)  # type: ignore[arg-type]
    job = scheduler.get_job("weekly:moulin")
    assert job is not None
    start = datetime(2027, 3, 24, tzinfo=PARIS)  # across the spring change (28 March 2027)
    fires, prev, now = [], None, start
    for _ in range(3):
        nxt = job.trigger.get_next_fire_time(prev, now)
        fires.append(nxt.astimezone(PARIS))
        prev, now = nxt, nxt + timedelta(seconds=1)
    assert [(f.date().isoformat(), f.hour, f.minute) for f in fires] == [
        ("2027-03-29", 8, 30),
        ("2027-04-05", 8, 30),
        ("2027-04-12", 8, 30),
    ]
    assert not due(ctx, "moulin")  # 08:29
    later = Context(config, FrozenClock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)), {"moulin": 1})
    assert due(later, "moulin")
    tuesday = Context(config, FrozenClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)), {"moulin": 1})
    assert not due(tuesday, "moulin")
