"""Each volunteer's share of a period: stops reported and courtesy visits made.

For thanking volunteers by name (coordinators only: it says who did what). Grouped queries,
one row per volunteer, whatever the number of orders (settled days from `daily_volunteer_stops`,
the last week from the rounds): a stop counts when its
volunteer reported it (delivered or not: going to a door nobody opened is work too), a visit
when it was made (done, or nobody at home).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.base import VisitStatus
from models.daily_totals import DailyVolunteerStops, split
from models.people import Person
from models.rounds import Round, Stop
from models.visits import Visit

VISITED = (VisitStatus.DONE, VisitStatus.NOBODY)


@dataclass(frozen=True)
class VolunteerShare:
    person_id: int
    name: str
    stops: int
    visits: int


def volunteer_shares(
    session: Session, site_ids: Sequence[int], start: date, end: date
) -> list[VolunteerShare]:
    """Volunteers with at least one stop or visit in [start, end], most work first."""
    if not site_ids:
        return []
    part = split(session, site_ids, start, end)
    stops: dict[int, int] = {}
    queries = []
    if part.settled:
        queries.append(
            sa.select(DailyVolunteerStops.volunteer_id, sa.func.sum(DailyVolunteerStops.stops))
            .where(part.settled_days(DailyVolunteerStops.site_id, DailyVolunteerStops.day))
            .group_by(DailyVolunteerStops.volunteer_id)
        )
    if part.live:
        queries.append(
            sa.select(Round.volunteer_id, sa.func.count(Stop.id))
            .join(Stop, Stop.round_id == Round.id)
            .where(
                part.live_days(Round.site_id, Round.delivery_date),
                Stop.outcome.is_not(None),
            )
            .group_by(Round.volunteer_id)
        )
    for query in queries:
        for pid, n in session.execute(query).all():
            stops[pid] = stops.get(pid, 0) + int(n or 0)
    visits = dict(
        session.execute(
            sa.select(Visit.volunteer_id, sa.func.count(Visit.id))
            .where(
                Visit.site_id.in_(list(site_ids)),
                Visit.visit_date >= start,
                Visit.visit_date <= end,
                Visit.status.in_(VISITED),
                Visit.volunteer_id.is_not(None),
            )
            .group_by(Visit.volunteer_id)
        ).all()
    )
    ids = set(stops) | set(visits)
    if not ids:
        return []
    names = dict(
        session.execute(
            sa.select(Person.id, Person.name).where(Person.id.in_(ids), Person.erased_at.is_(None))
        ).all()
    )
    shares = [
        VolunteerShare(pid, names[pid], int(stops.get(pid, 0)), int(visits.get(pid, 0)))
        for pid in ids
        if pid in names
    ]
    return sorted(shares, key=lambda s: (-(s.stops + s.visits), s.name))
