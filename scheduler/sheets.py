"""Printable round sheets: one page (or more) per volunteer, large type, a stop never split.

Print-ready HTML rather than PDF: every browser prints it, nothing to install, and
`break-inside: avoid` keeps each stop whole on a page.
"""

from __future__ import annotations

from datetime import date, time
from html import escape

from handlers.round_texts import collect, stop_notes
from handlers.texts import t
from handlers.texts.formats import address as say_address
from handlers.texts.formats import clock_time
from handlers.texts.formats import day as say_day
from handlers.texts.formats import items as say_items
from models.context import Context
from models.delivery import StopView
from models.people import Addressee, Person
from models.visits import Visit

STYLE = """
@page { size: A4; margin: 15mm; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 18pt; line-height: 1.35; }
section.round { page-break-before: always; break-before: page; }
section.round:first-of-type { page-break-before: auto; break-before: auto; }
h1 { font-size: 26pt; margin: 0 0 6pt 0; }
h2 { font-size: 20pt; margin: 12pt 0 0 0; }
p.collect { font-size: 16pt; border: 2pt solid #000; padding: 6pt; }
div.stop { break-inside: avoid; page-break-inside: avoid; border-bottom: 1pt solid #666;
           padding: 8pt 0; display: flex; gap: 12pt; }
div.n { font-size: 28pt; font-weight: bold; min-width: 1.6em; }
div.box { font-size: 14pt; margin-top: 4pt; }
span.note { font-weight: bold; }
"""


def sheet(
    ctx: Context,
    day: date,
    rounds: list[tuple[Person, list[StopView], list[tuple[Visit, Person]]]],
    lang: str = "fr",
) -> str:
    """One section per volunteer: what to collect, each stop with its notes, then the courtesy
    visits (each drawn like a stop, so that erasing a person blanks it whole)."""
    parts = [
        "<!doctype html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{escape(t(lang, 'sheet.title', day=say_day(day, lang)))}</title>",
        f"<style>{STYLE}</style></head><body>",
    ]
    for volunteer, stops, visits in rounds:
        parts.append('<section class="round">')
        header = t(lang, "round.header", day=say_day(day, lang), name=volunteer.name)
        parts.append(f"<h1>{escape(header)}</h1>")
        if stops:
            pickup = t(lang, "round.collect", parts=collect(ctx, stops, lang))
            parts.append(f'<p class="collect">{escape(pickup)}</p>')
        for stop in stops:
            what = say_items(stop.items, lang, ctx.item_names)
            parts.append(
                _block(str(stop.position), stop.tenant, what, stop_notes(stop.tenant, lang), lang)
            )
        if not stops:
            parts.append(f"<p>{escape(t(lang, 'round.nothing'))}</p>")
        if visits:
            parts.append(f"<h2>{escape(t(lang, 'sheet.visits'))}</h2>")
        for visit, tenant in visits:
            when = clock_time(visit.window_start or time(15, 0), lang)
            notes = [tenant.tenant.notes] if tenant.tenant and tenant.tenant.notes else []
            parts.append(
                _block(
                    t(lang, "sheet.visit_mark"),
                    tenant,
                    when,
                    notes,
                    lang,
                    boxes="sheet.visit_boxes",
                )
            )
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _block(
    mark: str,
    tenant: Person | Addressee,
    what: str,
    notes: list[str],
    lang: str,
    boxes: str = "sheet.boxes",
) -> str:
    return (
        '<div class="stop">'
        f'<div class="n">{escape(mark)}</div><div>'
        f"<strong>{escape(tenant.name)}</strong><br>{escape(say_address(tenant, lang))}<br>"
        f"{escape(what)}"
        + "".join(f'<br><span class="note">{escape(n)}</span>' for n in notes)
        + f'<div class="box">{escape(t(lang, boxes))}</div>'
        "</div></div>"
    )
