"""Cancelling and pausing: a day, a weekday habit, everything, a stay away; and the answers to
the questions they ask (registered in `router.ANSWERS`).

Anything destructive with a guess in it ("annuler ma commande" without a day, "annuler tout")
is confirmed first; a round already sent tells its volunteer. A pause cancels the one-off
orders inside it, and the tenant may keep them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers import changes, order_flow
from handlers.listing import delivery_days
from handlers.nlu import Parse, read_date
from handlers.nlu.vocabulary import ALL_WORDS
from handlers.notify import per_reader, per_reader_day, tell, tell_coordinators
from handlers.replies import choices, fold, pick, say
from handlers.texts import t
from handlers.texts.formats import address as say_address
from handlers.texts.formats import day as say_day
from handlers.texts.formats import day_short, listing
from handlers.texts.formats import items as say_items
from handlers.texts.formats import weekdays as say_weekdays
from handlers.types import Inbound, Reply
from handlers.visit_changes import after_pause
from models.base import OrderStatus
from models.config import WEEKDAYS
from models.context import Context
from models.conversation import clear_state, set_state
from models.orders import (
    Order,
    Upcoming,
    active_pauses,
    add_pause,
    block_day,
    cancel_order,
    drop_standing,
    open_or_none,
    open_orders,
    order_on,
    pause_span,
    standing_orders,
    upcoming,
)
from models.people import Person
from models.rounds import Round, Stop
from models.rules import MAX_DAYS_AHEAD, OPEN_PAUSE_DAYS, next_delivery_after

PAUSE_END = "pause_end"
CONFIRM_CANCEL = "confirm_cancel"
CONFIRM_CANCEL_ALL = "confirm_cancel_all"
PAUSE_ORDERS = "pause_orders"


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
    if p is not None and p.frame.resume is not None:
        end = p.frame.resume - timedelta(days=1)  # "vous pouvez livrer à partir du samedi 9"
    if end is None and p is not None and p.intent == "pause":
        end = p.until
    start = date.fromisoformat(data["start"])
    if p is not None and p.frame.span is not None:  # "du mercredi 20 au samedi 30": both ends
        start, end = max(start, p.frame.span[0]), p.frame.span[1]
    if end is None and ((p is not None and p.frame.open_end) or _DONT_KNOW.search(fold(msg.text))):
        clear_state(session, order_flow.key(person))  # "je ne sais pas, je vous écrirai"
        return pause(session, ctx, person, Parse(intent="pause", date=start), said=msg.text)
    if end is None:
        return None
    clear_state(session, order_flow.key(person))
    return pause(session, ctx, person, Parse(intent="pause", date=start, until=end))


# "je sais pas, on verra", "no idea yet": an absence with no end known (answering "until when?")
_DONT_KNOW = re.compile(
    r"\b(?:je\s(?:ne\s)?sais\spas|on\sne\ssait\spas|on\s(?:vous|te)\sdira|je\svous\s(?:dirai|previendrai"
    r"|ecrirai)|j\sen\ssais\srien|on\sverra|aucune\sidee|pas\sencore\ssu"
    r"|(?:i\s)?(?:don\st|do\snot)\sknow|no\sidea|not\ssure(?:\syet)?|we\sll\ssee|i\sll\ssee"
    r"|pas\sde\sdate|no\sdate(?:\syet)?)\b"
)


def return_day(session: Session, ctx: Context, person: Person) -> date | None:
    """The first day home after the absence that is on: "à partir de mon retour"."""
    today = ctx.today(ctx.site(person.site_id))
    ends = [q.end_on for q in active_pauses(session, person.id, today) if q.end_on is not None]
    return max(ends) + timedelta(days=1) if ends else None


def away_one_day(session: Session, ctx: Context, person: Person, day: date) -> str | None:
    """A day away said as a cancellation ("je serai absente samedi") is also a one-day pause:
    visit planning skips it, and a visit already planned that day is called off (the volunteer
    told). The sentence for the tenant, or None when no visit was planned then."""
    if pause_span(session, person.id, day) is None:
        add_pause(session, person, day, day, ctx.now())
    return after_pause(session, ctx, person, day, day)


def shorten_absence(session: Session, ctx: Context, person: Person, home: date) -> Reply | None:
    """ "Je serai absent toute la semaine prochaine" then "en fait je rentre le jeudi 11": the
    pause and the days cancelled in this conversation end the day before `home`; None when
    nothing said in this conversation covers that day."""
    since = ctx.now() - ctx.draft_ttl
    today = ctx.today(ctx.site(person.site_id))
    changed = False
    for q in active_pauses(session, person.id, today):
        if q.created_at >= since and q.start_on < home <= q.end_on:
            q.end_on, changed = home - timedelta(days=1), True
        elif q.created_at >= since and q.start_on == home:
            session.delete(q)  # back on the first day of the absence: no absence at all
            changed = True
    cancelled = session.scalars(
        sa.select(Order).where(
            Order.person_id == person.id,
            Order.status == OrderStatus.CANCELLED,
            Order.updated_at >= since,
            Order.delivery_date >= today,
        )
    ).all()
    lifted = [o for o in cancelled if o.delivery_date >= home]
    if len(cancelled) < 2 and not changed:
        lifted = []  # one day cancelled is no absence: "annulez le 13", then "je rentre le 12"
    changed = _lift(ctx, session, lifted) or changed
    if not changed:
        return None
    session.flush()
    return _resuming(person, _first_delivery(session, person, home))


def back(
    session: Session, ctx: Context, person: Person, resume: date | None = None
) -> Reply | None:
    """ "Je suis rentrée", "I'm back": the pause that holds tomorrow ends today, and the
    deliveries it held resume; "vous pouvez reprendre dès jeudi": it ends the day before
    Thursday. None when no pause holds that day (the coordinator is told then)."""
    site = ctx.site(person.site_id)
    today = ctx.today(site)
    first_back = max(resume or today + timedelta(days=1), today + timedelta(days=1))
    last_away = first_back - timedelta(days=1)
    running = [
        q for q in active_pauses(session, person.id, today) if q.start_on <= first_back <= q.end_on
    ]
    if not running:
        return None
    for q in running:
        if q.start_on > last_away:
            session.delete(q)
        else:
            q.end_on = last_away
    session.flush()
    lang = person.language
    first = _pause_over(session, ctx, person, last_away)
    if first is None:
        return say(lang, "pause.back_none")
    if first_back > today + timedelta(days=1):  # "vous pouvez livrer samedi": not home yet
        return say(lang, "pause.shortened", day=say_day(first, lang))
    return say(lang, "pause.back", day=say_day(first, lang))


def lift_cancelled(
    session: Session, ctx: Context, person: Person, days: Sequence[date], since: Any
) -> bool:
    """The one-off orders of `days` cancelled since `since` (by an absence now shorter) are
    booked again."""
    if not days:
        return False
    cancelled = session.scalars(
        sa.select(Order).where(
            Order.person_id == person.id,
            Order.status == OrderStatus.CANCELLED,
            Order.updated_at >= since,
            Order.delivery_date.in_(list(days)),
        )
    ).all()
    return _lift(ctx, session, cancelled)


def _lift(ctx: Context, session: Session, orders: Sequence[Order]) -> bool:
    """Cancelled days deliver again, as they would have."""
    for order in orders:
        if order.standing and not order.lines:
            session.delete(order)  # the standing delivery of that day comes again
        else:
            order.status, order.updated_at = OrderStatus.PENDING, ctx.now()
    return bool(orders)


def lift_absence_days(session: Session, ctx: Context, person: Person) -> Reply | None:
    """ "Trip cancelled, please keep my bread as usual" days after "no bread next week, I'm
    away": the days to come cancelled together in one message (two or more, within the last
    fortnight) deliver again. None when there are none."""
    today = ctx.today(ctx.site(person.site_id))
    cancelled = session.scalars(
        sa.select(Order).where(
            Order.person_id == person.id,
            Order.status == OrderStatus.CANCELLED,
            Order.updated_at >= ctx.now() - timedelta(days=14),
            Order.delivery_date > today,
            Order.delivery_date <= today + timedelta(days=21),
        )
    ).all()
    groups: list[list[Order]] = []  # one message's cancels: within a minute of each other
    for order in sorted(cancelled, key=lambda o: o.updated_at):
        if groups and order.updated_at - groups[-1][-1].updated_at <= timedelta(minutes=1):
            groups[-1].append(order)
        else:
            groups.append([order])
    together = [g for g in groups if len(g) >= 2]
    if not together:
        return None
    _lift(ctx, session, together[-1])
    session.flush()
    return _resuming(person, _first_delivery(session, person, today + timedelta(days=1)))


def _first_delivery(session: Session, person: Person, start: date) -> date | None:
    """The first day from `start` (within a fortnight) that brings something."""
    days = (start + timedelta(days=k) for k in range(14))
    return next((d for d in days if changes.on_day(session, person, d)), None)


def _resuming(person: Person, first: date | None) -> Reply:
    """ "Vos livraisons reprennent jeudi", or that nothing is booked to come."""
    if first is None:
        return say(person.language, "pause.back_none")
    return say(person.language, "pause.shortened", day=say_day(first, person.language))


def _pause_over(session: Session, ctx: Context, person: Person, after: date) -> date | None:
    """An absence over (ended, shortened or called off): the coordinators are told, with the
    first delivery after `after` (within a fortnight), which is returned."""
    today = ctx.today(ctx.site(person.site_id))
    first = _first_delivery(session, person, after + timedelta(days=1))
    tell_coordinators(
        session, ctx, person.site_id, f"pause_ended:{person.id}:{today.isoformat()}",
        "coordinator.pause_ended", name=person.name,
        where=per_reader(lambda lang: say_address(person, lang)),
        day=per_reader_day(first) if first else "-",
    )  # fmt: skip
    return first


def call_off(session: Session, ctx: Context, person: Person) -> Reply | None:
    """ "Je reste ici finalement", "trip is cancelled, keep delivering as normal": the one
    absence to come (starting within three weeks) is dropped, and its days deliver as before.
    None when there is not exactly one."""
    site = ctx.site(person.site_id)
    today = ctx.today(site)
    coming = [
        q
        for q in active_pauses(session, person.id, today)
        if today < q.start_on <= today + timedelta(days=21)
    ]
    if len(coming) != 1:
        return None
    start, end = coming[0].start_on, coming[0].end_on
    session.delete(coming[0])
    session.flush()
    lang = person.language
    first = _pause_over(session, ctx, person, today)
    span = {"start": say_day(start, lang), "end": say_day(end, lang)}
    if first is None:
        return say(lang, "pause.called_off_none", **span)
    return say(lang, "pause.called_off", day=say_day(first, lang), **span)


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
    if got in (None, "no") and data["kind"] == CONFIRM_CANCEL:
        site = ctx.site(person.site_id)
        today = ctx.today(site)
        offered_day = date.fromisoformat(data["date"])
        if got is None and _BOTH.search(fold(msg.text)):
            both = _the_two(session, person, today, offered_day)
            if both:  # "les deux, je pars chez mon frère": the one offered and the other
                clear_state(session, order_flow.key(person))
                return _cancel_days(session, ctx, person, both)
        day = read_date(msg.text, today, person.language)
        said = [d for d in p.frame.days if d not in p.frame.refused_days] if p is not None else []
        if p is not None and p.frame.refused_days and (day is None or day in p.frame.refused_days):
            day = None  # "pas celle de vendredi, l'autre"
            if _OTHER.search(fold(msg.text)):
                others = _the_two(session, person, today, offered_day)
                if offered_day not in p.frame.refused_days:
                    got = "yes"  # the other than Friday is the one offered
                elif others:
                    clear_state(session, order_flow.key(person))
                    return _cancel_day(session, ctx, person, max(set(others) - {offered_day}))
        if day is None and len(said) == 1:
            day = said[0]  # "celle de vendredi 8, pas celle de jeudi"
        if offered_day in said and (day is None or not changes.on_day(session, person, day)):
            day = offered_day  # "la première, jeudi": the 1st is no day here, Thursday is
        named = p.frame.named if p is not None else ()
        if day is not None and named and set(named) < set(changes.on_day(session, person, day)):
            clear_state(session, order_flow.key(person))  # "samedi, seulement l'eau"
            return changes.cancel_items(session, ctx, person, day, named)
        if day is not None and day.isoformat() == data["date"]:
            got = "yes" if got is None else got  # "celle de jeudi": the day offered
        elif day is not None and changes.on_day(session, person, day):
            clear_state(session, order_flow.key(person))  # "non pas tout, juste celle de jeudi"
            return _cancel_day(session, ctx, person, day)
    if got is None:
        return None
    clear_state(session, order_flow.key(person))
    return _confirmed(session, ctx, person, data["kind"], data, got)


_BOTH = re.compile(
    r"^(?:(?:oui|yes|non|no)\s)?(?:les\s(?:deux|2)|tous\sles\s(?:deux|2)|toutes\sles\s(?:deux|2)|both)\b"
)
_OTHER = re.compile(r"\b(?:l\s?autre|the\sother(?:\sone)?)\b")


def _the_two(session: Session, person: Person, today: date, offered: date) -> list[date]:
    """The offered day and the one other one-off order, when there are just those two."""
    days = sorted(
        {o.delivery_date for o in open_orders(session, person.id, today + timedelta(days=1))
         if not o.standing}
    )  # fmt: skip
    return days if len(days) == 2 and offered in days else []


def _cancel_days(session: Session, ctx: Context, person: Person, days: list[date]) -> Reply:
    replies = [_cancel_day(session, ctx, person, d) for d in days]
    return Reply(" ".join(r.text for r in replies), lang=person.language)


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


# "à partir du 1er mars", "from Monday": a change that starts on the day said
FROM_DAY = re.compile(r"\b(?:a partir d\w*|a compter d\w*|des le|starting|from|beginning|as of)\b")


def cancel(session: Session, ctx: Context, person: Person, p: Parse, msg: Inbound) -> Reply:
    lang = person.language
    site = ctx.site(person.site_id)
    today = ctx.today(site)
    if p.weekdays:
        days = [d for d in WEEKDAYS if d in p.weekdays]
        # "à partir du mois de juin, plus le samedi": the Saturdays before June stay as they are
        said = p.frame.days
        start = said[0] if len(said) == 1 and FROM_DAY.search(fold(msg.text)) else None
        keep = changes.before_start(session, ctx, person, days, start)
        removed = drop_standing(session, person.id, days)
        for order in open_orders(session, person.id, today):
            if order.delivery_date in keep:
                continue
            if order.standing and WEEKDAYS[order.delivery_date.weekday()] in days:
                cancel_order(session, order, ctx.now())
        changes.keep_as_before(session, ctx, person, keep)
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
    days = delivery_days(session, ctx, person, today)
    return [u for u in upcoming(session, person.id, today, MAX_DAYS_AHEAD, days) if u.day > today]


def _cancel_day(session: Session, ctx: Context, person: Person, day: date) -> Reply:
    lang = person.language
    site = ctx.site(person.site_id)
    today = ctx.today(site)
    if day < today:
        return say(lang, "cancel.past", day=say_day(day, lang))
    existing = order_on(session, person.id, day)  # read once: the row, open or not
    order = open_or_none(existing)
    standing = standing_orders(session, person.id).get(WEEKDAYS[day.weekday()])
    if order is None and (not standing or existing is not None):
        return say(lang, "cancel.none_that_day", day=say_day(day, lang))
    planned = order is not None and order.status is OrderStatus.PLANNED
    block_day(session, person, day, ctx.now(), existing=existing)
    if planned and order is not None:
        _tell_volunteer_if_planned(session, ctx, person, order.id, day)
    return say(lang, "cancel.done", day=say_day(day, lang))


def _tell_volunteer_if_planned(
    session: Session, ctx: Context, person: Person, order_id: int, day: date
) -> None:
    """A round already sent: the volunteer must not carry that order any more."""

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


def pause(
    session: Session, ctx: Context, person: Person, p: Parse, said: str | None = None
) -> Reply:
    """A stay away from `p.date` to `p.until`; `said`: the tenant's words of a pause with no
    return date ("je vous écrirai quand je rentre"), kept until they say they are back."""
    lang = person.language
    site = ctx.site(person.site_id)
    today = ctx.today(site)
    start = max(p.date or today, today)
    end = p.until
    if said is not None:
        end = start + timedelta(days=OPEN_PAUSE_DAYS)
        tell_coordinators(
            session, ctx, person.site_id, f"pause_open:{person.id}:{start.isoformat()}",
            "coordinator.pause_open", name=person.name,
            where=per_reader(lambda lang: say_address(person, lang)),
            start=per_reader_day(start), text=said[:300],
        )  # fmt: skip
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
    since = ctx.now() - ctx.draft_ttl
    for q in active_pauses(session, person.id, today):
        overlaps = q.start_on <= end and start <= q.end_on
        if q.created_at >= since and (overlaps or p.frame.correcting):
            # "du jeudi 3 au mardi 8" … "pardon, du vendredi 4": the new span; "du 7 au 12" …
            # "pardon je me suis trompée, c'est du 14 au 19": that one instead
            session.delete(q)
    add_pause(session, person, start, end, ctx.now())
    if said is not None:
        text = t(lang, "pause.confirmed_open", start=say_day(start, lang))
    else:
        text = pause_said(ctx, person, start, end)
    if visit_note := after_pause(session, ctx, person, start, end):
        text += " " + visit_note
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


def pause_said(ctx: Context, person: Person, start: date, end: date) -> str:
    """ "No delivery from … to …. Deliveries resume on …" (the next delivery day after it)."""
    lang = person.language
    text = t(lang, "pause.confirmed", start=say_day(start, lang), end=say_day(end, lang))
    resume = next_delivery_after(ctx.site(person.site_id), end, ())
    if resume is not None:
        text += " " + t(lang, "pause.resume", day=say_day(resume, lang))
    return text


def pause_range(session: Session, ctx: Context, person: Person, start: date, end: date) -> Reply:
    """A pause over days said as a period ("la semaine prochaine", "de samedi à mardi")."""
    return pause(session, ctx, person, Parse(intent="pause", date=start, until=end))


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
    said = tuple(d for d in sorted(set(days)) if d > today)
    if len(said) > 1:  # "no bread Tuesday and Wednesday" … "I meant only Tuesday"
        changes.remember(session, ctx, person, said[0], days=said)
    return Reply(t(lang, "change.booked") + " " + " ".join(parts), lang)


def _tell_volunteer_if_changed(session: Session, ctx: Context, person: Person, day: date) -> None:
    order = order_on(session, person.id, day)
    if order is not None and order.status is OrderStatus.CANCELLED:
        _tell_volunteer_if_planned(session, ctx, person, order.id, day)


def say_list_days(days: list[date], lang: str) -> str:

    return listing([say_day(d, lang) for d in days], lang)
