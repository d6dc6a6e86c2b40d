"""The core of a phone call, in process and on every back-end: what the bot says next, what is
booked, and the evening's reminders read in one call whose answer reaches the same handlers."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from handlers.notify import tell
from handlers.texts.speech import for_the_ear
from handlers.types import Reply
from handlers.voice_inbound import handle_call_safely
from handlers.voice_types import CallEvent, VoiceTurn
from models import (
    ConversationState,
    InboundMessage,
    Order,
    OrderStatus,
    Person,
    Visit,
    VisitStatus,
)
from models.base import Channel, Role
from models.clock import FrozenClock
from models.db import Database
from models.people import PersonData, upsert
from models.privacy import purge_texts
from scheduler.evening import evening
from scheduler.outbox_rows import claim
from scheduler.retention import purge
from tests.builders import Residence, residence

LANDLINE = "+33321000001"
MOBILE = "+33611111111"
GILLES = "+33620000001"
COORD = "+33630000001"
D = date(2026, 11, 25)  # Wednesday; the clock stands on Tuesday 24 at 18:30 in Paris


@pytest.fixture
def res(db: Database, config) -> Residence:
    clock = FrozenClock(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))
    site = config.sites[0].model_copy(update={"remind_tenants": True})
    r = residence(db, config.model_copy(update={"sites": (site,)}), clock, frozenset({"voice"}))
    r.add(
        LANDLINE,
        "Mme Odette Lambert",
        {Role.TENANT},
        tenant={"isolated": True, "building": "B", "floor": 1, "apartment": "12"},
    )
    r.add(GILLES, "Gilles Morel", {Role.VOLUNTEER})
    r.add(COORD, "Claire", {Role.COORDINATOR})
    return r


class Call:
    def __init__(self, res: Residence, phone: str = LANDLINE) -> None:
        self.res, self.phone = res, phone
        self.sid = "CA" + uuid.uuid4().hex
        self.turn: VoiceTurn | None = None

    def event(self, step: str, **fields: object) -> VoiceTurn:
        n = self.turn.next_step if self.turn is not None and step == "gather" else 0
        ev = CallEvent(self.sid, self.phone, step, n=n, **fields)  # type: ignore[arg-type]
        self.turn = handle_call_safely(self.res.db.call, self.res.ctx, ev)
        return self.turn

    def says(self, words: str) -> VoiceTurn:
        return self.event("gather", speech=words, confidence=0.9)


def _orders(res: Residence) -> list[tuple[date, dict[str, int]]]:
    with res.db.transaction() as s:
        return [
            (o.delivery_date, o.items)
            for o in s.scalars(sa.select(Order).where(Order.status != OrderStatus.CANCELLED))
        ]


def test_a_landline_is_called_and_a_mobile_is_texted(res: Residence) -> None:
    assert res.person(LANDLINE).preferred_channel is Channel.VOICE
    assert res.person(GILLES).preferred_channel is None
    with res.db.transaction() as s:  # a coordinator's choice stands when the file comes again
        s.scalar(sa.select(Person).where(Person.phone == LANDLINE)).preferred_channel = Channel.SMS
        upsert(s, PersonData("Mme Odette Lambert", LANDLINE, res.site_id), res.clock)
    assert res.person(LANDLINE).preferred_channel is Channel.SMS


def test_the_evening_calls_once_with_every_reminder_and_non_declines_the_visit(
    res: Residence,
) -> None:
    res.order(LANDLINE, D, {"bread": 2})
    report = res.db.call(evening, res.ctx, "moulin", D)
    assert report.visits == 1
    mine = [r for r in res.outbox() if r.person_id == res.person(LANDLINE).id]
    assert [r.kind for r in mine] == ["visit", "reminder"]
    assert {r.channel for r in mine} == {"voice"}
    # even when a batch holds one row, the call carries both (the evening queues all the visit
    # reminders, then all the delivery reminders: a person's two rows can lie far apart)
    claimed = res.db.call(claim, res.ctx, ["voice"], limit=1, grouped=["voice"])
    assert sorted(c.id for c in claimed if c.address == LANDLINE) == [r.id for r in mine]

    call = Call(res)
    answered = call.event("outbound", rows=tuple(r.id for r in mine))
    assert answered.say == (
        "Bonjour Madame Odette Lambert, ici le service de pain et d'eau de la résidence.",
        "Demain vers quatorze heures, Gilles passera vous dire bonjour. "
        "Dites NON si ce n'est pas le bon moment.",
        "Rappel : livraison mercredi vingt-cinq novembre : deux baguettes. "
        "Pour annuler, dites annuler.",
        "Pour répondre, parlez après ce message, ou appuyez sur une touche.",
    )
    assert answered.listen == "speech"
    declined = call.says("non")
    assert "autre moment" in declined.say[0]
    with res.db.transaction() as s:
        assert s.scalars(sa.select(Visit.status)).all() == [VisitStatus.DECLINED]
    assert _orders(res) == [(D, {"bread": 2})]  # the "non" touched the visit only


def test_a_reminder_call_listens_and_annuler_is_read_back_then_done(res: Residence) -> None:
    thursday = date(2026, 11, 26)
    res.order(LANDLINE, thursday, {"bread": 2})
    reminder = Reply(
        'Rappel : livraison jeudi 26 novembre : 2 baguettes. Pour annuler, écrivez "annuler".', "fr"
    )
    with res.db.transaction() as s:
        person = s.scalar(sa.select(Person).where(Person.phone == LANDLINE))
        tell(s, res.ctx, person, "remind", reminder, kind="reminder")
    [row] = res.db.call(claim, res.ctx, ["voice"], grouped=["voice"])
    call = Call(res)
    answered = call.event("outbound", rows=(row.id,))
    assert answered.say[1] == (
        "Rappel : livraison jeudi vingt-six novembre : deux baguettes. Pour annuler, dites annuler."
    )
    asked = call.says("annuler")  # the conversation asks which delivery itself: no read-back
    assert asked.say[0] == "Annuler votre livraison de jeudi vingt-six novembre (deux baguettes) ?"
    assert _orders(res) == [(thursday, {"bread": 2})]
    call.says("oui")
    assert _orders(res) == []
    assert call.event("gather").say == ("Merci. Au revoir.",)


def test_an_order_waits_for_oui_and_a_replayed_webhook_acts_once(res: Residence) -> None:
    call = Call(res)
    assert call.event("start").say == ("Bonjour Madame Odette Lambert. Que voulez-vous recevoir ?",)
    heard = call.says("une baguette pour jeudi")
    assert heard.say[0] == "Une baguette, jeudi vingt-six novembre."
    assert _orders(res) == []
    yes = CallEvent(call.sid, LANDLINE, "gather", n=heard.next_step, digits="1")
    first = handle_call_safely(res.db.call, res.ctx, yes)
    again = handle_call_safely(res.db.call, res.ctx, yes)
    assert first == again and first.say[0].startswith("C'est noté : une baguette")
    assert _orders(res) == [(date(2026, 11, 26), {"bread": 1})]


def test_an_open_question_is_asked_again_when_unsure_and_a_new_request_is_read_back(
    res: Residence,
) -> None:
    friday = date(2026, 11, 27)
    res.order(LANDLINE, friday, {"bread": 2})
    call = Call(res)
    call.event("start")
    asked = call.says("des baguettes pour jeudi")  # the conversation asks: how many?
    assert asked.say[0] == "Combien de baguettes voulez-vous ?"
    unsure = call.event("gather", speech="annuler vendredi", confidence=0.2)
    assert unsure.say == asked.say  # the same question once more, nothing done
    assert _orders(res) == [(friday, {"bread": 2})]
    read_back = call.says("annuler vendredi")
    assert read_back.say[0] == "Annuler la livraison du vendredi vingt-sept novembre."
    assert _orders(res) == [(friday, {"bread": 2})]
    call.says("oui")
    assert _orders(res) == []


def test_a_change_to_what_is_booked_is_read_back_in_the_words_heard(res: Residence) -> None:
    thursday = date(2026, 11, 26)
    res.order(LANDLINE, thursday, {"bread": 2, "water": 1})
    call = Call(res)
    call.event("start")
    assert call.says("pas d'eau jeudi").say[0] == "J'ai compris : pas d'eau jeudi."
    assert _orders(res) == [(thursday, {"bread": 2, "water": 1})]
    call.says("oui")
    assert _orders(res) == [(thursday, {"bread": 2})]


def test_a_pause_is_read_back_and_booked_after_oui(res: Residence) -> None:
    res.order(LANDLINE, date(2026, 11, 26), {"bread": 1})
    call = Call(res)
    call.event("start")
    asked = call.says("je pars chez ma fille, pas de livraison jusqu'au 30 novembre")
    assert asked.say[0] == "Plus de livraison jusqu'au lundi trente novembre inclus."
    call.event("gather", digits="1")
    assert _orders(res) == []  # the pause cancelled Thursday's bread


def test_calls_wait_for_the_end_of_quiet_hours(res: Residence) -> None:
    res.clock.set(datetime(2026, 11, 24, 21, 30, tzinfo=UTC))  # 22:30 in Paris
    with res.db.transaction() as s:
        person = s.scalar(sa.select(Person).where(Person.phone == LANDLINE))
        tell(s, res.ctx, person, "late", Reply("Rappel.", "fr"), kind="reminder")
    assert res.db.call(claim, res.ctx, ["voice"], grouped=["voice"]) == []
    [row] = res.outbox("reminder")
    assert row.channel == "voice"
    assert row.next_attempt_at == datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # 8:00 in Paris


def test_stop_by_voice_is_read_back_then_honoured_and_the_call_ends(res: Residence) -> None:
    call = Call(res)
    call.event("start")
    assert call.says("STOP").say[0] == "Ne plus rien recevoir du service."
    end = call.says("oui")
    assert end.listen is None and end.say[-1] == "Merci. Au revoir."
    assert res.person(LANDLINE).opted_out_at is not None
    again = Call(res)  # calling back later: told how to come back, and heard saying it
    again.event("start")
    still = again.says("deux baguettes pour jeudi")
    still = again.says("oui")
    assert "Pour revenir, dites START" in still.say[0] and still.listen == "speech"
    assert "Bon retour" in again.says("START").say[0]
    assert res.person(LANDLINE).opted_out_at is None


def test_oublier_by_voice_erases_the_call_too(res: Residence) -> None:
    call = Call(res)
    call.event("start")
    call.says("une baguette pour jeudi")
    call.says("oui")
    asked = call.says("oublier")
    assert asked.listen == "speech"
    end = call.says("oui")
    assert end.listen is None
    with res.db.transaction() as s:
        rows = s.scalars(sa.select(InboundMessage).where(InboundMessage.channel == "voice")).all()
        assert rows and {r.address for r in rows} == {"erased"}
        assert {r.text for r in rows} == {None}
        assert s.scalar(sa.select(sa.func.count()).select_from(ConversationState)) == 0


def test_a_calls_rows_are_emptied_after_the_retention_period(res: Residence) -> None:
    call = Call(res)
    call.event("start")  # the turn kept with this webhook says the caller's name
    call.says("mes commandes")
    with res.db.transaction() as s:
        purge_texts(s, res.clock.now() + timedelta(days=91), 90)
        rows = s.scalars(sa.select(InboundMessage).where(InboundMessage.channel == "voice")).all()
        assert len(rows) == 3  # start, what was said (as a text), the turn that answered it
        assert all(r.text is None and not r.reply for r in rows)


def test_the_daily_purge_forgets_calls_that_ended(res: Residence) -> None:
    call = Call(res)
    call.event("start")
    call.says("qu'est-ce que j'ai demandé")  # the caller hangs up: no webhook comes again
    res.clock.advance(timedelta(hours=3))
    line = res.db.call(purge, res.ctx, "moulin", date(2026, 11, 24))
    assert "1 ended call(s) forgotten" in line
    with res.db.transaction() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(ConversationState)) == 0


def test_an_unknown_callers_recording_goes_to_the_coordinators_only(res: Residence) -> None:
    stranger = Call(res, "+33321999999")
    hello = stranger.event("start")
    assert hello.record and hello.record_seconds == 60
    stranger.event("recorded", recording_url="https://api.twilio.com/rec/RE1", recording_seconds=9)
    assert any("RE1" in text for text in res.outbox_to(COORD))
    with res.db.transaction() as s:
        assert s.scalar(sa.select(Person).where(Person.phone == "+33321999999")) is None


@pytest.mark.parametrize(
    ("lang", "written", "spoken"),
    [
        (
            "fr",
            'Demain vers 15 h 30 : 1 baguette et 2 packs d\'eau, bât. C, 1er étage. Écrivez "OUI".',
            "Demain vers quinze heures trente : une baguette et deux packs d'eau, "
            "bâtiment C, premier étage. Dites OUI.",
        ),
        ("fr", "jeudi 1er décembre, 21 h", "Jeudi premier décembre, vingt et une heures"),
        ("fr", "Pas de packs d'eau prévu(s) jeudi.", "Pas de packs d'eau prévu jeudi."),
        (
            "en",
            "Tomorrow around 3:30 pm: 2 loaves. Reply NO.",
            "Tomorrow around three thirty p m: two loaves. Say NO.",
        ),
    ],
)
def test_texts_are_said_for_the_ear(lang: str, written: str, spoken: str) -> None:
    assert for_the_ear(written, lang) == spoken
