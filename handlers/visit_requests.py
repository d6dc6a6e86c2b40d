"""Courtesy visits asked by a tenant, and the answer to the evening visit reminder.

A visit request reaches the coordinators with who and where; NON to "Gilles passera demain"
re-plans the visit and tells the volunteer.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers import order_flow
from handlers.nlu import Parse
from handlers.notify import per_reader, tell_coordinators
from handlers.replies import pick, say
from handlers.texts.formats import address as say_address
from handlers.texts.formats import day as say_day
from handlers.types import Inbound, Reply
from models.base import VisitStatus
from models.context import Context
from models.conversation import clear_state
from models.people import Person
from models.visit_planning import withdraw
from models.visits import Visit

VISIT_CONFIRM = "visit_confirm"  # set by the evening visit reminder


def answer_visit(
    session: Session,
    ctx: Context,
    person: Person,
    data: dict[str, Any],
    msg: Inbound,
    p: Parse | None,
) -> Reply | None:
    return _visit_answer(session, ctx, person, data, msg)


def request(session: Session, ctx: Context, person: Person, msg: Inbound) -> Reply:
    lang = person.language
    open_request = session.scalar(
        sa.select(Visit).where(
            Visit.tenant_id == person.id,
            Visit.status.in_((VisitStatus.REQUESTED, VisitStatus.PLANNED)),
        )
    )
    if open_request is not None:
        if open_request.status is VisitStatus.PLANNED and open_request.visit_date:
            return say(lang, "visit.already_planned", day=say_day(open_request.visit_date, lang))
        return say(lang, "visit.already_requested")
    assert person.site_id is not None
    visit = Visit(
        site_id=person.site_id,
        tenant_id=person.id,
        status=VisitStatus.REQUESTED,
        requested=True,
        created_at=ctx.now(),
    )
    session.add(visit)
    session.flush()
    tell_coordinators(
        session,
        ctx,
        person.site_id,
        f"visit-request:{visit.id}",
        "coordinator.visit_request",
        name=person.name,
        where=per_reader(lambda lang: say_address(person, lang)),
        text=msg.text[:200],
    )
    return say(lang, "visit.requested")


def _visit_answer(
    session: Session, ctx: Context, person: Person, data: dict[str, Any], msg: Inbound
) -> Reply | None:
    """The answer to "Demain vers 15 h, Gilles passera… Répondez NON si ce n'est pas le bon
    moment": NON re-plans the visit and tells the volunteer."""
    from handlers.nlu import read_yes_no
    from handlers.notify import tell

    lang = person.language
    answer = "no" if pick(msg, ["no"], lang) == "no" else None
    if answer is None:
        yes = read_yes_no(msg.text, lang)
        if yes is None:
            return None
        answer = "yes" if yes else "no"
    clear_state(session, order_flow.key(person))
    visit = session.get(Visit, data.get("visit_id"))
    if visit is None or visit.status is not VisitStatus.PLANNED:
        return None
    if answer == "yes":
        return say(lang, "visit.confirmed")
    # a requested visit goes back to the end of the queue: the tenant said not now
    withdraw(session, visit, ctx.now(), status=VisitStatus.DECLINED, keep_place=False)
    volunteer_ = session.get(Person, visit.volunteer_id) if visit.volunteer_id else None
    if volunteer_ is not None and visit.visit_date is not None:
        tell(
            session,
            ctx,
            volunteer_,
            f"visit-declined:{visit.id}",
            say(
                volunteer_.language,
                "volunteer.visit_declined",
                name=person.name,
                day=say_day(visit.visit_date, volunteer_.language),
            ),
        )
    return say(lang, "visit.declined")
