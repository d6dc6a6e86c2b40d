"""Tenants' conversations through the core, as an SMS user reads them (choices numbered).

The clock stands on Tuesday 24 November 2026 at 10:00 in Paris unless a test moves it; the
site delivers Monday to Saturday, orders close at 17:00 the day before.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.channels.render import plain
from handlers import inbound
from handlers.people_admin import approve_person
from handlers.types import Inbound
from models import (
    InboundMessage,
    Order,
    OrderStatus,
    Pause,
    Person,
    PersonStatus,
    StandingOrder,
    Visit,
)
from models.base import Role
from models.clock import FrozenClock
from models.db import Database
from tests.builders import Residence, residence

JEANNE = "+33611111111"
PETER = "+33622222222"
COORD = "+33633333333"
_ids = itertools.count(1)


class Talk:
    def __init__(self, res: Residence) -> None:
        self.res = res

    def __call__(self, phone: str, text: str, channel: str = "sms", **kw: object) -> list[str]:
        msg = Inbound(
            channel=channel,
            external_id=f"SM{next(_ids):032x}",
            address=phone,
            phone=phone,
            text=text,
            received_at=self.res.clock.now(),
            **kw,  # type: ignore[arg-type]
        )
        outcome = self.res.db.call(inbound.handle, self.res.ctx, msg)
        self.res.clock.advance(timedelta(seconds=20))  # people take time to answer
        return [plain(r) for r in outcome.replies]

    def one(self, phone: str, text: str, **kw: object) -> str:
        replies = self(phone, text, **kw)
        assert len(replies) == 1, replies
        return replies[0]


@pytest.fixture
def res(db: Database, config) -> Residence:
    clock = FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))  # Tue 10:00 Paris
    r = residence(db, config, clock)
    r.add(
        JEANNE,
        "Mme Jeanne Pouli",
        {Role.TENANT},
        tenant={"building": "C", "floor": 3, "apartment": "12"},
    )
    r.add(PETER, "Peter Collins", {Role.TENANT}, lang="en")
    r.add(COORD, "Claire", {Role.COORDINATOR})
    return r


@pytest.fixture
def talk(res: Residence) -> Talk:
    return Talk(res)


def orders(res: Residence, phone: str) -> dict[date, dict[str, int]]:
    with res.db.transaction() as s:
        person = s.scalar(sa.select(Person).where(Person.phone == phone))
        rows = s.scalars(
            sa.select(Order).where(
                Order.person_id == person.id, Order.status == OrderStatus.PENDING
            )
        ).all()
        return {o.delivery_date: o.items for o in rows}


def test_order_with_a_date_is_confirmed_in_words(res, talk) -> None:
    reply = talk.one(JEANNE, "Bonjour c'est Mme Pouli du 3e, 2 baguettes pour demain svp merci")
    assert reply.startswith("C'est noté : 2 baguettes, mercredi 25 novembre.")
    assert "annuler mercredi" in reply
    assert orders(res, JEANNE) == {date(2026, 11, 25): {"bread": 2}}


def test_order_without_a_date_proposes_the_next_delivery_day(res, talk) -> None:
    ask = talk.one(JEANNE, "un pack d'eau et deux pains svp")
    assert (
        ask == "2 baguettes et 1 pack d'eau pour mercredi 25 novembre, c'est bien ça ? "
        "Répondez OUI ou NON."
    )
    assert orders(res, JEANNE) == {}
    assert "mercredi 25 novembre" in talk.one(JEANNE, "oui")
    assert orders(res, JEANNE) == {date(2026, 11, 25): {"bread": 2, "water": 1}}


def test_no_to_the_proposed_day_asks_which_day(res, talk) -> None:
    talk(JEANNE, "3 baguettes")
    assert talk.one(JEANNE, "non") == "Pour quel jour ?"
    assert "jeudi 26 novembre" in talk.one(JEANNE, "jeudi")
    assert orders(res, JEANNE) == {date(2026, 11, 26): {"bread": 3}}


def test_after_the_cutoff_tomorrow_is_refused_and_the_next_day_offered(res, talk) -> None:
    res.clock.set(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))  # 18:30 in Paris
    reply = talk.one(JEANNE, "2 baguettes pour demain")
    assert "Trop tard pour mercredi 25 novembre" in reply and "17 h la veille" in reply
    assert "jeudi 26 novembre" in reply
    assert orders(res, JEANNE) == {}
    talk(JEANNE, "oui")
    assert orders(res, JEANNE) == {date(2026, 11, 26): {"bread": 2}}


def test_a_new_order_while_a_day_is_offered_is_a_new_order(res, talk) -> None:
    """Asked "Friday instead?", the tenant writes another order: that order is taken as said,
    not read as the day of the first one."""
    res.clock.set(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))  # 18:30 in Paris
    assert "Wednesday 25 November" in talk.one(PETER, "2 loaves tomorrow please")
    reply = talk.one(PETER, "some water on Saturday")
    assert "Noted: 1 pack of water, Saturday 28 November" in reply, reply
    assert reply.startswith("I have set your previous request aside."), reply
    assert orders(res, PETER) == {date(2026, 11, 28): {"water": 1}}
    talk(PETER, "2 baguettes pour demain")
    assert talk.one(PETER, "no, Friday").startswith("Noted: 2 loaves, Friday 27 November")


def test_sunday_is_not_a_delivery_day(res, talk) -> None:
    reply = talk.one(JEANNE, "2 baguettes dimanche")
    assert "Nous ne livrons pas le dimanche" in reply and "lundi 30 novembre" in reply


def test_over_the_limit_asks_how_many(res, talk) -> None:
    ask = talk.one(JEANNE, "10 baguettes pour demain")
    assert "maximum" in ask and "6 baguettes" in ask
    assert orders(res, JEANNE) == {}
    talk(JEANNE, "4")
    assert orders(res, JEANNE) == {date(2026, 11, 25): {"bread": 4}}


def test_no_quantity_asks_one_question(res, talk) -> None:
    ask = talk.one(JEANNE, "je voudrais des baguettes pour demain")
    assert ask.count("?") == 1
    talk(JEANNE, "deux")
    assert orders(res, JEANNE) == {date(2026, 11, 25): {"bread": 2}}


def test_second_order_for_a_day_asks_add_or_replace(res, talk) -> None:
    talk(JEANNE, "2 baguettes demain")
    ask = talk.one(JEANNE, "une baguette demain")
    assert ask.endswith("Répondez 1 pour ajouter, 2 pour remplacer.")
    assert "3 baguettes" in talk.one(JEANNE, "1")
    assert orders(res, JEANNE) == {date(2026, 11, 25): {"bread": 3}}
    talk(JEANNE, "2 baguettes demain")
    talk(JEANNE, "remplacer")
    assert orders(res, JEANNE) == {date(2026, 11, 25): {"bread": 2}}


def test_another_item_for_a_booked_day_is_added_without_asking(res, talk) -> None:
    talk(JEANNE, "2 baguettes demain")
    reply = talk.one(JEANNE, "un pack d'eau demain")
    assert "2 baguettes et 1 pack d'eau" in reply and "remplacer" not in reply
    assert orders(res, JEANNE) == {date(2026, 11, 25): {"bread": 2, "water": 1}}


def test_standing_order_then_pause_then_cancel_a_weekday(res, talk) -> None:
    reply = talk.one(JEANNE, "une baguette tous les mardis et vendredis")
    assert "1 baguette chaque mardi et vendredi" in reply and "vendredi 27 novembre" in reply
    reply = talk.one(JEANNE, "je pars chez ma fille du 1er au 8 décembre")
    assert (
        "du mardi 1er décembre au mardi 8 décembre" in reply
        and "Reprise mercredi 9 décembre" in reply
    )
    reply = talk.one(JEANNE, "je ne veux plus de pain le vendredi")
    assert "plus de livraison régulière le vendredi" in reply
    with res.db.transaction() as s:
        assert s.scalars(sa.select(StandingOrder.weekday)).all() == ["tue"]
        pause = s.scalars(sa.select(Pause)).one()
        assert (pause.start_on, pause.end_on) == (date(2026, 12, 1), date(2026, 12, 8))
    listing = talk.one(JEANNE, "qu'est-ce que j'ai commandé ?")
    assert "Chaque mardi : 1 baguette." in listing and "Pause du mardi 1er décembre" in listing


def test_order_inside_a_pause_is_asked_about(res, talk) -> None:
    talk(JEANNE, "pas de livraison jusqu'au 10 décembre, je suis à l'hôpital")
    ask = talk.one(JEANNE, "2 baguettes le 3 décembre")
    assert "pause" in ask and "OUI ou NON" in ask
    talk(JEANNE, "oui")
    assert orders(res, JEANNE) == {date(2026, 12, 3): {"bread": 2}}


def test_cancel_a_date_and_the_next_delivery(res, talk) -> None:
    talk(JEANNE, "2 baguettes demain")
    assert (
        talk.one(JEANNE, "annule ma commande de demain")
        == "C'est annulé : pas de livraison mercredi 25 novembre."
    )
    assert orders(res, JEANNE) == {}
    talk(JEANNE, "1 baguette jeudi")
    ask = talk.one(JEANNE, "annuler ma commande")
    assert "jeudi 26 novembre" in ask and "OUI ou NON" in ask
    talk(JEANNE, "oui")
    assert orders(res, JEANNE) == {}


def test_cancelling_a_standing_day_keeps_the_rest(res, talk) -> None:
    talk(JEANNE, "du pain tous les jours")
    assert "pas de livraison jeudi 26 novembre" in talk.one(JEANNE, "pas de pain jeudi finalement")
    with res.db.transaction() as s:
        cancelled = s.scalars(
            sa.select(Order.delivery_date).where(Order.status == OrderStatus.CANCELLED)
        ).all()
        assert cancelled == [date(2026, 11, 26)]
        assert len(s.scalars(sa.select(StandingOrder)).all()) == 6  # no delivery on Sundays


def test_visit_request_reaches_the_coordinator(res, talk) -> None:
    assert "un bénévole vous contactera" in talk.one(JEANNE, "quelqu'un pourrait passer me voir ?")
    assert any("demande une visite" in t and "Pouli" in t for t in res.outbox_to(COORD))
    with res.db.transaction() as s:
        assert s.scalars(sa.select(Visit)).one().requested


def test_other_is_forwarded_with_name_and_building(res, talk) -> None:
    assert "transmis votre message" in talk.one(JEANNE, "mon radiateur fuit depuis hier")
    forwarded = res.outbox_to(COORD)
    assert forwarded and "Mme Jeanne Pouli (bât. C, 3e étage, apt 12)" in forwarded[0]
    assert "radiateur" in forwarded[0]


def test_smalltalk_and_help_store_nothing(res, talk) -> None:
    assert "Merci" in talk.one(JEANNE, "merci beaucoup c'est très gentil")
    assert "2 baguettes pour demain" in talk.one(JEANNE, "aide")
    assert orders(res, JEANNE) == {} and res.outbox() == []


def test_mentioning_bread_without_asking_is_not_an_order(res, talk) -> None:
    talk(JEANNE, "j'ai bien reçu le pain, il était très bon")
    talk(JEANNE, "je n'ai pas reçu mon pain ce matin")
    assert orders(res, JEANNE) == {}
    assert any("pas reçu mon pain" in t for t in res.outbox_to(COORD))


def test_stop_silences_everything_then_start_resumes(res, talk) -> None:
    talk(JEANNE, "du pain tous les mardis")
    reply = talk.one(JEANNE, "STOP")
    assert "START" in reply and "plus aucun message" in reply
    assert any("STOP" in t for t in res.outbox_to(COORD))
    assert talk(JEANNE, "2 baguettes demain") == []  # SMS: Twilio would refuse our reply
    assert orders(res, JEANNE) == {}
    assert "Vous avez demandé" in talk.one(JEANNE, "2 baguettes demain", channel="console")
    assert "Bon retour" in talk.one(JEANNE, "START")
    assert "mercredi 25 novembre" in talk.one(JEANNE, "2 baguettes demain")


def test_stop_in_capitals_closing_a_message_is_an_opt_out_and_a_lower_case_stop_is_not(
    res, talk
) -> None:
    talk(JEANNE, "un pack d'eau pour demain")
    assert "START" in talk.one(JEANNE, "non laissez tomber, je veux plus rien recevoir. ARRET")
    assert res.person(JEANNE).opted_out_at is not None
    talk(PETER, "2 loaves tomorrow please")
    talk(PETER, "I waited at the bus stop. Stop")  # a word of the story, not STOP in capitals
    assert res.person(PETER).opted_out_at is None


def test_bare_cancel_is_an_opt_out_and_says_how_to_cancel_an_order(res, talk) -> None:
    reply = talk.one(JEANNE, "CANCEL")
    assert "START" in reply and "annuler ma commande" in reply
    assert res.person(JEANNE).opted_out_at is not None


def test_english_tenant_gets_english(res, talk) -> None:
    reply = talk.one(PETER, "2 loaves tomorrow please")
    assert reply.startswith("Noted: 2 loaves, Wednesday 25 November.")
    ask = talk.one(PETER, "one more loaf tomorrow")
    assert ask.endswith("Reply 1 to add, 2 to replace.")
    talk(PETER, "add")
    assert orders(res, PETER) == {date(2026, 11, 25): {"bread": 3}}
    assert "no more messages" not in talk.one(PETER, "what did I order?")


def test_newcomer_registers_and_cannot_order_until_approved(res, talk) -> None:
    stranger = "+33644444444"
    assert "Quel est votre nom" in talk.one(stranger, "2 baguettes demain svp")
    assert "adresse" in talk.one(stranger, "Je m'appelle Odette Lambert")
    assert "transmise à l'équipe" in talk.one(stranger, "bât A, 4e étage, appartement 42")
    person = res.person(stranger)
    assert person.status is PersonStatus.PENDING and person.name == "Odette Lambert"
    with res.db.transaction() as s:
        p = s.get(Person, person.id)
        assert (p.tenant.building, p.tenant.floor, p.tenant.apartment) == ("A", 4, "42")
    assert any("Nouvelle inscription" in t and "Odette Lambert" in t for t in res.outbox_to(COORD))
    assert "attend la validation" in talk.one(stranger, "2 baguettes demain")
    assert orders(res, stranger) == {}
    with res.db.transaction() as s:
        approve_person(s, res.ctx, stranger, actor="test")
    assert any("validée" in t for t in res.outbox_to(stranger))
    assert "mercredi 25 novembre" in talk.one(stranger, "2 baguettes demain")


def test_english_newcomer_is_answered_in_english(res, talk) -> None:
    assert "What is your name" in talk.one(
        "+33655555555", "hello, can I have some bread tomorrow please"
    )


def test_a_draft_survives_a_restart(res, talk, db_url) -> None:
    talk(JEANNE, "3 baguettes")
    old = res.db
    old.dispose()  # the process dies; a new one opens the same database
    res.db = Database(db_url)
    try:
        talk(JEANNE, "oui")
        assert orders(res, JEANNE) == {date(2026, 11, 25): {"bread": 3}}
    finally:
        res.db.dispose()
        res.db = old


def test_a_draft_expires_after_a_few_hours(res, talk) -> None:
    talk(JEANNE, "3 baguettes")
    res.clock.advance(timedelta(hours=5))
    assert "oui" not in talk.one(JEANNE, "oui").lower()[:3]
    assert orders(res, JEANNE) == {}


def test_replayed_message_is_answered_the_same_and_acted_on_once(res) -> None:
    msg = Inbound(
        channel="sms",
        external_id="SM" + "a" * 32,
        address=JEANNE,
        phone=JEANNE,
        text="2 baguettes demain",
        received_at=res.clock.now(),
    )
    first = inbound.handle_or_replay(res.db.call, res.ctx, msg)
    second = inbound.handle_or_replay(res.db.call, res.ctx, msg)
    assert second.duplicate and [r.text for r in second.replies] == [r.text for r in first.replies]
    talk = Talk(res)
    assert orders(res, JEANNE) == {date(2026, 11, 25): {"bread": 2}}
    assert talk.one(JEANNE, "mes commandes").startswith(
        "Prochaine livraison : mercredi 25 novembre, 2 baguettes."
    )


def test_an_auto_responder_loop_is_cut(res) -> None:
    answered = 0
    for i in range(12):
        msg = Inbound(
            channel="sms",
            external_id=f"SMloop{i:028d}",
            address=JEANNE,
            phone=JEANNE,
            text=f"Répondeur : ce numéro ne lit pas les SMS, merci (réf. {i})",
            received_at=res.clock.now() + timedelta(seconds=2 * i),
        )
        answered += bool(res.db.call(inbound.handle, res.ctx, msg).replies)
    assert answered == 8  # then silence; coordinators told once about the flood, not per message
    alerts = res.outbox_to(COORD)
    assert sum("Trop de messages" in t for t in alerts) == 1
    # past the limit, nothing is forwarded one by one (the first eight are handled normally)
    assert not any(f"(réf. {i})" in t for t in alerts for i in range(8, 12))


def test_a_flood_still_records_orders(res) -> None:
    for i, day in enumerate([1, 2, 3, 4, 5, 7, 8, 9, 10, 11]):  # no Sunday: no question
        msg = Inbound(
            channel="sms",
            external_id=f"SMflood{i:027d}",
            address=JEANNE,
            phone=JEANNE,
            text=f"{1 + i % 3} baguettes pour le {day} décembre",
            received_at=res.clock.now() + timedelta(seconds=i),
        )
        res.db.call(inbound.handle, res.ctx, msg)
    assert len(orders(res, JEANNE)) == 10


def test_telegram_has_no_loop_guard(res) -> None:
    res.add("+33677777777", "Tg User", {Role.TENANT}, telegram_id=5555)
    answered = 0
    for i in range(12):
        msg = Inbound(
            channel="telegram",
            external_id=f"{9000 + i}",
            address="5555",
            telegram_id=5555,
            text=f"{1 + i % 3} baguettes pour le {1 + i} décembre",
            received_at=res.clock.now() + timedelta(seconds=i),
        )
        answered += bool(res.db.call(inbound.handle, res.ctx, msg).replies)
    assert answered == 12


def test_identical_text_seconds_apart_is_acted_on_once(res) -> None:
    texts = []
    for i in range(2):
        msg = Inbound(
            channel="sms",
            external_id=f"SMdup{i:029d}",
            address=JEANNE,
            phone=JEANNE,
            text="2 baguettes pour demain",
            received_at=res.clock.now() + timedelta(seconds=3 * i),
        )
        texts.append(res.db.call(inbound.handle, res.ctx, msg).replies)
    assert texts[0] and texts[1] == []


@pytest.mark.parametrize(
    "text", ["", "   ", "🙂🙂🙂", "x" * 5000, "\x00\ufffd\ud7ff", "2 baguettes " * 400]
)
def test_odd_input_gets_a_clear_answer(res, talk, text: str) -> None:
    replies = talk(JEANNE, text)
    assert len(replies) == 1 and replies[0].strip()
    assert orders(res, JEANNE) == {}


def _sms(res: Residence, phone: str, text: str) -> Inbound:
    return Inbound(
        channel="sms",
        external_id=f"SM{next(_ids):032x}",
        address=phone,
        phone=phone,
        text=text,
        received_at=res.clock.now(),
    )


def test_two_messages_from_one_person_at_once_take_turns(res) -> None:
    """Two SMS sent in a row reach two workers at the same moment, one ending a pending
    question while the other updates it: they take turns on the person's row, and both are
    handled (before, about one pair in ten failed on PostgreSQL and was lost)."""
    import concurrent.futures
    import random
    import threading

    texts = ["deux", "euh je ne sais pas", "oui", "merci", "1", "annuler", "mes commandes"]
    texts += ["2 baguettes demain", "des baguettes pour jeudi", "un pack d'eau demain"]
    rng = random.Random(7)
    failed: list[tuple[list[str], BaseException]] = []
    for _ in range(60):
        gate = threading.Barrier(2)
        pair = [rng.choice(texts), rng.choice(texts)]

        def send(text: str, gate: threading.Barrier = gate) -> object:
            msg = _sms(res, JEANNE, text)
            gate.wait()
            return inbound.handle_or_replay(res.db.call, res.ctx, msg)

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(send, t) for t in pair]
        failed += [(pair, f.exception()) for f in futures if f.exception() is not None]
        res.clock.advance(timedelta(minutes=2))  # not a flood: a person writing
    assert failed == []
    with res.db.transaction() as s:
        rows = s.scalars(sa.select(InboundMessage)).all()
        assert len(rows) == 120 and all(r.handled_at is not None for r in rows)


def test_a_message_the_core_fails_on_is_kept_for_the_coordinators(res) -> None:
    msg = _sms(res, JEANNE, "2 baguettes demain et un mot pour Claire")
    kept = res.db.call(inbound.keep_unhandled, res.ctx, msg)
    assert [plain(r) for r in kept.replies] == [
        "Merci, j'ai transmis votre message à l'équipe. Quelqu'un vous répondra."
    ]
    [alert] = res.outbox_to(COORD)
    assert "Mme Jeanne Pouli" in alert and "2 baguettes demain et un mot pour Claire" in alert
    again = inbound.handle_safely(res.db.call, res.ctx, msg)  # the webhook sent again
    assert again.duplicate and [r.text for r in again.replies] == [r.text for r in kept.replies]
    assert orders(res, JEANNE) == {} and len(res.outbox_to(COORD)) == 1
    with res.db.transaction() as s:
        row = s.scalar(sa.select(InboundMessage))
        assert row.text == msg.text and row.handled_at is None and row.reply["failed"] is True


def test_the_list_shows_a_single_order_and_says_when_there_is_none(res, talk) -> None:
    assert talk.one(PETER, "my orders").startswith("You have no delivery planned.")
    talk(PETER, "2 loaves on Saturday")
    assert talk.one(PETER, "my orders") == "Next delivery: Saturday 28 November, 2 loaves."
    talk(PETER, "1 pack of water on Friday")
    assert talk.one(PETER, "my orders") == (
        "Next delivery: Friday 27 November, 1 pack of water. Saturday 28 November: 2 loaves."
    )


def test_a_changed_door_code_is_kept_for_the_volunteers_even_beside_a_fall(res, talk) -> None:
    text = "Je suis tombée hier. Le code de la porte a changé : 4521B. Et 2 baguettes jeudi"
    talk(JEANNE, text)
    with res.db.transaction() as s:
        person = s.scalar(sa.select(Person).where(Person.phone == JEANNE))
        assert "4521B" in person.tenant.notes
    assert orders(res, JEANNE) == {date(2026, 11, 26): {"bread": 2}}
    assert any(t.startswith("URGENT") for t in res.outbox_to(COORD))
