"""`entraide doctor` in each failure a volunteer meets, and all green: the real Telegram and
Twilio clients against the fake servers, a real database, the lines as printed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.doctor import Report, diagnose
from handlers.texts import catalogue
from models.base import OutboxStatus
from models.clock import FrozenClock
from models.db import Database
from models.heartbeat import SCHEDULER, beat
from models.messages import OutboxMessage
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.twilio_api import FakeTwilioAPI

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
PUBLIC = "https://127.0.0.1:9"  # https, and nothing listens: the public-address check fails fast
SHORT_CODE = "38800"


def env_for(db_url: str, **extra: str) -> dict[str, str]:
    env = {
        "ENTRAIDE_DATABASE_URL": db_url,
        "ENTRAIDE_CONFIG": str(ROOT / "entraide.example.toml"),
    }
    env.update({f"ENTRAIDE_{k.upper()}": v for k, v in extra.items()})
    return env


def telegram_env(fake: FakeBotAPI, **extra: str) -> dict[str, str]:
    return {"telegram_token": fake.token, "telegram_api_url": fake.base_url, **extra}


def twilio_env(fake: FakeTwilioAPI, sender: str = SHORT_CODE, **extra: str) -> dict[str, str]:
    return {
        "twilio_account_sid": fake.account_sid,
        "twilio_auth_token": fake.auth_token,
        "twilio_from": sender,
        "twilio_api_url": fake.base_url,
        **extra,
    }


async def doctor(env: dict[str, str]) -> Report:
    return await diagnose(env, env_file=None, clock=FrozenClock(NOW), lang="en")


def line(report: Report, words: str) -> str:
    """The one printed line containing `words`."""
    found = [x for x in report.lines() if words in x]
    assert len(found) == 1, "\n".join(report.lines())
    return found[0]


def alive(db: Database, at: datetime = NOW) -> None:
    with db.transaction() as s:
        beat(s, SCHEDULER, at)


def test_all_green(db: Database, db_url: str, fake_telegram: FakeBotAPI) -> None:
    import asyncio

    alive(db, NOW - timedelta(seconds=20))
    report = asyncio.run(doctor(env_for(db_url, **telegram_env(fake_telegram))))
    text = "\n".join(report.lines())
    assert report.failed == 0, text
    assert "FAILED" not in text and "WARNING" not in text
    assert line(report, "Scheduler").startswith("OK") and "20 seconds ago" in text
    assert line(report, "token valid").endswith("the bot is @entraide_test_bot.")
    assert line(report, "no webhook left behind").startswith("OK")
    assert "Site moulin: next evening rounds Tuesday 24 November 6:30 pm" in text
    assert report.lines()[-1] == "Everything is in order."


async def test_a_wrong_token_is_named(db: Database, db_url: str, fake_telegram) -> None:
    alive(db)
    report = await doctor(env_for(db_url, **telegram_env(fake_telegram, telegram_token="1:no")))
    assert line(report, "token refused").startswith("FAILED")
    assert "@BotFather" in line(report, "token refused")
    assert report.failed == 1


async def test_a_webhook_elsewhere_is_caught(db: Database, db_url: str, fake_telegram) -> None:
    alive(db)
    fake_telegram.webhook = {"url": "https://old.example.org/telegram/webhook"}
    env = env_for(
        db_url,
        **telegram_env(fake_telegram, telegram_mode="webhook", telegram_webhook_secret="s3"),
        public_url=PUBLIC,
    )
    report = await doctor(env)
    wrong = line(report, "the webhook points at")
    assert wrong.startswith("FAILED")
    assert (
        "https://old.example.org/telegram/webhook, not https://127.0.0.1:9/telegram/webhook"
        in wrong
    )
    assert "entraide webhook set" in wrong


async def test_telegram_delivery_error_and_waiting_updates(
    db: Database, db_url: str, fake_telegram
) -> None:
    alive(db)
    fake_telegram.webhook = {"url": PUBLIC + "/telegram/webhook", "secret_token": "s3"}
    fake_telegram.webhook_error = (int(NOW.timestamp()), "Wrong response from the webhook: 502")
    env = env_for(
        db_url,
        **telegram_env(fake_telegram, telegram_mode="webhook", telegram_webhook_secret="s3"),
        public_url=PUBLIC,
    )
    report = await doctor(env)
    assert line(report, "Telegram: webhook https://").startswith("OK")
    error = line(report, "last delivery error")
    assert error.startswith("WARNING") and "Wrong response from the webhook: 502" in error


async def test_the_last_evening_job_is_shown(db: Database, db_url: str, config) -> None:
    from models.jobs import JobRun
    from models.sync import sync_config

    alive(db)
    with db.transaction() as s:
        site_id = sync_config(s, config, FrozenClock(NOW))["moulin"]
        s.add(
            JobRun(
                site_id=site_id,
                run_date=NOW.date(),
                kind="evening",
                started_at=NOW - timedelta(hours=15),
                finished_at=NOW - timedelta(hours=15),
                detail="moulin 2026-11-24: 3 rounds, 12 stops",
            )
        )
    report = await doctor(env_for(db_url))
    shown = line(report, "last evening rounds")
    assert shown == (
        "OK        Site moulin: last evening rounds (delivery on Tuesday 24 November): "
        "moulin 2026-11-24: 3 rounds, 12 stops."
    )


async def test_polling_with_a_webhook_left_behind(db: Database, db_url: str, fake_telegram) -> None:
    alive(db)
    fake_telegram.webhook = {"url": "https://old.example.org/telegram/webhook"}
    report = await doctor(env_for(db_url, **telegram_env(fake_telegram)))
    assert line(report, "still set").startswith("FAILED")
    assert "entraide webhook delete" in line(report, "still set")


async def test_a_stopped_scheduler(db: Database, db_url: str) -> None:
    alive(db, NOW - timedelta(minutes=10))
    report = await doctor(env_for(db_url))
    stale = line(report, "Scheduler")
    assert stale.startswith("FAILED") and "silent for 10 minutes" in stale
    assert "systemctl restart entraide-scheduler" in stale
    assert report.failed == 1


async def test_a_scheduler_that_never_ran(db_url: str) -> None:
    report = await doctor(env_for(db_url))
    assert line(report, "Scheduler: has never run").startswith("FAILED")


async def test_a_backlog_that_does_not_leave(db: Database, db_url: str) -> None:
    alive(db)
    with db.transaction() as s:
        for i in range(30):
            s.add(
                OutboxMessage(
                    dedupe_key=f"test:{i}",
                    kind="reply",
                    channel="sms",
                    address="+33600000101",
                    payload={"text": "x"},
                    status=OutboxStatus.PENDING,
                    next_attempt_at=NOW - timedelta(hours=1),
                    created_at=NOW - timedelta(hours=1),
                )
            )
        s.add(
            OutboxMessage(
                dedupe_key="test:failed",
                kind="reply",
                channel="sms",
                address="+33600000102",
                payload={"text": "x"},
                status=OutboxStatus.FAILED,
                next_attempt_at=NOW - timedelta(hours=2),
                created_at=NOW - timedelta(hours=3),
            )
        )
    report = await doctor(env_for(db_url))
    late = line(report, "Messages to send")
    assert late.startswith("FAILED") and "30 due, the oldest waiting for 60 minutes" in late
    assert line(report, "failed for good").startswith("WARNING")
    assert "1 send failed for good in the last 24 hours" in line(report, "failed for good")


@pytest.mark.parametrize(
    "url, words",
    [
        ("postgresql://nobody@127.0.0.1:1/entraide", "unreachable"),
        ("sqlite:////nonexistent/folder/entraide.db", "does not exist"),
        ("mysql://u@h/db", "unreachable"),
    ],
)
async def test_a_wrong_database_url(url: str, words: str) -> None:
    report = await doctor(env_for(url))
    bad = line(report, "Database")
    assert bad.startswith("FAILED") and words in bad
    assert "nobody@" not in bad  # the credentials part of a URL is never printed
    assert report.failed == 1


async def test_twilio_short_code_with_its_webhook_on_us(
    db: Database, db_url: str, fake_twilio
) -> None:
    alive(db)
    fake_twilio.numbers[SHORT_CODE] = PUBLIC + "/sms/inbound#rc=3&rp=all"
    report = await doctor(env_for(db_url, **twilio_env(fake_twilio), public_url=PUBLIC))
    assert line(report, "Twilio: account").startswith("OK")
    assert line(report, "a short code").startswith("OK")
    assert line(report, "come to https://127.0.0.1:9/sms/inbound").startswith("OK")
    # the one failure: nothing answers at the public address
    assert line(report, "Public address").startswith("FAILED")
    assert report.failed == 1


async def test_twilio_failures(db: Database, db_url: str, fake_twilio) -> None:
    alive(db)
    env = env_for(db_url, **twilio_env(fake_twilio, twilio_auth_token="wrong"), public_url=PUBLIC)
    assert line(await doctor(env), "credentials refused").startswith("FAILED")

    fake_twilio.numbers["+33757000000"] = "https://elsewhere.example.org/sms"
    env = env_for(db_url, **twilio_env(fake_twilio, "+33757000000"), public_url=PUBLIC)
    report = await doctor(env)
    assert line(report, "a French mobile number").startswith("WARNING")
    assert "not https://127.0.0.1:9/sms/inbound" in line(report, "go to https://elsewhere")

    env = env_for(db_url, **twilio_env(fake_twilio, "ENTRAIDE"), public_url=PUBLIC)
    assert "tenants cannot reply" in line(await doctor(env), "ONE-WAY")


async def test_http_public_address_is_refused(db: Database, db_url: str) -> None:
    alive(db)
    report = await doctor(env_for(db_url, public_url="http://entraide.example.org"))
    assert line(report, "not HTTPS").startswith("FAILED")


async def test_a_bad_setting_is_the_first_and_only_line(db_url: str) -> None:
    report = await doctor(env_for(db_url, port="eighty"))
    assert report.failed == 1
    assert report.lines()[0].startswith("FAILED") and "ENTRAIDE_PORT" in report.lines()[0]


async def test_french_is_the_site_language(db: Database, db_url: str) -> None:
    alive(db, NOW - timedelta(minutes=10))
    report = await diagnose(env_for(db_url), env_file=None, clock=FrozenClock(NOW))
    assert "ÉCHEC     Planificateur : silencieux depuis 10 minutes" in "\n".join(report.lines())


def test_both_catalogues_hold_every_doctor_text() -> None:
    import re

    fr, en = catalogue("fr"), catalogue("en")
    for key in [k for k in fr if k.startswith(("doctor.", "webhook."))]:
        assert key in en, key
        fields = [re.findall(r"{(\w+)}", str(c[key])) for c in (fr, en)]
        assert sorted(set(fields[0])) == sorted(set(fields[1])), key
    assert {k for k in en if k.startswith(("doctor.", "webhook."))} <= set(fr)
