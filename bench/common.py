"""What the benchmarks share: a fake Bot API in its own process, throwaway PostgreSQL
databases, and a migrated database filled with a large residence."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import secrets
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get(
    "ENTRAIDE_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _fake_child(conn: Connection, keepalive: bool) -> None:
    import sys

    sys.path.insert(0, str(ROOT))
    from tests.fakes.telegram_api import FakeBotAPI

    api = FakeBotAPI().start()
    conn.send((api.base_url, api.token, os.getpid()))
    while True:
        cmd = conn.recv()
        if cmd == "count":
            conn.send(len(api.sent))
        else:
            break
    api.stop()


class FakeAPIProcess:
    """The fake Telegram Bot API in a child process, so its CPU is not the bot's."""

    def __enter__(self) -> FakeAPIProcess:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_fake_child, args=(child, True), daemon=True)
        self.proc.start()
        self.base_url, self.token, self.pid = self.conn.recv()
        return self

    def sent(self) -> int:
        self.conn.send("count")
        return int(self.conn.recv())

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            self.conn.send("stop")
        self.proc.join(10)


@contextlib.contextmanager
def pg_database() -> Iterator[str]:
    """A throwaway PostgreSQL database for one benchmark run, dropped afterwards."""
    import sqlalchemy as sa

    name = f"entraide_bench_{os.getpid()}_{secrets.token_hex(3)}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def settings_for(url: str, **extra: str) -> Any:
    from bot.settings import Settings

    env = {"ENTRAIDE_DATABASE_URL": url, "ENTRAIDE_CONFIG": str(ROOT / "entraide.example.toml")}
    env.update({f"ENTRAIDE_{k.upper()}": v for k, v in extra.items()})
    return Settings.from_env(env, env_file=None)


def prepare_database(url: str, tenants: int = 3000) -> None:
    """Migrate and fill with `tenants` tenants (phones and Telegram ids as in bench/residence)."""
    from bench.residence import fill
    from models.migrate import upgrade

    upgrade(url)
    fill(tenants, None, settings_for(url))


# An afternoon of tenants' messages: what the handler benchmarks send (overhead, handling).
TEXTS = [
    "2 baguettes pour demain svp", "Bonjour, une baguette et un pack d'eau pour jeudi merci",
    "3 baguettes pour samedi", "un pack d'eau demain", "annuler ma commande de demain",
    "2 packs d'eau et 1 baguette pour après-demain", "bjr 1 baguete pr demain",
    "Je voudrais 2 pains pour mardi s'il vous plaît", "mes commandes", "merci beaucoup",
]  # fmt: skip
