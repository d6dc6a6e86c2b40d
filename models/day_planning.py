"""Planning a delivery day against the database: the stored orders and today's volunteers go
into the pure planner (`models.planning`), the plan comes back as stored rounds; and what each
supplier must prepare. Each runs in the caller's transaction: the evening job, a volunteer who
drops out, the coordinator's preview.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.base import OrderStatus
from models.config import ServiceConfig, SiteConfig
from models.context import Context
from models.delivery import (
    available_volunteers,
    orders_with_tenants,
    save_plan,
    usual_volunteers,
)
from models.orders import Order, OrderLine
from models.people import Person
from models.planning import plan_rounds
from models.planning_types import Plan, PlannedStop, Volunteer, Weights
from models.rounds import Round


def weights(config: ServiceConfig) -> Weights:
    return Weights(
        per_item={k: item.weight for k, item in config.catalogue.items()},
        pack_items=frozenset(k for k, item in config.catalogue.items() if item.counts_as_pack),
    )


def planning_stops(
    session: Session, orders: list[tuple[Order, Person]], day: date, tenants: sa.Select[tuple[int]]
) -> list[PlannedStop]:
    """The planner's stops for these orders (with their tenants, as `orders_with_tenants`
    reads them); `tenants` selects their ids, for the usual volunteers in one statement."""
    usual = usual_volunteers(session, tenants, day)
    out = []
    for order, person in orders:
        profile = person.tenant
        out.append(
            PlannedStop(
                order_id=order.id,
                tenant_id=person.id,
                building=(profile.building if profile else "") or "?",
                entrance=profile.entrance if profile else None,
                floor=profile.floor if profile else None,
                apartment=profile.apartment if profile else None,
                items=order.items,
                first=bool(profile and profile.time_need),
                previous_volunteer_id=usual.get(person.id),
            )
        )
    return out


def day_tenants(
    site_id: int, day: date, statuses: tuple[OrderStatus, ...]
) -> sa.Select[tuple[int]]:
    """The tenants with an order of these statuses at the site on `day`, as a subquery."""
    return sa.select(Order.person_id).where(
        Order.site_id == site_id, Order.delivery_date == day, Order.status.in_(statuses)
    )


def planning_volunteers(volunteers: list[Person]) -> list[Volunteer]:
    return [
        Volunteer(id=p.id, max_packs=p.volunteer.max_packs if p.volunteer else None)
        for p in volunteers
    ]


def plan_day(
    session: Session,
    ctx: Context,
    site: SiteConfig,
    site_id: int,
    day: date,
    keep: dict[int, int] | None = None,
) -> tuple[Plan, dict[int, Round]]:
    """Plan (or re-plan) D's rounds over today's available volunteers and store them."""
    open_ = (OrderStatus.PENDING, OrderStatus.PLANNED)
    orders = [(o, p) for o, p in orders_with_tenants(session, site_id, day, open_) if o.items]
    volunteers = available_volunteers(session, site_id, day)
    plan = plan_rounds(
        planning_stops(session, orders, day, day_tenants(site_id, day, open_)),
        planning_volunteers(volunteers),
        weights(ctx.config),
        keep,
    )
    by_volunteer = {vid: [s.order_id for s in stops] for vid, stops in plan.rounds.items()}
    rounds = save_plan(
        session, site_id, day, by_volunteer, [s.order_id for s in plan.uncovered], ctx.now()
    )
    return plan, rounds


def supplier_totals(
    session: Session, ctx: Context, site_id: int, day: date
) -> dict[str, Counter[str]]:
    """Per supplier, what to prepare for D: every order kept, covered or not. Summed by the
    database in one statement rather than order by order."""
    totals: dict[str, Counter[str]] = {key: Counter() for key in ctx.config.suppliers}
    rows = session.execute(
        sa.select(OrderLine.item_key, sa.func.sum(OrderLine.quantity))
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.site_id == site_id,
            Order.delivery_date == day,
            Order.status.in_((OrderStatus.PENDING, OrderStatus.PLANNED)),
            OrderLine.quantity != 0,
        )
        .group_by(OrderLine.item_key)
        .order_by(OrderLine.item_key)
    ).all()
    for key, n in rows:
        totals[ctx.config.catalogue[key].supplier][key] += int(n)
    return totals
