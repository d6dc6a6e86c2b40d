"""`/metrics` in Prometheus' text format, with the official client (prometheus_client).

Two kinds of figures. What a process sees as it happens (messages received, by channel and
outcome; answers that asked a question, whose share of messages is the clarify rate) are
counters of this process; with `PROMETHEUS_MULTIPROC_DIR` naming a folder every entraide
process shares (the systemd units do), the counts of the web workers and of the scheduler
(which handles Telegram messages when polling) are added up: the client's multiprocess mode.
What the database knows (the outbox's depth and age, what was sent or failed by channel, job
runs and their durations, the scheduler's heartbeat) is read at scrape time, so any process
answers the same whatever process did the work.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session

from handlers.types import Outcome
from models.base import OutboxStatus
from models.clock import Clock
from models.config import ConfigError
from models.db import Database
from models.heartbeat import latest
from models.jobs import JobRun
from models.messages import OutboxMessage
from models.site import Site

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# Checked when the first process part that counts is imported (the service, at start-up): the
# client would only fail at the first message counted, in the middle of answering a tenant.
_SHARED = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _SHARED and not os.path.isdir(_SHARED):
    raise ConfigError(
        f"PROMETHEUS_MULTIPROC_DIR={_SHARED!r}: no such folder; create it (empty, writable by "
        "every entraide process) or unset it"
    )
COUNTERS = CollectorRegistry(auto_describe=True)

INBOUND = Counter(
    "entraide_inbound_messages",
    "Messages received, by channel and outcome (answered, silent, duplicate, error)",
    ["channel", "outcome"],
    registry=COUNTERS,
)
REPLIES = Counter(
    "entraide_replies",
    "Direct answers given to a message (TwiML, Telegram), by channel; the rest is the outbox's",
    ["channel"],
    registry=COUNTERS,
)
CLARIFY = Counter(
    "entraide_clarify",
    "Answers that left the sender a question to answer (over inbound answered: the clarify rate)",
    ["channel"],
    registry=COUNTERS,
)


def count_inbound(channel: str, outcome: Outcome | None) -> None:
    """One message handled (`None`: the database failed, the provider sends it again)."""
    if outcome is None:
        INBOUND.labels(channel, "error").inc()
        return
    if outcome.duplicate:
        kind = "duplicate"
    elif outcome.silent:
        kind = "silent"
    else:
        kind = "answered"
    INBOUND.labels(channel, kind).inc()
    if outcome.replies and not outcome.duplicate:
        REPLIES.labels(channel).inc(len(outcome.replies))
    if outcome.asked:
        CLARIFY.labels(channel).inc()


class DatabaseCollector(Collector):
    """Figures read from the database at each scrape (one short read-only transaction)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db, self.clock = db, clock

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        now = self.clock.now()
        with self.db.transaction() as s:
            yield from _outbox(s, now)
            yield from _jobs(s)
            beat = latest(s)
        heartbeat = GaugeMetricFamily(
            "entraide_scheduler_heartbeat_age_seconds",
            "Seconds since the scheduler process last said it was alive (absent: never)",
        )
        if beat is not None:
            heartbeat.add_metric([], max((now - beat).total_seconds(), 0.0))
        yield heartbeat


def _outbox(s: Session, now: datetime) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
    waiting = (OutboxStatus.PENDING, OutboxStatus.SENDING)
    by_status = CounterMetricFamily(
        "entraide_outbound_messages",
        "Messages of the outbox that reached an end, by channel and outcome",
        labels=["channel", "outcome"],
    )
    depth = GaugeMetricFamily(
        "entraide_outbox_depth",
        "Messages waiting in the outbox, by channel (due: their time to leave has come)",
        labels=["channel", "state"],
    )
    rows = s.execute(
        sa.select(OutboxMessage.channel, OutboxMessage.status, sa.func.count()).group_by(
            OutboxMessage.channel, OutboxMessage.status
        )
    )
    for channel, status, n in rows:
        if status not in waiting:
            by_status.add_metric([channel, status.value], n)
    due = sa.and_(OutboxMessage.status.in_(waiting), OutboxMessage.next_attempt_at <= now)
    waiting_rows = s.execute(
        sa.select(
            OutboxMessage.channel,
            sa.func.count(),
            sa.func.count().filter(due),
        )
        .where(OutboxMessage.status.in_(waiting))
        .group_by(OutboxMessage.channel)
    )
    for channel, n, n_due in waiting_rows:
        depth.add_metric([channel, "waiting"], n)
        depth.add_metric([channel, "due"], n_due)
    oldest = s.scalar(sa.select(sa.func.min(OutboxMessage.next_attempt_at)).where(due))
    age = GaugeMetricFamily(
        "entraide_outbox_oldest_due_age_seconds",
        "How long the oldest due message has been waiting (0: none due)",
    )
    age.add_metric([], max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0)
    yield from (by_status, depth, age)


def _jobs(s: Session) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
    runs = CounterMetricFamily(
        "entraide_job_runs", "Scheduled jobs run, by site and kind", labels=["site", "kind"]
    )
    last = GaugeMetricFamily(
        "entraide_job_last_duration_seconds",
        "How long the last run of each job took, by site and kind",
        labels=["site", "kind"],
    )
    when = GaugeMetricFamily(
        "entraide_job_last_finished_timestamp_seconds",
        "When the last run of each job finished (Unix time), by site and kind",
        labels=["site", "kind"],
    )
    counts = s.execute(
        sa.select(Site.slug, JobRun.kind, sa.func.count())
        .join(Site, Site.id == JobRun.site_id)
        .group_by(Site.slug, JobRun.kind)
    )
    for slug, kind, n in counts:
        runs.add_metric([slug, kind], n)
    newest = (
        sa.select(JobRun.site_id, JobRun.kind, sa.func.max(JobRun.id).label("id"))
        .where(JobRun.finished_at.is_not(None))
        .group_by(JobRun.site_id, JobRun.kind)
        .subquery()
    )
    rows = s.execute(
        sa.select(Site.slug, JobRun.kind, JobRun.started_at, JobRun.finished_at)
        .join(newest, newest.c.id == JobRun.id)
        .join(Site, Site.id == JobRun.site_id)
    )
    for slug, kind, started, finished in rows:
        last.add_metric([slug, kind], max((finished - started).total_seconds(), 0.0))
        when.add_metric([slug, kind], finished.timestamp())
    yield from (runs, last, when)


def exposition(db: Database, clock: Clock) -> bytes:
    """The whole page (blocking: run it in the database worker pool)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        counters = CollectorRegistry()
        multiprocess.MultiProcessCollector(counters)
    else:
        counters = COUNTERS
    from_db = CollectorRegistry(auto_describe=False)
    from_db.register(DatabaseCollector(db, clock))
    return generate_latest(counters) + generate_latest(from_db)
