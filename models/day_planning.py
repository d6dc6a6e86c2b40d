"""Planning a delivery day against the database: the stored orders and today's volunteers go
into the pure planner (`models.planning`), the plan comes back as stored rounds; and what each
supplier must prepare. Each runs in the caller's transaction: the evening job, a volunteer who
drops out, the coordinator's preview.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from models.base import OrderStatus
from models.config import ServiceConfig, SiteConfig
from models.context import Context
from models.delivery import available_volunteers, orders_for, save_plan, usual_volunteers
from models.orders import Order
from models.people import Person
from models.planning import plan_rounds
from models.planning_types import Plan, PlannedStop, Volunteer, Weights
from models.rounds import Round


def weights(config: ServiceConfig) -> Weights:
    return Weights(
        per_item={k: item.weight for k, item in config.catalogue.items()},
        pack_items=frozenset(k for k, item in config.catalogue.items() if item.counts_as_pack),
    )


def planning_stops(session: Session, orders: list[Order], day: date) -> list[PlannedStop]:
    preload_people(session, {o.person_id for o in orders})
    usual = usual_volunteers(session, [o.person_id for o in orders], day)
    out = []
    for order in orders:
        person = session.get(Person, order.person_id)
        assert person is not None
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


def preload_people(session: Session, ids: set[int]) -> None:
    """People and their tenant profiles in two queries, so that `session.get` in the loops
    that follow finds them in memory instead of asking once per stop."""
    ids_list = sorted(ids)
    for i in range(0, len(ids_list), 900):  # stay under SQLite's parameter limit
        session.scalars(
            sa.select(Person)
            .options(selectinload(Person.tenant))
            .where(Person.id.in_(ids_list[i : i + 900]))
        ).all()


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
    orders = orders_for(session, site_id, day, (OrderStatus.PENDING, OrderStatus.PLANNED))
    orders = [o for o in orders if o.items]
    volunteers = available_volunteers(session, site_id, day)
    plan = plan_rounds(
        planning_stops(session, orders, day),
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
    """Per supplier, what to prepare for D: every order kept, covered or not."""
    totals: dict[str, Counter[str]] = {key: Counter() for key in ctx.config.suppliers}
    for order in orders_for(session, site_id, day, (OrderStatus.PENDING, OrderStatus.PLANNED)):
        for key, n in order.items.items():
            totals[ctx.config.catalogue[key].supplier][key] += n
    return totals
