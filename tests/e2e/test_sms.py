"""SMS end to end: Twilio's signed webhooks into the real app, TwiML back; messages that are
not replies leave through the real twilio REST client to the fake Twilio server."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from models import InboundMessage, Order, OrderStatus, Person, PersonStatus
from models.base import OutboxStatus, Role
from models.clock import FrozenClock
from models.db import Database
from tests.builders import residence
from tests.fakes.sms_segments import segments
from tests.fakes.twilio_webhooks import inbound_params, signed_headers, status_callback_params
from tests.harness import PUBLIC_URL, RunningBot, settings_for, twiml_messages, wait_until

JEANNE = "+33611111111"
COORD = "+33633333333"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))  # Tuesday 10:00 in Paris


@pytest.fixture
def bot(db_url, fake_twilio, clock, config):
    db = Database(db_url)
    res = residence(db, config, clock)
    res.add(JEANNE, "Mme Jeanne Pouli", {Role.TENANT}, tenant={"building": "C", "floor": 3})
    res.add(COORD, "Claire", {Role.COORDINATOR})
    db.dispose()
    with RunningBot(settings_for(db_url, twilio=fake_twilio), clock) as running:
        yield running


def _count(bot: RunningBot, model, *where) -> int:
    with bot.rt.db.transaction() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def test_a_tenant_orders_by_sms(bot) -> None:
    [reply] = bot.say(JEANNE, "2 baguettes pour demain svp")
    assert reply.startswith("C'est noté : 2 baguettes, mercredi 25 novembre.")
    assert _count(bot, Order, Order.status == OrderStatus.PENDING) == 1


def test_choices_are_numbered_and_the_number_answers(bot) -> None:
    bot.say(JEANNE, "2 baguettes demain")
    [ask] = bot.say(JEANNE, "une baguette demain")
    assert ask.endswith("Répondez 1 pour ajouter, 2 pour remplacer.")
    [done] = bot.say(JEANNE, "1")
    assert "3 baguettes" in done


def test_replies_stay_in_gsm7_and_two_segments(bot) -> None:
    texts = bot.say(JEANNE, "aide") + bot.say(JEANNE, "2 baguettes pour demain")
    texts += bot.say(JEANNE, "je n'ai pas reçu mon pain ce matin")
    for text in texts:
        assert segments(text) <= 2, text
        assert "ç" not in text and "’" not in text and "«" not in text


def test_replayed_webhook_gets_the_same_answer_and_changes_nothing(bot) -> None:
    params = inbound_params(JEANNE, "2 baguettes pour demain", to="+33757000000")
    first = bot.post_signed("/sms/inbound", params)
    second = bot.post_signed("/sms/inbound", params)
    assert first.status_code == second.status_code == 200
    assert twiml_messages(first.text) == twiml_messages(second.text) != []
    assert _count(bot, Order) == 1
    assert _count(bot, InboundMessage) == 1


def test_forged_or_missing_signature_is_refused_and_nothing_stored(bot) -> None:
    params = inbound_params(JEANNE, "2 baguettes pour demain", to="+33757000000")
    forged = bot.http.post(
        "/sms/inbound",
        data=params,
        headers=signed_headers("wrong-token", PUBLIC_URL + "/sms/inbound", params),
    )
    missing = bot.http.post("/sms/inbound", data=params)
    other_host = bot.http.post(
        "/sms/inbound",
        data=params,
        headers=signed_headers(
            bot.settings.twilio_auth_token.get_secret_value(),
            "http://127.0.0.1/sms/inbound",
            params,
        ),
    )
    assert (forged.status_code, missing.status_code, other_host.status_code) == (403, 403, 403)
    assert _count(bot, InboundMessage) == 0


def test_wrong_content_type_and_oversized_bodies_are_refused(bot) -> None:
    assert bot.http.post("/sms/inbound", json={"Body": "x"}).status_code == 415
    big = {"Body": "x" * 70_000, "From": JEANNE}
    assert bot.http.post("/sms/inbound", data=big).status_code == 413
    assert _count(bot, InboundMessage) == 0


def test_bad_bodies_get_a_clear_answer(bot) -> None:
    for body in ["", "🙂🙂", "x" * 5000]:
        [reply] = bot.say(JEANNE, body)
        assert reply.strip() and "Traceback" not in reply
    # bytes that are not UTF-8, signed as Twilio would sign what it sent
    params = inbound_params(JEANNE, "placeholder", to="+33757000000")
    raw = "&".join(f"{k}={v}" for k, v in params.items() if k != "Body") + "&Body=%FF%FE%20pain"
    from urllib.parse import parse_qsl

    decoded = dict(parse_qsl(raw, encoding="utf-8", errors="replace"))
    headers = signed_headers(
        bot.settings.twilio_auth_token.get_secret_value(), PUBLIC_URL + "/sms/inbound", decoded
    )
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    response = bot.http.post("/sms/inbound", content=raw.encode(), headers=headers)
    assert response.status_code in (200, 403)
    assert _count(bot, Order) == 0


def test_an_unknown_number_is_welcomed_and_the_coordinator_told(bot, fake_twilio) -> None:
    stranger = "+33699999999"
    [ask] = bot.say(stranger, "bonjour je voudrais du pain")
    assert "Quel est votre nom" in ask
    bot.say(stranger, "Odette Lambert")
    [done] = bot.say(stranger, "bât A 4e étage apt 42")
    assert "transmise" in done
    with bot.rt.db.transaction() as s:
        assert (
            s.scalar(sa.select(Person.status).where(Person.phone == stranger))
            is PersonStatus.PENDING
        )
    sent = fake_twilio.wait_messages(COORD, 1, timeout=10)
    assert "Odette Lambert" in sent[0].body


def test_stop_then_silence_then_start(bot, fake_twilio) -> None:
    [stop] = bot.say(JEANNE, "STOP")
    assert "START" in stop
    assert bot.say(JEANNE, "2 baguettes demain") == []
    assert _count(bot, Order) == 0
    [back] = bot.say(JEANNE, "START")
    assert "Bon retour" in back


def test_opted_out_at_twilio_marks_the_person_and_tells_coordinators(bot, fake_twilio) -> None:
    fake_twilio.opt_out(JEANNE)
    with bot.rt.db.transaction() as s:
        from handlers.notify import tell
        from handlers.types import Reply

        person = s.scalar(sa.select(Person).where(Person.phone == JEANNE))
        tell(s, bot.bot.service.ctx, person, "test:optout", Reply("Rappel", "fr"))
    bot.bot.dispatcher.wake.set()
    assert wait_until(lambda: _person(bot, JEANNE).opted_out_at is not None)
    messages = fake_twilio.wait_messages(COORD, 1, timeout=10)
    assert messages and "Pouli" in messages[0].body


def test_delivery_status_callbacks_are_recorded(bot, fake_twilio) -> None:
    with bot.rt.db.transaction() as s:
        from handlers.notify import tell
        from handlers.types import Reply

        person = s.scalar(sa.select(Person).where(Person.phone == JEANNE))
        tell(s, bot.bot.service.ctx, person, "test:status", Reply("Rappel", "fr"))
    bot.bot.dispatcher.wake.set()
    [sms] = fake_twilio.wait_messages(JEANNE, 1, timeout=10)
    assert sms.status_callback == PUBLIC_URL + "/sms/status"
    # Twilio posts to the public address; behind the proxy it reaches us at /sms/status.
    params = status_callback_params(
        sms.sid,
        "undelivered",
        JEANNE,
        sms.from_,
        account_sid=fake_twilio.account_sid,
        error_code=30006,
    )
    assert bot.post_signed("/sms/status", params).status_code == 204
    assert wait_until(lambda: _person(bot, JEANNE).sms_failed_at is not None)


def _person(bot: RunningBot, phone: str) -> Person:
    with bot.rt.db.transaction() as s:
        p = s.scalar(sa.select(Person).where(Person.phone == phone))
        s.expunge(p)
        return p


def test_outbox_survives_twilio_errors(bot, fake_twilio, clock) -> None:
    fake_twilio.fail(1, status=500)
    with bot.rt.db.transaction() as s:
        from handlers.notify import tell
        from handlers.types import Reply

        person = s.scalar(sa.select(Person).where(Person.phone == JEANNE))
        tell(s, bot.bot.service.ctx, person, "test:retry", Reply("Rappel", "fr"))
    bot.bot.dispatcher.wake.set()
    from models.messages import OutboxMessage

    assert wait_until(
        lambda: (
            _count(
                bot,
                OutboxMessage,
                OutboxMessage.attempts == 1,
                OutboxMessage.status == OutboxStatus.PENDING,
            )
            == 1
        )
    )
    assert fake_twilio.messages_to(JEANNE) == []
    from datetime import timedelta

    clock.advance(timedelta(minutes=11))
    bot.bot.dispatcher.wake.set()
    assert len(fake_twilio.wait_messages(JEANNE, 1, timeout=10)) == 1
    assert wait_until(
        lambda: _count(bot, OutboxMessage, OutboxMessage.status == OutboxStatus.SENT) == 1
    )


def test_health_answers(bot) -> None:
    body = bot.http.get("/healthz").json()
    assert body["status"] == "ok" and body["channels"]["sms"] is True
    assert date.today()  # the server clock is not the test clock; nothing depends on it


def test_a_coordinator_answers_a_tenant_by_number_and_the_tenant_gets_it_by_sms(
    bot, fake_twilio
) -> None:
    [told] = bot.say(JEANNE, "personne n'est passé ce matin, je n'ai pas eu mon pain")
    assert "quelqu'un va vous recontacter" in told
    forwarded = fake_twilio.wait_messages(COORD, 1, timeout=10)[0].body
    assert "Pouli" in forwarded
    number = re.search(r"/repondre (\d+) ", forwarded)
    assert number is not None
    [done] = bot.say(COORD, f"/repondre {number[1]} Bonjour, Gilles repasse vers 11 h.")
    assert done.startswith("Réponse envoyée à Mme Jeanne Pouli")
    [answer] = fake_twilio.wait_messages(JEANNE, 1, timeout=10)
    assert (
        answer.body
        == "Message de Claire, du service de livraison : Bonjour, Gilles repasse vers 11 h."
    )
    [empty] = bot.say(COORD, "ALERTES")
    assert empty.startswith("Aucune alerte ouverte")
