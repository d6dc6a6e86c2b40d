"""Forged webhook requests are refused one by one, but logged once a minute with a count:
a flood of them must not fill the log."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from bot.logs import Throttled
from models.clock import FrozenClock
from tests.harness import RunningBot, settings_for


def test_a_flood_of_forged_requests_writes_one_line_per_route(
    db_url, fake_telegram, fake_twilio, caplog
) -> None:
    settings = settings_for(
        db_url, telegram=fake_telegram, twilio=fake_twilio, telegram_mode="webhook"
    )
    update = fake_telegram.make_update(7001, "2 baguettes")
    with (
        caplog.at_level(logging.WARNING, logger="entraide"),
        RunningBot(settings, FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))) as bot,
    ):
        for _ in range(50):
            forged = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
            refused = bot.http.post("/telegram/webhook", json=update, headers=forged)
            assert refused.status_code == 403
            response = bot.post_signed("/sms/inbound", {"From": "+33611111111"}, token="wrong")
            assert response.status_code == 403
    lines = [r.getMessage() for r in caplog.records]
    assert len([t for t in lines if "X-Twilio-Signature" in t]) == 1, lines
    assert len([t for t in lines if "secret" in t]) == 1, lines


def test_the_next_line_says_how_many_were_held_back(caplog) -> None:
    now = [0.0]
    throttled = Throttled(logging.getLogger("entraide.test"), every=60, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="entraide.test"):
        assert throttled.warning("sms", "forged %s", "a")
        for _ in range(9):
            assert not throttled.warning("sms", "forged %s", "b")
        assert throttled.warning("telegram", "forged %s", "c")  # another kind: its own line
        now[0] = 61
        assert throttled.warning("sms", "forged %s", "d")
    assert [r.getMessage() for r in caplog.records] == [
        "forged a",
        "forged c",
        "forged d (9 more like it in the last 60 s)",
    ]
