"""Courtesy visits planned for a day, and each tenant's reminder the evening before.

"Demain vers 15 h, Gilles passera vous dire bonjour": the tenant can answer NON, and the visit
is planned again. Who goes and when is `models.visit_planning`'s rule.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from handlers.notify import tell
from handlers.texts import t
from handlers.texts.formats import clock_time
from handlers.types import Reply
from models.config import SiteConfig
from models.context import Context
from models.conversation import set_state
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
    for visit, tenant, volunteer in planned:
        _remind(session, ctx, site, visit, tenant, volunteer)
    return len(planned)


def _remind(
    session: Session,
    ctx: Context,
    site: SiteConfig,
    visit: Visit,
    tenant: Person,
    volunteer: Person,
) -> None:
    """ "Demain vers 15 h, Gilles passera vous dire bonjour. Répondez NON si …"; NON re-plans."""
    lang = tenant.language
    assert visit.window_start is not None
    text = t(
        lang,
        "visit.reminder",
        time=clock_time(visit.window_start, lang),
        volunteer=volunteer.name.split()[0],
    )
    announce(session, ctx, site, visit, tenant, f"visit-remind:{visit.id}", text)


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
    assert visit.visit_date is not None and visit.window_start is not None
    starts = datetime.combine(visit.visit_date, visit.window_start, tzinfo=site.zone)
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
