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
from dataclasses import dataclass, field
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
    DailyVolunteerStops,
    Split,
    TenantMonth,
    delivered_by_site_day,
    delivered_items,
    split,
    ym_expr,
    ym_of,
)
from models.orders import Order, OrderLine, Pause, StandingOrder
from models.people import Person
from models.rounds import Round, Stop
from models.visits import Visit

OPEN = (OrderStatus.PENDING, OrderStatus.PLANNED)
VISITED = (VisitStatus.DONE, VisitStatus.NOBODY)


@dataclass(frozen=True)
class Figures:
    """What happened over a period, at the sites asked about."""

    items: dict[str, int] = field(default_factory=dict)  # delivered quantities by item key
    delivered: int = 0  # orders delivered (in hand or in the bread bag)
    failed: int = 0  # orders attempted, not delivered (nobody home, refused, wrong address)
    cancelled: int = 0
    tenants: int = 0  # distinct tenants delivered at least once
    volunteers: int = 0  # distinct volunteers who reported a stop or made a visit
    visits_done: int = 0
    visits_nobody: int = 0
    visits_missed: int = 0

    def item(self, key: str) -> int:
        return self.items.get(key, 0)


def _in(column: sa.ColumnElement[int], site_ids: Sequence[int]) -> sa.ColumnElement[bool]:
    return column.in_(list(site_ids))


def figures(session: Session, site_ids: Sequence[int], start: date, end: date) -> Figures:
    """What happened over [start, end]: settled days from the daily tables, the days after each
    site's watermark (a week at most) from the orders; visits from their index."""
    if not site_ids:
        return Figures()
    part = split(session, site_ids, start, end)
    counts = order_counts(session, part)
    visits = dict(
        session.execute(
            sa.select(Visit.status, sa.func.count())
            .where(
                _in(Visit.site_id, site_ids),
                Visit.visit_date >= start,
                Visit.visit_date <= end,
                Visit.status.in_((*VISITED, VisitStatus.MISSED)),
            )
            .group_by(Visit.status)
        ).all()
    )
    return Figures(
        items=delivered_items(session, site_ids, start, end, part),
        delivered=counts[OrderStatus.DELIVERED],
        failed=counts[OrderStatus.FAILED],
        cancelled=counts[OrderStatus.CANCELLED],
        tenants=tenants_served(session, part),
        volunteers=active_volunteers(session, site_ids, start, end, part),
        visits_done=visits.get(VisitStatus.DONE, 0),
        visits_nobody=visits.get(VisitStatus.NOBODY, 0),
        visits_missed=visits.get(VisitStatus.MISSED, 0),
    )


def order_counts(session: Session, part: Split) -> dict[OrderStatus, int]:
    """Orders delivered, failed and cancelled in a split period."""
    out = dict.fromkeys(COUNTED, 0)
    if part.settled:
        row = session.execute(
            sa.select(
                sa.func.sum(DailyOrderTotal.delivered),
                sa.func.sum(DailyOrderTotal.failed),
                sa.func.sum(DailyOrderTotal.cancelled),
            ).where(part.settled_days(DailyOrderTotal.site_id, DailyOrderTotal.day))
        ).one()
        for status, n in zip(COUNTED, row, strict=True):
            out[status] += int(n or 0)
    if part.live:
        for status, n in session.execute(
            sa.select(Order.status, sa.func.count())
            .where(part.live_days(Order.site_id, Order.delivery_date), Order.status.in_(COUNTED))
            .group_by(Order.status)
        ).all():
            out[status] += int(n)
    return out


def tenants_served(session: Session, part: Split) -> int:
    """Distinct tenants delivered at least once in a split period: tenant months whose bits
    meet the settled days, and the live days' delivered orders, as one set."""
    sets: list[sa.Select[tuple[int]]] = []
    if part.settled:
        sets.append(sa.select(TenantMonth.person_id).where(part.settled_months()))
    if part.live:
        sets.append(
            sa.select(Order.person_id).where(
                part.live_days(Order.site_id, Order.delivery_date),
                Order.status == OrderStatus.DELIVERED,
            )
        )
    if not sets:
        return 0
    both = (sa.union(*sets) if len(sets) > 1 else sets[0].distinct()).subquery()
    return int(session.scalar(sa.select(sa.func.count()).select_from(both)) or 0)


def active_volunteers(
    session: Session,
    site_ids: Sequence[int],
    start: date,
    end: date,
    part: Split | None = None,
) -> int:
    """Volunteers who reported at least one stop of a round, or made a visit, in the period."""
    part = part or split(session, site_ids, start, end)
    sets: list[sa.Select[tuple[int]]] = [
        sa.select(Visit.volunteer_id.label("vid")).where(
            _in(Visit.site_id, site_ids),
            Visit.visit_date >= start,
            Visit.visit_date <= end,
            Visit.status.in_(VISITED),
            Visit.volunteer_id.is_not(None),
        )
    ]
    if part.settled:
        sets.append(
            sa.select(DailyVolunteerStops.volunteer_id).where(
                part.settled_days(DailyVolunteerStops.site_id, DailyVolunteerStops.day)
            )
        )
    if part.live:
        reported = sa.exists().where(Stop.round_id == Round.id, Stop.outcome.is_not(None))
        sets.append(
            sa.select(Round.volunteer_id).where(
                part.live_days(Round.site_id, Round.delivery_date), reported
            )
        )
    both = sa.union(*sets).subquery()
    return int(session.scalar(sa.select(sa.func.count()).select_from(both)) or 0)


def _engaged_condition(at: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(
        Person.is_tenant.is_(True),
        Person.status == PersonStatus.ACTIVE,
        Person.approved_at.is_not(None),
        Person.approved_at < at,
        sa.or_(Person.opted_out_at.is_(None), Person.opted_out_at >= at),
        sa.or_(Person.erased_at.is_(None), Person.erased_at >= at),
    )


def engaged(session: Session, site_ids: Sequence[int], at: datetime) -> int:
    """Tenants engaged at the instant `at`: approved before it, and neither stopped (STOP) nor
    erased by then. A paused tenant is still engaged: a pause is a holiday, not a goodbye."""
    if not site_ids:
        return 0
    return int(
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Person)
            .where(_in(Person.site_id, site_ids), _engaged_condition(at))
        )
        or 0
    )


def engaged_by_site(session: Session, site_ids: Sequence[int], at: datetime) -> dict[int, int]:
    rows = session.execute(
        sa.select(Person.site_id, sa.func.count())
        .where(_in(Person.site_id, site_ids), _engaged_condition(at))
        .group_by(Person.site_id)
    ).all()
    return {int(site_id): int(n) for site_id, n in rows}


def paused(session: Session, site_ids: Sequence[int], day: date) -> int:
    """Active tenants with a pause covering `day`."""
    return int(
        session.scalar(
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
        or 0
    )


def first_day(session: Session, site_ids: Sequence[int]) -> date | None:
    """The first delivery day the service has a record of (an order of any status): one
    index lookup per site and status, in one statement, where a plain MIN would read every
    order of the sites."""
    if not site_ids:
        return None
    params: dict[str, object] = {f"st{j}": status.value for j, status in enumerate(OrderStatus)}
    params.update({f"s{i}": site_id for i, site_id in enumerate(site_ids)})
    return session.scalar(_first_day_statement(len(site_ids)), params)


@functools.cache
def _first_day_statement(sites: int) -> sa.TextClause:
    """Built once per number of sites: as an expression tree, its 75 branches for 15 sites
    cost more to build and to key for the statement cache than the lookups themselves."""
    branches = " UNION ALL ".join(
        f"SELECT min(delivery_date) AS day FROM orders WHERE site_id = :s{i} AND status = :st{j}"
        for i in range(sites)
        for j in range(len(OrderStatus))
    )
    return sa.text(f"SELECT min(day) AS day FROM ({branches}) AS firsts").columns(
        sa.column("day", sa.Date)
    )


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

    Tenants are counted per month without a set union: a settled month's tenants are its
    `tenant_months` rows (their bits hold only settled days), and the live days add the
    tenants delivered then who have no row for that month yet."""
    if not site_ids:
        return []
    start, end = date(year, 1, 1), date(year, 12, 31)
    part = split(session, site_ids, start, end)
    counts: dict[tuple[int, int], list[int]] = {}
    for site_id, ym, delivered, failed, cancelled, tenants in session.execute(
        _monthly_counts(part, ym_of(start), ym_of(end))
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


def _monthly_counts(part: Split, first: int, last: int) -> sa.CompoundSelect:
    """(site, ym, delivered, failed, cancelled, tenants) rows to add up per site and month."""
    zero = sa.literal(0)
    parts: list[sa.Select[Any]] = []
    if part.settled:
        day_ym = ym_expr(DailyOrderTotal.day)
        parts.append(
            sa.select(
                DailyOrderTotal.site_id,
                day_ym,
                sa.func.sum(DailyOrderTotal.delivered),
                sa.func.sum(DailyOrderTotal.failed),
                sa.func.sum(DailyOrderTotal.cancelled),
                zero,
            )
            .where(part.settled_days(DailyOrderTotal.site_id, DailyOrderTotal.day))
            .group_by(DailyOrderTotal.site_id, day_ym)
        )
        # a month's rows hold only its settled days: every row of the year is in the period
        sites = [s for ids, _, _ in part.settled for s in ids]
        parts.append(
            sa.select(TenantMonth.site_id, TenantMonth.ym, zero, zero, zero, sa.func.count())
            .where(_in(TenantMonth.site_id, sites), TenantMonth.ym >= first, TenantMonth.ym <= last)
            .group_by(TenantMonth.site_id, TenantMonth.ym)
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
    if part.settled:
        day_ym = ym_expr(DailyItemTotal.day)
        parts.append(
            sa.select(
                DailyItemTotal.site_id,
                day_ym,
                DailyItemTotal.item_key,
                sa.func.sum(DailyItemTotal.quantity),
            )
            .where(part.settled_days(DailyItemTotal.site_id, DailyItemTotal.day))
            .group_by(DailyItemTotal.site_id, day_ym, DailyItemTotal.item_key)
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
