"""A volunteer who cannot come: "je ne peux pas demain", "absent du 3 au 10 décembre".

Their stops are re-planned over the others (who keep their own stops and their numbers), their
courtesy visits handed over too; every volunteer whose round changed gets it again, starting with
what changed by number and name; tenants told "Gilles passera" learn the new name; coordinators
get one summary that counts stops and visits. Tenants keep their usual volunteer afterwards (a
stand-in never becomes the usual one: `models.delivery.usual_volunteers`).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers.notify import per_reader_day, tell, tell_coordinators
from handlers.replies import say
from handlers.round_texts import RoundChange, round_reply
from handlers.texts import t
from handlers.texts.formats import day as say_day
from handlers.texts.formats import listing
from handlers.types import Reply
from handlers.visit_changes import HandedOver, hand_over_visits
from models.alerts import AlertKind
from models.base import OrderStatus
from models.context import Context
from models.day_planning import plan_day
from models.delivery import available_volunteers, round_stops
from models.orders import Order
from models.people import Person, VolunteerAbsence
from models.rounds import Round, Stop
from models.visit_planning import OPEN, visits_for
from models.visits import Visit

log = logging.getLogger("entraide.volunteer")

Placement = dict[int, tuple[int, int, int]]  # order id -> (volunteer id, number, tenant id)


def next_round_day(session: Session, person: Person, today: date) -> date:
    day = session.scalar(
        sa.select(sa.func.min(Round.delivery_date)).where(
            Round.volunteer_id == person.id,
            Round.delivery_date >= today,
            Round.dropped_at.is_(None),
        )
    )
    return day or today + timedelta(days=1)


def drop_day(session: Session, ctx: Context, person: Person, day: date) -> Reply:
    """A volunteer cannot come on `day`: their stops and visits go to the others, who are told;
    the coordinators are told; tenants keep their usual volunteer afterwards."""
    lang = person.language
    site = ctx.site(person.site_id)
    today = ctx.today(site)
    if day < today:
        return say(lang, "volunteer.past_day", day=say_day(day, lang))
    session.add(
        VolunteerAbsence(person_id=person.id, start_on=day, end_on=day, created_at=ctx.now())
    )
    session.flush()
    moved, handed = hand_over_day(session, ctx, person, day)
    if not moved and not handed:
        return say(lang, "volunteer.away_noted", day=say_day(day, lang))
    parts = []
    if moved:
        parts.append(t(lang, "volunteer.dropped_stops", n=moved))
    if handed:
        parts.append(t(lang, "volunteer.dropped_visits", n=len(handed)))
    return say(lang, "volunteer.dropped", day=say_day(day, lang), what=listing(parts, lang))


def hand_over_day(
    session: Session, ctx: Context, person: Person, day: date
) -> tuple[int | None, list[HandedOver]]:
    """Give `person`'s round and visits of `day` (already sent) to the volunteers available
    then; how many stops moved (None: there was no round) and what became of each visit."""
    assert person.site_id is not None
    site_id = person.site_id
    site = ctx.site(site_id)
    rnd = session.scalar(
        sa.select(Round).where(
            Round.volunteer_id == person.id,
            Round.delivery_date == day,
            Round.dropped_at.is_(None),
        )
    )
    has_visits = bool(visits_for(session, person.id, day))
    if (rnd is None or not rnd.stops) and not has_visits:
        return None, []
    before = _placement(session, site_id, day)
    mine = {o for o, (vid, _, _) in before.items() if vid == person.id}
    if mine:
        assert rnd is not None
        rnd.dropped_at = ctx.now()
        session.flush()
        keep = {o: vid for o, (vid, _, _) in before.items() if o not in mine}
        plan_day(session, ctx, site, site_id, day, keep)
    others = available_volunteers(session, site_id, day)
    handed = hand_over_visits(session, ctx, person, day, others)
    after = _placement(session, site_id, day)
    takers = _tell_changed_rounds(session, ctx, person, day, before, after, handed)
    taken = sum(o in after for o in mine)
    visit_takers = sorted({h.volunteer.name.split()[0] for h in handed if h.volunteer})
    lost = sum(h.volunteer is None for h in handed)

    def summary(lang: str) -> str:
        parts = []
        if taken:
            parts.append(t(lang, "coordinator.dropped_stops", n=taken, others=_names(takers, lang)))
        if len(mine) > taken:
            parts.append(t(lang, "coordinator.dropped_uncovered", n=len(mine) - taken))
        if len(handed) > lost:
            parts.append(
                t(
                    lang,
                    "coordinator.dropped_visits",
                    n=len(handed) - lost,
                    others=_names(visit_takers, lang),
                )
            )
        if lost:
            parts.append(t(lang, "coordinator.dropped_visits_lost", n=lost))
        return " ; ".join(parts) if lang == "fr" else "; ".join(parts)

    tell_coordinators(
        session,
        ctx,
        site_id,
        f"dropped:{person.id}:{day}",
        "coordinator.volunteer_dropped",
        alert=AlertKind.DROPPED if len(mine) > taken or lost else None,
        about=person,
        name=person.name,
        day=lambda lang: say_day(day, lang),
        what=summary,
    )
    log.info(
        "volunteer #%d dropped %s: %d stop(s) re-planned, %d uncovered, %d visit(s) handed over",
        person.id,
        day,
        len(mine),
        len(mine) - taken,
        len(handed),
    )
    return (len(mine) if mine else None), handed


def _names(names: list[str], lang: str) -> str:
    return listing(names, lang) or t(lang, "coordinator.dropped_nobody")


def _placement(session: Session, site_id: int, day: date) -> Placement:
    """Who has which stop of `day` still to deliver, under which number, in the rounds still
    on (a stop already delivered stays where it was reported)."""
    rows = session.execute(
        sa.select(Stop.order_id, Round.volunteer_id, Stop.position, Order.person_id)
        .join(Round, Round.id == Stop.round_id)
        .join(Order, Order.id == Stop.order_id)
        .where(
            Round.site_id == site_id,
            Round.delivery_date == day,
            Round.dropped_at.is_(None),
            Order.status.in_((OrderStatus.PENDING, OrderStatus.PLANNED)),  # still to deliver
        )
    ).all()
    return {order_id: (vid, n, tenant) for order_id, vid, n, tenant in rows}


def _tell_changed_rounds(
    session: Session,
    ctx: Context,
    person: Person,
    day: date,
    before: Placement,
    after: Placement,
    handed: list[HandedOver],
) -> list[str]:
    """Send each volunteer whose round changed the whole round again, what changed first; the
    first names of those who took stops."""
    changes: dict[int, RoundChange] = {}

    def name(tenant_id: int) -> str:
        tenant = session.get(Person, tenant_id)
        return tenant.name if tenant is not None else "?"

    for order_id, (vid, n, tenant_id) in sorted(after.items(), key=lambda kv: kv[1][1]):
        if vid != person.id and before.get(order_id, (None,))[0] != vid:
            changes.setdefault(vid, RoundChange()).added.append((n, name(tenant_id)))
    for order_id, (vid, n, tenant_id) in sorted(before.items(), key=lambda kv: kv[1][1]):
        if vid != person.id and after.get(order_id, (None,))[0] != vid:
            changes.setdefault(vid, RoundChange()).removed.append((n, name(tenant_id)))
    for h in handed:
        if h.volunteer is not None and h.visit.window_start is not None:
            change = changes.setdefault(h.volunteer.id, RoundChange())
            change.visits.append((h.tenant.name, h.visit.window_start))
    site = ctx.site(person.site_id)
    takers = []
    for vid, change in sorted(changes.items()):
        other = session.get(Person, vid)
        if other is None:
            continue
        if change.added:
            takers.append(other.name.split()[0])
        rnd = session.scalar(
            sa.select(Round).where(
                Round.volunteer_id == vid, Round.delivery_date == day, Round.dropped_at.is_(None)
            )
        )
        stops = round_stops(session, rnd) if rnd is not None else []
        reply = round_reply(ctx, other, day, stops, visits_for(session, vid, day), change=change)
        tell(
            session,
            ctx,
            other,
            f"round:{site.slug}:{day}:{vid}:after-drop:{person.id}",
            reply,
            kind="round",
        )
        if rnd is not None and rnd.sent_at is None:
            rnd.sent_at = ctx.now()  # what "FAIT 2" and "ma tournée" look for
    return takers


def absence(session: Session, ctx: Context, person: Person, start: date, end: date) -> Reply:
    """Away for a range of days: the evening jobs leave them out; a round or visits already sent
    for one of those days are handed over now, as for "je ne peux pas demain"."""
    lang = person.language
    if end < start:
        return say(
            lang, "pause.end_before_start", start=say_day(start, lang), end=say_day(end, lang)
        )
    session.add(
        VolunteerAbsence(person_id=person.id, start_on=start, end_on=end, created_at=ctx.now())
    )
    session.flush()
    for day in _sent_days(session, person, start, end):
        hand_over_day(session, ctx, person, day)
    tell_coordinators(
        session,
        ctx,
        person.site_id,
        f"away:{person.id}:{start}:{end}",
        "coordinator.volunteer_away",
        name=person.name,
        start=per_reader_day(start),
        end=per_reader_day(end),
    )
    return say(lang, "volunteer.absence_noted", start=say_day(start, lang), end=say_day(end, lang))


def _sent_days(session: Session, person: Person, start: date, end: date) -> list[date]:
    rounds = session.scalars(
        sa.select(Round.delivery_date).where(
            Round.volunteer_id == person.id,
            Round.delivery_date >= start,
            Round.delivery_date <= end,
            Round.dropped_at.is_(None),
        )
    ).all()
    visits = session.scalars(
        sa.select(Visit.visit_date).where(
            Visit.volunteer_id == person.id,
            Visit.status.in_(OPEN),
            Visit.visit_date >= start,
            Visit.visit_date <= end,
        )
    ).all()
    return sorted({d for d in [*rounds, *visits] if d is not None})
