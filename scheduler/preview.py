"""`entraide rounds show` and `rounds print`: a day's rounds as stored, or a preview.

A preview plans inside a transaction that is rolled back: what you see is what the evening job
would do now, and nothing changes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers.exports import secure_open
from handlers.round_texts import round_reply
from handlers.types import Reply
from handlers.visit_reminders import plan_visits
from models.context import Context
from models.day_planning import plan_day
from models.db import Database
from models.delivery import (
    StopView,
    available_volunteers,
    day_rounds,
    materialise_standing,
    round_stops,
    suspend_unreachable,
)
from models.people import Person
from models.rounds import Round
from models.visit_planning import planned_on, visits_for
from models.visits import Visit
from scheduler.sheets import sheet


def _rounds(
    session: Session, ctx: Context, slug: str, day: date
) -> tuple[list[Round], list[str], bool]:
    site_id = ctx.site_ids[slug]
    rounds = list(
        session.scalars(
            sa.select(Round)
            .where(Round.site_id == site_id, Round.delivery_date == day, Round.dropped_at.is_(None))
            .order_by(Round.volunteer_id)
        )
    )
    notes: list[str] = []
    preview = not any(r.sent_at for r in rounds) and not planned_on(session, site_id, day)
    if preview:
        now = ctx.now()
        site = ctx.config.site(slug)
        suspend_unreachable(session, site_id, day, now)
        materialise_standing(session, site_id, day, now)
        plan, _ = plan_day(session, ctx, site, site_id, day)
        rounds = [r for _, r in sorted(day_rounds(session, site_id, day).items())]
        plan_visits(session, ctx, site, site_id, day, available_volunteers(session, site_id, day))
        if plan.uncovered:
            notes.append(f"uncovered: {len(plan.uncovered)} stop(s) (no volunteer can carry them)")
    return rounds, notes, preview


def _pages(
    session: Session, rounds: list[Round], site_id: int, day: date
) -> list[tuple[Person, list[StopView], list[tuple[Visit, Person]]]]:
    """Each volunteer with stops or visits that day: their stops and their visits."""
    ids = [r.volunteer_id for r in rounds]
    ids += sorted({v.volunteer_id for v, _ in planned_on(session, site_id, day)} - {None, *ids})
    by_id = {r.volunteer_id: r for r in rounds}
    pages = []
    for vid in ids:
        volunteer = session.get(Person, vid)
        assert volunteer is not None
        rnd = by_id.get(vid)
        stops = round_stops(session, rnd) if rnd is not None else []
        visits = visits_for(session, vid, day)
        if stops or visits:
            pages.append((volunteer, stops, visits))
    return pages


def show_day(db: Database, ctx: Context, slug: str, day: date) -> list[str | Reply]:
    with db.sessions() as session, session.begin():
        rounds, notes, preview = _rounds(session, ctx, slug, day)
        out: list[str | Reply] = [
            f"{slug} {day}: " + ("preview, not sent yet" if preview else "as sent")
        ]
        pages = _pages(session, rounds, ctx.site_ids[slug], day)
        for volunteer, stops, visits in pages:
            out.append(f"--- {volunteer.name} ({volunteer.phone or volunteer.telegram_id})")
            out.append(round_reply(ctx, volunteer, day, stops, visits))
        if not pages:
            out.append("no rounds: no orders, or no volunteer available")
        out.extend(notes)
        session.rollback()
    return out


def print_day(db: Database, ctx: Context, slug: str, day: date, path: Path) -> int:
    """Write the day's sheets owner-only (names, doors, notes); how many volunteers' pages."""
    with db.sessions() as session, session.begin():
        rounds, _notes, _preview = _rounds(session, ctx, slug, day)
        pages = _pages(session, rounds, ctx.site_ids[slug], day)
        with secure_open(path, "utf-8") as f:  # names, doors and notes: owner only
            f.write(sheet(ctx, day, pages))
        session.rollback()
    return len(pages)
