"""Coordinators' work on people: `/attente`, `/valider N`, `/refuser N`, `/locataire NOM`, and
`/pause NOM jusqu'au …` on a tenant's behalf.

Approving and refusing reuse `people_admin` (the newcomer is told, the audit log written). A
look-up shows what a coordinator needs on the phone with a tenant: address, standing orders,
pauses, what is coming and what happened lately; it is written to the audit log too, since it
shows personal data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers.access import CLI, Actor, deny, site_name
from handlers.notify import tell
from handlers.people_admin import approve_person, audit, refuse_person
from handlers.periods import normalise, read_day
from handlers.replies import fold
from handlers.texts import t
from handlers.texts.formats import address as say_address
from handlers.texts.formats import day as say_day
from handlers.texts.formats import day_short, listing
from handlers.texts.formats import items as say_items
from handlers.texts.formats import weekdays as say_weekdays
from handlers.types import Refusal, Reply
from handlers.visit_changes import after_pause
from models.base import OrderStatus, PersonStatus
from models.context import Context
from models.orders import Order, active_pauses, add_pause, closed_dates, standing_orders, upcoming
from models.people import Person
from models.phones import try_normalise
from models.rounds import Round, Stop
from models.rules import MAX_DAYS_AHEAD, delivers

PENDING_SHOWN = 15
MATCHES_SHOWN = 8
LAST_SHOWN = 5
UPCOMING_DAYS = 14
OPEN = (OrderStatus.PENDING, OrderStatus.PLANNED)
UNTIL = re.compile(r"\b(?:jusqu|until|till|du|from|a partir|des|depuis)\b")


# --- pending registrations ------------------------------------------------------------------
def pending(session: Session, ctx: Context, actor: Actor, site_ids: Sequence[int]) -> str:
    lang = actor.lang
    rows = list(
        session.scalars(
            sa.select(Person)
            .where(
                Person.status == PersonStatus.PENDING,
                Person.erased_at.is_(None),
                sa.or_(Person.site_id.in_(list(site_ids)), Person.site_id.is_(None)),
            )
            .order_by(Person.created_at, Person.id)
        )
    )
    if not rows:
        return t(lang, "coord.pending.none")
    lines = [t(lang, "coord.pending.header", n=len(rows))]
    for p in rows[:PENDING_SHOWN]:
        address = (
            p.tenant.address_text
            if p.tenant and p.tenant.address_text
            else t(lang, "address.unknown")
        )
        zone = ctx.site(p.site_id).zone
        created = p.created_at.astimezone(zone).date()
        today = ctx.now().astimezone(zone).date()
        since = (
            t(lang, "coord.today")
            if created == today
            else say_day(created, lang, year=created.year != today.year)
        )
        lines.append(
            t(
                lang,
                "coord.pending.line",
                id=p.id,
                name=p.name or "?",
                address=address,
                phone=p.phone or "Telegram",
                since=since,
            )
        )
    if len(rows) > PENDING_SHOWN:
        lines.append(t(lang, "coord.more", n=len(rows) - PENDING_SHOWN))
    lines.append(t(lang, _cli(actor, "coord.pending.how")))
    return "\n".join(lines)


def _cli(actor: Actor, key: str) -> str:
    """The variant of a text that names the command-line commands, for the command line."""
    return f"{key}_cli" if actor.channel == CLI else key


def _pending_person(
    session: Session, ctx: Context, actor: Actor, who: str, command: str
) -> tuple[Person | None, str | None]:
    """The pending person a `/valider N` is about, or the reason it cannot be done."""
    lang = actor.lang
    word = who.strip().lstrip("#n°").strip()
    if not word:
        return None, Refusal(t(lang, "coord.pending.which"))
    person = None
    if word.isdigit() and len(word) < 9:
        person = session.get(Person, int(word))
    else:
        phone = try_normalise(word)
        if phone:
            person = session.scalar(sa.select(Person).where(Person.phone == phone))
    if person is None or person.erased_at is not None:
        return None, Refusal(t(lang, _cli(actor, "coord.pending.unknown"), who=word))
    if not actor.covers(person.site_id) and person.site_id is not None:
        deny(session, ctx, actor, command, "other site", person=person.id)
        assert actor.site_id is not None
        return None, Refusal(
            t(lang, "coord.access.other_site", site=site_name(session, ctx, actor.site_id))
        )
    if person.status is not PersonStatus.PENDING:
        state = t(lang, f"coord.status.{person.status.value}")
        return None, Refusal(
            t(lang, "coord.pending.not_pending", id=person.id, name=person.name, status=state)
        )
    return person, None


def approve(session: Session, ctx: Context, actor: Actor, who: str) -> str:
    person, why = _pending_person(session, ctx, actor, who, "approve")
    if person is None:
        return why or ""
    approve_person(session, ctx, str(person.id), actor.who)
    return t(actor.lang, "coord.pending.approved", id=person.id, name=person.name)


def refuse(session: Session, ctx: Context, actor: Actor, who: str) -> str:
    person, why = _pending_person(session, ctx, actor, who, "refuse")
    if person is None:
        return why or ""
    refuse_person(session, ctx, str(person.id), actor.who)
    return t(actor.lang, "coord.pending.refused", id=person.id, name=person.name)


# --- finding a tenant ---------------------------------------------------------------------
def find_tenants(session: Session, site_ids: Sequence[int], query: str) -> list[Person]:
    """Tenants of these sites by number ("12", "#12"), phone, or name words in any order,
    accents and case aside ("pouli", "Jeanne Pouli", "POULI jeanne")."""
    word = query.strip().lstrip("#n°").strip()
    scope = sa.and_(
        Person.is_tenant.is_(True), Person.erased_at.is_(None), Person.site_id.in_(list(site_ids))
    )
    if word.isdigit() and len(word) < 9:
        return list(session.scalars(sa.select(Person).where(scope, Person.id == int(word))))
    phone = try_normalise(word)
    if phone and any(c.isdigit() for c in word):
        return list(session.scalars(sa.select(Person).where(scope, Person.phone == phone)))
    wanted = fold(query).split()
    if not wanted:
        return []
    rows = session.execute(
        sa.select(Person.id, Person.name).where(scope).order_by(Person.name)
    ).all()
    ids = [
        pid for pid, name in rows if all(w in fold(name).split() or w in fold(name) for w in wanted)
    ]
    exact = [pid for pid, name in rows if pid in ids and set(wanted) <= set(fold(name).split())]
    chosen = exact or ids
    if not chosen:
        return []
    return list(
        session.scalars(sa.select(Person).where(Person.id.in_(chosen)).order_by(Person.name))
    )


def which_one(lang: str, found: Sequence[Person], query: str) -> str:
    if not found:
        return Refusal(t(lang, "coord.tenant.none", query=query))
    names = [t(lang, "coord.tenant.choice", id=p.id, name=p.name) for p in found[:MATCHES_SHOWN]]
    more = (
        " " + t(lang, "coord.more", n=len(found) - MATCHES_SHOWN)
        if len(found) > MATCHES_SHOWN
        else ""
    )
    return Refusal(
        t(lang, "coord.tenant.several", n=len(found), names=listing(names, lang), more=more)
    )


def tenant_card(
    session: Session, ctx: Context, actor: Actor, site_ids: Sequence[int], query: str
) -> str:
    lang = actor.lang
    found = find_tenants(session, site_ids, query)
    if len(found) != 1:
        return which_one(lang, found, query)
    person = found[0]
    audit(session, ctx, actor.who, "view_tenant", f"person:{person.id}", channel=actor.channel)
    return card(session, ctx, lang, person)


def card(session: Session, ctx: Context, lang: str, person: Person) -> str:
    site = ctx.site(person.site_id)
    today = ctx.today(site)
    channels = [c for c, on in (("SMS", person.phone), ("Telegram", person.telegram_id)) if on]
    lines = [
        t(
            lang,
            "coord.tenant.head",
            name=person.name,
            id=person.id,
            phone=person.phone or "-",
            channels=", ".join(channels) or "-",
            language=t(lang, f"coord.language.{person.language}"),
        )
    ]
    profile = person.tenant
    address = say_address(person, lang)
    if profile is not None and not profile.building and profile.address_text:
        address = profile.address_text
    lines.append(t(lang, "coord.tenant.address", address=address))
    if person.status is not PersonStatus.ACTIVE:
        lines.append(
            t(lang, "coord.tenant.status", status=t(lang, f"coord.status.{person.status.value}"))
        )
    if person.opted_out_at is not None:
        lines.append(
            t(
                lang,
                "coord.tenant.stopped",
                day=say_day(person.opted_out_at.astimezone(site.zone).date(), lang),
            )
        )
    if profile is not None:
        needs = [t(lang, f"coord.need.{n}") for n in profile.needs]
        if profile.bread_bag:
            needs.append(t(lang, "coord.need.bread_bag"))
        if profile.time_need:
            needs.append(profile.time_need)
        if profile.notes:
            needs.append(profile.notes)
        if needs:
            lines.append(t(lang, "coord.tenant.needs", needs=", ".join(needs)))
    standing = standing_orders(session, person.id)
    if standing:
        by_items: dict[tuple[tuple[str, int], ...], list[str]] = {}
        for wd, items in standing.items():
            by_items.setdefault(tuple(sorted(items.items())), []).append(wd)
        parts = [
            t(
                lang,
                "list.standing",
                days=say_weekdays(days, lang),
                items=say_items(dict(k), lang, ctx.item_names),
            )
            for k, days in by_items.items()
        ]
        lines.append(t(lang, "coord.tenant.standing", list=" ".join(parts)))
    pauses = active_pauses(session, person.id, today)
    if pauses:
        lines.append(
            t(
                lang,
                "coord.tenant.pauses",
                list=listing(
                    [
                        t(
                            lang,
                            "coord.tenant.pause",
                            start=say_day(p.start_on, lang),
                            end=say_day(p.end_on, lang),
                        )
                        for p in pauses[:3]
                    ],
                    lang,
                ),
            )
        )
    assert person.site_id is not None
    closed = closed_dates(session, person.site_id, today, today + timedelta(days=UPCOMING_DAYS))
    delivery_days = {
        today + timedelta(days=i)
        for i in range(UPCOMING_DAYS + 1)
        if delivers(site, today + timedelta(days=i), closed)
    }
    coming = upcoming(session, person.id, today, UPCOMING_DAYS, delivery_days)[:4]
    if coming:
        lines.append(
            t(
                lang,
                "coord.tenant.coming",
                list="; ".join(
                    t(
                        lang,
                        "coord.tenant.coming_line",
                        day=day_short(u.day, lang),
                        items=say_items(u.items, lang, ctx.item_names),
                    )
                    for u in coming
                ),
            )
        )
    last = session.scalars(
        sa.select(Order)
        .where(
            Order.person_id == person.id,
            Order.delivery_date < today,
            Order.status.in_((OrderStatus.DELIVERED, OrderStatus.FAILED, OrderStatus.CANCELLED)),
        )
        .order_by(Order.delivery_date.desc())
        .limit(LAST_SHOWN)
    ).all()
    if last:
        lines.append(
            t(
                lang,
                "coord.tenant.last",
                list="; ".join(
                    t(
                        lang,
                        "coord.tenant.last_line",
                        day=say_day(o.delivery_date, lang),
                        status=t(lang, f"coord.order_status.{o.status.value}"),
                        items=say_items(o.items, lang, ctx.item_names) or "-",
                    )
                    for o in last
                ),
            )
        )
    else:
        lines.append(t(lang, "coord.tenant.no_history"))
    return "\n".join(lines)


# --- pausing on a tenant's behalf ---------------------------------------------------------
@dataclass(frozen=True)
class PauseRequest:
    query: str
    start: date
    end: date


def read_pause(argument: str, today: date) -> PauseRequest | None:
    """ "Pouli jusqu'au 15 décembre", "12 du 1er au 15 décembre"; None when a part is missing."""
    text = normalise(argument)
    m = UNTIL.search(text)
    if m is None:
        return None
    words = argument.split()
    name_words = len(text[: m.start()].split())
    query = " ".join(words[:name_words]) if name_words else ""
    dates = text[m.start() :]
    start = today
    if dates.startswith(("jusqu", "until", "till")):
        found = read_day(dates.split(" ", 1)[1] if " " in dates else "", today, "future")
        if found is None:
            return None
        end = found[0]
    else:
        body = re.sub(r"^(?:du|from|a partir|des|depuis)\s+(?:du|de|le)?\s*", "", dates)
        parts = re.split(r"\s+(?:au|to|until|till|jusqu au)\s+", body, maxsplit=1)
        if len(parts) != 2:
            return None
        found = read_day(parts[1], today, "future")
        if found is None:
            return None
        end = found[0]
        first = read_day(parts[0], today, "future")
        bare = re.fullmatch(r"(\d{1,2})(?:er|e)?", parts[0].strip())
        if bare is not None:  # "du 1er au 15 décembre": the month of the end
            day = int(bare.group(1))
            month_end = end if day <= end.day else end.replace(day=1) - timedelta(days=1)
            try:
                start = month_end.replace(day=day)
            except ValueError:
                return None
        elif first is not None:
            start = first[0]
        else:
            return None
    if not query.strip():
        return None
    return PauseRequest(query.strip(), start, end)


def pause_for(
    session: Session, ctx: Context, actor: Actor, site_ids: Sequence[int], argument: str
) -> str:
    lang = actor.lang
    today = min(ctx.today(ctx.site(s)) for s in site_ids)
    req = read_pause(argument, today)
    if req is None:
        return Refusal(t(lang, "coord.pause.how"))
    found = find_tenants(session, site_ids, req.query)
    if len(found) != 1:
        return which_one(lang, found, req.query)
    return apply_pause(session, ctx, actor, found[0], req.start, req.end)


def apply_pause(
    session: Session, ctx: Context, actor: Actor, person: Person, start: date, end: date
) -> str:
    """Pause a tenant's deliveries from `start` to `end`: open orders inside are cancelled
    (their volunteer told if the round is out), the tenant told, the audit log written."""
    lang = actor.lang
    today = ctx.today(ctx.site(person.site_id))
    if end < start:
        return Refusal(
            t(lang, "pause.end_before_start", start=say_day(start, lang), end=say_day(end, lang))
        )
    if start < today:
        return Refusal(t(lang, "cancel.past", day=say_day(start, lang)))
    if (end - today).days > MAX_DAYS_AHEAD * 3:
        return Refusal(t(lang, "coord.pause.too_long"))
    now = ctx.now()
    add_pause(session, person, start, end, now)
    cancelled = 0
    for order in session.scalars(
        sa.select(Order).where(
            Order.person_id == person.id,
            Order.delivery_date >= start,
            Order.delivery_date <= end,
            Order.status.in_(OPEN),
        )
    ).all():
        _tell_volunteer(session, ctx, person, order)
        order.status, order.updated_at = OrderStatus.CANCELLED, now
        cancelled += 1
    session.flush()
    tl = person.language
    text = t(tl, "coord.pause.tenant", start=say_day(start, tl), end=say_day(end, tl))
    if visit_note := after_pause(session, ctx, person, start, end):
        text += " " + visit_note
    tell(
        session,
        ctx,
        person,
        f"pause-by-coordinator:{person.id}:{start}:{end}",
        Reply(text, tl),
    )
    audit(
        session,
        ctx,
        actor.who,
        "pause",
        f"person:{person.id}",
        start=start.isoformat(),
        end=end.isoformat(),
        cancelled=cancelled,
        channel=actor.channel,
    )
    return t(
        lang,
        "coord.pause.done",
        name=person.name,
        start=say_day(start, lang),
        end=say_day(end, lang),
        n=cancelled,
    )


def _tell_volunteer(session: Session, ctx: Context, tenant: Person, order: Order) -> None:
    """A round already sent with this stop on it: its volunteer must not carry it."""
    row = session.execute(
        sa.select(Round).join(Stop, Stop.round_id == Round.id).where(Stop.order_id == order.id)
    ).scalar_one_or_none()
    if row is None or row.sent_at is None or row.dropped_at is not None:
        return
    volunteer = session.get(Person, row.volunteer_id)
    if volunteer is None:
        return
    vl = volunteer.language
    tell(
        session,
        ctx,
        volunteer,
        f"cancelled:{order.id}",
        Reply(
            t(
                vl,
                "volunteer.stop_cancelled",
                name=tenant.name,
                where=say_address(tenant, vl),
                day=day_short(order.delivery_date, vl),
            ),
            vl,
        ),
    )
