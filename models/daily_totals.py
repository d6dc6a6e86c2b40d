"""What happened per site and day, summed once for days that can no longer change.

Why summary tables, when indexes do everything else: with a million delivered orders, a
400-tenant residence delivers about 106,000 orders a year, and counting them, their lines, their
stops and their tenants means reading every one: hundreds of milliseconds per `/stats` on either
back-end, where the answer must take 20. A delivery day is settled two days after it happened:
volunteers report only today's round (`delivery.current_round`), so from the next midnight
nothing in the service edits that day's orders, rounds or stops (cancellations, pauses, the
evening job and erasure touch only days to come; the morning check changes visits, which have
their own watermark), and the second day is a margin. Its figures are summed once and read from
here ever after, and only today and yesterday are read live:

- `daily_item_totals`: quantities delivered per site, day and item;
- `daily_order_totals`: orders delivered, failed and cancelled per site and day;
- `daily_volunteer_stops`: stops each volunteer reported per site and day;
- `tenant_months`: per site, tenant and month, the days the tenant was delivered, as a bit
  set (bit d-1 for day d), so that the distinct tenants of any period are one row per tenant
  and month rather than one per order;
- `daily_tenant_sets` (0011, PostgreSQL only): the tenants delivered per site and day as a set
  of person ids, a few rows per day whatever the number of tenants (`models.tenant_sets`);
- `daily_visit_totals` (0010): visits done, with nobody home and missed per site, day and
  volunteer, up to the visits' own watermark (`settle_visits`): a visit still planned after its
  day becomes missed the next morning, so the visits are settled only up to the day before the
  first one still planned (a year of visits at every site cost /stats 4-7 ms read raw).

Nothing else has to keep them up to date. `settle` sums the days between a site's watermark and
two days ago, from the orders themselves (the weekly summary job calls it, and so does `/stats`
when it finds the watermark behind); readers take the settled days from here and the days after
the watermark live from the orders (`Split`), so figures are exact whether or not a settle ever
ran. Every insert is idempotent (ON CONFLICT DO NOTHING, or an OR of the same bits, and the
watermark only moves forward), so two settles at once do no harm.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from models import tenant_sets
from models.base import Base, OrderStatus, VisitStatus
from models.month_totals import (
    TenantYear,
    roll_up,
    roll_up_visits,
    span_bits,
    whole_months,
    ym_of,
)
from models.orders import Order, OrderLine
from models.rounds import Round, Stop
from models.visits import Visit

SETTLE_AFTER = timedelta(days=2)  # the day before yesterday is settled; see the docstring
NEVER = date(1900, 1, 1)
COUNTED = (OrderStatus.DELIVERED, OrderStatus.FAILED, OrderStatus.CANCELLED)
VISIT_COUNTED = (VisitStatus.DONE, VisitStatus.NOBODY, VisitStatus.MISSED)  # their columns


class DailyItemTotal(Base):
    """What was delivered of one item at one site on one settled day."""

    __tablename__ = "daily_item_totals"
    __table_args__ = (
        sa.PrimaryKeyConstraint("site_id", "day", "item_key", postgresql_include=["quantity"]),
    )

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    item_key: Mapped[str] = mapped_column(sa.ForeignKey("items.key"), primary_key=True)
    quantity: Mapped[int]


class DailyOrderTotal(Base):
    """Orders delivered, failed and cancelled at one site on one settled day (0008)."""

    __tablename__ = "daily_order_totals"
    __table_args__ = (
        sa.PrimaryKeyConstraint(
            "site_id", "day", postgresql_include=["delivered", "failed", "cancelled"]
        ),
    )

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    delivered: Mapped[int]
    failed: Mapped[int]
    cancelled: Mapped[int]


class DailyVolunteerStops(Base):
    """Stops one volunteer reported (delivered or not) at one site on one settled day (0008)."""

    __tablename__ = "daily_volunteer_stops"
    __table_args__ = (
        sa.PrimaryKeyConstraint("site_id", "day", "volunteer_id", postgresql_include=["stops"]),
    )

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    stops: Mapped[int]


class TenantMonth(Base):
    """The settled days of one month on which a tenant was delivered at a site (0008): `days`
    has bit d-1 set for day d. `ym` is year * 100 + month. Only months with a delivery."""

    __tablename__ = "tenant_months"

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), primary_key=True)
    ym: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    days: Mapped[int]


class DailyVisitTotal(Base):
    """Visits done, with nobody home and missed, by one volunteer (0: none) at one site on one
    day whose visits are settled (0010). No foreign key on the volunteer: 0 is not a person."""

    __tablename__ = "daily_visit_totals"
    __table_args__ = (
        sa.PrimaryKeyConstraint(
            "site_id", "day", "volunteer_id", postgresql_include=["done", "nobody", "missed"]
        ),
    )

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    done: Mapped[int]
    nobody: Mapped[int]
    missed: Mapped[int]


class SettledThrough(Base):
    """A site's watermarks: every day up to `through` is in the daily tables above, and its
    visits up to `visits_through` (0010; NULL: none yet) in `daily_visit_totals`."""

    __tablename__ = "daily_totals_settled"

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), primary_key=True)
    through: Mapped[date]
    updated_at: Mapped[datetime]
    visits_through: Mapped[date | None]


def insert_for(session: Session, model: type[Base]) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(model)


def watermarks(session: Session, site_ids: Sequence[int]) -> dict[int, date]:
    return dict(
        session.execute(
            sa.select(SettledThrough.site_id, SettledThrough.through).where(
                SettledThrough.site_id.in_(list(site_ids))
            )
        ).all()
    )


def ym_expr(column: sa.ColumnElement[date]) -> sa.ColumnElement[int]:
    """`ym_of` in SQL, on both back-ends."""
    return sa.cast(sa.extract("year", column) * 100 + sa.extract("month", column), sa.Integer)


def day_bit(column: sa.ColumnElement[date]) -> sa.ColumnElement[int]:
    """1 << (day of month - 1), in SQL."""
    return sa.literal(1).op("<<")(sa.cast(sa.extract("day", column), sa.Integer) - 1)


def _unrolled(through: date) -> date:
    """The day before the first month not rolled up yet, when days up to `through` are settled:
    the month of the next day, whose days so far are in the daily tables (or, before a site's
    first record, empty), is rolled up once its last day is settled. (Rolling up only the
    months inside the newly settled days missed every month settled a day at a time.)"""
    return (through + timedelta(days=1)).replace(day=1) - timedelta(days=1)


def settle(session: Session, site_id: int, today: date, now: datetime) -> int:
    """Sum the site's days from its watermark up to `SETTLE_AFTER` ago, and its visits as far
    as they can no longer change (`settle_visits`); how many days were added."""
    added = _settle_orders(session, site_id, today, now)
    settle_visits(session, site_id, today)
    return added


def _settle_orders(session: Session, site_id: int, today: date, now: datetime) -> int:
    target = today - SETTLE_AFTER
    through = watermarks(session, [site_id]).get(site_id)
    if through is None:
        first = session.scalar(
            sa.select(sa.func.min(Order.delivery_date)).where(Order.site_id == site_id)
        )
        through = (first - timedelta(days=1)) if first is not None else target
    rolled = _unrolled(through)
    if through >= target:
        return 0
    days = sa.and_(
        Order.site_id == site_id, Order.delivery_date > through, Order.delivery_date <= target
    )
    delivered = sa.and_(days, Order.status == OrderStatus.DELIVERED)
    items = (
        sa.select(
            Order.site_id, Order.delivery_date, OrderLine.item_key, sa.func.sum(OrderLine.quantity)
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(delivered)
        .group_by(Order.site_id, Order.delivery_date, OrderLine.item_key)
    )
    add_rows(session, DailyItemTotal, ["site_id", "day", "item_key", "quantity"], items)

    def n(status: OrderStatus) -> sa.ColumnElement[int]:
        return sa.func.sum(sa.case((Order.status == status, 1), else_=0))

    orders = (
        sa.select(
            Order.site_id,
            Order.delivery_date,
            n(OrderStatus.DELIVERED),
            n(OrderStatus.FAILED),
            n(OrderStatus.CANCELLED),
        )
        .where(days, Order.status.in_(COUNTED))
        .group_by(Order.site_id, Order.delivery_date)
    )
    add_rows(
        session, DailyOrderTotal, ["site_id", "day", "delivered", "failed", "cancelled"], orders
    )
    stops = (
        sa.select(Round.site_id, Round.delivery_date, Round.volunteer_id, sa.func.count(Stop.id))
        .join(Stop, Stop.round_id == Round.id)
        .where(
            Round.site_id == site_id,
            Round.delivery_date > through,
            Round.delivery_date <= target,
            Stop.outcome.is_not(None),
        )
        .group_by(Round.site_id, Round.delivery_date, Round.volunteer_id)
    )
    add_rows(session, DailyVolunteerStops, ["site_id", "day", "volunteer_id", "stops"], stops)
    ym = ym_expr(Order.delivery_date)
    months = (
        sa.select(Order.site_id, ym, Order.person_id, sa.func.sum(day_bit(Order.delivery_date)))
        .where(delivered)
        .group_by(Order.site_id, ym, Order.person_id)
    )
    # The first month may have been settled in part already: its bits are added to the row's.
    upsert = insert_for(session, TenantMonth).from_select(
        ["site_id", "ym", "person_id", "days"], months
    )
    session.execute(
        upsert.on_conflict_do_update(
            index_elements=["site_id", "ym", "person_id"],
            set_={"days": TenantMonth.days.op("|")(upsert.excluded.days)},
        )
    )
    tenant_sets.settle_days(session, site_id, through, target)
    roll_up(session, site_id, rolled, target)
    mark = insert_for(session, SettledThrough).values(
        site_id=site_id, through=target, updated_at=now
    )
    session.execute(
        mark.on_conflict_do_update(
            index_elements=["site_id"],
            set_={"through": target, "updated_at": now},
            where=SettledThrough.through < target,
        )
    )
    return (target - through).days


def settle_visits(session: Session, site_id: int, today: date) -> None:
    """Sum the site's visits from their watermark up to `SETTLE_AFTER` ago, but not past the
    day before its first visit still planned: the morning check marks a planned visit missed
    the day after (later if it did not run), and a settled day must not change. Visits done,
    with nobody home and missed, per day and volunteer, then per whole month. Only at a site
    whose deliveries have a watermark (the row holds both)."""
    row = session.execute(
        sa.select(SettledThrough.visits_through).where(SettledThrough.site_id == site_id)
    ).first()
    if row is None:
        return
    target = today - SETTLE_AFTER
    site = Visit.site_id == site_id
    still_open = session.scalar(
        sa.select(sa.func.min(Visit.visit_date)).where(site, Visit.status == VisitStatus.PLANNED)
    )
    if still_open is not None:
        target = min(target, still_open - timedelta(days=1))
    through = row.visits_through
    if through is None:
        first = session.scalar(sa.select(sa.func.min(Visit.visit_date)).where(site))
        # a site without visits yet has nothing to sum: its watermark is set all the same, or
        # its visits (none) would be a live branch of every /stats
        through = (first - timedelta(days=1)) if first is not None else target
    if through < target:
        _add_visits(session, site_id, through, target)
    session.execute(
        sa.update(SettledThrough)
        .where(
            SettledThrough.site_id == site_id,
            sa.or_(SettledThrough.visits_through.is_(None), SettledThrough.visits_through < target),
        )
        .values(visits_through=target)
    )


def _add_visits(session: Session, site_id: int, through: date, target: date) -> None:
    """The visits of the days after `through` up to `target` into the daily totals, and the
    months that became whole into the month totals."""

    def n(status: VisitStatus) -> sa.ColumnElement[int]:
        return sa.func.sum(sa.case((Visit.status == status, 1), else_=0))

    volunteer = sa.func.coalesce(Visit.volunteer_id, 0)
    add_rows(
        session,
        DailyVisitTotal,
        ["site_id", "day", "volunteer_id", "done", "nobody", "missed"],
        sa.select(Visit.site_id, Visit.visit_date, volunteer, *(n(s) for s in VISIT_COUNTED))
        .where(
            Visit.site_id == site_id,
            Visit.visit_date > through,
            Visit.visit_date <= target,
            Visit.status.in_(VISIT_COUNTED),
        )
        .group_by(Visit.site_id, Visit.visit_date, volunteer),
    )
    roll_up_visits(session, site_id, _unrolled(through), target)


def visit_watermarks(session: Session, site_ids: Sequence[int]) -> dict[int, date]:
    """The sites' visits watermarks (`settle_visits`); a site without one reads them live."""
    return {
        site_id: through
        for site_id, through in session.execute(
            sa.select(SettledThrough.site_id, SettledThrough.visits_through).where(
                SettledThrough.site_id.in_(list(site_ids))
            )
        ).all()
        if through is not None
    }


SUMMARIES = (
    "daily_item_totals",
    "daily_order_totals",
    "daily_volunteer_stops",
    "tenant_months",
    "month_totals",
    "month_item_totals",
    "month_volunteer_stops",
    "tenant_years",
    "daily_visit_totals",
    "month_visit_totals",
    "daily_tenant_sets",
    "month_tenant_sets",
    "daily_totals_settled",
)
ANALYZE_AFTER_DAYS = 31  # a settle this long wrote enough rows to mislead PostgreSQL's planner


def settle_all(session: Session, site_ids: Sequence[int], today: date, now: datetime) -> int:
    """Settle every site (the scheduler's daily job, `entraide db upgrade`); after a long
    catch-up, ANALYZE the summaries on PostgreSQL: with the statistics of empty tables its
    planner reads them badly. How many site-days were added."""
    added = sum(settle(session, site_id, today, now) for site_id in site_ids)
    if added > ANALYZE_AFTER_DAYS and session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("ANALYZE " + ", ".join(SUMMARIES)))
    return added


def add_rows(session: Session, model: type[Base], columns: list[str], rows: sa.Select[Any]) -> None:
    keys = [c.name for c in model.__table__.primary_key.columns]
    session.execute(
        insert_for(session, model)
        .from_select(columns, rows)
        .on_conflict_do_nothing(index_elements=keys)
    )


def behind(
    session: Session,
    site_ids: Sequence[int],
    today: date,
    days: int,
    most: int | None = None,
    marks: Mapping[int, date] | None = None,
) -> list[int]:
    """Sites whose watermark is more than `days` days behind the settle target (and, with
    `most`, at most that many: a site without a watermark is never settled from a request).
    `marks`: the watermarks, when the caller has read them already."""
    marks = watermarks(session, site_ids) if marks is None else marks
    target = today - SETTLE_AFTER
    gaps = {s: (target - marks.get(s, NEVER)).days for s in site_ids}
    return [s for s, gap in gaps.items() if gap > days and (most is None or gap <= most)]


@dataclass(frozen=True)
class Split:
    """A period at some sites cut at each site's watermark: the settled part, read from the
    summary tables, and the live part, read from the orders. Sites that share a watermark go
    together, so each part is a few index ranges (one per distinct watermark). The settled part
    is cut again into whole months (`month_totals` and the like) and the ragged days at its
    ends (the daily tables)."""

    settled: tuple[tuple[tuple[int, ...], date, date], ...]  # (sites, first day, last day)
    live: tuple[tuple[tuple[int, ...], date, date], ...]

    def settled_days(self, site: Any, day: Any) -> sa.ColumnElement[bool]:
        """Every settled day (the daily tables alone)."""
        return sa.or_(*(sa.and_(site.in_(ids), day >= a, day <= b) for ids, a, b in self.settled))

    def live_days(self, site: Any, day: Any) -> sa.ColumnElement[bool]:
        return sa.or_(*(sa.and_(site.in_(ids), day >= a, day <= b) for ids, a, b in self.live))

    @property
    def ragged(self) -> tuple[tuple[tuple[int, ...], date, date], ...]:
        """The settled days outside whole months: (sites, first day, last day)."""
        return tuple((ids, x, y) for ids, a, b in self.settled for x, y in whole_months(a, b)[0])

    @property
    def months(self) -> tuple[tuple[tuple[int, ...], int, int], ...]:
        """The whole settled months: (sites, first ym, last ym)."""
        out = []
        for ids, a, b in self.settled:
            span = whole_months(a, b)[1]
            if span is not None:
                out.append((ids, *span))
        return tuple(out)

    def ragged_days(self, site: Any, day: Any) -> sa.ColumnElement[bool]:
        return sa.or_(*(sa.and_(site.in_(ids), day >= a, day <= b) for ids, a, b in self.ragged))

    def whole_months(self, site: Any, ym: Any) -> sa.ColumnElement[bool]:
        return sa.or_(*(sa.and_(site.in_(ids), ym >= a, ym <= b) for ids, a, b in self.months))

    def ragged_tenant_months(self) -> sa.ColumnElement[bool]:
        """Tenant months with a delivery on a ragged settled day (each range is in one month)."""
        bits = TenantMonth.days.op("&")
        return sa.or_(
            *(
                sa.and_(
                    TenantMonth.site_id.in_(ids),
                    TenantMonth.ym == ym_of(a),
                    bits(span_bits(a.day, b.day)) != 0,
                )
                for ids, a, b in self.ragged
            )
        )

    def tenant_years(self) -> sa.ColumnElement[bool]:
        """Tenant years with a delivery in a whole settled month."""
        parts = []
        bits = TenantYear.months.op("&")
        for ids, lo, hi in self.months:
            (y1, m1), (y2, m2) = divmod(lo, 100), divmod(hi, 100)
            here = sa.and_(TenantYear.site_id.in_(ids), TenantYear.year >= y1)
            if y1 == y2:
                parts.append(sa.and_(here, TenantYear.year == y1, bits(span_bits(m1, m2)) != 0))
                continue
            parts.append(
                sa.and_(
                    here,
                    TenantYear.year <= y2,
                    sa.or_(
                        sa.and_(TenantYear.year > y1, TenantYear.year < y2),
                        sa.and_(TenantYear.year == y1, bits(span_bits(m1, 12)) != 0),
                        sa.and_(TenantYear.year == y2, bits(span_bits(1, m2)) != 0),
                    ),
                )
            )
        return sa.or_(*parts)


def split(
    session: Session,
    site_ids: Sequence[int],
    start: date,
    end: date,
    marks: dict[int, date] | None = None,
) -> Split:
    """Cut [start, end] at each site's watermark (every day is live at a site without one);
    `marks`: the watermarks, when the caller has read them already."""
    marks = watermarks(session, site_ids) if marks is None else marks
    by_mark: dict[date, list[int]] = {}
    for site_id in site_ids:
        by_mark.setdefault(marks.get(site_id, NEVER), []).append(site_id)
    settled, live = [], []
    for mark, ids in by_mark.items():
        if start <= min(mark, end):
            settled.append((tuple(ids), start, min(mark, end)))
        if max(start, mark + timedelta(days=1)) <= end:
            live.append((tuple(ids), max(start, mark + timedelta(days=1)), end))
    return Split(tuple(settled), tuple(live))


def delivered_by_site_day(
    session: Session, site_ids: Sequence[int], start: date, end: date
) -> list[tuple[int, date, str, int]]:
    """(site, day, item, quantity) over [start, end], settled and live alike: one row per
    site, day and item (the chart's and the report's input, a few thousand rows a year)."""
    part = split(session, site_ids, start, end)
    rows: list[Any] = []
    if part.settled:
        rows += session.execute(
            sa.select(
                DailyItemTotal.site_id,
                DailyItemTotal.day,
                DailyItemTotal.item_key,
                DailyItemTotal.quantity,
            ).where(part.settled_days(DailyItemTotal.site_id, DailyItemTotal.day))
        ).all()
    if part.live:
        rows += session.execute(
            sa.select(
                Order.site_id,
                Order.delivery_date,
                OrderLine.item_key,
                sa.func.sum(OrderLine.quantity),
            )
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(
                Order.status == OrderStatus.DELIVERED,
                part.live_days(Order.site_id, Order.delivery_date),
            )
            .group_by(Order.site_id, Order.delivery_date, OrderLine.item_key)
        ).all()
    return [(int(s), d, k, int(n or 0)) for s, d, k, n in rows]
