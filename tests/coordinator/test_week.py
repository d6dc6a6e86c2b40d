"""A week of the demo residence, run by its coordinator from Telegram and SMS against the real
bot (fake Telegram and Twilio): the evening jobs send the rounds, the volunteers answer FAIT or
PAS LA by SMS, and on Sunday /stats, the chart and the export say what the orders table says,
counted here row by row, independently of the aggregate queries."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bot.demo import DEMO, load_demo
from models.base import OrderStatus
from models.clock import FrozenClock
from models.db import Database
from models.orders import Order
from models.people import Person
from models.rounds import Round
from models.sync import sync_config
from scheduler.evening import evening
from tests.harness import RunningBot, settings_for, twiml_messages, wait_until

PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2026, 11, 23)
COORD_TG = 8301


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS).astimezone(UTC)


@pytest.fixture
def week(
    db_url: str,
    fake_telegram,
    fake_twilio,
    config,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.chdir(tmp_path)  # var/exports of the bot go to the test's folder
    clock = FrozenClock(local(MONDAY - timedelta(days=1), 18, 30))
    db = Database(db_url)
    with db.transaction() as s:
        ids = sync_config(s, config, clock)
        load_demo(s, config, ids, clock)
        coordinator = s.scalar(sa.select(Person).where(Person.phone == DEMO.coordinator))
        assert coordinator is not None
        coordinator.telegram_id = COORD_TG
    db.dispose()
    settings = settings_for(db_url, telegram=fake_telegram, twilio=fake_twilio)
    with RunningBot(settings, clock) as running:
        yield running, clock


def ask(fake, text: str, prefix: str) -> list:
    """Send a command as the coordinator; the messages up to the answer starting with `prefix`
    (alerts from the week may come in between: they are skipped)."""
    before = len(fake.messages_to(COORD_TG))
    fake.push_text(COORD_TG, text)
    found = wait_until(
        lambda: any(
            m.method == "sendMessage" and (m.text or "").startswith(prefix)
            for m in fake.messages_to(COORD_TG)[before:]
        )
    )
    assert found, [m.text for m in fake.messages_to(COORD_TG)[before:]]
    new = fake.messages_to(COORD_TG)[before:]
    end = next(
        i
        for i, m in enumerate(new)
        if m.method == "sendMessage" and (m.text or "").startswith(prefix)
    )
    # the file sent with the answer: just before it, unless an alert from the outbox slipped in
    files = [m for m in new[:end] if m.method in ("sendPhoto", "sendDocument")]
    return [*files[-1:], new[end]]


def _volunteers_with_rounds(bot: RunningBot, day: date) -> list[str]:
    with bot.rt.db.transaction() as s:
        return list(
            s.scalars(
                sa.select(Person.phone)
                .join(Round, Round.volunteer_id == Person.id)
                .where(
                    Round.delivery_date == day,
                    Round.dropped_at.is_(None),
                    Round.sent_at.is_not(None),
                )
                .order_by(Person.id)
            )
        )


def test_a_week_run_from_telegram_and_sms(week, fake_telegram) -> None:
    bot, clock = week
    ctx = bot.bot.service.ctx
    for n in range(6):  # Monday to Saturday
        day = MONDAY + timedelta(days=n)
        clock.set(local(day - timedelta(days=1), 18, 30))
        bot.rt.db.call(evening, ctx, "moulin", day)
        clock.set(local(day, 12, 0))
        for i, phone in enumerate(_volunteers_with_rounds(bot, day)):
            if i == 0 and n % 2 == 0:
                bot.say(phone, "PAS LA 1")  # nobody home at the first stop, every other day
            clock.advance(timedelta(minutes=2))
            [done] = bot.say(phone, "FAIT")
            assert "toute la tournée est enregistrée" in done or "round is recorded" in done, done
    clock.set(local(MONDAY + timedelta(days=6), 10, 0))  # Sunday morning

    # the orders table, counted row by row
    with bot.rt.db.transaction() as s:
        orders = [o for o in s.scalars(sa.select(Order)) if o.delivery_date >= MONDAY]
        delivered = [o for o in orders if o.status is OrderStatus.DELIVERED]
        failed = [o for o in orders if o.status is OrderStatus.FAILED]
        bread = sum(o.items.get("bread", 0) for o in delivered)
        water = sum(o.items.get("water", 0) for o in delivered)
        tenants = len({o.person_id for o in delivered})
        volunteers = {
            r.volunteer_id
            for r in s.scalars(sa.select(Round))
            if any(st.outcome is not None for st in r.stops)
        }
    assert delivered and failed and bread and water

    stats = ask(fake_telegram, "/stats semaine", "Résidence du Moulin, les 7 derniers jours")[-1]
    lines = stats.text.splitlines()
    assert lines[0] == (
        "Résidence du Moulin, les 7 derniers jours (du lundi 23 novembre au dimanche 29 novembre) :"
    )
    assert lines[1] == f"Livré : {bread} baguettes (+{bread}) et {water} packs d'eau (+{water})."
    assert lines[2] == (
        f"Livraisons faites : {len(delivered)} (+{len(delivered)}), "
        f"échouées : {len(failed)} (+{len(failed)}), annulées : 0 (=)."
    )
    assert lines[3] == (
        f"Locataires servis : {tenants} (+{tenants}). "
        f"Bénévoles actifs : {len(volunteers)} (+{len(volunteers)})."
    )
    assert "40 locataires engagés — objectif 1 400 (3 %)." in stats.text
    assert (
        f"ont livré {bread} baguettes et {water} packs d'eau à {tenants} locataires." in stats.text
    )

    photo, caption = ask(fake_telegram, "/stats graphique", "Livraisons par semaine, Résidence")
    assert photo.method == "sendPhoto" and photo.photo.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert not photo.text  # the photo first, then the message that says what it shows
    assert caption.method == "sendMessage" and "jusqu" not in caption.text

    document, message = ask(fake_telegram, "/export semaine", "Export : ")
    assert document.method == "sendDocument"
    raw = document.document.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline=""), delimiter=";"))
    assert len(rows) - 1 == len(delivered) + len(failed)
    assert sum(int(r[-2]) for r in rows[1:] if r[9] == "delivered") == bread
    assert message.text.startswith(f"Export : {len(delivered) + len(failed)} livraisons")

    [tomorrow] = ask(fake_telegram, "/demain", "Livraison du lundi 30 novembre")
    assert "(aperçu : les tournées partent à 18 h 30)" in tomorrow.text

    # the same coordinator by SMS: plain text, and where to find the files
    [by_sms] = twiml_messages(bot.sms(DEMO.coordinator, "STATS semaine").text)
    assert by_sms.splitlines()[2] == lines[2]
    [chart_sms] = twiml_messages(bot.sms(DEMO.coordinator, "/stats graphique").text)
    assert "Telegram" in chart_sms and "entraide stats --chart" in chart_sms
