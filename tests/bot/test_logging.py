"""ENTRAIDE_LOG_LEVEL=DEBUG shows our own debug lines, never the libraries' (python-telegram-bot
logs every text it sends at DEBUG; twilio logs its request parameters at INFO)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from bot.logs import FLOORS, configure
from handlers.types import Reply
from models.base import Role
from models.clock import FrozenClock
from models.db import Database
from tests.builders import residence
from tests.harness import RunningBot, settings_for


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    saved = root.level, {n: logging.getLogger(n).level for n in FLOORS}
    yield
    root.setLevel(saved[0])
    for name, level in saved[1].items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("level", ["DEBUG", "INFO", "WARNING"])
def test_libraries_stay_at_info_or_above(level: str, restore_logging) -> None:
    configure(level)
    assert logging.getLogger("entraide.inbound").getEffectiveLevel() == logging.getLevelName(level)
    for name in (
        "telegram",
        "telegram.ext",
        "httpx",
        "httpcore",
        "apscheduler",
        "twilio",
        "urllib3",
    ):
        assert logging.getLogger(name).getEffectiveLevel() >= logging.INFO, name
        assert logging.getLogger(name).getEffectiveLevel() >= logging.getLevelName(level)
    assert logging.getLogger("twilio.http_client").getEffectiveLevel() >= logging.WARNING


def test_at_debug_no_sent_text_reaches_the_logs(
    db_url, fake_telegram, fake_twilio, config, restore_logging, caplog
) -> None:
    """A text sent through the real python-telegram-bot and twilio clients, the process at
    DEBUG: no library line holds the text or the number."""
    from handlers.notify import tell
    from models.people import by_phone

    clock = FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    db = Database(db_url)
    res = residence(db, config, clock)
    res.add("+33611111111", "Mme Jeanne Pouli", {Role.TENANT}, telegram_id=7001)
    res.add("+33622222222", "M. Paul Martin", {Role.TENANT})
    db.dispose()
    secret = "bât. C, 3e étage : diabète, sonner fort"
    settings = settings_for(db_url, telegram=fake_telegram, twilio=fake_twilio, log_level="DEBUG")
    with RunningBot(settings, clock) as bot:
        configure("DEBUG")  # as `entraide run` does
        caplog.set_level(logging.DEBUG)  # the root takes whatever a logger lets through
        with bot.rt.db.transaction() as s:
            for phone in ("+33611111111", "+33622222222"):
                tell(s, bot.bot.service.ctx, by_phone(s, phone), f"t:{phone}", Reply(secret, "fr"))
        bot.bot.dispatcher.wake.set()
        assert fake_telegram.wait_sent(7001)[0].text == secret
        assert fake_twilio.wait_messages("+33622222222", 1, timeout=10)[0].body
    assert caplog.records, "nothing logged: the test would prove nothing"
    for record in caplog.records:
        text = record.getMessage()
        assert "diabète" not in text and "sonner fort" not in text, (record.name, text)
        assert "+33622222222" not in text and "33622222222" not in text, (record.name, text)


def test_json_lines_mask_numbers(restore_logging) -> None:
    import io
    import json

    from bot.logs import JsonLines, Masked, mask_numbers

    assert mask_numbers("sms to +33612345678 and 06 12 34 56 78, order #42 of 2026-11-25") == (
        "sms to +33•••••••78 and 061•••••78, order #42 of 2026-11-25"
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines())
    log = logging.getLogger("entraide.test_json")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("telegram %s blocked the bot; sms to %s", 987654321, "+33612345678")
        try:
            raise ValueError("bad number +33699999999")
        except ValueError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
        log.propagate = True
    first, second = (json.loads(line) for line in stream.getvalue().splitlines()[:2])
    assert first["level"] == "WARNING" and first["logger"] == "entraide.test_json"
    assert first["message"] == "telegram 987••••21 blocked the bot; sms to +33•••••••78"
    assert first["time"].endswith("+00:00")
    assert "+33699999999" not in second["exception"] and "ValueError" in second["exception"]
    record = logging.LogRecord("x", logging.INFO, "", 0, "to %s", ("+33612345678",), None)
    text = Masked("%(asctime)s %(message)s").format(record)
    assert text.endswith(" to +33•••••••78") and text[:4].isdigit()  # the time is not masked


def test_log_format_is_a_setting() -> None:
    from bot.settings import Settings
    from models.config import ConfigError

    assert Settings.from_env({"ENTRAIDE_LOG_FORMAT": "json"}, env_file=None).log_format == "json"
    with pytest.raises(ConfigError, match="ENTRAIDE_LOG_FORMAT='xml': one of 'text' or 'json'"):
        Settings.from_env({"ENTRAIDE_LOG_FORMAT": "xml"}, env_file=None)
