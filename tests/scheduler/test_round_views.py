"""What a volunteer reads about their round: "ma tournée" for the right day, and counts and
names written the way people write them ("1 arrêt", "Tournée d'Emma", "6 baguettes")."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from handlers.texts.formats import of_name
from models.base import Role
from models.clock import FrozenClock
from models.db import Database
from models.people import Person
from scheduler.evening import evening
from tests.builders import Residence, residence, small_residence
from tests.handlers.test_conversation import Talk

D = date(2026, 11, 25)  # Wednesday
THURSDAY = date(2026, 11, 26)
GILLES, SOPHIE, COORD, BAKERY = "+33620000001", "+33620000002", "+33630000001", "+33640000001"


@pytest.fixture
def res(db: Database, config) -> Residence:
    r = small_residence(
        residence(db, config, FrozenClock(datetime(2026, 11, 24, 17, 30, tzinfo=UTC)))
    )
    for day in (D, THURSDAY):
        for i in range(6):
            r.order(f"+3361000000{i}", day, {"bread": 1})
    r.db.call(evening, r.ctx, "moulin", D)  # Tuesday 18:30: Wednesday's rounds go out
    return r


@pytest.fixture
def talk(res: Residence) -> Talk:
    return Talk(res)


def test_after_the_evening_send_ma_tournee_is_tomorrows(res: Residence, talk: Talk) -> None:
    res.clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))  # Wednesday 9:00: today's round
    assert talk.one(GILLES, "ma tournée").startswith("Tournée du mercredi 25 novembre, Gilles :")
    res.clock.set(datetime(2026, 11, 25, 17, 30, tzinfo=UTC))
    res.db.call(evening, res.ctx, "moulin", THURSDAY)  # Wednesday 18:30: Thursday's go out
    res.clock.set(datetime(2026, 11, 25, 18, 0, tzinfo=UTC))
    thursday = "Tournée du jeudi 26 novembre, Gilles :"
    assert talk.one(GILLES, "ma tournée").startswith(thursday)
    assert talk.one(GILLES, "ma tournée de demain").startswith(thursday)
    assert talk.one(GILLES, "Ma tournée demain svp").startswith(thursday)
    assert talk.one(GILLES, "ma tournée de jeudi").startswith(thursday)
    assert talk.one(GILLES, "ma tournée d'aujourd'hui").startswith(
        "Tournée du mercredi 25 novembre, Gilles :"
    )
    assert talk.one(GILLES, "ma tournée de lundi") == (
        "Votre tournée du lundi 30 novembre vous sera envoyée vers 18 h 30."
    )
    assert talk.one(GILLES, "ma tournée de dimanche") == "Pas de livraison le dimanche 29 novembre."
    with res.db.transaction() as s:
        s.execute(sa.update(Person).where(Person.phone == SOPHIE).values(language="en"))
    assert talk.one(SOPHIE, "my round for tomorrow").startswith(
        "Round of Thursday 26 November, Sophie:"
    )
    assert talk.one(SOPHIE, "tomorrow's round").startswith("Round of Thursday 26 November, Sophie:")


def test_a_stop_number_that_is_not_on_the_round_lists_the_numbers(
    res: Residence, talk: Talk
) -> None:
    res.clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    reply = talk.one(GILLES, "fait 9")
    assert reply == "Il n'y a pas d'arrêt 9 dans votre tournée (arrêts 1, 2 et 3)."


def test_counts_articles_and_elision(res: Residence, talk: Talk) -> None:
    assert (of_name("Emma", "fr"), of_name("Hélène", "fr"), of_name("Gilles", "fr")) == (
        "d'Emma",
        "d'Hélène",
        "de Gilles",
    )
    res.add("+33620000003", "Emma Durand", {Role.VOLUNTEER})
    with res.db.transaction() as s:  # Gilles and Sophie are away on Thursday: Emma alone
        s.execute(
            sa.update(Person)
            .where(Person.phone.in_((GILLES, SOPHIE)))
            .values(opted_out_at=res.clock.now())
        )
    res.clock.set(datetime(2026, 11, 25, 10, 0, tzinfo=UTC))
    lines = talk.one(COORD, "/demain").splitlines()
    assert "Tournée d'Emma Durand : 6 arrêts (6 baguettes)." in lines, lines
    assert talk.one(BAKERY, "/demain") == (
        "Le jeudi 26 novembre (Résidence du Moulin), à cette heure : 6 baguettes. "
        "Le total définitif arrive vers 18 h 30."
    )
    res.clock.set(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    res.db.call(evening, res.ctx, "moulin", THURSDAY)
    for n in range(2, 7):
        talk.one("+33620000003", f"fait {n}")
    assert talk.one("+33620000003", "fait") == (
        "Merci Emma ! 1 arrêt noté livré : toute la tournée est enregistrée."
    )


def test_ma_tournee_on_telegram_keeps_a_button_pair_per_stop(res: Residence) -> None:
    from handlers import inbound
    from handlers.types import Inbound

    res.clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    msg = Inbound(
        channel="telegram",
        external_id="tg-round-1",
        address=GILLES,
        phone=GILLES,
        text="ma tournée",
        received_at=res.clock.now(),
    )
    [reply] = res.db.call(inbound.handle, res.ctx, msg).replies
    assert reply.text.startswith("Tournée du mercredi 25 novembre, Gilles :")
    labels = [c.label for c in reply.menu]
    assert labels[:2] == ["✓ 1 livré", "✗ 1 pas là"] and len(labels) == 6, labels
