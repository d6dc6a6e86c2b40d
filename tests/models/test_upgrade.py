"""An upgrade loses nothing: a database made at the first migration and filled the way that
version filled it (plain SQL on its schema, not today's models) is migrated to head on each
back-end, and every row is still there and readable through today's models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from models import (
    AuditEntry,
    Closure,
    ConversationState,
    InboundMessage,
    JobRun,
    Order,
    OutboxMessage,
    Pause,
    Person,
    Round,
    StandingOrder,
    Visit,
)
from models.base import OrderStatus, OutboxStatus, VisitStatus
from models.db import Database
from models.migrate import current_revision, head_revision, upgrade
from tests.db import scratch_database

T0 = "2026-11-20 08:00:00"

# One residence as version 0001 stored it: every table, rows that point at each other.
ROWS: list[tuple[str, dict[str, object]]] = [
    ("items", {"key": "bread", "supplier_key": "bakery", "max_per_delivery": 6, "weight": 0.25,
               "counts_as_pack": False}),
    ("items", {"key": "water", "supplier_key": "grocery", "max_per_delivery": 4, "weight": 9.0,
               "counts_as_pack": True}),
    ("sites", {"id": 1, "slug": "moulin", "name": "Résidence du Moulin",
               "timezone": "Europe/Paris", "created_at": T0}),
    ("people", {"id": 1, "site_id": 1, "name": "Mme Jeanne Pouli", "phone": "+33611111111",
                "telegram_id": 7001, "language": "fr", "status": "active", "is_tenant": True,
                "is_volunteer": False, "is_coordinator": False, "is_supplier": False,
                "created_at": T0, "approved_at": T0}),
    ("people", {"id": 2, "site_id": 1, "name": "Paul Benevole", "phone": "+33622222222",
                "language": "fr", "status": "active", "is_tenant": False, "is_volunteer": True,
                "is_coordinator": False, "is_supplier": False, "created_at": T0}),
    ("people", {"id": 3, "site_id": 1, "name": "Claire", "phone": "+33633333333",
                "language": "en", "status": "active", "is_tenant": False,
                "is_volunteer": False, "is_coordinator": True, "is_supplier": False,
                "created_at": T0}),
    ("tenant_profiles", {"person_id": 1, "building": "C", "entrance": "2", "floor": 3,
                         "apartment": "31", "reduced_mobility": True, "isolated": True,
                         "elderly": True, "ill": False, "consent_on": "2026-11-01",
                         "bread_bag": True, "notes": "sonner fort", "time_need": "avant 9 h",
                         "visit_rhythm_days": 7}),
    ("volunteer_profiles", {"person_id": 2, "weekdays": "mon,wed,fri", "max_packs": 6}),
    ("orders", {"id": 1, "person_id": 1, "site_id": 1, "delivery_date": "2026-11-25",
                "status": "delivered", "source": "sms", "standing": False,
                "raw_text": "2 baguettes mercredi", "outcome": "bread_bag", "outcome_at": T0,
                "created_at": T0, "updated_at": T0}),
    ("orders", {"id": 2, "person_id": 1, "site_id": 1, "delivery_date": "2026-11-27",
                "status": "pending", "source": "telegram", "standing": True,
                "created_at": T0, "updated_at": T0}),
    ("order_lines", {"id": 1, "order_id": 1, "item_key": "bread", "quantity": 2}),
    ("order_lines", {"id": 2, "order_id": 2, "item_key": "bread", "quantity": 1}),
    ("order_lines", {"id": 3, "order_id": 2, "item_key": "water", "quantity": 1}),
    ("standing_orders", {"id": 1, "person_id": 1, "weekday": "fri", "item_key": "water",
                         "quantity": 1, "created_at": T0}),
    ("pauses", {"id": 1, "person_id": 1, "start_on": "2026-12-01", "end_on": "2026-12-08",
                "created_at": T0}),
    ("closures", {"id": 1, "site_id": 1, "closed_on": "2026-12-25", "reason": "Noël",
                  "created_at": T0}),
    ("volunteer_absences", {"id": 1, "person_id": 2, "start_on": "2026-12-10",
                            "end_on": "2026-12-12", "created_at": T0}),
    ("rounds", {"id": 1, "site_id": 1, "delivery_date": "2026-11-25", "volunteer_id": 2,
                "created_at": T0, "sent_at": T0}),
    ("stops", {"id": 1, "round_id": 1, "order_id": 1, "position": 1, "outcome": "bread_bag",
               "reported_at": T0}),
    ("visits", {"id": 1, "site_id": 1, "tenant_id": 1, "volunteer_id": 2,
                "visit_date": "2026-11-26", "window_start": "14:00:00",
                "window_end": "16:00:00", "status": "done", "requested": True, "wellbeing": 4,
                "remark": "va bien", "created_at": T0, "reported_at": T0}),
    ("inbound_messages", {"id": 1, "channel": "sms", "external_id": "SM0001",
                          "address": "+33611111111", "person_id": 1,
                          "text": "2 baguettes mercredi", "received_at": T0, "handled_at": T0,
                          "reply": '{"replies": [{"text": "C\'est noté", "lang": "fr"}], '
                                   '"silent": false}',
                          "replied_at": T0}),
    ("inbound_messages", {"id": 2, "channel": "telegram", "external_id": "900001",
                          "address": "7001", "person_id": 1, "text": "mes commandes",
                          "received_at": T0, "handled_at": T0,
                          "reply": '{"replies": [], "silent": false}'}),
    ("outbox", {"id": 1, "dedupe_key": "round:moulin:2026-11-25:2", "kind": "round",
                "person_id": 2, "site_id": 1, "channel": "sms", "address": "+33622222222",
                "payload": '{"text": "Tournée du mercredi", "lang": "fr"}', "status": "sent",
                "attempts": 1, "next_attempt_at": T0, "created_at": T0, "sent_at": T0,
                "external_id": "SM9"}),
    ("outbox", {"id": 2, "dedupe_key": "reminder:1:2026-11-27", "kind": "reminder",
                "person_id": 1, "site_id": 1, "channel": "telegram", "address": "7001",
                "payload": '{"text": "Demain : 1 baguette", "lang": "fr"}',
                "status": "pending", "attempts": 0, "next_attempt_at": T0,
                "expires_at": "2026-11-28 08:00:00", "created_at": T0}),
    ("conversation_states", {"id": 1, "key": "person:1", "person_id": 1, "kind": "confirm",
                             "data": '{"day": "2026-11-27"}',
                             "expires_at": "2026-11-20 12:00:00", "updated_at": T0}),
    ("link_codes", {"code": "ABCD1234", "person_id": 1, "created_at": T0,
                    "expires_at": "2026-11-21 08:00:00"}),
    ("job_runs", {"id": 1, "site_id": 1, "run_date": "2026-11-25", "kind": "evening",
                  "started_at": T0, "finished_at": T0, "detail": "1 round"}),
    ("audit_log", {"id": 1, "at": T0, "actor_id": 3, "actor": "Claire", "action": "approve",
                   "target": "person:1", "details": '{"why": "test"}'}),
]  # fmt: skip


@pytest.fixture
def first_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    with scratch_database(db_url, tmp_path, "from0001") as url:
        yield url


def _fill(url: str) -> None:
    engine = sa.create_engine(Database(url).url)
    postgres = engine.dialect.name == "postgresql"
    try:
        with engine.begin() as conn:
            for table, row in ROWS:
                cols = ", ".join(row)
                values = ", ".join(
                    f"CAST(:{c} AS json)" if postgres and str(v).startswith("{") else f":{c}"
                    for c, v in row.items()
                )
                conn.execute(sa.text(f"INSERT INTO {table} ({cols}) VALUES ({values})"), row)
            if postgres:  # rows given their ids: the sequences go on after them
                for table in {t for t, r in ROWS if "id" in r}:
                    conn.execute(
                        sa.text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
    finally:
        engine.dispose()


def test_a_database_from_the_first_migration_reaches_head_with_every_row(
    first_url: str,
) -> None:
    upgrade(first_url, "0001")
    _fill(first_url)
    upgrade(first_url)
    assert current_revision(first_url) == head_revision()

    db = Database(first_url)
    try:
        with db.transaction() as s:
            for table in {t for t, _ in ROWS}:
                want = sum(1 for t, _ in ROWS if t == table)
                got = s.scalar(sa.select(sa.func.count()).select_from(sa.table(table)))
                assert got == want, table
            # readable through today's models, relations and types included
            jeanne = s.scalar(sa.select(Person).where(Person.phone == "+33611111111"))
            assert jeanne is not None and jeanne.telegram_id == 7001
            assert jeanne.tenant is not None and jeanne.tenant.building == "C"
            assert jeanne.tenant.time_need == "avant 9 h"
            orders = s.scalars(sa.select(Order).order_by(Order.id)).all()
            assert [(o.delivery_date.isoformat(), o.status, o.items) for o in orders] == [
                ("2026-11-25", OrderStatus.DELIVERED, {"bread": 2}),
                ("2026-11-27", OrderStatus.PENDING, {"bread": 1, "water": 1}),
            ]
            assert orders[0].created_at.isoformat() == "2026-11-20T08:00:00+00:00"
            [standing] = s.scalars(sa.select(StandingOrder)).all()
            assert (standing.weekday, standing.item_key, standing.quantity) == ("fri", "water", 1)
            [pause] = s.scalars(sa.select(Pause)).all()
            assert pause.end_on.isoformat() == "2026-12-08"
            assert s.scalar(sa.select(Closure.reason)) == "Noël"
            [round_] = s.scalars(sa.select(Round)).all()
            assert round_.volunteer_id == 2
            [visit] = s.scalars(sa.select(Visit)).all()
            assert (visit.status, visit.remark) == (VisitStatus.DONE, "va bien")
            inbound = s.scalars(sa.select(InboundMessage).order_by(InboundMessage.id)).all()
            assert inbound[0].reply == {
                "replies": [{"text": "C'est noté", "lang": "fr"}],
                "silent": False,
            }
            assert [m.handled_by for m in inbound] == [None, None]  # handled before leases
            outbox = s.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
            assert [(o.status, o.payload["text"]) for o in outbox] == [
                (OutboxStatus.SENT, "Tournée du mercredi"),
                (OutboxStatus.PENDING, "Demain : 1 baguette"),
            ]
            assert s.scalar(sa.select(ConversationState.data)) == {"day": "2026-11-27"}
            assert s.scalar(sa.select(JobRun.detail)) == "1 round"
            assert s.scalar(sa.select(AuditEntry.details)) == {"why": "test"}
        with db.transaction() as s:  # and writable: ids go on after the old rows
            s.add(OutboxMessage(**_outbox_row(outbox[1])))
        with db.transaction() as s:
            assert s.scalar(sa.select(sa.func.max(OutboxMessage.id))) == 3
    finally:
        db.dispose()


def _outbox_row(like: OutboxMessage) -> dict[str, object]:
    return {
        "dedupe_key": "after-upgrade",
        "kind": like.kind,
        "channel": like.channel,
        "address": like.address,
        "payload": like.payload,
        "next_attempt_at": like.next_attempt_at,
        "created_at": like.created_at,
    }
