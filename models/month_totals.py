"""Month-level rollups of the daily totals, so that a year or "since the start" reads one row
per site and month (and one per tenant and year) instead of one per day (0009).

A month is rolled up when its last day is settled (`roll_up`, called by `settle` in the same
transaction that moves the watermark), from the daily tables themselves, so both levels agree.
Readers (`daily_totals.Split`) take whole months from here and the ragged days at either end
of a period from the daily tables:

- `month_totals`: orders delivered, failed and cancelled per site and month, and the tenants
  delivered that month (the yearly report's column);
- `month_item_totals`: quantities delivered per site, month and item;
- `month_volunteer_stops`: stops each volunteer reported per site and month;
- `tenant_years`: per site, tenant and year, the months the tenant was delivered (bit m-1 for
  month m), so that the distinct tenants of a year are one row per tenant, not twelve;
- `month_tenant_sets` (0011, PostgreSQL only): the tenants delivered per site and whole month
  as a set of person ids (`models.tenant_sets`).
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from models import tenant_sets
from models.base import Base


class MonthTotal(Base):
    __tablename__ = "month_totals"
    __table_args__ = (
        sa.PrimaryKeyConstraint(
            "site_id", "ym", postgresql_include=["delivered", "failed", "cancelled", "tenants"]
        ),
    )

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), primary_key=True)
    ym: Mapped[int] = mapped_column(primary_key=True)  # year * 100 + month
    delivered: Mapped[int]
    failed: Mapped[int]
    cancelled: Mapped[int]
    tenants: Mapped[int]


class MonthItemTotal(Base):
    __tablename__ = "month_item_totals"
    __table_args__ = (
        sa.PrimaryKeyConstraint("site_id", "ym", "item_key", postgresql_include=["quantity"]),
    )

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), primary_key=True)
    ym: Mapped[int] = mapped_column(primary_key=True)
    item_key: Mapped[str] = mapped_column(sa.ForeignKey("items.key"), primary_key=True)
    quantity: Mapped[int]


class MonthVolunteerStops(Base):
    __tablename__ = "month_volunteer_stops"
    __table_args__ = (
        sa.PrimaryKeyConstraint("site_id", "ym", "volunteer_id", postgresql_include=["stops"]),
    )

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), primary_key=True)
    ym: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    stops: Mapped[int]


class MonthVisitTotal(Base):
    """Visits per site, whole month (rolled up once the visits' watermark passed its last
    day) and volunteer (0: none), as `daily_visit_totals`."""

    __tablename__ = "month_visit_totals"
    __table_args__ = (
        sa.PrimaryKeyConstraint(
            "site_id", "ym", "volunteer_id", postgresql_include=["done", "nobody", "missed"]
        ),
    )

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), primary_key=True)
    ym: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    done: Mapped[int]
    nobody: Mapped[int]
    missed: Mapped[int]


class TenantYear(Base):
    __tablename__ = "tenant_years"

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    months: Mapped[int]


def ym_of(day: date) -> int:
    return day.year * 100 + day.month


def month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def whole_months(a: date, b: date) -> tuple[list[tuple[date, date]], tuple[int, int] | None]:
    """[a, b] as the ragged days at either end (at most two ranges, each inside one month) and
    the whole months between (first and last ym), if any."""
    first = a if a.day == 1 else month_end(a) + timedelta(days=1)
    last = b if b == month_end(b) else b.replace(day=1) - timedelta(days=1)
    if first > last:  # no whole month: a and b in one month, or in two neighbouring ones
        if a.month == b.month and a.year == b.year:
            return [(a, b)], None
        return [(a, month_end(a)), (b.replace(day=1), b)], None
    days = []
    if a < first:
        days.append((a, first - timedelta(days=1)))
    if last < b:
        days.append((last + timedelta(days=1), b))
    return days, (ym_of(first), ym_of(last))


def span_bits(first: int, last: int) -> int:
    """The bits first..last (counted from 1) of a bitmap: days of a month, months of a year."""
    return (1 << last) - (1 << (first - 1))


def roll_up(session: Session, site_id: int, through: date, target: date) -> None:
    """Roll up the months that became whole when the site's watermark moved from `through` to
    `target` (the daily rows are in already)."""
    from models.daily_totals import (
        DailyItemTotal,
        DailyOrderTotal,
        DailyVolunteerStops,
        TenantMonth,
        add_rows,
        insert_for,
        ym_expr,
    )

    _, months = whole_months(through + timedelta(days=1), target)
    if months is None:
        return
    lo, hi = months
    first = date(lo // 100, lo % 100, 1)
    last = month_end(date(hi // 100, hi % 100, 1))

    def rows(model: type[Base], *columns: sa.ColumnElement[object]) -> sa.Select[object]:
        table = model.__table__.c
        ym = ym_expr(table.day)
        days = sa.and_(table.site_id == site_id, table.day >= first, table.day <= last)
        return sa.select(table.site_id, ym, *columns).where(days).group_by(table.site_id, ym)

    tenants = (
        sa.select(sa.func.count())
        .where(
            TenantMonth.site_id == site_id,
            TenantMonth.ym == ym_expr(DailyOrderTotal.day),
        )
        .scalar_subquery()
    )
    add_rows(
        session,
        MonthTotal,
        ["site_id", "ym", "delivered", "failed", "cancelled", "tenants"],
        rows(
            DailyOrderTotal,
            sa.func.sum(DailyOrderTotal.delivered),
            sa.func.sum(DailyOrderTotal.failed),
            sa.func.sum(DailyOrderTotal.cancelled),
            sa.func.max(tenants),
        ),
    )
    item = rows(DailyItemTotal, DailyItemTotal.item_key, sa.func.sum(DailyItemTotal.quantity))
    add_rows(
        session,
        MonthItemTotal,
        ["site_id", "ym", "item_key", "quantity"],
        item.group_by(DailyItemTotal.item_key),
    )
    stops = rows(
        DailyVolunteerStops,
        DailyVolunteerStops.volunteer_id,
        sa.func.sum(DailyVolunteerStops.stops),
    )
    add_rows(
        session,
        MonthVolunteerStops,
        ["site_id", "ym", "volunteer_id", "stops"],
        stops.group_by(DailyVolunteerStops.volunteer_id),
    )
    tenant_sets.roll_up(session, site_id, first, last)
    year = TenantMonth.ym // 100
    bit = sa.literal(1).op("<<")(TenantMonth.ym % 100 - 1)
    years = (
        sa.select(TenantMonth.site_id, year, TenantMonth.person_id, sa.func.sum(bit))
        .where(TenantMonth.site_id == site_id, TenantMonth.ym >= lo, TenantMonth.ym <= hi)
        .group_by(TenantMonth.site_id, year, TenantMonth.person_id)
    )
    upsert = insert_for(session, TenantYear).from_select(
        ["site_id", "year", "person_id", "months"], years
    )
    session.execute(
        upsert.on_conflict_do_update(
            index_elements=["site_id", "year", "person_id"],
            set_={"months": TenantYear.months.op("|")(upsert.excluded.months)},
        )
    )


def roll_up_visits(session: Session, site_id: int, through: date, target: date) -> None:
    """Roll up the months whose visits became whole when the site's visits watermark moved
    from `through` to `target` (their daily rows are in already)."""
    from models.daily_totals import DailyVisitTotal, add_rows, ym_expr

    _, months = whole_months(through + timedelta(days=1), target)
    if months is None:
        return
    lo, hi = months
    first = date(lo // 100, lo % 100, 1)
    last = month_end(date(hi // 100, hi % 100, 1))
    d = DailyVisitTotal
    ym = ym_expr(d.day)
    add_rows(
        session,
        MonthVisitTotal,
        ["site_id", "ym", "volunteer_id", "done", "nobody", "missed"],
        sa.select(
            d.site_id,
            ym,
            d.volunteer_id,
            sa.func.sum(d.done),
            sa.func.sum(d.nobody),
            sa.func.sum(d.missed),
        )
        .where(d.site_id == site_id, d.day >= first, d.day <= last)
        .group_by(d.site_id, ym, d.volunteer_id),
    )
