"""People (tenants, volunteers, coordinators, suppliers) and what each role needs to know.

Health-related facts are flags with a consent date, visible to coordinators only; we store the
fact the service needs (reduced mobility, isolated) and never a diagnosis (CNIL, GDPR art. 9).
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, PersonStatus, Role, str_enum


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sites.id"))
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    phone: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    telegram_id: Mapped[int | None] = mapped_column(sa.BigInteger, unique=True)
    language: Mapped[str] = mapped_column(sa.String(2), default="fr")
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
