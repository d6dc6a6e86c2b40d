"""`/demain`: the next delivery day as each role may see it.

A coordinator sees every supplier's totals, every volunteer's round, the stops nobody can carry
and the courtesy visits; before the evening job has run, that is a preview planned inside a
savepoint and rolled back (what the evening job would do now; nothing changes, nothing is sent).
A volunteer sees only their own round, a supplier only their totals, a tenant only their order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers.round_texts import round_reply
from handlers.texts import t
from handlers.texts.formats import address as say_address
from handlers.texts.formats import clock_time, of_name
from handlers.texts.formats import day as say_day
from handlers.texts.formats import items as say_items
from handlers.types import Reply
from handlers.visit_reminders import plan_visits
from models.base import OrderStatus, VisitStatus
from models.closures import closure_on
from models.context import Context
from models.day_planning import plan_day, supplier_totals
from models.delivery import (
    available_volunteers,
    materialise_standing,
    round_stops,
    suspend_unreachable,
)
from models.jobs import JobRun
from models.orders import Order, closed_dates, upcoming
from models.people import Person
from models.rounds import Round
from models.rules import MAX_DAYS_AHEAD, delivers, next_delivery_after
from models.stats import expected_items
from models.visit_planning import visits_for
from models.visits import Visit

UNCOVERED_SHOWN = 10
VISITS_SHOWN = 8


@dataclass
class DayView:
    """What a coordinator is shown about one site's next delivery day."""

    day: date
    sent: bool
    suppliers: dict[str, dict[str, int]] = field(default_factory=dict)
    rounds: list[tuple[str, int, dict[str, int]]] = field(default_factory=list)
    uncovered: list[Person] = field(default_factory=list)  # written in the reader's language
    visits: list[tuple[str, str, time]] = field(default_factory=list)
    requested: int = 0


def delivery_day(session: Session, ctx: Context, site_id: int) -> tuple[date, str, str]:
    """Tomorrow, or the next delivery day after it; with why tomorrow is not one ("closed",
    "none", or "" when it is) and the closure's reason."""
    site = ctx.site(site_id)
    tomorrow = ctx.today(site) + timedelta(days=1)
    closed = closed_dates(session, site_id, tomorrow, tomorrow + timedelta(days=MAX_DAYS_AHEAD))
    if delivers(site, tomorrow, closed):
        return tomorrow, "", ""
    nxt = next_delivery_after(site, tomorrow, closed) or tomorrow
    closure = closure_on(session, site_id, tomorrow)
    if closure is not None:
        return nxt, "closed", closure.reason
    return nxt, "none", ""


def _evening_ran(session: Session, site_id: int, day: date) -> bool:
    return bool(
        session.scalar(
            sa.select(sa.func.count())
            .select_from(JobRun)
            .where(JobRun.site_id == site_id, JobRun.run_date == day, JobRun.kind == "evening")
        )
    )


def _collect(session: Session, ctx: Context, site_id: int, day: date, sent: bool) -> DayView:
    view = DayView(day, sent)
    site = ctx.site(site_id)
    if not sent:
        now = ctx.now()
        suspend_unreachable(session, site_id, day, now)
        materialise_standing(session, site_id, day, now)
        plan_day(session, ctx, site, site_id, day)
        plan_visits(session, ctx, site, site_id, day, available_volunteers(session, site_id, day))
    totals = supplier_totals(session, ctx, site_id, day)
    view.suppliers = {key: dict(c) for key, c in totals.items() if any(c.values())}
    on_round: set[int] = set()
    for rnd in session.scalars(
        sa.select(Round)
        .where(Round.site_id == site_id, Round.delivery_date == day, Round.dropped_at.is_(None))
        .order_by(Round.volunteer_id)
    ):
        stops = round_stops(session, rnd)
        if not stops:
            continue
        volunteer = session.get(Person, rnd.volunteer_id)
        items: dict[str, int] = {}
        for s in stops:
            on_round.add(s.order_id)
            for k, n in s.items.items():
                items[k] = items.get(k, 0) + n
        view.rounds.append((volunteer.name if volunteer else "?", len(stops), items))
    for order in session.scalars(
        sa.select(Order)
        .where(
            Order.site_id == site_id,
            Order.delivery_date == day,
            Order.status.in_((OrderStatus.PENDING, OrderStatus.PLANNED)),
        )
        .order_by(Order.id)
    ):
        if order.id not in on_round and order.items:
            tenant = session.get(Person, order.person_id)
            if tenant is not None:
                view.uncovered.append(tenant)
    for visit, tenant in session.execute(
        sa.select(Visit, Person)
        .join(Person, Person.id == Visit.tenant_id)
        .where(
            Visit.site_id == site_id, Visit.visit_date == day, Visit.status == VisitStatus.PLANNED
        )
        .order_by(Visit.window_start, Visit.id)
    ).all():
        who = session.get(Person, visit.volunteer_id) if visit.volunteer_id else None
        view.visits.append(
            (tenant.name, who.name.split()[0] if who else "?", visit.window_start or time(15, 0))
        )
    view.requested = int(
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Visit)
            .where(Visit.site_id == site_id, Visit.status == VisitStatus.REQUESTED)
        )
        or 0
    )
    return view


def day_view(session: Session, ctx: Context, site_id: int, day: date) -> DayView:
    """The stored rounds if the evening job ran for `day`, else a rolled-back preview."""
    if _evening_ran(session, site_id, day):
        return _collect(session, ctx, site_id, day, sent=True)
    savepoint = session.begin_nested()
    try:
        return _collect(session, ctx, site_id, day, sent=False)
    finally:
        savepoint.rollback()


def coordinator_text(session: Session, ctx: Context, lang: str, site_ids: Sequence[int]) -> str:
    blocks = [_site_text(session, ctx, lang, site_id, len(site_ids) > 1) for site_id in site_ids]
    return "\n\n".join(blocks)


def _site_text(session: Session, ctx: Context, lang: str, site_id: int, many: bool) -> str:
    site = ctx.site(site_id)
    day, why, reason = delivery_day(session, ctx, site_id)
    view = day_view(session, ctx, site_id, day)
    lines = []
    if why:
        tomorrow = ctx.today(site) + timedelta(days=1)
        lines.append(
            t(
                lang,
                f"coord.tomorrow.{why}",
                day=say_day(tomorrow, lang),
                reason=f" ({reason})" if reason else "",
            )
        )
    state = (
        t(lang, "coord.tomorrow.sent")
        if view.sent
        else t(lang, "coord.tomorrow.preview", time=clock_time(site.evening_send, lang))
    )
    lines.append(
        t(
            lang,
            "coord.tomorrow.header",
            day=say_day(day, lang),
            site=f" — {site.name}" if many else "",
            state=state,
        )
    )
    if view.suppliers:
        lines.append(
            " ".join(
                t(
                    lang,
                    "coord.tomorrow.supplier",
                    supplier=ctx.config.suppliers[k].name,
                    items=say_items(v, lang, ctx.item_names),
                )
                for k, v in view.suppliers.items()
            )
        )
    else:
        lines.append(t(lang, "coord.tomorrow.no_orders"))
    for name, n, items in view.rounds:
        lines.append(
            t(
                lang,
                "coord.tomorrow.round",
                name=name,
                of_name=of_name(name, lang),
                n=n,
                items=say_items(items, lang, ctx.item_names),
            )
        )
    if view.uncovered:
        shown = [f"{p.name} ({say_address(p, lang)})" for p in view.uncovered[:UNCOVERED_SHOWN]]
        more = len(view.uncovered) - len(shown)
        lines.append(
            t(
                lang,
                "coord.tomorrow.uncovered",
                n=len(view.uncovered),
                list="; ".join(shown) + (f" (+{more})" if more > 0 else ""),
            )
        )
    elif view.rounds:
        lines.append(t(lang, "coord.tomorrow.all_covered"))
    if view.visits:
        parts = [
            t(
                lang,
                "coord.tomorrow.visit",
                tenant=tenant,
                volunteer=volunteer,
                time=clock_time(at, lang),
            )
            for tenant, volunteer, at in view.visits[:VISITS_SHOWN]
        ]
        lines.append(t(lang, "coord.tomorrow.visits", n=len(view.visits), list="; ".join(parts)))
    else:
        lines.append(t(lang, "coord.tomorrow.no_visits"))
    if view.requested:
        lines.append(t(lang, "coord.tomorrow.requested", n=view.requested))
    return "\n".join(lines)


def volunteer_text(session: Session, ctx: Context, person: Person) -> str:
    """A volunteer's own round and visits for the next delivery day."""
    return volunteer_reply(session, ctx, person).text


def volunteer_reply(
    session: Session, ctx: Context, person: Person, day: date | None = None
) -> Reply:
    """A volunteer's own round and visits for `day` (the next delivery day by default): as
    sent (with its buttons), or when it will come."""
    assert person.site_id is not None
    lang = person.language
    site = ctx.site(person.site_id)
    if day is None:
        day, _, _ = delivery_day(session, ctx, person.site_id)
    elif not delivers(site, day, closed_dates(session, person.site_id, day, day)):
        return Reply(t(lang, "coord.tomorrow.none", day=say_day(day, lang)), lang)
    rnd = session.scalar(
        sa.select(Round).where(
            Round.volunteer_id == person.id, Round.delivery_date == day, Round.dropped_at.is_(None)
        )
    )
    sent = rnd is not None and rnd.sent_at is not None
    visits = visits_for(session, person.id, day)
    if sent or visits:
        stops = round_stops(session, rnd) if sent and rnd is not None else []
        return round_reply(ctx, person, day, stops, visits)
    if _evening_ran(session, person.site_id, day):
        return Reply(t(lang, "coord.tomorrow.volunteer_free", day=say_day(day, lang)), lang)
    later = t(
        lang,
        "coord.tomorrow.volunteer_later",
        day=say_day(day, lang),
        time=clock_time(site.evening_send, lang),
    )
    return Reply(later, lang)


def supplier_text(session: Session, ctx: Context, person: Person) -> str:
    """A supplier's own totals for the next delivery day (so far, final in the evening)."""
    lang = person.language
    lines = []
    for slug, site_id in ctx.site_ids.items():
        if person.site_id not in (site_id, None):
            continue
        site = ctx.config.site(slug)
        day, _, _ = delivery_day(session, ctx, site_id)
        mine = {
            k: n
            for k, n in expected_items(session, site_id, day).items()
            if k in ctx.config.catalogue and ctx.config.catalogue[k].supplier == person.supplier_key
        }
        if mine:
            lines.append(
                t(
                    lang,
                    "coord.tomorrow.supplier_own",
                    day=say_day(day, lang),
                    site=site.name,
                    items=say_items(mine, lang, ctx.item_names),
                    time=clock_time(site.evening_send, lang),
                )
            )
        else:
            lines.append(
                t(lang, "coord.tomorrow.supplier_nothing", day=say_day(day, lang), site=site.name)
            )
    return "\n".join(lines)


def tenant_text(session: Session, ctx: Context, person: Person) -> str:
    """A tenant's own delivery on the next delivery day."""
    assert person.site_id is not None
    lang = person.language
    site = ctx.site(person.site_id)
    day, _, _ = delivery_day(session, ctx, person.site_id)
    today = ctx.today(site)
    closed = closed_dates(session, person.site_id, today, day)
    days = {
        d
        for d in (today + timedelta(days=i) for i in range((day - today).days + 1))
        if delivers(site, d, closed)
    }
    coming = [
        u for u in upcoming(session, person.id, today, (day - today).days, days) if u.day == day
    ]
    if not coming:
        return t(lang, "coord.tomorrow.tenant_nothing", day=say_day(day, lang))
    return t(
        lang,
        "coord.tomorrow.tenant",
        day=say_day(day, lang),
        items=say_items(coming[0].items, lang, ctx.item_names),
    )
