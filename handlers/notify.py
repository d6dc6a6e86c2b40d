"""Messages to coordinators (alerts, newcomers, forwarded questions), each in their language.

A message that needs a human (`alert=`) is also kept as an alert row (`models.alerts`) until a
coordinator marks it done; the message carries its number and says how to close or answer it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from handlers.texts import t
from handlers.types import Reply
from models.alerts import AlertKind, raise_alert
from models.context import Context
from models.outbox import enqueue
from models.people import Person, coordinators


def tell_coordinators(
    session: Session,
    ctx: Context,
    site_id: int | None,
    key: str,
    text_key: str,
    *,
    expires_at: datetime | None = None,
    alert: AlertKind | None = None,
    about: Person | None = None,
    origin: tuple[str, str] | None = None,
    **params: Any,
) -> int:
    """Queue one message per coordinator of the site; how many were queued (0 if repeated).
    A parameter may be a function of the language (a date, a count in words): it is then
    written in each coordinator's own language.

    With `alert`, the alert row is written first (even when no coordinator can be reached):
    `about` is the person it concerns, `origin` the (channel, address) they wrote from."""
    sent = 0
    now = ctx.now()
    number = None
    if alert is not None:
        number = raise_alert(
            session,
            key=key,
            kind=alert,
            site_id=site_id,
            person_id=about.id if about is not None else None,
            text_key=text_key,
            params={k: v("fr") if callable(v) else v for k, v in params.items()},
            now=now,
            origin=origin,
        )
    for person in coordinators(session, site_id):
        lang = person.language
        values = {k: v(lang) if callable(v) else v for k, v in params.items()}
        text = t(lang, text_key, **values)
        if alert is not None and number:
            footer = "alert_footer_answer" if alert.answerable else "alert_footer"
            text += "\n" + t(lang, f"coordinator.{footer}", n=number)
        reply = Reply(text=text, lang=lang)
        sent += enqueue(
            session,
            person=person,
            kind="coordinator",
            key=f"{key}:to:{person.id}",
            payload=reply.to_json(),
            now=now,
            channels=ctx.channels,
            expires_at=expires_at or now + timedelta(days=3),
            site_id=site_id,
        )
    return sent


def tell(
    session: Session,
    ctx: Context,
    person: Person,
    key: str,
    reply: Reply,
    *,
    kind: str = "notice",
    expires_at: datetime | None = None,
    via: tuple[str, str] | None = None,
) -> bool:
    """Queue one message to one person (not a direct reply: it goes through the outbox)."""
    now = ctx.now()
    return enqueue(
        session,
        person=person,
        kind=kind,
        key=key,
        payload=reply.to_json(),
        now=now,
        channels=ctx.channels,
        expires_at=expires_at or now + timedelta(days=2),
        via=via,
    )
