"""The doctor's checks of this machine: the database and its migrations, the scheduler's
heartbeat and jobs, the outbox, and the disk where the database and its backups live.

Read-only, one short transaction. Thresholds are here, once, with why they are what they are.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.doctor import Check, fail, info, ok, warn
from bot.runtime import first_line
from bot.settings import Settings
from handlers.texts.formats import clock_time, day, duration, number, percent
from models.base import OutboxStatus
from models.clock import Clock
from models.config import ServiceConfig
from models.heartbeat import is_stale, latest
from models.jobs import JobRun
from models.messages import OutboxMessage
from models.site import Site

# A due message still waiting after this long: the dispatcher is not sending (it looks every
# second, and a rate-limited retry waits on `next_attempt_at`, which is then not yet due).
OUTBOX_LATE = timedelta(minutes=15)
# A disk this full stops SQLite's writes (and a backup) soon: fail below, warn below twice that.
DISK_FAIL_FREE = 0.05
DISK_FAIL_BYTES = 500 * 1024**2
BACKUP_DIRS = (Path("var/backups"),)


def where(url: str) -> str:
    """The database without its password, for a line a volunteer may paste in a chat."""
    return url.split("@")[-1] if "@" in url else url


def _engine(url: str) -> sa.Engine:
    """An engine that gives up quickly: the doctor must answer even when the server hangs."""
    from models.db import normalise_url

    u = normalise_url(url)
    args: dict[str, object] = {}
    if u.get_backend_name() == "postgresql":
        args["connect_timeout"] = 5
    return sa.create_engine(u, connect_args=args, poolclass=sa.pool.NullPool)


async def database_checks(
    settings: Settings, config: ServiceConfig | None, clock: Clock, lang: str
) -> list[Check]:
    import asyncio

    return await asyncio.to_thread(_database_checks, settings, config, clock, lang)


def _database_checks(
    settings: Settings, config: ServiceConfig | None, clock: Clock, lang: str
) -> list[Check]:
    from alembic.runtime.migration import MigrationContext

    from models.migrate import head_revision

    url, shown = settings.database_url, where(settings.database_url)
    path = settings.sqlite_path()
    if path is not None and not path.exists():
        return [fail("db_missing", where=shown)]
    try:
        engine = _engine(url)
    except Exception as exc:  # a URL SQLAlchemy cannot read, a driver not installed
        return [fail("db_unreachable", where=shown, error=first_line(exc))]
    try:
        try:
            with engine.connect() as conn:
                have = MigrationContext.configure(conn).get_current_revision()
        except Exception as exc:  # refused, unknown host, wrong password, not a database
            return [fail("db_unreachable", where=shown, error=first_line(exc))]
        want = head_revision()
        if have != want:
            return [fail("db_behind", where=shown, have=have or "-", want=want)]
        checks = [ok("db_ok", where=shown, revision=want)]
        now = clock.now()
        for name, run in (
            ("scheduler", lambda s: scheduler_checks(s, config, now, lang)),
            ("outbox", lambda s: outbox_checks(s, now, lang)),
        ):
            try:
                with Session(engine) as session:
                    checks += run(session)
            except Exception as exc:  # one check's trouble must not hide the others
                checks.append(fail("check_error", what=name, error=first_line(exc)))
        return checks
    finally:
        engine.dispose()


def scheduler_checks(
    session: Session, config: ServiceConfig | None, now: datetime, lang: str
) -> list[Check]:
    last = latest(session)
    if last is None:
        checks = [fail("scheduler_never")]
    elif is_stale(last, now):
        checks = [fail("scheduler_stale", ago=duration(now - last, lang))]
    else:
        checks = [ok("scheduler_ok", ago=duration(max(now - last, timedelta(0)), lang))]
    if config is None:
        return checks
    from models.orders import closed_dates
    from scheduler.wiring import SCHEDULE, next_run

    site_ids = {slug: sid for slug, sid in session.execute(sa.select(Site.slug, Site.id))}
    for site in config.sites:
        today = now.astimezone(site.zone).date()
        closed = (
            closed_dates(session, site_ids[site.slug], today, today + timedelta(days=62))
            if site.slug in site_ids
            else set()
        )
        runs = {}
        for kind in SCHEDULE:
            nxt = next_run(site, kind, now, closed)
            local = nxt.astimezone(site.zone) if nxt is not None else None
            runs[kind] = (
                f"{day(local.date(), lang)} {clock_time(local.time(), lang)}" if local else "-"
            )
        checks.append(info("next_runs", site=site.slug, **runs))
        checks.append(_last_evening(session, site.slug, lang))
    return checks


def _last_evening(session: Session, slug: str, lang: str) -> Check:
    row = session.execute(
        sa.select(JobRun, Site.slug)
        .join(Site, Site.id == JobRun.site_id)
        .where(Site.slug == slug, JobRun.kind == "evening")
        .order_by(JobRun.started_at.desc())
        .limit(1)
    ).first()
    if row is None:
        return info("last_evening_none", site=slug)
    run = row[0]
    if run.finished_at is None:
        return warn("last_evening_unfinished", site=slug, day=day(run.run_date, lang))
    return ok(
        "last_evening",
        site=slug,
        day=day(run.run_date, lang),
        detail=run.detail or "-",
    )


def outbox_checks(session: Session, now: datetime, lang: str) -> list[Check]:
    pending = OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
    waiting = session.scalar(sa.select(sa.func.count()).where(pending)) or 0
    due = sa.and_(pending, OutboxMessage.next_attempt_at <= now)
    n_due, oldest = session.execute(
        sa.select(sa.func.count(), sa.func.min(OutboxMessage.next_attempt_at)).where(due)
    ).one()
    failed = (
        session.scalar(
            sa.select(sa.func.count()).where(
                OutboxMessage.status == OutboxStatus.FAILED,
                OutboxMessage.next_attempt_at >= now - timedelta(hours=24),
            )
        )
        or 0
    )
    checks: list[Check] = []
    if oldest is not None and now - oldest > OUTBOX_LATE:
        checks.append(fail("outbox_late", n=number(n_due, lang), ago=duration(now - oldest, lang)))
    else:
        checks.append(ok("outbox_ok", n=number(waiting, lang)))
    if failed:
        checks.append(warn("outbox_failed", n=failed))
    else:
        checks.append(ok("outbox_no_failure"))
    return checks


def disk_checks(settings: Settings, lang: str) -> list[Check]:
    """Free space where the SQLite file and the backups are (PostgreSQL's disk is its server's)."""
    paths: list[Path] = []
    db_path = settings.sqlite_path()
    if db_path is None:
        checks = [info("disk_remote")]
    else:
        checks = []
        paths.append(db_path.parent)
    paths += [p for p in BACKUP_DIRS if p.is_dir()]
    seen: set[int] = set()
    for path in paths:
        if not path.exists() or path.stat().st_dev in seen:
            continue  # one line per disk
        seen.add(path.stat().st_dev)
        checks.append(disk_check(path, lang))
    return checks


def disk_check(path: Path, lang: str) -> Check:
    usage = shutil.disk_usage(path)
    ratio = usage.free / usage.total if usage.total else 0.0
    params = {
        "path": str(path.resolve()),
        "free": number(round(usage.free / 1024**3, 1), lang),
        "ratio": percent(ratio, lang),
    }
    if ratio < DISK_FAIL_FREE or usage.free < DISK_FAIL_BYTES:
        return fail("disk_low", **params)
    if ratio < 2 * DISK_FAIL_FREE:
        return warn("disk_low", **params)
    return ok("disk_ok", **params)
