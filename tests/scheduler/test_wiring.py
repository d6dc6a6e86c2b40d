"""Cron triggers in the site's zone: daylight-saving days fire once, at the right local time;
catch-up after a restart picks what was missed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.clock import FrozenClock
from scheduler.wiring import SCHEDULE, due_now, trigger

PARIS = ZoneInfo("Europe/Paris")


def fires(site, kind: str, start: datetime, end: datetime) -> list[datetime]:
    trig = trigger(site, kind)
    out, prev, now = [], None, start
    while True:
        nxt = trig.get_next_fire_time(prev, now)
        if nxt is None or nxt > end:
            return out
        out.append(nxt)
        prev, now = nxt, nxt + timedelta(seconds=1)


@pytest.mark.parametrize("day", ["2027-03-28", "2027-10-31"])
@pytest.mark.parametrize("kind", sorted(SCHEDULE))
def test_dst_days_fire_once_at_local_time(config, day: str, kind: str) -> None:
    site = config.sites[0]
    d = datetime.fromisoformat(day).date()
    start = datetime(d.year, d.month, d.day, tzinfo=PARIS) - timedelta(days=1)
    end = start + timedelta(days=3)
    times = fires(site, kind, start, end)
    assert len(times) == 3  # the day before, the DST day, the day after: once each
    want = SCHEDULE[kind][0](site)
    for t in times:
        local = t.astimezone(PARIS)
        assert (local.hour, local.minute) == (want.hour, want.minute)
    assert len({t.astimezone(PARIS).date() for t in times}) == 3


def test_catch_up_after_evening_send_time(config) -> None:
    from models.context import Context

    site = config.sites[0]
    at_1600 = Context(config, FrozenClock(datetime(2026, 11, 24, 15, 0, tzinfo=UTC)), {"moulin": 1})
    at_1900 = Context(config, FrozenClock(datetime(2026, 11, 24, 18, 0, tzinfo=UTC)), {"moulin": 1})
    assert "evening" not in due_now(at_1600, site)
    assert "evening" in due_now(at_1900, site)
    assert {"morning", "escalate"} <= set(due_now(at_1900, site))


def test_next_run_skips_firings_that_send_nothing(config) -> None:
    from datetime import date

    from scheduler.wiring import next_run

    site = config.sites[0]  # deliveries Monday to Saturday
    saturday_10h = datetime(2026, 11, 28, 10, 0, tzinfo=PARIS)
    evening = next_run(site, "evening", saturday_10h)  # not Saturday's: Sunday has no delivery
    assert evening == datetime(2026, 11, 29, 18, 30, tzinfo=PARIS)
    closed_monday = next_run(site, "evening", saturday_10h, {date(2026, 11, 30)})
    assert closed_monday == datetime(2026, 11, 30, 18, 30, tzinfo=PARIS)
    sunday_11h = datetime(2026, 11, 29, 11, 0, tzinfo=PARIS)
    assert next_run(site, "morning", sunday_11h) == datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
