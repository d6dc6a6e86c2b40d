"""The figures of several periods at once, in one statement whatever their number.

`/stats` wants the period, the period before and, by default, everything since the start; each
figure of each period comes from up to three sources (whole settled months, the ragged settled
days at the ends, the live days after the watermark; the visits cut at their own watermark). On a
million orders the time went to three things: statements (each costs a round trip and, on
PostgreSQL, a plan), building large expression trees, and reading the live days' orders, the
only source that grows with the service. So every source of every period is one branch of a
single UNION ALL, each row tagged with its branch and kind; a branch two periods share is read
once (the default `/stats` asks for "the last 7 days" and for "since the start", whose live days
are the same); the caller's own counts (engaged, paused) ride along as extra branches, and the
names of the volunteers found as the last rows (`_names`). Core selects only, run on the
session's connection: no ORM entities are built.

Every value (a day, a month, a bit set) is a bound parameter and the sites are written into the
SQL, so a request's statement depends only on its shape: which sources each period reads, at
which sites. It is built once per shape (`_statement`) and SQLAlchemy compiles it once; a
request then costs the database's time and little else. Constants (statuses) are written into
the SQL too: a list of bound values would be an expanding IN, rewritten at every execution. On
PostgreSQL the statement is also prepared and planned once per connection, for any values
(`_run`): planning its branches cost as much as running most of them.

PostgreSQL counts the distinct tenants from sets of person ids (`models.tenant_sets`), SQLite
from one row per tenant and month or year (`tenant_months`, `tenant_years`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models import tenant_sets
from models.base import OrderStatus, VisitStatus
from models.daily_totals import (
    COUNTED,
    DailyItemTotal,
    DailyOrderTotal,
    DailyVisitTotal,
    DailyVolunteerStops,
    Split,
    TenantMonth,
    split,
    visit_watermarks,
    watermarks,
)
from models.month_totals import (
    MonthItemTotal,
    MonthTotal,
    MonthVisitTotal,
    MonthVolunteerStops,
    TenantYear,
    span_bits,
    ym_of,
)
from models.orders import Order, OrderLine
from models.people import Person
from models.rounds import Round, Stop
from models.tenant_sets import DailyTenantSet, MonthTenantSet
from models.visits import Visit

# The kinds of row of the one statement: (branch, kind, volunteer, key, a, b, c).
ORDERS, ITEMS, TENANTS, STOPS, VISITS, EXTRA, VISIT_TOTALS, NAME, SETTING = range(9)
VISIT_KINDS = (VisitStatus.DONE, VisitStatus.NOBODY, VisitStatus.MISSED)
COLUMNS = ("branch", "kind", "vid", "key", "a", "b", "c")


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
    values = (_const(branch), _const(kind), vid, key, a, b, c)
    return tuple(v.label(name) for v, name in zip(values, COLUMNS, strict=True))


def _status(*statuses: OrderStatus | VisitStatus) -> list[sa.ColumnElement[str]]:
    """Statuses written into the SQL: a list of bound values is an expanding IN, which
    SQLAlchemy rewrites into the statement's text at every execution."""
    return [sa.literal_column(f"'{s.value}'", sa.String) for s in statuses]


DELIVERED = _status(OrderStatus.DELIVERED)[0]


def _n(status: OrderStatus) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((Order.status == _status(status)[0], 1), else_=0))


@dataclass(frozen=True)
class _Slot:
    """A value of the statement (a day, a month, a bit set), sent as the bound parameter
    `v<n>` rather than written into the SQL: the statement of a request is then the same from
    one day to the next, and is built and compiled once (`_statement`)."""

    n: int

    def bind(self) -> sa.BindParameter[Any]:
        # untyped: it takes the type of the column it is compared with
        return sa.bindparam(f"v{self.n}")


class _Values:
    """The values of one request, each in a slot; equal values share one, so that the shape
    (`_statement`'s key) also says which branches two periods share."""

    def __init__(self) -> None:
        self.slots: dict[tuple[type, Any], _Slot] = {}
        self.params: dict[str, Any] = {}

    def __call__(self, value: Any) -> _Slot:
        key = (type(value), value)
        slot = self.slots.get(key)
        if slot is None:
            slot = self.slots[key] = _Slot(len(self.slots))
            self.params[f"v{slot.n}"] = value
        return slot


Sites = tuple[int, ...]
Ranges = tuple[tuple[Sites, _Slot, _Slot], ...]  # (sites, first, last): days or yms


def _sites(column: Any, ids: Sites) -> sa.ColumnElement[bool]:
    """The sites written into the SQL: a statement is per set of sites anyway (the ranges are
    grouped by watermark), and an IN list of bound parameters costs a rewrite per execution."""
    return column.in_([_const(i) for i in ids])


def _within(ranges: Ranges, site: Any, x: Any) -> sa.ColumnElement[bool]:
    return sa.or_(
        *(sa.and_(_sites(site, ids), x >= a.bind(), x <= b.bind()) for ids, a, b in ranges)
    )


@dataclass(frozen=True)
class _Rows:
    """A summary table's rows in some ranges of days or months: what to select them from, and
    the condition on it (none for a union of ranges, already cut)."""

    source: Any  # a table or a subquery, with `.c`
    where: tuple[sa.ColumnElement[bool], ...] = ()

    def select(self, *columns: sa.ColumnElement[Any]) -> sa.Select[Any]:
        return sa.select(*columns).select_from(self.source).where(*self.where)

    def sums(self, *names: str) -> list[sa.ColumnElement[int]]:
        return [sa.func.sum(self.source.c[name]) for name in names]


def _range_rows(model: Any, ranges: Ranges) -> list[tuple[Any, sa.ColumnElement[bool]]]:
    """(table, condition) for each range of days or months (`day` or `ym`) of a summary."""
    table = model.__table__
    x = table.c.day if "day" in table.c else table.c.ym
    return [
        (table, sa.and_(_sites(table.c.site_id, ids), x >= a.bind(), x <= b.bind()))
        for ids, a, b in ranges
    ]


def _rows(parts: list[tuple[Any, sa.ColumnElement[bool]]], *names: str) -> _Rows:
    """Rows of one or more (table, condition) ranges. Several are one select each, glued by
    UNION ALL rather than an OR of ranges: each range is then one range of its table's primary
    key, which PostgreSQL reads from the index alone (0011 puts the counts in it), where an OR
    of ranges read the table through a bitmap of its pages."""
    if len(parts) == 1:
        table, where = parts[0]
        return _Rows(table, (where,))
    selects = [sa.select(*(t.c[n] for n in names)).where(w) for t, w in parts]
    return _Rows(sa.union_all(*selects).subquery())


def _settled(month: Any, months: Ranges, day: Any, ragged: Ranges, *names: str) -> _Rows:
    """These columns of a period's settled rows: its whole months from a month summary, its
    ragged days from the daily one."""
    return _rows(_range_rows(month, months) + _range_rows(day, ragged), *names)


@dataclass(frozen=True)
class _Part:
    """One period cut at the watermarks (`daily_totals.Split`), every value a slot: what its
    branches look like, not the days they read."""

    months: Ranges  # whole settled months, ym to ym
    ragged: Ranges  # settled days outside whole months
    live: Ranges  # days after the watermark
    tenant_months: tuple[tuple[Sites, _Slot, _Slot], ...]  # (sites, ym, day bits) per ragged range
    # (sites, first year, its month bits, last year or None, its month bits or None)
    tenant_years: tuple[tuple[Sites, _Slot, _Slot, _Slot | None, _Slot | None], ...]


def _part(part: Split, v: _Values, sets: bool) -> _Part:
    """`sets`: the tenants come from the tenant sets (`_tenant_sets`), which need no slots of
    their own."""
    years: list[tuple[Sites, _Slot, _Slot, _Slot | None, _Slot | None]] = []
    for ids, lo, hi in () if sets else part.months:
        (y1, m1), (y2, m2) = divmod(lo, 100), divmod(hi, 100)
        if y1 == y2:
            years.append((ids, v(y1), v(span_bits(m1, m2)), None, None))
        else:
            years.append((ids, v(y1), v(span_bits(m1, 12)), v(y2), v(span_bits(1, m2))))
    return _Part(
        months=tuple((ids, v(lo), v(hi)) for ids, lo, hi in part.months),
        ragged=tuple((ids, v(a), v(b)) for ids, a, b in part.ragged),
        live=tuple((ids, v(a), v(b)) for ids, a, b in part.live),
        tenant_months=tuple(
            (ids, v(ym_of(a)), v(span_bits(a.day, b.day)))
            for ids, a, b in (() if sets else part.ragged)
        ),
        tenant_years=tuple(years),
    )


def _branches(part: _Part, visits: _Part, sets: bool) -> list[tuple[Any, ...]]:
    """A period's branches, each named by its builder and its slots (which also tells two
    periods' shared branches apart: they are equal). `visits`: the period cut at the visits'
    own watermarks; `sets`: the tenants from the tenant sets (PostgreSQL)."""
    out: list[tuple[Any, ...]] = []
    # whole months and ragged days are one branch (they are read from two summaries, but no
    # other period shares them); the live days are their own (the default /stats's two
    # periods share them)
    if part.months or part.ragged:
        out += [
            (f"{what}_settled", part.months, part.ragged) for what in ("orders", "items", "stops")
        ]
    if part.live:
        out += [(f"{what}_live", part.live) for what in ("orders", "items", "stops")]
    if part.months or part.ragged or part.live:
        if sets:
            out.append(("tenant_sets", part.months, part.ragged, part.live))
        else:
            out.append(("tenants", part.tenant_years, part.tenant_months, part.live))
    if visits.months or visits.ragged:
        out.append(("visits_settled", visits.months, visits.ragged))
    if visits.live:
        out.append(("visits_live", visits.live))
    return out


ORDER_COUNTS = ("delivered", "failed", "cancelled")
VISIT_COUNTS = ("done", "nobody", "missed")


def _orders(b: int, rows: _Rows) -> sa.Select[Any]:
    delivered, failed, cancelled = rows.sums(*ORDER_COUNTS)
    return rows.select(*_cols(b, ORDERS, delivered, b=failed, c=cancelled))


def _orders_settled(b: int, months: Ranges, ragged: Ranges) -> sa.Select[Any]:
    return _orders(b, _settled(MonthTotal, months, DailyOrderTotal, ragged, *ORDER_COUNTS))


def _orders_live(b: int, live: Ranges) -> sa.Select[Any]:
    delivered, failed, cancelled = (_n(s) for s in COUNTED)
    return sa.select(*_cols(b, ORDERS, delivered, b=failed, c=cancelled)).where(
        _within(live, Order.site_id, Order.delivery_date), Order.status.in_(_status(*COUNTED))
    )


def _items(b: int, rows: _Rows) -> sa.Select[Any]:
    key = rows.source.c.item_key
    return rows.select(*_cols(b, ITEMS, *rows.sums("quantity"), key=key)).group_by(key)


def _items_settled(b: int, months: Ranges, ragged: Ranges) -> sa.Select[Any]:
    rows = _settled(MonthItemTotal, months, DailyItemTotal, ragged, "item_key", "quantity")
    return _items(b, rows)


def _items_live(b: int, live: Ranges) -> sa.Select[Any]:
    line = OrderLine
    return (
        sa.select(*_cols(b, ITEMS, sa.func.sum(line.quantity), key=line.item_key))
        .join(Order, Order.id == line.order_id)
        .where(
            Order.status == DELIVERED,
            _within(live, Order.site_id, Order.delivery_date),
        )
        .group_by(line.item_key)
    )


def _tenant_years(
    years: tuple[tuple[Sites, _Slot, _Slot, _Slot | None, _Slot | None], ...],
) -> sa.ColumnElement[bool]:
    """Tenant years with a delivery in a whole settled month."""
    parts = []
    ty = TenantYear
    bits = ty.months.op("&")
    for ids, y1, first, y2, last in years:
        here = sa.and_(_sites(ty.site_id, ids), ty.year >= y1.bind())
        if y2 is None or last is None:
            parts.append(sa.and_(here, ty.year == y1.bind(), bits(first.bind()) != 0))
            continue
        parts.append(
            sa.and_(
                here,
                ty.year <= y2.bind(),
                sa.or_(
                    sa.and_(ty.year > y1.bind(), ty.year < y2.bind()),
                    sa.and_(ty.year == y1.bind(), bits(first.bind()) != 0),
                    sa.and_(ty.year == y2.bind(), bits(last.bind()) != 0),
                ),
            )
        )
    return sa.or_(*parts)


def _tenants(
    b: int,
    years: tuple[tuple[Sites, _Slot, _Slot, _Slot | None, _Slot | None], ...],
    months: tuple[tuple[Sites, _Slot, _Slot], ...],
    live: Ranges,
) -> sa.Select[Any]:
    """Distinct tenants: tenant years for whole months, tenant months for the ragged days,
    the live days' delivered orders, as one set."""
    sets: list[sa.Select[Any]] = []
    if years:
        sets.append(sa.select(TenantYear.person_id).where(_tenant_years(years)))
    if months:
        tm = TenantMonth
        bits = tm.days.op("&")
        sets.append(
            sa.select(tm.person_id).where(
                sa.or_(
                    *(
                        sa.and_(_sites(tm.site_id, ids), tm.ym == ym.bind(), bits(d.bind()) != 0)
                        for ids, ym, d in months
                    )
                )
            )
        )
    if live:
        sets.append(
            sa.select(Order.person_id).where(
                _within(live, Order.site_id, Order.delivery_date),
                Order.status == DELIVERED,
            )
        )
    both = (sa.union(*sets) if len(sets) > 1 else sets[0].distinct()).subquery()
    return sa.select(*_cols(b, TENANTS, sa.func.count())).select_from(both)


def _tenant_sets(b: int, months: Ranges, ragged: Ranges, live: Ranges) -> sa.Select[Any]:
    """Distinct tenants on PostgreSQL: the OR of the sets of the whole months and the ragged
    days, counted, plus the live days' tenants who are in none of them (`models.tenant_sets`)."""
    delivered = (
        [_within(live, Order.site_id, Order.delivery_date), Order.status == DELIVERED]
        if live
        else []
    )
    if not months and not ragged:
        tenants = sa.func.count(sa.distinct(Order.person_id))
        return sa.select(*_cols(b, TENANTS, tenants)).where(*delivered)
    rows = _settled(MonthTenantSet, months, DailyTenantSet, ragged, "chunk", "persons")
    chunk = rows.source.c.chunk
    settled = (
        rows.select(chunk, tenant_sets.union(rows.source.c.persons).label("persons"))
        .group_by(chunk)
        .cte(f"tenant_sets_{b}")
    )
    counted = sa.select(sa.func.coalesce(sa.func.sum(tenant_sets.count(settled.c.persons)), 0))
    if not live:
        return sa.select(*_cols(b, TENANTS, counted.scalar_subquery()))
    newcomers = (
        sa.select(sa.func.count(sa.distinct(Order.person_id)))
        .select_from(Order)
        .outerjoin(settled, settled.c.chunk == tenant_sets.chunk_of(Order.person_id))
        .where(
            *delivered,
            sa.or_(
                settled.c.persons.is_(None), tenant_sets.lacks(settled.c.persons, Order.person_id)
            ),
        )
    )
    both = counted.scalar_subquery() + newcomers.scalar_subquery()
    return sa.select(*_cols(b, TENANTS, both))


def _stops(b: int, rows: _Rows) -> sa.Select[Any]:
    vid = rows.source.c.volunteer_id
    return rows.select(*_cols(b, STOPS, *rows.sums("stops"), vid=vid)).group_by(vid)


def _stops_settled(b: int, months: Ranges, ragged: Ranges) -> sa.Select[Any]:
    rows = _settled(
        MonthVolunteerStops, months, DailyVolunteerStops, ragged, "volunteer_id", "stops"
    )
    return _stops(b, rows)


def _stops_live(b: int, live: Ranges) -> sa.Select[Any]:
    return (
        sa.select(*_cols(b, STOPS, sa.func.count(Stop.id), vid=Round.volunteer_id))
        .join(Stop, Stop.round_id == Round.id)
        .where(_within(live, Round.site_id, Round.delivery_date), Stop.outcome.is_not(None))
        .group_by(Round.volunteer_id)
    )


def _visit_totals(b: int, rows: _Rows) -> sa.Select[Any]:
    vid = rows.source.c.volunteer_id
    done, nobody, missed = rows.sums(*VISIT_COUNTS)
    return rows.select(*_cols(b, VISIT_TOTALS, done, vid=vid, b=nobody, c=missed)).group_by(vid)


def _visits_settled(b: int, months: Ranges, ragged: Ranges) -> sa.Select[Any]:
    names = ("volunteer_id", *VISIT_COUNTS)
    return _visit_totals(b, _settled(MonthVisitTotal, months, DailyVisitTotal, ragged, *names))


def _visits_live(b: int, live: Ranges) -> sa.Select[Any]:
    """Visits after the visits' watermark, per status and volunteer, from the visits."""
    # grouped by the stored status, named in Python: cheaper than a CASE per row on SQLite
    status = sa.type_coerce(Visit.status, sa.String)
    return (
        sa.select(*_cols(b, VISITS, sa.func.count(), vid=Visit.volunteer_id, key=status))
        .where(
            _within(live, Visit.site_id, Visit.visit_date),
            Visit.status.in_(_status(*VISIT_KINDS)),
        )
        .group_by(Visit.status, Visit.volunteer_id)
    )


CountOf = Callable[[Sequence[int], Any], sa.Select[Any]]
"""A one-number select of some sites and one value (a day, an instant), the value given as a
column element: `stats.engaged_count`, `stats.paused_count`."""


def _extra(b: int, count: CountOf, sites: Sites, value: _Slot) -> sa.Select[Any]:
    return sa.select(*_cols(b, EXTRA, count(sites, value.bind()).scalar_subquery()))


_BUILD: dict[str, Callable[..., sa.Select[Any]]] = {
    "orders_settled": _orders_settled,
    "orders_live": _orders_live,
    "items_settled": _items_settled,
    "items_live": _items_live,
    "stops_settled": _stops_settled,
    "stops_live": _stops_live,
    "tenants": _tenants,
    "tenant_sets": _tenant_sets,
    "visits_settled": _visits_settled,
    "visits_live": _visits_live,
    "extra": _extra,
}


def _names(found: sa.CTE, b: int) -> sa.Select[Any]:
    """The names of the volunteers the branches found (erased ones left out), as rows of the
    statement: one round trip fewer than asking for them after."""
    kinds = [_const(k) for k in (STOPS, VISITS, VISIT_TOTALS)]
    who = sa.select(found.c.vid).where(found.c.kind.in_(kinds))
    return sa.select(*_cols(b, NAME, ZERO, vid=Person.id, key=Person.name)).where(
        Person.id.in_(who), Person.erased_at.is_(None)
    )


def _restore(b: int) -> sa.Select[Any]:
    """PostgreSQL: `plan_cache_mode` back to what it was before `_run` set it, for the rest of
    the transaction, once the statement is planned (and run serially: a statement calling a
    PARALLEL UNSAFE function such as set_config is never planned in parallel)."""
    value = sa.bindparam("plan_cache_mode", type_=sa.String)
    return sa.select(
        *_cols(b, SETTING, ZERO, key=sa.func.set_config("plan_cache_mode", value, sa.true()))
    )


@functools.lru_cache(maxsize=512)
def _statement(
    branches: tuple[tuple[Any, ...], ...], names: bool, postgresql: bool
) -> sa.CompoundSelect:
    """The one statement of these branches, built once per shape. Building a few dozen
    selects, their conditions and their cache key cost 10-15 ms of Python a request, more than
    the database took; a shape (the kinds of period, the sites, which sources each reads) comes
    back every request, and SQLAlchemy compiles a statement object once per engine. `names`:
    the names of the volunteers found, as more rows (`_names`); `postgresql`: with `_restore`."""
    selects = [_BUILD[name](b, *args) for b, (name, *args) in enumerate(branches)]
    if postgresql:
        selects.append(_restore(len(branches)))
    rows = sa.union_all(*selects)
    if not names:
        return rows
    found = rows.cte("found")
    return sa.union_all(sa.select(found), _names(found, len(branches)))


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
        elif kind == VISIT_TOTALS:
            vid = vid or None  # 0: a visit without a volunteer
            for k, n in zip(VISIT_KINDS, (a, b, c), strict=True):
                if n:
                    into = self.visits[str(k)]
                    into[vid] = into.get(vid, 0) + n

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
    visit_marks: Mapping[int, date] | None = None,
    extras: Mapping[str, tuple[CountOf, Sequence[int], Any]] | None = None,
) -> Found:
    """The figures of each period; with `shares`, each volunteer's share of the first one.
    `marks`, `visit_marks`: the sites' watermarks (deliveries, visits), when the caller has
    read them; `extras`: one-number
    selects to run in the same statement, answered by name, each as (its builder, its sites,
    its value), so that they are built once too."""
    extras = extras or {}
    if not site_ids or not periods:
        found = {
            name: int(session.scalar(count(ids, value)) or 0)
            for name, (count, ids, value) in extras.items()
        }
        return Found([Figures() for _ in periods], [], found)
    marks = watermarks(session, site_ids) if marks is None else marks
    if visit_marks is None:
        visit_marks = visit_watermarks(session, site_ids)
    values = _Values()
    index: dict[tuple[Any, ...], int] = {}
    tags: list[list[int]] = []

    def add(branch: tuple[Any, ...], tag: int) -> None:
        """A branch once, however many periods (tags) read it."""
        b = index.get(branch)
        if b is None:
            b = index[branch] = len(index)
            tags.append([])
        tags[b].append(tag)

    sets = tenant_sets.kept(session)
    for i, (a, b) in enumerate(periods):
        part = _part(split(session, site_ids, a, b, dict(marks)), values, sets)
        visits = _part(split(session, site_ids, a, b, dict(visit_marks)), values, sets)
        for branch in _branches(part, visits, sets):
            add(branch, i)
    names = list(extras)
    for j, name in enumerate(names):
        count, ids, value = extras[name]
        add(("extra", count, tuple(ids), values(value)), j)
    tallies = [_Tally() for _ in periods]
    found = {name: 0 for name in names}
    postgresql = session.get_bind().dialect.name == "postgresql"
    statement = _statement(tuple(index), shares, postgresql)
    who: dict[int, str] = {}
    rows = _run(session, statement, values.params, postgresql)
    for branch, kind, vid, key, a, b, c in rows:
        if kind == NAME:
            who[vid] = key
        elif kind == SETTING:
            continue
        else:
            for tag in tags[branch]:
                if kind == EXTRA:
                    found[names[tag]] += int(a or 0)
                else:
                    tallies[tag].add(kind, vid, key, int(a or 0), int(b or 0), int(c or 0))
    figures = [t.figures() for t in tallies]
    if not shares:
        return Found(figures, [], found)
    return Found(figures, _shares(who, tallies[0].stops, tallies[0].made()), found)


# PostgreSQL, for the statement about to run and the rest of the transaction: a plan for any
# values (generic), and no parallel workers; and what plan_cache_mode was, for `_restore`.
_SETTINGS = sa.text(
    "SELECT current_setting('plan_cache_mode'),"
    " set_config('plan_cache_mode', 'force_generic_plan', true),"
    " set_config('max_parallel_workers_per_gather', '0', true)"
)


def _run(
    session: Session, statement: sa.CompoundSelect, params: dict[str, Any], postgresql: bool
) -> Sequence[sa.Row[Any]]:
    """The statement's rows. On PostgreSQL it is prepared on its first execution on a
    connection and planned once, for any values: planning its two dozen branches took 2-3 ms
    a request, about what running most of them takes, and a shape's plan hardly depends on
    its days (every range is a few index ranges; a site read live for months, after a
    migration emptied the summaries, ran as fast with it as with a plan made for its days).
    The live days' branches read a few thousand orders, which PostgreSQL would hand to
    parallel workers (starting them took 6 ms of a 10 ms branch): the plan is made without."""
    conn = session.connection()
    if not postgresql:
        return conn.execute(statement, params).all()
    before = conn.execute(_SETTINGS).scalar_one()
    driver = conn.connection.driver_connection  # psycopg's: prepare this one statement now
    threshold = driver.prepare_threshold
    driver.prepare_threshold = 0
    try:
        return conn.execute(statement, {**params, "plan_cache_mode": before}).all()
    finally:
        driver.prepare_threshold = threshold


def _shares(
    names: dict[int, str], stops: dict[int, int], visits: dict[int, int]
) -> list[VolunteerShare]:
    """Volunteers with at least one stop or visit, most work first (erased ones left out:
    `names` has none of them)."""
    shares = [
        VolunteerShare(pid, names[pid], stops.get(pid, 0), visits.get(pid, 0))
        for pid in set(stops) | set(visits)
        if pid in names
    ]
    return sorted(shares, key=lambda s: (-(s.stops + s.visits), s.name))
