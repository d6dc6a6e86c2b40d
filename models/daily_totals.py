"""Delivered quantities per site, day and item, summed once for days that can no longer change.

Why a summary table, when indexes do everything else: with a million delivered orders, a
400-tenant residence delivers about 106,000 orders a year, and the year's item totals need one
order-to-lines lookup per order: 155 ms on PostgreSQL with covering indexes and two parallel
workers, twice per `/stats` (the year and the year before). That alone spends the 300 ms budget.
A delivery day is settled a week after it happened (volunteers report the same day, the morning
check and the escalation follow; nothing in the service edits an order that old), so its totals
are summed once into this table and read from it ever after: a year is then 730 rows.

Nothing else has to keep it up to date. `settle` sums the days between a site's watermark and a
week ago, from the orders themselves (the weekly summary job calls it, and so does `/stats`
when it finds the watermark more than a week behind); `delivered_items` and friends read the
settled days here and the days after the watermark live from the orders, so figures are exact
whether or not a settle ever ran. Both inserts are idempotent (ON CONFLICT DO NOTHING, and the
watermark only moves forward), so two settles at once do no harm.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, OrderStatus
from models.orders import Order, OrderLine

SETTLE_AFTER = timedelta(days=7)
NEVER = date(1900, 1, 1)


class DailyItemTotal(Base):
    """What was delivered of one item at one site on one settled day."""

    __tablename__ = "daily_item_totals"

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    item_key: Mapped[str] = mapped_column(sa.ForeignKey("items.key"), primary_key=True)
    quantity: Mapped[int]


class SettledThrough(Base):
    """A site's watermark: every day up to `through` is in daily_item_totals."""

    __tablename__ = "daily_totals_settled"

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id"), primary_key=True)
    through: Mapped[date]
    updated_at: Mapped[datetime]


def _insert(session: Session, model: type[Base]) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(model)


def watermarks(session: Session, site_ids: Sequence[int]) -> dict[int, date]:
    return dict(
        session.execute(
            sa.select(SettledThrough.site_id, SettledThrough.through).where(
                SettledThrough.site_id.in_(list(site_ids))
            )
        ).all()
    )


def settle(session: Session, site_id: int, today: date, now: datetime) -> int:
    """Sum the site's days from its watermark up to a week ago; how many days were added."""
    target = today - SETTLE_AFTER
    through = watermarks(session, [site_id]).get(site_id)
    if through is None:
        first = session.scalar(
            sa.select(sa.func.min(Order.delivery_date)).where(Order.site_id == site_id)
        )
        through = (first - timedelta(days=1)) if first is not None else target
    if through >= target:
        return 0
    rows = (
        sa.select(
            Order.site_id,
            Order.delivery_date,
            OrderLine.item_key,
            sa.func.sum(OrderLine.quantity),
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(
            Order.site_id == site_id,
            Order.status == OrderStatus.DELIVERED,
            Order.delivery_date > through,
            Order.delivery_date <= target,
        )
        .group_by(Order.site_id, Order.delivery_date, OrderLine.item_key)
    )
    session.execute(
        _insert(session, DailyItemTotal)
        .from_select(["site_id", "day", "item_key", "quantity"], rows)
        .on_conflict_do_nothing(index_elements=["site_id", "day", "item_key"])
    )
    mark = _insert(session, SettledThrough).values(site_id=site_id, through=target, updated_at=now)
    session.execute(
        mark.on_conflict_do_update(
            index_elements=["site_id"],
            set_={"through": target, "updated_at": now},
            where=SettledThrough.through < target,
        )
    )
    return (target - through).days


def behind(session: Session, site_ids: Sequence[int], today: date, days: int) -> list[int]:
    """Sites whose watermark is more than `days` days behind the settle target."""
    marks = watermarks(session, site_ids)
    target = today - SETTLE_AFTER
    return [s for s in site_ids if (target - marks.get(s, NEVER)).days > days]


def _live(session: Session, site_ids: Sequence[int]) -> sa.ColumnElement[bool]:
    """Orders on days after their site's watermark (every day where there is none), spelled
    out per site so that each range uses the orders index."""
    marks = watermarks(session, site_ids)
    by_mark: dict[date, list[int]] = {}
    for site_id in site_ids:
        by_mark.setdefault(marks.get(site_id, NEVER), []).append(site_id)
    return sa.or_(
        *(
            sa.and_(Order.site_id.in_(ids), Order.delivery_date > mark)
            for mark, ids in by_mark.items()
        )
    )


def delivered_items(
    session: Session, site_ids: Sequence[int], start: date, end: date
) -> dict[str, int]:
    """Delivered quantities by item over [start, end]: settled days from the summary, later
    days from the orders."""
    out: dict[str, int] = {}
    for key, n in session.execute(
        sa.select(DailyItemTotal.item_key, sa.func.sum(DailyItemTotal.quantity))
        .join(SettledThrough, SettledThrough.site_id == DailyItemTotal.site_id)
        .where(
            DailyItemTotal.site_id.in_(list(site_ids)),
            DailyItemTotal.day >= start,
            DailyItemTotal.day <= end,
            DailyItemTotal.day <= SettledThrough.through,
        )
        .group_by(DailyItemTotal.item_key)
    ).all():
        out[key] = out.get(key, 0) + int(n or 0)
    for key, n in session.execute(
        sa.select(OrderLine.item_key, sa.func.sum(OrderLine.quantity))
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.status == OrderStatus.DELIVERED,
            Order.delivery_date >= start,
            Order.delivery_date <= end,
            _live(session, site_ids),
        )
        .group_by(OrderLine.item_key)
    ).all():
        out[key] = out.get(key, 0) + int(n or 0)
    return out


def delivered_by_site_day(
    session: Session, site_ids: Sequence[int], start: date, end: date
) -> list[tuple[int, date, str, int]]:
    """(site, day, item, quantity) over [start, end], settled and live alike: one row per
    site, day and item (the chart's and the report's input, a few thousand rows a year)."""
    settled = session.execute(
        sa.select(
            DailyItemTotal.site_id,
            DailyItemTotal.day,
            DailyItemTotal.item_key,
            DailyItemTotal.quantity,
        )
        .join(SettledThrough, SettledThrough.site_id == DailyItemTotal.site_id)
        .where(
            DailyItemTotal.site_id.in_(list(site_ids)),
            DailyItemTotal.day >= start,
            DailyItemTotal.day <= end,
            DailyItemTotal.day <= SettledThrough.through,
        )
    ).all()
    live = session.execute(
        sa.select(
            Order.site_id, Order.delivery_date, OrderLine.item_key, sa.func.sum(OrderLine.quantity)
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(
            Order.status == OrderStatus.DELIVERED,
            Order.delivery_date >= start,
            Order.delivery_date <= end,
            _live(session, site_ids),
        )
        .group_by(Order.site_id, Order.delivery_date, OrderLine.item_key)
    ).all()
    return [(int(s), d, k, int(n or 0)) for s, d, k, n in [*settled, *live]]
