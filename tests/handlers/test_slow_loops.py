"""An auto-responder every 11 seconds passes the echo guard (10 s) and the burst guard (8 a
minute): over an hour the same text, or the same answers going round, stop the replies and
tell the coordinators once. A real person's STOP is always acted on and confirmed."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.channels.render import plain
from handlers import inbound
from handlers.types import Inbound
from models import OutboxMessage, Person
from models.base import Role
from models.clock import FrozenClock
from models.db import Database
from tests.builders import Residence, residence

JEANNE, COORD = "+33611111111", "+33633333333"
_ids = itertools.count(1)


@pytest.fixture
def res(db: Database, config) -> Residence:
    r = residence(db, config, FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)))
    r.add(JEANNE, "Mme Jeanne Pouli", {Role.TENANT})
    r.add(COORD, "Claire", {Role.COORDINATOR})
    return r


def send(res: Residence, phone: str, text: str, gap: float = 11) -> list[str]:
    msg = Inbound(
        channel="sms",
        external_id=f"SM{next(_ids):032x}",
        address=phone,
        phone=phone,
        text=text,
        received_at=res.clock.now(),
    )
    outcome = res.db.call(inbound.handle, res.ctx, msg)
    res.clock.advance(timedelta(seconds=gap))
    return [plain(r) for r in outcome.replies]


def loop_notices(res: Residence) -> list[OutboxMessage]:
    return [r for r in res.outbox(kind="coordinator") if r.dedupe_key.startswith("slow-loop:")]


def test_the_same_text_every_11_seconds_is_answered_a_few_times_then_no_more(res) -> None:
    auto = "Je suis absente pour le moment, je vous rappelle dès que possible."
    answered = [bool(send(res, JEANNE, auto)) for _ in range(60)]  # 11 minutes
    assert sum(answered) <= 5 and not any(answered[10:])
    [notice] = loop_notices(res)
    assert "en boucle" in notice.payload["text"] and JEANNE not in notice.dedupe_key
    for _ in range(300):  # another hour: still silent, coordinators told once
        assert send(res, JEANNE, auto) == []
    assert len(loop_notices(res)) == 1


def test_changing_texts_with_the_same_answer_are_a_loop_too(res) -> None:
    answered = [
        bool(send(res, JEANNE, f"Message automatique {i} : votre correspondant est absent"))
        for i in range(40)
    ]
    assert sum(answered) <= 9 and not any(answered[12:])
    assert len(loop_notices(res)) == 1


def test_stop_is_honoured_inside_a_burst_and_inside_a_loop(res) -> None:
    for i in range(12):  # a burst: twelve messages in the same second
        send(res, JEANNE, f"appel manqué {i}", gap=0)
    [confirmed] = send(res, JEANNE, "STOP")
    assert "START" in confirmed
    with res.db.transaction() as s:
        assert s.scalar(sa.select(Person.opted_out_at).where(Person.phone == JEANNE))


def test_stop_after_a_slow_loop_is_confirmed(res) -> None:
    for _ in range(20):
        send(res, JEANNE, "Répondeur : laissez un message après le bip sonore.")
    assert send(res, JEANNE, "Répondeur : laissez un message après le bip sonore.") == []
    [confirmed] = send(res, JEANNE, "STOP")
    assert "START" in confirmed


def test_a_person_who_writes_normally_is_always_answered(res) -> None:
    for text in ["2 baguettes pour demain", "oui", "mes commandes", "aide", "bonjour"] * 3:
        assert send(res, JEANNE, text, gap=60), text
    assert loop_notices(res) == []
