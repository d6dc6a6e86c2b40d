"""The files a coordinator asks for: the weekly chart (PNG), the delivery ledger and the yearly
report for the landlord and funders (CSV). Each is written under var/exports and handed back as
an `Attachment`: Telegram sends it, the CLI prints its path, an SMS says where to get it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from handlers.access import Actor
from handlers.charts import weekly_chart
from handlers.exports import export_path, write_deliveries, write_report
from handlers.people_admin import audit
from handlers.periods import Period
from handlers.stats_report import end_of_day
from handlers.texts import t
from handlers.texts.formats import day as say_day
from models.context import Context
from models.ledger import ledger
from models.stats import engaged, engaged_by_site, figures, monthly, weekly_items

CHART_WEEKS = 12


@dataclass(frozen=True)
class File:
    path: Path
    rows: int  # bars of a chart, lines of a CSV


def chart(
    session: Session,
    ctx: Context,
    actor: Actor,
    site_ids: Sequence[int],
    scope: str,
    folder: Path | None = None,
) -> tuple[File, str]:
    """Deliveries per week by item over the last 12 weeks; the file and its caption."""
    from babel.dates import format_date

    lang = actor.lang
    today = ctx.today(ctx.site(site_ids[0]))
    monday = today - timedelta(days=today.weekday())
    weeks = weekly_items(session, site_ids, monday, CHART_WEEKS)
    locale = "en_GB" if lang == "en" else "fr"
    labels = [(format_date(d, "d MMM", locale=locale), totals) for d, totals in weeks]
    series = [(key, ctx.config.item_name(key, lang, 2)) for key in ctx.config.catalogue]
    path = export_path("chart", f"{weeks[0][0]}_{today}", ctx.now(), folder).with_suffix(".png")
    bars = weekly_chart(
        path,
        labels,
        series,
        t(lang, "coord.chart.title", scope=scope),
        t(lang, "coord.chart.y_label"),
        t(lang, "coord.chart.empty"),
    )
    caption = t(
        lang,
        "coord.chart.caption" if bars else "coord.chart.caption_empty",
        scope=scope,
        start=say_day(weeks[0][0], lang),
        end=say_day(today, lang),
    )
    return File(path, bars), caption


def export(
    session: Session,
    ctx: Context,
    actor: Actor,
    site_ids: Sequence[int],
    period: Period,
    *,
    include_cancelled: bool = False,
    path: Path | None = None,
) -> File:
    """The delivery ledger of a period as CSV; written to the audit log (personal data)."""
    keys = list(ctx.config.catalogue)
    target = path or export_path("deliveries", f"{period.start}_{period.end}", ctx.now())
    n = write_deliveries(
        target,
        ledger(
            session, site_ids, period.start, period.end, keys, include_cancelled=include_cancelled
        ),
        keys,
    )
    audit(
        session,
        ctx,
        actor.who,
        "export",
        f"deliveries:{period.start}:{period.end}",
        sites=list(site_ids),
        rows=n,
        file=target.name,
        channel=actor.channel,
    )
    return File(target, n)


def report_rows(
    session: Session, ctx: Context, site_ids: Sequence[int], year: int
) -> list[list[object]]:
    """Per month: one row per site, then a TOTAL row; then the year's TOTAL row."""
    keys = list(ctx.config.catalogue)
    names = {sid: ctx.site(sid).name for sid in site_ids}
    first = site_ids[0]
    today = ctx.today(ctx.site(first))
    objective = ctx.config.objective
    by_month: dict[int, list[object]] = {}
    rows: list[list[object]] = []
    data = monthly(session, site_ids, year)
    for m in range(1, 13):
        start = date(year, m, 1)
        if start > today:
            engaged_then: dict[int, int] | None = None
        else:
            end = date(year + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
            engaged_then = engaged_by_site(
                session, site_ids, end_of_day(ctx, first, min(end, today))
            )
        month_rows = [r for r in data if r.month == m]
        total = [0, 0, 0, 0, *(0 for _ in keys), 0]
        for r in month_rows:
            values = [
                r.delivered,
                r.failed,
                r.cancelled,
                r.tenants,
                *(r.items.get(k, 0) for k in keys),
                r.visits_done,
            ]
            total = [a + b for a, b in zip(total, values, strict=True)]
            here = None if engaged_then is None else engaged_then.get(r.site_id, 0)
            rows.append([f"{year}-{m:02d}", names[r.site_id], *values, here, None, None])
        n = None if engaged_then is None else sum(engaged_then.values())
        rows.append(
            [
                f"{year}-{m:02d}",
                "TOTAL",
                *total,
                n,
                objective if n is not None else None,
                round(100 * n / objective) if n is not None else None,
            ]
        )
        by_month[m] = total
    whole = figures(session, site_ids, date(year, 1, 1), date(year, 12, 31))
    sums = [sum(v[i] for v in by_month.values()) for i in range(len(next(iter(by_month.values()))))]
    sums[3] = whole.tenants  # distinct over the year, not a sum of months
    year_end = min(date(year, 12, 31), today)
    n_end = (
        engaged(session, site_ids, end_of_day(ctx, first, year_end))
        if date(year, 1, 1) <= today
        else None
    )
    rows.append(
        [
            str(year),
            "TOTAL",
            *sums,
            n_end,
            objective if n_end is not None else None,
            round(100 * n_end / objective) if n_end is not None else None,
        ]
    )
    return rows


def report(
    session: Session,
    ctx: Context,
    actor: Actor,
    site_ids: Sequence[int],
    year: int,
    *,
    path: Path | None = None,
) -> File:
    """The yearly report for the landlord and funders, as CSV; written to the audit log."""
    keys = list(ctx.config.catalogue)
    target = path or export_path("report", str(year), ctx.now())
    n = write_report(target, report_rows(session, ctx, site_ids, year), keys)
    audit(
        session,
        ctx,
        actor.who,
        "report",
        f"report:{year}",
        sites=list(site_ids),
        rows=n,
        file=target.name,
        channel=actor.channel,
    )
    return File(target, n)
