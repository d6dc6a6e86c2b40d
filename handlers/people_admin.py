"""Coordinator actions on people (approve, refuse), shared by the CLI and Telegram commands."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers.notify import tell
from handlers.replies import say
from handlers.types import Refusal
from models.audit import AuditEntry
from models.base import PersonStatus
from models.context import Context
from models.people import Person, approve
from models.phones import try_normalise


def find(session: Session, who: str) -> Person:
    """A person by id or phone number; LookupError with a readable message otherwise."""
    who = who.strip()
    person = None
    if who.isdigit() and len(who) < 9:
        person = session.get(Person, int(who))
    else:
        phone = try_normalise(who)
        if phone:
            person = session.scalar(sa.select(Person).where(Person.phone == phone))
    if person is None or person.erased_at is not None:
        raise LookupError(f"nobody with id or phone {who!r}")
    return person


def audit(
    session: Session, ctx: Context, actor: Person | str, action: str, target: str, **details: object
) -> None:
    session.add(
        AuditEntry(
            at=ctx.now(),
            actor_id=actor.id if isinstance(actor, Person) else None,
            actor=actor.name if isinstance(actor, Person) else actor,
            action=action,
            target=target[:120],
            details=dict(details),
        )
    )


def approve_person(session: Session, ctx: Context, who: str, actor: Person | str) -> str:
    person = find(session, who)
    if not approve(session, person, ctx.clock):
        return Refusal(f"{person.name} (#{person.id}) was already {person.status.value}")
    audit(session, ctx, actor, "approve", f"person:{person.id}", name=person.name)
    tell(
        session,
        ctx,
        person,
        f"approved:{person.id}",
        say(person.language, "registration.approved", name=person.name),
    )
    return f"approved {person.name} (#{person.id}); they have been told"


def refuse_person(session: Session, ctx: Context, who: str, actor: Person | str) -> str:
    person = find(session, who)
    person.status = PersonStatus.REFUSED
    audit(session, ctx, actor, "refuse", f"person:{person.id}", name=person.name)
    tell(session, ctx, person, f"refused:{person.id}", say(person.language, "registration.refused"))
    return f"refused {person.name} (#{person.id}); they have been told"
