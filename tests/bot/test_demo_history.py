"""The demo residence's three past weeks (`bot.demo_history`): what the coordinator sees on the
first day, and what the history must leave alone (the demo people's present and future, which
conversation scenarios are written against)."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bot.demo import DEMO, load_demo
from bot.demo_history import NEW_TENANTS, load_history
from handlers import inbound
from handlers.types import Inbound
from models.base import Channel, DeliveryOutcome, OrderStatus, PersonStatus
from models.clock import FrozenClock
from models.context import Context
from models.db import Database
from models.messages import OutboxMessage
from models.orders import Order, Pause, StandingOrder, upcoming
from models.outbox import enqueue
from models.people import Person
from models.rounds import Stop
from models.rules import delivers
from models.sync import sync_config
from models.visits import Visit

_ids = itertools.count(1)
EXISTING = [f"+336000001{i:02d}" for i in range(1, 41)]


def _residence(db: Database, config, at: datetime, history: bool) -> Context:
    clock = FrozenClock(at)
    with db.transaction() as s:
        ids = sync_config(s, config, clock)
        load_demo(s, config, ids, clock)
        if history:
            load_history(s, config, ids, clock)
    return Context(config, clock, ids)


def _say(db: Database, ctx: Context, phone: str, text: str) -> str:
    ctx.clock.advance(timedelta(seconds=30))  # type: ignore[attr-defined]
    msg = Inbound("sms", f"h{next(_ids)}", phone, text, ctx.now(), phone=phone)
    return "\n".join(r.text for r in db.call(inbound.handle, ctx, msg).replies)


IN_USE = "Livré : 130 baguettes (+130) et 88 packs d'eau (+88)."
MONDAY_NIGHT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # Monday 7 December, 9:00 in Paris


def test_a_residence_in_use_from_the_first_run(db, config, tmp_path, monkeypatch) -> None:
    """/stats, the export and the yearly report read the same three weeks, written through the
    tables the service fills."""
    monkeypatch.chdir(tmp_path)
    ctx = _residence(db, config, MONDAY_NIGHT, history=True)
    today = date(2026, 12, 7)

    text = _say(db, ctx, DEMO.coordinator, "/stats 3 semaines")
    lines = text.splitlines()
    assert lines[1] == IN_USE
    assert lines[2].startswith("Livraisons faites : 106 (+106), échouées : 4 (+4), annulées : 1")
    assert "Bénévoles actifs : 6 (+6)." in lines[3]
    assert lines[4].startswith("Visites de courtoisie faites : 12 (+12), personne : 2,")
    assert "45 locataires engagés" in text  # the STOP tenant no longer counts
    week = _say(db, ctx, DEMO.coordinator, "/stats semaine").splitlines()
    assert week[1] != "Livré : rien." and "(+0)" not in week[1]

    with db.transaction() as s:
        orders = list(s.scalars(sa.select(Order)))
        assert all(today - timedelta(days=20) <= o.delivery_date < today for o in orders)
        for order in orders:  # every order not cancelled went on a round and was reported
            if order.status is OrderStatus.CANCELLED:
                continue
            stop = s.scalar(sa.select(Stop).where(Stop.order_id == order.id))
            assert stop is not None and stop.outcome is order.outcome
            assert order.status in (OrderStatus.DELIVERED, OrderStatus.FAILED)
        assert {o.outcome for o in orders} >= {
            DeliveryOutcome.IN_HAND,
            DeliveryOutcome.BREAD_BAG,
            DeliveryOutcome.NOT_HOME,
        }
        visits = s.scalars(sa.select(Visit)).all()
        assert all(v.visit_date is not None and v.visit_date < today for v in visits)
        stopped = s.scalar(sa.select(Person).where(Person.phone == NEW_TENANTS[0].phone))
        assert stopped is not None and stopped.opted_out_at is not None
        [pause] = s.scalars(sa.select(Pause))
        assert pause.end_on < today
        landlines = s.scalars(sa.select(Person).where(Person.phone.like("+333%"))).all()
        assert len(landlines) == 3
        assert {p.preferred_channel for p in landlines} == {Channel.VOICE}
        for p in landlines:  # a message to them is queued, never as an SMS
            enqueue(
                s,
                person=p,
                kind="broadcast",
                key=f"b:{p.id}",
                payload={"text": "Canicule", "lang": "fr"},
                now=ctx.now(),
                channels=["sms"],
            )
        queued = s.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "broadcast"))
        assert {r.channel for r in queued} == {"console"}

    from handlers.access import Actor
    from handlers.files import export, report
    from handlers.periods import read_period

    actor = Actor("test", "fr", "cli", None, None)
    period = read_period("3 semaines", today)
    assert period is not None
    made = db.call(export, ctx, actor, [ctx.site_ids["moulin"]], period)
    raw = Path(made.path).read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8")), delimiter=";"))
    delivered = [r for r in rows if r["status"] == "delivered"]
    assert sum(int(r["bread"]) for r in delivered) == 130
    assert sum(int(r["water"]) for r in delivered) == 88
    made = db.call(report, ctx, actor, [ctx.site_ids["moulin"]], 2026)
    report_rows = list(
        csv.DictReader(io.StringIO(Path(made.path).read_text("utf-8-sig")), delimiter=";")
    )
    total = next(r for r in report_rows if r["month"] == "2026" and r["site"] == "TOTAL")
    assert (total["bread"], total["water"], total["deliveries"]) == ("130", "88", "106")


def test_the_history_leaves_the_demo_people_as_they_were(
    tmp_path, config, _sqlite_template
) -> None:
    """Same status, standing orders and next 21 days for every existing demo person, with or
    without the history; and the same figures, loaded on another day."""
    at = datetime(2027, 3, 18, 15, 0, tzinfo=UTC)
    seen = []
    for history in (False, True):
        (tmp_path / str(history)).mkdir()
        db = Database(_sqlite_template.copy_to(tmp_path / str(history)))
        try:
            ctx = _residence(db, config, at, history)
            today = at.astimezone(config.sites[0].zone).date()
            site = config.sites[0]
            days = {
                today + timedelta(days=i)
                for i in range(23)
                if delivers(site, today + timedelta(days=i))
            }
            with db.transaction() as s:
                state = {}
                for phone in [*EXISTING, DEMO.volunteer, DEMO.coordinator]:
                    p = s.scalar(sa.select(Person).where(Person.phone == phone))
                    assert p is not None and p.status is PersonStatus.ACTIVE
                    standing = sorted(
                        (o.weekday, o.item_key, o.quantity)
                        for o in s.scalars(
                            sa.select(StandingOrder).where(StandingOrder.person_id == p.id)
                        )
                    )
                    ahead = [(u.day, dict(u.items)) for u in upcoming(s, p.id, today, 22, days)]
                    pauses = s.scalars(sa.select(Pause).where(Pause.person_id == p.id)).all()
                    state[phone] = (p.opted_out_at, standing, ahead, len(pauses))
                for spec in NEW_TENANTS if history else ():  # nothing ahead for them
                    p = s.scalar(sa.select(Person).where(Person.phone == spec.phone))
                    assert p is not None
                    assert upcoming(s, p.id, today, 22, days) == []
                    assert not s.scalars(
                        sa.select(Order).where(
                            Order.person_id == p.id, Order.delivery_date >= today
                        )
                    ).all()
            # tomorrow as the coordinator previews it: the same quantities, the same tenants
            # due a courtesy visit (who carries them may differ: tenants keep their usual
            # volunteer, and the history gave them one)
            preview = _say(db, ctx, DEMO.coordinator, "/demain").splitlines()
            visited = sorted(
                part.split(" avec ")[0].split(" : ")[-1]
                for line in preview
                if "courtoisie" in line
                for part in line.split("; ")
            )
            seen.append((state, preview[1], visited))
            if history:
                text = _say(db, ctx, DEMO.coordinator, "/stats 3 semaines")
                assert text.splitlines()[1] == IN_USE
        finally:
            db.dispose()
    assert seen[0] == seen[1]
    assert seen[0][2]  # isolated tenants are due a visit, with or without the history
