"""Planning a delivery day against the database: the stored orders and today's volunteers go
into the pure planner (`models.planning`), the plan comes back as stored rounds; and what each
supplier must prepare. Each runs in the caller's transaction: the evening job, a volunteer who
drops out, the coordinator's preview.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.base import OrderStatus
from models.config import ServiceConfig, SiteConfig
from models.context import Context
from models.delivery import (
    available_volunteers,
    save_plan,
    usual_volunteers,
)
from models.orders import Order, OrderLine
from models.people import Person, TenantProfile
from models.planning import plan_rounds
from models.planning_types import Plan, PlannedStop, Volunteer, Weights


def weights(config: ServiceConfig) -> Weights:
    return Weights(
        per_item={k: item.weight for k, item in config.catalogue.items()},
        pack_items=frozenset(k for k, item in config.catalogue.items() if item.counts_as_pack),
    )


def planning_stops(
    session: Session, site_id: int, day: date, statuses: tuple[OrderStatus, ...]
) -> list[PlannedStop]:
    """The planner's stops: the day's orders of these statuses that hold something, with their
    tenant's door and usual volunteer. Two statements whatever their number, and plain rows
    rather than ORM objects: the planner needs a few columns of thousands of orders."""
    usual = usual_volunteers(session, day_tenants(site_id, day, statuses), day)
    rows = session.execute(
        sa.select(
            Order.id,
            Order.person_id,
            TenantProfile.building,
            TenantProfile.entrance,
            TenantProfile.floor,
            TenantProfile.apartment,
            TenantProfile.time_need,
            OrderLine.item_key,
            OrderLine.quantity,
        )
        .outerjoin(TenantProfile, TenantProfile.person_id == Order.person_id)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(
            Order.site_id == site_id,
            Order.delivery_date == day,
            Order.status.in_(statuses),
            OrderLine.quantity != 0,
        )
        .order_by(Order.id, OrderLine.item_key)
    )
    doors: dict[int, tuple[Any, ...]] = {}  # order id → tenant and door, in order
    items: dict[int, dict[str, int]] = {}
    for order_id, *door, key, n in rows:
        doors.setdefault(order_id, tuple(door))
        items.setdefault(order_id, {})[key] = n
    return [
        PlannedStop(
            order_id=order_id,
            tenant_id=tenant_id,
            building=building or "?",
            entrance=entrance,
            floor=floor,
            apartment=apartment,
            items=items[order_id],
            first=bool(need),
            previous_volunteer_id=usual.get(tenant_id),
        )
        for order_id, (tenant_id, building, entrance, floor, apartment, need) in doors.items()
    ]


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
    volunteers: list[Person] | None = None,
) -> tuple[Plan, dict[int, int]]:
    """Plan (or re-plan) D's rounds over today's available volunteers (`volunteers`, when the
    caller has read them already) and store them; each stored round's id by volunteer."""
    open_ = (OrderStatus.PENDING, OrderStatus.PLANNED)
    if volunteers is None:
        volunteers = available_volunteers(session, site_id, day)
    plan = plan_rounds(
        planning_stops(session, site_id, day, open_),
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
