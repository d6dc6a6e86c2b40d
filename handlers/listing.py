""" "Mes commandes": what will come, the standing orders, their exceptions and the pauses.

Said from what will really happen (`models.orders.upcoming`, the evening job's rule), so the
tenant reads the same thing the volunteers will carry.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from handlers.replies import say
from handlers.texts import t
from handlers.texts.formats import day as say_day
from handlers.texts.formats import items as say_items
from handlers.texts.formats import weekdays as say_weekdays
from handlers.types import Reply
from models.config import WEEKDAYS
from models.context import Context
from models.orders import Upcoming, active_pauses, closed_dates, standing_orders, upcoming
from models.people import Person
from models.rules import MAX_DAYS_AHEAD, delivers, open_pause

LIST_DAYS = 21


def listing(session: Session, ctx: Context, person: Person) -> Reply:
    lang = person.language
    site = ctx.site(person.site_id)
    today = ctx.today(site)
    standing = standing_orders(session, person.id)
    pauses = active_pauses(session, person.id, today)
    coming = upcoming(
        session,
        person.id,
        today,
        LIST_DAYS,
        delivery_days(session, ctx, person, today),
        standing=standing,
        pauses=pauses,
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
    parts += _exceptions(ctx, lang, today, coming, standing, pauses)
    for pause in pauses[:2]:
        parts.append(
            t(
                lang,
                "list.pause_open" if open_pause(pause.start_on, pause.end_on) else "list.pause",
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


def delivery_days(session: Session, ctx: Context, person: Person, today: date) -> set[date]:
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
