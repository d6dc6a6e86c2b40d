"""The tenant's requests by intent, and the answers to the questions they set.

`router` reads the message once and calls `intent` when no change to what is booked was
asked; orders go through `order_flow`. A wrong silent action is worse than a question, so
anything destructive with a guess in it (cancel "my order" without a date, cancel everything)
is confirmed first.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers import changes, optout, order_flow
from handlers.nlu import Parse, read_date
from handlers.nlu.vocabulary import ALL_WORDS
from handlers.notify import tell_coordinators
from handlers.replies import choices, fold, pick, say
from handlers.texts import t
from handlers.texts.formats import address as say_address
from handlers.texts.formats import day as say_day
from handlers.texts.formats import day_short
from handlers.texts.formats import items as say_items
from handlers.texts.formats import weekdays as say_weekdays
from handlers.types import Choice, Inbound, Reply
from models.base import OrderStatus, PersonStatus, VisitStatus
from models.config import WEEKDAYS
from models.context import Context
from models.conversation import clear_state, set_state
from models.orders import (
    Upcoming,
    active_pauses,
    add_pause,
    block_day,
    cancel_order,
    closed_dates,
    drop_standing,
    open_order_on,
    open_orders,
    order_on,
    standing_orders,
    upcoming,
)
from models.people import Person
from models.rules import MAX_DAYS_AHEAD, delivers, next_delivery_after
from models.visits import Visit

log = logging.getLogger("entraide.tenant")

PARSE_LIMIT = 600  # characters; a longer message goes to the coordinators whole
LIST_DAYS = 21
MENU = ("menu:order", "menu:list", "menu:cancel", "menu:visit")


PAUSE_END = "pause_end"
VISIT_CONFIRM = "visit_confirm"  # set by the evening visit reminder
CONFIRM_CANCEL = "confirm_cancel"
CONFIRM_CANCEL_ALL = "confirm_cancel_all"
PAUSE_ORDERS = "pause_orders"


def intent(session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse) -> Reply:
    """The tenant's request by the parser's intent (changes to what is booked were seen first)."""
    lang = person.language
    if p.intent == "stop":
        return optout.stop(session, ctx, person).replies[0]
    if person.status is PersonStatus.PENDING and p.intent in (
        "order",
        "standing_order",
        "cancel",
        "pause",
        "list",
        "visit",
    ):
        return say(lang, "registration.pending", name=person.name)
    if p.intent in ("order", "standing_order"):
        return order_flow.start(session, ctx, person, p, msg)
    if p.intent == "cancel":
        return _cancel(session, ctx, person, p, msg)
    if p.intent == "pause":
        return _pause(session, ctx, person, p)
    if p.intent == "list":
        return listing(session, ctx, person)
    if p.intent == "visit":
        return _visit(session, ctx, person, msg)
    if p.intent == "help":
        return help_reply(person, msg)
    if p.intent == "smalltalk":
        return say(lang, "smalltalk.reply", examples=_examples(ctx, lang))
    return forward(session, ctx, person, msg)


# --- answers to a pending question (registered in router.ANSWERS) ---------------------------
def answer_pause_end(
    session: Session,
    ctx: Context,
    person: Person,
    data: dict[str, Any],
    msg: Inbound,
    p: Parse | None,
) -> Reply | None:
    """ "Jusqu'à quand ?": a last day (the first day stays the one said before)."""
    site = ctx.site(person.site_id)
    end = read_date(msg.text, ctx.today(site), person.language)
    if end is None and p is not None and p.intent == "pause":
        end = p.until
    if end is None:
        return None
    clear_state(session, order_flow.key(person))
    start = date.fromisoformat(data["start"])
    return _pause(session, ctx, person, Parse(intent="pause", date=start, until=end))


def answer_visit(
    session: Session,
    ctx: Context,
    person: Person,
    data: dict[str, Any],
    msg: Inbound,
    p: Parse | None,
) -> Reply | None:
    return _visit_answer(session, ctx, person, data, msg)


def answer_confirm(
    session: Session,
    ctx: Context,
    person: Person,
    data: dict[str, Any],
    msg: Inbound,
    p: Parse | None,
) -> Reply | None:
    """Yes/no to a cancellation, cancel/keep to the orders inside a pause. "annuler" answers
    "Annuler votre livraison ?" with yes."""
    offered = data["choices"]
    got = pick(msg, offered, person.language)
    bare_cancel = p is not None and p.intent == "cancel" and p.date is None and not p.weekdays
    if got is None and "yes" in offered and bare_cancel:
        got = "yes"
    if got is None:
        return None
    clear_state(session, order_flow.key(person))
    return _confirmed(session, ctx, person, data["kind"], data, got)


def _confirmed(
    session: Session, ctx: Context, person: Person, kind: str, data: dict[str, Any], got: str
) -> Reply:
    lang = person.language
    if kind == CONFIRM_CANCEL:
        if got != "yes":
            return say(lang, "cancel.kept")
        day = date.fromisoformat(data["date"])
        if data.get("items"):
            return changes.cancel_items(session, ctx, person, day, tuple(data["items"]))
        return _cancel_day(session, ctx, person, day)
    if kind == CONFIRM_CANCEL_ALL:
        if got != "yes":
            return say(lang, "cancel.kept")
        today = ctx.today(ctx.site(person.site_id))
        n = 0
        for order in open_orders(session, person.id, today):
            cancel_order(session, order, ctx.now())
            _tell_volunteer_if_planned(session, ctx, person, order.id, order.delivery_date)
            n += 1
        n += drop_standing(session, person.id)
        return say(lang, "cancel.all_done")
    # pause_orders: the one-off orders inside a new pause were cancelled; keep them after all?
    if got != "keep":
        return say(lang, "pause.orders_cancelled")
    for iso in data["dates"]:
        order = order_on(session, person.id, date.fromisoformat(iso))
        if order is not None and order.status is OrderStatus.CANCELLED:
            order.status, order.updated_at = OrderStatus.PENDING, ctx.now()
    return say(lang, "pause.orders_kept")


# --- intents ----------------------------------------------------------------------------------
def _cancel(session: Session, ctx: Context, person: Person, p: Parse, msg: Inbound) -> Reply:
    lang = person.language
    site = ctx.site(person.site_id)
    today = ctx.today(site)
    if p.weekdays:
        days = [d for d in WEEKDAYS if d in p.weekdays]
        removed = drop_standing(session, person.id, days)
        for order in open_orders(session, person.id, today):
            if order.standing and WEEKDAYS[order.delivery_date.weekday()] in days:
                cancel_order(session, order, ctx.now())
        if not removed:
            return say(
                lang,
                "cancel.no_standing",
                days=say_weekdays(
                    days,
                    lang,
                ),
            )
        return say(lang, "cancel.standing_done", days=say_weekdays(days, lang))
    if p.date is not None:
        return _cancel_day(session, ctx, person, p.date)
    coming = _changeable(session, ctx, person)
    if not coming:
        return say(lang, "cancel.nothing")
    key = order_flow.key(person)
    if any(f" {w} " in f" {fold(msg.text)} " for w in ALL_WORDS):
        set_state(
            session,
            key,
            CONFIRM_CANCEL_ALL,
            {
                "kind": CONFIRM_CANCEL_ALL,
                "choices": ["yes", "no"],
                "question": t(lang, "cancel.confirm_all"),
            },
            ctx.now(),
            ctx.draft_ttl,
            person.id,
        )
        return say(lang, "cancel.confirm_all", choices=choices(lang, "yes", "no"))
    recent = changes.recent_day(session, ctx, person)
    nxt = next((u for u in coming if u.day == recent), coming[0])
    return _confirm_cancel(session, ctx, person, nxt.day, nxt.items, ())


def confirm_next_items(
    session: Session, ctx: Context, person: Person, named: tuple[str, ...]
) -> Reply:
    """ "pas d'eau finalement", no day said: the next delivery with that item, confirmed first."""
    lang = person.language
    coming = _changeable(session, ctx, person)
    nxt = next((u for u in coming if any(k in u.items for k in named)), None)
    if nxt is None:
        return say(lang, "cancel.nothing")
    gone = {k: n for k, n in nxt.items.items() if k in named}
    return _confirm_cancel(session, ctx, person, nxt.day, gone, named)


def _confirm_cancel(
    session: Session,
    ctx: Context,
    person: Person,
    day: date,
    items: dict[str, int],
    named: tuple[str, ...],
) -> Reply:
    lang = person.language
    question = t(
        lang,
        "cancel.confirm_next",
        day=say_day(day, lang),
        items=say_items(items, lang, ctx.item_names),
    )
    data = {
        "kind": CONFIRM_CANCEL,
        "date": day.isoformat(),
        "items": list(named),
        "choices": ["yes", "no"],
        "question": question,
    }
    set_state(
        session, order_flow.key(person), CONFIRM_CANCEL, data, ctx.now(), ctx.draft_ttl, person.id
    )
    return Reply(question, lang, choices=choices(lang, "yes", "no"))


def _changeable(session: Session, ctx: Context, person: Person) -> list[Upcoming]:
    """Deliveries still to come that a cancellation can reach: from tomorrow on (today's round
    is already at the door)."""
    today = ctx.today(ctx.site(person.site_id))
    days = _delivery_days(session, ctx, person, today)
    return [u for u in upcoming(session, person.id, today, MAX_DAYS_AHEAD, days) if u.day > today]


def _cancel_day(session: Session, ctx: Context, person: Person, day: date) -> Reply:
    lang = person.language
    site = ctx.site(person.site_id)
    today = ctx.today(site)
    if day < today:
        return say(lang, "cancel.past", day=say_day(day, lang))
    order = open_order_on(session, person.id, day)
    standing = standing_orders(session, person.id).get(WEEKDAYS[day.weekday()])
    existing = order_on(session, person.id, day)
    if order is None and (not standing or existing is not None):
        return say(lang, "cancel.none_that_day", day=say_day(day, lang))
    planned = order is not None and order.status is OrderStatus.PLANNED
    block_day(session, person, day, ctx.now())
    if planned and order is not None:
        _tell_volunteer_if_planned(session, ctx, person, order.id, day)
    return say(lang, "cancel.done", day=say_day(day, lang))


def _tell_volunteer_if_planned(
    session: Session, ctx: Context, person: Person, order_id: int, day: date
) -> None:
    """A round already sent: the volunteer must not carry that order any more."""
    from handlers.notify import tell
    from models.rounds import Round, Stop

    row = session.execute(
        sa.select(Round, Stop)
        .join(Stop, Stop.round_id == Round.id)
        .where(Stop.order_id == order_id)
    ).first()
    if row is None or row.Round.sent_at is None:
        return
    volunteer_ = session.get(Person, row.Round.volunteer_id)
    if volunteer_ is None:
        return
    address = say_address(person, volunteer_.language)
    tell(
        session,
        ctx,
        volunteer_,
        f"cancelled:{order_id}",
        say(
            volunteer_.language,
            "volunteer.stop_cancelled",
            name=person.name,
            where=address,
            day=day_short(day, volunteer_.language),
        ),
    )


def _pause(session: Session, ctx: Context, person: Person, p: Parse) -> Reply:
    lang = person.language
    site = ctx.site(person.site_id)
    today = ctx.today(site)
    start = max(p.date or today, today)
    end = p.until
    if end is None:
        set_state(
            session,
            order_flow.key(person),
            PAUSE_END,
            {
                "kind": PAUSE_END,
                "start": start.isoformat(),
                "choices": [],
                "question": t(lang, "pause.ask_end"),
            },
            ctx.now(),
            ctx.draft_ttl,
            person.id,
        )
        return say(lang, "pause.ask_end")
    if end < start:
        return say(
            lang, "pause.end_before_start", start=say_day(start, lang), end=say_day(end, lang)
        )
    add_pause(session, person, start, end, ctx.now())
    resume = next_delivery_after(site, end, ())
    text = t(lang, "pause.confirmed", start=say_day(start, lang), end=say_day(end, lang))
    if resume is not None:
        text += " " + t(lang, "pause.resume", day=say_day(resume, lang))
    inside = [
        o
        for o in open_orders(session, person.id, start)
        if o.delivery_date <= end and not o.standing
    ]
    for o in open_orders(session, person.id, start):
        if o.delivery_date <= end:
            cancel_order(session, o, ctx.now())  # away: nothing at the door, one-offs included
    if inside:
        question = t(
            lang, "pause.orders_inside", days=say_list_days([o.delivery_date for o in inside], lang)
        )
        set_state(
            session,
            order_flow.key(person),
            PAUSE_ORDERS,
            {
                "kind": PAUSE_ORDERS,
                "dates": [o.delivery_date.isoformat() for o in inside],
                "choices": ["keep", "cancel"],
                "question": question,
            },
            ctx.now(),
            ctx.draft_ttl,
            person.id,
        )
        return Reply(f"{text} {question}", lang, choices=choices(lang, "keep", "cancel"))
    return Reply(text, lang)


def pause_range(session: Session, ctx: Context, person: Person, start: date, end: date) -> Reply:
    """A pause over days said as a period ("la semaine prochaine", "de samedi à mardi")."""
    return _pause(session, ctx, person, Parse(intent="pause", date=start, until=end))


def cancel_days(
    session: Session, ctx: Context, person: Person, days: tuple[date, ...], named: tuple[str, ...]
) -> Reply:
    """ "je serai absent samedi et lundi", "pas d'eau lundi ni mercredi": each day said, only
    the items named when some are."""
    lang = person.language
    today = ctx.today(ctx.site(person.site_id))
    parts: list[str] = []
    for day in sorted(set(days)):
        if day <= today:
            continue
        have = changes.on_day(session, person, day)
        left = {k: n for k, n in have.items() if named and k not in named}
        if have and left != have:
            changes.set_day(session, ctx, person, day, left, "change")
            _tell_volunteer_if_changed(session, ctx, person, day)
        parts.append(changes.restate(ctx, lang, day, left if have else {}))
    if not parts:
        return say(lang, "cancel.nothing")
    return Reply(t(lang, "change.booked") + " " + " ".join(parts), lang)


def _tell_volunteer_if_changed(session: Session, ctx: Context, person: Person, day: date) -> None:
    order = order_on(session, person.id, day)
    if order is not None and order.status is OrderStatus.CANCELLED:
        _tell_volunteer_if_planned(session, ctx, person, order.id, day)


def say_list_days(days: list[date], lang: str) -> str:
    from handlers.texts.formats import listing

    return listing([say_day(d, lang) for d in days], lang)


def listing(session: Session, ctx: Context, person: Person) -> Reply:
    lang = person.language
    site = ctx.site(person.site_id)
    today = ctx.today(site)
    coming = upcoming(
        session, person.id, today, LIST_DAYS, _delivery_days(session, ctx, person, today)
    )
    parts: list[str] = []
    one_off = [u for u in coming if not u.standing][:4]
    nxt = coming[0] if coming else None
    for u in one_off:
        if nxt is not None and u.day == nxt.day:
            continue
        parts.append(
            t(
                lang,
                "list.line",
                day=say_day(u.day, lang),
                items=say_items(u.items, lang, ctx.item_names),
            )
        )
    standing = standing_orders(session, person.id)
    by_items: dict[tuple[tuple[str, int], ...], list[str]] = {}
    for wd, items in standing.items():
        by_items.setdefault(tuple(sorted(items.items())), []).append(wd)
    for items_key, days in by_items.items():
        parts.append(
            t(
                lang,
                "list.standing",
                days=say_weekdays(days, lang),
                items=say_items(dict(items_key), lang, ctx.item_names),
            )
        )
    pauses = active_pauses(session, person.id, today)
    parts += _exceptions(ctx, lang, today, coming, standing, pauses)
    for pause in pauses[:2]:
        parts.append(
            t(
                lang,
                "list.pause",
                start=say_day(max(pause.start_on, today), lang),
                end=say_day(pause.end_on, lang),
            )
        )
    if not parts and nxt is None:
        return say(lang, "list.empty", examples=_examples(ctx, lang))
    head = (
        t(
            lang,
            "list.next",
            day=say_day(nxt.day, lang),
            items=say_items(nxt.items, lang, ctx.item_names),
        )
        if nxt
        else ""
    )
    return Reply(" ".join([head, *parts]).strip(), lang)


def _exceptions(
    ctx: Context,
    lang: str,
    today: date,
    coming: list[Upcoming],
    standing: dict[str, dict[str, int]],
    pauses: list[Any],
) -> list[str]:
    """The days a standing order does not come as usual ("sauf jeudi 10 décembre : 2
    baguettes"), next to the standing order itself; days inside a pause are said by the pause."""
    got = {u.day: u.items for u in coming}
    out: list[str] = []
    for k in range(1, LIST_DAYS + 1):
        day = today + timedelta(days=k)
        usual = standing.get(WEEKDAYS[day.weekday()])
        if not usual or any(p.start_on <= day <= p.end_on for p in pauses):
            continue
        if not ctx.site(None).delivers_on(day.weekday()):
            continue
        items = got.get(day, {})
        if items == usual:
            continue
        what = say_items(items, lang, ctx.item_names) if items else t(lang, "list.nothing")
        out.append(t(lang, "list.exception", day=say_day(day, lang), items=what))
    return out[:4]


def _visit(session: Session, ctx: Context, person: Person, msg: Inbound) -> Reply:
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
        where=say_address(person, "fr"),
        text=msg.text[:200],
    )
    return say(lang, "visit.requested")


def help_reply(person: Person, msg: Inbound, welcome: bool = False) -> Reply:
    lang = person.language
    key = "help.sms" if msg.channel == "sms" else "help.buttons"
    text = t(lang, key)
    if welcome:
        text = t(lang, "help.welcome_back", name=person.name) + " " + text
    menu = tuple(Choice(v, t(lang, f"choice.{v.replace(':', '_')}")) for v in MENU)
    return Reply(text, lang, menu=menu if msg.channel != "sms" else ())


def role_help(person: Person) -> Reply:
    """Someone who is not a tenant (a volunteer, a supplier) wrote something we do not act on."""
    role = (
        "volunteer"
        if person.is_volunteer
        else "coordinator"
        if person.is_coordinator
        else "supplier"
    )
    return say(person.language, f"help.{role}", name=person.name.split()[0] if person.name else "")


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
    visit.status = VisitStatus.DECLINED
    if visit.requested:
        session.add(
            Visit(
                site_id=visit.site_id,
                tenant_id=person.id,
                status=VisitStatus.REQUESTED,
                requested=True,
                created_at=ctx.now(),
            )
        )
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


def menu(session: Session, ctx: Context, person: Person, value: str) -> Reply:
    lang = person.language
    if value == "menu:list":
        return listing(session, ctx, person)
    if value == "menu:visit":
        return _visit(session, ctx, person, Inbound("console", "", "", "", ctx.now()))
    if value == "menu:cancel":
        return say(lang, "help.how_to_cancel")
    return say(lang, "help.how_to_order", examples=_examples(ctx, lang))


def forward(
    session: Session, ctx: Context, person: Person, msg: Inbound, long: bool = False
) -> Reply:
    """Something we cannot act on: the coordinators see it with who and where; nothing is lost.

    Not while a number floods us (the loop guard): the inbound rows keep the texts, and the
    coordinators got one alert about the flood instead of one per message."""
    if session.info.get("quiet"):
        return say(person.language, "other.forwarded")
    tell_coordinators(
        session,
        ctx,
        person.site_id,
        f"forward:{msg.channel}:{msg.external_id}",
        "coordinator.forward",
        name=person.name,
        where=say_address(person, "fr"),
        text=msg.text[:700],
    )
    return say(person.language, "other.forwarded")


def _delivery_days(session: Session, ctx: Context, person: Person, today: date) -> set[date]:
    site = ctx.site(person.site_id)
    assert person.site_id is not None
    end = today + timedelta(days=MAX_DAYS_AHEAD)
    closed = closed_dates(session, person.site_id, today, end)
    return {
        today + timedelta(days=i)
        for i in range(MAX_DAYS_AHEAD + 1)
        if delivers(site, today + timedelta(days=i), closed)
    }


def _examples(ctx: Context, lang: str) -> str:
    return t(lang, "common.example_order")


__all__ = ["intent", "read_date"]
