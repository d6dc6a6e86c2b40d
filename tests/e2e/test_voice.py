"""Phone calls end to end: signed Twilio Voice requests into the real app, the TwiML answers
parsed as XML and their `action` URLs followed as Twilio would; our own calls placed through
the real twilio client against the fake Twilio REST server, with the status callbacks Twilio
would post.

One bot for the module (starting one costs a second or two): each test calls with its own
CallSid and, where it books, its own tenant, so they do not see each other's orders. The
outbound tests move the clock, so they come last.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree

import pytest
import sqlalchemy as sa

from handlers.notify import tell
from handlers.types import Choice, Reply
from models import Order, OrderLine, Person
from models.base import Channel, OrderStatus, OutboxStatus, Role
from models.clock import FrozenClock
from models.config import load_config
from models.db import Database
from models.messages import OutboxMessage
from tests.builders import residence
from tests.fakes.twilio_api import FakeTwilioAPI, PlacedCall
from tests.fakes.twilio_webhooks import call_params
from tests.harness import BOT_NUMBER, PUBLIC_URL, ROOT, RunningBot, settings_for, wait_until

JEANNE = "+33321000001"  # landlines (Pas-de-Calais): a text cannot reach them
MARGARET = "+33321000002"
ROSE = "+33321000003"
LUCIEN = "+33321000004"
ODILE = "+33321000005"
COORD = "+33633333333"
STRANGER = "+33321999999"


@pytest.fixture(scope="module")
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))  # Tuesday 10:00 in Paris


@pytest.fixture(scope="module")
def twilio() -> Iterator[FakeTwilioAPI]:
    fake = FakeTwilioAPI().start()
    try:
        yield fake
    finally:
        fake.stop()
        assert not fake.errors, fake.errors


@pytest.fixture(scope="module")
def bot(_sqlite_template, tmp_path_factory, twilio, clock) -> Iterator[RunningBot]:
    db_url = _sqlite_template.copy_to(tmp_path_factory.mktemp("voice"))
    db = Database(db_url)
    res = residence(db, load_config(ROOT / "entraide.example.toml"), clock)
    for phone, name, lang in [
        (JEANNE, "Mme Jeanne Pouli", "fr"),
        (MARGARET, "Margaret Hughes", "en"),
        (ROSE, "Mme Rose Delcourt", "fr"),
        (LUCIEN, "M. Lucien Caron", "fr"),
        (ODILE, "Mme Odile Vasseur", "fr"),
    ]:
        res.add(phone, name, {Role.TENANT}, lang=lang)
    res.add(COORD, "Claire", {Role.COORDINATOR})
    with db.transaction() as s:
        for person in s.scalars(sa.select(Person).where(Person.phone.like("+333%"))):
            person.preferred_channel = Channel.VOICE
    db.dispose()
    with RunningBot(settings_for(db_url, twilio=twilio), clock) as running:
        yield running


# --- Twilio's side of a call -------------------------------------------------------------------
@dataclass
class Turn:
    """One TwiML answer, read as Twilio reads it."""

    root: ElementTree.Element

    @property
    def said(self) -> list[str]:
        return [(s.text or "") for s in self.root.iter("Say")]

    @property
    def text(self) -> str:
        return " ".join(self.said)

    @property
    def gather(self) -> ElementTree.Element | None:
        return self.root.find("Gather")

    @property
    def action(self) -> str:
        element = self.gather if self.gather is not None else self.root.find("Record")
        assert element is not None, self.text
        return element.attrib["action"].removeprefix(PUBLIC_URL)

    @property
    def hangs_up(self) -> bool:
        return self.root.find("Hangup") is not None


class Caller:
    """A phone calling the service's number: posts what Twilio would, follows the actions."""

    def __init__(self, bot: RunningBot, phone: str, placed: PlacedCall | None = None) -> None:
        self.bot, self.phone = bot, phone
        self.sid = placed.sid if placed is not None else "CA" + uuid.uuid4().hex
        self.outbound = placed is not None  # our call: From is the service, To the tenant
        self.turn: Turn | None = None

    def post(self, path: str, **fields: str) -> Turn:
        if self.outbound:
            params = call_params(
                self.sid, BOT_NUMBER, self.phone, direction="outbound-api", **fields
            )
        else:
            params = call_params(self.sid, self.phone, BOT_NUMBER, **fields)
        response = self.bot.post_signed(path, params)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/xml")
        self.turn = Turn(ElementTree.fromstring(response.text))
        return self.turn

    def answer(self, placed: PlacedCall, answered_by: str = "human") -> Turn:
        """Twilio fetches the call's Url once someone (or something) picks up."""
        return self.post(placed.url.removeprefix(PUBLIC_URL), AnsweredBy=answered_by)

    def dial(self) -> Turn:
        return self.post("/voice/inbound", CallStatus="ringing")

    def says(self, words: str, confidence: float = 0.91) -> Turn:
        assert self.turn is not None
        return self.post(self.turn.action, SpeechResult=words, Confidence=str(confidence))

    def presses(self, digits: str) -> Turn:
        assert self.turn is not None
        return self.post(self.turn.action, Digits=digits)

    def silence(self) -> Turn:
        assert self.turn is not None
        return self.post(self.turn.action)


def _orders(bot: RunningBot, phone: str) -> dict[date, dict[str, int]]:
    with bot.rt.db.transaction() as s:
        rows = s.execute(
            sa.select(Order.delivery_date, OrderLine.item_key, OrderLine.quantity)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .join(Person, Person.id == Order.person_id)
            .where(Person.phone == phone, Order.status == OrderStatus.PENDING)
        ).all()
    out: dict[date, dict[str, int]] = {}
    for day, item, n in rows:
        out.setdefault(day, {})[item] = n
    return out


# --- calling in --------------------------------------------------------------------------------
def test_a_known_caller_orders_in_french_after_saying_oui(bot) -> None:
    call = Caller(bot, JEANNE)
    hello = call.dial()
    assert hello.said == ["Bonjour Madame Jeanne Pouli. Que voulez-vous recevoir ?"]
    assert hello.gather is not None
    assert hello.gather.attrib["input"] == "speech dtmf"
    assert hello.gather.attrib["language"] == "fr-FR"
    assert {"baguette", "jeudi"} <= set(hello.gather.attrib["hints"].split(", "))
    assert hello.root.find("Gather/Say").attrib["voice"] == "Polly.Lea"

    heard = call.says("deux baguettes et un pack d'eau pour jeudi")
    assert heard.said == [
        "Deux baguettes et un pack d'eau, jeudi vingt-six novembre.",
        "Dites oui pour confirmer, ou appuyez sur un. "
        "Dites non pour recommencer, ou appuyez sur deux.",
    ]
    assert _orders(bot, JEANNE) == {}  # nothing before "oui"

    done = call.says("oui")
    assert done.said[0].startswith("C'est noté : deux baguettes et un pack d'eau, jeudi vingt-six")
    assert "dites annuler jeudi" in done.said[0]
    assert _orders(bot, JEANNE) == {date(2026, 11, 26): {"bread": 2, "water": 1}}

    listed = call.says("qu'est-ce que je vais recevoir")
    assert "jeudi vingt-six novembre" in listed.text
    bye = call.silence()
    assert bye.said == ["Merci. Au revoir."] and bye.hangs_up


def test_an_english_caller_orders_and_cancels(bot) -> None:
    call = Caller(bot, MARGARET)
    hello = call.dial()
    assert hello.said == ["Hello Margaret Hughes. What would you like to receive?"]
    assert hello.gather.attrib["language"] == "en-GB"
    assert hello.root.find("Gather/Say").attrib["voice"] == "Polly.Amy"
    assert call.says("two loaves for Friday please").said[0] == (
        "Two loaves, Friday twenty-seven November."
    )
    assert call.presses("1").said[0].startswith("Noted: two loaves, Friday twenty-seven November")
    assert _orders(bot, MARGARET) == {date(2026, 11, 27): {"bread": 2}}
    assert (
        call.says("cancel Friday").said[0] == "Cancel the delivery of Friday twenty-seven November."
    )
    call.says("no")
    assert _orders(bot, MARGARET) == {date(2026, 11, 27): {"bread": 2}}  # "no" starts over
    call.says("cancel Friday")
    call.says("yes")
    assert _orders(bot, MARGARET) == {}


def test_low_confidence_is_asked_again_then_the_keypad_takes_over(bot) -> None:
    call = Caller(bot, ROSE)
    call.dial()
    again = call.says("deux baguettes pour jeudi", confidence=0.21)
    assert again.said == [
        "Je n'ai pas bien compris. Dites par exemple : deux baguettes pour jeudi."
    ]
    assert _orders(bot, ROSE) == {}
    keypad = call.says("deux baguettes pour jeudi", confidence=0.3)
    assert keypad.gather.attrib["input"] == "dtmf"
    assert keypad.said == [
        "Utilisons le clavier.",
        "Pour des baguettes, appuyez sur un.",
        "Pour des packs d'eau, appuyez sur deux.",
    ]
    assert call.presses("1").said == ["Combien de baguettes ? Appuyez sur un chiffre, de un à six."]
    proposal = call.presses("3")
    assert proposal.said[0].startswith("Trois baguettes pour mercredi vingt-cinq novembre")
    call.presses("1")  # yes: the next delivery day
    assert _orders(bot, ROSE) == {date(2026, 11, 25): {"bread": 3}}


def test_silence_asks_once_more_then_a_volunteer_calls_back(bot, twilio) -> None:
    call = Caller(bot, LUCIEN)
    call.dial()
    again = call.silence()
    assert again.said[0] == "Pouvez-vous répéter, s'il vous plaît ?"
    assert again.gather is not None
    end = call.silence()
    assert end.said == [
        "Je n'arrive pas à vous comprendre. Un bénévole va vous rappeler. Au revoir."
    ]
    assert end.hangs_up and end.gather is None
    [sms] = twilio.wait_messages(COORD, 1)
    assert "M. Lucien Caron" in sms.body and LUCIEN in sms.body


def test_an_unknown_caller_leaves_a_message_and_orders_nothing(bot, twilio) -> None:
    call = Caller(bot, STRANGER)
    hello = call.dial()
    record = hello.root.find("Record")
    assert record is not None and record.attrib["maxLength"] == "60"
    assert "Après le bip, dites votre nom et votre adresse" in hello.text
    url = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE" + "1" * 32
    bye = call.post(call.turn.action, RecordingUrl=url, RecordingDuration="14")
    assert bye.hangs_up and "Un bénévole va vous rappeler" in bye.text
    told = [m.body for m in twilio.wait_messages(COORD, 2) if STRANGER in m.body]
    assert told and url in told[0] and "14 s" in told[0]
    with bot.rt.db.transaction() as s:
        assert s.scalar(sa.select(Person).where(Person.phone == STRANGER)) is None


def test_a_replayed_request_gets_the_same_twiml_and_acts_once(bot) -> None:
    call = Caller(bot, ODILE)
    call.dial()
    call.says("un pack d'eau pour samedi")
    action = call.turn.action
    first = call.post(action, Digits="1")
    second = call.post(action, Digits="1")
    assert ElementTree.tostring(first.root) == ElementTree.tostring(second.root)
    assert _orders(bot, ODILE) == {date(2026, 11, 28): {"water": 1}}


def test_a_withheld_number_is_told_to_call_again_unmasked(bot) -> None:
    hidden = Caller(bot, "anonymous").dial()
    assert "Votre numéro est masqué" in hidden.text and hidden.hangs_up


def test_forged_voice_requests_are_refused(bot) -> None:
    params = call_params("CA" + "0" * 32, JEANNE, BOT_NUMBER)
    assert bot.http.post("/voice/inbound", data=params).status_code == 403
    forged = bot.post_signed("/voice/inbound", params, token="wrong-token")
    assert forged.status_code == 403


# --- calling out -------------------------------------------------------------------------------
def _tell(bot: RunningBot, phone: str, *replies: Reply, kind: str = "reminder") -> None:
    """Queue messages in one transaction, as the evening job queues a person's reminders."""
    with bot.rt.db.transaction() as s:
        person = s.scalar(sa.select(Person).where(Person.phone == phone))
        for i, reply in enumerate(replies):
            key = f"test:{phone}:{kind}:{i}:{reply.text[:20]}"
            assert tell(s, bot.bot.service.ctx, person, key, reply, kind=kind)
    bot.bot.dispatcher.wake.set()


def _rows(bot: RunningBot, phone: str) -> list[OutboxMessage]:
    with bot.rt.db.transaction() as s:
        rows = list(
            s.scalars(
                sa.select(OutboxMessage)
                .where(OutboxMessage.address == phone)
                .order_by(OutboxMessage.id)
            )
        )
        s.expunge_all()
        return rows


def test_reminders_are_read_in_one_call_and_a_completed_call_is_delivered(bot, twilio) -> None:
    _tell(
        bot,
        JEANNE,
        Reply("Demain vers 15 h, Gilles passera vous dire bonjour.", "fr"),
        Reply("Rappel : livraison jeudi 26 novembre : 2 baguettes.", "fr"),
    )
    [placed] = twilio.wait_calls(JEANNE, 1)
    assert wait_until(lambda: all(r.status is OutboxStatus.SENT for r in _rows(bot, JEANNE)))
    assert len(twilio.wait_calls(JEANNE, 2, timeout=1.5)) == 1  # one call for both
    assert placed.machine_detection == "Enable"
    assert placed.status_callback == PUBLIC_URL + "/voice/status"
    answered = Caller(bot, JEANNE, placed).answer(placed)
    assert answered.said == [
        "Bonjour Madame Jeanne Pouli, ici le service de pain et d'eau de la résidence.",
        "Demain vers quinze heures, Gilles passera vous dire bonjour.",
        "Rappel : livraison jeudi vingt-six novembre : deux baguettes.",
        "Pour répondre, parlez après ce message, ou appuyez sur une touche.",
    ]
    assert answered.gather is not None  # nothing to say back: silence is a goodbye
    bye = Caller(bot, JEANNE, placed)
    bye.turn = answered
    assert bye.silence().said == ["Merci. Au revoir."]
    status = call_params(placed.sid, BOT_NUMBER, JEANNE, status="completed")
    assert bot.post_signed("/voice/status", status).status_code == 204
    assert wait_until(lambda: {r.delivery_status for r in _rows(bot, JEANNE)} == {"delivered"})


def test_an_answering_machine_gets_a_short_message_not_the_question(bot, twilio) -> None:
    question = Reply(
        "Voulez-vous une visite demain ?",
        "fr",
        (Choice("yes", "Oui"), Choice("no", "Non")),
    )
    _tell(bot, ROSE, question, kind="notice")
    [placed] = twilio.wait_calls(ROSE, 1)
    left = Caller(bot, ROSE, placed).answer(placed, "machine_start")
    assert left.gather is None and left.hangs_up
    assert "Nous avons un message pour vous et nous rappellerons" in left.text


def test_no_answer_is_tried_once_more_after_30_minutes_then_coordinators_are_told(
    bot, twilio, clock
) -> None:
    _tell(bot, MARGARET, Reply("Reminder: delivery Friday: 2 loaves.", "en"))
    [first] = twilio.wait_calls(MARGARET, 1)
    assert wait_until(lambda: _rows(bot, MARGARET)[-1].external_id == first.sid)
    status = call_params(first.sid, BOT_NUMBER, MARGARET, status="no-answer")
    assert bot.post_signed("/voice/status", status).status_code == 204
    row = _rows(bot, MARGARET)[-1]
    assert row.status is OutboxStatus.PENDING
    assert row.next_attempt_at >= clock.now() + timedelta(minutes=30)
    clock.advance(timedelta(minutes=20))
    bot.bot.dispatcher.wake.set()
    assert len(twilio.wait_calls(MARGARET, 2, timeout=1.5)) == 1  # not before half an hour
    clock.advance(timedelta(minutes=11))
    bot.bot.dispatcher.wake.set()
    second = twilio.wait_calls(MARGARET, 2)[1]
    assert wait_until(lambda: _rows(bot, MARGARET)[-1].external_id == second.sid)
    status = call_params(second.sid, BOT_NUMBER, MARGARET, status="no-answer")
    assert bot.post_signed("/voice/status", status).status_code == 204
    assert wait_until(lambda: _rows(bot, MARGARET)[-1].status is OutboxStatus.FAILED)
    told = [m.body for m in twilio.wait_messages(COORD, 3) if "Margaret Hughes" in m.body]
    assert told and "n'a pas répondu à nos appels" in told[0]
    assert len(twilio.wait_calls(MARGARET, 3, timeout=1.0)) == 2
