"""Orders and their lines, standing orders and pauses."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, OrderStatus, Outcome, str_enum


class Order(Base):
    """What one tenant gets on one delivery day: one row per (tenant, day), lines inside."""

    __tablename__ = "orders"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "delivery_date"),
        # person_id last: /stats counts tenants served from the index alone (migration 0002)
        sa.Index(
            "ix_orders_site_status_date_person", "site_id", "status", "delivery_date", "person_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"))
    delivery_date: Mapped[date]
    status: Mapped[OrderStatus] = mapped_column(str_enum(OrderStatus), default=OrderStatus.PENDING)
    source: Mapped[str] = mapped_column(sa.String(16), default="console")
    standing: Mapped[bool] = mapped_column(default=False)
    raw_text: Mapped[str | None] = mapped_column(sa.Text)
    outcome: Mapped[Outcome | None] = mapped_column(str_enum(Outcome))
    outcome_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="OrderLine.item_key",
    )

    @property
    def items(self) -> dict[str, int]:
        return {line.item_key: line.quantity for line in self.lines if line.quantity}


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (sa.UniqueConstraint("order_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(sa.ForeignKey("items.key"))
    quantity: Mapped[int]

    order: Mapped[Order] = relationship(back_populates="lines")


class StandingOrder(Base):
    """Every week on `weekday`, `quantity` of `item_key`: made into an Order each evening."""

    __tablename__ = "standing_orders"
    __table_args__ = (sa.UniqueConstraint("person_id", "weekday", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    weekday: Mapped[str] = mapped_column(sa.String(3))
    item_key: Mapped[str] = mapped_column(sa.ForeignKey("items.key"))
    quantity: Mapped[int]
    created_at: Mapped[datetime]


class Pause(Base):
    """No delivery for a tenant from `start_on` to `end_on` inclusive (hospital, family visit)."""

    __tablename__ = "pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    start_on: Mapped[date]
    end_on: Mapped[date]
    created_at: Mapped[datetime]
