"""The job-run guard: a scheduled job for (site, date, kind) does its work once.

The unique row is inserted in the same transaction as the work, so a restart, a misfire, a
second scheduler process or a second `entraide rounds send` finds it and does nothing.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.jobs import JobRun


def claim_run(session: Session, site_id: int, day: date, kind: str, now: datetime) -> JobRun | None:
    """The new job-run row, or None when this job already ran (or is running elsewhere)."""
    dialect = session.get_bind().dialect.name
    ins = (postgresql if dialect == "postgresql" else sqlite).insert(JobRun)
    stmt = ins.values(
        site_id=site_id, run_date=day, kind=kind, started_at=now, detail=""
    ).on_conflict_do_nothing(index_elements=["site_id", "run_date", "kind"])
    new_id = session.execute(stmt.returning(JobRun.id)).scalar_one_or_none()
    return session.get(JobRun, new_id) if new_id is not None else None


def last_run(session: Session, site_id: int, day: date, kind: str) -> JobRun | None:
    return session.scalar(
        sa.select(JobRun).where(
            JobRun.site_id == site_id, JobRun.run_date == day, JobRun.kind == kind
        )
    )
