"""What a monitoring system reads from a running bot: /healthz (alive), /readyz (database and
scheduler heartbeat) and /metrics (Prometheus text, parsed with the official client)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from models.base import OutboxStatus, Role
from models.db import Database
from models.heartbeat import SCHEDULER, beat
from models.jobs import JobRun
from models.messages import OutboxMessage
from tests.builders import residence
from tests.harness import RunningBot, settings_for

JEANNE = "+33611111111"


@pytest.fixture
def bot(db_url, fake_twilio, clock, config):
    db = Database(db_url)
    res = residence(db, config, clock)
    res.add(JEANNE, "Mme Jeanne Pouli", {Role.TENANT}, tenant={"building": "C", "floor": 3})
    db.dispose()
    with RunningBot(settings_for(db_url, twilio=fake_twilio), clock) as running:
        yield running


def samples(bot: RunningBot) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = bot.http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def test_healthz_readyz_follow_the_scheduler_heartbeat(bot) -> None:
    assert bot.http.get("/healthz").json()["status"] == "ok"
    never = bot.http.get("/readyz")
    assert never.status_code == 503 and never.json()["scheduler"] == "never"
    now = bot.clock.now()
    with bot.rt.db.transaction() as s:
        beat(s, SCHEDULER, now - timedelta(seconds=40))
    ready = bot.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ok",
        "database": "ok",
        "scheduler": "ok",
        "heartbeat_age_seconds": 40.0,
    }
    with bot.rt.db.transaction() as s:
        beat(s, SCHEDULER, now - timedelta(minutes=5))
    stale = bot.http.get("/readyz")
    assert stale.status_code == 503 and stale.json()["scheduler"] == "stale"
    assert bot.http.get("/healthz").status_code == 200  # alive all the same


def test_metrics_count_messages_questions_outbox_and_jobs(bot) -> None:
    before = samples(bot)
    answered = ("entraide_inbound_messages_total", (("channel", "sms"), ("outcome", "answered")))
    clarify = ("entraide_clarify_total", (("channel", "sms"),))
    assert bot.say(JEANNE, "2 baguettes pour mercredi")  # a complete order: no question
    assert bot.say(JEANNE, "des baguettes")  # how many? a question is left open
    now = bot.clock.now()
    with bot.rt.db.transaction() as s:
        s.add(
            OutboxMessage(
                dedupe_key="late:1",
                kind="reply",
                channel="sms",
                address=JEANNE,
                payload={"text": "x"},
                status=OutboxStatus.PENDING,
                next_attempt_at=now - timedelta(minutes=20),
                created_at=now - timedelta(minutes=20),
            )
        )
        s.add(
            JobRun(
                site_id=bot.rt.site_id(),
                run_date=now.date(),
                kind="evening",
                started_at=now - timedelta(seconds=3),
                finished_at=now,
                detail="",
            )
        )
    after = samples(bot)
    assert after[answered] - before.get(answered, 0) == 2
    assert after[clarify] - before.get(clarify, 0) == 1
    replies = ("entraide_replies_total", (("channel", "sms"),))
    assert after[replies] - before.get(replies, 0) == 2
    assert after[("entraide_outbox_depth", (("channel", "sms"), ("state", "due")))] == 1
    assert after[("entraide_outbox_oldest_due_age_seconds", ())] == 1200
    site = (("kind", "evening"), ("site", "moulin"))
    assert after[("entraide_job_runs_total", site)] == 1
    assert after[("entraide_job_last_duration_seconds", site)] == 3
    assert ("entraide_scheduler_heartbeat_age_seconds", ()) not in after  # never beat
