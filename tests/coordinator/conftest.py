"""A small world of two residences for the coordinator's commands, and a way to talk to it
through the real inbound pipeline (`handlers.inbound.handle`), as Telegram or SMS would."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from handlers import inbound
from handlers.types import Inbound, Reply
from models.audit import AuditEntry
from models.base import OrderStatus, PersonStatus
from models.clock import FrozenClock
from models.db import Database
from models.people import Person
from tests.coordinator.world import World, two_sites, world

TELEGRAM = {
    "claire": 9001,
    "marc": 9002,
    "jeanne": 9003,
    "gilles": 9004,
    "boulangerie": 9005,
    "sophie": 9006,
}
_ids = itertools.count(1)


@dataclass
class Talk:
    """The residence, and one call per message: who writes what, on which channel."""

    w: World

    def replies(self, who: str, text: str, channel: str = "telegram") -> list[Reply]:
        self.w.clock.advance(timedelta(seconds=11))  # a person's pace: no loop guard, no echo
        with self.w.db.transaction() as s:
            person = s.get(Person, self.w.ids[who])
            assert person is not None
            phone, telegram_id = person.phone, person.telegram_id
        command = argument = None
        if channel == "telegram" and text.startswith("/"):
            word, _, rest = text.partition(" ")
            command, argument = word[1:].lower(), rest.strip()
        msg = Inbound(
            channel=channel,
            external_id=f"t{next(_ids)}",
            address=str(telegram_id) if channel == "telegram" else str(phone),
            text=text,
            received_at=self.w.clock.now(),
            phone=phone if channel != "telegram" else None,
            telegram_id=telegram_id if channel == "telegram" else None,
            command=command,
            argument=argument or "",
        )
        return self.w.db.call(inbound.handle, self.w.ctx, msg).replies

    def __call__(self, who: str, text: str, channel: str = "telegram") -> str:
        return "\n".join(r.text for r in self.replies(who, text, channel))

    def press(self, who: str, value: str) -> str:
        self.w.clock.advance(timedelta(seconds=11))
        with self.w.db.transaction() as s:
            person = s.get(Person, self.w.ids[who])
            assert person is not None
            telegram_id = person.telegram_id
        msg = Inbound(
            channel="telegram",
            external_id=f"t{next(_ids)}",
            address=str(telegram_id),
            text=value,
            received_at=self.w.clock.now(),
            telegram_id=telegram_id,
            choice=value,
        )
        return "\n".join(r.text for r in self.w.db.call(inbound.handle, self.w.ctx, msg).replies)

    def audit(self, action: str | None = None) -> list[AuditEntry]:
        with self.w.db.transaction() as s:
            q = sa.select(AuditEntry).order_by(AuditEntry.id)
            if action:
                q = q.where(AuditEntry.action == action)
            rows = list(s.scalars(q))
            for r in rows:
                s.expunge(r)
            return rows


def residence(db: Database, at: datetime = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)) -> World:
    """Tuesday 24 November 2026, 10:00 in Paris, two residences."""
    w = world(db, two_sites(), FrozenClock(at))
    w.person(
        "claire", None, coordinator=True, name="Claire Vasseur", telegram_id=TELEGRAM["claire"]
    )
    w.person("marc", coordinator=True, name="Marc Leroy", telegram_id=TELEGRAM["marc"])
    w.person(
        "jeanne",
        tenant=True,
        name="Mme Jeanne Pouli",
        telegram_id=TELEGRAM["jeanne"],
        building="C",
        floor=1,
        apartment="1B",
    )
    w.person("odette", tenant=True, name="Mme Odette Martin", isolated=True)
    w.person("peter", tenant=True, name="Peter Collins", lang="en", isolated=True)
    w.person(
        "stopped",
        tenant=True,
        name="M. Stop",
        isolated=True,
        opted_out=datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
    )
    w.person("marcel", "phare", tenant=True, name="M. Marcel Pouli")
    w.person("gilles", volunteer=True, name="Gilles Morel", telegram_id=TELEGRAM["gilles"])
    w.person("sophie", volunteer=True, name="Sophie Bacquet", telegram_id=TELEGRAM["sophie"])
    w.person(
        "boulangerie",
        supplier="bakery",
        name="Boulangerie du Port",
        telegram_id=TELEGRAM["boulangerie"],
    )
    w.person(
        "newcomer", tenant=True, name="Fatima Benali", status=PersonStatus.PENDING, approved=None
    )
    w.person(
        "newcomer_phare",
        "phare",
        tenant=True,
        name="Lucien Caron",
        status=PersonStatus.PENDING,
        approved=None,
    )
    w.order("jeanne", date(2026, 11, 23), {"bread": 2}, by="gilles")
    w.order("jeanne", date(2026, 11, 25), {"bread": 2, "water": 1}, OrderStatus.PENDING)
    w.order("odette", date(2026, 11, 25), {"bread": 1}, OrderStatus.PENDING)
    w.order("peter", date(2026, 11, 26), {"water": 1}, OrderStatus.PENDING)
    return w


@pytest.fixture
def talk(db: Database) -> Iterator[Talk]:
    yield Talk(residence(db))
