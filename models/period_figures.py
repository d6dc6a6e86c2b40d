"""The figures of several periods at once, in one statement whatever their number.

`/stats` wants the period, the period before and, by default, everything since the start; each
figure of each period comes from up to three sources (whole settled months, the ragged settled
days at the ends, the live days after the watermark), and the visits, which stay live. On a
million orders the time went to three things: statements (each costs a round trip and, on
PostgreSQL, a plan), building large expression trees, and reading the live days' orders, the
only source that grows with the service. So every source of every period is one branch of a
single UNION ALL, each row tagged with its branch and kind; a branch two periods share is read
once (the default `/stats` asks for "the last 7 days" and for "since the start", whose live days
are the same); and the caller's own counts (engaged, paused) ride along as extra branches.
Core selects only: no ORM entities are built.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
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

# The kinds of row of the one statement: (branch, kind, volunteer, key, a, b, c).
ORDERS, ITEMS, TENANTS, STOPS, VISITS, EXTRA = range(6)
VISIT_KINDS = (VisitStatus.DONE, VisitStatus.NOBODY, VisitStatus.MISSED)


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


def _const(n: int) -> sa.ColumnElement[int]:
    """A small integer written into the SQL: no bound parameter to build, send or cache."""
    return sa.literal_column(str(int(n)), sa.Integer)


NO_ID = sa.cast(sa.null(), sa.Integer)
NO_KEY = sa.cast(sa.null(), sa.String)
ZERO = _const(0)


def _cols(
    branch: int,
    kind: int,
    a: sa.ColumnElement[Any],
    *,
    vid: sa.ColumnElement[Any] = NO_ID,
    key: sa.ColumnElement[Any] = NO_KEY,
    b: sa.ColumnElement[Any] = ZERO,
    c: sa.ColumnElement[Any] = ZERO,
) -> tuple[sa.ColumnElement[Any], ...]:
    return (_const(branch), _const(kind), vid, key, a, b, c)


def _n(status: OrderStatus) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((Order.status == status, 1), else_=0))


class _Branches:
    """The branches of the statement, each built once however many periods share it."""

    def __init__(self) -> None:
        self.index: dict[Hashable, int] = {}
        self.tags: list[list[int]] = []
        self.selects: list[sa.Select[Any]] = []

    def add(self, key: Hashable, tag: int, build: Callable[[int], sa.Select[Any]]) -> None:
        branch = self.index.get(key)
        if branch is None:
            branch = self.index[key] = len(self.selects)
            self.tags.append([])
            self.selects.append(build(branch))
        self.tags[branch].append(tag)


def _orders(out: _Branches, tag: int, part: Split) -> None:
    if part.months:
        m = MonthTotal
        out.add(
            ("orders", "months", part.months),
            tag,
            lambda b: sa.select(
                *_cols(
                    b,
                    ORDERS,
                    sa.func.sum(m.delivered),
                    b=sa.func.sum(m.failed),
                    c=sa.func.sum(m.cancelled),
                )
            ).where(part.whole_months(m.site_id, m.ym)),
        )
    if part.ragged:
        d = DailyOrderTotal
        out.add(
            ("orders", "ragged", part.ragged),
            tag,
            lambda b: sa.select(
                *_cols(
                    b,
                    ORDERS,
                    sa.func.sum(d.delivered),
                    b=sa.func.sum(d.failed),
                    c=sa.func.sum(d.cancelled),
                )
            ).where(part.ragged_days(d.site_id, d.day)),
        )
    if part.live:
        delivered, failed, cancelled = (_n(s) for s in COUNTED)
        out.add(
            ("orders", "live", part.live),
            tag,
            lambda b: sa.select(*_cols(b, ORDERS, delivered, b=failed, c=cancelled)).where(
                part.live_days(Order.site_id, Order.delivery_date), Order.status.in_(COUNTED)
            ),
        )


def _items(out: _Branches, tag: int, part: Split) -> None:
    if part.months:
        m = MonthItemTotal
        out.add(
            ("items", "months", part.months),
            tag,
            lambda b: (
                sa.select(*_cols(b, ITEMS, sa.func.sum(m.quantity), key=m.item_key))
                .where(part.whole_months(m.site_id, m.ym))
                .group_by(m.item_key)
            ),
        )
    if part.ragged:
        d = DailyItemTotal
        out.add(
            ("items", "ragged", part.ragged),
            tag,
            lambda b: (
                sa.select(*_cols(b, ITEMS, sa.func.sum(d.quantity), key=d.item_key))
                .where(part.ragged_days(d.site_id, d.day))
                .group_by(d.item_key)
            ),
        )
    if part.live:
        line = OrderLine
        out.add(
            ("items", "live", part.live),
            tag,
            lambda b: (
                sa.select(*_cols(b, ITEMS, sa.func.sum(line.quantity), key=line.item_key))
                .join(Order, Order.id == line.order_id)
                .where(
                    Order.status == OrderStatus.DELIVERED,
                    part.live_days(Order.site_id, Order.delivery_date),
                )
                .group_by(line.item_key)
            ),
        )


def _tenants(out: _Branches, tag: int, part: Split) -> None:
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
        return

    def build(b: int) -> sa.Select[Any]:
        both = (sa.union(*sets) if len(sets) > 1 else sets[0].distinct()).subquery()
        return sa.select(*_cols(b, TENANTS, sa.func.count())).select_from(both)

    out.add(("tenants", part.months, part.ragged, part.live), tag, build)


def _people(
    out: _Branches, tag: int, part: Split, site_ids: Sequence[int], start: date, end: date
) -> None:
    """Stops per volunteer; visits per status and volunteer (read live: a planned visit can
    still become missed, or be withdrawn)."""
    if part.months:
        m = MonthVolunteerStops
        out.add(
            ("stops", "months", part.months),
            tag,
            lambda b: (
                sa.select(*_cols(b, STOPS, sa.func.sum(m.stops), vid=m.volunteer_id))
                .where(part.whole_months(m.site_id, m.ym))
                .group_by(m.volunteer_id)
            ),
        )
    if part.ragged:
        d = DailyVolunteerStops
        out.add(
            ("stops", "ragged", part.ragged),
            tag,
            lambda b: (
                sa.select(*_cols(b, STOPS, sa.func.sum(d.stops), vid=d.volunteer_id))
                .where(part.ragged_days(d.site_id, d.day))
                .group_by(d.volunteer_id)
            ),
        )
    if part.live:
        out.add(
            ("stops", "live", part.live),
            tag,
            lambda b: (
                sa.select(*_cols(b, STOPS, sa.func.count(Stop.id), vid=Round.volunteer_id))
                .join(Stop, Stop.round_id == Round.id)
                .where(
                    part.live_days(Round.site_id, Round.delivery_date), Stop.outcome.is_not(None)
                )
                .group_by(Round.volunteer_id)
            ),
        )
    # grouped by the stored status, named in Python: cheaper than a CASE per row on SQLite
    status = sa.type_coerce(Visit.status, sa.String)
    out.add(
        ("visits", tuple(site_ids), start, end),
        tag,
        lambda b: (
            sa.select(*_cols(b, VISITS, sa.func.count(), vid=Visit.volunteer_id, key=status))
            .where(
                Visit.site_id.in_(list(site_ids)),
                Visit.visit_date >= start,
                Visit.visit_date <= end,
                Visit.status.in_(VISIT_KINDS),
            )
            .group_by(Visit.status, Visit.volunteer_id)
        ),
    )


@dataclass
class _Tally:
    """One period's figures as they add up, row by row."""

    counts: list[int] = field(default_factory=lambda: [0, 0, 0])
    items: dict[str, int] = field(default_factory=dict)
    tenants: int = 0
    stops: dict[int, int] = field(default_factory=dict)
    visits: dict[str, dict[int | None, int]] = field(
        default_factory=lambda: {str(k): {} for k in VISIT_KINDS}
    )

    def add(self, kind: int, vid: int | None, key: str | None, a: int, b: int, c: int) -> None:
        if kind == ORDERS:
            for i, n in enumerate((a, b, c)):
                self.counts[i] += n
        elif kind == ITEMS and key is not None:
            self.items[key] = self.items.get(key, 0) + a
        elif kind == TENANTS:
            self.tenants += a
        elif kind == STOPS and vid is not None:
            self.stops[vid] = self.stops.get(vid, 0) + a
        elif kind == VISITS and key is not None:
            into = self.visits[key]
            into[vid] = into.get(vid, 0) + a

    def figures(self) -> Figures:
        done, nobody, missed = (self.visits[str(k)] for k in VISIT_KINDS)
        visitors = {v for by in (done, nobody) for v in by if v is not None}
        return Figures(
            items=self.items,
            delivered=self.counts[0],
            failed=self.counts[1],
            cancelled=self.counts[2],
            tenants=self.tenants,
            volunteers=len(set(self.stops) | visitors),
            visits_done=sum(done.values()),
            visits_nobody=sum(nobody.values()),
            visits_missed=sum(missed.values()),
        )

    def made(self) -> dict[int, int]:
        """Visits made (done, or nobody at home) per volunteer."""
        out: dict[int, int] = {}
        for k in (VisitStatus.DONE, VisitStatus.NOBODY):
            for vid, n in self.visits[str(k)].items():
                if vid is not None:
                    out[vid] = out.get(vid, 0) + n
        return out


@dataclass(frozen=True)
class Found:
    """`period_figures`' answer: each period's figures, the first one's volunteers' shares
    (with `shares`), and each extra count by name."""

    figures: list[Figures]
    shares: list[VolunteerShare]
    extras: dict[str, int]


def period_figures(
    session: Session,
    site_ids: Sequence[int],
    periods: Sequence[tuple[date, date]],
    *,
    shares: bool = False,
    marks: Mapping[int, date] | None = None,
    extras: Mapping[str, sa.Select[Any]] | None = None,
) -> Found:
    """The figures of each period; with `shares`, each volunteer's share of the first one.
    `marks`: the sites' watermarks, when the caller has read them; `extras`: one-number
    selects (a count) to run in the same statement, answered by name."""
    extras = extras or {}
    if not site_ids or not periods:
        found = {name: int(session.scalar(q) or 0) for name, q in extras.items()}
        return Found([Figures() for _ in periods], [], found)
    marks = watermarks(session, site_ids) if marks is None else dict(marks)
    out = _Branches()
    for i, (a, b) in enumerate(periods):
        part = split(session, site_ids, a, b, dict(marks))
        _orders(out, i, part)
        _items(out, i, part)
        _tenants(out, i, part)
        _people(out, i, part, site_ids, a, b)
    names = list(extras)
    for j, name in enumerate(names):
        q = extras[name]
        out.add(("extra", name), j, lambda b, q=q: sa.select(*_cols(b, EXTRA, q.scalar_subquery())))
    tallies = [_Tally() for _ in periods]
    found = {name: 0 for name in names}
    for branch, kind, vid, key, a, b, c in session.execute(sa.union_all(*out.selects)).all():
        for tag in out.tags[branch]:
            if kind == EXTRA:
                found[names[tag]] += int(a or 0)
            else:
                tallies[tag].add(kind, vid, key, int(a or 0), int(b or 0), int(c or 0))
    figures = [t.figures() for t in tallies]
    if not shares:
        return Found(figures, [], found)
    return Found(figures, _shares(session, tallies[0].stops, tallies[0].made()), found)


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
