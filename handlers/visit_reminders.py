"""Courtesy visits planned for a day, and each tenant's reminder the evening before.

"Demain vers 15 h, Gilles passera vous dire bonjour": the tenant can answer NON, and the visit
is planned again. Who goes and when is `models.visit_planning`'s rule.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from handlers.notify import Letter, tell, tell_many
from handlers.texts import t
from handlers.texts.formats import clock_time
from handlers.types import Reply
from models.config import SiteConfig
from models.context import Context
from models.conversation import set_state, set_states
from models.outbox import already_queued, reachable
from models.people import Person
from models.visit_planning import assign_visits, planned_visits
from models.visits import Visit


def plan_visits(
    session: Session,
    ctx: Context,
    site: SiteConfig,
    site_id: int,
    day: date,
    volunteers: list[Person],
) -> int:
    """Plan `day`'s visits and queue each tenant's reminder; how many were planned."""
    already = planned_visits(session, site_id, day)
    if already or not volunteers:
        return already
    planned = assign_visits(session, ctx, site_id, day, volunteers)
    announce_all(
        session,
        ctx,
        site,
        [
            (visit, tenant, f"visit-remind:{visit.id}", _reminder(visit, tenant, volunteer))
            for visit, tenant, volunteer in planned
        ],
    )
    return len(planned)


def _reminder(visit: Visit, tenant: Person, volunteer: Person) -> str:
    """ "Demain vers 15 h, Gilles passera vous dire bonjour. Répondez NON si …"; NON re-plans."""
    lang = tenant.language
    assert visit.window_start is not None
    return t(
        lang,
        "visit.reminder",
        time=clock_time(visit.window_start, lang),
        volunteer=volunteer.name.split()[0],
    )


def announce_all(
    session: Session,
    ctx: Context,
    site: SiteConfig,
    announcements: list[tuple[Visit, Person, str, str]],
) -> int:
    """`announce` for many visits (visit, tenant, key, text) at once: the messages in one
    statement, the open questions in one flush, whatever their number. How many were queued."""
    now = ctx.now()
    taken = already_queued(session, [key for _, _, key, _ in announcements])
    letters, states = [], []
    for visit, tenant, key, text in announcements:
        starts = _starts(site, visit)
        letters.append(Letter(tenant, key, Reply(text, tenant.language), expires_at=starts))
        if reachable(tenant) and key[:200] not in taken:  # what `enqueue` will queue
            taken.add(key[:200])
            ttl = max(starts - now, timedelta(hours=1))
            data = {"visit_id": visit.id, "choices": ["no"]}
            states.append((f"person:{tenant.id}", "visit_confirm", data, ttl, tenant.id))
    queued = tell_many(session, ctx, letters, kind="visit")
    set_states(session, states, now)
    return queued


def _starts(site: SiteConfig, visit: Visit) -> datetime:
    assert visit.visit_date is not None and visit.window_start is not None
    return datetime.combine(visit.visit_date, visit.window_start, tzinfo=site.zone)


def announce(
    session: Session,
    ctx: Context,
    site: SiteConfig,
    visit: Visit,
    tenant: Person,
    key: str,
    text: str,
) -> bool:
    """Tell the tenant who comes and when, and hold the question open until the visit, so that
    NON still reaches this visit (and its volunteer of the moment)."""
    starts = _starts(site, visit)
    queued = tell(
        session,
        ctx,
        tenant,
        key,
        Reply(text, tenant.language),
        kind="visit",
        expires_at=starts,
    )
    if queued:
        set_state(
            session,
            f"person:{tenant.id}",
            "visit_confirm",
            {"visit_id": visit.id, "choices": ["no"]},
            ctx.now(),
            max(starts - ctx.now(), timedelta(hours=1)),
            tenant.id,
        )
    return queued
