"""`/stats`: the figures of a period in words, the change against the period before, the
engagement objective, and a sentence a newsletter can print.

"En 3 semaines, 6 bénévoles ont livré 88 packs d'eau et 130 baguettes à 30 locataires." The
numbers come from `models.stats` (aggregate SQL); this module only puts them into words.
Each volunteer's stops and visits are named too: coordinators thank them (only coordinators
get /stats and the weekly summary).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from handlers.periods import Period, last_days, since_start
from handlers.texts import t
from handlers.texts.formats import day as say_day
from handlers.texts.formats import listing, number, percent
from models.context import Context
from models.daily_totals import behind, settle
from models.period_figures import Figures, VolunteerShare, period_figures
from models.stats import engaged_count, paused_count, site_facts

SETTLE_LAG_DAYS = 0  # settle each day as soon as it can be (two days old): only two are live
# A request settles a few days at most; a longer history (after an upgrade) is the scheduler's
# daily job or `entraide db upgrade`: until then the figures are read live, right but slower.
SETTLE_IN_REQUEST_DAYS = 31


def end_of_day(ctx: Context, site_id: int, day: date) -> datetime:
    """The UTC instant a local day ends at a site (23 or 25 hours after it began on DST days)."""
    zone = ctx.site(site_id).zone
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)


def delta(now: int, before: int | None) -> str:
    """ " (+12)", " (-3)", " (=)"; nothing without a period to compare with."""
    if before is None:
        return ""
    d = now - before
    return " (=)" if d == 0 else f" ({'+' if d > 0 else '-'}{abs(d)})"


def items_text(ctx: Context, lang: str, f: Figures, before: Figures | None = None) -> str:
    """ "130 baguettes (+12) et 88 packs d'eau (-3)", in catalogue order."""
    parts = []
    for key in ctx.config.catalogue:
        n = f.item(key)
        if n or (before is not None and before.item(key)):
            name = ctx.config.item_name(key, lang, n)
            parts.append(
                f"{number(n, lang)} {name}{delta(n, before.item(key) if before else None)}"
            )
    return listing(parts, lang)


def duration(days: int, lang: str) -> str:
    """ "10 jours", "3 semaines", "4 mois", "2 ans": how long a period was, rounded as people
    say it."""
    if days < 14:
        return t(lang, "coord.duration.days", n=days)
    if days < 28:
        return t(lang, "coord.duration.weeks", n=round(days / 7))
    if days < 730:
        return t(lang, "coord.duration.months", n=round(days / 30.44))
    return t(lang, "coord.duration.years", n=round(days / 365.25))


def newsletter(ctx: Context, lang: str, period: Period, f: Figures) -> str:
    """The one-line summary: "En 3 semaines, 6 bénévoles ont livré … à 30 locataires."."""
    if not f.delivered:
        return t(lang, "coord.stats.sentence_nothing", duration=duration(period.days, lang))
    return t(
        lang,
        "coord.stats.sentence",
        n=f.volunteers,
        volunteers=number(f.volunteers, lang),
        duration=duration(period.days, lang),
        items=items_text(ctx, lang, f),
        tenants=t(lang, "coord.stats.tenants_count", n=f.tenants, count=number(f.tenants, lang)),
    )


def all_site_ids(ctx: Context) -> list[int]:
    return [ctx.site_ids[s.slug] for s in ctx.config.sites if s.slug in ctx.site_ids]


def engagement(
    ctx: Context, lang: str, site_ids: Sequence[int], scope: str, total: int, here: int
) -> str:
    """ "386 locataires engagés — objectif 1 400 (28 %)", programme-wide (the objective is the
    programme's); a coordinator of one site among several sees their site's count (`here`)
    first."""
    objective = ctx.config.objective
    line = t(
        lang,
        "coord.stats.engaged",
        n=total,
        engaged=number(total, lang),
        objective=number(objective, lang),
        percent=percent(total / objective, lang),
    )
    if set(site_ids) != set(all_site_ids(ctx)):
        line = (
            t(lang, "coord.stats.engaged_here", n=here, scope=scope, engaged=number(here, lang))
            + " "
            + line
        )
    return line


def stats_text(
    session: Session,
    ctx: Context,
    lang: str,
    site_ids: Sequence[int],
    scope: str,
    period: Period | None,
    *,
    with_since_start: bool | None = None,
) -> str:
    """The whole /stats answer. No period said: the last 7 days, and since the service began."""
    today = ctx.today(ctx.site(site_ids[0]))
    with_whole = with_since_start if with_since_start is not None else period is None
    # the first day is needed for "since the start" only (it is most of site_facts' time)
    since = with_whole or (period is not None and period.kind == "all")
    facts = site_facts(session, site_ids, first=since)
    late = behind(
        session, site_ids, today, SETTLE_LAG_DAYS, SETTLE_IN_REQUEST_DAYS, marks=facts.marks
    )
    for site_id in late:
        settle(session, site_id, today, ctx.now())
    if late:
        facts = site_facts(session, site_ids, first=since)
    first = facts.first or today
    main = period or last_days(today)
    if main.kind == "all":
        main = since_start(first, today)
    previous = main.previous()
    whole = since_start(first, today)
    wanted = [(main.start, main.end)]
    wanted += [(previous.start, previous.end)] if previous else []
    wanted += [(whole.start, whole.end)] if with_whole else []
    # The engagement counts and the pauses ride in the figures' statement: one round trip.
    everywhere = all_site_ids(ctx)
    at = end_of_day(ctx, site_ids[0], main.end)
    extras = {"engaged": (engaged_count, everywhere, at), "paused": (paused_count, site_ids, today)}
    if set(site_ids) != set(everywhere):
        extras["engaged_here"] = (engaged_count, site_ids, at)
    answer = period_figures(
        session,
        site_ids,
        wanted,
        shares=True,
        marks=facts.marks,
        visit_marks=facts.visit_marks,
        extras=extras,
    )
    found, shares, counts = answer.figures, answer.shares, answer.extras
    now = found[0]
    before = found[1] if previous else None

    def d(attr: str) -> str:
        return delta(getattr(now, attr), getattr(before, attr) if before else None)

    lines = [t(lang, "coord.stats.header", scope=scope, period=main.label(lang))]
    items = items_text(ctx, lang, now, before)
    lines.append(
        t(lang, "coord.stats.items", items=items) if items else t(lang, "coord.stats.items_none")
    )
    lines.append(
        t(
            lang,
            "coord.stats.deliveries",
            delivered=number(now.delivered, lang),
            d_delivered=d("delivered"),
            failed=number(now.failed, lang),
            d_failed=d("failed"),
            cancelled=number(now.cancelled, lang),
            d_cancelled=d("cancelled"),
        )
    )
    lines.append(
        t(
            lang,
            "coord.stats.people",
            tenants=number(now.tenants, lang),
            d_tenants=d("tenants"),
            volunteers=number(now.volunteers, lang),
            d_volunteers=d("volunteers"),
        )
    )
    lines.append(
        t(
            lang,
            "coord.stats.visits",
            done=number(now.visits_done, lang),
            d_done=d("visits_done"),
            nobody=number(now.visits_nobody, lang),
            missed=number(now.visits_missed, lang),
            d_missed=d("visits_missed"),
        )
    )
    shares_line = volunteers_text(lang, shares)
    if shares_line:
        lines.append(shares_line)
    if previous is not None:
        lines.append(t(lang, "coord.stats.compare", previous=previous.label(lang)))
    lines.append(
        engagement(ctx, lang, site_ids, scope, counts["engaged"], counts.get("engaged_here", 0))
    )
    on_pause = counts["paused"]
    if on_pause:
        lines.append(t(lang, "coord.stats.paused", n=on_pause, count=number(on_pause, lang)))
    summary_period, summary = main, now
    if with_whole:
        total = found[-1]
        lines.append(
            t(
                lang,
                "coord.stats.since_start",
                start=say_day(whole.start, lang, year=True),
                items=items_text(ctx, lang, total) or "0",
                delivered=number(total.delivered, lang),
                tenants=number(total.tenants, lang),
            )
        )
        summary_period, summary = whole, total
    lines.append(
        t(lang, "coord.stats.newsletter", sentence=newsletter(ctx, lang, summary_period, summary))
    )
    return "\n".join(lines)


SHARES_LIMIT = 15  # names in one /stats answer; the rest is counted


def volunteers_text(lang: str, shares: Sequence[VolunteerShare]) -> str:
    """Who did what, for the coordinators' thanks: stops reported and visits made, by name."""
    parts = []
    for share in shares[:SHARES_LIMIT]:
        counts = []
        for what, n in (("stops", share.stops), ("visits", share.visits)):
            if n:
                counts.append(t(lang, f"coord.stats.share_{what}", n=n, count=number(n, lang)))
        parts.append(t(lang, "coord.stats.share", name=share.name, counts=", ".join(counts)))
    if not parts:
        return ""
    if len(shares) > SHARES_LIMIT:
        parts.append(t(lang, "coord.more", n=len(shares) - SHARES_LIMIT))
    return t(lang, "coord.stats.shares", list=t(lang, "coord.stats.share_sep").join(parts))
