"""What needs a human, kept until a coordinator says it is done.

A message to coordinators can expire in the outbox or be read by nobody; an alert row cannot.
It is written in the same transaction as the message that tells coordinators, with the same
dedupe key, so a repeat writes nothing. Its id is the number coordinators use: `/vu 12` marks
it done, `/repondre 12 …` answers the tenant who wrote it, on the channel and at the address
the message came from (kept here: the inbound row may be purged first).

The text is kept as a catalogue key and its values, not as words: each coordinator reads the
list in their own language.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, str_enum
from models.db import insert_ignoring


class AlertKind(enum.StrEnum):
    URGENT = "urgent"  # health or safety: a fall, pain, hospital
    NOT_HOME = "not_home"  # a tenant did not open to the volunteer
    MISSED = "missed"  # a tenant says nobody came
    NOBODY_TWICE = "nobody_twice"  # two courtesy visits without an answer
    DROPPED = "dropped"  # a volunteer dropped out and some stops have nobody
    UNCOVERED = "uncovered"  # the evening plan left stops without a volunteer
    UNREPORTED = "unreported"  # stops still unreported hours after the morning check
    STOP = "stop"  # a person said STOP
    FORWARD = "forward"  # a question the bot cannot answer
    UNHANDLED = "unhandled"  # a message the bot failed on
    ACCESS = "access"  # a new door code or access
    SEND_FAILED = "send_failed"  # a message that will never reach its person

    @property
    def rank(self) -> int:
        """Urgent first, then a person possibly left without bread, then the rest."""
        if self is AlertKind.URGENT:
            return 0
        if self in (AlertKind.NOT_HOME, AlertKind.MISSED, AlertKind.NOBODY_TWICE):
            return 1
        if self in (AlertKind.DROPPED, AlertKind.UNCOVERED, AlertKind.UNREPORTED):
            return 2
        return 3

    @property
    def answerable(self) -> bool:
        """A tenant wrote it, and may be waiting for a human's answer."""
        return self in ANSWERABLE


ANSWERABLE = frozenset(
    {AlertKind.URGENT, AlertKind.MISSED, AlertKind.ACCESS, AlertKind.FORWARD, AlertKind.UNHANDLED}
)


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (sa.Index("ix_alerts_open", "seen_at", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[AlertKind] = mapped_column(str_enum(AlertKind))
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sites.id"))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    text_key: Mapped[str] = mapped_column(sa.String(80))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    channel: Mapped[str | None] = mapped_column(sa.String(16))  # where the person wrote from
    address: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime]
    seen_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    seen_by: Mapped[str | None] = mapped_column(sa.String(80))
    seen_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]


_INSERT = insert_ignoring(Alert.__table__, ("dedupe_key",))
_BLANK = {c.name: None for c in Alert.__table__.columns if c.name != "id"}


def raise_alert(
    session: Session,
    *,
    key: str,
    kind: AlertKind,
    site_id: int | None,
    person_id: int | None,
    text_key: str,
    params: dict[str, Any],
    now: datetime,
    origin: tuple[str, str] | None = None,
) -> int:
    """The alert's number, written once per key (a repeat gets the first one's number)."""
    key = key[:200]
    values = _BLANK | {
        "dedupe_key": key,
        "kind": kind,
        "site_id": site_id,
        "person_id": person_id,
        "text_key": text_key,
        "params": {k: v for k, v in params.items() if isinstance(v, str | int | float)},
        "channel": origin[0] if origin else None,
        "address": origin[1] if origin else None,
        "created_at": now,
    }
    made = session.execute(_INSERT, values).scalar_one_or_none()
    if made is not None:
        return int(made)
    return int(session.scalar(sa.select(Alert.id).where(Alert.dedupe_key == key)) or 0)


def open_alerts(session: Session, site_ids: list[int] | None) -> list[Alert]:
    """Alerts nobody has marked done, urgent first, then the oldest first.

    `site_ids` None is every site; alerts about no site (a loop, a number) are everyone's."""
    q = sa.select(Alert).where(Alert.seen_at.is_(None))
    if site_ids is not None:
        q = q.where(sa.or_(Alert.site_id.in_(site_ids), Alert.site_id.is_(None)))
    rows = list(session.scalars(q.order_by(Alert.created_at, Alert.id)))
    return sorted(rows, key=lambda a: a.kind.rank)


def mark_seen(alert: Alert, who: str, who_id: int | None, now: datetime) -> bool:
    """Close the alert; False when it already was."""
    if alert.seen_at is not None:
        return False
    alert.seen_at, alert.seen_by, alert.seen_by_id = now, who[:80], who_id
    return True
