"""Shared fixtures: the database on every back-end, the clock, the configuration.

`db` is parametrised over SQLite and (when it answers) PostgreSQL, the way aiogram runs one
storage suite against each back-end: a test that takes `db` runs once per back-end.
"""

from __future__ import annotations

import os

os.environ.setdefault("PTB_TIMEDELTA", "true")  # PTB 22: retry_after as timedelta, no warning

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.db import PostgresRun, SqliteTemplate, postgres_available
from tests.fakes.fixtures import (  # noqa: F401 - fixtures
    fake_telegram,
    fake_twilio,
    recording_server,
    twilio_client,
)

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ["sqlite"] + (["postgresql"] if postgres_available() else [])
_ran: set[str] = set()


def pytest_report_header(config: pytest.Config) -> str:
    return "database back-ends: " + ", ".join(BACKENDS)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Under pytest-xdist each worker tells the controller which back-ends it ran."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["backends"] = sorted(_ran)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    _ran.update(getattr(node, "workeroutput", {}).get("backends", []))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    missing = "" if "postgresql" in BACKENDS else " (PostgreSQL did not answer: not tested)"
    ran = ", ".join(sorted(_ran)) or "none"
    terminalreporter.write_line(f"database back-ends exercised: {ran}{missing}")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    template = SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))
    template.create()
    return template


@pytest.fixture(scope="session")
def _postgres() -> Iterator[PostgresRun]:
    run = PostgresRun()
    run.create()
    try:
        yield run
    finally:
        run.drop()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database URL on one back-end."""
    _ran.add(request.param)
    if request.param == "sqlite":
        yield request.getfixturevalue("_sqlite_template").copy_to(tmp_path)
        return
    pg: PostgresRun = request.getfixturevalue("_postgres")
    pg.truncate()
    yield pg.url


@pytest.fixture
def db(db_url: str) -> Iterator[object]:
    from models.db import Database

    database = Database(db_url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def clock() -> object:
    """Tuesday 24 November 2026, 10:00 in Paris."""
    from models.clock import FrozenClock

    return FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))


@pytest.fixture
def config() -> object:
    from models.config import load_config

    return load_config(ROOT / "entraide.example.toml")
