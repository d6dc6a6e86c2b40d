"""The plain reads that replaced mapped ones (issue 17) and the write counter that lets
`keep_closed` skip reading the closed days again: the reads answer what the mapped objects
answered, and no write that could change a day goes uncounted, on every back-end."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from handlers.changes import on_day
from models.base import OrderStatus, Role
from models.conversation import set_state
from models.orders import (
    ORDER_TABLES,
    Order,
    OrderLine,
    Pause,
    add_pause,
    block_day,
    days_as_they_stand,
    drop_standing,
    order_on,
    order_writes,
    place_order,
    set_standing,
    unchanged_since,
    upcoming,
)
from models.people import Person, by_phone
from tests.builders import residence

PHONE = "+33610000009"
MON = date(2026, 11, 30)  # a Monday after the fixture's clock
DAYS = [MON + timedelta(days=k) for k in range(7)]


def _person(res: Any) -> Person:
    res.add(PHONE, "Tenant", {Role.TENANT})
    return res.person(PHONE)


def test_cascading_tables_are_watched() -> None:
    """Deleting a person deletes their orders, standing orders and pauses: people is watched."""
    assert {"orders", "order_lines", "standing_orders", "pauses", "people"} <= ORDER_TABLES
    assert "conversation_states" not in ORDER_TABLES
    assert "inbound_messages" not in ORDER_TABLES


def test_one_read_answers_as_on_day(db: Any, config: Any, clock: Any) -> None:
    res = residence(db, config, clock)
    _person(res)
    now = clock.now()
    with db.transaction() as s:
        p = by_phone(s, PHONE)
        assert p is not None
        set_standing(s, p, ["mon", "wed", "fri", "sat"], {"bread": 2}, now)
        set_standing(s, p, ["sat"], {"water": 1}, now)
        place_order(s, p, DAYS[1], {"water": 2, "bread": 1}, now=now, source="test")  # tue
        block_day(s, p, DAYS[2], now)  # wed: cancelled
        place_order(s, p, DAYS[3], {"bread": 1}, now=now, source="test")  # thu, then emptied
        order = order_on(s, p.id, DAYS[3])
        assert order is not None
        order.lines[0].quantity = 0
        s.add(Order(person_id=p.id, site_id=p.site_id, delivery_date=DAYS[6],
                    status=OrderStatus.DELIVERED, created_at=now, updated_at=now))  # fmt: skip
        add_pause(s, p, DAYS[4], DAYS[4], now)  # fri: paused
        s.flush()
        want = {d: on_day(s, p, d) for d in DAYS}
        assert days_as_they_stand(s, p.id, DAYS) == want
        for d in DAYS:
            assert days_as_they_stand(s, p.id, [d]) == {d: want[d]}
        assert want[DAYS[0]] == {"bread": 2} and want[DAYS[5]] == {"bread": 2, "water": 1}
        assert want[DAYS[1]] == {"bread": 1, "water": 2} and want[DAYS[2]] == {}
        assert want[DAYS[3]] == {} and want[DAYS[4]] == {} and want[DAYS[6]] == {}
        order.lines[0].quantity = 3  # pending, not flushed: read as the ORM would see it
        assert days_as_they_stand(s, p.id, [DAYS[3]]) == {DAYS[3]: {"bread": 3}}
        with s.no_autoflush:
            assert days_as_they_stand(s, p.id, [DAYS[3]]) is None  # the caller reads day by day
        s.flush()
        delivers = set(DAYS)
        plain = upcoming(s, p.id, DAYS[0], 6, delivers)
        with s.no_autoflush:  # the mapped rows, as before
            assert upcoming(s, p.id, DAYS[0], 6, delivers) == plain
        assert [(u.day, u.items, u.standing) for u in plain] == [
            (DAYS[0], {"bread": 2}, True),
            (DAYS[1], {"bread": 1, "water": 2}, False),
            (DAYS[3], {"bread": 3}, False),
            (DAYS[5], {"bread": 2, "water": 1}, True),
        ]


def test_every_write_that_could_change_a_day_is_counted(db: Any, config: Any, clock: Any) -> None:
    res = residence(db, config, clock)
    _person(res)
    now = clock.now()

    def changed(s: Any, write: Any) -> bool:
        mark = order_writes(s)
        write(s, by_phone(s, PHONE))
        return not unchanged_since(s, mark)

    with db.transaction() as s:
        p = by_phone(s, PHONE)
        assert p is not None
        place_order(s, p, DAYS[1], {"bread": 1}, now=now, source="test")
        # reads, and writes elsewhere: nothing to read again
        assert not changed(s, lambda s, p: days_as_they_stand(s, p.id, DAYS))
        assert not changed(s, lambda s, p: on_day(s, p, DAYS[1]))
        assert not changed(
            s, lambda s, p: set_state(s, "k", "x", {}, now, timedelta(hours=1), p.id)
        )
        # every kind of write to the days' tables
        assert changed(s, lambda s, p: place_order(s, p, DAYS[0], {"bread": 1}, now=now,
                                                   source="test"))  # fmt: skip
        assert changed(s, lambda s, p: place_order(s, p, DAYS[1], {"water": 1}, now=now,
                                                   source="test"))  # fmt: skip
        assert changed(s, lambda s, p: block_day(s, p, DAYS[1], now))
        assert changed(s, lambda s, p: set_standing(s, p, ["mon"], {"bread": 1}, now))
        assert changed(s, lambda s, p: drop_standing(s, p.id, ["mon"]))
        assert changed(s, lambda s, p: add_pause(s, p, DAYS[3], DAYS[4], now))
        assert changed(s, lambda s, p: s.execute(sa.delete(Pause)))
        assert changed(s, lambda s, p: s.execute(sa.update(OrderLine).values(quantity=2)))
        assert changed(s, lambda s, p: s.execute(sa.text("UPDATE orders SET source = 'x'")))
        # a pending change is flushed (and counted) before the comparison, as a read would
        mark = order_writes(s)
        order = order_on(s, p.id, DAYS[0])
        assert order is not None
        order.status = OrderStatus.CANCELLED
        assert not unchanged_since(s, mark)
        # a savepoint rolled back can undo what was there at the mark
        nested = s.begin_nested()
        place_order(s, p, DAYS[5], {"bread": 1}, now=now, source="test")
        mark = order_writes(s)
        nested.rollback()
        assert not unchanged_since(s, mark)
        # deleting the person cascades to their orders
        mark = order_writes(s)
        s.execute(sa.delete(Person).where(Person.id == p.id))
        assert not unchanged_since(s, mark)
        with s.no_autoflush:  # never said unchanged: its reads would see pending changes
            assert not unchanged_since(s, order_writes(s))
