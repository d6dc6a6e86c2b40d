"""Volunteers' replies about their round and visits.

"fait" / "livré" / "done" (every stop still open), "fait 3" or a Telegram button (one stop),
"pas là 3" (nobody opened: the coordinator follows up today), "sac 3", "refus 3",
"adresse 3"; "je ne peux pas demain" / "can't make it" and "absent du 3 au 10 décembre"
(`handlers.dropouts`); "visite faite 3 tout va bien" or "personne" for today's courtesy visit;
"ma tournée", "ma tournée de demain", "ma tournée de lundi".
"""

from __future__ import annotations

import logging
import re
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers.dropouts import absence, drop_day, next_round_day
from handlers.nlu import parse, read_date
from handlers.notify import per_reader, per_reader_day, tell_coordinators
from handlers.replies import fold, say
from handlers.texts import t
from handlers.texts.formats import address as say_address
from handlers.texts.formats import day as say_day
from handlers.texts.formats import listing
from handlers.types import Inbound, Reply
from models.alerts import AlertKind
from models.base import DeliveryOutcome, VisitStatus
from models.context import Context
from models.delivery import current_round, report_stop, round_stops
from models.people import Person
from models.rounds import Round, Stop
from models.visits import Visit

log = logging.getLogger("entraide.volunteer")

ALL_DONE = re.compile(
    r"^(?:c est )?(?:fait|fini|termine|livre|livres|livree|livrees|tout livre|"
    r"done|all done|delivered|finished)$"
)
ONE = re.compile(
    r"^(fait|livre|livree|ok|done|delivered|sac|bag|pas la|absent|personne|not home|"
    r"no answer|nobody|refus|refuse|refused|adresse|mauvaise adresse|wrong address)"
    r"\s*(?:n|no|num|numero|arret|stop)?\s*(\d{1,3})$"
)
_WORDS = {
    DeliveryOutcome.IN_HAND: ("fait", "livre", "livree", "ok", "done", "delivered"),
    DeliveryOutcome.BREAD_BAG: ("sac", "bag"),
    DeliveryOutcome.NOT_HOME: ("pas la", "absent", "personne", "not home", "no answer", "nobody"),
    DeliveryOutcome.REFUSED: ("refus", "refuse", "refused"),
    DeliveryOutcome.WRONG_ADDRESS: ("adresse", "mauvaise adresse", "wrong address"),
}
OUTCOMES = {word: outcome for outcome, words in _WORDS.items() for word in words}
CANNOT = re.compile(
    r"\b(?:je ne (?:peux|pourrai|pourrais) pas|je peux pas|j peux pas|pourrai pas|empeche|"
    r"can t make it|cannot make it|can t come|cannot come|can t do|won t be able|unable to come)\b"
    r"|^absent$|^absente$|^away$"
)
SHOW_ROUND = re.compile(
    r"^(?:(?:voir |montre |montrez |show |show me )?(?:ma |mon |la |my |the )?"
    r"(?:tournee|round|parcours)(?:\s+(?P<when>.+?))?"
    r"|(?P<before>.+?) s round)(?: svp| stp| please)?$"
)
VISIT_DONE = re.compile(r"^visite?\s*(?:faite|fait|ok|done|made)\s*([0-4])?\s*(.*)$")
VISIT_NOBODY = re.compile(r"^(?:visite?\s*)?(?:personne|nobody|no one|pas de reponse)$")


def handle(session: Session, ctx: Context, person: Person, msg: Inbound) -> list[Reply] | None:
    """A volunteer's report, or None when the message is not one."""
    if not person.is_volunteer:
        return None
    today = ctx.today(ctx.site(person.site_id))
    if msg.choice and msg.choice.startswith("stop:"):
        return [_button(session, ctx, person, msg.choice)]
    text = fold(msg.text)
    if not text:
        return None
    m = SHOW_ROUND.match(text)
    if m:
        when = m.group("when") or m.group("before")
        day = read_date(msg.text, today, person.language) if when else None
        if when is None or day is not None:
            return [_show_round(session, ctx, person, today, day)]
    if ALL_DONE.match(text):
        return [_all_done(session, ctx, person, today)]
    m = ONE.match(text)
    if m:
        return [_one(session, ctx, person, today, int(m.group(2)), OUTCOMES[m.group(1)])]
    m = VISIT_DONE.match(text)
    if m:
        wellbeing = int(m.group(1)) if m.group(1) else None
        remark = msg.text.strip()[len(msg.text.strip()) - len(m.group(2)) :] if m.group(2) else ""
        return [_visit(session, ctx, person, today, VisitStatus.DONE, wellbeing, remark.strip())]
    if VISIT_NOBODY.match(text):
        return [_visit(session, ctx, person, today, VisitStatus.NOBODY, None, "")]
    if CANNOT.search(text):
        day = read_date(msg.text, today, person.language) or next_round_day(session, person, today)
        return [drop_day(session, ctx, person, day)]
    if not person.is_tenant:
        p = parse(msg.text, today, None)
        if p.intent == "pause" and p.until is not None:
            return [absence(session, ctx, person, max(p.date or today, today), p.until)]
    return None


def _show_round(
    session: Session, ctx: Context, person: Person, today: date, day: date | None
) -> Reply:
    """The round of `day` as sent; without a day, the one the volunteer is thinking of: once the
    evening send is out, tomorrow's, else today's; with nothing sent, when it comes."""
    from handlers.tomorrow import volunteer_reply

    return volunteer_reply(session, ctx, person, day or _shown_day(session, person, today))


def _shown_day(session: Session, person: Person, today: date) -> date | None:
    sent = set(
        session.scalars(
            sa.select(Round.delivery_date).where(
                Round.volunteer_id == person.id,
                Round.delivery_date >= today,
                Round.sent_at.is_not(None),
                Round.dropped_at.is_(None),
            )
        )
    ) | set(
        session.scalars(
            sa.select(Visit.visit_date).where(
                Visit.volunteer_id == person.id,
                Visit.visit_date >= today,
                Visit.status == VisitStatus.PLANNED,
            )
        )
    )
    later = sorted(d for d in sent if d is not None and d > today)
    if later:
        return later[0]
    return today if today in sent else None


def _stop_reply(
    session: Session, ctx: Context, volunteer: Person, stop: Stop, outcome: DeliveryOutcome
) -> Reply:
    lang = volunteer.language
    order = report_stop(session, stop, outcome, ctx.now())
    tenant = session.get(Person, order.person_id)
    assert tenant is not None
    if outcome is DeliveryOutcome.NOT_HOME:
        tell_coordinators(
            session,
            ctx,
            tenant.site_id,
            f"not-home:{stop.id}",
            "coordinator.not_home",
            alert=AlertKind.NOT_HOME,
            about=tenant,
            volunteer=volunteer.name,
            name=tenant.name,
            where=per_reader(lambda lang: say_address(tenant, lang)),
            day=per_reader_day(order.delivery_date),
        )
        return say(lang, "volunteer.not_home", n=stop.position, name=tenant.name)
    return say(
        lang,
        f"volunteer.stop_{'done' if outcome.delivered else 'other'}",
        n=stop.position,
        name=tenant.name,
        outcome=t(lang, f"outcome.{outcome.value}"),
    )


def _button(session: Session, ctx: Context, person: Person, value: str) -> Reply:
    _, stop_id, what = [*value.split(":"), "", ""][:3]
    stop = session.get(Stop, int(stop_id)) if stop_id.isdigit() else None
    rnd = session.get(Round, stop.round_id) if stop is not None else None
    if stop is None or rnd is None or rnd.volunteer_id != person.id:
        return say(person.language, "volunteer.not_your_stop")
    if early := _too_early(person, rnd, ctx.today(ctx.site(person.site_id))):
        return early
    outcome = DeliveryOutcome.NOT_HOME if what == "not_home" else _delivered(session, stop)
    return _stop_reply(session, ctx, person, stop, outcome)


def _too_early(person: Person, rnd: Round, today: date) -> Reply | None:
    """A report on the eve (a volunteer answering "fait" to acknowledge the round): nothing can
    have been delivered yet, and marking it so would close the tenants' orders."""
    if rnd.delivery_date <= today:
        return None
    return say(
        person.language, "volunteer.not_yet", day=say_day(rnd.delivery_date, person.language)
    )


def _delivered(session: Session, stop: Stop) -> DeliveryOutcome:
    from models.orders import Order

    order = session.get(Order, stop.order_id)
    tenant = session.get(Person, order.person_id) if order else None
    return (
        DeliveryOutcome.BREAD_BAG
        if tenant and tenant.tenant and tenant.tenant.bread_bag
        else DeliveryOutcome.IN_HAND
    )


def _one(
    session: Session, ctx: Context, person: Person, today: date, n: int, outcome: DeliveryOutcome
) -> Reply:
    rnd = current_round(session, person.id, today)
    if rnd is None:
        return say(person.language, "volunteer.no_round")
    if early := _too_early(person, rnd, today):
        return early
    stop = next((s for s in rnd.stops if s.position == n), None)
    if stop is None:
        numbers = listing([str(s.position) for s in rnd.stops], person.language)
        return say(person.language, "volunteer.no_such_stop", n=n, numbers=numbers)
    if outcome is DeliveryOutcome.IN_HAND:
        outcome = _delivered(session, stop)
    return _stop_reply(session, ctx, person, stop, outcome)


def _all_done(session: Session, ctx: Context, person: Person, today: date) -> Reply:
    rnd = current_round(session, person.id, today)
    if rnd is None:
        return say(person.language, "volunteer.no_round")
    if early := _too_early(person, rnd, today):
        return early
    n = 0
    for view in round_stops(session, rnd):
        if view.outcome is None:
            stop = session.get(Stop, view.stop_id)
            assert stop is not None
            report_stop(session, stop, _delivered(session, stop), ctx.now())
            n += 1
    first = person.name.split()[0]
    if n == 0:  # every stop was reported one by one: nothing left, and nothing lost
        return say(person.language, "volunteer.all_recorded", name=first)
    return say(person.language, "volunteer.all_done", n=n, name=first)


def _visit(
    session: Session,
    ctx: Context,
    person: Person,
    today: date,
    status: VisitStatus,
    wellbeing: int | None,
    remark: str,
) -> Reply:
    """Today's visit, never an earlier one (a visit left unreported yesterday is the morning
    check's, reported to the coordinators as missed); with several today, the first still open,
    the one the volunteer just left."""
    lang = person.language
    visit = session.scalar(
        sa.select(Visit)
        .where(
            Visit.volunteer_id == person.id,
            Visit.status == VisitStatus.PLANNED,
            Visit.visit_date == today,
        )
        .order_by(Visit.window_start, Visit.id)
        .limit(1)
    )
    if visit is None:
        return say(lang, "volunteer.no_visit_today")
    tenant = session.get(Person, visit.tenant_id)
    assert tenant is not None
    visit.status, visit.reported_at = status, ctx.now()
    visit.wellbeing, visit.remark = wellbeing, remark[:300] or None
    session.flush()
    if status is VisitStatus.NOBODY:
        previous = session.scalar(
            sa.select(Visit.status)
            .where(
                Visit.tenant_id == tenant.id,
                Visit.id != visit.id,
                Visit.status.in_((VisitStatus.DONE, VisitStatus.NOBODY, VisitStatus.MISSED)),
            )
            .order_by(Visit.visit_date.desc())
            .limit(1)
        )
        if previous is VisitStatus.NOBODY:
            tell_coordinators(
                session,
                ctx,
                tenant.site_id,
                f"nobody-twice:{visit.id}",
                "coordinator.visit_nobody_twice",
                alert=AlertKind.NOBODY_TWICE,
                about=tenant,
                name=tenant.name,
            )
        return say(lang, "volunteer.visit_nobody", name=tenant.name)
    return say(lang, "volunteer.visit_done", name=tenant.name)
