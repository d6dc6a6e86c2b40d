"""Closing a date at a site (a public holiday, a strike, the bakery closed, a storm).

The orders of that day, standing orders included, are cancelled, or moved to the next delivery
day when the coordinator says so; that day's rounds are dropped and its courtesy visits
cancelled (a tenant who asked for one waits for another day). The ordering rules already
refuse closed dates (`rules.check_day`), and the evening job skips them (`wiring.run_kind`).
Who must be told is returned to the caller, which writes the messages in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.base import OrderStatus
from models.config import WEEKDAYS, ServiceConfig, SiteConfig
from models.delivery import available_volunteers, materialise_standing
from models.orders import Order, closed_dates, order_on, pause_on, place_order, standing_orders
from models.people import Person
from models.rounds import Round
from models.rules import MAX_DAYS_AHEAD, next_delivery_after
from models.site import Closure
from models.visit_planning import planned_on, withdraw
from models.visits import Visit

OPEN = (OrderStatus.PENDING, OrderStatus.PLANNED)


@dataclass
class ClosureResult:
    day: date
    closure: Closure | None = None  # None: the date was already closed, nothing done
    cancelled: list[Order] = field(default_factory=list)
    moved: list[tuple[Order, date, dict[str, int]]] = field(default_factory=list)  # new day, items
    volunteers: list[Person] = field(default_factory=list)  # had (or would have had) a round
    visits: list[tuple[Visit, Person, Person | None]] = field(default_factory=list)  # cancelled

    @property
    def tenants(self) -> int:
        return len(
            {o.person_id for o in self.cancelled}
            | {o.person_id for o, _, _ in self.moved}
            | {tenant.id for _, tenant, _ in self.visits}
        )


def closure_on(session: Session, site_id: int, day: date) -> Closure | None:
    return session.scalar(
        sa.select(Closure).where(Closure.site_id == site_id, Closure.closed_on == day)
    )


def upcoming_closures(session: Session, site_ids: list[int], since: date) -> list[Closure]:
    return list(
        session.scalars(
            sa.select(Closure)
            .where(Closure.site_id.in_(site_ids), Closure.closed_on >= since)
            .order_by(Closure.closed_on, Closure.site_id)
        )
    )


def close_day(
    session: Session,
    config: ServiceConfig,
    site: SiteConfig,
    site_id: int,
    day: date,
    reason: str,
    now: datetime,
    *,
    move: bool = False,
) -> ClosureResult:
    """Record the closure and deal with the day's orders and rounds (one transaction)."""
    result = ClosureResult(day)
    if closure_on(session, site_id, day) is not None:
        return result
    volunteers = _volunteers_of_the_day(session, site_id, day)
    result.closure = Closure(site_id=site_id, closed_on=day, reason=reason[:200], created_at=now)
    session.add(result.closure)
    materialise_standing(session, site_id, day, now)
    orders = session.scalars(
        sa.select(Order)
        .where(Order.site_id == site_id, Order.delivery_date == day, Order.status.in_(OPEN))
        .order_by(Order.id)
    ).all()
    closed = closed_dates(session, site_id, day, day + timedelta(days=MAX_DAYS_AHEAD)) | {day}
    target = next_delivery_after(site, day, closed) if move else None
    for order in orders:
        items = order.items
        if not items:
            order.status, order.updated_at = OrderStatus.CANCELLED, now
            continue
        person = session.get(Person, order.person_id)
        assert person is not None
        moved_items = None
        if target is not None and pause_on(session, person.id, target) is None:
            moved_items = _merged(session, config, person, target, items)
        order.status, order.updated_at = OrderStatus.CANCELLED, now
        session.flush()
        if moved_items is None:
            result.cancelled.append(order)
            continue
        place_order(session, person, target, moved_items, now=now, source="moved")  # type: ignore[arg-type]
        result.moved.append((order, target, moved_items))  # type: ignore[arg-type]
    for rnd in session.scalars(
        sa.select(Round).where(
            Round.site_id == site_id, Round.delivery_date == day, Round.dropped_at.is_(None)
        )
    ):
        rnd.dropped_at = now
    for visit, tenant in planned_on(session, site_id, day):
        volunteer = session.get(Person, visit.volunteer_id) if visit.volunteer_id else None
        withdraw(session, visit, now)
        result.visits.append((visit, tenant, volunteer))
        if volunteer is not None and all(v.id != volunteer.id for v in volunteers):
            volunteers.append(volunteer)
    result.volunteers = volunteers
    session.flush()
    return result


def _volunteers_of_the_day(session: Session, site_id: int, day: date) -> list[Person]:
    """Those with a round that day; if none is planned yet, those who would get one."""
    ids = session.scalars(
        sa.select(Round.volunteer_id).where(
            Round.site_id == site_id, Round.delivery_date == day, Round.dropped_at.is_(None)
        )
    ).all()
    if ids:
        return list(
            session.scalars(sa.select(Person).where(Person.id.in_(ids)).order_by(Person.id))
        )
    return available_volunteers(session, site_id, day)


def _merged(
    session: Session, config: ServiceConfig, person: Person, target: date, items: dict[str, int]
) -> dict[str, int]:
    """What the tenant gets on the next delivery day: what they had there (an order, or the
    standing order that would have come) plus the moved items, each within its limit."""
    existing = order_on(session, person.id, target)
    if existing is not None:
        base = existing.items if existing.status in OPEN else {}
    else:
        base = standing_orders(session, person.id).get(WEEKDAYS[target.weekday()], {})
    out = dict(base)
    for key, n in items.items():
        limit = config.catalogue[key].max_per_delivery if key in config.catalogue else n
        out[key] = min(out.get(key, 0) + n, max(limit, out.get(key, 0)))
    return out
