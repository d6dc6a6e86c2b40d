"""Daily data retention: raw message texts and exported files older than `retention_days`
are removed (GDPR: kept no longer than needed); counts and orders stay. Printed round sheets
(names, doors, notes) are useful for one day: they go after `SHEET_DAYS`."""

from __future__ import annotations

import logging
import time
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from handlers.exports import EXPORT_DIR
from handlers.var_files import SHEETS_DIR, VAR_DIR
from handlers.voice_call import forget_ended_calls
from models.context import Context
from models.privacy import purge_texts
from scheduler.jobruns import claim_run

log = logging.getLogger("entraide.retention")

SHEET_DAYS = 7


def purge(session: Session, ctx: Context, slug: str, day: date) -> str:
    """Once a day (guarded like every job), for the whole database."""
    if claim_run(session, ctx.site_ids[slug], day, "purge", ctx.now()) is None:
        return f"{day}: purge already done"
    days = ctx.config.retention_days
    counts = purge_texts(session, ctx.now(), days)
    files = purge_exports(EXPORT_DIR, days)
    sheets = purge_sheets(VAR_DIR, SHEETS_DIR)
    calls = forget_ended_calls(session, ctx.now())
    log.info(
        "retention (%d days): %s, %d export file(s), %d round sheet(s), %d ended call(s)",
        days,
        counts,
        files,
        sheets,
        calls,
    )
    return (
        f"{day}: texts emptied {counts}, {files} export file(s), {sheets} round sheet(s) removed, "
        f"{calls} ended call(s) forgotten"
    )


def purge_exports(folder: Path, days: int, now: float | None = None, pattern: str = "*") -> int:
    if not folder.is_dir():
        return 0
    limit = (now or time.time()) - days * 86400
    removed = 0
    for path in folder.glob(pattern):
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink()
            removed += 1
    return removed


def purge_sheets(var: Path, sheets: Path, now: float | None = None) -> int:
    """Round sheets under var/sheets, and those older versions wrote as var/rounds-*.html."""
    return purge_exports(sheets, SHEET_DAYS, now) + purge_exports(
        var, SHEET_DAYS, now, "rounds-*.html"
    )
