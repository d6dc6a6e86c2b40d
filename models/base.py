"""The declarative base, shared column types and the status vocabularies.

Timestamps are stored in UTC and come back timezone-aware whatever the back-end: SQLite has no
time zones and PostgreSQL hands back the session's zone, so `UTCDateTime` normalises both.
Calendar dates (a delivery day) are plain `Date`s in the site's local calendar.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """An aware UTC datetime in, an aware UTC datetime out, on SQLite and PostgreSQL alike."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use clock.now()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def str_enum(cls: type[enum.Enum]) -> sa.Enum:
    """A status column stored as its string value (no native enum: migrations stay simple)."""
    return sa.Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=24,
        values_callable=lambda e: [m.value for m in e],
    )


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: sa.JSON,
    }


class Role(enum.StrEnum):
    TENANT = "tenant"
    VOLUNTEER = "volunteer"
    COORDINATOR = "coordinator"
    SUPPLIER = "supplier"


class PersonStatus(enum.StrEnum):
    PENDING = "pending"  # a newcomer waiting for a coordinator's approval
    ACTIVE = "active"
    REFUSED = "refused"


class OrderStatus(enum.StrEnum):
    PENDING = "pending"
    PLANNED = "planned"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    FAILED = "failed"


class DeliveryOutcome(enum.StrEnum):
    """What happened at a stop, as the volunteer reports it."""

    IN_HAND = "in_hand"
    BREAD_BAG = "bread_bag"  # left at the door, in the bread bag, nobody woken
    NOT_HOME = "not_home"  # the coordinator follows up that day
    REFUSED = "refused"
    WRONG_ADDRESS = "wrong_address"

    @property
    def delivered(self) -> bool:
        return self in (DeliveryOutcome.IN_HAND, DeliveryOutcome.BREAD_BAG)


class VisitStatus(enum.StrEnum):
    REQUESTED = "requested"  # asked by the tenant, not yet given a day
    PLANNED = "planned"
    DECLINED = "declined"  # the tenant answered NON to the reminder
    DONE = "done"
    NOBODY = "nobody"  # the volunteer found nobody
    MISSED = "missed"  # not reported by the next morning
    CANCELLED = "cancelled"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"  # the person opted out or was erased before it left


class DeliveryStatus(enum.StrEnum):
    """What the provider last said of a message it took (`OutboxMessage.delivery_status`)."""

    PENDING = "pending"  # accepted, queued, being sent
    SENT = "sent"  # handed to the carrier
    DELIVERED = "delivered"  # on the phone (or read)
    FAILED = "failed"  # not delivered, and the provider says why
    OTHER = "other"  # a word we do not act on (cancelled by the provider, unknown)


class Channel(enum.StrEnum):
    SMS = "sms"
    TELEGRAM = "telegram"
    VOICE = "voice"  # a phone call, for tenants with a landline only
    CONSOLE = "console"
