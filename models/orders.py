"""Orders and their lines, standing orders and pauses: the tables, and the domain operations on
them. Each operation runs inside the caller's transaction (one handler call = one unit of work).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, joinedload, mapped_column, relationship

from models.base import Base, DeliveryOutcome, OrderStatus, str_enum
from models.config import WEEKDAYS
from models.people import Person
from models.site import Closure


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
    outcome: Mapped[DeliveryOutcome | None] = mapped_column(str_enum(DeliveryOutcome))
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


OPEN = (OrderStatus.PENDING, OrderStatus.PLANNED)


# The row with its lines in one statement (the relationship's selectin load would be a second).
_ORDER_ON = (
    sa.select(Order)
    .where(Order.person_id == sa.bindparam("pid"), Order.delivery_date == sa.bindparam("day"))
    .options(joinedload(Order.lines))
)
_PAUSE_ON = sa.select(Pause).where(
    Pause.person_id == sa.bindparam("pid"),
    Pause.start_on <= sa.bindparam("day"),
    Pause.end_on >= sa.bindparam("day"),
)
_CLOSED = sa.select(Closure.closed_on).where(
    Closure.site_id == sa.bindparam("site"),
    Closure.closed_on >= sa.bindparam("start"),
    Closure.closed_on <= sa.bindparam("end"),
)


def order_on(session: Session, person_id: int, day: date) -> Order | None:
    """The person's order row for a day, whatever its status (one row per person and day)."""
    return session.execute(_ORDER_ON, {"pid": person_id, "day": day}).unique().scalar_one_or_none()


def open_or_none(order: Order | None) -> Order | None:
    """The day's row if it still brings something (open, with lines), else None."""
    return order if order is not None and order.status in OPEN and order.items else None


def place_order(
    session: Session,
    person: Person,
    day: date,
    items: Mapping[str, int],
    *,
    now: datetime,
    source: str,
    raw_text: str | None = None,
    add: bool = False,
    standing: bool = False,
    existing: Order | bool | None = False,
) -> dict[str, int]:
    """Create the order for `day`, or replace (or add to) the lines of the existing one;
    returns what the tenant will now get that day.

    A cancelled row for that day is reused: the unique (person, day) row is what keeps a
    standing order from coming back on a day the tenant cancelled.
    """
    assert person.site_id is not None
    # `existing`: the day's row as the caller already read it (None: there is none); False: unread.
    order = order_on(session, person.id, day) if existing is False else existing
    if order is None:
        # The common case, on every new order: two plain inserts, no unit-of-work bookkeeping.
        order_id = session.execute(
            _NEW_ORDER,
            {
                "person_id": person.id,
                "site_id": person.site_id,
                "delivery_date": day,
                "status": OrderStatus.PENDING,
                "source": source,
                "standing": standing,
                "raw_text": raw_text,
                "outcome": None,
                "outcome_at": None,
                "created_at": now,
                "updated_at": now,
            },
        ).scalar_one()
        lines = {k: n for k, n in items.items() if n}
        session.execute(
            _NEW_LINE,
            [{"order_id": order_id, "item_key": k, "quantity": n} for k, n in lines.items()],
        )
        return lines
    if order.status not in OPEN:
        order.status, order.outcome, order.outcome_at = OrderStatus.PENDING, None, None
        order.lines.clear()
        session.flush()
    current = order.items if add and order.status in OPEN else {}
    wanted = {k: current.get(k, 0) + n for k, n in items.items()}
    wanted.update({k: n for k, n in current.items() if k not in items})
    by_key = {line.item_key: line for line in order.lines}
    for key, line in by_key.items():
        if key not in wanted:
            order.lines.remove(line)
    for key, n in wanted.items():
        if key in by_key:
            by_key[key].quantity = n
        else:
            order.lines.append(OrderLine(item_key=key, quantity=n))
    order.source, order.updated_at = source, now
    order.standing = standing and not add
    if raw_text is not None:
        order.raw_text = raw_text
    session.flush()
    return order.items


_NEW_ORDER = sa.insert(Order.__table__).returning(Order.__table__.c.id)
_NEW_LINE = sa.insert(OrderLine.__table__)


def cancel_order(session: Session, order: Order, now: datetime) -> None:
    order.status, order.updated_at = OrderStatus.CANCELLED, now
    session.flush()


def block_day(
    session: Session,
    person: Person,
    day: date,
    now: datetime,
    *,
    existing: Order | bool | None = False,
) -> None:
    """Record "no delivery that day" (cancelling a standing order's occurrence).

    `existing`: the day's row as the caller already read it (None: there is none); False: unread.
    A new row is one plain INSERT after flushing what was pending (as `place_order` does): the
    unit of work cost several times the statement, on every "pas de pain demain" (issue 17)."""
    order = order_on(session, person.id, day) if existing is False else existing
    if order is None:
        assert person.site_id is not None
        session.flush()  # what was pending is written first, as the flush of the new row did
        session.execute(
            _NEW_ORDER,
            {
                "person_id": person.id,
                "site_id": person.site_id,
                "delivery_date": day,
                "status": OrderStatus.CANCELLED,
                "standing": True,
                "created_at": now,
                "updated_at": now,
            },  # the other columns take their defaults, as the mapped row did
        )
        return
    order.status, order.updated_at = OrderStatus.CANCELLED, now
    session.flush()


def open_orders(session: Session, person_id: int, since: date) -> list[Order]:
    return list(
        session.scalars(
            sa.select(Order)
            .where(
                Order.person_id == person_id,
                Order.delivery_date >= since,
                Order.status.in_(OPEN),
            )
            .order_by(Order.delivery_date)
        )
    )


def standing_orders(
    session: Session, person_id: int, weekday: str | None = None
) -> dict[str, dict[str, int]]:
    """Weekday → items of a person's standing orders (only `weekday`'s when given)."""
    out: dict[str, dict[str, int]] = {}
    table = StandingOrder.__table__
    q = sa.select(table.c.weekday, table.c.item_key, table.c.quantity).where(
        table.c.person_id == person_id
    )
    if weekday is not None:
        q = q.where(table.c.weekday == weekday)
    for day, key, quantity in session.execute(q):
        out.setdefault(day, {})[key] = quantity
    return dict(sorted(out.items(), key=lambda kv: WEEKDAYS.index(kv[0])))


def set_standing(
    session: Session, person: Person, weekdays: list[str], items: Mapping[str, int], now: datetime
) -> None:
    """Every `weekday`, these items (replacing what that weekday had for the same items)."""
    existing = {
        (so.weekday, so.item_key): so
        for so in session.scalars(
            sa.select(StandingOrder).where(StandingOrder.person_id == person.id)
        )
    }
    for day in weekdays:
        for key, n in items.items():
            so = existing.get((day, key))
            if so is None:
                session.add(
                    StandingOrder(
                        person_id=person.id, weekday=day, item_key=key, quantity=n, created_at=now
                    )
                )
            else:
                so.quantity = n
    session.flush()


def drop_standing(session: Session, person_id: int, weekdays: list[str] | None = None) -> int:
    """Remove a person's standing orders on these weekdays (all when None); how many rows."""
    q = sa.delete(StandingOrder).where(StandingOrder.person_id == person_id)
    if weekdays is not None:
        q = q.where(StandingOrder.weekday.in_(weekdays))
    return session.execute(q).rowcount or 0


@dataclass(frozen=True)
class Upcoming:
    day: date
    items: dict[str, int]
    standing: bool


def upcoming(
    session: Session,
    person_id: int,
    today: date,
    days: int,
    delivers: set[date],
    *,
    standing: dict[str, dict[str, int]] | None = None,
    pauses: list[Pause] | None = None,
) -> list[Upcoming]:
    """What will actually come in the next `days` days: one-off orders, plus standing orders
    on delivery days not cancelled, not paused. `standing` and `pauses` (from `today`): as the
    caller already read them, else read here."""
    end = today + timedelta(days=days)
    rows = _rows_between(session, person_id, today, end)
    if standing is None:
        standing = standing_orders(session, person_id)
    if pauses is None:
        pauses = active_pauses(session, person_id, today)
    out = []
    day = today
    while day <= end:
        row = rows.get(day)
        if row is not None:
            status, standing_row, items = row
            if status in _OPEN_VALUES and items:
                out.append(Upcoming(day, items, standing_row))
        elif day in delivers and not any(p.start_on <= day <= p.end_on for p in pauses):
            items = standing.get(WEEKDAYS[day.weekday()])
            if items:
                out.append(Upcoming(day, items, True))
        day += timedelta(days=1)
    return out


def add_pause(session: Session, person: Person, start: date, end: date, now: datetime) -> Pause:
    pause = Pause(person_id=person.id, start_on=start, end_on=end, created_at=now)
    session.add(pause)
    session.flush()
    return pause


def active_pauses(session: Session, person_id: int, today: date) -> list[Pause]:
    return list(
        session.scalars(
            sa.select(Pause)
            .where(Pause.person_id == person_id, Pause.end_on >= today)
            .order_by(Pause.start_on)
        )
    )


def pause_on(session: Session, person_id: int, day: date) -> Pause | None:
    return session.scalars(_PAUSE_ON, {"pid": person_id, "day": day}).first()


_PAUSE_SPAN = (
    sa.select(Pause.__table__.c.start_on, Pause.__table__.c.end_on)
    .where(
        Pause.__table__.c.person_id == sa.bindparam("pid"),
        Pause.__table__.c.start_on <= sa.bindparam("day"),
        Pause.__table__.c.end_on >= sa.bindparam("day"),
    )
    .limit(1)
)


def pause_span(session: Session, person_id: int, day: date) -> tuple[date, date] | None:
    """The first and last day of the pause covering `day`, if any (a light read)."""
    row = session.execute(_PAUSE_SPAN, {"pid": person_id, "day": day}).first()
    return (row.start_on, row.end_on) if row is not None else None


# The same on the table's columns: read on most tenant messages (`day_open`, the order flow),
# where the ORM's statement and result machinery cost more than the query (issue 17).
_CLOSED_PLAIN = sa.select(Closure.__table__.c.closed_on).where(
    Closure.__table__.c.site_id == sa.bindparam("site"),
    Closure.__table__.c.closed_on >= sa.bindparam("start"),
    Closure.__table__.c.closed_on <= sa.bindparam("end"),
)


def closed_dates(session: Session, site_id: int, start: date, end: date) -> set[date]:
    params = {"site": site_id, "start": start, "end": end}
    if not _flushed_as_orm_read(session):  # pending changes are seen by the ORM's read only
        return set(session.scalars(_CLOSED, params))
    return set(session.scalars(_CLOSED_PLAIN, params))


# --- what some days get, read at once; and whether anything since could have changed it ------
_O, _L = Order.__table__.c, OrderLine.__table__.c
_P, _S = Pause.__table__.c, StandingOrder.__table__.c
_OPEN_VALUES = frozenset(s.value for s in OPEN)


def _flushed_as_orm_read(session: Session) -> bool:
    """Flush what an ORM read would flush before it runs, so that a plain read on the tables
    sees what the ORM's would; False (nothing done) inside `no_autoflush`, where the ORM's reads
    would see pending changes that the tables do not hold yet."""
    if not session.autoflush:
        return False
    session.flush()  # nothing to do, and cheap, when the session is clean
    return True


# A person's order rows of a span of days with their lines, in one statement on the tables (the
# mapped `Order` took two, its lines by select-in, and built an object per row and line).
_ROWS_BETWEEN = (
    sa.select(
        _O.delivery_date,
        sa.type_coerce(_O.status, sa.String(24)).label("status"),
        _O.standing,
        _L.item_key,
        _L.quantity,
    )
    .select_from(Order.__table__.outerjoin(OrderLine.__table__, _L.order_id == _O.id))
    .where(
        _O.person_id == sa.bindparam("pid"),
        _O.delivery_date >= sa.bindparam("start"),
        _O.delivery_date <= sa.bindparam("end"),
    )
    .order_by(_O.delivery_date, _L.item_key)
)


def _rows_between(
    session: Session, person_id: int, start: date, end: date
) -> dict[date, tuple[str, bool, dict[str, int]]]:
    """Day → (status as stored, standing, `Order.items`) of the person's order rows from
    `start` to `end` inclusive."""
    if not _flushed_as_orm_read(session):  # pending changes: the mapped rows, as before
        return {
            o.delivery_date: (o.status.value, o.standing, o.items)
            for o in session.scalars(
                sa.select(Order).where(
                    Order.person_id == person_id,
                    Order.delivery_date >= start,
                    Order.delivery_date <= end,
                )
            )
        }
    rows: dict[date, tuple[str, bool, dict[str, int]]] = {}
    params = {"pid": person_id, "start": start, "end": end}
    for day, status, standing, key, quantity in session.execute(_ROWS_BETWEEN, params):
        items = rows.setdefault(day, (status, standing, {}))[2]
        if quantity:  # `Order.items`: lines with a quantity
            items[key] = quantity
    return rows


# One statement for the three sources of a day (its order row with lines, the pauses over the
# days, the standing orders of their weekdays), tagged; `days_as_they_stand` sorts them out. The
# status is read as its stored string: the union's columns take the first branch's types.
_DAYS = sa.union_all(
    sa.select(
        sa.literal_column("'o'").label("tag"),
        _O.delivery_date.label("d"),
        sa.cast(sa.null(), sa.Date).label("e"),
        sa.type_coerce(_O.status, sa.String(24)).label("s"),
        _L.item_key.label("k"),
        _L.quantity.label("q"),
    )
    .select_from(Order.__table__.outerjoin(OrderLine.__table__, _L.order_id == _O.id))
    .where(
        _O.person_id == sa.bindparam("pid"),
        _O.delivery_date.in_(sa.bindparam("days", expanding=True)),
    ),
    sa.select(
        sa.literal_column("'p'"), _P.start_on, _P.end_on, sa.null(), sa.null(), sa.null()
    ).where(
        _P.person_id == sa.bindparam("pid"),
        _P.start_on <= sa.bindparam("last"),
        _P.end_on >= sa.bindparam("first"),
    ),
    sa.select(
        sa.literal_column("'s'"), sa.null(), sa.null(), _S.weekday, _S.item_key, _S.quantity
    ).where(
        _S.person_id == sa.bindparam("pid"),
        _S.weekday.in_(sa.bindparam("weekdays", expanding=True)),
    ),
).order_by(sa.text("1, 2, 5"))


def days_as_they_stand(
    session: Session, person_id: int, days: list[date]
) -> dict[date, dict[str, int]] | None:
    """What the person gets on each of `days` as things stand, in one read: the day's order row
    (its items if open, else nothing), else nothing if paused, else the weekday's standing
    order. The same answer as `changes.on_day` for each day, which costs up to three statements
    a day through the ORM; it runs on every tenant message after the cut-off (issue 17).

    None when the session does not autoflush (inside `no_autoflush`): the ORM's reads would then
    see changes not yet written, this one would not; the caller reads day by day instead."""
    if not days:
        return {}
    if not _flushed_as_orm_read(session):
        return None
    rows = session.execute(
        _DAYS,
        {
            "pid": person_id,
            "days": days,
            "first": min(days),
            "last": max(days),
            "weekdays": sorted({WEEKDAYS[d.weekday()] for d in days}),
        },
    ).all()
    orders: dict[date, tuple[str, dict[str, int]]] = {}
    pauses: list[tuple[date, date]] = []
    standing: dict[str, dict[str, int]] = {}
    for tag, d, e, s, k, q in rows:
        if tag == "o":
            items = orders.setdefault(d, (s, {}))[1]
            if q:  # `Order.items`: lines with a quantity (none at all for a row without lines)
                items[k] = q
        elif tag == "p":
            pauses.append((d, e))
        else:
            standing.setdefault(s, {})[k] = q
    out: dict[date, dict[str, int]] = {}
    for day in days:
        if day in orders:
            status, items = orders[day]
            out[day] = dict(items) if status in _OPEN_VALUES else {}
        elif any(start <= day <= end for start, end in pauses):
            out[day] = {}
        else:
            out[day] = dict(standing.get(WEEKDAYS[day.weekday()], {}))
    return out


# Tables whose writes can change what `days_as_they_stand` reads: its own, and (found from the
# foreign keys' ON DELETE / ON UPDATE actions) every table whose rows those cascade from, people
# among them. Computed from the mapped metadata, so a new cascade is followed without a thought.
def _reaching(metadata: sa.MetaData, watched: set[str]) -> frozenset[str]:
    reach = set(watched)
    grew = True
    while grew:
        grew = False
        for table in metadata.tables.values():
            if table.name not in reach:
                continue
            for fk in table.foreign_keys:
                parent = fk.column.table.name
                if (fk.ondelete or fk.onupdate) and parent not in reach:
                    reach.add(parent)
                    grew = True
    return frozenset(reach)


ORDER_TABLES = _reaching(Base.metadata, {"orders", "order_lines", "standing_orders", "pauses"})
_WRITES = "entraide.order_writes"
_READS = (sa.Select, sa.CompoundSelect)


def _count_write(
    conn: sa.Connection,
    _cursor: object,
    _statement: str,
    _parameters: object,
    context: object,
    _executemany: bool,
) -> None:
    """Every statement sent to the database on any engine: one that may have written to
    `ORDER_TABLES` bumps its connection's counter. Only what is certainly harmless is let
    through: a SELECT built with SQLAlchemy (no WITH, where PostgreSQL could hide a write), and
    an INSERT, UPDATE or DELETE on another table. Text statements, driver SQL (BEGIN), savepoints
    and anything unknown count as writes: a needless re-read costs a few statements, a missed
    write would book the wrong day."""
    compiled = getattr(context, "compiled", None)
    stmt = getattr(compiled, "statement", None)
    if isinstance(stmt, _READS) and not getattr(compiled, "ctes", None):
        return
    if isinstance(stmt, sa.sql.dml.UpdateBase) and not getattr(compiled, "ctes", None):
        table = getattr(stmt, "table", None)
        if isinstance(table, sa.Table) and table.name not in ORDER_TABLES:
            return
    conn.info[_WRITES] = conn.info.get(_WRITES, 0) + 1


def _count_rollback(conn: sa.Connection, *_args: object) -> None:
    """A rollback (whole or to a savepoint) can undo writes made before a mark: it counts. A
    connection already lost has no counter left to match a mark against."""
    try:
        info = conn.info
    except sa.exc.SQLAlchemyError:
        return
    info[_WRITES] = info.get(_WRITES, 0) + 1


# On the Engine class: every engine, whenever made (the server's, the tests', the benches').
sa.event.listen(sa.Engine, "before_cursor_execute", _count_write)
sa.event.listen(sa.Engine, "rollback", _count_rollback)
sa.event.listen(sa.Engine, "rollback_savepoint", _count_rollback)


@dataclass(frozen=True)
class WriteMark:
    """Where the transaction's writes to `ORDER_TABLES` stood at some moment."""

    info: dict[str, object]
    count: int


def order_writes(session: Session) -> WriteMark:
    """The session's connection's write counter now (after flushing what an ORM read would)."""
    if session.autoflush:
        session.flush()
    info = session.connection().info
    return WriteMark(info, info.get(_WRITES, 0))


def unchanged_since(session: Session, mark: WriteMark) -> bool:
    """Certainly nothing written to `ORDER_TABLES` by this transaction since `mark`: same
    connection, same count, and nothing pending that an ORM read would flush first (a session
    that does not autoflush is never said unchanged: its reads see pending changes)."""
    if not session.autoflush:
        return False
    session.flush()
    info = session.connection().info
    return info is mark.info and info.get(_WRITES, 0) == mark.count
