"""The evening job on a controlled clock: rounds, totals, reminders, once and only once."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from models import JobRun, Order, OrderStatus, Round, Stop
from models.base import OutboxStatus, Role
from models.clock import FrozenClock
from models.db import Database
from models.orders import add_pause, block_day
from models.people import by_phone
from scheduler.evening import evening
from scheduler.morning import escalate, morning_check
from tests.builders import Residence, residence, small_residence

D = date(2026, 11, 25)  # a Wednesday; the clock stands on Tuesday 24 at 18:30 Paris


@pytest.fixture
def res(db: Database, config) -> Residence:
    clock = FrozenClock(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))
    return small_residence(residence(db, config, clock))


def _orders(res: Residence) -> None:
    res.order("+33610000000", D, {"bread": 2})
    res.order("+33610000001", D, {"bread": 1, "water": 1})
    res.order("+33610000003", D, {"water": 2})
    res.order("+33610000004", D, {"bread": 3})


def test_every_order_lands_on_exactly_one_round_and_everyone_is_told(res: Residence) -> None:
    _orders(res)
    report = res.db.call(evening, res.ctx, "moulin", D)
    assert (report.orders, report.uncovered) == (4, 0)
    with res.db.transaction() as s:
        stops = s.scalars(sa.select(Stop)).all()
        assert sorted(st.order_id for st in stops) == sorted(s.scalars(sa.select(Order.id)).all())
        statuses = set(s.scalars(sa.select(Order.status)).all())
        assert statuses == {OrderStatus.PLANNED}
        assert s.scalar(sa.select(sa.func.count()).select_from(JobRun)) == 1
    rounds = res.outbox("round")
    assert {r.person_id for r in rounds} <= {
        res.person("+33620000001").id,
        res.person("+33620000002").id,
    }
    text = "\n".join(r.payload["text"] for r in rounds)
    assert "mercredi 25 novembre" in text and "Tenant 0" in text and "Tenant 4" in text
    assert "Sac à pain sur la porte" not in text  # tenant 2 has a bag but did not order
    suppliers = {r.payload["text"] for r in res.outbox("supplier")}
    assert any("6 baguettes" in t for t in suppliers), suppliers
    assert any("3 packs d'eau" in t for t in suppliers), suppliers
    # each round message has a done / not-home button pair per stop
    for r in rounds:
        n = r.payload["text"].count("\n")
        assert len(r.payload["menu"]) % 2 == 0 and r.payload["menu"]
        assert n >= 3


def test_running_twice_sends_nothing_twice(res: Residence) -> None:
    _orders(res)
    res.db.call(evening, res.ctx, "moulin", D)
    before = len(res.outbox())
    again = res.db.call(evening, res.ctx, "moulin", D)
    assert again.already is not None
    assert len(res.outbox()) == before
    resent = res.db.call(evening, res.ctx, "moulin", D, resend=True)
    assert resent.already is None and len(res.outbox("round")) == 2 * len(
        [r for r in res.outbox("round") if ":resend:" not in r.dedupe_key]
    )


def test_standing_orders_skip_pauses_stops_and_cancelled_dates(res: Residence) -> None:
    for i in range(4):
        res.standing(f"+3361000000{i}", ["wed"], {"bread": 1})
    with res.db.transaction() as s:
        p1 = by_phone(s, "+33610000001")
        add_pause(s, p1, date(2026, 11, 20), date(2026, 11, 30), res.clock.now())
        p2 = by_phone(s, "+33610000002")
        block_day(s, p2, D, res.clock.now())
        by_phone(s, "+33610000003").opted_out_at = res.clock.now()
    report = res.db.call(evening, res.ctx, "moulin", D)
    assert report.materialised == 1
    expected = res.person("+33610000000").id
    with res.db.transaction() as s:
        planned = s.scalars(
            sa.select(Order.person_id).where(Order.status == OrderStatus.PLANNED)
        ).all()
        assert planned == [expected]


def test_no_volunteer_keeps_the_orders_and_alerts_coordinators(res: Residence) -> None:
    _orders(res)
    with res.db.transaction() as s:
        for phone in ("+33620000001", "+33620000002"):
            by_phone(s, phone).volunteer.weekdays = "mon"
    report = res.db.call(evening, res.ctx, "moulin", D)
    assert report.uncovered == 4 and report.rounds == 0
    with res.db.transaction() as s:
        assert set(s.scalars(sa.select(Order.status)).all()) == {OrderStatus.PENDING}
    alerts = res.outbox_to("+33630000001")
    assert len(alerts) == 1 and "Aucun bénévole" in alerts[0] and "Tenant 3" in alerts[0]


def test_more_packs_than_volunteers_can_carry_is_uncovered_and_reported(res: Residence) -> None:
    for i in range(6):
        res.order(f"+3361000000{i}", D, {"water": 3})
    report = res.db.call(evening, res.ctx, "moulin", D)
    assert report.uncovered == 4  # two volunteers carry 4 packs each: two stops of 3 packs
    alert = res.outbox_to("+33630000001")
    assert any("sans bénévole" in a for a in alert)


def test_morning_check_reminds_then_escalates(res: Residence) -> None:
    _orders(res)
    res.db.call(evening, res.ctx, "moulin", D)
    res.clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # 10:00 in Paris
    with res.db.transaction() as s:  # one stop reported
        stop = s.scalars(sa.select(Stop).order_by(Stop.id)).first()
        from models.base import DeliveryOutcome
        from models.delivery import report_stop

        report_stop(s, stop, DeliveryOutcome.IN_HAND, res.clock.now())
    res.db.call(morning_check, res.ctx, "moulin", D)
    reminders = res.outbox("reminder")
    assert reminders and all("pas encore signalé" in r.payload["text"] for r in reminders)
    assert res.db.call(morning_check, res.ctx, "moulin", D).endswith("already done")
    res.db.call(escalate, res.ctx, "moulin", D)
    alerts = [a for a in res.outbox_to("+33630000001") if "toujours non signalé" in a]
    assert len(alerts) == 1 and "3 arrêts toujours non signalés" in alerts[0]


def test_two_schedulers_at_once_run_the_job_once(res: Residence) -> None:
    """Two processes (threads here, two connections) race for the same evening."""
    _orders(res)
    from models.db import Database as DB

    second = DB(res.db.url)
    results: list[object] = []

    def go(database: DB) -> None:
        results.append(database.call(evening, res.ctx, "moulin", D))

    try:
        threads = [threading.Thread(target=go, args=(d,)) for d in (res.db, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        second.dispose()
    assert sorted(r.already is None for r in results) == [False, True]
    keys = [r.dedupe_key for r in res.outbox("round")]
    assert len(keys) == len(set(keys)) == 2
    with res.db.transaction() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Round)) == 2


def test_volunteer_roles_are_what_the_builder_says(res: Residence) -> None:
    assert res.person("+33620000001").has(Role.VOLUNTEER)
    assert not res.outbox(status=OutboxStatus.SENT)
