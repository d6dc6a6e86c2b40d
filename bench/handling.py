"""CPU per message of the core alone: `inbound.handle_safely` on the demo residence (SQLite), no
channel in front, the same ten tenant messages as bench/overhead.py. Prints, never asserts.

    .venv/bin/python bench/handling.py [TREE] [--n 1000]

TREE (default: this repository) may be another checkout of the project, to compare two versions
in one run on a busy machine: the import paths of both layouts (before and after the one-way
layers) are tried. bench/overhead.py measures the same against PTB's echo, Telegram included.
"""

from __future__ import annotations

import argparse
import importlib
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import TEXTS


def first(*names: str) -> Any:
    """The first module of `names` that imports (the project's layout moved)."""
    for name in names:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    raise ImportError(names)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("tree", nargs="?", default=str(Path(__file__).resolve().parents[1]))
    ap.add_argument("--n", type=int, default=1000)
    args = ap.parse_args()
    sys.path.insert(0, args.tree)
    os.chdir(args.tree)
    config_mod = first("models.config", "bot.config")
    context_mod = first("models.context", "handlers.context")
    from bot.demo import load_demo
    from handlers import inbound
    from handlers.types import Inbound
    from models.clock import FrozenClock
    from models.db import Database
    from models.migrate import upgrade
    from models.sync import sync_config

    url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    upgrade(url)
    config = config_mod.load_config("entraide.example.toml")
    clock = FrozenClock(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    db = Database(url)
    with db.transaction() as session:
        site_ids = sync_config(session, config, clock)
        load_demo(session, config, site_ids, clock)
    ctx = context_mod.Context(config, clock, site_ids, frozenset({"sms"}))
    rng = random.Random(7)
    phones = [f"+336000001{i:02d}" for i in range(1, 41)]

    def run(n: int) -> None:
        for i in range(n):
            clock.advance(timedelta(seconds=20))
            phone = phones[i % len(phones)]
            text = rng.choice(TEXTS)
            msg = Inbound("sms", f"SM{uuid.uuid4().hex}", phone, text, clock.now(), phone=phone)
            inbound.handle_safely(db.call, ctx, msg)

    run(100)  # warm-up: caches, the speller, prepared statements
    start = time.process_time()
    run(args.n)
    took = time.process_time() - start
    print(f"{args.tree}: {took / args.n * 1000:.2f} ms CPU per message ({args.n} messages)")


if __name__ == "__main__":
    main()
