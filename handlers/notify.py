"""Messages to coordinators (alerts, newcomers, forwarded questions), each in their language."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from handlers.texts import t
from handlers.types import Reply
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
    **params: Any,
) -> int:
    """Queue one message per coordinator of the site; how many were queued (0 if repeated).
    A parameter may be a function of the language (a date, a count in words): it is then
    written in each coordinator's own language."""
    sent = 0
    now = ctx.now()
    for person in coordinators(session, site_id):
        lang = person.language
        values = {k: v(lang) if callable(v) else v for k, v in params.items()}
        reply = Reply(text=t(lang, text_key, **values), lang=lang)
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
    )
