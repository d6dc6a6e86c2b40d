"""Visits that change after they were announced: a pause that arrives later, a volunteer who
drops out.

The tenant was told "Demain vers 15 h, Gilles passera vous dire bonjour"; once that stops being
true, everyone concerned hears it: a visit inside a pause is cancelled and its volunteer told (a
"nobody home" there would raise a false alarm about an isolated person); a visit whose volunteer
drops out goes to another one and the tenant learns the new name, or hears that we will come
another time when nobody can go. Who goes and when is `models.visit_planning`'s rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from handlers.notify import tell
from handlers.replies import say
from handlers.texts import t
from handlers.texts.formats import clock_time, of_name
from handlers.texts.formats import day as say_day
from handlers.types import Reply
from handlers.visit_reminders import announce
from models.context import Context
from models.conversation import clear_state, get_state
from models.people import Person
from models.visit_planning import hand_over, planned_between, withdraw
from models.visits import Visit


@dataclass(frozen=True)
class HandedOver:
    """One visit of a volunteer who dropped out: who has it now (None: nobody could go)."""

    visit: Visit
    tenant: Person
    volunteer: Person | None


def first_name(person: Person | None, lang: str) -> str:
    return person.name.split()[0] if person is not None else t(lang, "visit.a_volunteer")


def after_pause(
    session: Session, ctx: Context, tenant: Person, start: date, end: date
) -> str | None:
    """Cancel the tenant's visits planned inside a pause just recorded and tell their
    volunteers; the sentence for the tenant, or None when no visit was planned then."""
    visits = planned_between(session, tenant.id, start, end)
    if not visits:
        return None
    for visit in visits:
        volunteer = session.get(Person, visit.volunteer_id) if visit.volunteer_id else None
        withdraw(session, visit, ctx.now())
        if volunteer is None or visit.visit_date is None:
            continue
        lang = volunteer.language
        tell(
            session,
            ctx,
            volunteer,
            f"visit-away:{visit.id}",
            say(
                lang, "volunteer.visit_away", name=tenant.name, day=say_day(visit.visit_date, lang)
            ),
            kind="visit",
            expires_at=_end_of(ctx, tenant, visit.visit_date),
        )
    _drop_question(session, ctx, tenant, visits)
    lang = tenant.language
    day = visits[0].visit_date
    assert day is not None
    return t(lang, "visit.cancelled_away", day=say_day(day, lang))


def hand_over_visits(
    session: Session, ctx: Context, volunteer: Person, day: date, others: list[Person]
) -> list[HandedOver]:
    """`volunteer` cannot come on `day`: their visits go to `others`; each tenant learns who
    comes now (the same visit, so NON still works), or that we will come another time."""
    assert volunteer.site_id is not None
    site = ctx.site(volunteer.site_id)
    out = []
    for visit, tenant, new in hand_over(session, ctx, volunteer.site_id, day, volunteer.id, others):
        lang = tenant.language
        old = first_name(volunteer, lang)
        if new is None:
            text = t(
                lang,
                "visit.cancelled_nobody",
                volunteer=old,
                of_volunteer=of_name(old, lang),
                day=say_day(day, lang),
            )
            tell(
                session,
                ctx,
                tenant,
                f"visit-nobody-left:{visit.id}",
                Reply(text, lang),
                kind="visit",
                expires_at=_end_of(ctx, tenant, day),
            )
            _drop_question(session, ctx, tenant, [visit])
        else:
            assert visit.window_start is not None
            text = t(
                lang,
                "visit.new_volunteer",
                day=say_day(day, lang),
                time=clock_time(visit.window_start, lang),
                volunteer=first_name(new, lang),
                old=old,
            )
            announce(session, ctx, site, visit, tenant, f"visit-handover:{visit.id}:{new.id}", text)
        out.append(HandedOver(visit, tenant, new))
    return out


def _drop_question(session: Session, ctx: Context, tenant: Person, visits: list[Visit]) -> None:
    """The tenant's open "Répondez NON…" about a visit that is off is no question any more."""
    key = f"person:{tenant.id}"
    state = get_state(session, key, ctx.now())
    ids = {v.id for v in visits}
    if state is not None and state.kind == "visit_confirm" and state.data.get("visit_id") in ids:
        clear_state(session, key)


def _end_of(ctx: Context, tenant: Person, day: date) -> datetime:
    """A message about a visit on `day` is pointless after that day."""
    zone = ctx.site(tenant.site_id).zone
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
