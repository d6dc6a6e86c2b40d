"""Courtesy visits: who is due, who goes, when.

Isolated tenants are visited every `rhythm_days` (their own or the site's), and anyone who
asked for a visit is served first. The visit goes, when possible, to the volunteer who usually
delivers to them (a familiar face), else to whoever has fewest visits that day, at most
`max_per_volunteer` each, spread through the configured window. Announcing them is the
conversation's part (`handlers.visit_reminders`, `handlers.visit_changes`).

Never inside a tenant's pause: "nobody home" on a visit to someone who said she was away would
raise a false alarm about an isolated person. A visit taken off its day (a pause arriving after
it was planned, a closure, nobody left to go) is cancelled; one the tenant asked for goes back to
waiting for a day, and an isolated tenant's rhythm counts only visits that happened or are
planned, so both come back on the first day after.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager

from models.base import PersonStatus, VisitStatus
from models.context import Context
from models.delivery import usual_volunteers
from models.orders import Pause
from models.people import Person, TenantProfile
from models.visits import Visit

VISIT_SLOT = timedelta(minutes=45)
OPEN = (VisitStatus.PLANNED,)


def _due(
    session: Session, ctx: Context, site_id: int, day: date
) -> list[tuple[Person, Visit | None]]:
    """Tenants who should be visited on `day`: requests first, then isolated tenants whose
    last visit (made, or attempted) is at least their rhythm ago; nobody away that day."""
    away = set(session.scalars(paused_on(day)))
    requested = session.execute(
        sa.select(Visit, Person)
        .join(Person, Person.id == Visit.tenant_id)
        .where(Visit.site_id == site_id, Visit.status == VisitStatus.REQUESTED)
        .order_by(Visit.created_at, Visit.id)
    ).all()
    out: list[tuple[Person, Visit | None]] = []
    seen = set(away)
    for visit, person in requested:
        if person.id not in seen and _reachable(person):
            out.append((person, visit))
            seen.add(person.id)
    # Each isolated tenant with their profile and their last visit, in one statement.
    last_visit = (
        sa.select(Visit.tenant_id, sa.func.max(Visit.visit_date).label("last"))
        .where(Visit.status.in_((VisitStatus.PLANNED, VisitStatus.DONE, VisitStatus.NOBODY)))
        .group_by(Visit.tenant_id)
        .subquery()
    )
    isolated = session.execute(
        sa.select(Person, last_visit.c.last)
        .join(Person.tenant)
        .outerjoin(last_visit, last_visit.c.tenant_id == Person.id)
        .options(contains_eager(Person.tenant))
        .where(Person.site_id == site_id, TenantProfile.isolated.is_(True))
        .order_by(Person.id)
    ).all()
    for person, last in isolated:
        if person.id in seen or not _reachable(person):
            continue
        rhythm = (
            person.tenant.visit_rhythm_days if person.tenant else None
        ) or ctx.config.visits.rhythm_days
        if last is None or (day - last).days >= rhythm:
            out.append((person, None))
    return out


def paused_on(day: date) -> sa.Select[tuple[int]]:
    """The tenants away on `day` (a pause covers it)."""
    return sa.select(Pause.person_id).where(Pause.start_on <= day, Pause.end_on >= day)


def _reachable(person: Person) -> bool:
    return (
        person.status is PersonStatus.ACTIVE
        and person.opted_out_at is None
        and person.erased_at is None
    )


def planned_visits(session: Session, site_id: int, day: date) -> int:
    """How many visits are planned at the site on `day`."""
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Visit)
            .where(Visit.site_id == site_id, Visit.visit_date == day, Visit.status.in_(OPEN))
        )
        or 0
    )


def assign_visits(
    session: Session, ctx: Context, site_id: int, day: date, volunteers: list[Person]
) -> list[tuple[Visit, Person, Person]]:
    """Give `day`'s due visits to `volunteers` and store them: (visit, tenant, volunteer) each,
    in the order they were planned. The caller tells the tenants (`handlers.visit_reminders`)."""
    conf = ctx.config.visits
    due = _due(session, ctx, site_id, day)
    usual = usual_volunteers(session, [p.id for p, _ in due], day)
    load = {v.id: 0 for v in volunteers}
    names = {v.id: v for v in volunteers}
    chosen: list[tuple[Person, Visit | None, int, time]] = []
    for tenant, request in due:
        choice = usual.get(tenant.id)
        if choice not in load or load[choice] >= conf.max_per_volunteer:
            candidates = [
                v
                for v, n in sorted(load.items(), key=lambda kv: (kv[1], kv[0]))
                if n < conf.max_per_volunteer
            ]
            if not candidates:
                break
            choice = candidates[0]
        start = (datetime.combine(day, conf.window_start) + VISIT_SLOT * load[choice]).time()
        if start >= conf.window_end:
            continue
        load[choice] += 1
        chosen.append((tenant, request, choice, start))
    now = ctx.now()
    fresh = [
        {
            "site_id": site_id,
            "tenant_id": tenant.id,
            "volunteer_id": choice,
            "visit_date": day,
            "window_start": start,
            "window_end": conf.window_end,
            "status": VisitStatus.PLANNED,
            "requested": False,
            "created_at": now,
        }
        for tenant, request, choice, start in chosen
        if request is None
    ]
    for _, request, choice, start in chosen:
        if request is not None:
            request.volunteer_id, request.visit_date = choice, day
            request.window_start, request.window_end = start, conf.window_end
            request.status = VisitStatus.PLANNED
    session.flush()  # the requests given a day, together
    made: dict[int, Visit] = {}
    if fresh:  # the new visits in one executemany, read back with their ids
        session.execute(sa.insert(Visit.__table__), fresh)
        made = {
            v.tenant_id: v
            for v in session.scalars(
                sa.select(Visit).where(
                    Visit.site_id == site_id,
                    Visit.visit_date == day,
                    Visit.status == VisitStatus.PLANNED,
                    Visit.requested.is_(False),
                    Visit.created_at == now,
                )
            )
        }
    return [
        (request or made[tenant.id], tenant, names[choice]) for tenant, request, choice, _ in chosen
    ]


def _open_with_tenants(session: Session, day: date, *where: Any) -> list[tuple[Visit, Person]]:
    """The open visits of `day` matching `where`, with their tenants, in time order."""
    rows = session.execute(
        sa.select(Visit, Person)
        .join(Person, Person.id == Visit.tenant_id)
        .outerjoin(Person.tenant)
        .options(contains_eager(Person.tenant))  # the visit's line reads the door notes
        .where(Visit.visit_date == day, Visit.status.in_(OPEN), *where)
        .order_by(Visit.window_start, Visit.id)
    ).all()
    return [(v, p) for v, p in rows]


def visits_for(session: Session, volunteer_id: int, day: date) -> list[tuple[Visit, Person]]:
    return _open_with_tenants(session, day, Visit.volunteer_id == volunteer_id)


def open_visits_by_volunteer(
    session: Session, day: date, volunteer_ids: Iterable[int]
) -> dict[int, list[tuple[Visit, Person]]]:
    """`visits_for` these volunteers at once (one site's): the day's open visits by volunteer,
    one statement."""
    out: dict[int, list[tuple[Visit, Person]]] = {}
    for visit, tenant in _open_with_tenants(
        session, day, Visit.volunteer_id.in_(list(volunteer_ids))
    ):
        assert visit.volunteer_id is not None
        out.setdefault(visit.volunteer_id, []).append((visit, tenant))
    return out


def planned_between(session: Session, tenant_id: int, start: date, end: date) -> list[Visit]:
    """A tenant's visits planned from `start` to `end` inclusive (a pause just arrived)."""
    return list(
        session.scalars(
            sa.select(Visit)
            .where(
                Visit.tenant_id == tenant_id,
                Visit.status.in_(OPEN),
                Visit.visit_date >= start,
                Visit.visit_date <= end,
            )
            .order_by(Visit.visit_date, Visit.id)
        )
    )


def planned_on(session: Session, site_id: int, day: date) -> list[tuple[Visit, Person]]:
    """Every visit planned at the site on `day`, with its tenant, in time order."""
    return _open_with_tenants(session, day, Visit.site_id == site_id)


def withdraw(
    session: Session,
    visit: Visit,
    now: datetime,
    status: VisitStatus = VisitStatus.CANCELLED,
    keep_place: bool = True,
) -> None:
    """Take a planned visit off its day (cancelled, or declined by the tenant). A visit the
    tenant asked for waits for a new day, in its place in the queue (`keep_place`) or at its
    end; an isolated tenant is due again by the rhythm rule."""
    visit.status = status
    if visit.requested:
        session.add(
            Visit(
                site_id=visit.site_id,
                tenant_id=visit.tenant_id,
                status=VisitStatus.REQUESTED,
                requested=True,
                created_at=(visit.created_at or now) if keep_place else now,
            )
        )
    session.flush()


def hand_over(
    session: Session, ctx: Context, site_id: int, day: date, from_id: int, volunteers: list[Person]
) -> list[tuple[Visit, Person, Person | None]]:
    """A volunteer who drops out on `day`: their visits go to the others (the tenant's usual
    volunteer first, else the least busy), at the time the tenant was told when that
    volunteer is free then, else at their next free slot. A visit nobody can take is withdrawn.
    (visit, tenant, new volunteer or None) each; the caller tells the people."""
    conf = ctx.config.visits
    mine = visits_for(session, from_id, day)
    others = {v.id: v for v in volunteers if v.id != from_id}
    busy: dict[int, list[time]] = {vid: [] for vid in others}
    for visit, _ in planned_on(session, site_id, day):
        if visit.volunteer_id in busy and visit.window_start is not None:
            busy[visit.volunteer_id].append(visit.window_start)
    usual = usual_volunteers(session, [t.id for _, t in mine], day)
    out: list[tuple[Visit, Person, Person | None]] = []
    for visit, tenant in mine:
        ranked = sorted(busy, key=lambda vid: (vid != usual.get(tenant.id), len(busy[vid]), vid))
        for vid in ranked:
            if len(busy[vid]) >= conf.max_per_volunteer:
                continue
            slot = _free_slot(
                busy[vid], visit.window_start, day, conf.window_start, conf.window_end
            )
            if slot is None:
                continue
            busy[vid].append(slot)
            visit.volunteer_id, visit.window_start = vid, slot
            out.append((visit, tenant, others[vid]))
            break
        else:
            withdraw(session, visit, ctx.now())
            out.append((visit, tenant, None))
    session.flush()
    return out


def _free_slot(
    taken: list[time], wanted: time | None, day: date, first: time, end: time
) -> time | None:
    """`wanted` if no other visit of that volunteer is within a slot of it, else the first
    free slot of the window; None when the window is full."""

    def free(at: time) -> bool:
        moment = datetime.combine(day, at)
        return all(abs(moment - datetime.combine(day, t)) >= VISIT_SLOT for t in taken)

    if wanted is not None and free(wanted):
        return wanted
    at = datetime.combine(day, first)
    while at.time() < end:
        if free(at.time()):
            return at.time()
        at += VISIT_SLOT
    return None
