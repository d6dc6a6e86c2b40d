"""The settled daily totals give the same figures as a straight count over the orders.

The residence of `test_stats` (orders from December 2025 to today, 24 November 2026, at two
sites), counted three ways for many periods and every choice of sites: straight from the orders
(the definition), with no day settled (everything live), and settled in two steps (up to
3 November, then up to 17 November), so that November's tenant bits are added to in place and
periods cross the watermark, month ends and year ends.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from models import tenant_sets
from models.base import OrderStatus, VisitStatus
from models.daily_totals import settle, visit_watermarks
from models.month_totals import MonthVisitTotal, month_end, ym_of
from models.orders import Order, OrderLine
from models.period_figures import period_figures
from models.rounds import Round, Stop
from models.stats import Figures, MonthRow, figures, monthly
from models.tenant_sets import DailyTenantSet, MonthTenantSet
from models.visits import Visit
from models.volunteer_stats import volunteer_shares
from tests.coordinator import test_stats
from tests.coordinator.world import World

w = test_stats.w  # the residence, as a fixture
CLOCK = test_stats.CLOCK

D = date
PERIODS = [
    (D(2026, 11, 18), D(2026, 11, 24)),  # the last 7 days: settled to the 22nd, then live
    (D(2026, 11, 11), D(2026, 11, 17)),  # the week before: settled
    (D(2026, 11, 15), D(2026, 11, 20)),  # before the watermark, across the old week-old one
    (D(2026, 11, 21), D(2026, 11, 24)),  # across the watermark
    (D(2026, 11, 1), D(2026, 11, 24)),  # a month so far
    (D(2026, 10, 1), D(2026, 10, 31)),  # a whole month
    (D(2026, 10, 24), D(2026, 10, 26)),  # inside a month, around the autumn DST change
    (D(2026, 3, 28), D(2026, 3, 30)),  # spring DST weekend
    (D(2026, 3, 29), D(2026, 3, 29)),  # one day without orders
    (D(2025, 12, 31), D(2026, 1, 2)),  # across a year end
    (D(2025, 12, 1), D(2026, 11, 24)),  # since the start
    (D(2026, 1, 1), D(2026, 12, 31)),  # a calendar year
    (D(2026, 10, 25), D(2026, 11, 16)),  # a custom range across a month end
]
SITES = [["moulin"], ["phare"], ["moulin", "phare"]]


def straight(session: Session, site_ids: list[int], start: date, end: date) -> Figures:
    """Every figure counted from the orders, rounds and visits themselves."""
    period = sa.and_(
        Order.site_id.in_(site_ids), Order.delivery_date >= start, Order.delivery_date <= end
    )
    status = dict(
        session.execute(
            sa.select(Order.status, sa.func.count()).where(period).group_by(Order.status)
        ).all()
    )
    delivered = sa.and_(period, Order.status == OrderStatus.DELIVERED)
    items = dict(
        session.execute(
            sa.select(OrderLine.item_key, sa.func.sum(OrderLine.quantity))
            .join(Order, Order.id == OrderLine.order_id)
            .where(delivered)
            .group_by(OrderLine.item_key)
        ).all()
    )
    tenants = session.scalar(
        sa.select(sa.func.count(sa.distinct(Order.person_id))).where(delivered)
    )
    visits = sa.and_(
        Visit.site_id.in_(site_ids), Visit.visit_date >= start, Visit.visit_date <= end
    )
    stops = set(
        session.scalars(
            sa.select(Round.volunteer_id)
            .join(Stop, Stop.round_id == Round.id)
            .where(
                Round.site_id.in_(site_ids),
                Round.delivery_date >= start,
                Round.delivery_date <= end,
                Stop.outcome.is_not(None),
            )
        )
    )
    visitors = set(
        session.scalars(
            sa.select(Visit.volunteer_id).where(
                visits,
                Visit.status.in_((VisitStatus.DONE, VisitStatus.NOBODY)),
                Visit.volunteer_id.is_not(None),
            )
        )
    )
    by_visit = dict(
        session.execute(
            sa.select(Visit.status, sa.func.count()).where(visits).group_by(Visit.status)
        ).all()
    )
    return Figures(
        items={k: int(n) for k, n in items.items()},
        delivered=status.get(OrderStatus.DELIVERED, 0),
        failed=status.get(OrderStatus.FAILED, 0),
        cancelled=status.get(OrderStatus.CANCELLED, 0),
        tenants=int(tenants or 0),
        volunteers=len(stops | visitors),
        visits_done=by_visit.get(VisitStatus.DONE, 0),
        visits_nobody=by_visit.get(VisitStatus.NOBODY, 0),
        visits_missed=by_visit.get(VisitStatus.MISSED, 0),
    )


def straight_months(session: Session, site_ids: list[int], year: int) -> list[MonthRow]:
    """The yearly report's rows, each month counted from the orders and visits themselves."""
    rows = []
    for site_id in site_ids:
        for m in range(1, 13):
            end = date(year + (m == 12), m % 12 + 1, 1) - date.resolution
            f = straight(session, [site_id], date(year, m, 1), end)
            rows.append(
                MonthRow(
                    site_id,
                    m,
                    f.delivered,
                    f.failed,
                    f.cancelled,
                    f.tenants,
                    f.items,
                    f.visits_done,
                )
            )
    return rows


def _all(w: World) -> dict[object, object]:
    out: dict[object, object] = {}
    for sites in SITES:
        ids = [w.site(s) for s in sites]
        for start, end in PERIODS:
            out[("+".join(sites), start, end)] = (
                w.db.call(figures, ids, start, end),
                w.db.call(volunteer_shares, ids, start, end),
            )
        for year in (2025, 2026):
            out["+".join(sites), year] = w.db.call(monthly, ids, year)
    return out


def _settle(w: World, today: date) -> None:
    for slug in ("moulin", "phare"):
        w.db.call(settle, w.site(slug), today, CLOCK)


@pytest.mark.parametrize("sites", SITES, ids="+".join)
@pytest.mark.parametrize(("start", "end"), PERIODS, ids=str)
def test_live_figures_are_a_straight_count(
    w: World,
    sites: list[str],
    start: date,
    end: date,
) -> None:
    ids = [w.site(s) for s in sites]
    assert w.db.call(figures, ids, start, end) == w.db.call(straight, ids, start, end)


def test_settled_figures_are_the_live_ones(w: World) -> None:
    live = _all(w)
    for sites in SITES:
        ids = [w.site(s) for s in sites]
        for year in (2025, 2026):
            assert live["+".join(sites), year] == w.db.call(straight_months, ids, year)
    _settle(w, D(2026, 11, 10))  # up to 8 November: November in part
    assert _all(w) == live
    _settle(w, D(2026, 11, 24))  # up to 22 November: November's bits added in place
    _settle(w, D(2026, 11, 24))  # twice changes nothing
    settled = _all(w)
    assert settled == live
    for sites in SITES:
        ids = [w.site(s) for s in sites]
        for start, end in PERIODS:
            assert settled["+".join(sites), start, end][0] == w.db.call(  # type: ignore[index]
                straight, ids, start, end
            ), (sites, start, end)
        for year in (2025, 2026):
            assert settled["+".join(sites), year] == w.db.call(straight_months, ids, year)
        # several periods in one statement (what /stats asks: a period, the one before, since
        # the start), branches shared between them read once, give each period's own figures
        together = w.db.call(period_figures, ids, PERIODS).figures
        assert together == [settled["+".join(sites), a, b][0] for a, b in PERIODS]  # type: ignore[index]


def _all_straight(w: World) -> None:
    for sites in SITES:
        ids = [w.site(s) for s in sites]
        for start, end in PERIODS:
            assert w.db.call(figures, ids, start, end) == w.db.call(straight, ids, start, end), (
                sites,
                start,
                end,
            )


def test_visits_settle_only_once_they_can_no_longer_change(w: World) -> None:
    """Visits are read from their totals up to their own watermark, which stops the day
    before a visit still planned (the morning check marks it missed the next day, later if it
    did not run): a settled day must not change. Visits without a volunteer count too, and a
    whole month of visits comes from its month row."""
    w.visit("a3", "vA1", D(2026, 10, 14), VisitStatus.DONE)
    w.visit("a3", "vA2", D(2026, 10, 21), VisitStatus.NOBODY)
    w.visit("a4", None, D(2026, 10, 28), VisitStatus.MISSED)
    w.visit("b1", "vB1", D(2026, 10, 28), VisitStatus.DONE)
    w.visit("a4", None, D(2026, 11, 12), VisitStatus.DONE)
    w.visit("a3", "vA2", D(2026, 11, 16), VisitStatus.PLANNED)  # the morning check is late
    _settle(w, D(2026, 11, 24))
    moulin, phare = w.site("moulin"), w.site("phare")
    marks = w.db.call(visit_watermarks, [moulin, phare])
    assert marks == {moulin: D(2026, 11, 15), phare: D(2026, 11, 22)}
    _all_straight(w)
    with w.db.transaction() as s:
        s.execute(
            sa.update(Visit)
            .where(Visit.status == VisitStatus.PLANNED, Visit.visit_date == D(2026, 11, 16))
            .values(status=VisitStatus.MISSED)
        )
    _all_straight(w)  # read live until the next settle
    _settle(w, D(2026, 11, 24))
    assert w.db.call(visit_watermarks, [moulin])[moulin] == D(2026, 11, 22)
    _all_straight(w)
    assert w.db.call(lambda s: s.scalar(sa.select(sa.func.count()).select_from(MonthVisitTotal)))


def test_settled_day_by_day_as_the_scheduler_does(w: World) -> None:
    """The daily job settles one day at a time: a month completed that way (October, then
    the first days of November) is rolled up too, and every figure, visits included, stays
    the straight count."""
    day = D(2026, 10, 20)
    while day <= D(2026, 11, 24):
        _settle(w, day)
        day += timedelta(days=1)
    for sites in SITES:
        ids = [w.site(s) for s in sites]
        for start, end in PERIODS:
            assert w.db.call(figures, ids, start, end) == w.db.call(straight, ids, start, end), (
                sites,
                start,
                end,
            )
        for year in (2025, 2026):
            assert w.db.call(monthly, ids, year) == w.db.call(straight_months, ids, year)


def _tenant_sets(w: World) -> dict[tuple[int, object], set[int]]:
    """The tenant sets written (`models.tenant_sets`), read back as person ids per site and
    day (a date) or whole month (a ym)."""
    out: dict[tuple[int, object], set[int]] = {}
    with w.db.transaction() as s:
        for model, when in (
            (DailyTenantSet, DailyTenantSet.day),
            (MonthTenantSet, MonthTenantSet.ym),
        ):
            rows = s.execute(sa.select(model.site_id, when, model.chunk, model.persons))
            for site_id, at, chunk, bits in rows:
                ids = {chunk * tenant_sets.BITS + i for i, bit in enumerate(bits) if bit == "1"}
                assert ids  # a row for a chunk with tenants only
                out.setdefault((site_id, at), set()).update(ids)
    return out


def _delivered(w: World, first: date, last: date) -> dict[tuple[int, object], set[int]]:
    """The tenants delivered per site and day, and per site and whole month, counted from the
    orders: what the sets must hold once every day up to `last` is settled."""
    out: dict[tuple[int, object], set[int]] = {}
    with w.db.transaction() as s:
        for site_id, day, person_id in s.execute(
            sa.select(Order.site_id, Order.delivery_date, Order.person_id).where(
                Order.status == OrderStatus.DELIVERED, Order.delivery_date <= last
            )
        ):
            out.setdefault((site_id, day), set()).add(person_id)
            if first <= day and month_end(day) <= last:
                out.setdefault((site_id, ym_of(day)), set()).add(person_id)
    return out


def test_tenant_sets_count_each_tenant_once(w: World) -> None:
    """The tenants served, from the tenant sets on PostgreSQL: tenants whose ids fall in other
    chunks of 1,024 ids (a chunk's first and last bit, a chunk only the live days reach, one
    that has settled days in some periods and not in others) and a tenant delivered at two
    sites; every period's count stays the straight one, before, across and after the
    watermark, and the sets hold exactly the delivered tenants of each settled day and whole
    month (SQLite keeps none: it counts from the tenant rows)."""
    w.person("c1", tenant=True, pid=1023)
    w.person("c2", tenant=True, pid=1024)
    w.person("c3", "phare", tenant=True, pid=3071)
    w.order("c1", D(2026, 10, 24), {"bread": 1}, by="vA1")
    w.order("c1", D(2026, 11, 20), {"bread": 1}, site="phare")  # moved to the other site
    w.order("c2", D(2026, 10, 31), {"water": 1})
    w.order("c2", D(2026, 11, 23), {"water": 1})  # live after the last settle
    w.order("c3", D(2026, 11, 18), {"bread": 1}, OrderStatus.FAILED)
    w.order("c3", D(2026, 11, 24), {"bread": 2})  # the only chunk-2 tenant: live days only
    _all_straight(w)
    _settle(w, D(2026, 11, 10))  # settled up to 8 November
    _all_straight(w)
    _settle(w, D(2026, 11, 24))  # up to 22 November
    _all_straight(w)
    sets = _tenant_sets(w)
    if w.db.is_sqlite:
        assert sets == {}
        return
    assert sets == _delivered(w, D(2025, 12, 1), D(2026, 11, 22))
