"""Test databases: a migrated SQLite file per test, and a throwaway PostgreSQL database per run.

PostgreSQL is used when it answers on 127.0.0.1:5432 (trust auth, user postgres). Each run
creates its own database with a unique name and drops only that one at the end; tests clean up
by truncating its tables, so migrations run once per back-end per run.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

PG_ADMIN_URL = os.environ.get(
    "ENTRAIDE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def postgres_available() -> bool:
    if os.environ.get("ENTRAIDE_TEST_NO_PG"):
        return False
    engine = sa.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 2})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        return True
    except Exception:
        return False
    finally:
        engine.dispose()


class PostgresRun:
    """One throwaway database for this test run, created migrated and dropped at the end."""

    def __init__(self) -> None:
        self.name = f"entraide_test_{os.getpid()}_{secrets.token_hex(4)}"
        base = sa.engine.make_url(PG_ADMIN_URL)
        self.url = base.set(database=self.name).render_as_string(hide_password=False)
        self._admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def create(self) -> str:
        from models.migrate import upgrade

        with self._admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{self.name}"'))
        upgrade(self.url)
        return self.url

    def truncate(self) -> None:
        from models import Base

        engine = sa.create_engine(self.url)
        try:
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            with engine.begin() as conn:
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        finally:
            engine.dispose()

    def drop(self) -> None:
        with self._admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self._admin.dispose()


class SqliteTemplate:
    """A migrated SQLite file copied for each test (migrating per test would be slow)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "template.db"

    def create(self) -> None:
        from models.migrate import upgrade

        upgrade(f"sqlite:///{self.path}")

    def copy_to(self, folder: Path) -> str:
        target = folder / "entraide.db"
        shutil.copyfile(self.path, target)
        return f"sqlite:///{target}"


@contextmanager
def scratch_database(like: str, folder: Path, suffix: str) -> Iterator[str]:
    """A second, empty (unmigrated) database on the back-end of `like`, gone afterwards: a
    restore's target, or a database built migration by migration."""
    if like.startswith("sqlite"):
        yield f"sqlite:///{folder / f'{suffix}.db'}"
        return
    name = f"{sa.engine.make_url(like).database}_{suffix}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(like).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
