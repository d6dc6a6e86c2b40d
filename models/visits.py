"""Courtesy visits to isolated tenants, planned, reminded and reported."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, VisitStatus, str_enum


class Visit(Base):
    __tablename__ = "visits"
    # status and volunteer in the index: /stats counts visits and visitors from it alone (0008)
    __table_args__ = (
        sa.Index("ix_visits_site_date_status", "site_id", "visit_date", "status", "volunteer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"))
    tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    visit_date: Mapped[date | None]
    window_start: Mapped[time | None]
    window_end: Mapped[time | None]
    status: Mapped[VisitStatus] = mapped_column(str_enum(VisitStatus))
    requested: Mapped[bool] = mapped_column(default=False)
    wellbeing: Mapped[int | None]
    remark: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime]
    reported_at: Mapped[datetime | None]
