"""Finding, creating and updating people: the operations behind imports, approvals and linking."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.base import PersonStatus, Role
from models.clock import Clock
from models.people import Person, TenantProfile, VolunteerProfile


@dataclass
class PersonData:
    """What an import row or a registration says about someone (phone is the key)."""

    name: str
    phone: str
    site_id: int
    language: str = "fr"
    telegram_id: int | None = None
    roles: set[Role] = field(default_factory=set)
    supplier_key: str | None = None
    tenant: dict[str, Any] | None = None  # TenantProfile columns
    volunteer: dict[str, Any] | None = None  # VolunteerProfile columns


# Built once: these run for every inbound message, and building a statement costs more than
# running it on SQLite.
_BY_PHONE = sa.select(Person).where(Person.phone == sa.bindparam("phone"))
_BY_TELEGRAM = sa.select(Person).where(Person.telegram_id == sa.bindparam("tid"))
# The same, holding the person's row until commit: two messages from one person handled at once
# (two SMS sent in a row reach two workers) take turns instead of racing on their conversation.
# SQLite has one writer already; the clause is ignored there.
_BY_PHONE_LOCKED = _BY_PHONE.with_for_update()
_BY_TELEGRAM_LOCKED = _BY_TELEGRAM.with_for_update()


def by_phone(session: Session, phone: str, *, lock: bool = False) -> Person | None:
    return session.scalar(_BY_PHONE_LOCKED if lock else _BY_PHONE, {"phone": phone})


def by_telegram(session: Session, telegram_id: int, *, lock: bool = False) -> Person | None:
    return session.scalar(_BY_TELEGRAM_LOCKED if lock else _BY_TELEGRAM, {"tid": telegram_id})


def upsert(session: Session, data: PersonData, clock: Clock) -> str:
    """Create or update the person with this phone; returns "created", "updated" or "unchanged".

    Roles are added, never removed, by an import: a tenant who is also a volunteer appears in
    both files. An imported person is approved (a coordinator prepared the file).
    """
    person = by_phone(session, data.phone)
    created = person is None
    if person is None:
        person = Person(phone=data.phone, created_at=clock.now())
        session.add(person)
    changed = _assign(
        person,
        name=data.name,
        site_id=data.site_id,
        language=data.language,
        supplier_key=data.supplier_key or person.supplier_key,
    )
    if data.telegram_id is not None:
        changed |= _assign(person, telegram_id=data.telegram_id)
    for role in data.roles:
        changed |= _assign(person, **{f"is_{role.value}": True})
    if person.status is not PersonStatus.ACTIVE or person.approved_at is None:
        person.status, person.approved_at = PersonStatus.ACTIVE, clock.now()
        changed = True
    if data.tenant is not None:
        if person.tenant is None:
            person.tenant = TenantProfile()
            changed = True
        changed |= _assign(person.tenant, **data.tenant)
    if data.volunteer is not None:
        if person.volunteer is None:
            person.volunteer = VolunteerProfile()
            changed = True
        changed |= _assign(person.volunteer, **data.volunteer)
    session.flush()
    return "created" if created else ("updated" if changed else "unchanged")


def _assign(obj: object, **values: Any) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def approve(session: Session, person: Person, clock: Clock) -> bool:
    """Make a pending newcomer an active tenant; False when they already were."""
    if person.status is PersonStatus.ACTIVE:
        return False
    person.status, person.approved_at = PersonStatus.ACTIVE, clock.now()
    person.is_tenant = True
    if person.tenant is None:
        person.tenant = TenantProfile()
    return True


def mark_telegram_blocked(session: Session, telegram_id: int, now: datetime) -> bool:
    """The person with this Telegram account blocked the bot; whether this is news."""
    person = by_telegram(session, int(telegram_id))
    if person is None or person.telegram_blocked_at is not None:
        return False
    person.telegram_blocked_at = now
    return True


def coordinators(session: Session, site_id: int | None = None) -> list[Person]:
    """Coordinators who can be reached (of the site, or of every site when they have none)."""
    q = sa.select(Person).where(
        Person.is_coordinator.is_(True),
        Person.status == PersonStatus.ACTIVE,
        Person.erased_at.is_(None),
    )
    if site_id is not None:
        q = q.where(sa.or_(Person.site_id == site_id, Person.site_id.is_(None)))
    return list(session.scalars(q.order_by(Person.id)))


def people(
    session: Session, role: Role | None = None, status: PersonStatus | None = None
) -> list[Person]:
    q = sa.select(Person).where(Person.erased_at.is_(None))
    if role is not None:
        q = q.where(getattr(Person, f"is_{role.value}").is_(True))
    if status is not None:
        q = q.where(Person.status == status)
    return list(session.scalars(q.order_by(Person.id)))


def in_pause(session: Session, person_id: int, day: date) -> bool:
    from models.orders import Pause

    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Pause)
            .where(Pause.person_id == person_id, Pause.start_on <= day, Pause.end_on >= day)
        )
        or 0
    ) > 0
