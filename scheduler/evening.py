"""The evening job for delivery date D: close, materialise, plan, and tell everyone once.

1. Orders of tenants who stopped are set aside; standing orders become orders for D (skipping
   pauses, STOP, and dates the tenant cancelled).
2. Rounds are planned over the volunteers available on D (`models.day_planning.plan_day`,
   which hands the stops to the pure `models.planning.plan_rounds`).
3. Each volunteer gets their round, each supplier their totals, optionally each tenant a
   reminder; isolated tenants' courtesy visits are planned and announced.
4. What nobody can carry goes to the coordinators; orders are kept, never dropped.
Everything goes through the outbox in this one transaction, under dedupe keys, guarded by the
job-run row: running it twice sends nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from handlers.notify import Letter, per_reader, per_reader_day, tell_coordinators, tell_many
from handlers.round_texts import round_reply, supplier_reply
from handlers.texts import t
from handlers.texts.formats import address as say_address
from handlers.texts.formats import day as say_day
from handlers.texts.formats import items as say_items
from handlers.types import Reply
from handlers.visit_reminders import plan_visits
from models.alerts import AlertKind
from models.base import OrderStatus, Role
from models.config import SiteConfig
from models.context import Context
from models.day_planning import plan_day, supplier_totals
from models.delivery import (
    available_volunteers,
    day_stops,
    materialise_standing,
    orders_with_tenants,
    suspend_unreachable,
)
from models.people import Person, people
from models.planning_types import Plan
from models.rounds import Round, Stop
from models.visit_planning import open_visits_by_volunteer
from scheduler.jobruns import claim_run, last_run

log = logging.getLogger("entraide.evening")

KIND = "evening"


@dataclass
class EveningReport:
    site: str
    day: date
    already: datetime | None = None  # when the job ran before (nothing done this time)
    orders: int = 0
    materialised: int = 0
    rounds: int = 0
    stops: int = 0
    uncovered: int = 0
    suppliers: int = 0
    visits: int = 0
    messages: int = 0
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if self.already is not None:
            return [
                f"{self.site} {self.day}: the evening job already ran at "
                f"{self.already:%Y-%m-%d %H:%M} UTC; nothing sent (use --resend to send again)"
            ]
        return [
            f"{self.site} {self.day}: {self.orders} order(s) ({self.materialised} from standing "
            f"orders), {self.rounds} round(s), {self.stops} stop(s), {self.uncovered} uncovered, "
            f"{self.visits} visit(s); {self.messages} message(s) queued",
            *self.notes,
        ]


def round_expiry(site: SiteConfig, day: date) -> datetime:
    """After lunch on D a round is pointless: it must not arrive then."""
    return datetime.combine(day, time(14, 0), tzinfo=site.zone)


def evening(
    session: Session, ctx: Context, slug: str, day: date, *, resend: bool = False
) -> EveningReport:
    site = ctx.config.site(slug)
    site_id = ctx.site_ids[slug]
    now = ctx.now()
    report = EveningReport(site=slug, day=day)
    run = claim_run(session, site_id, day, KIND, now)
    if run is None:
        previous = last_run(session, site_id, day, KIND)
        if not resend:
            report.already = previous.started_at if previous else now
            return report
        version = f":resend:{now:%Y%m%d%H%M%S}"
    else:
        version = ""
    suspend_unreachable(session, site_id, day, now)
    report.materialised = materialise_standing(session, site_id, day, now)
    keep = _current_assignment(session, site_id, day)
    volunteers = {p.id: p for p in available_volunteers(session, site_id, day)}
    plan, rounds = plan_day(
        session, ctx, site, site_id, day, keep or None, list(volunteers.values())
    )
    report.orders = sum(len(s) for s in plan.rounds.values()) + len(plan.uncovered)
    report.stops = report.orders - len(plan.uncovered)
    report.uncovered = len(plan.uncovered)
    report.visits = plan_visits(session, ctx, site, site_id, day, list(volunteers.values()))
    # Every round's stops and every volunteer's visits in two statements; the messages in one.
    stops_of = day_stops(session, site_id, day)
    visits_of = open_visits_by_volunteer(session, day, volunteers)
    letters, sent = [], []
    for vid, volunteer in volunteers.items():
        round_id = rounds.get(vid)
        stops = stops_of.get(vid, []) if round_id is not None else []
        visits = visits_of.get(vid, [])
        if not stops and not visits:
            continue
        reply = round_reply(ctx, volunteer, day, stops, visits)
        letters.append(Letter(volunteer, f"round:{slug}:{day}:{vid}{version}", reply))
        if round_id is not None:
            sent.append(round_id)
        report.rounds += 1
    report.messages += tell_many(
        session, ctx, letters, kind="round", expires_at=round_expiry(site, day)
    )
    if sent:
        session.execute(sa.update(Round).where(Round.id.in_(sent)).values(sent_at=now))
    report.suppliers = _suppliers(session, ctx, site, site_id, day, version, report)
    if site.remind_tenants:
        _remind_tenants(session, ctx, site, site_id, day, version, report)
    _alert_uncovered(session, ctx, site_id, day, plan, volunteers, report)
    if run is not None:
        run.finished_at = ctx.now()
        run.detail = "; ".join(report.lines())[:300]
    log.info("evening %s %s: %s", slug, day, report.lines()[0])
    return report


def _current_assignment(session: Session, site_id: int, day: date) -> dict[int, int]:
    rows = session.execute(
        sa.select(Stop.order_id, Round.volunteer_id)
        .join(Round, Round.id == Stop.round_id)
        .where(Round.site_id == site_id, Round.delivery_date == day, Round.dropped_at.is_(None))
    ).all()
    return {order_id: vid for order_id, vid in rows}


def _suppliers(
    session: Session,
    ctx: Context,
    site: SiteConfig,
    site_id: int,
    day: date,
    version: str,
    report: EveningReport,
) -> int:
    totals = supplier_totals(session, ctx, site_id, day)
    expires = datetime.combine(day, time(10, 0), tzinfo=site.zone)
    letters = []
    for supplier in people(session, Role.SUPPLIER):
        if supplier.supplier_key not in totals or supplier.site_id not in (site_id, None):
            continue
        reply = supplier_reply(
            ctx.config, ctx, supplier, day, totals[supplier.supplier_key], site.name
        )
        key = f"supplier:{site.slug}:{day}:{supplier.supplier_key}:{supplier.id}{version}"
        letters.append(Letter(supplier, key, reply))
    report.messages += tell_many(session, ctx, letters, kind="supplier", expires_at=expires)
    return len(letters)


def _remind_tenants(
    session: Session,
    ctx: Context,
    site: SiteConfig,
    site_id: int,
    day: date,
    version: str,
    report: EveningReport,
) -> None:
    expires = datetime.combine(day, time(9, 0), tzinfo=site.zone)
    letters = []
    open_ = (OrderStatus.PLANNED, OrderStatus.PENDING)
    for order, tenant in orders_with_tenants(session, site_id, day, open_):
        if not order.items:
            continue
        lang = tenant.language
        reply = Reply(
            t(
                lang,
                "tenant.reminder",
                day=say_day(day, lang),
                items=say_items(order.items, lang, ctx.item_names),
            ),
            lang,
        )
        letters.append(Letter(tenant, f"remind:{site.slug}:{day}:{tenant.id}{version}", reply))
    report.messages += tell_many(session, ctx, letters, kind="reminder", expires_at=expires)


def _alert_uncovered(
    session: Session,
    ctx: Context,
    site_id: int,
    day: date,
    plan: Plan,
    volunteers: dict[int, Person],
    report: EveningReport,
) -> None:
    if not plan.uncovered:
        return
    named = [stop.tenant_id for stop in plan.uncovered[:12]]
    by_id = {
        p.id: p
        for p in session.scalars(
            sa.select(Person).options(selectinload(Person.tenant)).where(Person.id.in_(named))
        )
    }
    found = [by_id[i] for i in named if i in by_id]
    more = len(plan.uncovered) - len(found)

    def listing(lang: str) -> str:
        names = [f"{p.name} ({say_address(p, lang)})" for p in found]
        return ", ".join(names) + (f" (+{more})" if more > 0 else "")

    key = "coordinator.no_volunteer" if not volunteers else "coordinator.uncovered"
    tell_coordinators(
        session,
        ctx,
        site_id,
        f"uncovered:{site_id}:{day}:{len(plan.uncovered)}",
        key,
        alert=AlertKind.UNCOVERED,
        day=per_reader_day(day),
        n=len(plan.uncovered),
        list=per_reader(listing),
    )
    report.notes.append(f"coordinators alerted: {len(plan.uncovered)} stop(s) uncovered")
