"""Messages to coordinators (alerts, newcomers, forwarded questions), each in their language.

A message that needs a human (`alert=`) is also kept as an alert row (`models.alerts`) until a
coordinator marks it done; the message carries its number and says how to close or answer it.

The values an alert carries are rendered for each reader, never once in French for all: a value
with words in it (a date, an address, a list, "personne") is passed as `per_reader(...)`, a
function of the language. It is also a plain string (the default language's wording), so
whatever keeps an alert's values as text (a log line, a stored row) still has one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from handlers.texts import language, t
from handlers.texts.formats import day as say_day
from handlers.types import Reply
from models.alerts import AlertKind, raise_alert
from models.context import Context
from models.outbox import Message, enqueue, enqueue_many
from models.people import Person, coordinators


class Localised(str):
    """A value written in each reader's language; as a plain string, the default language's."""

    render: Callable[[str], str]


def per_reader(render: Callable[[str], str]) -> Localised:
    """A value that `tell_coordinators` writes in each coordinator's language."""
    value = Localised(render(language(None)))
    value.render = render
    return value


def per_reader_day(day: date) -> Localised:
    """A date spelled out in each reader's language ("mardi 24 novembre", "Tuesday 24 November")."""
    return per_reader(lambda lang: say_day(day, lang))


def localise(lang: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters of a text for one reader."""
    out = {}
    for key, value in params.items():
        if isinstance(value, Localised):
            value = value.render(lang)
        elif callable(value):  # a function of the language, as `per_reader` holds one
            value = value(lang)
        elif isinstance(value, date) and not isinstance(value, datetime):
            value = say_day(value, lang)
        out[key] = value
    return out


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
            params=localise("fr", params),
            now=now,
            origin=origin,
        )
    for person in coordinators(session, site_id):
        lang = person.language
        values = localise(lang, params)
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


@dataclass(frozen=True)
class Letter:
    """One of many messages `tell_many` queues; its own expiry overrides the batch's."""

    person: Person
    key: str
    reply: Reply
    expires_at: datetime | None = None


def tell_many(
    session: Session,
    ctx: Context,
    letters: Iterable[Letter],
    *,
    kind: str,
    expires_at: datetime | None = None,
) -> int:
    """`tell` for many people at once (the evening's rounds, totals, reminders): one statement
    whatever their number, so the evening job does not grow by a round trip per person.
    How many were queued (a key already queued, or someone who said STOP, is not)."""
    now = ctx.now()
    default = expires_at or now + timedelta(days=2)
    messages = (
        Message(x.person, kind, x.key, x.reply.to_json(), x.expires_at or default) for x in letters
    )
    return enqueue_many(session, messages, now=now, channels=ctx.channels)
