"""The texts of the evening: a volunteer's round, what to collect, a supplier's totals, stop lists.

A round is one message: long multi-part SMS can arrive out of order behind shorter ones, so we
never send a round as a burst. On Telegram each stop gets two buttons (delivered, not home).
A round sent again after a change starts with what changed, by number and name: the numbers a
volunteer already has never move (`models.delivery.save_plan`), so "FAIT 1" stays that door.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time

from handlers.texts import t
from handlers.texts.formats import address, clock_time, listing
from handlers.texts.formats import day as say_day
from handlers.texts.formats import items as say_items
from handlers.types import Choice, Reply
from models.config import ServiceConfig
from models.context import Context
from models.delivery import StopView
from models.people import Addressee, Person
from models.visits import Visit


def collect(ctx: Context, stops: list[StopView], lang: str) -> str:
    """What to pick up from each supplier for these stops."""
    totals: dict[str, Counter[str]] = {}
    for stop in stops:
        for key, n in stop.items.items():
            supplier = ctx.config.catalogue[key].supplier
            totals.setdefault(supplier, Counter())[key] += n
    parts = [
        t(
            lang,
            "round.collect_from",
            supplier=ctx.config.suppliers[s].name,
            items=say_items(dict(c), lang, ctx.item_names),
        )
        for s, c in totals.items()
    ]
    return "; ".join(parts)


@dataclass
class RoundChange:
    """What changed in a round already sent: stops (number, tenant's name) that came and went,
    and visits (tenant's name, time) that came."""

    added: list[tuple[int, str]] = field(default_factory=list)
    removed: list[tuple[int, str]] = field(default_factory=list)
    visits: list[tuple[str, time]] = field(default_factory=list)


def change_lines(change: RoundChange, lang: str) -> list[str]:
    """ "Changement : …", then the stops that came and went and the visits that came, by name:
    a volunteer re-reading a whole round would miss what moved."""
    lines = [t(lang, "round.changed")]
    if change.added:
        lines.append(
            t(lang, "round.added", n=len(change.added), list=stops_list(change.added, lang))
        )
    if change.removed:
        lines.append(
            t(lang, "round.removed", n=len(change.removed), list=stops_list(change.removed, lang))
        )
    if change.visits:
        parts = [
            t(lang, "round.visit_ref", name=name, time=clock_time(at, lang))
            for name, at in change.visits
        ]
        lines.append(t(lang, "round.visits_added", n=len(parts), list=listing(parts, lang)))
    if change.added or change.removed:
        lines.append(t(lang, "round.numbers_kept"))
    return lines


def stop_notes(tenant: Person | Addressee, lang: str) -> list[str]:
    """What the volunteer must know at this door: the time need, the bread bag, the notes."""
    notes = []
    profile = tenant.tenant
    if profile is not None:
        if profile.time_need:
            notes.append(t(lang, "round.time_need", need=profile.time_need))
        if profile.bread_bag:
            notes.append(t(lang, "round.bread_bag"))
        if profile.notes:
            notes.append(profile.notes)
    return notes


def round_reply(
    ctx: Context,
    volunteer: Person,
    day: date,
    stops: list[StopView],
    visits: list[tuple[Visit, Person]],
    *,
    change: RoundChange | None = None,
) -> Reply:
    lang = volunteer.language
    lines = []
    if change is not None:
        lines.extend(change_lines(change, lang))
    lines.append(t(lang, "round.header", day=say_day(day, lang), name=volunteer.name.split()[0]))
    if stops:
        lines.append(t(lang, "round.collect", parts=collect(ctx, stops, lang)))
    for stop in stops:
        tenant = stop.tenant
        line = t(
            lang,
            "round.stop",
            n=stop.position,
            name=tenant.name,
            where=address(tenant, lang),
            items=say_items(stop.items, lang, ctx.item_names),
        )
        notes = stop_notes(tenant, lang)
        if stop.outcome is not None:
            notes.append(t(lang, f"outcome.{stop.outcome.value}"))
        lines.append(" ".join([line, *notes]))
    for visit, tenant in visits:
        lines.append(visit_line(visit, tenant, lang))
    if not stops and not visits:
        lines.append(t(lang, "round.nothing"))
    elif stops:
        lines.append(t(lang, "round.footer", example=min(2, len(stops))))
    if visits:
        lines.append(t(lang, "round.visit_footer"))
    menu: list[Choice] = []
    for stop in stops:
        menu.append(
            Choice(f"stop:{stop.stop_id}:done", t(lang, "round.button_done", n=stop.position))
        )
        menu.append(
            Choice(
                f"stop:{stop.stop_id}:not_home", t(lang, "round.button_not_home", n=stop.position)
            )
        )
    return Reply("\n".join(lines), lang, menu=tuple(menu))


def visit_line(visit: Visit, tenant: Person, lang: str) -> str:
    """ "Visite : Mme Odette Lambert (bât. B, …) vers 14 h." and the door notes ("sonner fort");
    the bread bag and a delivery's time need say nothing about a visit."""
    line = t(
        lang,
        "round.visit",
        name=tenant.name,
        where=address(tenant, lang),
        time=clock_time(visit.window_start or time(15, 0), lang),
    )
    profile = tenant.tenant
    return " ".join([line, profile.notes]) if profile is not None and profile.notes else line


def supplier_reply(
    config: ServiceConfig,
    ctx: Context,
    supplier: Person,
    day: date,
    totals: Mapping[str, int],
    site_name: str,
) -> Reply:
    lang = supplier.language
    if not any(totals.values()):
        return Reply(t(lang, "supplier.nothing", day=say_day(day, lang), site=site_name), lang)
    return Reply(
        t(
            lang,
            "supplier.totals",
            day=say_day(day, lang),
            site=site_name,
            items=say_items(dict(totals), lang, ctx.item_names),
        ),
        lang,
    )


def stops_list(stops: list[tuple[str, str]], lang: str) -> str:
    """ "n°2 Mme Pouli (bât. C), n°5 …" for alerts."""
    return listing([t(lang, "round.stop_ref", n=n, name=name) for n, name in stops], lang)
