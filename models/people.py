"""People (tenants, volunteers, coordinators, suppliers), what each role needs to know, and the
directory's operations: finding, creating and updating people (imports, approvals, linking).

Health-related facts are flags with a consent date, visible to coordinators only; we store the
fact the service needs (reduced mobility, isolated) and never a diagnosis (CNIL, GDPR art. 9).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import Base, Channel, PersonStatus, Role, str_enum
from models.clock import Clock
from models.phones import is_french_landline


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sites.id"))
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    phone: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    telegram_id: Mapped[int | None] = mapped_column(sa.BigInteger, unique=True)
    language: Mapped[str] = mapped_column(sa.String(2), default="fr")
    # How the service reaches them first; None means "the channel they last wrote from".
    preferred_channel: Mapped[Channel | None] = mapped_column(str_enum(Channel))
    status: Mapped[PersonStatus] = mapped_column(
        str_enum(PersonStatus), default=PersonStatus.ACTIVE
    )
    is_tenant: Mapped[bool] = mapped_column(default=False)
    is_volunteer: Mapped[bool] = mapped_column(default=False)
    is_coordinator: Mapped[bool] = mapped_column(default=False)
    is_supplier: Mapped[bool] = mapped_column(default=False)
    supplier_key: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime]
    approved_at: Mapped[datetime | None]
    opted_out_at: Mapped[datetime | None]
    telegram_blocked_at: Mapped[datetime | None]
    sms_failed_at: Mapped[datetime | None]
    sms_error: Mapped[str | None] = mapped_column(sa.String(120))
    erased_at: Mapped[datetime | None]

    tenant: Mapped[TenantProfile | None] = relationship(
        back_populates="person", uselist=False, cascade="all, delete-orphan"
    )
    volunteer: Mapped[VolunteerProfile | None] = relationship(
        back_populates="person", uselist=False, cascade="all, delete-orphan"
    )

    def has(self, role: Role) -> bool:
        return bool(getattr(self, f"is_{role.value}"))

    @property
    def roles(self) -> list[Role]:
        return [r for r in Role if self.has(r)]

    @property
    def active(self) -> bool:
        return self.status is PersonStatus.ACTIVE and self.erased_at is None


class TenantProfile(Base):
    """Where a tenant lives and what the volunteer must know at the door."""

    __tablename__ = "tenant_profiles"

    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    building: Mapped[str] = mapped_column(sa.String(40), default="")
    entrance: Mapped[str | None] = mapped_column(sa.String(10))
    floor: Mapped[int | None]
    apartment: Mapped[str | None] = mapped_column(sa.String(10))
    address_text: Mapped[str | None] = mapped_column(sa.String(200))
    reduced_mobility: Mapped[bool] = mapped_column(default=False)
    isolated: Mapped[bool] = mapped_column(default=False)
    elderly: Mapped[bool] = mapped_column(default=False)
    ill: Mapped[bool] = mapped_column(default=False)
    consent_on: Mapped[date | None]
    bread_bag: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(sa.String(200), default="")
    time_need: Mapped[str | None] = mapped_column(sa.String(80))
    visit_rhythm_days: Mapped[int | None]

    person: Mapped[Person] = relationship(back_populates="tenant")

    NEEDS = ("reduced_mobility", "isolated", "elderly", "ill")

    @property
    def needs(self) -> list[str]:
        return [n for n in self.NEEDS if getattr(self, n)]


@dataclass(frozen=True, slots=True)
class Doorstep:
    """What a round shows of a tenant's profile: where the door is and what to know there.
    Read as plain columns (`Addressee.columns`) when thousands of stops are written at once:
    building an ORM object per tenant cost the evening job most of its time (issue 17)."""

    building: str
    entrance: str | None
    floor: int | None
    apartment: str | None
    bread_bag: bool
    notes: str
    time_need: str | None


@dataclass(frozen=True, slots=True)
class Addressee:
    """A tenant as a volunteer's round names them: `name` and `tenant` read like a `Person`'s,
    so `address` and the round texts take either."""

    id: int
    name: str
    tenant: Doorstep | None

    #: The columns `from_row` reads, in order, after a select joined to the tenant profile
    #: (outer: a tenant without a profile has no address).
    columns = (
        Person.id,
        Person.name,
        TenantProfile.person_id,
        TenantProfile.building,
        TenantProfile.entrance,
        TenantProfile.floor,
        TenantProfile.apartment,
        TenantProfile.bread_bag,
        TenantProfile.notes,
        TenantProfile.time_need,
    )

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Addressee:
        pid, name, profile_id, *door = row
        return cls(pid, name, None if profile_id is None else Doorstep(*door))

    @classmethod
    def of(cls, person: Person) -> Addressee:
        p = person.tenant
        door = (
            None
            if p is None
            else Doorstep(
                p.building, p.entrance, p.floor, p.apartment, p.bread_bag, p.notes, p.time_need
            )
        )
        return cls(person.id, person.name, door)


class VolunteerProfile(Base):
    __tablename__ = "volunteer_profiles"

    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    weekdays: Mapped[str] = mapped_column(sa.String(40), default="mon,tue,wed,thu,fri,sat,sun")
    max_packs: Mapped[int | None]

    person: Mapped[Person] = relationship(back_populates="volunteer")

    def available_on(self, weekday: str) -> bool:
        return weekday in self.weekdays.split(",")


class VolunteerAbsence(Base):
    """A volunteer away for a range of days: their stops go to others meanwhile."""

    __tablename__ = "volunteer_absences"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    start_on: Mapped[date]
    end_on: Mapped[date]
    created_at: Mapped[datetime]


class LinkCode(Base):
    """A one-time code a coordinator hands out: `/start CODE` links a Telegram account."""

    __tablename__ = "link_codes"

    code: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


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
    preferred_channel: Channel | None = None  # None: keep what is known
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
    if data.preferred_channel is not None:
        changed |= _assign(person, preferred_channel=data.preferred_channel)
    changed |= call_if_landline(person)
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


def call_if_landline(person: Person) -> bool:
    """A French landline is reached by a phone call (a text fails there: Twilio's 21614),
    unless a channel was chosen already (a coordinator's choice stands). True if set now."""
    if person.preferred_channel is None and person.phone and is_french_landline(person.phone):
        person.preferred_channel = Channel.VOICE
        return True
    return False


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


PERSON_FIELDS = ("name", "phone", "site_id", "language", "telegram_id")


def apply_changes(person: Person, data: PersonData) -> list[str]:
    """Write a checked row onto someone known (a coordinator's change); the columns changed.

    Unlike `upsert`, the phone may change (the person is found by number, not by phone) and
    roles are left as they are; a profile is changed only where the person has one."""
    changed = [f for f in PERSON_FIELDS if getattr(person, f) != getattr(data, f)]
    for f in changed:
        setattr(person, f, getattr(data, f))
    if data.preferred_channel is not None and person.preferred_channel != data.preferred_channel:
        person.preferred_channel = data.preferred_channel
        changed.append("channel")
    for profile, values in ((person.tenant, data.tenant), (person.volunteer, data.volunteer)):
        if profile is None or values is None:
            continue
        for key, value in values.items():
            if getattr(profile, key) != value:
                setattr(profile, key, value)
                changed.append(key)
    return changed
