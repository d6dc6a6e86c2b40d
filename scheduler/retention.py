"""Daily data retention: raw message texts and exported files older than `retention_days`
are removed (GDPR: kept no longer than needed); counts and orders stay."""

from __future__ import annotations

import logging
import time
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from handlers.exports import EXPORT_DIR
from models.context import Context
from models.privacy import purge_texts
from scheduler.jobruns import claim_run

log = logging.getLogger("entraide.retention")


def purge(session: Session, ctx: Context, slug: str, day: date) -> str:
    """Once a day (guarded like every job), for the whole database."""
    if claim_run(session, ctx.site_ids[slug], day, "purge", ctx.now()) is None:
        return f"{day}: purge already done"
    days = ctx.config.retention_days
    counts = purge_texts(session, ctx.now(), days)
    files = purge_exports(EXPORT_DIR, days)
    log.info("retention (%d days): %s, %d export file(s)", days, counts, files)
    return f"{day}: texts emptied {counts}, {files} export file(s) removed"


def purge_exports(folder: Path, days: int, now: float | None = None) -> int:
    if not folder.is_dir():
        return 0
    limit = (now or time.time()) - days * 86400
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink()
            removed += 1
    return removed
