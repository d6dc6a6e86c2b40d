"""Courtesy visits: who is due, who goes, when.

Isolated tenants are visited every `rhythm_days` (their own or the site's), and anyone who
asked for a visit is served first. The visit goes, when possible, to the volunteer who usually
delivers to them (a familiar face), else to whoever has fewest visits that day, at most
`max_per_volunteer` each, spread through the configured window. Announcing them is the
conversation's part (`handlers.visit_reminders`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.base import PersonStatus, VisitStatus
from models.context import Context
from models.delivery import usual_volunteers
from models.people import Person, TenantProfile
from models.visits import Visit

VISIT_SLOT = timedelta(minutes=45)
OPEN = (VisitStatus.PLANNED,)


def _due(
    session: Session, ctx: Context, site_id: int, day: date
) -> list[tuple[Person, Visit | None]]:
    """Tenants who should be visited on `day`: requests first, then isolated tenants whose
    last visit (made, or attempted) is at least their rhythm ago."""
    requested = session.execute(
        sa.select(Visit, Person)
        .join(Person, Person.id == Visit.tenant_id)
        .where(Visit.site_id == site_id, Visit.status == VisitStatus.REQUESTED)
        .order_by(Visit.created_at)
    ).all()
    out: list[tuple[Person, Visit | None]] = [(p, v) for v, p in requested if _reachable(p)]
    seen = {p.id for p, _ in out}
    isolated = session.scalars(
        sa.select(Person)
        .join(TenantProfile, TenantProfile.person_id == Person.id)
        .where(Person.site_id == site_id, TenantProfile.isolated.is_(True))
        .order_by(Person.id)
    ).all()
    for person in isolated:
        if person.id in seen or not _reachable(person):
            continue
        rhythm = (
            person.tenant.visit_rhythm_days if person.tenant else None
        ) or ctx.config.visits.rhythm_days
        last = session.scalar(
            sa.select(sa.func.max(Visit.visit_date)).where(
                Visit.tenant_id == person.id,
                Visit.status.in_((VisitStatus.PLANNED, VisitStatus.DONE, VisitStatus.NOBODY)),
            )
        )
        if last is None or (day - last).days >= rhythm:
            out.append((person, None))
    return out


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
    planned: list[tuple[Visit, Person, Person]] = []
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
        visit = request or Visit(
            site_id=site_id, tenant_id=tenant.id, created_at=ctx.now(), requested=False
        )
        visit.volunteer_id, visit.visit_date = choice, day
        visit.window_start, visit.window_end = start, conf.window_end
        visit.status = VisitStatus.PLANNED
        session.add(visit)
        session.flush()
        planned.append((visit, tenant, names[choice]))
    return planned


def visits_for(session: Session, volunteer_id: int, day: date) -> list[tuple[Visit, Person]]:
    rows = session.execute(
        sa.select(Visit, Person)
        .join(Person, Person.id == Visit.tenant_id)
        .where(Visit.volunteer_id == volunteer_id, Visit.visit_date == day, Visit.status.in_(OPEN))
        .order_by(Visit.window_start, Visit.id)
    ).all()
    return [(v, p) for v, p in rows]
