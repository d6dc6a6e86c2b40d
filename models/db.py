"""Engines, sessions and units of work, on SQLite (embedded default) and PostgreSQL.

One handler call is one transaction. The web server runs these short synchronous units of work
in a worker pool so the event loop never stalls; on SQLite the pool has one thread (one writer
at a time is what SQLite does anyway, and queueing in Python is cheaper than `database is
locked` retries), on PostgreSQL several.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")


def normalise_url(url: str | URL) -> URL:
    """`postgresql://` means psycopg 3 here (SQLAlchemy's default would be psycopg2)."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u


def make_engine(url: str | URL, *, pool_size: int = 8) -> Engine:
    u = normalise_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            u, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=pool_size
        )
        _sqlite_pragmas(engine)
        return engine
    # No pool_pre_ping: it costs a round trip on every transaction. A connection PostgreSQL
    # dropped fails its transaction, SQLAlchemy then discards the pool's stale connections, and
    # the webhook answers 503 so the provider sends the message again.
    return sa.create_engine(u, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800)


def _sqlite_pragmas(engine: Engine) -> None:
    """WAL, foreign keys, and BEGIN IMMEDIATE so two writers queue instead of deadlocking."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (SQLAlchemy's recipe)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """An engine, its session factory and the worker pool that runs units of work."""

    def __init__(self, url: str | URL, *, workers: int | None = None) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        n = workers or (1 if self.is_sqlite else 4)
        self.engine = make_engine(self.url, pool_size=max(n, 2))
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._executor: ThreadPoolExecutor | None = None
        self._workers = n

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside one transaction: committed on success, rolled back on error."""
        with self.sessions.begin() as session:
            yield session

    def call(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run `fn(session, *args)` as one unit of work, synchronously."""
        with self.transaction() as session:
            return fn(session, *args, **kwargs)

    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run `fn(session, *args)` as one unit of work in the worker pool."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self._workers, thread_name_prefix="db")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, functools.partial(self.call, fn, *args, **kwargs)
        )

    async def run_plain(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run `fn(*args)` in the worker pool; `fn` opens its own units of work (retries)."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self._workers, thread_name_prefix="db")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def dispose(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        self.engine.dispose()


def insert_ignoring(
    table: sa.Table, conflict: tuple[str, ...], returning: str | None = "id"
) -> sa.TextClause:
    """`INSERT … ON CONFLICT (…) DO NOTHING RETURNING id`, as one typed statement built once.

    SQLAlchemy's dialect `insert().on_conflict_do_nothing()` cannot be cached and is compiled
    again on every call; this runs on every message. SQLite (3.35+) and PostgreSQL share the
    syntax; the bind parameters keep their column types (UTC timestamps, JSON).
    With `returning=None` there is no RETURNING: the statement can then run as one
    executemany over many rows, its rowcount the number inserted (both drivers sum it).
    """
    cols = [c for c in table.columns if not (c.primary_key and c.autoincrement is not False)]
    sql = (
        f"INSERT INTO {table.name} ({', '.join(c.name for c in cols)}) "
        f"VALUES ({', '.join(':' + c.name for c in cols)}) "
        f"ON CONFLICT ({', '.join(conflict)}) DO NOTHING"
    )
    if returning is None:
        return sa.text(sql).bindparams(*(sa.bindparam(c.name, type_=c.type) for c in cols))
    return (
        sa.text(f"{sql} RETURNING {returning}")
        .bindparams(*(sa.bindparam(c.name, type_=c.type) for c in cols))
        .columns(sa.column(returning, sa.Integer))
    )
