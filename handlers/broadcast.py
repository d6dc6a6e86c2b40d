"""`/diffuser`: one message to every tenant of a site, to isolated tenants, or to volunteers.

"/diffuser isolés Canicule : buvez de l'eau, fermez les volets. || Heatwave: drink water…"
The coordinator first sees how many people it will reach (those who said STOP are not counted
and get nothing) and confirms; then one outbox row per person, under one broadcast token, so a
repeated confirmation sends nothing twice. Text after "||" goes to English speakers.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers.access import Actor
from handlers.notify import tell
from handlers.people_admin import audit
from handlers.replies import fold
from handlers.texts import t
from handlers.types import Reply
from models.base import PersonStatus
from models.context import Context
from models.people import Person, TenantProfile

AUDIENCES: dict[str, tuple[str, ...]] = {
    "tenants": ("locataires", "locataire", "tenants", "tenant", "tous", "tout le monde", "all"),
    "isolated": ("isoles", "isolees", "isole", "isolee", "isolated"),
    "volunteers": ("benevoles", "benevole", "volunteers", "volunteer"),
}
LIFETIME = timedelta(hours=24)  # an alert a day late is noise
SEPARATOR = "||"


@dataclass(frozen=True)
class Draft:
    audience: str
    site_ids: list[int]
    text: str
    text_en: str

    def to_json(self) -> dict[str, object]:
        return {
            "audience": self.audience,
            "site_ids": self.site_ids,
            "text": self.text,
            "text_en": self.text_en,
        }


def read_draft(words: Sequence[str], site_ids: list[int]) -> Draft | None:
    """The audience (first word, tenants by default) and the text; None when there is no text."""
    audience = "tenants"
    rest = list(words)
    for n in (3, 2, 1):
        head = fold(" ".join(rest[:n]))
        found = next((a for a, names in AUDIENCES.items() if head in names), None)
        if found and len(rest) >= n:
            audience, rest = found, rest[n:]
            break
    body = " ".join(rest).strip(" :")
    french, _, english = body.partition(SEPARATOR)
    french, english = french.strip(), english.strip()
    if not french:
        return None
    return Draft(audience, site_ids, french, english)


def recipients(session: Session, draft: Draft) -> list[Person]:
    """Everyone in the audience who is active and not erased, STOP included (counted apart)."""
    q = sa.select(Person).where(
        Person.site_id.in_(draft.site_ids),
        Person.status == PersonStatus.ACTIVE,
        Person.erased_at.is_(None),
    )
    if draft.audience == "volunteers":
        q = q.where(Person.is_volunteer.is_(True))
    else:
        q = q.where(Person.is_tenant.is_(True))
        if draft.audience == "isolated":
            q = q.join(TenantProfile, TenantProfile.person_id == Person.id).where(
                TenantProfile.isolated.is_(True)
            )
    return list(session.scalars(q.order_by(Person.id)))


def reach(people: Sequence[Person]) -> tuple[int, int]:
    """(how many will get it, how many said STOP and will not)."""
    stopped = sum(1 for p in people if p.opted_out_at is not None)
    return len(people) - stopped, stopped


def question(session: Session, actor: Actor, draft: Draft, scope: str) -> str:
    lang = actor.lang
    people = recipients(session, draft)
    n, stopped = reach(people)
    english = sum(1 for p in people if p.language == "en" and p.opted_out_at is None)
    parts = [
        t(
            lang,
            "coord.broadcast.confirm",
            n=n,
            audience=t(lang, f"coord.audience.{draft.audience}"),
            scope=scope,
            text=draft.text,
        )
    ]
    if stopped:
        parts.append(t(lang, "coord.broadcast.stopped", n=stopped))
    if english and not draft.text_en:
        parts.append(t(lang, "coord.broadcast.no_english", n=english))
    return " ".join(parts)


def send(
    session: Session, ctx: Context, actor: Actor, draft: Draft, token: str | None = None
) -> int:
    """Queue the message for everyone in the audience (STOP respected by the outbox); how many
    were queued. The token makes a second confirmation of the same draft a no-op."""
    token = token or secrets.token_hex(6)
    now = ctx.now()
    queued = 0
    for person in recipients(session, draft):
        text = draft.text_en if person.language == "en" and draft.text_en else draft.text
        queued += tell(
            session,
            ctx,
            person,
            f"broadcast:{token}:{person.id}",
            Reply(text, person.language),
            kind="broadcast",
            expires_at=now + LIFETIME,
        )
    audit(
        session,
        ctx,
        actor.who,
        "broadcast",
        f"audience:{draft.audience}",
        sites=draft.site_ids,
        reached=queued,
        text=draft.text[:300],
        text_en=draft.text_en[:300],
        channel=actor.channel,
        token=token,
    )
    return queued


def new_token() -> str:
    return secrets.token_hex(6)
