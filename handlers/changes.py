"""Changing what is already booked: exactly what was asked, nothing else.

A cancellation that names items removes those items and keeps the rest ("pas d'eau jeudi"
keeps the bread); a standing order gets an exception for that date only, unless the tenant
says it is every week. A move takes the order from one day to another, a correction changes
one quantity or swaps one item, an addition adds to the order just made. Every reply restates
the whole day after the change, so the tenant sees what will come.

What a person gets on a day is one thing whatever its source: the day's order row if there is
one, else the standing order of that weekday (unless paused). Changing a day writes that day's
row (`set_day`), which the evening job then takes as it is, never the standing order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers.replies import say
from handlers.texts import t
from handlers.texts.formats import day as say_day
from handlers.texts.formats import items as say_items
from handlers.texts.formats import listing
from handlers.texts.formats import weekdays as say_weekdays
from handlers.types import Reply
from models.base import OrderStatus
from models.config import WEEKDAYS
from models.context import Context
from models.conversation import get_state, set_state
from models.orders import (
    OPEN,
    Order,
    Pause,
    StandingOrder,
    WriteMark,
    block_day,
    cancel_order,
    closed_dates,
    days_as_they_stand,
    drop_standing,
    open_orders,
    order_on,
    order_writes,
    pause_on,
    pause_span,
    place_order,
    set_standing,
    standing_orders,
    unchanged_since,
)
from models.people import Person
from models.rules import Verdict, check_day, cutoff_at, over_limit

LAST = "last_order"


def state_key(person: Person) -> str:
    """The person's conversation state: an open question, or (kind `LAST`, which is no question
    and never takes a message) the order just made. One row: read once per message."""
    return f"person:{person.id}"


def remember(
    session: Session,
    ctx: Context,
    person: Person,
    day: date | None,
    weekdays: list[str] = (),
    days: tuple[date, ...] = (),
) -> None:
    """The order just made: a day (with the other days of the same message, if several), or
    the weekdays of a standing order. The days booked earlier in the conversation stay known
    ("une baguette par jour la semaine prochaine" … "et un pack d'eau lundi" … "et samedi 2 au
    lieu d'une": that week's Saturday)."""
    said = [d.isoformat() for d in days] or ([day.isoformat()] if day else [])
    before = get_state(session, state_key(person), ctx.now())
    if said and before is not None and before.kind == LAST:
        said = list(dict.fromkeys([*before.data.get("days", []), *said]))
    data = {"day": day.isoformat() if day else None, "weekdays": list(weekdays),
            "days": said if days or len(said) > 1 else [], "at": ctx.now().isoformat()}  # fmt: skip
    set_state(
        session, state_key(person), LAST, data, ctx.now(), ctx.draft_ttl, person.id, question=False
    )


def recent(session: Session, ctx: Context, person: Person) -> dict[str, Any] | None:
    """The order made in this conversation (within the draft's lifetime), with its age."""
    state = get_state(session, state_key(person), ctx.now())
    if state is None or state.kind != LAST:
        return None
    data = dict(state.data)
    data["age"] = ctx.now() - datetime.fromisoformat(data["at"]) if data.get("at") else None
    return data


def remember_habit(
    session: Session,
    ctx: Context,
    person: Person,
    before: dict[str, dict[str, int]],
    after: dict[str, dict[str, int]],
) -> None:
    """A habit just changed, kept beside the order just made, so that the next message can
    take it back or move it ("non, c'est le mercredi, pas le mardi", "seulement ce vendredi")."""
    changed = sorted(d for d in {*before, *after} if before.get(d, {}) != after.get(d, {}))
    state = get_state(session, state_key(person), ctx.now())
    if not changed or (state is not None and state.kind != LAST):
        return  # nothing changed, or a question is open: it stays
    data = dict(state.data) if state is not None else {"day": None, "weekdays": [], "days": []}
    data["at"] = ctx.now().isoformat()
    data["habit"] = {
        "before": {d: before.get(d, {}) for d in changed},
        "after": {d: after.get(d, {}) for d in changed},
    }
    set_state(
        session, state_key(person), LAST, data, ctx.now(), ctx.draft_ttl, person.id, question=False
    )


def forget_habit(session: Session, ctx: Context, person: Person) -> None:
    """The habit change has been taken back or moved: a later "en fait…" is about something
    else."""
    state = get_state(session, state_key(person), ctx.now())
    if state is not None and state.kind == LAST and "habit" in state.data:
        data = {k: v for k, v in state.data.items() if k != "habit"}
        set_state(
            session, state_key(person), LAST, data, ctx.now(), ctx.draft_ttl, person.id,
            question=False,
        )  # fmt: skip


def put_habit(
    session: Session, ctx: Context, person: Person, weekday: str, items: dict[str, int]
) -> None:
    """That weekday's standing order becomes exactly `items` (a habit change taken back)."""
    drop_standing(session, person.id, [weekday])
    items = {k: n for k, n in items.items() if n > 0}
    if items:
        set_standing(session, person, [weekday], items, ctx.now())


def recent_day(session: Session, ctx: Context, person: Person) -> date | None:
    data = recent(session, ctx, person)
    return date.fromisoformat(data["day"]) if data and data.get("day") else None


def before_start(
    session: Session, ctx: Context, person: Person, weekdays: Any, since: date | None
) -> dict[date, dict[str, int]]:
    """What the days of `weekdays` from tomorrow to the day before `since` get now: a habit
    changed "à partir du 1er mars" leaves them as they are (`keep_as_before` puts them back)."""
    today = ctx.today(ctx.site(person.site_id))
    days = coming_days(ctx, person, (since or today) - timedelta(days=1), weekdays)
    return {d: on_day(session, person, d) for d in days}


def coming_days(ctx: Context, person: Person, end: date, weekdays: Any) -> list[date]:
    """The days of `weekdays` from tomorrow to `end`, inclusive."""
    today = ctx.today(ctx.site(person.site_id))
    days = (today + timedelta(days=k) for k in range(1, (end - today).days + 1))
    return [d for d in days if WEEKDAYS[d.weekday()] in weekdays]


def keep_as_before(
    session: Session, ctx: Context, person: Person, kept: dict[date, dict[str, int]]
) -> None:
    for day, items in kept.items():
        set_day(session, ctx, person, day, items, "standing")


def set_quantity_weekly(
    session: Session,
    ctx: Context,
    person: Person,
    weekdays: list[str],
    key: str,
    n: int,
    since: date | None = None,
) -> Reply | None:
    """ "du pain tous les jeudis" then "2": the standing order's quantity, every week. `since`
    ("à partir du mois de février"): the days before it keep what they had."""
    standing = standing_orders(session, person.id)
    if not all(key in standing.get(d, {}) for d in weekdays):
        return None
    kept = before_start(session, ctx, person, weekdays, since)
    set_standing(session, person, weekdays, {key: n}, ctx.now())
    keep_as_before(session, ctx, person, kept)
    lang = person.language
    return say(lang, "change.weekly_set", items=say_items({key: n}, lang, ctx.item_names),
               days=say_weekdays(weekdays, lang))  # fmt: skip


def next_with(
    session: Session, ctx: Context, person: Person, key: str, within: int = 7
) -> date | None:
    """The next delivery (from tomorrow, within a week) that holds `key`."""
    today = ctx.today(ctx.site(person.site_id))
    for k in range(1, within + 1):
        day = today + timedelta(days=k)
        if key in on_day(session, person, day):
            return day
    return None


def on_day(session: Session, person: Person, day: date) -> dict[str, int]:
    """What the person will get that day as things stand."""
    row = order_on(session, person.id, day)
    if row is not None:
        return dict(row.items) if row.status in OPEN else {}
    if pause_span(session, person.id, day) is not None:
        return {}
    return dict(
        standing_orders(session, person.id, WEEKDAYS[day.weekday()]).get(
            WEEKDAYS[day.weekday()], {}
        )
    )


def only_one_off(session: Session, ctx: Context, person: Person) -> date | None:
    """The day of the person's one open one-off order to come, when there is exactly one: what
    "move that to Wednesday" means a day after the order was made."""
    today = ctx.today(ctx.site(person.site_id))
    days = [o.delivery_date for o in open_orders(session, person.id, today) if not o.standing]
    days = [d for d in days if d > today]
    return days[0] if len(days) == 1 else None


def closed_days(ctx: Context, person: Person) -> dict[date, None]:
    """The days to come whose cut-off has passed: their rounds are planned."""
    site = ctx.site(person.site_id)
    now = ctx.local_now(site)
    return {  # today's round is out already and made of its own rows; tomorrow, after the cut-off
        d: None
        for d in (now.date() + timedelta(days=k) for k in range(1, 3))
        if cutoff_at(site, d) <= now
    }


@dataclass(frozen=True)
class Closed:
    """What the days past their cut-off had before a message acted (`snapshot`), and where the
    transaction's writes to orders stood then: `keep_closed` reads them again only if some
    write came since."""

    days: dict[date, dict[str, int]]
    mark: WriteMark | None


def as_they_stand(session: Session, person: Person, days: list[date]) -> dict[date, dict[str, int]]:
    """`on_day` for each day: in one statement (`days_as_they_stand`), or day by day when the
    session does not autoflush."""
    read = days_as_they_stand(session, person.id, days)
    if read is None:
        return {d: on_day(session, person, d) for d in days}
    return read


def snapshot(
    session: Session,
    ctx: Context,
    person: Person,
    read: dict[date, dict[str, int]] | None = None,
    mark: WriteMark | None = None,
) -> Closed:
    """The closed days as they stand, before the message changes anything. Every tenant request
    takes one (issue 17): it costs nothing before the cut-off, one statement after it, and
    nothing when the days were `read` just before (at `mark`)."""
    days = list(closed_days(ctx, person))
    if not days:
        return Closed({}, None)
    if read is not None and mark is not None and all(d in read for d in days):
        return Closed({d: read[d] for d in days}, mark)
    return Closed(as_they_stand(session, person, days), order_writes(session))


def keep_closed(session: Session, ctx: Context, person: Person, before: Closed) -> list[date]:
    """Days past their cut-off that a change reached (a standing order dropped at 18:30, a pause
    from tomorrow said tonight) get back what they had: that round is planned already. Returns
    them, for the reply to say so.

    When nothing was written to orders, lines, standing orders or pauses since the snapshot
    (most messages: a question, an order for another day), the days are as they were and are
    not read again."""
    if not before.days or (before.mark is not None and unchanged_since(session, before.mark)):
        return []
    now = as_they_stand(session, person, list(before.days))
    kept = []
    for day, items in before.days.items():
        if now[day] != items:
            set_day(session, ctx, person, day, items, "kept")
            if items:  # only worth saying when something asked away still comes
                kept.append(day)
    return kept


def restore_day(session: Session, ctx: Context, person: Person, day: date) -> bool:
    """ "Vendredi gardez le pain, c'est juste jeudi", "jeudi livrez-moi normalement": a day
    cancelled or paused gets back what it had (a one-off order, or the standing order). False
    when nothing held that day back."""
    changed = False
    row = order_on(session, person.id, day)
    if row is not None and row.status is OrderStatus.CANCELLED:
        if row.items and not row.standing:
            row.status, row.updated_at = OrderStatus.PENDING, ctx.now()
        else:
            session.delete(row)  # the standing order's day comes back
        changed = True
    q = pause_on(session, person.id, day)
    if q is not None:
        changed = True
        if q.start_on == day == q.end_on:
            session.delete(q)
        elif q.start_on == day:
            q.start_on = day + timedelta(days=1)
        elif q.end_on == day:
            q.end_on = day - timedelta(days=1)
        else:  # a day inside the absence: two absences around it
            after = Pause(
                person_id=person.id,
                start_on=day + timedelta(days=1),
                end_on=q.end_on,
                created_at=ctx.now(),
            )
            q.end_on = day - timedelta(days=1)
            session.add(after)
    session.flush()
    return changed


def back_to_standing(session: Session, ctx: Context, person: Person, day: date) -> bool:
    """A day just changed, said to be kept ("samedi on garde tout"): its standing order again,
    whatever the change was (False: no standing order that day, or nothing to undo)."""
    weekday = WEEKDAYS[day.weekday()]
    habit = standing_orders(session, person.id, weekday).get(weekday, {})
    if not habit or on_day(session, person, day) == habit:
        return False
    set_day(session, ctx, person, day, habit, "change")
    return True


def back_to_habit(session: Session, ctx: Context, person: Person, day: date) -> bool:
    """A day that has its standing order and something more: back to the standing order alone
    (False, nothing done, when the day has no standing order or nothing beyond it)."""
    weekday = WEEKDAYS[day.weekday()]
    habit = standing_orders(session, person.id, weekday).get(weekday, {})
    have = on_day(session, person, day)
    if not habit or have == habit or any(have.get(k, 0) < n for k, n in habit.items()):
        return False
    set_day(session, ctx, person, day, habit, "change")
    return True


def set_day(
    session: Session, ctx: Context, person: Person, day: date, items: dict[str, int], source: str
) -> None:
    """What the person gets that day from now on: exactly `items` (none: the day is cancelled)."""
    items = {k: n for k, n in items.items() if n > 0}
    row = order_on(session, person.id, day)
    if not items:
        if row is not None or on_day(session, person, day):
            block_day(session, person, day, ctx.now(), existing=row)
        return
    standing = (
        row.standing
        if row is not None
        else bool(standing_orders(session, person.id, WEEKDAYS[day.weekday()]))
    )
    place_order(
        session,
        person,
        day,
        items,
        now=ctx.now(),
        source=source,
        standing=standing,
        existing=row,
    )


def day_open(ctx: Context, person: Person, session: Session, day: date) -> Verdict:
    site = ctx.site(person.site_id)
    now_local = ctx.local_now(site)
    assert person.site_id is not None
    closed = closed_dates(session, person.site_id, day, day)
    return check_day(site, day, now_local, closed).verdict


def restate(ctx: Context, lang: str, day: date, items: dict[str, int]) -> str:
    """ "Jeudi 10 décembre : 2 baguettes." or "Pas de livraison jeudi 10 décembre." """
    if not items:
        return t(lang, "change.day_empty", day=say_day(day, lang))
    text = t(
        lang,
        "change.day_items",
        day=say_day(day, lang),
        items=say_items(items, lang, ctx.item_names),
    )
    return text[:1].upper() + text[1:]


def _name(ctx: Context, key: str, lang: str, n: int = 2) -> str:
    return ctx.config.item_name(key, lang, n)


def _names(ctx: Context, keys: tuple[str, ...], lang: str) -> str:
    """ "le pain et l'eau" said as "baguettes et packs d'eau": the items, without a number."""
    return listing([_name(ctx, k, lang) for k in keys], lang)


# --- cancelling items ------------------------------------------------------------------------
def cancel_items(
    session: Session, ctx: Context, person: Person, day: date, named: tuple[str, ...]
) -> Reply:
    """ "pas d'eau jeudi": the water goes, the bread stays."""
    lang = person.language
    have = on_day(session, person, day)
    gone = {k: n for k, n in have.items() if k in named}
    if not gone:
        what = _names(ctx, named, lang)
        return say(lang, "change.not_that_day", items=what, day=say_day(day, lang))
    left = {k: n for k, n in have.items() if k not in named}
    set_day(session, ctx, person, day, left, "change")
    if not left:
        return say(lang, "cancel.done", day=say_day(day, lang))
    removed = say_items(gone, lang, ctx.item_names)
    return Reply(
        t(lang, "change.removed", items=removed) + " " + restate(ctx, lang, day, left), lang
    )


def cancel_items_weekly(
    session: Session,
    ctx: Context,
    person: Person,
    weekdays: tuple[str, ...],
    named: tuple[str, ...],
    since: date | None = None,
) -> Reply:
    """ "plus d'eau le vendredi": those items leave the standing order of those weekdays (and the
    days already made from it); the other items stay. `since` ("à partir du 1er mars"): the
    days before it keep what they had."""
    lang = person.language
    standing = standing_orders(session, person.id)
    touched = [d for d in weekdays if any(k in standing.get(d, {}) for k in named)]
    if not touched and len(weekdays) == 1:  # no habit that day: "cancel the Friday loaf" is the
        today = ctx.today(ctx.site(person.site_id))  # loaf ordered for the coming Friday
        coming = (today + timedelta(days=k) for k in range(1, 8))
        day = next((d for d in coming if WEEKDAYS[d.weekday()] == weekdays[0]), None)
        if day is not None and set(named) & set(on_day(session, person, day)):
            return cancel_items(session, ctx, person, day, named)
    if not touched:
        return say(lang, "cancel.no_standing", days=say_weekdays(list(weekdays), lang))
    today = ctx.today(ctx.site(person.site_id))
    keep = before_start(session, ctx, person, touched, since)
    session.execute(
        sa.delete(StandingOrder).where(
            StandingOrder.person_id == person.id,
            StandingOrder.weekday.in_(touched),
            StandingOrder.item_key.in_(named),
        )
    )
    for order in open_orders(session, person.id, today):
        if order.standing and WEEKDAYS[order.delivery_date.weekday()] in touched:
            if order.delivery_date in keep:
                continue
            left = {k: n for k, n in order.items.items() if k not in named}
            set_day(session, ctx, person, order.delivery_date, left, "change")
    keep_as_before(session, ctx, person, keep)  # until the day said, as before
    if not any(standing_orders(session, person.id, d) for d in touched):
        return say(lang, "cancel.standing_done", days=say_weekdays(touched, lang))
    gone = _names(ctx, named, lang)
    return say(lang, "change.weekly_removed", items=gone, days=say_weekdays(touched, lang))


# --- moving, correcting, adding --------------------------------------------------------------
def move(
    session: Session,
    ctx: Context,
    person: Person,
    start: date,
    end: date,
    named: tuple[str, ...] = (),
    add: bool = False,
) -> Reply | None:
    """The order of `start` (or only the items named) goes to `end`, on top of what `end` has
    when `add` ("en plus de celle du vendredi"). None: nothing on either day to move (the
    message is then read as it stands)."""
    lang = person.language
    have = on_day(session, person, start)
    moving = {k: n for k, n in have.items() if not named or k in named}
    if not moving:
        return None
    habit = standing_orders(session, person.id, WEEKDAYS[start.weekday()]).get(
        WEEKDAYS[start.weekday()], {}
    )
    extra = {k: n - habit.get(k, 0) for k, n in moving.items() if n > habit.get(k, 0)}
    if habit and extra and all(have.get(k, 0) >= n for k, n in habit.items()):
        # "rajoutez 2 baguettes mercredi" … "pas mercredi, jeudi": what was added moves, the
        # usual delivery of Wednesday stays
        moving, have = extra, {k: n - extra.get(k, 0) for k, n in have.items()}
        habit_stays = True
    else:
        habit_stays = False
    verdict = day_open(ctx, person, session, end)
    if verdict is not Verdict.OK:
        return Reply(
            t(lang, f"order.refused.{verdict.value}", day=say_day(end, lang),
              weekday=say_weekdays([WEEKDAYS[end.weekday()]], lang),
              cutoff=ctx.site(person.site_id).order_cutoff.strftime("%H:%M"))
            + " " + t(lang, "change.kept", day=say_day(start, lang)),
            lang,
        )  # fmt: skip
    there = on_day(session, person, end)
    if habit and not habit_stays and all(n <= habit.get(k, 0) for k, n in moving.items()):
        add = True  # "le pain de samedi mettez-le vendredi": Friday's own bread stays
    both = (lambda a, b: a + b) if add else max
    target = {k: both(there.get(k, 0), moving.get(k, 0)) for k in {*there, *moving}}
    over = over_limit(ctx.config, target)
    if over:
        target[over] = ctx.config.catalogue[over].max_per_delivery
    left = {k: n for k, n in have.items() if k not in moving or habit_stays}
    was = {start.isoformat(): on_day(session, person, start), end.isoformat(): there}
    set_day(session, ctx, person, start, left, "change")
    set_day(session, ctx, person, end, target, "change")
    remember(session, ctx, person, end)
    _note_move(session, ctx, person, start, end, was)
    text = " ".join(
        [t(lang, "change.moved"), restate(ctx, lang, end, target), restate(ctx, lang, start, left)]
    )
    return Reply(text, lang)


def _note_move(
    session: Session,
    ctx: Context,
    person: Person,
    start: date,
    end: date,
    was: dict[str, dict[str, int]],
) -> None:
    """The move just made, with what both days had, so that "ah non, c'est jeudi que je ne suis
    pas là" or "I mean Wednesday's, not Tuesday's" can take it back (`undo_move`)."""
    state = get_state(session, state_key(person), ctx.now())
    if state is None or state.kind != LAST:
        return
    data = {**state.data, "moved": {"from": start.isoformat(), "to": end.isoformat(), "was": was}}
    set_state(
        session, state_key(person), LAST, data, ctx.now(), ctx.draft_ttl, person.id, question=False
    )


def undo_move(session: Session, ctx: Context, person: Person, moved: dict[str, Any]) -> None:
    """Both days of the move just made as they were before it."""
    for day, items in moved["was"].items():
        set_day(session, ctx, person, date.fromisoformat(day), items, "change")
    state = get_state(session, state_key(person), ctx.now())
    if state is not None and state.kind == LAST:
        data = {k: v for k, v in state.data.items() if k not in ("moved", "day", "days")}
        data["day"] = None
        set_state(
            session, state_key(person), LAST, data, ctx.now(), ctx.draft_ttl, person.id,
            question=False,
        )  # fmt: skip


def correct(
    session: Session, ctx: Context, person: Person, day: date, frame: Any, items: dict[str, int]
) -> Reply | None:
    """ "c'est 2 pas 3", "mettez 3 au lieu de 2", "plutôt du pain à la place de l'eau",
    "rajoutez un pack d'eau" about the order of `day`. None when it does not apply."""
    lang = person.language
    have = on_day(session, person, day)
    if not have:
        return None
    new = dict(have)
    if frame.swap is not None and frame.adding and frame.swap[1] in have:
        fresh, old = frame.swap  # "pas une baguette : un pack d'eau en plus": the extra swapped
        gone = min(items.get(old) or 1, have[old])
        new[old] = have[old] - gone
        new[fresh] = have.get(fresh, 0) + (items.get(fresh) or gone)
        new = {k: n for k, n in new.items() if n > 0}
    elif frame.swap is not None:
        fresh, old = frame.swap
        if old not in have:
            return None
        qty = items.get(fresh) or have[old]
        new.pop(old)
        new[fresh] = qty
    elif (
        frame.quantity is not None
        and not frame.adding
        and len(said := {k: n for k, n in frame.asked if n}) > 1
        and set(said) <= set(have)
    ):  # "1 pain au lieu de 2 et 2 packs d'eau au lieu de 1": each its number
        new.update(said)
    elif frame.quantity is not None:
        value, old_value = frame.quantity
        keys = [k for k in frame.named if k in have and k not in frame.refused] or list(have)
        if len(keys) > 1 and old_value is not None:  # "2 packs d'eau au lieu d'un": the one at 1
            keys = [k for k in keys if have[k] == old_value]
        if len(keys) > 1:
            keys = [k for k, n in frame.asked if n == value and k in keys]
        if len(keys) != 1:
            return None
        extra = (  # "finalement 1 seule baguette en plus, pas 2": the extra changes, not the day
            frame.adding
            and old_value is not None
            and {k for k, _ in frame.asked} <= {keys[0]}
            and have[keys[0]] > old_value
        )
        new[keys[0]] = have[keys[0]] - old_value + value if extra else value
        if frame.adding and not extra:  # "2 baguettes au lieu d'une, et ajoutez un pack d'eau"
            new.update({k: n for k, n in items.items() if k not in have and n})
    elif frame.removing and frame.asked:
        for k, n in frame.asked:  # "enlevez une baguette": one less, not all of them
            if k not in have:
                return None
            new[k] = max(0, have[k] - (n or have[k]))
    elif frame.adding and items:
        counted = {k for k, n in frame.asked if n is not None}
        for k, n in items.items():  # "mettez 1 seule baguette mais rajoutez un pack d'eau"
            if k in have and k not in counted and counted - {k}:
                continue  # "aussi un pack d'eau avec la baguette": the bread already there
            new[k] = n if k in frame.exact else have.get(k, 0) + n
    else:
        return None
    for k in frame.refused:  # "pas de pain mais 2 packs d'eau au lieu d'un"
        if not (frame.swap and frame.swap[0] == k):
            new.pop(k, None)
    over = over_limit(ctx.config, new)
    if over:
        most = ctx.config.catalogue[over].max_per_delivery
        return say(lang, "order.over_limit_kept", n=most, item=_name(ctx, over, lang, most),
                   day=say_day(day, lang))  # fmt: skip
    verdict = day_open(ctx, person, session, day)
    if verdict is not Verdict.OK:
        return say(lang, "change.too_late", day=say_day(day, lang))
    set_day(session, ctx, person, day, new, "change")
    remember(session, ctx, person, day)
    return Reply(t(lang, "change.done") + " " + restate(ctx, lang, day, new), lang)


def restrict(
    session: Session, ctx: Context, person: Person, day: date, items: dict[str, int]
) -> Reply:
    """ "Samedi je ne veux que l'eau", "non, mercredi c'est 1 baguette et 1 pack d'eau": the day
    has exactly these items now."""
    lang = person.language
    over = over_limit(ctx.config, items)
    if over:
        most = ctx.config.catalogue[over].max_per_delivery
        return say(lang, "order.over_limit_kept", n=most, item=_name(ctx, over, lang, most),
                   day=say_day(day, lang))  # fmt: skip
    have = on_day(session, person, day)
    adds = any(n > have.get(k, 0) for k, n in items.items())
    if adds and day_open(ctx, person, session, day) is not Verdict.OK:
        return say(lang, "change.too_late", day=say_day(day, lang))
    set_day(session, ctx, person, day, items, "change")
    remember(session, ctx, person, day)
    return Reply(t(lang, "change.done") + " " + restate(ctx, lang, day, items), lang)


def each_delivery(
    session: Session, ctx: Context, person: Person, days: list[date], key: str, n: int
) -> Reply | None:
    """ "La semaine prochaine seulement, 1 baguette au lieu de 2 à chaque livraison": that
    item's number on every day of the span that brings it (the other items stay). None when no
    day of the span brings it."""
    lang = person.language
    today = ctx.today(ctx.site(person.site_id))
    parts: list[str] = []
    changed: list[date] = []
    for day in days:
        have = on_day(session, person, day)
        if day <= today or key not in have:
            continue
        if n == have[key]:
            parts.append(restate(ctx, lang, day, have))
            continue
        if day_open(ctx, person, session, day) is not Verdict.OK:  # its round is planned
            parts.append(t(lang, "change.too_late", day=say_day(day, lang)))
            continue
        new = {**have, key: n}
        set_day(session, ctx, person, day, new, "change")
        changed.append(day)
        parts.append(restate(ctx, lang, day, new))
    if not parts:
        return None
    if changed:
        remember(session, ctx, person, changed[0], days=tuple(changed))
    return Reply(t(lang, "change.done") + " " + " ".join(parts), lang)


def replace_recent(
    session: Session, ctx: Context, person: Person, recent: date, p: Any, msg: Any
) -> Reply | None:
    """ "Actually, 2 packs of water for Tuesday instead": the order just made goes, this one
    comes. Only when the new day can be ordered."""
    if day_open(ctx, person, session, p.date) is not Verdict.OK:
        return None
    lang = person.language
    set_day(session, ctx, person, recent, {}, "change")
    have = on_day(session, person, p.date)
    final = {**have, **p.items}
    set_day(session, ctx, person, p.date, final, msg.channel)
    remember(session, ctx, person, p.date)
    text = " ".join(
        [t(lang, "change.done"), restate(ctx, lang, p.date, final), restate(ctx, lang, recent, {})]
    )
    return Reply(text, lang)


def add_weekly(
    session: Session,
    ctx: Context,
    person: Person,
    weekdays: list[str],
    items: dict[str, int],
    since: date | None = None,
) -> Reply:
    """ "Ajoutez-moi un pack d'eau le samedi avec le pain": added to the standing order.
    `since` ("chaque jeudi à partir du 4 mars"): the days before it keep what they had."""
    lang = person.language
    standing = standing_orders(session, person.id)
    site = ctx.site(person.site_id)
    days = [d for d in weekdays if d in site.delivery_weekdays]
    final: dict[str, dict[str, int]] = {}
    today = ctx.today(site)
    kept = before_start(session, ctx, person, days, since) if since is not None else {}
    dated = [  # the days of those weekdays already set apart ("jusqu'à Noël", "pas d'eau ce
        o  # samedi"): they get the addition too, unless nothing is delivered then
        for o in open_orders(session, person.id, today)
        if o.delivery_date > today
        and WEEKDAYS[o.delivery_date.weekday()] in days
        and o.items
        and o.delivery_date not in kept
    ]
    for d in days:
        current = standing.get(d, {})
        final[d] = {k: current.get(k, 0) + n for k, n in items.items()}
        set_standing(session, person, [d], final[d], ctx.now())
    keep_as_before(session, ctx, person, kept)
    for o in dated:
        there = dict(o.items)
        more = {k: there.get(k, 0) + n for k, n in items.items()}
        set_day(session, ctx, person, o.delivery_date, {**there, **more}, "change")
    remember(session, ctx, person, None, days)
    said: dict[tuple[tuple[str, int], ...], list[str]] = {}
    for d in days:  # the numbers each day now has, not the ones added
        said.setdefault(tuple(sorted(final[d].items())), []).append(d)
    return Reply(
        " ".join(
            t(
                lang,
                "change.weekly_set",
                items=say_items(dict(got), lang, ctx.item_names),
                days=say_weekdays(group, lang),
            )
            for got, group in said.items()
        ),
        lang,
    )


# --- several days, the usual -----------------------------------------------------------------
def several_days(
    session: Session,
    ctx: Context,
    person: Person,
    segments: tuple[tuple[date, tuple[tuple[str, int], ...]], ...],
    source: str,
    raw: str,
    adding: bool = False,
    exact: bool = False,
) -> Reply:
    """ "deux baguettes lundi et deux packs d'eau mardi": one order a day, one reply for all.
    A day that cannot be ordered is said, the others are booked; items are added to what that
    day already has (each day was asked for on its own)."""
    lang = person.language
    made: list[date] = []
    booked: list[str] = []
    refused: list[str] = []
    empty: list[str] = []
    site = ctx.site(person.site_id)
    for day, pairs in segments:
        items = dict(pairs)
        verdict = day_open(ctx, person, session, day)
        adds = any(n > 0 for k, n in items.items() if k != "*")
        if verdict is not Verdict.OK and (adds or verdict is Verdict.PAST):
            refused.append(
                t(lang, f"order.refused.{verdict.value}", day=say_day(day, lang),
                  weekday=say_weekdays([WEEKDAYS[day.weekday()]], lang),
                  cutoff=site.order_cutoff.strftime("%H:%M"))
            )  # fmt: skip
            continue
        have = on_day(session, person, day)
        if "*" in items:
            final: dict[str, int] = {}
        elif adding:
            final = {k: have.get(k, 0) + items.get(k, 0) for k in {*have, *items}}
        elif exact:  # "vendredi seulement une baguette au lieu de deux"
            final = {**have, **items}
        else:
            final = {k: max(have.get(k, 0), items.get(k, 0)) for k in {*have, *items}}
        final = {k: n for k, n in final.items() if items.get(k, 1)}  # 0: refused that day
        if final == have:
            if final:  # a day with nothing before nor after is not worth a line
                booked.append(restate(ctx, lang, day, final))
            else:
                empty.append(restate(ctx, lang, day, final))
            continue
        over = over_limit(ctx.config, final)
        if over:
            final[over] = ctx.config.catalogue[over].max_per_delivery
        set_day(session, ctx, person, day, final, source)
        booked.append(restate(ctx, lang, day, final))
        made.append(day)
        remember(session, ctx, person, day, days=tuple(made))
    parts = []
    if booked or empty:
        parts.append(t(lang, "change.booked") + " " + " ".join(booked or empty))
    parts += refused
    return Reply(" ".join(parts), lang)


def last_week(session: Session, person: Person, today: date) -> tuple[date, dict[str, int]] | None:
    """The most recent order delivered or booked up to today (this morning's round included:
    "comme d'hab pour mardi" said on the Tuesday of the last one), for "comme d'habitude"."""
    row = session.scalar(
        sa.select(Order)
        .where(
            Order.person_id == person.id,
            Order.delivery_date <= today,
            Order.status.in_((*OPEN, OrderStatus.DELIVERED)),
        )
        .order_by(Order.delivery_date.desc())
        .limit(1)
    )
    if row is None or not row.items:
        return None
    return row.delivery_date, dict(row.items)


def last_week_orders(
    session: Session, person: Person, today: date
) -> list[tuple[date, dict[str, int]]]:
    """The one-off orders of the week that ended with the most recent one ("comme d'habitude"
    after "2 baguettes mercredi" and "1 pack d'eau samedi": both), oldest first."""
    last = last_week(session, person, today)
    if last is None:
        return []
    rows = session.scalars(
        sa.select(Order)
        .where(
            Order.person_id == person.id,
            Order.delivery_date > last[0] - timedelta(days=7),
            Order.delivery_date <= last[0],
            Order.status.in_((*OPEN, OrderStatus.DELIVERED)),
            Order.standing.is_(False),
        )
        .order_by(Order.delivery_date)
    )
    return [(row.delivery_date, dict(row.items)) for row in rows if row.items]


__all__ = [
    "cancel_items",
    "cancel_items_weekly",
    "cancel_order",
    "correct",
    "move",
    "on_day",
    "recent_day",
    "remember",
    "restate",
    "set_day",
    "set_standing",
    "several_days",
]


def set_capped(
    session: Session, ctx: Context, person: Person, day: date, items: dict[str, int]
) -> dict[str, int]:
    """`set_day` with each item held to its maximum per delivery; returns what was set."""
    items = dict(items)
    over = over_limit(ctx.config, items)
    if over:
        items[over] = ctx.config.catalogue[over].max_per_delivery
    set_day(session, ctx, person, day, items, "change")
    return items


def refused_day(ctx: Context, person: Person, day: date, verdict: Verdict) -> Reply:
    """Why `day` cannot be changed (past its cut-off, closed, a Sunday)."""
    lang = person.language
    return Reply(
        t(lang, f"order.refused.{verdict.value}", day=say_day(day, lang),
          weekday=say_weekdays([WEEKDAYS[day.weekday()]], lang),
          cutoff=ctx.site(person.site_id).order_cutoff.strftime("%H:%M")),
        lang,
    )  # fmt: skip


def changed_days(
    session: Session, ctx: Context, person: Person, lead: str, days: list[date]
) -> Reply:
    """Days just changed: remembered as the ones this talk is about, then restated."""
    remember(session, ctx, person, days[-1], days=tuple(days))
    return restate_days(session, ctx, person, lead, days)


def restate_days(session: Session, ctx: Context, person: Person, lead: str, days: Any) -> Reply:
    """The text `lead` ("change.done", …) then each day as it now stands, in the order given."""
    lang = person.language
    said = [restate(ctx, lang, d, on_day(session, person, d)) for d in days]
    return Reply(" ".join([t(lang, lead), *said]), lang)
