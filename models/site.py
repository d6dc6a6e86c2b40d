"""A residence, and the dates it closes (holiday, strike, bakery closed, storm)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Site(Base):
    """The database row of a site; its schedule and rules live in entraide.toml under its slug."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Paris")
    created_at: Mapped[datetime]


class Closure(Base):
    """A date with no delivery at a site; orders for it are moved or cancelled, people told once."""

    __tablename__ = "closures"
    __table_args__ = (sa.UniqueConstraint("site_id", "closed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"))
    closed_on: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime]
