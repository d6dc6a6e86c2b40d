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
from models.context import Context
from models.day_planning import plan_day
from models.db import Database
from models.delivery import materialise_standing, round_stops, suspend_unreachable
from models.people import Person
from models.rounds import Round
from models.visit_planning import visits_for
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
    preview = not any(r.sent_at for r in rounds)
    if preview:
        now = ctx.now()
        suspend_unreachable(session, site_id, day, now)
        materialise_standing(session, site_id, day, now)
        plan, stored = plan_day(session, ctx, ctx.config.site(slug), site_id, day)
        rounds = [r for _, r in sorted(stored.items())]
        if plan.uncovered:
            notes.append(f"uncovered: {len(plan.uncovered)} stop(s) (no volunteer can carry them)")
    return rounds, notes, preview


def show_day(db: Database, ctx: Context, slug: str, day: date) -> list[str | Reply]:
    with db.sessions() as session, session.begin():
        rounds, notes, preview = _rounds(session, ctx, slug, day)
        out: list[str | Reply] = [
            f"{slug} {day}: " + ("preview, not sent yet" if preview else "as sent")
        ]
        for rnd in rounds:
            volunteer = session.get(Person, rnd.volunteer_id)
            assert volunteer is not None
            out.append(f"--- {volunteer.name} ({volunteer.phone or volunteer.telegram_id})")
            out.append(
                round_reply(
                    ctx,
                    volunteer,
                    day,
                    round_stops(session, rnd),
                    visits_for(session, rnd.volunteer_id, day),
                )
            )
        if not rounds:
            out.append("no rounds: no orders, or no volunteer available")
        out.extend(notes)
        session.rollback()
    return out


def print_day(db: Database, ctx: Context, slug: str, day: date, path: Path) -> int:
    with db.sessions() as session, session.begin():
        rounds, _notes, _preview = _rounds(session, ctx, slug, day)
        pages = []
        for rnd in rounds:
            volunteer = session.get(Person, rnd.volunteer_id)
            assert volunteer is not None
            pages.append((volunteer, round_stops(session, rnd)))
        with secure_open(path, "utf-8") as f:  # names, doors and notes: owner only
            f.write(sheet(ctx, day, pages))
        session.rollback()
    return len(pages)
