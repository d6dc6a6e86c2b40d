"""A delivery day, from orders to rounds to outcomes: the domain operations of the evening job,
the volunteers' reports and the morning check. Each runs in the caller's transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager, joinedload

from models.base import DeliveryOutcome, OrderStatus, PersonStatus
from models.config import WEEKDAYS
from models.orders import Order, OrderLine, Pause, StandingOrder
from models.people import Addressee, Person, TenantProfile, VolunteerAbsence
from models.rounds import Round, Stop

USUAL_WINDOW = timedelta(days=42)  # a tenant's usual volunteer: who served them most lately


def _reachable_tenant():
    return sa.and_(
        Person.status == PersonStatus.ACTIVE,
        Person.erased_at.is_(None),
        Person.opted_out_at.is_(None),
    )


def materialise_standing(session: Session, site_id: int, day: date, now: datetime) -> int:
    """Turn standing orders for `day`'s weekday into orders, except for tenants who already have
    a row that day (ordered, or cancelled that date), who paused, or who said STOP."""
    weekday = WEEKDAYS[day.weekday()]
    paused = sa.select(Pause.person_id).where(Pause.start_on <= day, Pause.end_on >= day)
    has_row = sa.select(Order.person_id).where(Order.delivery_date == day)
    rows = session.execute(
        sa.select(StandingOrder.person_id, StandingOrder.item_key, StandingOrder.quantity)
        .join(Person, Person.id == StandingOrder.person_id)
        .where(
            StandingOrder.weekday == weekday,
            Person.site_id == site_id,
            _reachable_tenant(),
            StandingOrder.person_id.not_in(paused),
            StandingOrder.person_id.not_in(has_row),
        )
        .order_by(StandingOrder.person_id, StandingOrder.item_key)
    ).all()
    by_person: dict[int, dict[str, int]] = {}
    for person_id, key, quantity in rows:
        by_person.setdefault(person_id, {})[key] = quantity
    if not by_person:
        return 0
    # Three statements whatever the number of tenants: the orders (one executemany), their ids
    # read back by (tenant, day), the row's unique key, then their lines (one executemany).
    session.execute(
        sa.insert(Order.__table__),
        [
            {
                "person_id": person_id,
                "site_id": site_id,
                "delivery_date": day,
                "status": OrderStatus.PENDING,
                "source": "standing",
                "standing": True,
                "created_at": now,
                "updated_at": now,
            }
            for person_id in by_person
        ],
    )
    made = session.execute(
        sa.select(Order.person_id, Order.id).where(
            Order.site_id == site_id, Order.delivery_date == day, Order.standing.is_(True)
        )
    ).all()
    ids = {person_id: order_id for person_id, order_id in made if person_id in by_person}
    session.execute(
        sa.insert(OrderLine.__table__),
        [
            {"order_id": ids[person_id], "item_key": key, "quantity": n}
            for person_id, items in by_person.items()
            for key, n in items.items()
        ],
    )
    return len(by_person)


def suspend_unreachable(session: Session, site_id: int, day: date, now: datetime) -> int:
    """Orders of tenants who said STOP (or were refused, or erased) since ordering: cancelled."""
    ids = session.scalars(
        sa.select(Order.id)
        .join(Person, Person.id == Order.person_id)
        .where(
            Order.site_id == site_id,
            Order.delivery_date == day,
            Order.status == OrderStatus.PENDING,
            sa.not_(_reachable_tenant()),
        )
    ).all()
    if ids:
        session.execute(
            sa.update(Order)
            .where(Order.id.in_(ids))
            .values(status=OrderStatus.CANCELLED, updated_at=now)
        )
    return len(ids)


def orders_with_tenants(
    session: Session, site_id: int, day: date, statuses: Iterable[OrderStatus]
) -> list[tuple[Order, Person]]:
    """The day's orders of these statuses with each order's tenant, in one statement whatever
    their number: lines and tenant profiles come joined, so nothing is loaded row by row."""
    rows = session.execute(
        sa.select(Order, Person)
        .join(Person, Person.id == Order.person_id)
        .outerjoin(Person.tenant)
        .options(joinedload(Order.lines), contains_eager(Person.tenant))
        .where(
            Order.site_id == site_id,
            Order.delivery_date == day,
            Order.status.in_(list(statuses)),
        )
        .order_by(Order.id)
    ).unique()
    return [(order, person) for order, person in rows]


def available_volunteers(session: Session, site_id: int, day: date) -> list[Person]:
    weekday = WEEKDAYS[day.weekday()]
    away = sa.select(VolunteerAbsence.person_id).where(
        VolunteerAbsence.start_on <= day, VolunteerAbsence.end_on >= day
    )
    people = session.scalars(
        sa.select(Person)
        .join(Person.volunteer)
        .options(contains_eager(Person.volunteer))
        .where(
            Person.site_id == site_id,
            Person.is_volunteer.is_(True),
            _reachable_tenant(),
            Person.id.not_in(away),
        )
        .order_by(Person.id)
    ).all()
    return [p for p in people if p.volunteer is not None and p.volunteer.available_on(weekday)]


def usual_volunteers(
    session: Session, tenant_ids: list[int] | sa.Select[tuple[int]], day: date
) -> dict[int, int]:
    """Tenant → the volunteer who delivered to them most often in recent weeks (continuity: a
    stand-in during an absence does not become the usual one). `tenant_ids` may be a subquery
    (the day's tenants), so that thousands of tenants are not thousands of parameters."""
    if isinstance(tenant_ids, list) and not tenant_ids:
        return {}
    rows = session.execute(
        sa.select(Order.person_id, Round.volunteer_id)
        .join(Stop, Stop.order_id == Order.id)
        .join(Round, Round.id == Stop.round_id)
        .where(
            Order.person_id.in_(tenant_ids),
            Order.delivery_date < day,
            Order.delivery_date >= day - USUAL_WINDOW,
            Round.dropped_at.is_(None),
        )
    ).all()
    counts: dict[int, Counter[int]] = {}
    for tenant, volunteer in rows:
        counts.setdefault(tenant, Counter())[volunteer] += 1
    return {t: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for t, c in counts.items()}


def save_plan(
    session: Session,
    site_id: int,
    day: date,
    rounds_by_volunteer: dict[int, list[int]],
    uncovered_ids: list[int],
    now: datetime,
) -> dict[int, int]:
    """Store rounds and stops, and mark the orders on a round as planned; each round's id by
    volunteer. Uncovered orders stay pending: kept, never dropped. A round not sent yet is
    numbered in walking order; in a round already sent, a stop that stays keeps its number and
    a new stop takes the next number never used in it, so "FAIT 1" after a re-plan still means
    the door the volunteer knows as 1.

    Written from plain rows, not ORM objects (thousands of stops on a large day): rounds and
    stops already in the session are expired afterwards, so whoever reads them sees the plan."""
    rounds = _round_rows(session, site_id, day)
    existing = {
        order_id: (stop_id, round_id, position)
        for stop_id, order_id, round_id, position in session.execute(
            sa.select(Stop.id, Stop.order_id, Stop.round_id, Stop.position)
            .join(Round, Round.id == Stop.round_id)
            .where(Round.site_id == site_id, Round.delivery_date == day)
        )
    }
    was = {order_id: (round_id, position) for order_id, (_, round_id, position) in existing.items()}
    highest: dict[int, int] = {}
    for round_id, position in was.values():
        highest[round_id] = max(highest.get(round_id, 0), position)
    # New rounds in one executemany, then read back with their ids: no flush per round.
    new = [vid for vid, stops in rounds_by_volunteer.items() if stops and vid not in rounds]
    if new:
        session.execute(
            sa.insert(Round.__table__),
            [
                {"site_id": site_id, "delivery_date": day, "volunteer_id": vid, "created_at": now}
                for vid in new
            ],
        )
        rounds = _round_rows(session, site_id, day)
    added, moved = [], []
    for volunteer_id, stops in rounds_by_volunteer.items():
        if not stops and volunteer_id not in rounds:
            continue
        rnd = rounds[volunteer_id]
        numbers = _numbers(rnd, stops, was, highest.get(rnd.id, 0))
        for order_id in stops:
            row = existing.pop(order_id, None)
            if row is None:
                added.append(
                    {"order_id": order_id, "round_id": rnd.id, "position": numbers[order_id]}
                )
            elif (row[1], row[2]) != (rnd.id, numbers[order_id]):
                moved.append({"sid": row[0], "rid": rnd.id, "pos": numbers[order_id]})
    gone = [existing.pop(order_id)[0] for order_id in uncovered_ids if order_id in existing]
    # Moved and removed stops first: an order is on at most one round.
    if moved:
        session.execute(_MOVE_STOP, moved)
    if gone:  # ORM-enabled: a stop the caller holds is marked deleted, as `session.delete` did
        session.execute(sa.delete(Stop).where(Stop.id.in_(gone)))
    if added:
        session.execute(sa.insert(Stop.__table__), added)
    _expire(session, (Round, Stop))
    planned = [order_id for stops in rounds_by_volunteer.values() for order_id in stops]
    if planned:
        session.execute(
            sa.update(Order)
            .where(Order.id.in_(planned), Order.status == OrderStatus.PENDING)
            .values(status=OrderStatus.PLANNED, updated_at=now)
        )
    if uncovered_ids:
        session.execute(
            sa.update(Order)
            .where(Order.id.in_(uncovered_ids), Order.status == OrderStatus.PLANNED)
            .values(status=OrderStatus.PENDING, updated_at=now)
        )
    return {vid: rnd.id for vid, rnd in rounds.items()}


_STOPS = Stop.__table__.c
_MOVE_STOP = (
    sa.update(Stop.__table__)
    .where(_STOPS.id == sa.bindparam("sid"))
    .values(round_id=sa.bindparam("rid"), position=sa.bindparam("pos"))
)


@dataclass(frozen=True)
class _RoundRow:
    id: int
    sent_at: datetime | None
    dropped_at: datetime | None


def _round_rows(session: Session, site_id: int, day: date) -> dict[int, _RoundRow]:
    """A site's rounds of the day by volunteer, as plain rows."""
    rows = session.execute(
        sa.select(Round.volunteer_id, Round.id, Round.sent_at, Round.dropped_at).where(
            Round.site_id == site_id, Round.delivery_date == day
        )
    )
    return {vid: _RoundRow(rid, sent, dropped) for vid, rid, sent, dropped in rows}


def _expire(session: Session, classes: tuple[type, ...]) -> None:
    """Expire the session's objects of these classes: rows were written under them in Core
    (a stop moved, a round's stops changed), and a caller holding a round must see its stops
    as they now are. Cheap: the evening job holds none; a drop-out holds a few."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, classes):
            session.expire(obj)


def day_rounds(session: Session, site_id: int, day: date) -> dict[int, Round]:
    """The rounds of a site's day by volunteer, their stops read afresh, in one statement
    (stops joined rather than selected per round)."""
    rows = session.scalars(
        sa.select(Round)
        .options(joinedload(Round.stops))
        .where(Round.site_id == site_id, Round.delivery_date == day)
        .execution_options(populate_existing=True)
    ).unique()
    return {r.volunteer_id: r for r in rows}


def _numbers(
    rnd: _RoundRow, stops: list[int], was: dict[int, tuple[int, int]], highest: int
) -> dict[int, int]:
    if rnd.sent_at is None or rnd.dropped_at is not None:
        return {order_id: position for position, order_id in enumerate(stops, 1)}
    out = {}
    for order_id in stops:
        before = was.get(order_id)
        if before is not None and before[0] == rnd.id:
            out[order_id] = before[1]
        else:
            highest += 1
            out[order_id] = highest
    return out


@dataclass(frozen=True)
class StopView:
    """Everything a volunteer's message says about one stop."""

    stop_id: int
    position: int
    order_id: int
    tenant: Addressee
    items: dict[str, int]
    outcome: DeliveryOutcome | None


def round_stops(session: Session, rnd: Round) -> list[StopView]:
    out = []
    for stop in sorted(rnd.stops, key=lambda s: s.position):
        order = session.get(Order, stop.order_id)
        assert order is not None
        if order.status is OrderStatus.CANCELLED:
            continue
        tenant = session.get(Person, order.person_id)
        assert tenant is not None
        out.append(
            StopView(
                stop.id, stop.position, order.id, Addressee.of(tenant), order.items, stop.outcome
            )
        )
    return out


def day_stops(session: Session, site_id: int, day: date) -> dict[int, list[StopView]]:
    """`round_stops` for every round of a site's day at once, by volunteer: one statement
    (orders, lines, tenants and their doors joined) instead of a few per stop, read as plain
    rows: thousands of ORM objects cost more than the texts they feed."""
    rows = session.execute(
        sa.select(
            Round.volunteer_id,
            Stop.id,
            Stop.position,
            Stop.outcome,
            Order.id,
            OrderLine.item_key,
            OrderLine.quantity,
            *Addressee.columns,
        )
        .join(Stop, Stop.round_id == Round.id)
        .join(Order, Order.id == Stop.order_id)
        .outerjoin(OrderLine, OrderLine.order_id == Order.id)
        .join(Person, Person.id == Order.person_id)
        .outerjoin(TenantProfile, TenantProfile.person_id == Person.id)
        .where(
            Round.site_id == site_id,
            Round.delivery_date == day,
            Order.status != OrderStatus.CANCELLED,
        )
        .order_by(Round.volunteer_id, Stop.position, Stop.id, OrderLine.item_key)
    )
    out: dict[int, list[StopView]] = {}
    last = None
    for vid, stop_id, position, outcome, order_id, key, n, *tenant in rows:
        if last is None or last.stop_id != stop_id:
            last = StopView(stop_id, position, order_id, Addressee.from_row(tenant), {}, outcome)
            out.setdefault(vid, []).append(last)
        if n:  # as `Order.items`: no line, or a line of none, is nothing to carry
            last.items[key] = n
    return out


def current_round(session: Session, volunteer_id: int, today: date) -> Round | None:
    """The round a volunteer's report is about: today's, else the next one already sent."""
    return session.scalar(
        sa.select(Round)
        .where(
            Round.volunteer_id == volunteer_id,
            Round.delivery_date >= today,
            Round.sent_at.is_not(None),
            Round.dropped_at.is_(None),
        )
        .order_by(Round.delivery_date)
        .limit(1)
    )


def report_stop(session: Session, stop: Stop, outcome: DeliveryOutcome, now: datetime) -> Order:
    """Record what happened at a stop; the tenant's order follows."""
    stop.outcome, stop.reported_at = outcome, now
    order = session.get(Order, stop.order_id)
    assert order is not None
    if order.status is not OrderStatus.CANCELLED:
        order.status = OrderStatus.DELIVERED if outcome.delivered else OrderStatus.FAILED
        order.outcome, order.outcome_at, order.updated_at = outcome, now, now
    session.flush()
    return order


def unreported(session: Session, site_id: int, day: date) -> list[tuple[Round, Stop]]:
    rows = session.execute(
        sa.select(Round, Stop)
        .join(Stop, Stop.round_id == Round.id)
        .join(Order, Order.id == Stop.order_id)
        .where(
            Round.site_id == site_id,
            Round.delivery_date == day,
            Round.dropped_at.is_(None),
            Stop.outcome.is_(None),
            Order.status != OrderStatus.CANCELLED,
        )
        .order_by(Round.volunteer_id, Stop.position)
    ).all()
    return [(r, s) for r, s in rows]
