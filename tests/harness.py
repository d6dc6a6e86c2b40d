"""The real bot, in-process: entraide's Starlette app under uvicorn on a free port, pointed at
the fake Telegram and Twilio servers, on a test database, with a controllable clock.

Nothing of ours is replaced: the same `build()` that `entraide run` serves, the same
adapters, the same dispatcher. Only the outside world (Telegram, Twilio, time) is a fake.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
import uvicorn

from bot.runtime import Runtime, open_runtime
from bot.server import Bot, build
from bot.settings import Settings
from models.clock import Clock
from tests.fakes.fixtures import free_port
from tests.fakes.twilio_webhooks import inbound_params, signed_headers

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_URL = "https://entraide.example"
BOT_NUMBER = "+33757000000"
WEBHOOK_SECRET = "s3cret-token_for-tests"


def settings_for(db_url: str, telegram: Any = None, twilio: Any = None, **extra: str) -> Settings:
    env = {
        "ENTRAIDE_DATABASE_URL": db_url,
        "ENTRAIDE_CONFIG": str(ROOT / "entraide.example.toml"),
        "ENTRAIDE_PUBLIC_URL": PUBLIC_URL,
        "ENTRAIDE_LOG_LEVEL": "WARNING",
    }
    if telegram is not None:
        env.update(
            ENTRAIDE_TELEGRAM_TOKEN=telegram.token,
            ENTRAIDE_TELEGRAM_API_URL=telegram.base_url,
            ENTRAIDE_TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
        )
    if twilio is not None:
        env.update(
            ENTRAIDE_TWILIO_ACCOUNT_SID=twilio.account_sid,
            ENTRAIDE_TWILIO_AUTH_TOKEN=twilio.auth_token,
            ENTRAIDE_TWILIO_FROM=BOT_NUMBER,
            ENTRAIDE_TWILIO_API_URL=twilio.base_url,
        )
    env.update({f"ENTRAIDE_{k.upper()}": v for k, v in extra.items()})
    return Settings.from_env(env, env_file=None)


class RunningBot:
    def __init__(self, settings: Settings, clock: Clock, *, scheduler: bool = False) -> None:
        self.settings, self.clock = settings, clock
        self.rt: Runtime = open_runtime(settings, clock=clock)
        self.app, self.bot = build(self.rt, with_scheduler=scheduler)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.http = httpx.Client(base_url=self.base, timeout=20)

    def __enter__(self) -> RunningBot:
        self.thread.start()
        end = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > end or not self.thread.is_alive():
                raise RuntimeError("the bot did not start")
            time.sleep(0.02)
        telegram = self.bot.telegram
        if telegram is not None:  # it connects in the background: wait, unless the test cut it
            connecting = getattr(telegram, "_connecting", None)
            while connecting is not None and not connecting.done() and time.monotonic() < end:
                time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()
        self.server.should_exit = True
        self.thread.join(20)
        self.rt.close()

    @property
    def service_bot(self) -> Bot:
        return self.bot

    # --- SMS, as Twilio would post it ------------------------------------------------------
    def sms(
        self, sender: str, body: str, *, sid: str | None = None, **fields: str
    ) -> httpx.Response:
        params = inbound_params(sender, body, to=BOT_NUMBER, sid=sid, **fields)
        return self.post_signed("/sms/inbound", params)

    def post_signed(
        self, path: str, params: Mapping[str, str], token: str | None = None
    ) -> httpx.Response:
        auth = token or self.settings.twilio_auth_token.get_secret_value()  # type: ignore[union-attr]
        headers = signed_headers(auth, PUBLIC_URL + path, params)
        return self.http.post(path, data=dict(params), headers=headers)

    def say(self, sender: str, body: str) -> list[str]:
        """Send an SMS and return the texts of the TwiML reply."""
        response = self.sms(sender, body)
        assert response.status_code == 200, response.text
        return twiml_messages(response.text)


def twiml_messages(xml: str) -> list[str]:
    root = ElementTree.fromstring(xml)
    return [(m.text or "") for m in root.iter("Message")]


def wait_until(predicate: Any, timeout: float = 10.0, interval: float = 0.05) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
