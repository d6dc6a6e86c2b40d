"""Two days exchanged: "c'est l'inverse", "swap them round", "pouvez-vous échanger lundi et
mercredi ?", "I got them the wrong way round. The water on Tuesday and the bread on Thursday".

What moves is what the tenant asked for each day in this conversation (`touched`): "2
baguettes jeudi, 1 pack d'eau samedi" … "l'inverse" puts the water on Thursday and the bread on
Saturday; "mercredi pas d'eau, vendredi pas de pain" … "c'est l'inverse" gives Wednesday its
water back and takes its bread off, and the other way round on Friday, whatever comes there
every week. Days the conversation has not changed exchange what they have ("cette semaine
inversez mes livraisons de jeudi et vendredi"). Items named alone limit the exchange to them
("inverser mes pains": the water stays).

Which two days: the two said in the message (less one said unchanged: "le mardi ça change
pas"), else the two the conversation changed."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy.orm import Session

from handlers import changes, touched
from handlers.nlu import Parse
from handlers.nlu.dates import Day, resolve
from handlers.replies import fold
from handlers.types import Inbound, Reply
from models.config import WEEKDAYS
from models.context import Context
from models.people import Person
from models.rules import Verdict

SWAP = re.compile(
    r"\b(?:l inverse|le contraire|inverse[rz]|inversez|echange[rz]|echangez|on echange|permute[rz]"
    r"|swap(?:ped|ping)?|the other way (?:round|around)|wrong way (?:round|around)"
    r"|mixed (?:them|those|it|the days) up|mixed up the days|the reverse|reverse them)\b"
)
_NOT_A_SWAP = re.compile(r"\bcontre\b|\bfor (?:a|some|one|two|2)\b")  # "échanger le pain contre…"


def swap(session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse) -> Reply | None:
    folded = fold(msg.text)
    if not SWAP.search(folded) or _NOT_A_SWAP.search(folded):
        return None
    base = touched.before_conversation(session, ctx, person)
    days = _days(ctx, person, p, base)
    if days is None:
        return None
    for d in days:
        verdict = changes.day_open(ctx, person, session, d)
        if verdict is not Verdict.OK:
            return changes.refused_day(ctx, person, d, verdict)
    one, two = days
    now = {d: changes.on_day(session, person, d) for d in days}
    keys = set(p.frame.named) if p.frame.named and not p.frame.asked else None
    if one not in base and two not in base:
        new = {one: _exchange(now[one], now[two], keys), two: _exchange(now[two], now[one], keys)}
    else:
        was = {d: base.get(d, now[d]) for d in days}
        asked = {d: touched.asked(was[d], now[d]) for d in days}
        new = {
            one: _apply(was[one], now[one], asked[two], keys),
            two: _apply(was[two], now[two], asked[one], keys),
        }
    if new == now:
        return None
    for d in days:
        changes.set_capped(session, ctx, person, d, new[d])
    changes.remember(session, ctx, person, two, days=days)
    return changes.restate_days(session, ctx, person, "change.swapped", sorted(days))


def _days(
    ctx: Context, person: Person, p: Parse, base: dict[date, dict[str, int]]
) -> tuple[date, date] | None:
    f = p.frame
    kept = set(f.kept_days) | {d for d in f.days if WEEKDAYS[d.weekday()] in f.kept_weekdays}
    said = [d for d in dict.fromkeys(f.days) if d not in kept]
    if len(said) < 2 and len(f.weekday_names) >= 2:
        said = [
            d
            for d in dict.fromkeys(_weekday(ctx, person, p, k, base) for k in f.weekday_names)
            if d is not None and d not in kept and WEEKDAYS[d.weekday()] not in f.kept_weekdays
        ]
    if len(said) == 2:
        return said[0], said[1]
    if said:
        return None
    today = ctx.today(ctx.site(person.site_id))
    changed = [d for d in sorted(base) if d > today]
    return (changed[0], changed[1]) if len(changed) == 2 else None


def _weekday(
    ctx: Context, person: Person, p: Parse, name: str, base: dict[date, dict[str, int]]
) -> date | None:
    """The day of a weekday said: the one of the week said, else the one this conversation
    changed, else the next."""
    wd = WEEKDAYS.index(name)
    week = p.frame.week
    if week is not None:
        return week[0] + timedelta(days=(wd - week[0].weekday()) % 7)
    changed = [d for d in sorted(base) if d.weekday() == wd]
    if len(changed) == 1:
        return changed[0]
    return resolve(Day("wd", weekday=wd), ctx.today(ctx.site(person.site_id))).date


def _apply(
    was: dict[str, int], now: dict[str, int], asked: dict[str, int], keys: set[str] | None
) -> dict[str, int]:
    """The day as it was, with the other day's request instead of its own (for the items
    `keys`, else all; other items stay as they are now)."""
    if keys is None:
        return touched.applied(was, asked)
    start = {k: n for k, n in now.items() if k not in keys} | {k: was[k] for k in keys if k in was}
    return touched.applied(start, {k: n for k, n in asked.items() if k in keys})


def _exchange(
    mine: dict[str, int], theirs: dict[str, int], keys: set[str] | None
) -> dict[str, int]:
    if keys is None:
        return dict(theirs)
    out = {k: n for k, n in mine.items() if k not in keys}
    out.update({k: n for k, n in theirs.items() if k in keys})
    return out
