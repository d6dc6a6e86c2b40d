"""The Monday-morning summary to coordinators: last week's figures, since the start, and the
newsletter sentence, each coordinator in their language.

Guarded by the job-run row of (site, Monday, "weekly"): a restart, a second scheduler process or
a catch-up after a late start sends it once.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy.orm import Session

from handlers.notify import tell
from handlers.periods import Period
from handlers.stats_report import stats_text
from handlers.texts import t
from handlers.types import Reply
from models.context import Context
from models.daily_totals import settle
from models.people import coordinators
from scheduler.jobruns import claim_run

KIND = "weekly"
WEEKDAY = 0  # Monday
AT = time(8, 30)  # local time: after the night's quiet hours, before the day's calls
LIFETIME = timedelta(days=2)


def last_week(monday: date) -> Period:
    return Period(monday - timedelta(days=7), monday - timedelta(days=1), "week")


def weekly_summary(session: Session, ctx: Context, slug: str, day: date) -> str | None:
    """Send the summary of the week before `day` (a Monday) to the site's coordinators once;
    what was done, or None when it had already been done."""
    site = ctx.config.site(slug)
    site_id = ctx.site_ids[slug]
    now = ctx.now()
    run = claim_run(session, site_id, day, KIND, now)
    if run is None:
        return None
    settle(session, site_id, day, now)
    monday = day - timedelta(days=day.weekday())
    period = last_week(monday)
    sent = 0
    for person in coordinators(session, site_id):
        lang = person.language
        text = (
            t(lang, "coord.weekly.header", day=period.label(lang))
            + "\n"
            + stats_text(session, ctx, lang, [site_id], site.name, period, with_since_start=True)
        )
        sent += tell(
            session,
            ctx,
            person,
            f"weekly:{slug}:{monday.isoformat()}:{person.id}",
            Reply(text, lang),
            kind="coordinator",
            expires_at=now + LIFETIME,
        )
    run.finished_at = ctx.now()
    run.detail = f"weekly summary of {period.start}..{period.end}: {sent} coordinator(s)"
    return run.detail


def due(ctx: Context, slug: str) -> bool:
    """Whether this week's summary time has passed today (for catch-up after a restart)."""
    now = ctx.local_now(ctx.config.site(slug))
    return now.weekday() == WEEKDAY and now.time() >= AT
