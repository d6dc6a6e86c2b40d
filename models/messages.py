"""Inbound messages (deduplicated by the channel's own id) and the outbox of what we send.

The inbound row is committed before a webhook is acknowledged, and carries the reply we gave,
so a retried webhook gets the same answer and changes nothing. An outbox row is written in the
same transaction as the change that caused it; its unique dedupe key makes a repeat a no-op.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, OutboxStatus, str_enum


class InboundMessage(Base):
    __tablename__ = "inbound_messages"
    __table_args__ = (
        sa.UniqueConstraint("channel", "external_id"),
        sa.Index("ix_inbound_address_received", "channel", "address", "received_at"),
        sa.Index("ix_inbound_handled_by", "handled_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16))
    external_id: Mapped[str] = mapped_column(sa.String(64))
    address: Mapped[str] = mapped_column(sa.String(64))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    text: Mapped[str | None] = mapped_column(sa.Text)
    payload: Mapped[dict[str, Any] | None]
    received_at: Mapped[datetime]
    handled_at: Mapped[datetime | None]
    reply: Mapped[dict[str, Any] | None]
    replied_at: Mapped[datetime | None]
    # The process lease (models/leases.py) of the process that handled it and owes its answer:
    # another process sends an answer left unsent only once this one is dead.
    handled_by: Mapped[str | None] = mapped_column(sa.String(32))


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (sa.Index("ix_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sites.id"))
    channel: Mapped[str] = mapped_column(sa.String(16))
    address: Mapped[str] = mapped_column(sa.String(64))
    payload: Mapped[dict[str, Any]]
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.String(300))
    external_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    delivery_status: Mapped[str | None] = mapped_column(sa.String(24))
    created_at: Mapped[datetime]
    # When the provider call began. A row found `sending` after a crash without it never left
    # (claimed, then waiting its turn): sent again safely. With it, it is in doubt.
    started_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
