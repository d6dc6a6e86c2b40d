"""A courtesy visit whose volunteer drops out, over SMS end to end: the real app under uvicorn,
the real twilio client against the fake Twilio server. What matters is the text the tenant's
phone receives: the name of whoever really comes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from models.base import Role
from models.clock import FrozenClock
from models.db import Database
from scheduler.evening import evening
from tests.builders import residence
from tests.harness import RunningBot, settings_for

D = date(2026, 11, 25)
ODETTE, GILLES, SOPHIE, COORD = "+33610000009", "+33620000001", "+33620000002", "+33630000001"


@pytest.fixture
def bot(db_url, fake_twilio, config):
    clock = FrozenClock(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))  # Tuesday 18:30 in Paris
    db = Database(db_url)
    res = residence(db, config, clock)
    res.add(ODETTE, "Mme Odette Lambert", {Role.TENANT}, tenant={"isolated": True})
    res.add(GILLES, "Gilles Morel", {Role.VOLUNTEER})
    res.add(SOPHIE, "Sophie Bacquet", {Role.VOLUNTEER})
    res.add(COORD, "Claire", {Role.COORDINATOR})
    db.dispose()
    with RunningBot(settings_for(db_url, twilio=fake_twilio), clock) as running:
        yield running


def test_the_tenant_receives_the_new_volunteers_name(bot, fake_twilio) -> None:
    assert bot.rt.db.call(evening, bot.bot.service.ctx, "moulin", D).visits == 1
    bot.bot.dispatcher.wake.set()
    [reminder] = fake_twilio.wait_messages(ODETTE, 1)
    assert reminder.body.startswith("Demain vers 14 h, Gilles passera vous dire bonjour.")
    bot.clock.set(datetime(2026, 11, 24, 18, 0, tzinfo=UTC))  # 19:00, before the quiet hours
    [answer] = bot.say(GILLES, "je ne peux pas demain")
    assert answer == (
        "C'est noté, merci de nous avoir prévenus. "
        "D'autres bénévoles reprennent votre visite du mercredi 25 novembre."
    )
    bot.bot.dispatcher.wake.set()
    _, change = fake_twilio.wait_messages(ODETTE, 2)
    assert change.body == (
        "Changement pour votre visite mercredi 25 novembre : c'est Sophie qui passera vers "
        "14 h, à la place de Gilles. Répondez NON si ce n'est pas le bon moment."
    )
    assert change.segments <= 2
    [sophie] = fake_twilio.wait_messages(SOPHIE, 1)
    assert sophie.body.startswith(
        "Changement : voici votre tournée mise à jour.\n"
        "Nouvelle visite : Mme Odette Lambert vers 14 h.\n"
    )
    [summary] = fake_twilio.wait_messages(COORD, 1)
    assert summary.body == (
        "Gilles Morel ne peut pas faire sa tournée du mercredi 25 novembre : "
        "1 visite confiée à Sophie."
    )
