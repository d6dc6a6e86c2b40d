"""Erasure, access and retention: what a person can ask, and what we keep."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from models import (
    AuditEntry,
    ConversationState,
    InboundMessage,
    Order,
    OutboxMessage,
    OutboxStatus,
    Person,
    StandingOrder,
)
from models.alerts import Alert
from models.base import Role
from models.clock import FrozenClock
from models.db import Database
from models.privacy import export, purge_texts
from tests.builders import Residence, residence
from tests.handlers.test_conversation import Talk

JEANNE, COORD = "+33611111111", "+33633333333"


@pytest.fixture
def res(db: Database, config) -> Residence:
    r = residence(db, config, FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)))
    r.add(
        JEANNE,
        "Mme Jeanne Pouli",
        {Role.TENANT},
        tenant={"building": "C", "floor": 3, "apartment": "12", "ill": True},
    )
    r.add(COORD, "Claire", {Role.COORDINATOR})
    return r


def test_a_tenant_erases_their_data_and_the_figures_stay(res) -> None:
    talk = Talk(res)
    talk(JEANNE, "2 baguettes pour demain")
    talk(JEANNE, "une baguette tous les vendredis")
    talk(JEANNE, "mon radiateur fuit")  # forwarded to the coordinator (outbox)
    pid = res.person(JEANNE).id
    ask = talk.one(JEANNE, "OUBLIER")
    assert "effacer toutes vos données" in ask and "OUI ou NON" in ask
    assert "vos données sont effacées" in talk.one(JEANNE, "oui")
    with res.db.transaction() as s:
        p = s.get(Person, pid)
        assert (p.name, p.phone, p.telegram_id) == ("(effacé)", None, None) and p.erased_at
        assert (p.tenant.building, p.tenant.apartment, p.tenant.ill) == ("", None, False)
        [order] = s.scalars(sa.select(Order)).all()
        assert order.items == {"bread": 2} and order.raw_text is None
        assert s.scalars(sa.select(StandingOrder)).all() == []
        texts = s.scalars(sa.select(InboundMessage.text)).all()
        assert texts and all(t is None for t in texts)
        assert s.scalars(sa.select(InboundMessage.address)).all() == ["erased"] * len(texts)
        assert not s.scalars(sa.select(ConversationState)).all()
        audit = s.scalars(sa.select(AuditEntry)).all()
        assert [a.action for a in audit] == ["forget"] and "Pouli" not in json.dumps(
            audit[0].details
        )
        assert "Pouli" not in " ".join(
            json.dumps(o.payload, ensure_ascii=False)
            for o in s.scalars(sa.select(OutboxMessage))
            if o.person_id == pid
        )
    # the number is now a stranger's
    assert "Quel est votre nom" in talk.one(JEANNE, "bonjour")


def test_no_keeps_everything(res) -> None:
    talk = Talk(res)
    talk(JEANNE, "oublier")
    assert "je ne change rien" in talk.one(JEANNE, "non")
    assert res.person(JEANNE).name == "Mme Jeanne Pouli"


def test_export_holds_everything_about_the_person(res) -> None:
    talk = Talk(res)
    talk(JEANNE, "2 baguettes pour demain")
    talk(JEANNE, "quelqu'un peut passer me voir ?")
    talk(JEANNE, "mon radiateur fuit")  # forwarded to coordinators: an alert about her
    with res.db.transaction() as s:
        data = export(s, s.scalar(sa.select(Person).where(Person.phone == JEANNE)))
    dumped = json.dumps(data, ensure_ascii=False)
    assert data["person"]["phone"] == JEANNE and data["tenant_profile"]["ill"] is True
    assert (
        data["orders"][0]["items"] == {"bread": 2}
        and data["orders"][0]["delivery_date"] == "2026-11-25"
    )
    assert len(data["messages_received_from_them"]) == 3 and data["visits"]
    assert "2 baguettes pour demain" in dumped
    assert [a["kind"] for a in data["alerts_about_them"]] == ["forward"]


def test_raw_texts_are_purged_after_the_retention(res) -> None:
    talk = Talk(res)
    talk(JEANNE, "2 baguettes pour demain")
    talk(JEANNE, "mon radiateur fuit")
    res.clock.advance(timedelta(days=91))
    talk(JEANNE, "merci")
    with res.db.transaction() as s:
        counts = purge_texts(s, res.clock.now(), 90)
    assert (
        counts["inbound"] == 2 and counts["orders"] == 1 and counts["outbox"] == 0
    )  # the forward is pending
    with res.db.transaction() as s:
        assert s.scalars(sa.select(InboundMessage.text).order_by(InboundMessage.id)).all() == [
            None,
            None,
            "merci",
        ]
        assert s.scalar(sa.select(sa.func.count()).select_from(Order)) == 1
        s.execute(sa.update(OutboxMessage).values(status=OutboxStatus.SENT))
    with res.db.transaction() as s:
        assert purge_texts(s, res.clock.now(), 90)["outbox"] == 1
        # the forwarded "radiateur" is an alert nobody closed: it stays until someone does
        assert s.scalar(sa.select(sa.func.count()).select_from(Alert)) == 1
        s.execute(sa.update(Alert).values(seen_at=res.clock.now(), seen_by="test"))
    with res.db.transaction() as s:
        assert purge_texts(s, res.clock.now(), 90)["alerts"] == 1
    with res.db.transaction() as s:
        assert purge_texts(s, res.clock.now(), 90) == {
            "inbound": 0,
            "outbox": 0,
            "orders": 0,
            "alerts": 0,
        }


def test_logs_never_hold_a_full_number_or_a_message_body(res, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="entraide")
    talk = Talk(res)
    talk(JEANNE, "2 baguettes pour demain")
    talk("+33699999999", "bonjour, Odette Lambert du 4e")
    for i in range(10):  # the loop guard logs too
        talk(JEANNE, f"message automatique numéro {i} du répondeur")
    text = caplog.text
    assert caplog.records, "nothing was logged: the test would prove nothing"
    for secret in (JEANNE, "+33699999999", "2 baguettes", "Odette", "répondeur", "Pouli"):
        assert secret not in text
    assert date.today()


def test_the_daily_purge_runs_once_and_removes_old_exports(res, tmp_path) -> None:
    import os
    import time

    from scheduler.retention import purge, purge_exports

    Talk(res)(JEANNE, "2 baguettes pour demain")
    res.clock.advance(timedelta(days=100))
    first = res.db.call(purge, res.ctx, "moulin", date(2027, 3, 4))
    assert "'inbound': 1" in first
    assert res.db.call(purge, res.ctx, "moulin", date(2027, 3, 4)).endswith("already done")
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_text("x")
    new.write_text("y")
    os.utime(old, (time.time() - 91 * 86400,) * 2)
    assert purge_exports(tmp_path, 90) == 1 and not old.exists() and new.exists()
