"""Consistent copies of the database while the service runs, and putting one back.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies pages under a read
transaction, so the copy is one consistent state even while the bot writes; copying the file
with `cp` is not (the WAL holds the newest pages, and a write can land mid-copy). PostgreSQL:
`pg_dump` reads one snapshot (repeatable read) in the custom format, restored by `pg_restore`.
pg_dump refuses a server newer than itself, so the binary of the server's own major version is
taken when it is installed side by side (Debian's /usr/lib/postgresql/N/bin).

A copy is written under a temporary name and renamed when complete: a crash or a full disk
leaves no half file among the backups, and retention never counts one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL

from models.db import make_engine, normalise_url
from models.leases import TTL, ProcessLease, wall

PREFIX = "entraide-"
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
# A database "holds data" when any of these has a row: what a restore would destroy. Sites and
# items alone are the configuration mirrored at every start.
DATA_TABLES = ("people", "orders", "standing_orders", "inbound_messages", "outbox")


class BackupError(Exception):
    """Something the person running the command can act on: one line, said as is."""


@dataclass(frozen=True)
class BackupPlan:
    """Where the daily backups go and how many are kept (0: no daily backup)."""

    folder: Path
    keep: int


def backend(url: str | URL) -> str:
    return normalise_url(url).get_backend_name()


def backup_name(url: str | URL, now: datetime) -> str:
    """entraide-20261207-040000.sqlite3: sorted by name is sorted by date (UTC)."""
    return f"{PREFIX}{now.astimezone(UTC):%Y%m%d-%H%M%S}{SUFFIX[backend(url)]}"


def backups(folder: Path, url: str | URL) -> list[Path]:
    """Our backups in `folder` for this back-end, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{PREFIX}*{SUFFIX[backend(url)]}"))


def back_up(url: str | URL, folder: Path, now: datetime, keep: int = 0) -> Path:
    """A consistent copy of the database in `folder`, named by date; then only the `keep` most
    recent are kept (0: keep all)."""
    target = folder / backup_name(url, now)
    partial = target.with_name(target.name + ".partial")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if backend(url) == "sqlite":
            _sqlite_copy(_sqlite_file(url), partial)
        else:
            _pg_dump(url, partial)
        os.replace(partial, target)
    except OSError as exc:  # a full disk, a folder we cannot write
        raise BackupError(f"{folder}: cannot write the backup ({exc.strerror or exc})") from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    prune(folder, url, keep)
    return target


def prune(folder: Path, url: str | URL, keep: int) -> list[Path]:
    """Remove all but the `keep` most recent backups; those removed."""
    if keep <= 0:
        return []
    old = backups(folder, url)[:-keep]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def holds_data(url: str | URL) -> bool:
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            present = set(sa.inspect(conn).get_table_names())
            return any(
                conn.execute(sa.text(f'SELECT 1 FROM "{t}" LIMIT 1')).first() is not None
                for t in DATA_TABLES
                if t in present
            )
    finally:
        engine.dispose()


def erased(url: str | URL) -> set[int]:
    """The people this database has erased (its audit log's `forget` lines): a restore of an
    older backup brings them back, and they must be erased again."""
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            if "audit_log" not in sa.inspect(conn).get_table_names():
                return set()
            targets = conn.execute(
                sa.text("SELECT target FROM audit_log WHERE action = 'forget'")
            ).scalars()
            return {int(t.split(":")[1]) for t in targets if t.startswith("person:")}
    finally:
        engine.dispose()


def not_erased(url: str | URL, ids: set[int]) -> list[int]:
    """Those of `ids` this database still holds unerased."""
    if not ids:
        return []
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT id FROM people WHERE erased_at IS NULL AND id IN :ids").bindparams(
                    sa.bindparam("ids", expanding=True)
                ),
                {"ids": sorted(ids)},
            ).scalars()
            return sorted(rows)
    finally:
        engine.dispose()


def running(url: str | URL) -> list[str]:
    """The processes of the bot using this database now (a fresh lease, models/leases.py)."""
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            if ProcessLease.__tablename__ not in sa.inspect(conn).get_table_names():
                return []
            rows = conn.execute(
                sa.select(ProcessLease.role, ProcessLease.host, ProcessLease.pid).where(
                    ProcessLease.stopped_at.is_(None), ProcessLease.beat_at >= wall() - TTL
                )
            ).all()
            return [f"{role} (pid {pid} on {host.split('/')[0]})" for role, host, pid in rows]
    finally:
        engine.dispose()


def restore(url: str | URL, file: Path, *, force: bool = False) -> None:
    """Put a backup back into the database of `url`, which must hold no data unless `force`:
    then everything in it is replaced. Never under a running bot: it would go on with what it
    holds in memory, and on PostgreSQL hold the tables the restore must drop."""
    if not file.is_file():
        raise BackupError(f"{file}: no such file")
    busy = running(url)
    if busy:
        raise BackupError(
            f"the bot is running on this database ({', '.join(busy)}): stop it, then restore"
        )
    kind = "sqlite" if file.name.endswith(SUFFIX["sqlite"]) or _is_sqlite(file) else "postgresql"
    if kind != backend(url):
        raise BackupError(
            f"{file} is a {kind} backup and the database is {backend(url)}: restore it into a "
            f"{kind} database"
        )
    if not force and holds_data(url):
        raise BackupError(
            "the database already holds data (people, orders or messages): restore into an "
            "empty database, or add --force to replace everything in it"
        )
    if kind == "sqlite":
        _sqlite_copy(file, _sqlite_file(url))
    else:
        _pg_restore(url, file)
    _forget_leases(url)


def _forget_leases(url: str | URL) -> None:
    """The copy holds the leases of the processes running when it was made: none of them is
    running on the restored database (and a fresh one would refuse the next restore)."""
    engine = make_engine(url, pool_size=1)
    try:
        with engine.begin() as conn:
            if ProcessLease.__tablename__ in sa.inspect(conn).get_table_names():
                conn.execute(sa.delete(ProcessLease))
    finally:
        engine.dispose()


# --- SQLite --------------------------------------------------------------------------------------
def _sqlite_file(url: str | URL) -> Path:
    database = normalise_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _is_sqlite(file: Path) -> bool:
    with file.open("rb") as f:
        return f.read(16) == b"SQLite format 3\x00"


def _sqlite_copy(source: Path, target: Path) -> None:
    """Page by page under a read transaction (the online backup API); the writers of a running
    service wait at most the time of one step."""
    if not source.is_file():
        raise BackupError(f"{source}: no such database file")
    if not _is_sqlite(source):
        raise BackupError(f"{source}: not an SQLite database")
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)  # in one step: a writer between steps would restart the copy
        check = dst.execute("PRAGMA integrity_check").fetchone()
        if check is None or check[0] != "ok":
            raise BackupError(f"{target}: the copy is damaged ({check})")
    except sqlite3.Error as exc:
        raise BackupError(f"{source}: {exc}") from None
    finally:
        dst.close()
        src.close()
    with contextlib.suppress(OSError):
        target.chmod(0o600)  # it names people, like the database


# --- PostgreSQL ----------------------------------------------------------------------------------
def _libpq(url: str | URL) -> tuple[str, dict[str, str]]:
    """The URL for libpq tools, without the password (given in the environment, never on a
    command line that `ps` shows)."""
    u = normalise_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    plain = u.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _server_major(url: str | URL) -> int:
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SHOW server_version_num")).scalar_one()) // 10000
    except sa.exc.OperationalError as exc:
        raise BackupError(f"the database does not answer ({exc.orig})") from None
    finally:
        engine.dispose()


def pg_tool(name: str, major: int) -> str:
    """pg_dump / pg_restore of the server's major version if installed, else the one on PATH."""
    own = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if own.is_file():
        return str(own)
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} not found: install the PostgreSQL {major} client "
            f"(Debian: apt install postgresql-client-{major})"
        )
    return found


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise BackupError(f"{Path(args[0]).name} failed: {lines[0] if lines else done.returncode}")


def _pg_dump(url: str | URL, target: Path) -> None:
    conninfo, env = _libpq(url)
    tool = pg_tool("pg_dump", _server_major(url))
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    _run([tool, "--format=custom", "--no-owner", "--no-privileges", "-f", str(target),
          "-d", conninfo], env)  # fmt: skip


def _pg_restore(url: str | URL, file: Path) -> None:
    conninfo, env = _libpq(url)
    tool = pg_tool("pg_restore", _server_major(url))
    engine = make_engine(url, pool_size=1)
    try:  # a fresh schema: pg_restore creates every table, sequence and index of the backup
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    _run([tool, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
          "-d", conninfo, str(file)], env)  # fmt: skip
