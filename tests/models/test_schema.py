"""The schema comes from migrations only, agrees with the models, and refuses duplicates."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import models
from models import (
    ConversationState,
    InboundMessage,
    JobRun,
    OutboxMessage,
    Person,
)
from models.db import Database
from models.migrate import current_revision
from models.sync import sync_config


def test_migrations_reach_head_and_match_models(db: Database, db_url: str) -> None:
    assert current_revision(db_url) == "0011"
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), models.Base.metadata
        )
    assert diff == []


def test_every_table_exists(db: Database) -> None:
    names = set(sa.inspect(db.engine).get_table_names())
    assert set(models.Base.metadata.tables) <= names


@pytest.fixture
def site_id(db: Database, config, clock) -> int:
    with db.transaction() as s:
        return sync_config(s, config, clock)["moulin"]


def _second_row_rejected(db: Database, make) -> None:
    with db.transaction() as s:
        s.add(make())
    with pytest.raises(sa.exc.IntegrityError), db.transaction() as s:
        s.add(make())


def test_phone_is_unique(db: Database, clock, site_id: int) -> None:
    _second_row_rejected(
        db, lambda: Person(name="A", phone="+33612345678", site_id=site_id, created_at=clock.now())
    )


def test_telegram_id_is_unique(db: Database, clock, site_id: int) -> None:
    _second_row_rejected(
        db, lambda: Person(name="A", telegram_id=7001, site_id=site_id, created_at=clock.now())
    )


def test_inbound_message_id_is_unique_per_channel(db: Database, clock) -> None:
    def make() -> InboundMessage:
        return InboundMessage(
            channel="sms", external_id="SM1", address="+33612345678", received_at=clock.now()
        )

    _second_row_rejected(db, make)
    with db.transaction() as s:  # the same id on another channel is another message
        s.add(
            InboundMessage(
                channel="telegram", external_id="SM1", address="1", received_at=clock.now()
            )
        )


def test_outbox_dedupe_key_is_unique(db: Database, clock) -> None:
    _second_row_rejected(
        db,
        lambda: OutboxMessage(
            dedupe_key="round:moulin:2026-11-25:7",
            kind="round",
            channel="sms",
            address="+33612345678",
            payload={"text": "x"},
            next_attempt_at=clock.now(),
            created_at=clock.now(),
        ),
    )


def test_job_run_is_unique_per_site_date_kind(db: Database, clock, site_id: int) -> None:
    _second_row_rejected(
        db,
        lambda: JobRun(
            site_id=site_id, run_date=date(2026, 11, 25), kind="evening", started_at=clock.now()
        ),
    )


def test_conversation_state_is_unique_per_address(db: Database, clock) -> None:
    _second_row_rejected(
        db,
        lambda: ConversationState(
            key="sms:+33612345678",
            kind="x",
            data={},
            expires_at=clock.now(),
            updated_at=clock.now(),
        ),
    )


def test_timestamps_come_back_in_utc(db: Database, clock, site_id: int) -> None:
    with db.transaction() as s:
        s.add(Person(name="B", phone="+33600000001", site_id=site_id, created_at=clock.now()))
    with db.transaction() as s:
        p = s.scalar(sa.select(Person).where(Person.phone == "+33600000001"))
        assert p is not None and p.created_at == clock.now()
        assert p.created_at.utcoffset() is not None
