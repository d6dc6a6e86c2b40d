"""The coordinators' alerts: `/alertes` lists what is still open, `/vu N` closes one,
`/repondre N texte` answers the tenant who wrote it.

An alert stays open until a coordinator closes it, so a message to coordinators that expired,
or that the coordinator on duty missed, is still on the list the next morning. Closing and
answering are audited. The answer goes back where the tenant wrote from (their SMS number,
their Telegram chat), in the outbox like every other message, so STOP is honoured there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy.orm import Session

from handlers.access import Actor, deny
from handlers.notify import tell
from handlers.people_admin import audit
from handlers.texts import t
from handlers.texts.formats import clock_time, day_short
from handlers.texts.formats import day as say_day
from handlers.types import Done, Reply
from models.alerts import Alert, mark_seen, open_alerts
from models.context import Context
from models.people import Person, coordinators

LIST_LIMIT = 30  # lines in one message; the rest is counted
NUMBERS = re.compile(r"(?:n°|no|#)?\s*(\d{1,9})", re.IGNORECASE)


def alert_line(ctx: Context, lang: str, alert: Alert) -> str:
    """One alert as coordinators read it: number, when, and the message they were sent."""
    site = ctx.site(alert.site_id) if alert.site_id is not None else ctx.config.sites[0]
    local = alert.created_at.astimezone(site.zone)
    try:
        text = t(lang, alert.text_key, **alert.params)
    except (KeyError, ValueError):  # a key renamed since: the values still say what happened
        text = " ; ".join(str(v) for v in alert.params.values())
    return t(
        lang,
        "coord.alerts.line",
        n=alert.id,
        when=t(
            lang,
            "coord.alerts.when",
            day=day_short(local.date(), lang),
            time=clock_time(local.time(), lang),
        ),
        text=" ".join(text.split()),
    )


def listing(session: Session, ctx: Context, actor: Actor, sites: Sequence[int]) -> str:
    lang = actor.lang
    alerts = open_alerts(session, list(sites))
    # what tenants said (a fall, pain) was read: written down like a /locataire lookup
    audit(session, ctx, actor.who, "view_alerts", "alerts", n=len(alerts), channel=actor.channel)
    if not alerts:
        return t(lang, "coord.alerts.none")
    lines = [t(lang, "coord.alerts.header", n=len(alerts))]
    lines += [alert_line(ctx, lang, a) for a in alerts[:LIST_LIMIT]]
    if len(alerts) > LIST_LIMIT:
        lines.append(t(lang, "coord.more", n=len(alerts) - LIST_LIMIT))
    lines.append(t(lang, "coord.alerts.footer"))
    return "\n".join(lines)


def seen(session: Session, ctx: Context, actor: Actor, text: str) -> Done:
    """Close the alerts numbered in `text` ("12", "12 13", "n°12")."""
    lang = actor.lang
    numbers = [int(n) for n in NUMBERS.findall(text)]
    if not numbers or NUMBERS.sub("", text).strip(" ,;."):
        return Done(False, t(lang, "coord.seen.how"))
    lines, ok = [], True
    for number in dict.fromkeys(numbers):
        alert = session.get(Alert, number)
        if alert is not None and alert.site_id is not None and not actor.covers(alert.site_id):
            deny(session, ctx, actor, "seen", "other site", alert=number)
            alert = None
        if alert is None:
            lines.append(t(lang, "coord.seen.unknown", n=number))
            ok = False
            continue
        if not mark_seen(alert, actor.name, _person_id(actor), ctx.now()):
            ok = False
            site = ctx.site(alert.site_id) if alert.site_id else ctx.config.sites[0]
            assert alert.seen_at is not None
            lines.append(
                t(
                    lang,
                    "coord.seen.already",
                    n=number,
                    who=alert.seen_by or "?",
                    day=say_day(alert.seen_at.astimezone(site.zone).date(), lang),
                )
            )
            continue
        audit(session, ctx, actor.who, "alert_seen", f"alert:{alert.id}", kind=alert.kind.value)
        lines.append(t(lang, "coord.seen.done", n=number))
    return Done(ok, "\n".join(lines))


def answer(session: Session, ctx: Context, actor: Actor, text: str) -> Done:
    """Send the coordinator's words to the tenant an alert came from; the alert is then done."""
    lang = actor.lang
    match = re.match(r"\s*(?:n°|no|#)?\s*(\d{1,9})\b[\s:,.-]*(.*)", text, re.DOTALL)
    if match is None or not match.group(2).strip():
        return Done(False, t(lang, "coord.answer.how"))
    number, words = int(match.group(1)), match.group(2).strip()
    alert = session.get(Alert, number)
    if alert is not None and alert.site_id is not None and not actor.covers(alert.site_id):
        deny(session, ctx, actor, "answer", "other site", alert=number)
        alert = None
    tenant = session.get(Person, alert.person_id) if alert and alert.person_id else None
    if alert is None or tenant is None or tenant.erased_at is not None:
        return Done(False, t(lang, "coord.answer.unknown", n=number))
    if not alert.kind.answerable:
        return Done(False, t(lang, "coord.answer.not_tenant", n=number))
    if tenant.opted_out_at is not None:
        return Done(False, t(lang, "coord.answer.stopped", name=tenant.name))
    now = ctx.now()
    via = (alert.channel, alert.address) if alert.channel and alert.address else None
    first_name = actor.name.split()[0] if actor.person is not None and actor.name.split() else ""
    text = (
        t(tenant.language, "tenant.answer", name=first_name, text=words[:1000])
        if first_name  # a person signs with their first name; the command line, as the team
        else t(tenant.language, "tenant.answer_team", text=words[:1000])
    )
    reply = Reply(text, tenant.language)
    key = f"answer:{alert.id}:{now.isoformat()}"
    if not tell(session, ctx, tenant, key, reply, kind="answer", via=via):
        return Done(False, t(lang, "coord.answer.stopped", name=tenant.name))
    alert.answered_at = now
    mark_seen(alert, actor.name, _person_id(actor), now)
    audit(
        session,
        ctx,
        actor.who,
        "alert_answer",
        f"alert:{alert.id}",
        person=tenant.id,
        text=words[:300],
    )
    return Done(True, t(lang, "coord.answer.sent", name=tenant.name, n=number))


def _person_id(actor: Actor) -> int | None:
    return actor.person.id if actor.person is not None else None


def morning_summary(session: Session, ctx: Context, site_id: int, key: str) -> int:
    """Tell each coordinator of the site what is still open (nothing when all is seen); how
    many alerts were listed. Each reads the list in their language; `key` makes it once."""
    alerts = open_alerts(session, [site_id])
    if not alerts:
        return 0
    for person in coordinators(session, site_id):
        lang = person.language
        lines = [alert_line(ctx, lang, a) for a in alerts[:LIST_LIMIT]]
        if len(alerts) > LIST_LIMIT:
            lines.append(t(lang, "coord.more", n=len(alerts) - LIST_LIMIT))
        text = t(lang, "coordinator.open_alerts", n=len(alerts), list="\n".join(lines))
        tell(session, ctx, person, f"{key}:to:{person.id}", Reply(text, lang), kind="coordinator")
    return len(alerts)
