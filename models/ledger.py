"""The delivery ledger: one row per order, for the landlord's CSV export.

One query, streamed in batches (an export of a busy year is tens of thousands of rows, written
to a file as they come, never held in memory whole). Quantities are pivoted into one column per
catalogue item by the database.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from models.base import DeliveryOutcome, OrderStatus
from models.orders import Order, OrderLine
from models.people import Person, TenantProfile
from models.rounds import Round, Stop
from models.site import Site

ATTEMPTED = (OrderStatus.DELIVERED, OrderStatus.FAILED)


@dataclass(frozen=True)
class LedgerRow:
    day: date
    site: str
    order_id: int
    tenant_id: int
    tenant: str
    building: str
    entrance: str
    floor: int | None
    apartment: str
    status: str
    outcome: str
    standing: bool
    volunteer: str
    items: dict[str, int]


def ledger(
    session: Session,
    site_ids: Sequence[int],
    start: date,
    end: date,
    item_keys: Sequence[str],
    *,
    include_cancelled: bool = False,
) -> Iterator[LedgerRow]:
    """Orders delivered or attempted (and cancelled ones if asked) in [start, end], by date,
    site and tenant."""
    statuses = (*ATTEMPTED, OrderStatus.CANCELLED) if include_cancelled else ATTEMPTED
    quantities = [
        sa.func.coalesce(
            sa.select(OrderLine.quantity)
            .where(OrderLine.order_id == Order.id, OrderLine.item_key == key)
            .scalar_subquery(),
            0,
        )
        for key in item_keys
    ]
    volunteer = aliased(Person)
    query = (
        sa.select(
            Order.delivery_date,
            Site.name,
            Order.id,
            Person.id,
            Person.name,
            TenantProfile.building,
            TenantProfile.entrance,
            TenantProfile.floor,
            TenantProfile.apartment,
            Order.status,
            Order.outcome,
            Order.standing,
            volunteer.name,
            *quantities,
        )
        .join(Site, Site.id == Order.site_id)
        .join(Person, Person.id == Order.person_id)
        .outerjoin(TenantProfile, TenantProfile.person_id == Person.id)
        .outerjoin(Stop, Stop.order_id == Order.id)
        .outerjoin(Round, Round.id == Stop.round_id)
        .outerjoin(volunteer, volunteer.id == Round.volunteer_id)
        .where(
            Order.site_id.in_(list(site_ids)),
            Order.delivery_date >= start,
            Order.delivery_date <= end,
            Order.status.in_(statuses),
        )
        .order_by(Order.delivery_date, Site.name, Person.name, Order.id)
        .execution_options(yield_per=2000)
    )
    for row in session.execute(query):
        (
            day,
            site,
            order_id,
            tenant_id,
            tenant,
            building,
            entrance,
            floor,
            apartment,
            status,
            outcome,
            standing,
            volunteer_name,
            *counts,
        ) = row
        yield LedgerRow(
            day=day,
            site=site,
            order_id=order_id,
            tenant_id=tenant_id,
            tenant=tenant,
            building=building or "",
            entrance=entrance or "",
            floor=floor,
            apartment=apartment or "",
            status=status.value if isinstance(status, OrderStatus) else str(status),
            outcome=outcome.value if isinstance(outcome, DeliveryOutcome) else (outcome or ""),
            standing=bool(standing),
            volunteer=volunteer_name or "",
            items={k: int(n or 0) for k, n in zip(item_keys, counts, strict=True)},
        )
