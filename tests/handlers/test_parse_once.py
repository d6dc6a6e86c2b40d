"""Each message is parsed once (issue 17): the router's one `parse`, and the reading stages
(spelling, dates, items) run once even when the message answers an open question and the
answer's reader (`read_yes_no`, `read_quantity`, `read_date`) looks at it again."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from bot.channels.render import plain
from handlers import inbound, router
from handlers.nlu import parser
from handlers.types import Inbound
from models.base import Role
from models.clock import FrozenClock
from models.db import Database
from tests.builders import Residence, residence

JEANNE = "+33611111111"
_ids = itertools.count(1)


@pytest.fixture
def res(db: Database, config) -> Residence:
    r = residence(db, config, FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)))
    r.add(JEANNE, "Mme Jeanne Pouli", {Role.TENANT})
    return r


@pytest.fixture
def calls(monkeypatch) -> Counter[str]:
    """Calls of the router's parse and of the reading stages, counted (both still run)."""
    seen: Counter[str] = Counter()

    def counted(name: str, fn):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            seen[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(router, "parse", counted("parse", router.parse))
    monkeypatch.setattr(parser, "_read", counted("read", parser._read))
    return seen


def send(res: Residence, text: str) -> str:
    msg = Inbound(
        channel="sms",
        external_id=f"SM{next(_ids):032x}",
        address=JEANNE,
        phone=JEANNE,
        text=text,
        received_at=res.clock.now(),
    )
    outcome = res.db.call(inbound.handle, res.ctx, msg)
    res.clock.advance(timedelta(seconds=30))
    return " ".join(plain(r) for r in outcome.replies)


CONVERSATION = [
    ("2 baguettes pour demain svp", "C'est noté"),
    ("merci", "Merci"),
    ("des baguettes pour vendredi", "Combien"),  # an open question: how many
    ("3", "3 baguettes, vendredi"),  # its answer, read by read_quantity as well
    ("Je voudrais 2 pains pour mercredi s'il vous plaît", "Ajouter"),
    ("1", "4 baguettes"),  # add or replace: add
    ("un pack d'eau", "OUI ou NON"),  # which day: the one proposed?
    ("jeudi", "jeudi 26"),  # no, Thursday: read by read_yes_no and read_date as well
    ("annuler ma commande de demain", "annulé"),
    ("mes commandes", "Prochaine livraison"),
]


def test_each_message_is_parsed_once_questions_and_answers_included(res, calls) -> None:
    for text, expected in CONVERSATION:
        calls.clear()
        reply = send(res, text)
        if expected is not None:
            assert expected in reply, (text, reply)
        assert calls == Counter(parse=1, read=1), (text, reply, calls)
