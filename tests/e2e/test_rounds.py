"""The evening round as volunteers receive it: on Telegram with a button per stop, by SMS with
numbered stops; their answers update the stops; a crash mid-send sends nothing twice."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.runtime import open_runtime
from bot.senders import dispatcher_for
from bot.service import Service
from models import Order, OrderStatus, Stop
from models.base import OutboxStatus, Role
from models.clock import FrozenClock
from models.db import Database
from models.messages import OutboxMessage
from scheduler import outbox_rows
from scheduler.evening import evening
from tests.builders import residence
from tests.fakes.sms_segments import segments
from tests.harness import ROOT, RunningBot, settings_for, twiml_messages, wait_until

D = date(2026, 11, 25)
GILLES, GILLES_TG = "+33620000001", 8001
SOPHIE = "+33620000002"
COORD, COORD_TG = "+33630000001", 8003
BAKERY = "+33640000001"


def _prepare(db_url: str, config, clock: FrozenClock) -> None:
    db = Database(db_url)
    res = residence(db, config, clock)
    for i, (b, floor) in enumerate([("A", 0), ("A", 2), ("A", 4), ("B", 1), ("B", 3), ("B", 5)]):
        res.add(
            f"+3361000000{i}",
            f"Tenant {i}",
            {Role.TENANT},
            tenant={"building": b, "floor": floor, "apartment": f"{floor}{i}", "bread_bag": i == 4},
        )
        res.order(
            f"+3361000000{i}", D, {"bread": 1 + i % 2, **({"water": 1} if i % 3 == 0 else {})}
        )
    res.add(
        GILLES, "Gilles Morel", {Role.VOLUNTEER}, telegram_id=GILLES_TG, volunteer={"max_packs": 4}
    )
    res.add(SOPHIE, "Sophie Bacquet", {Role.VOLUNTEER}, volunteer={"max_packs": 4})
    res.add(COORD, "Claire", {Role.COORDINATOR}, telegram_id=COORD_TG)
    res.add(BAKERY, "Boulangerie du Port", {Role.SUPPLIER}, supplier_key="bakery")
    db.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))  # Tue 18:30 Paris


@pytest.fixture
def bot(db_url, fake_telegram, fake_twilio, clock, config):
    _prepare(db_url, config, clock)
    with RunningBot(
        settings_for(db_url, telegram=fake_telegram, twilio=fake_twilio), clock
    ) as running:
        yield running


def test_rounds_arrive_and_answers_update_the_stops(bot, fake_telegram, fake_twilio) -> None:
    report = bot.rt.db.call(evening, bot.bot.service.ctx, "moulin", D)
    assert report.uncovered == 0 and report.rounds == 2
    bot.bot.dispatcher.wake.set()
    [tg_round] = fake_telegram.wait_sent(GILLES_TG)
    assert tg_round.text.startswith("Tournée du mercredi 25 novembre, Gilles :")
    buttons = fake_telegram.buttons(tg_round)
    assert buttons and all(data.startswith("stop:") for _, data in buttons)
    n_stops = len(buttons) // 2
    [sms_round] = fake_twilio.wait_messages(SOPHIE, 1, timeout=10)
    assert sms_round.body.startswith("Tournée du mercredi 25 novembre, Sophie :")  # é is GSM-7
    assert "\n1. Tenant" in sms_round.body and "PAS LA" in sms_round.body
    assert sms_round.segments <= 10  # Twilio's short-code ceiling
    [bakery] = fake_twilio.wait_messages(BAKERY, 1, timeout=10)
    assert "Commande pour le mercredi 25 novembre" in bakery.body and "9 baguettes" in bakery.body

    # the eve: nothing can have been delivered yet
    assert twiml_messages(bot.sms(SOPHIE, "fait").text)[0].startswith("Votre tournée est pour le")
    bot.clock.set(datetime(2026, 11, 25, 7, 30, tzinfo=UTC))  # Wednesday morning, on the round
    fake_telegram.push_callback(GILLES_TG, tg_round.message, buttons[0][1])
    # the callback is answered first, the thanks follows: wait for the message itself (a quiet
    # half-second after the callback's answer is no proof the thanks is not on its way)
    [thanks] = wait_until(
        lambda: [
            m
            for m in fake_telegram.wait_sent(GILLES_TG, after=1, timeout=0.2, settle=0)
            if m.method == "sendMessage"
        ],
        timeout=20,
    )
    assert "arrêt 1" in thanks.text
    replies = twiml_messages(bot.sms(SOPHIE, "PAS LA 1").text)
    assert "n'a pas ouvert" in replies[0]
    assert wait_until(
        lambda: any("n'a pas ouvert" in m.text for m in fake_telegram.messages_to(COORD_TG))
    )
    [done] = twiml_messages(bot.sms(SOPHIE, "fait").text)
    assert "noté" in done.lower()
    with bot.rt.db.transaction() as s:
        outcomes = [o.value if o else None for o in s.scalars(sa.select(Stop.outcome))]
        assert outcomes.count("not_home") == 1
        assert outcomes.count(None) == n_stops - 1  # Gilles reported only his first stop
        statuses = set(s.scalars(sa.select(Order.status)))
        assert OrderStatus.FAILED in statuses and OrderStatus.DELIVERED in statuses


def test_a_crash_mid_send_sends_each_round_once(
    db_url, fake_telegram, fake_twilio, clock, config
) -> None:
    """Rows claimed ("sending") by a process killed before it recorded the result: the next
    process asks Twilio, counts Telegram calls as done, and sends the rest; nothing twice."""
    _prepare(db_url, config, clock)
    settings = settings_for(db_url, telegram=fake_telegram, twilio=fake_twilio)
    rt = open_runtime(settings, clock=clock)
    try:
        service = Service(rt, {"sms", "telegram"})
        rt.db.call(evening, service.ctx, "moulin", D)

        async def crashed_then_restarted() -> None:
            async with dispatcher_for(service) as first:
                claimed = await rt.db.run(outbox_rows.claim, service.ctx, ["sms", "telegram"], 2)
                assert len(claimed) == 2
                # the first message leaves, the second never does: then the process dies
                await first._send(claimed[0])
            clock.advance(outbox_rows.LEASE + timedelta(seconds=1))
            async with dispatcher_for(service) as second:
                while await second.tick():
                    pass

        asyncio.run(crashed_then_restarted())
        with rt.db.transaction() as s:
            rows = s.scalars(sa.select(OutboxMessage)).all()
            assert {r.status for r in rows} == {OutboxStatus.SENT}
        sms_rounds = [
            m
            for m in fake_twilio.messages
            if m.body.startswith("Tournee") or m.body.startswith("Tournée")
        ]
        assert len(sms_rounds) == 1
        assert (
            len([m for m in fake_telegram.messages_to(GILLES_TG) if m.text.startswith("Tournée")])
            == 1
        )
        assert len(fake_twilio.messages_to(BAKERY)) == 1
    finally:
        rt.close()


def test_rounds_send_cli_is_idempotent(
    db_url, fake_telegram, fake_twilio, clock, config, tmp_path: Path
) -> None:
    _prepare(db_url, config, clock)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTRAIDE_")}
    env.update(
        {
            "ENTRAIDE_DATABASE_URL": db_url,
            "ENTRAIDE_CONFIG": str(ROOT / "entraide.example.toml"),
            "ENTRAIDE_TELEGRAM_TOKEN": fake_telegram.token,
            "ENTRAIDE_TELEGRAM_API_URL": fake_telegram.base_url,
            "ENTRAIDE_TWILIO_ACCOUNT_SID": fake_twilio.account_sid,
            "ENTRAIDE_TWILIO_AUTH_TOKEN": fake_twilio.auth_token,
            "ENTRAIDE_TWILIO_FROM": "+33757000000",
            "ENTRAIDE_TWILIO_API_URL": fake_twilio.base_url,
        }
    )
    exe = str(Path(sys.executable).parent / "entraide")
    args = [exe, "rounds", "send", "--date", "2026-11-25", "--at", "2026-11-24T18:30"]
    first = subprocess.run(args, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "6 order(s)" in first.stdout and "2 round(s)" in first.stdout
    assert (
        "round        telegram  sent" in first.stdout
        and "round        sms       sent" in first.stdout
    )
    second = subprocess.run(
        args, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert "already ran" in second.stdout
    assert (
        len(fake_telegram.messages_to(GILLES_TG)) == 1 and len(fake_twilio.messages_to(SOPHIE)) == 1
    )
    show = subprocess.run(
        [exe, "rounds", "show", "--date", "2026-11-25"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "as sent" in show.stdout and "Tournée du mercredi 25 novembre, Gilles" in show.stdout
    printed = subprocess.run(
        [exe, "rounds", "print", "--date", "2026-11-25", "--out", "sheet.html"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    html = (tmp_path / "sheet.html").read_text()
    assert printed.returncode == 0 and html.count('class="stop"') == 6
    assert "break-inside: avoid" in html and "Sac à pain sur la porte" in html
    assert segments("x") == 1
