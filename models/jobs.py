"""Job runs: one row per (site, date, kind) guards a scheduled job against running twice."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class JobRun(Base):
    __tablename__ = "job_runs"
    __table_args__ = (sa.UniqueConstraint("site_id", "run_date", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"))
    run_date: Mapped[date]
    kind: Mapped[str] = mapped_column(sa.String(32))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    detail: Mapped[str] = mapped_column(sa.String(300), default="")
