"""Telegram and SMS through the real client libraries and the fake servers: groups refused,
numbers read as international, a newcomer's failed answer not lost."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import phonenumbers
import pytest
import sqlalchemy as sa

from models import InboundMessage, Person
from models.base import Role
from models.clock import FrozenClock
from models.db import Database
from models.messages import OutboxMessage
from tests.builders import residence
from tests.harness import WEBHOOK_SECRET, RunningBot, settings_for, wait_until

COORD, COORD_TG = "+33633333333", 7003
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
OVERSEAS = ["NC", "WF", "TO", "TV", "GB", "BE"]  # +687, +681, +676, +688, +44, +32


def example(region: str) -> str:
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def as_french(e164: str) -> str:
    """What the old code made of the digits: a French national number."""
    number = phonenumbers.parse(e164.lstrip("+"), "FR")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))


def _prepare(db_url: str, config, clock, *french: str) -> None:
    db = Database(db_url)
    res = residence(db, config, clock)
    res.add(COORD, "Claire", {Role.COORDINATOR}, telegram_id=COORD_TG)
    res.add("+33611111111", "Mme Jeanne Pouli", {Role.TENANT}, tenant={"ill": True})
    for i, phone in enumerate(french):
        res.add(phone, f"Locataire Française {i}", {Role.TENANT})
    db.dispose()


@pytest.fixture
def hook(db_url, fake_telegram, fake_twilio, clock, config):
    _prepare(db_url, config, clock)
    settings = settings_for(
        db_url, telegram=fake_telegram, twilio=fake_twilio, telegram_mode="webhook"
    )
    with RunningBot(settings, clock) as running:
        yield running


def _count(bot: RunningBot, model, *where) -> int:
    with bot.rt.db.transaction() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


@pytest.mark.parametrize("chat_id", [-1001234567890, -4242])  # a supergroup, a group
def test_a_coordinator_in_a_group_gets_one_refusal_and_nothing_else(
    hook, fake_telegram, chat_id: int, caplog
) -> None:
    update = fake_telegram.make_update(COORD_TG, "/locataire Pouli", chat_id=chat_id)
    with caplog.at_level(logging.WARNING, logger="entraide.telegram"):
        assert hook.http.post("/telegram/webhook", json=update, headers=HEADERS).status_code == 200
        [refusal] = fake_telegram.wait_sent(chat_id)
    assert "conversation privée" in refusal.text and "Pouli" not in refusal.text
    assert fake_telegram.wait_sent(chat_id, after=1, timeout=1.5) == []
    assert fake_telegram.messages_to(COORD_TG) == []
    assert _count(hook, InboundMessage) == 0
    assert len([r for r in caplog.records if "private chats only" in r.getMessage()]) == 1


def test_a_channel_post_is_refused_too(hook, fake_telegram) -> None:
    update = fake_telegram.make_update(COORD_TG, "/stats", chat_id=-1009999)
    update["channel_post"] = update.pop("message")
    update["channel_post"]["chat"]["type"] = "channel"
    assert hook.http.post("/telegram/webhook", json=update, headers=HEADERS).status_code == 200
    assert len(fake_telegram.wait_sent(-1009999)) == 1
    assert _count(hook, InboundMessage) == 0


@pytest.mark.parametrize("region", OVERSEAS)
def test_a_shared_overseas_contact_is_never_read_as_french(
    db_url, fake_telegram, clock, config, region: str
) -> None:
    number = example(region)
    french = as_french(number) if region == "NC" else None
    _prepare(db_url, config, clock, *([french] if french else []))
    with RunningBot(settings_for(db_url, telegram=fake_telegram), clock) as bot:
        fake_telegram.push_text(8001, "/start")
        fake_telegram.wait_sent(8001)
        fake_telegram.push_contact(8001, number)  # sent without "+", as Telegram does
        [answer] = fake_telegram.wait_sent(8001, after=1)
        assert "Française" not in answer.text and "nom" in answer.text
        with bot.rt.db.transaction() as s:
            linked = s.scalars(sa.select(Person.phone).where(Person.telegram_id == 8001)).all()
            assert linked == []  # nobody linked: a newcomer, asked their name
        fake_telegram.push_text(8001, "Marie Wayenece")
        fake_telegram.wait_sent(8001, after=2)
        fake_telegram.push_text(8001, "bâtiment B appartement 4")
        fake_telegram.wait_sent(8001, after=3)
        with bot.rt.db.transaction() as s:
            phone = s.scalar(sa.select(Person.phone).where(Person.telegram_id == 8001))
        assert phone == number


@pytest.mark.parametrize("region", OVERSEAS)
def test_twilio_from_is_read_as_international(
    db_url, fake_twilio, clock, config, region: str
) -> None:
    number = example(region)
    _prepare(db_url, config, clock, as_french(number) if region == "NC" else "+33699999999")
    with RunningBot(settings_for(db_url, twilio=fake_twilio), clock) as bot:
        [reply] = bot.say(number, "bonjour")
        assert "Quel est votre nom" in reply
        with bot.rt.db.transaction() as s:
            assert s.scalar(sa.select(InboundMessage.address)) == number
        # the same digits without "+": a short code or a name to Twilio, never a French mobile
        response = bot.sms(number.lstrip("+"), "STOP")
        assert response.status_code == 200 and "<Message>" not in response.text
        with bot.rt.db.transaction() as s:
            assert s.scalar(sa.select(sa.func.count()).select_from(InboundMessage)) == 1
            assert s.scalar(sa.select(sa.func.count()).where(Person.opted_out_at.is_not(None))) == 0


def test_a_newcomers_answer_that_failed_is_queued_by_chat(hook, fake_telegram) -> None:
    fake_telegram.fail(1, status=502)
    update = fake_telegram.make_update(8100, "/start")
    assert hook.http.post("/telegram/webhook", json=update, headers=HEADERS).status_code == 200
    assert wait_until(lambda: _count(hook, OutboxMessage, OutboxMessage.address == "8100") == 1)
    hook.clock.advance(timedelta(minutes=1))
    hook.bot.dispatcher.wake.set()
    [welcome] = fake_telegram.wait_sent(8100)
    assert "Quel est votre nom" in welcome.text or "Partager" in welcome.text
