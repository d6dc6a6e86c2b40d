"""`/fermer DATE raison [reporter]`: close a date at a site, after a confirmation with counts.

"/fermer 25/12 Noël" cancels the orders of Christmas day; "/fermer jeudi grève reporter" moves
them to the next delivery day. The confirmation says how many orders, tenants and volunteers
it touches (worked out by doing it inside a savepoint that is rolled back); once confirmed,
every tenant and volunteer concerned is told once, in their own language, through the outbox;
a tenant who was to be visited that day hears that the visit is off in the same message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers.access import Actor
from handlers.notify import tell
from handlers.people_admin import audit
from handlers.periods import normalise, read_day
from handlers.texts import t
from handlers.texts.formats import day as say_day
from handlers.texts.formats import items as say_items
from handlers.texts.formats import of_name
from handlers.types import Reply
from models.base import Role
from models.closures import ClosureResult, close_day, closure_on, upcoming_closures
from models.context import Context
from models.jobs import JobRun
from models.people import Person, people
from models.rules import delivers

MOVE_WORDS = {"reporter", "reporte", "reportees", "reportee", "deplacer", "decaler", "move",
              "postpone", "moved"}  # fmt: skip
MOVE_RE = re.compile(
    r"(?i)\s*\b(?:reporter|report[ée]e?s?|d[ée]placer|d[ée]caler|move|moved|postpone)\b"
)


@dataclass(frozen=True)
class CloseRequest:
    site_id: int
    day: date
    reason: str
    move: bool


@dataclass(frozen=True)
class Preview:
    orders: int
    tenants: int
    volunteers: int
    moved_to: date | None


def read_request(argument: str, today: date, site_id: int) -> CloseRequest | None:
    """ "26/11 grève reporter" → 26 November, "grève", moved; None without a date first."""
    found = read_day(argument, today, "future")
    if found is None:
        return None
    day, used = found
    words = argument.split()
    k = next(
        (
            k
            for k in range(1, len(words) + 1)
            if len(normalise(" ".join(words[:k])).split()) >= used
        ),
        len(words),
    )
    rest = " ".join(words[k:])
    move = any(w in MOVE_WORDS for w in normalise(rest).split())
    reason = " ".join(MOVE_RE.sub(" ", rest).split()).strip(" :,-")
    return CloseRequest(site_id, day, reason, move)


def problem(session: Session, ctx: Context, req: CloseRequest, lang: str) -> str | None:
    """Why this date cannot be closed, in words, or None."""
    site = ctx.site(req.site_id)
    today = ctx.today(site)
    when = say_day(req.day, lang)
    if req.day < today:
        return t(lang, "coord.close.past", day=when)
    existing = closure_on(session, req.site_id, req.day)
    if existing is not None:
        return t(lang, "coord.close.already", day=when, reason=_reason(existing.reason))
    if not delivers(site, req.day):
        return t(lang, "coord.close.no_delivery", day=when)
    return None


def preview(session: Session, ctx: Context, req: CloseRequest) -> Preview:
    """What closing would do, found by doing it in a savepoint and rolling it back."""
    savepoint = session.begin_nested()
    try:
        result = _close(session, ctx, req)
        moved_to = result.moved[0][1] if result.moved else None
        out = Preview(
            len(result.cancelled) + len(result.moved),
            result.tenants,
            len(result.volunteers),
            moved_to,
        )
    finally:
        savepoint.rollback()
    return out


def question(ctx: Context, req: CloseRequest, p: Preview, lang: str, site_name: str) -> str:
    what = (
        t(lang, "coord.close.will_move", n=p.orders, day=say_day(p.moved_to, lang))
        if req.move and p.moved_to
        else t(lang, "coord.close.will_cancel", n=p.orders)
    )
    this_year = ctx.today(ctx.site(req.site_id)).year
    return t(
        lang,
        "coord.close.confirm",
        day=say_day(req.day, lang, year=req.day.year != this_year),
        site=site_name,
        reason=_reason(req.reason),
        what=what,
        tenants=p.tenants,
        volunteers=p.volunteers,
    )


def _close(session: Session, ctx: Context, req: CloseRequest) -> ClosureResult:
    slug = ctx.site(req.site_id).slug
    return close_day(
        session,
        ctx.config,
        ctx.config.site(slug),
        req.site_id,
        req.day,
        req.reason,
        ctx.now(),
        move=req.move,
    )


def apply(session: Session, ctx: Context, actor: Actor, req: CloseRequest) -> str:
    """Close the date, tell everyone concerned once, write the audit line; the reply text."""
    lang = actor.lang
    result = _close(session, ctx, req)
    when = say_day(req.day, lang)
    if result.closure is None:
        return t(lang, "coord.close.already", day=when, reason=_reason(req.reason))
    site = ctx.site(req.site_id)
    expires = datetime.combine(req.day + timedelta(days=1), time(0), tzinfo=site.zone)
    # who is told, with what: tenants (each once: a moved order says where it went), the
    # volunteers of the day, and suppliers once the evening totals have left
    told_whom: dict[tuple[str, int], tuple[Person, str, dict[str, Any]]] = {}
    for order in result.cancelled:
        person = session.get(Person, order.person_id)
        if person is not None:
            told_whom["tenant", person.id] = (person, "coord.close.tenant_cancelled", {})
    for order, new_day, items in result.moved:
        person = session.get(Person, order.person_id)
        if person is not None:
            more = {"new_day": new_day, "items": items}
            told_whom["tenant", person.id] = (person, "coord.close.tenant_moved", more)
    visited = {tenant.id: volunteer for _, tenant, volunteer in result.visits}
    for _, tenant, _ in result.visits:
        if ("tenant", tenant.id) not in told_whom:
            told_whom["tenant", tenant.id] = (tenant, "coord.close.tenant_visit", {})
    visiting = {volunteer.id for _, _, volunteer in result.visits if volunteer is not None}
    for volunteer in result.volunteers:
        text_key = "coord.close.volunteer" + ("_visits" if volunteer.id in visiting else "")
        told_whom["volunteer", volunteer.id] = (volunteer, text_key, {})
    if _evening_ran(session, req.site_id, req.day):
        for supplier in people(session, Role.SUPPLIER):
            if supplier.site_id in (req.site_id, None):
                told_whom["supplier", supplier.id] = (supplier, "coord.close.supplier", {})
    key = f"closure:{req.site_id}:{req.day.isoformat()}"
    told = 0
    for (role, pid), (person, text_key, more) in told_whom.items():
        lang = person.language
        params: dict[str, Any] = {"day": say_day(req.day, lang), "reason": _reason(req.reason)}
        if more:
            params["new_day"] = say_day(more["new_day"], lang)
            params["items"] = say_items(more["items"], lang, ctx.item_names)
        if role == "tenant" and pid in visited:
            visitor = visited[pid]
            name = visitor.name.split()[0] if visitor else t(lang, "visit.a_volunteer")
            extra = {"of_volunteer": of_name(name, lang), "volunteer": name}
            if text_key == "coord.close.tenant_visit":
                text = t(lang, text_key, **params, **extra)
            else:
                text = t(lang, text_key, **params) + " " + t(lang, "coord.close.visit_too", **extra)
        else:
            text = t(lang, text_key, **params)
        told += tell(
            session,
            ctx,
            person,
            f"{key}:{role}:{pid}",
            Reply(text, lang),
            kind="closure",
            expires_at=expires.astimezone(UTC),
        )
    audit(
        session,
        ctx,
        actor.who,
        "close",
        f"site:{req.site_id}:{req.day.isoformat()}",
        reason=req.reason,
        move=req.move,
        cancelled=len(result.cancelled),
        moved=len(result.moved),
        visits=len(result.visits),
        told=told,
        channel=actor.channel,
    )
    if result.moved:
        done = t(
            lang,
            "coord.close.done_moved",
            n=len(result.moved),
            day=say_day(result.moved[0][1], lang),
        )
    else:
        done = t(lang, "coord.close.done_cancelled", n=len(result.cancelled))
    return t(lang, "coord.close.done", day=when, what=done, told=told)


def listing(session: Session, ctx: Context, actor: Actor, site_ids: list[int]) -> str:
    lang = actor.lang
    today = min(ctx.today(ctx.site(s)) for s in site_ids)
    rows = upcoming_closures(session, site_ids, today)
    if not rows:
        return t(lang, "coord.close.none")
    lines = [t(lang, "coord.close.list_header")]
    many = len(site_ids) > 1
    for c in rows[:30]:
        site = f" ({ctx.site(c.site_id).name})" if many else ""
        lines.append(
            t(
                lang,
                "coord.close.list_line",
                day=say_day(c.closed_on, lang, year=True),
                reason=_reason(c.reason),
                site=site,
            )
        )
    return "\n".join(lines)


def _reason(reason: str) -> str:
    return f" ({reason})" if reason else ""


def _evening_ran(session: Session, site_id: int, day: date) -> bool:
    """Whether suppliers already have the day's totals (the evening job ran for it)."""
    return bool(
        session.scalar(
            sa.select(sa.func.count())
            .select_from(JobRun)
            .where(JobRun.site_id == site_id, JobRun.run_date == day, JobRun.kind == "evening")
        )
    )
