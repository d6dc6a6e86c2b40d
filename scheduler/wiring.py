"""APScheduler wiring: one AsyncIOScheduler, cron triggers per site in the site's time zone.

Schedules are declared in one table (`SCHEDULE`), safe to run twice: each job hands over to a
function guarded by the job-run row. `misfire_grace_time` is generous and runs coalesce, so a
busy or restarted process still runs the job (APScheduler's default of one second would skip
it); `catch_up` at start-up does what a process that was down missed, late rather than never.
Jobs get a site slug, never personal data (they would be pickled into a persistent job store).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Callable, Collection
from datetime import date, datetime, time, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from models.backup import BackupPlan
from models.config import SiteConfig
from models.context import Context
from models.daily_totals import settle_all
from models.db import Database
from models.heartbeat import EVERY as BEAT_EVERY
from models.heartbeat import SCHEDULER, beat
from models.orders import closed_dates
from models.rules import delivers
from scheduler.backups import AT as BACKUP_AT
from scheduler.backups import daily_backup
from scheduler.evening import evening
from scheduler.morning import escalate, morning_check
from scheduler.retention import purge
from scheduler.weekly import AT as WEEKLY_AT
from scheduler.weekly import WEEKDAY, weekly_summary
from scheduler.weekly import due as weekly_due

log = logging.getLogger("entraide.scheduler")

GRACE = 6 * 3600  # seconds a run may be late and still happen
SETTLE_AT = time(3, 40)  # local time of the first site: the daily totals, after the purge


def settle_every_site(session: Any, ctx: Context) -> int:
    """Sum the days that became a week old at every site (idempotent: run it any time)."""
    today = ctx.today(ctx.config.sites[0])
    return settle_all(session, list(ctx.site_ids.values()), today, ctx.now())


def _plus(at: time, hours: int) -> time:
    return (datetime.combine(date(2000, 1, 1), at) + timedelta(hours=hours)).time()


# kind → (when, in the site's local time; which delivery date the run is about)
SCHEDULE: dict[str, tuple[Callable[[SiteConfig], time], int]] = {
    "evening": (lambda s: s.evening_send, 1),  # the evening before D
    "morning": (lambda s: s.morning_check, 0),  # the morning of D
    "escalate": (lambda s: _plus(s.morning_check, s.escalate_after_hours), 0),
}
JOBS = {"evening": evening, "morning": morning_check, "escalate": escalate}


def trigger(site: SiteConfig, kind: str) -> CronTrigger:
    at = SCHEDULE[kind][0](site)
    return CronTrigger(hour=at.hour, minute=at.minute, timezone=site.zone)


def run_kind(session: Any, ctx: Context, slug: str, kind: str, local_day: date) -> str | None:
    """The job of `kind` for the delivery day it concerns, if that day is a delivery day."""
    site = ctx.config.site(slug)
    day = local_day + timedelta(days=SCHEDULE[kind][1])
    closed = closed_dates(session, ctx.site_ids[slug], day, day)
    if not delivers(site, day, closed):
        return None
    result = JOBS[kind](session, ctx, slug, day)
    return "; ".join(result.lines()) if hasattr(result, "lines") else str(result)


def next_run(
    site: SiteConfig, kind: str, now: datetime, closed: Collection[date] = ()
) -> datetime | None:
    """When the job of `kind` next does something: its next firing whose delivery day is one
    (a Saturday evening before a Sunday without deliveries fires, and does nothing)."""
    trig, after = trigger(site, kind), now
    for _ in range(62):
        fire = trig.get_next_fire_time(None, after)
        if fire is None:
            return None
        day = fire.astimezone(site.zone).date() + timedelta(days=SCHEDULE[kind][1])
        if delivers(site, day, closed):
            return fire
        after = fire + timedelta(seconds=1)
    return None


def due_now(ctx: Context, site: SiteConfig) -> list[str]:
    """Kinds whose time has passed today (for catch-up after a restart): evening runs until
    midnight, the morning ones until the end of the day."""
    now = ctx.local_now(site)
    return [k for k, (when, _) in SCHEDULE.items() if now.time() >= when(site)]


def build_scheduler(
    db: Database,
    ctx: Context,
    wake: asyncio.Event | None = None,
    backups: BackupPlan | None = None,
) -> AsyncIOScheduler:
    """The jobs of every site, run in `db`'s worker pool; `wake` tells the outbox to look now;
    `backups`: where the daily backup goes (none without it)."""
    scheduler = AsyncIOScheduler(
        timezone="UTC",
        job_defaults={"coalesce": True, "misfire_grace_time": GRACE, "max_instances": 1},
    )

    async def run(slug: str, kind: str) -> None:
        site = ctx.config.site(slug)
        local_day = ctx.today(site)
        try:
            result = await db.run(run_kind, ctx, slug, kind, local_day)
        except Exception:
            log.exception("%s job for %s failed", kind, slug)
            return
        if result:
            log.info("%s %s: %s", kind, slug, result)
        if wake is not None:
            wake.set()

    async def run_weekly(slug: str) -> None:
        """The Monday summary to coordinators (once: the job-run row guards it)."""
        try:
            result = await db.run(weekly_summary, ctx, slug, ctx.today(ctx.config.site(slug)))
        except Exception:
            log.exception("weekly summary for %s failed", slug)
            return
        if result:
            log.info("weekly %s: %s", slug, result)
        if wake is not None:
            wake.set()

    async def run_backup() -> None:
        assert backups is not None
        try:
            log.info("backup: %s", await daily_backup(db, ctx, backups, first.slug))
        except Exception:
            log.exception("daily backup failed")
        if wake is not None:
            wake.set()  # a failure is told to the coordinators

    async def catch_up() -> None:
        await run_settle()  # after an upgrade, before the first /stats if it can
        for site in ctx.config.sites:
            for kind in due_now(ctx, site):
                await run(site.slug, kind)
            if weekly_due(ctx, site.slug):
                await run_weekly(site.slug)
        if backups is not None and ctx.local_now(first).time() >= BACKUP_AT:
            await run_backup()  # a server down at night still gets today's copy

    first = ctx.config.sites[0]
    for site in ctx.config.sites:
        for kind in SCHEDULE:
            scheduler.add_job(
                run,
                trigger(site, kind),
                args=[site.slug, kind],
                id=f"{kind}:{site.slug}",
                replace_existing=True,
            )
        scheduler.add_job(
            run_weekly,
            CronTrigger(
                day_of_week=WEEKDAY,
                hour=WEEKLY_AT.hour,
                minute=WEEKLY_AT.minute,
                timezone=site.zone,
            ),
            args=[site.slug],
            id=f"weekly:{site.slug}",
            replace_existing=True,
        )

    async def run_purge() -> None:
        try:
            log.info("retention: %s", await db.run(purge, ctx, first.slug, ctx.today(first)))
        except Exception:
            log.exception("retention purge failed")

    async def run_settle() -> None:
        """The daily totals, every site (a /stats request settles a few days at most)."""
        try:
            added = await db.run(settle_every_site, ctx)
            log.info("settle: %d site-day(s) summed", added)
        except Exception:
            log.exception("settling the daily totals failed")

    scheduler.add_job(
        run_settle,
        CronTrigger(hour=SETTLE_AT.hour, minute=SETTLE_AT.minute, timezone=first.zone),
        id="settle",
        replace_existing=True,
    )
    scheduler.add_job(
        run_purge,
        CronTrigger(hour=3, minute=30, timezone=first.zone),
        id="purge",
        replace_existing=True,
    )
    if backups is not None:
        scheduler.add_job(
            run_backup,
            CronTrigger(hour=BACKUP_AT.hour, minute=BACKUP_AT.minute, timezone=first.zone),
            id="backup",
            replace_existing=True,
        )
    start = datetime.now().astimezone() + timedelta(seconds=1)
    scheduler.add_job(catch_up, "date", id="catch-up", run_date=start)
    add_heartbeat(scheduler, db, ctx)
    return scheduler


def add_heartbeat(scheduler: AsyncIOScheduler, db: Database, ctx: Context) -> None:
    """Beat now and every `BEAT_EVERY`: `/readyz` and `entraide doctor` read the row to tell a
    running scheduler from a stopped one (the web side answers either way)."""
    started = ctx.now()
    pid, host = os.getpid(), socket.gethostname()

    async def run_beat() -> None:
        try:
            await db.run(beat, SCHEDULER, ctx.now(), started_at=started, pid=pid, host=host)
        except Exception:  # a database outage: the next beat tries again
            log.exception("scheduler heartbeat not recorded")

    scheduler.add_job(
        run_beat,
        "interval",
        seconds=BEAT_EVERY.total_seconds(),
        id="heartbeat",
        replace_existing=True,
        next_run_time=datetime.now().astimezone(),
        misfire_grace_time=int(BEAT_EVERY.total_seconds()),
    )
