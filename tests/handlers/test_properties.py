"""Arbitrary input never breaks the parser or the conversation: always a reply, or a clean
silence, and the database stays consistent (hypothesis)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers import inbound
from handlers.nlu import parse, read_date, read_quantity, read_weekdays, read_yes_no
from handlers.types import Inbound
from models import InboundMessage, Order, OrderLine
from models.base import Role
from models.clock import FrozenClock
from models.db import Database
from tests.builders import Residence, residence
from tests.nlu.scoring import CONTRACT_INTENTS

WORDS = st.sampled_from(
    [
        "2",
        "deux",
        "baguettes",
        "pain",
        "pack",
        "d'eau",
        "demain",
        "jeudi",
        "lundi",
        "prochain",
        "le",
        "28",
        "27/11",
        "du",
        "1er",
        "au",
        "8",
        "décembre",
        "annuler",
        "STOP",
        "stop",
        "aide",
        "merci",
        "tous",
        "les",
        "mardis",
        "pas",
        "de",
        "pour",
        "svp",
        "3e",
        "étage",
        "🙂",
        "x3",
        "loaves",
        "tomorrow",
        "cancel",
        "every",
        "monday",
        "until",
        "oui",
        "non",
        "1",
        "ajouter",
        "remplacer",
        "OUBLIER",
        "START",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(WORDS, max_size=12).map(" ".join),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=50),
    st.just("x" * 6000),
)


@settings(max_examples=300, deadline=None)
@given(
    text=TEXTS,
    days=st.integers(min_value=0, max_value=900),
    lang=st.sampled_from([None, "fr", "en"]),
)
def test_the_parser_always_answers_in_the_contract(text: str, days: int, lang: str | None) -> None:
    today = date(2026, 1, 1) + timedelta(days=days)
    p = parse(text, today, lang)
    out = p.to_json()
    assert set(out) == {"intent", "items", "date", "until", "weekdays", "clarify", "question"}
    assert out["intent"] in CONTRACT_INTENTS
    assert all(
        k in ("bread", "water") and isinstance(n, int) and n >= 0 for k, n in out["items"].items()
    )
    assert (out["question"] is not None) == out["clarify"]
    read_date(text, today, lang or "fr")
    read_quantity(text, lang or "fr")
    read_yes_no(text, lang or "fr")
    read_weekdays(text, lang or "fr")


_ids = itertools.count()


@pytest.fixture
def res(db: Database, config) -> Residence:
    r = residence(db, config, FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)))
    r.add("+33611111111", "Mme Jeanne Pouli", {Role.TENANT})
    r.add("+33620000001", "Gilles", {Role.VOLUNTEER})
    return r


def test_the_conversation_survives_anything(res: Residence) -> None:
    senders = ["+33611111111", "+33620000001", "+33699999999"]

    @settings(
        max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        texts=st.lists(TEXTS, min_size=1, max_size=4),
        who=st.sampled_from(senders),
        channel=st.sampled_from(["sms", "telegram", "console"]),
    )
    def talk(texts: list[str], who: str, channel: str) -> None:
        for text in texts:
            res.clock.advance(timedelta(minutes=7))
            msg = Inbound(
                channel=channel,
                external_id=f"P{next(_ids)}",
                address=who,
                phone=who,
                text=text,
                received_at=res.clock.now(),
                telegram_id=None,
            )
            outcome = inbound.handle_or_replay(res.db.call, res.ctx, msg)
            assert outcome.silent or outcome.replies, text
            assert all(r.text.strip() and "Traceback" not in r.text for r in outcome.replies)

    talk()
    with res.db.transaction() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(InboundMessage)) > 0
        # no order without lines, no line outside its limits
        for order in s.scalars(sa.select(Order)):
            assert order.lines or order.status.value == "cancelled"
        assert s.scalar(sa.select(sa.func.max(OrderLine.quantity))) in (None, 1, 2, 3, 4, 5, 6)
