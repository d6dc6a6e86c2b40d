"""The service's figures, counted by the database: aggregate SQL only, never rows into Python.

A site over a year is tens of thousands of orders, the whole programme a million and more: every
function here returns a handful of numbers (or one row per day, month or item), and leans on
the indexes of migration 0002 and, for quantities delivered, on `daily_totals` (days that can no
longer change, summed once). Dates are the sites' local calendar dates; "engaged" is a state at
an instant (approved, not stopped, not erased), given in UTC by the caller.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.base import OrderStatus, PersonStatus, VisitStatus
from models.config import WEEKDAYS
from models.daily_totals import (
    COUNTED,
    DailyItemTotal,
    DailyOrderTotal,
    SettledThrough,
    Split,
    TenantMonth,
    delivered_by_site_day,
    split,
    ym_expr,
)
from models.month_totals import MonthItemTotal, MonthTotal
from models.orders import Order, OrderLine, Pause, StandingOrder
from models.people import Person
from models.period_figures import Figures, period_figures
from models.site import Site
from models.visits import Visit

OPEN = (OrderStatus.PENDING, OrderStatus.PLANNED)


def _in(column: sa.ColumnElement[int], site_ids: Sequence[int]) -> sa.ColumnElement[bool]:
    """The sites written into the SQL as numbers: the few sets of sites asked about each have
    their compiled statement, and no IN list of parameters is rewritten per execution."""
    return column.in_([sa.literal_column(str(int(i)), sa.Integer) for i in site_ids])


def figures(session: Session, site_ids: Sequence[int], start: date, end: date) -> Figures:
    """What happened over [start, end] (`period_figures` gives several periods at once)."""
    return period_figures(session, site_ids, [(start, end)]).figures[0]


def _engaged_condition(at: datetime | sa.ColumnElement[datetime]) -> sa.ColumnElement[bool]:
    return sa.and_(
        Person.is_tenant.is_(True),
        Person.status == PersonStatus.ACTIVE,
        Person.approved_at.is_not(None),
        Person.approved_at < at,
        sa.or_(Person.opted_out_at.is_(None), Person.opted_out_at >= at),
        sa.or_(Person.erased_at.is_(None), Person.erased_at >= at),
    )


def engaged_count(
    site_ids: Sequence[int], at: datetime | sa.ColumnElement[datetime]
) -> sa.Select[tuple[int]]:
    """The count `engaged` runs, to run alone or beside other figures (`period_figures`, which
    gives `at` as a bound parameter)."""
    return (
        sa.select(sa.func.count())
        .select_from(Person)
        .where(_in(Person.site_id, site_ids), _engaged_condition(at))
    )


def engaged(session: Session, site_ids: Sequence[int], at: datetime) -> int:
    """Tenants engaged at the instant `at`: approved before it, and neither stopped (STOP) nor
    erased by then. A paused tenant is still engaged: a pause is a holiday, not a goodbye."""
    if not site_ids:
        return 0
    return int(session.scalar(engaged_count(site_ids, at)) or 0)


def engaged_by_site(session: Session, site_ids: Sequence[int], at: datetime) -> dict[int, int]:
    rows = session.execute(
        sa.select(Person.site_id, sa.func.count())
        .where(_in(Person.site_id, site_ids), _engaged_condition(at))
        .group_by(Person.site_id)
    ).all()
    return {int(site_id): int(n) for site_id, n in rows}


def paused_count(
    site_ids: Sequence[int], day: date | sa.ColumnElement[date]
) -> sa.Select[tuple[int]]:
    """The count `paused` runs, to run alone or beside other figures (`period_figures`, which
    gives `day` as a bound parameter)."""
    return (
        sa.select(sa.func.count(sa.distinct(Pause.person_id)))
        .join(Person, Person.id == Pause.person_id)
        .where(
            _in(Person.site_id, site_ids),
            Person.status == PersonStatus.ACTIVE,
            Person.erased_at.is_(None),
            Pause.start_on <= day,
            Pause.end_on >= day,
        )
    )


def paused(session: Session, site_ids: Sequence[int], day: date) -> int:
    """Active tenants with a pause covering `day`."""
    return int(session.scalar(paused_count(site_ids, day)) or 0)


@dataclass(frozen=True)
class SiteFacts:
    """What `/stats` reads before anything else: each site's watermark (the daily totals are
    settled through it) and the first delivery day the service has a record of."""

    marks: dict[int, date]
    first: date | None
    visit_marks: dict[int, date]  # the visits' own watermarks (`daily_totals.settle_visits`)


@functools.lru_cache(maxsize=256)
def _site_facts_query(site_ids: tuple[int, ...], first: bool) -> sa.Select[Any]:
    """`site_facts`' statement, built once per set of sites (it has no other value in it):
    building its correlated subqueries each request cost more than running them."""
    here = SettledThrough.site_id == Site.id
    mark = sa.select(SettledThrough.through).where(here).scalar_subquery()
    visits_mark = sa.select(SettledThrough.visits_through).where(here).scalar_subquery()
    firsts = [
        sa.select(sa.func.min(Order.delivery_date))
        .where(Order.site_id == Site.id, Order.status == status)
        .scalar_subquery()
        for status in (OrderStatus if first else ())
    ]
    return sa.select(Site.id, mark, visits_mark, *firsts).where(_in(Site.id, site_ids))


def site_facts(session: Session, site_ids: Sequence[int], *, first: bool = True) -> SiteFacts:
    """One row per site, one statement: its watermark, and the first day of an order of each
    status (a correlated MIN each, which the (site, status, day) index of 0002 answers with
    one seek, where a plain MIN would read every order of the sites and a UNION of 75 MINs
    took PostgreSQL 20 ms to plan). `first=False`: without the first day (None), for a
    caller that does not need it (75 seeks at 15 sites, half the statement's time)."""
    if not site_ids:
        return SiteFacts({}, None, {})
    marks: dict[int, date] = {}
    visit_marks: dict[int, date] = {}
    days: list[date] = []
    query = _site_facts_query(tuple(site_ids), first)
    for site_id, through, visits_through, *first in session.connection().execute(query).all():
        if through is not None:
            marks[int(site_id)] = through
        if visits_through is not None:
            visit_marks[int(site_id)] = visits_through
        days += [d for d in first if d is not None]
    return SiteFacts(marks, min(days, default=None), visit_marks)


def first_day(session: Session, site_ids: Sequence[int]) -> date | None:
    """The first delivery day the service has a record of (an order of any status)."""
    return site_facts(session, site_ids).first


def daily_items(
    session: Session, site_ids: Sequence[int], start: date, end: date
) -> dict[date, dict[str, int]]:
    """Delivered quantities per day and item (at most a few hundred rows: days × items)."""
    out: dict[date, dict[str, int]] = {}
    for _site, day, key, n in delivered_by_site_day(session, site_ids, start, end):
        totals = out.setdefault(day, {})
        totals[key] = totals.get(key, 0) + n
    return out


def weekly_items(
    session: Session, site_ids: Sequence[int], last_monday: date, weeks: int
) -> list[tuple[date, dict[str, int]]]:
    """Delivered quantities per week (Monday first) and item, the `weeks` weeks up to the one
    starting `last_monday`, oldest first; weeks without deliveries are there, empty."""
    first = last_monday - timedelta(weeks=weeks - 1)
    days = daily_items(session, site_ids, first, last_monday + timedelta(days=6))
    out: list[tuple[date, dict[str, int]]] = []
    for w in range(weeks):
        monday = first + timedelta(weeks=w)
        totals: dict[str, int] = {}
        for d in range(7):
            for key, n in days.get(monday + timedelta(days=d), {}).items():
                totals[key] = totals.get(key, 0) + n
        out.append((monday, totals))
    return out


@dataclass(frozen=True)
class MonthRow:
    """One site's month, for the landlord's and funders' report."""

    site_id: int
    month: int
    delivered: int
    failed: int
    cancelled: int
    tenants: int
    items: dict[str, int]
    visits_done: int


def monthly(session: Session, site_ids: Sequence[int], year: int) -> list[MonthRow]:
    """Per site and month of `year`, from the summary tables: one grouped statement for orders
    and tenants, one for items, one for visits; the days after each site's watermark live.

    Whole settled months are one `month_totals` row each (tenants included); the watermark's
    month adds its settled days from the daily tables, its `tenant_months` rows (their bits
    hold only settled days), and the live days' tenants who have no row for that month yet:
    tenants are counted per month without a set union."""
    if not site_ids:
        return []
    start, end = date(year, 1, 1), date(year, 12, 31)
    part = split(session, site_ids, start, end)
    counts: dict[tuple[int, int], list[int]] = {}
    for site_id, ym, delivered, failed, cancelled, tenants in session.execute(
        _monthly_counts(part)
    ).all():
        c = counts.setdefault((int(site_id), int(ym) % 100), [0, 0, 0, 0])
        for i, n in enumerate((delivered, failed, cancelled, tenants)):
            c[i] += int(n or 0)
    items: dict[tuple[int, int], dict[str, int]] = {}
    for site_id, ym, key, n in session.execute(_monthly_items(part)).all():
        totals = items.setdefault((int(site_id), int(ym) % 100), {})
        totals[key] = totals.get(key, 0) + int(n or 0)
    vmonth = sa.extract("month", Visit.visit_date)
    visits = {
        (int(site_id), int(m)): int(n)
        for site_id, m, n in session.execute(
            sa.select(Visit.site_id, vmonth, sa.func.count())
            .where(
                _in(Visit.site_id, site_ids),
                Visit.visit_date >= start,
                Visit.visit_date <= end,
                Visit.status == VisitStatus.DONE,
            )
            .group_by(Visit.site_id, vmonth)
        ).all()
    }
    rows = []
    for site_id in site_ids:
        for m in range(1, 13):
            delivered, failed, cancelled, tenants = counts.get((site_id, m), (0, 0, 0, 0))
            rows.append(
                MonthRow(
                    site_id=site_id,
                    month=m,
                    delivered=delivered,
                    failed=failed,
                    cancelled=cancelled,
                    tenants=tenants,
                    items=items.get((site_id, m), {}),
                    visits_done=visits.get((site_id, m), 0),
                )
            )
    return rows


def _monthly_counts(part: Split) -> sa.CompoundSelect:
    """(site, ym, delivered, failed, cancelled, tenants) rows to add up per site and month."""
    zero = sa.literal(0)
    parts: list[sa.Select[Any]] = []
    if part.months:
        m = MonthTotal
        parts.append(
            sa.select(m.site_id, m.ym, m.delivered, m.failed, m.cancelled, m.tenants).where(
                part.whole_months(m.site_id, m.ym)
            )
        )
    if part.ragged:
        d = DailyOrderTotal
        day_ym = ym_expr(d.day)
        parts.append(
            sa.select(
                d.site_id,
                day_ym,
                sa.func.sum(d.delivered),
                sa.func.sum(d.failed),
                sa.func.sum(d.cancelled),
                zero,
            )
            .where(part.ragged_days(d.site_id, d.day))
            .group_by(d.site_id, day_ym)
        )
        tm = TenantMonth
        parts.append(
            sa.select(tm.site_id, tm.ym, zero, zero, zero, sa.func.count())
            .where(part.ragged_tenant_months())
            .group_by(tm.site_id, tm.ym)
        )
    if part.live:
        live = part.live_days(Order.site_id, Order.delivery_date)
        order_ym = ym_expr(Order.delivery_date)

        def n(status: OrderStatus) -> sa.ColumnElement[int]:
            return sa.func.sum(sa.case((Order.status == status, 1), else_=0))

        parts.append(
            sa.select(
                Order.site_id,
                order_ym,
                n(OrderStatus.DELIVERED),
                n(OrderStatus.FAILED),
                n(OrderStatus.CANCELLED),
                zero,
            )
            .where(live, Order.status.in_(COUNTED))
            .group_by(Order.site_id, order_ym)
        )
        settled_already = sa.exists().where(
            TenantMonth.site_id == Order.site_id,
            TenantMonth.ym == order_ym,
            TenantMonth.person_id == Order.person_id,
        )
        parts.append(
            sa.select(
                Order.site_id,
                order_ym,
                zero,
                zero,
                zero,
                sa.func.count(sa.distinct(Order.person_id)),
            )
            .where(live, Order.status == OrderStatus.DELIVERED, ~settled_already)
            .group_by(Order.site_id, order_ym)
        )
    return sa.union_all(*parts)


def _monthly_items(part: Split) -> sa.CompoundSelect:
    """(site, ym, item, quantity) rows to add up per site, month and item."""
    parts: list[sa.Select[Any]] = []
    if part.months:
        m = MonthItemTotal
        parts.append(
            sa.select(m.site_id, m.ym, m.item_key, m.quantity).where(
                part.whole_months(m.site_id, m.ym)
            )
        )
    if part.ragged:
        d = DailyItemTotal
        day_ym = ym_expr(d.day)
        parts.append(
            sa.select(d.site_id, day_ym, d.item_key, sa.func.sum(d.quantity))
            .where(part.ragged_days(d.site_id, d.day))
            .group_by(d.site_id, day_ym, d.item_key)
        )
    if part.live:
        order_ym = ym_expr(Order.delivery_date)
        parts.append(
            sa.select(Order.site_id, order_ym, OrderLine.item_key, sa.func.sum(OrderLine.quantity))
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(
                Order.status == OrderStatus.DELIVERED,
                part.live_days(Order.site_id, Order.delivery_date),
            )
            .group_by(Order.site_id, order_ym, OrderLine.item_key)
        )
    return sa.union_all(*parts)


def expected_items(session: Session, site_id: int, day: date) -> dict[str, int]:
    """What `day` will need, before the evening job turns standing orders into orders: open
    orders' lines, plus standing orders of tenants with no row that day, not paused, reachable."""
    totals: dict[str, int] = {}
    for key, n in session.execute(
        sa.select(OrderLine.item_key, sa.func.sum(OrderLine.quantity))
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.site_id == site_id, Order.delivery_date == day, Order.status.in_(OPEN))
        .group_by(OrderLine.item_key)
    ).all():
        totals[key] = totals.get(key, 0) + int(n or 0)
    has_row = sa.select(Order.person_id).where(Order.delivery_date == day)
    paused_ = sa.select(Pause.person_id).where(Pause.start_on <= day, Pause.end_on >= day)
    for key, n in session.execute(
        sa.select(StandingOrder.item_key, sa.func.sum(StandingOrder.quantity))
        .join(Person, Person.id == StandingOrder.person_id)
        .where(
            StandingOrder.weekday == WEEKDAYS[day.weekday()],
            Person.site_id == site_id,
            Person.status == PersonStatus.ACTIVE,
            Person.erased_at.is_(None),
            Person.opted_out_at.is_(None),
            StandingOrder.person_id.not_in(has_row),
            StandingOrder.person_id.not_in(paused_),
        )
        .group_by(StandingOrder.item_key)
    ).all():
        totals[key] = totals.get(key, 0) + int(n or 0)
    return totals
