"""The morning of a delivery day: nothing undelivered goes unnoticed.

At the morning check, each volunteer with stops not yet reported gets one reminder; visits of
earlier days never reported become "missed" and coordinators hear of them, and coordinators get
the alerts still open (`/alertes`), so nothing that expired or went unread is lost. Later,
stops still unreported go to the coordinators as a list, to follow up that day.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers.alerts_admin import morning_summary
from handlers.notify import per_reader, per_reader_day, tell, tell_coordinators
from handlers.round_texts import stops_list
from handlers.texts import t
from handlers.texts.formats import address as say_address
from handlers.types import Reply
from models.alerts import AlertKind
from models.base import VisitStatus
from models.context import Context
from models.delivery import unreported
from models.orders import Order
from models.people import Person
from models.visits import Visit
from scheduler.jobruns import claim_run

log = logging.getLogger("entraide.morning")


def morning_check(session: Session, ctx: Context, slug: str, day: date) -> str:
    site = ctx.config.site(slug)
    site_id = ctx.site_ids[slug]
    if claim_run(session, site_id, day, "morning", ctx.now()) is None:
        return f"{slug} {day}: morning check already done"
    missed = _missed_visits(session, ctx, site_id, day)
    still_open = morning_summary(session, ctx, site_id, f"open-alerts:{slug}:{day}")
    by_volunteer: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for rnd, stop in unreported(session, site_id, day):
        order = session.get(Order, stop.order_id)
        tenant = session.get(Person, order.person_id) if order else None
        by_volunteer[rnd.volunteer_id].append((stop.position, tenant.name if tenant else "?"))
    expires = datetime.combine(day, time(20, 0), tzinfo=site.zone)
    for vid, stops in by_volunteer.items():
        volunteer = session.get(Person, vid)
        if volunteer is None:
            continue
        lang = volunteer.language
        reply = Reply(
            t(
                lang,
                "volunteer.morning_reminder",
                name=volunteer.name.split()[0],
                n=len(stops),
                list=stops_list(stops, lang),
                example=stops[0][0],
            ),
            lang,
        )
        tell(
            session,
            ctx,
            volunteer,
            f"morning:{slug}:{day}:{vid}",
            reply,
            kind="reminder",
            expires_at=expires,
        )
    total = sum(len(s) for s in by_volunteer.values())
    log.info(
        "morning check %s %s: %d stop(s) unreported, %d visit(s) missed", slug, day, total, missed
    )
    return (
        f"{slug} {day}: {total} unreported stop(s) reminded, {missed} missed visit(s), "
        f"{still_open} open alert(s) listed to coordinators"
    )


def escalate(session: Session, ctx: Context, slug: str, day: date) -> str:
    site_id = ctx.site_ids[slug]
    if claim_run(session, site_id, day, "escalate", ctx.now()) is None:
        return f"{slug} {day}: escalation already done"
    lines = []
    for rnd, stop in unreported(session, site_id, day):
        order = session.get(Order, stop.order_id)
        tenant = session.get(Person, order.person_id) if order else None
        volunteer = session.get(Person, rnd.volunteer_id)
        if tenant is None:
            continue
        lines.append((tenant, volunteer.name if volunteer else "?"))
    if lines:
        tell_coordinators(
            session,
            ctx,
            site_id,
            f"escalate:{slug}:{day}",
            "coordinator.unreported",
            alert=AlertKind.UNREPORTED,
            day=per_reader_day(day),
            n=len(lines),
            list=per_reader(
                lambda lang: (
                    "; ".join(
                        f"{tenant.name} ({say_address(tenant, lang)}, {who})"
                        for tenant, who in lines[:15]
                    )
                    + (" …" if len(lines) > 15 else "")
                )
            ),
        )
    return f"{slug} {day}: {len(lines)} stop(s) still unreported sent to coordinators"


def _missed_visits(session: Session, ctx: Context, site_id: int, day: date) -> int:
    rows = session.execute(
        sa.select(Visit, Person)
        .join(Person, Person.id == Visit.tenant_id)
        .where(
            Visit.site_id == site_id, Visit.status == VisitStatus.PLANNED, Visit.visit_date < day
        )
    ).all()
    for visit, tenant in rows:
        visit.status = VisitStatus.MISSED
        volunteer = session.get(Person, visit.volunteer_id) if visit.volunteer_id else None
        tell_coordinators(
            session,
            ctx,
            site_id,
            f"visit-missed:{visit.id}",
            "coordinator.visit_missed",
            name=tenant.name,
            volunteer=volunteer.name if volunteer else "?",
            day=per_reader_day(visit.visit_date) if visit.visit_date else "?",
        )
    return len(rows)
