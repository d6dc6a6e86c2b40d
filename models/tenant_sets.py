"""The tenants delivered per site and settled day, and per whole month, as sets of person ids
(0011), for PostgreSQL's `/stats`.

"Tenants served" is the one figure of a period that cannot be added up: a tenant delivered in
March and in April counts once. `tenant_months` and `tenant_years` hold one row per tenant,
month or year, so a year at every site was a union of 6,000-7,000 rows per period (2-4 ms
each on a million orders, and `/stats` over a year reads two periods). Here a site's day, or
month, is a few rows whatever its number of tenants: a bit string of 1,024 bits per
`chunk` of person ids (the person whose id is n is bit n & 1023, counted from the left, of
chunk n >> 10), so the tenants of whole months and ragged days are the bitwise OR of a few
hundred rows, counted with `bit_count`; the live days' tenants who are not in it are added
from the orders (`period_figures._tenant_sets`).

Written by `daily_totals.settle` (days) and `month_totals.roll_up` (months) in the same
transaction as the other summaries, from the same orders; PostgreSQL only: SQLite has no bit
strings (and no bitwise OR aggregate), its tables stay empty and it counts tenants from
`tenant_months` and `tenant_years`, fast enough there.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, OrderStatus
from models.orders import Order

SHIFT = 10
BITS = 1 << SHIFT  # person ids per row
SetType = sa.LargeBinary().with_variant(postgresql.BIT(BITS), "postgresql")


class DailyTenantSet(Base):
    """The tenants delivered at one site on one settled day whose ids fall in one chunk."""

    __tablename__ = "daily_tenant_sets"
    __table_args__ = (
        sa.PrimaryKeyConstraint("site_id", "day", "chunk", postgresql_include=["persons"]),
    )

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    chunk: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    persons: Mapped[Any] = mapped_column(SetType, nullable=False)


class MonthTenantSet(Base):
    """The tenants delivered at one site in one whole settled month (ym: year * 100 + month)
    whose ids fall in one chunk: the OR of its days' sets."""

    __tablename__ = "month_tenant_sets"
    __table_args__ = (
        sa.PrimaryKeyConstraint("site_id", "ym", "chunk", postgresql_include=["persons"]),
    )

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), primary_key=True)
    ym: Mapped[int] = mapped_column(primary_key=True)
    chunk: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    persons: Mapped[Any] = mapped_column(SetType, nullable=False)


def _int(n: int) -> sa.ColumnElement[int]:
    return sa.literal_column(str(int(n)), sa.Integer)


def chunk_of(person_id: sa.ColumnElement[int]) -> sa.ColumnElement[int]:
    return person_id.op(">>", return_type=sa.Integer)(_int(SHIFT))


def bit_of(person_id: sa.ColumnElement[int]) -> sa.ColumnElement[int]:
    """The person's bit in its chunk's set."""
    return person_id.op("&", return_type=sa.Integer)(_int(BITS - 1))


def union(persons: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """The OR of some sets (an aggregate)."""
    return sa.func.bit_or(persons, type_=postgresql.BIT(BITS))


def count(persons: sa.ColumnElement[Any]) -> sa.ColumnElement[int]:
    """How many persons a set holds."""
    return sa.func.bit_count(persons, type_=sa.Integer)


def lacks(
    persons: sa.ColumnElement[Any], person_id: sa.ColumnElement[int]
) -> sa.ColumnElement[bool]:
    """Whether a set (of the person's chunk) lacks the person."""
    return sa.func.get_bit(persons, bit_of(person_id), type_=sa.Integer) == _int(0)


def _singleton(person_id: sa.ColumnElement[int]) -> sa.ColumnElement[Any]:
    empty = sa.cast(sa.literal_column("B'0'"), postgresql.BIT(BITS))  # zero-padded to BITS
    return sa.func.set_bit(empty, bit_of(person_id), _int(1), type_=postgresql.BIT(BITS))


def kept(session: Session) -> bool:
    """Whether this database keeps the sets (PostgreSQL)."""
    return session.get_bind().dialect.name == "postgresql"


def settle_days(session: Session, site_id: int, after: date, through: date) -> None:
    """The sets of the site's days after `after` up to `through`, from the delivered orders."""
    from models.daily_totals import add_rows

    if not kept(session):
        return
    chunk = chunk_of(Order.person_id)
    add_rows(
        session,
        DailyTenantSet,
        ["site_id", "day", "chunk", "persons"],
        sa.select(Order.site_id, Order.delivery_date, chunk, union(_singleton(Order.person_id)))
        .where(
            Order.site_id == site_id,
            Order.delivery_date > after,
            Order.delivery_date <= through,
            Order.status == OrderStatus.DELIVERED,
        )
        .group_by(Order.site_id, Order.delivery_date, chunk),
    )


def roll_up(session: Session, site_id: int, first: date, last: date) -> None:
    """The sets of the whole months from `first` to `last` (their days' sets are in)."""
    from models.daily_totals import add_rows, ym_expr

    if not kept(session):
        return
    d = DailyTenantSet
    ym = ym_expr(d.day)
    add_rows(
        session,
        MonthTenantSet,
        ["site_id", "ym", "chunk", "persons"],
        sa.select(d.site_id, ym, d.chunk, union(d.persons))
        .where(d.site_id == site_id, d.day >= first, d.day <= last)
        .group_by(d.site_id, ym, d.chunk),
    )
