"""A body over the limit is refused with 413 on both webhooks, declared or chunked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models.clock import FrozenClock
from tests.harness import WEBHOOK_SECRET, RunningBot, settings_for

BIG = 200 * 1024


def chunks():
    for _ in range(BIG // 1024):
        yield b"x" * 1024


@pytest.mark.parametrize("path", ["/sms/inbound", "/telegram/webhook"])
@pytest.mark.parametrize("chunked", [True, False])
def test_a_body_over_the_limit_gets_413(
    db_url, fake_telegram, fake_twilio, path: str, chunked: bool
) -> None:
    settings = settings_for(
        db_url, telegram=fake_telegram, twilio=fake_twilio, telegram_mode="webhook"
    )
    with RunningBot(settings, FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))) as bot:
        headers = {
            "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET,
            "Content-Type": "application/x-www-form-urlencoded"
            if path.startswith("/sms")
            else "application/json",
        }
        body = chunks() if chunked else b"x" * BIG
        response = bot.http.post(path, content=body, headers=headers)
        assert response.status_code == 413, (response.status_code, response.text)
        # a small body still goes through to the route (here: refused for its content)
        small = bot.http.post(path, content=b"{}", headers=headers)
        assert small.status_code != 413
