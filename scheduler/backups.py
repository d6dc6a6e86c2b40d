"""The daily backup (`models.backup`), once a day whatever the number of scheduler processes.

The job-run row is claimed in its own short transaction and the copy is made outside any:
on SQLite a copy made while holding the write lock would stop every message for its
duration. A failed backup (a full disk, pg_dump missing) is told to the coordinators: nobody
reads the logs of a small server until the day they need the backup.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, time

from sqlalchemy.orm import Session

from handlers.notify import tell_coordinators
from models.backup import BackupError, BackupPlan, back_up
from models.context import Context
from models.db import Database
from models.jobs import JobRun
from models.leases import wall
from scheduler.jobruns import claim_run

log = logging.getLogger("entraide.backup")

AT = time(4, 0)  # local time of the first site: after the 03:30 purge, long before the morning
KIND = "backup"


def _claim(session: Session, ctx: Context, site_id: int, day: date) -> int | None:
    run = claim_run(session, site_id, day, KIND, ctx.now())
    return run.id if run is not None else None


def _record(
    session: Session, ctx: Context, run_id: int, site_id: int, detail: str, failed: bool
) -> None:
    run = session.get(JobRun, run_id)
    if run is not None:
        run.finished_at, run.detail = ctx.now(), detail[:300]
    if failed:
        tell_coordinators(
            session, ctx, site_id, f"backup-failed:{run_id}", "coordinator.backup_failed",
            error=detail[:120],
        )  # fmt: skip


async def daily_backup(db: Database, ctx: Context, plan: BackupPlan, slug: str) -> str:
    """Back up once for `slug`'s local date; what happened, in one line."""
    site_id = ctx.site_ids[slug]
    day = ctx.today(ctx.config.site(slug))
    run_id = await db.run(_claim, ctx, site_id, day)
    if run_id is None:
        return f"{day}: backup already done"
    try:
        path = await asyncio.to_thread(back_up, db.url, plan.folder, wall(), plan.keep)
    except BackupError as exc:
        log.error("daily backup failed: %s", exc)
        await db.run(_record, ctx, run_id, site_id, f"failed: {exc}", True)
        return f"{day}: backup failed: {exc}"
    size = path.stat().st_size
    await db.run(_record, ctx, run_id, site_id, f"{path} ({size} bytes)", False)
    return f"{day}: backed up to {path} ({size} bytes, {plan.keep} kept)"
