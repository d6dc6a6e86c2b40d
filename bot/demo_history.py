"""Three weeks of the demo residence's past, so the first `/stats`, the chart, `/rapport` and the
export show a service in use rather than zeros.

The figures follow the real service this was built for: in its first three weeks six volunteers
carried about 130 loaves and 88 water packs. Everything is written through the tables and the
operations the service itself uses (orders placed, the evening's round planning, each stop
reported, visits, the daily totals, a pause, a STOP), so every report reads the same past.

What the history must never touch is the present of the demo people that conversation scenarios
are written against (`entraide converse` loads the demo without this history; `entraide demo`
adds it): existing tenants keep their status and standing orders and get past orders only; the
odd cases (a STOP, a pause now over, landline-only tenants) are new tenants, numbered after the
existing block, with nothing booked from today on. Courtesy visits to the existing isolated
tenants stop a week before today, so who is due a visit from today on is what it was without
the history. Seeded and dated relative to the clock: the same past, ending yesterday, whatever
the day `entraide demo` runs.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.base import Channel, DeliveryOutcome, Role, VisitStatus
from models.clock import Clock, FrozenClock
from models.config import ServiceConfig, SiteConfig
from models.context import Context
from models.daily_totals import settle
from models.day_planning import plan_day
from models.delivery import day_rounds, report_stop
from models.orders import Order, add_pause, cancel_order, order_on, place_order
from models.people import Person, PersonData, TenantProfile, by_phone, upsert
from models.rules import delivers
from models.visits import Visit

DAYS = 21
TARGETS = {"bread": 130, "water": 88}  # delivered over the three weeks, as in the real service
NOT_HOME = 4  # stops where nobody opened (failed orders, on top of the delivered ones)
SEED = 1404


@dataclass(frozen=True)
class NewTenant:
    """A tenant who exists only for the history's odd cases."""

    name: str
    phone: str
    landline: bool = False
    stop_day: int | None = None  # days before today they said STOP
    pause: tuple[int, int] | None = None  # days before today: first and last day paused
    visit: VisitStatus | None = None  # a visit they asked for, and how it went
    visit_day: int = 3


NEW_TENANTS = (
    NewTenant("M. Henri Lecointe", "+33600000141", stop_day=5),
    NewTenant("Mme Lucienne Dufour", "+33600000142", pause=(13, 8)),
    NewTenant("Mme Thérèse Caudron", "+33600000143", visit=VisitStatus.DONE, visit_day=4),
    # Landline only: French fixed-line numbers in +33 3 53 01, the block set aside for fiction.
    NewTenant("Mme Germaine Leprêtre", "+33353010001", landline=True),
    NewTenant("M. Albert Fourcroy", "+33353010002", landline=True),
    NewTenant(
        "Mme Solange Ramet", "+33353010003", landline=True, visit=VisitStatus.NOBODY, visit_day=2
    ),
)


def load_history(
    session: Session, config: ServiceConfig, site_ids: dict[str, int], clock: Clock
) -> dict[str, int]:
    """Write the demo's three past weeks (after `load_demo`); returns what was written."""
    rng = random.Random(SEED)
    site = config.sites[0]
    site_id = site_ids[site.slug]
    today = clock.now().astimezone(site.zone).date()
    first = today - timedelta(days=DAYS - 1)  # "/stats 3 semaines" is these days and today
    opened = _at(site, first - timedelta(days=7), time(10))
    keys = _keys(config)
    _backdate(session, site_id, opened)
    newcomers = _new_tenants(session, site_id, opened, rng)
    days = [first + timedelta(days=k) for k in range(DAYS - 1)]
    days = [d for d in days if delivers(site, d)]
    pool = _tenants(session, site_id)
    quotas = {key: _spread(TARGETS[name], len(days), rng) for name, key in keys.items()}
    failed_on = set(rng.sample(range(len(days)), k=min(NOT_HOME, len(days))))
    planning_clock = FrozenClock(opened)
    ctx = Context(config, planning_clock, site_ids)
    counts: Counter[str] = Counter()
    for k, day in enumerate(days):
        absent = _absent(newcomers, today, day)
        booked = _book_day(
            session,
            site,
            pool,
            absent,
            day,
            {key: q[k] for key, q in quotas.items()},
            rng,
        )
        if k in failed_on:
            extra = [p for p in pool if p.id not in booked and p.id not in absent]
            who = rng.choice(extra)
            place_order(
                session, who, day, {keys["bread"]: 1}, now=_evening(site, day), source="sms"
            )
            booked[who.id] = "not_home"
        planning_clock.set(_evening(site, day))
        plan, _ = plan_day(session, ctx, site, site_id, day)
        rounds = day_rounds(session, site_id, day)
        for stop in plan.uncovered:  # never with the demo's volunteers; a past order stays
            order = session.get(Order, stop.order_id)  # open nowhere: the coordinator cancelled
            assert order is not None
            cancel_order(session, order, _evening(site, day))
        for rnd in rounds.values():
            rnd.sent_at = _evening(site, day)
            for stop in rnd.stops:
                order = session.get(Order, stop.order_id)
                assert order is not None
                outcome = _outcome(pool, order, booked.get(order.person_id))
                moment = _at(site, day, time(8, 30)) + timedelta(minutes=6 * stop.position)
                report_stop(session, stop, outcome, moment)
                counts["not_home" if outcome is DeliveryOutcome.NOT_HOME else "delivered"] += 1
    _pause_and_stop(session, site, newcomers, today, days, keys)
    counts["visits"] = _visits(session, site, site_id, today, days, newcomers, rng)
    settle(session, site_id, today, clock.now())
    session.flush()
    counts["new_tenants"] = len(newcomers)
    return dict(counts)


# --- people -------------------------------------------------------------------------------
def _keys(config: ServiceConfig) -> dict[str, str]:
    keys = list(config.catalogue)
    return {
        "bread": "bread" if "bread" in keys else keys[0],
        "water": "water" if "water" in keys else keys[-1],
    }


def _backdate(session: Session, site_id: int, opened: datetime) -> None:
    """The demo people joined when the service opened, a week before its first delivery."""
    session.execute(
        sa.update(Person)
        .where(Person.site_id == site_id)
        .values(created_at=opened, approved_at=opened)
    )


def _new_tenants(
    session: Session, site_id: int, opened: datetime, rng: random.Random
) -> list[tuple[NewTenant, Person]]:
    taken = {
        (p.building, p.entrance, p.apartment)
        for p in session.scalars(
            sa.select(TenantProfile)
            .join(Person, Person.id == TenantProfile.person_id)
            .where(Person.site_id == site_id)
        )
    }
    free = [
        (b, e, floor, f"{floor}{chr(65 + k)}" if floor else f"0{chr(65 + k)}")
        for b, entrances, floors in (("A", ("1", "2"), 5), ("B", ("1",), 4), ("C", ("1", "2"), 3))
        for e in entrances
        for floor in range(floors + 1)
        for k in range(2)
    ]
    free = [h for h in free if (h[0], h[1], h[3]) not in taken]
    rng.shuffle(free)
    out = []
    for spec, (building, entrance, floor, apartment) in zip(NEW_TENANTS, free, strict=False):
        upsert(
            session,
            PersonData(
                name=spec.name,
                phone=spec.phone,
                site_id=site_id,
                roles={Role.TENANT},
                tenant={
                    "building": building,
                    "entrance": entrance,
                    "floor": floor,
                    "apartment": apartment,
                    "bread_bag": spec.landline,
                    "elderly": spec.landline,
                    "consent_on": opened.date() if spec.landline else None,
                },
            ),
            FrozenClock(opened),
        )
        person = by_phone(session, spec.phone)
        assert person is not None
        if spec.landline:
            person.preferred_channel = Channel.VOICE  # no SMS to a landline
        out.append((spec, person))
    session.flush()
    return out


def _tenants(session: Session, site_id: int) -> list[Person]:
    return list(
        session.scalars(
            sa.select(Person)
            .where(Person.site_id == site_id, Person.is_tenant.is_(True))
            .order_by(Person.id)
        )
    )


def _absent(newcomers: list[tuple[NewTenant, Person]], today: date, day: date) -> set[int]:
    """Who orders nothing that day: after their STOP, or during their pause."""
    out = set()
    for spec, person in newcomers:
        if spec.stop_day is not None and day >= today - timedelta(days=spec.stop_day):
            out.add(person.id)
        if spec.pause and _in_pause(spec, today, day):
            out.add(person.id)
    return out


def _in_pause(spec: NewTenant, today: date, day: date) -> bool:
    assert spec.pause is not None
    start, end = (today - timedelta(days=n) for n in spec.pause)
    return start <= day <= end


# --- a day --------------------------------------------------------------------------------
def _spread(total: int, n: int, rng: random.Random) -> list[int]:
    """`total` over `n` days, as evenly as whole units allow, the odd units on random days."""
    if n == 0:
        return []
    base = [total // n] * n
    for k in rng.sample(range(n), total % n):
        base[k] += 1
    return base


def _book_day(
    session: Session,
    site: SiteConfig,
    pool: list[Person],
    absent: set[int],
    day: date,
    quota: dict[str, int],
    rng: random.Random,
) -> dict[int, str]:
    """Orders for one day, from tenants in a random order, until the day's quota is met."""
    left = dict(quota)
    booked: dict[int, str] = {}
    keys = list(quota)
    order = [p for p in pool if p.id not in absent]
    rng.shuffle(order)
    for person in order:
        if not any(left.values()):
            break
        wanted = {}
        if left[keys[0]] and rng.random() < 0.8:
            wanted[keys[0]] = min(left[keys[0]], rng.choice((1, 1, 2, 2, 3)))
        if len(keys) > 1 and left[keys[1]] and rng.random() < 0.6:
            wanted[keys[1]] = min(left[keys[1]], rng.choice((1, 1, 1, 2)))
        if not wanted:
            continue
        for key, n in wanted.items():
            left[key] -= n
        created = _evening(site, day) - timedelta(hours=rng.randint(2, 40))
        place_order(session, person, day, wanted, now=created, source=_source(person))
        booked[person.id] = "delivered"
    return booked


def _source(person: Person) -> str:
    return "voice" if person.preferred_channel is Channel.VOICE else "sms"


def _pause_and_stop(
    session: Session,
    site: SiteConfig,
    newcomers: list[tuple[NewTenant, Person]],
    today: date,
    days: list[date],
    keys: dict[str, str],
) -> None:
    """The paused tenant had ordered for the first delivery day of her pause, which cancelled
    it; the STOP tenant's last order was delivered before she wrote STOP that evening."""
    for spec, person in newcomers:
        if spec.pause:
            start, end = (today - timedelta(days=n) for n in spec.pause)
            asked = _at(site, start - timedelta(days=4), time(11))
            add_pause(session, person, start, end, asked + timedelta(days=1))
            first = next((d for d in days if start <= d <= end), None)
            if first is not None:
                place_order(session, person, first, {keys["bread"]: 1}, now=asked, source="sms")
                order = order_on(session, person.id, first)
                assert order is not None
                cancel_order(session, order, asked + timedelta(days=1))
        if spec.stop_day is not None:
            stop = today - timedelta(days=spec.stop_day + 1)
            person.opted_out_at = _at(site, stop, time(19, 12))


def _outcome(pool: list[Person], order: Order, booked: str | None) -> DeliveryOutcome:
    if booked == "not_home":
        return DeliveryOutcome.NOT_HOME
    person = next(p for p in pool if p.id == order.person_id)
    bag = person.tenant is not None and person.tenant.bread_bag and len(order.items) == 1
    return DeliveryOutcome.BREAD_BAG if bag else DeliveryOutcome.IN_HAND


# --- visits -------------------------------------------------------------------------------
def _visits(
    session: Session,
    site: SiteConfig,
    site_id: int,
    today: date,
    days: list[date],
    newcomers: list[tuple[NewTenant, Person]],
    rng: random.Random,
) -> int:
    """Weekly visits to the isolated tenants until a week ago (so the visits due from today are
    those due without the history), and the visits two new tenants asked for."""
    volunteers = list(
        session.scalars(
            sa.select(Person).where(Person.site_id == site_id, Person.is_volunteer.is_(True))
        )
    )
    isolated = session.scalars(
        sa.select(Person)
        .join(TenantProfile, TenantProfile.person_id == Person.id)
        .where(Person.site_id == site_id, TenantProfile.isolated.is_(True))
        .order_by(Person.id)
    ).all()
    made = 0
    first = today - timedelta(days=DAYS - 1)
    for n, person in enumerate(isolated):
        for w in range(2):  # the history's first two weeks: the last ends a week before today
            start = first + timedelta(days=7 * w)
            choices = [d for d in days if start <= d < start + timedelta(days=7)]
            day = choices[(n + w) % len(choices)]
            status = VisitStatus.NOBODY if (n, w) == (1, 0) else VisitStatus.DONE
            _visit(session, site, site_id, person, rng.choice(volunteers), day, status, False)
            made += 1
    for spec, person in newcomers:
        if spec.visit is not None:
            day = today - timedelta(days=spec.visit_day)
            _visit(session, site, site_id, person, rng.choice(volunteers), day, spec.visit, True)
            made += 1
    return made


def _visit(
    session: Session,
    site: SiteConfig,
    site_id: int,
    tenant: Person,
    volunteer: Person,
    day: date,
    status: VisitStatus,
    requested: bool,
) -> None:
    start = time(14, 0)
    session.add(
        Visit(
            site_id=site_id,
            tenant_id=tenant.id,
            volunteer_id=volunteer.id,
            visit_date=day,
            window_start=start,
            window_end=time(17, 0),
            status=status,
            requested=requested,
            created_at=_at(site, day - timedelta(days=1), time(18, 30)),
            reported_at=_at(site, day, time(16, 10)),
        )
    )


# --- time ---------------------------------------------------------------------------------
def _at(site: SiteConfig, day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=site.zone)


def _evening(site: SiteConfig, day: date) -> datetime:
    """When the round for `day` went out: the evening before, at the site's send time."""
    return _at(site, day - timedelta(days=1), site.evening_send)


__all__ = ["NEW_TENANTS", "load_history"]
