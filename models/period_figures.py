"""The figures of several periods at once, in four statements whatever their number.

`/stats` wants the period, the period before and, by default, everything since the start; each
figure of each period comes from up to three sources (whole settled months, the ragged settled
days at the ends, the live days after the watermark). Statement overhead, not reading rows, is
what a small site's answer costs, so every source of every period goes into one UNION ALL per
kind of figure, tagged with the period's index: orders by status, items, distinct tenants, and
volunteers' stops with visits by status and volunteer (which give the distinct volunteers, the
visit counts and each volunteer's share). Core selects only: no ORM entities are built.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.base import OrderStatus, VisitStatus
from models.daily_totals import (
    COUNTED,
    DailyItemTotal,
    DailyOrderTotal,
    DailyVolunteerStops,
    Split,
    TenantMonth,
    split,
    watermarks,
)
from models.month_totals import MonthItemTotal, MonthTotal, MonthVolunteerStops, TenantYear
from models.orders import Order, OrderLine
from models.people import Person
from models.rounds import Round, Stop
from models.visits import Visit

STOPS, DONE, NOBODY, MISSED = 0, 1, 2, 3  # the kinds of row of the volunteers' statement


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


@dataclass(frozen=True)
class VolunteerShare:
    person_id: int
    name: str
    stops: int
    visits: int


def _n(status: OrderStatus) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((Order.status == status, 1), else_=0))


def _orders(tag: int, part: Split) -> list[sa.Select[Any]]:
    t = sa.literal(tag)
    out = []
    if part.months:
        m = MonthTotal
        out.append(
            sa.select(
                t, sa.func.sum(m.delivered), sa.func.sum(m.failed), sa.func.sum(m.cancelled)
            ).where(part.whole_months(m.site_id, m.ym))
        )
    if part.ragged:
        d = DailyOrderTotal
        out.append(
            sa.select(
                t, sa.func.sum(d.delivered), sa.func.sum(d.failed), sa.func.sum(d.cancelled)
            ).where(part.ragged_days(d.site_id, d.day))
        )
    if part.live:
        out.append(
            sa.select(t, *(_n(s) for s in COUNTED)).where(
                part.live_days(Order.site_id, Order.delivery_date), Order.status.in_(COUNTED)
            )
        )
    return out


def _items(tag: int, part: Split) -> list[sa.Select[Any]]:
    t = sa.literal(tag)
    out = []
    if part.months:
        m = MonthItemTotal
        out.append(
            sa.select(t, m.item_key, sa.func.sum(m.quantity))
            .where(part.whole_months(m.site_id, m.ym))
            .group_by(m.item_key)
        )
    if part.ragged:
        d = DailyItemTotal
        out.append(
            sa.select(t, d.item_key, sa.func.sum(d.quantity))
            .where(part.ragged_days(d.site_id, d.day))
            .group_by(d.item_key)
        )
    if part.live:
        out.append(
            sa.select(t, OrderLine.item_key, sa.func.sum(OrderLine.quantity))
            .join(Order, Order.id == OrderLine.order_id)
            .where(
                Order.status == OrderStatus.DELIVERED,
                part.live_days(Order.site_id, Order.delivery_date),
            )
            .group_by(OrderLine.item_key)
        )
    return out


def _tenants(tag: int, part: Split) -> sa.Select[Any] | None:
    """Distinct tenants: tenant years for whole months, tenant months for the ragged days,
    the live days' delivered orders, as one set."""
    sets: list[sa.Select[Any]] = []
    if part.months:
        sets.append(sa.select(TenantYear.person_id).where(part.tenant_years()))
    if part.ragged:
        sets.append(sa.select(TenantMonth.person_id).where(part.ragged_tenant_months()))
    if part.live:
        sets.append(
            sa.select(Order.person_id).where(
                part.live_days(Order.site_id, Order.delivery_date),
                Order.status == OrderStatus.DELIVERED,
            )
        )
    if not sets:
        return None
    both = (sa.union(*sets) if len(sets) > 1 else sets[0].distinct()).subquery()
    return sa.select(sa.literal(tag), sa.func.count()).select_from(both)


def _people(
    tag: int, part: Split, site_ids: Sequence[int], start: date, end: date
) -> list[sa.Select[Any]]:
    """(tag, kind, volunteer, n): stops per volunteer, visits per status and volunteer."""
    t, stops = sa.literal(tag), sa.literal(STOPS)
    out = []
    if part.months:
        m = MonthVolunteerStops
        out.append(
            sa.select(t, stops, m.volunteer_id, sa.func.sum(m.stops))
            .where(part.whole_months(m.site_id, m.ym))
            .group_by(m.volunteer_id)
        )
    if part.ragged:
        d = DailyVolunteerStops
        out.append(
            sa.select(t, stops, d.volunteer_id, sa.func.sum(d.stops))
            .where(part.ragged_days(d.site_id, d.day))
            .group_by(d.volunteer_id)
        )
    if part.live:
        out.append(
            sa.select(t, stops, Round.volunteer_id, sa.func.count(Stop.id))
            .join(Stop, Stop.round_id == Round.id)
            .where(part.live_days(Round.site_id, Round.delivery_date), Stop.outcome.is_not(None))
            .group_by(Round.volunteer_id)
        )
    kind = sa.case(
        (Visit.status == VisitStatus.DONE, DONE),
        (Visit.status == VisitStatus.NOBODY, NOBODY),
        else_=MISSED,
    )
    out.append(
        sa.select(t, kind, Visit.volunteer_id, sa.func.count())
        .where(
            Visit.site_id.in_(list(site_ids)),
            Visit.visit_date >= start,
            Visit.visit_date <= end,
            Visit.status.in_((VisitStatus.DONE, VisitStatus.NOBODY, VisitStatus.MISSED)),
        )
        .group_by(kind, Visit.volunteer_id)
    )
    return out


def period_figures(
    session: Session,
    site_ids: Sequence[int],
    periods: Sequence[tuple[date, date]],
    *,
    shares: bool = False,
) -> tuple[list[Figures], list[VolunteerShare]]:
    """The figures of each period; with `shares`, each volunteer's share of the first one."""
    if not site_ids or not periods:
        return [Figures() for _ in periods], []
    marks = watermarks(session, site_ids)
    parts = [split(session, site_ids, a, b, marks) for a, b in periods]
    counts = [[0, 0, 0] for _ in periods]
    selects = [s for i, p in enumerate(parts) for s in _orders(i, p)]
    for tag, *ns in session.execute(sa.union_all(*selects)).all() if selects else ():
        for j, n in enumerate(ns):
            counts[tag][j] += int(n or 0)
    items: list[dict[str, int]] = [{} for _ in periods]
    selects = [s for i, p in enumerate(parts) for s in _items(i, p)]
    for tag, key, n in session.execute(sa.union_all(*selects)).all() if selects else ():
        items[tag][key] = items[tag].get(key, 0) + int(n or 0)
    tenants = [0 for _ in periods]
    selects = [s for i, p in enumerate(parts) if (s := _tenants(i, p)) is not None]
    for tag, n in session.execute(sa.union_all(*selects)).all() if selects else ():
        tenants[tag] += int(n or 0)
    stops: list[dict[int, int]] = [{} for _ in periods]
    visits: list[dict[int, dict[int | None, int]]] = [
        {DONE: {}, NOBODY: {}, MISSED: {}} for _ in periods
    ]
    selects = [
        s
        for i, (p, (a, b)) in enumerate(zip(parts, periods, strict=True))
        for s in _people(i, p, site_ids, a, b)
    ]
    for tag, kind, vid, n in session.execute(sa.union_all(*selects)).all():
        into = stops[tag] if kind == STOPS else visits[tag][kind]
        into[vid] = into.get(vid, 0) + int(n or 0)
    out = []
    for i in range(len(periods)):
        visitors = {v for k in (DONE, NOBODY) for v in visits[i][k] if v is not None}
        out.append(
            Figures(
                items=items[i],
                delivered=counts[i][0],
                failed=counts[i][1],
                cancelled=counts[i][2],
                tenants=tenants[i],
                volunteers=len(set(stops[i]) | visitors),
                visits_done=sum(visits[i][DONE].values()),
                visits_nobody=sum(visits[i][NOBODY].values()),
                visits_missed=sum(visits[i][MISSED].values()),
            )
        )
    if not shares:
        return out, []
    made: dict[int, int] = {}
    for k in (DONE, NOBODY):
        for vid, n in visits[0][k].items():
            if vid is not None:
                made[vid] = made.get(vid, 0) + n
    return out, _shares(session, stops[0], made)


def _shares(
    session: Session, stops: dict[int, int], visits: dict[int, int]
) -> list[VolunteerShare]:
    """Volunteers with at least one stop or visit, most work first (erased ones left out)."""
    ids = set(stops) | set(visits)
    if not ids:
        return []
    names = dict(
        session.execute(
            sa.select(Person.id, Person.name).where(Person.id.in_(ids), Person.erased_at.is_(None))
        ).all()
    )
    shares = [
        VolunteerShare(pid, names[pid], stops.get(pid, 0), visits.get(pid, 0))
        for pid in ids
        if pid in names
    ]
    return sorted(shares, key=lambda s: (-(s.stops + s.visits), s.name))
