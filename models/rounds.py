"""A volunteer's round for one delivery day, and its stops."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, DeliveryOutcome, str_enum


class Round(Base):
    __tablename__ = "rounds"
    __table_args__ = (sa.UniqueConstraint("site_id", "delivery_date", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"))
    delivery_date: Mapped[date]
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    dropped_at: Mapped[datetime | None]

    stops: Mapped[list[Stop]] = relationship(
        back_populates="round", order_by="Stop.position", lazy="selectin"
    )


class Stop(Base):
    """One order on one round; an order is on at most one round (unique order_id)."""

    __tablename__ = "stops"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rounds.id", ondelete="CASCADE"),
        index=True,  # a round's stops (0002)
    )
    order_id: Mapped[int] = mapped_column(
        sa.ForeignKey("orders.id", ondelete="CASCADE"), unique=True
    )
    position: Mapped[int]
    outcome: Mapped[DeliveryOutcome | None] = mapped_column(str_enum(DeliveryOutcome))
    reported_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]

    round: Mapped[Round] = relationship(back_populates="stops")
