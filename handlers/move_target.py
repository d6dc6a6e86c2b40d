"""A move said without where to: "pouvez-vous déplacer ma livraison de jeudi ?" asks which day,
and the answer ("à samedi svp", "Saturday") moves it.

Asked only when the day named has a delivery and no other day is named; an answer with no day
in it is left to the generic re-ask."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from handlers import changes, order_flow
from handlers.nlu import Parse, read_date
from handlers.replies import fold, say
from handlers.texts.formats import day as say_day
from handlers.texts.formats import items as say_items
from handlers.types import Inbound, Reply
from models.context import Context
from models.conversation import clear_state, set_state
from models.people import Person

KIND = "move_to"
# verbs that only move ("changer" also changes numbers: "je voudrais changer: 1 au lieu de 2")
_MOVING = re.compile(
    r"\b(?:deplacer|deplacez|decaler|decalez|reporter|reportez|avancer|avancez|move|reschedule"
    r"|postpone|shift)\b"
)
_NOT_A_MOVE = re.compile(r"\b(?:au lieu|instead|toutes les semaines|chaque|every|each|plutot)\b")


def ask(session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse) -> Reply | None:
    """The question, or None when the message is not a move without its target."""
    f = p.frame
    folded = fold(msg.text)
    if not _MOVING.search(folded) or _NOT_A_MOVE.search(folded):
        return None
    if len(f.days) != 1 or f.move or f.loose_move or p.weekdays:
        return None
    if p.items or f.quantity or f.segments or f.alert is not None:
        return None
    start = f.days[0]
    have = changes.on_day(session, person, start)
    if not have:
        return None
    lang = person.language
    question = say(
        lang,
        "change.move_where",
        day=say_day(start, lang),
        items=say_items(have, lang, ctx.item_names),
    ).text
    data = {"day": start.isoformat(), "question": question, "choices": []}
    set_state(session, order_flow.key(person), KIND, data, ctx.now(), ctx.draft_ttl, person.id)
    return Reply(question, lang)


def answer(
    session: Session,
    ctx: Context,
    person: Person,
    data: dict[str, Any],
    msg: Inbound,
    p: Parse | None,
) -> Reply | None:
    """The day said moves the delivery there; None when no day is said."""
    start = date.fromisoformat(data["day"])
    end = _day_said(ctx, person, msg, p)
    if end is None or end == start:
        return None
    moved = changes.move(session, ctx, person, start, end)
    if moved is None:
        return None
    clear_state(session, order_flow.key(person))
    return moved


def _day_said(ctx: Context, person: Person, msg: Inbound, p: Parse | None) -> date | None:
    if p is not None and p.date is not None:
        return p.date
    if p is not None and len(p.frame.days) == 1:
        return p.frame.days[0]
    return read_date(msg.text, ctx.today(ctx.site(person.site_id)), person.language)
