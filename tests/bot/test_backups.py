"""Backups as the volunteer makes them: `entraide backup` while the bot takes orders, `entraide
restore` into an empty database (and not into one that holds data, unless --force); the daily
backup once a day, its failure told to the coordinators."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
import typer
from click.testing import Result
from typer.testing import CliRunner

from bot.backups import register
from models import InboundMessage, Order, OrderLine, Person
from models.backup import BackupPlan, back_up
from models.base import Role
from models.clock import FrozenClock
from models.db import Database
from models.jobs import JobRun
from models.leases import register as register_lease
from models.leases import release, wall
from models.messages import OutboxMessage
from scheduler.backups import daily_backup
from tests.builders import residence
from tests.db import scratch_database
from tests.harness import RunningBot, settings_for, wait_until

EXE = str(Path(sys.executable).parent / "entraide")
TENANTS = 60


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))  # a Tuesday


@pytest.fixture
def empty_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second database on the same back-end, empty (not even migrated)."""
    with scratch_database(db_url, tmp_path, "restored") as url:
        yield url


def _cli(args: list[str], url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTRAIDE_")}
    env["ENTRAIDE_DATABASE_URL"] = url
    return subprocess.run(
        [EXE, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def _orders(url: str) -> dict[str, int]:
    """Each tenant's ordered loaves, as stored; and checks the copy is one consistent state:
    every message has its order and every order its lines (they commit together)."""
    db = Database(url)
    try:
        with db.transaction() as s:
            rows = s.execute(
                sa.select(Person.phone, sa.func.sum(OrderLine.quantity))
                .join(Order, Order.person_id == Person.id)
                .join(OrderLine, OrderLine.order_id == Order.id)
                .group_by(Person.phone)
            ).all()
            orders = s.scalar(sa.select(sa.func.count()).select_from(Order))
            messages = s.scalar(sa.select(sa.func.count()).select_from(InboundMessage))
            assert orders == messages == len(rows)
            return {phone: int(n) for phone, n in rows}
    finally:
        db.dispose()


def test_a_backup_under_load_restores_every_order(
    db_url, empty_url, config, clock, fake_twilio, tmp_path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env but the test's
    db = Database(db_url)
    res = residence(db, config, clock)
    phones = [f"+3361{i:07d}" for i in range(TENANTS)]
    for i, phone in enumerate(phones):
        res.add(phone, f"Locataire {i}", {Role.TENANT})
    db.dispose()
    acknowledged: list[str] = []  # in the order the bot answered
    with RunningBot(settings_for(db_url, twilio=fake_twilio), clock) as bot:

        def load() -> None:
            for i, phone in enumerate(phones):
                answer = bot.say(phone, f"{1 + i % 3} baguettes pour jeudi")
                assert "jeudi 26 novembre" in answer[0], answer
                acknowledged.append(phone)

        sender = threading.Thread(target=load)
        sender.start()
        try:
            assert wait_until(lambda: len(acknowledged) >= 20, timeout=60)
            before = len(acknowledged)
            made = _cli(["backup", str(tmp_path / "backups")], db_url, tmp_path)
            after = len(acknowledged)
        finally:
            sender.join(120)
        assert made.returncode == 0, made.stderr
        assert len(acknowledged) == TENANTS
    [copy] = sorted((tmp_path / "backups").iterdir())
    assert made.stdout.startswith(f"backed up to {copy}")

    restored = _cli(["restore", str(copy)], empty_url, tmp_path)
    assert restored.returncode == 0, restored.stderr
    got = _orders(empty_url)
    # every order acknowledged before the copy began is in it, none that came after it ended
    assert set(acknowledged[:before]) <= set(got) <= set(acknowledged[: after + 1])
    assert all(got[p] == 1 + phones.index(p) % 3 for p in got)

    # the night's last copy, put back over the first restore: only with --force
    # (in this process from here: a command started costs seconds on this machine)
    last = back_up(db_url, tmp_path / "backups", wall(), keep=1)
    assert sorted((tmp_path / "backups").iterdir()) == [last]  # retention: the first went
    refused = _invoke(["restore", str(last)], empty_url)
    assert refused.exit_code == 1
    assert "already holds data" in refused.output and "--force" in refused.output
    assert _orders(empty_url) == got  # refused: untouched
    forced = _invoke(["restore", "--force", str(last)], empty_url)
    assert forced.exit_code == 0, forced.output
    assert _orders(empty_url) == {p: 1 + i % 3 for i, p in enumerate(phones)}


def _invoke(args: list[str], url: str) -> Result:
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    return CliRunner().invoke(app, args, env={"ENTRAIDE_DATABASE_URL": url})


def test_the_daily_backup_runs_once_a_day_and_a_failure_reaches_the_coordinators(
    db: Database, db_url: str, config, clock, tmp_path: Path
) -> None:
    import asyncio

    res = residence(db, config, clock)
    res.add("+33630000001", "Claire", {Role.COORDINATOR})
    ctx = res.ctx
    plan = BackupPlan(tmp_path / "nightly", keep=2)
    first = asyncio.run(daily_backup(db, ctx, plan, "moulin"))
    assert "backed up to" in first
    assert asyncio.run(daily_backup(db, ctx, plan, "moulin")).endswith("backup already done")
    assert len(list(plan.folder.iterdir())) == 1

    clock.advance(__import__("datetime").timedelta(days=1))
    full = tmp_path / "not-a-folder"
    full.write_text("")  # the backup folder cannot be made: as a full or read-only disk would
    failed = asyncio.run(daily_backup(db, ctx, BackupPlan(full, keep=2), "moulin"))
    assert "backup failed" in failed
    with db.transaction() as s:
        [told] = s.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "coordinator"))
        assert told.payload["text"].startswith("La sauvegarde de la nuit a échoué")
        details = list(s.scalars(sa.select(JobRun.detail).where(JobRun.kind == "backup")))
        assert len(details) == 2 and details[1].startswith("failed:")


def test_a_forced_restore_waits_for_the_bot_to_stop_and_names_the_people_erased_since(
    db: Database, db_url: str, config, clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GDPR: an older copy still holds someone erased since; the restore says who, by id."""
    from handlers.privacy import forget

    monkeypatch.chdir(tmp_path)  # var/ is the test's own (erasure scrubs the files there)
    res = residence(db, config, clock)
    kept = res.add("+33611111111", "Mme Jeanne Pouli", {Role.TENANT})
    gone = res.add("+33622222222", "M. Paul Durand", {Role.TENANT})
    copy = back_up(db_url, tmp_path / "backups", wall())
    with db.transaction() as s:
        forget(s, res.ctx, s.get(Person, gone), actor="cli")
    db.dispose()

    lease = db.call(register_lease, "web")  # the bot still running on it
    result = _invoke(["restore", "--force", str(copy)], db_url)
    assert result.exit_code == 1
    assert "the bot is running on this database (web (pid" in result.output
    db.call(release, lease)
    db.dispose()
    result = _invoke(["restore", "--force", str(copy)], db_url)
    assert result.exit_code == 0, result.output
    assert f"erase them again (GDPR): entraide people forget ID --yes, for ID in {gone}" in (
        result.output
    )
    with db.transaction() as s:  # the copy is back, the erased person in it
        assert s.get(Person, gone).name == "M. Paul Durand"
        assert s.get(Person, kept).erased_at is None
