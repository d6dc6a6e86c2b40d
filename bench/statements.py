"""SQL statements per message: `inbound.handle_safely` on the demo residence (SQLite) for each
bench text, first at 20 s intervals (a conversation in progress), then again an hour apart (the
conversation lapsed). Prints the count per message and, for the first message (or all with -v),
the first line of each statement. Issue 17: fewer statements per message is the cheapest CPU.

    .venv/bin/python bench/statements.py [-v] [TEXT ...]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

import sqlalchemy as sa  # noqa: E402

from bench.common import TEXTS  # noqa: E402
from bot.demo import load_demo  # noqa: E402
from handlers import inbound  # noqa: E402
from handlers.types import Inbound  # noqa: E402
from models.clock import FrozenClock  # noqa: E402
from models.config import load_config  # noqa: E402
from models.context import Context  # noqa: E402
from models.db import Database  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.sync import sync_config  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("texts", nargs="*")
    args = ap.parse_args()
    url = f"sqlite:///{tempfile.mkdtemp()}/statements.db"
    upgrade(url)
    config = load_config("entraide.example.toml")
    clock = FrozenClock(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    db = Database(url)
    with db.transaction() as session:
        ids = sync_config(session, config, clock)
        load_demo(session, config, ids, clock)
    ctx = Context(config, clock, ids, frozenset({"sms"}))
    log: list[str] = []

    def record(_conn, _cur, statement, _params, _ctx, _many) -> None:  # type: ignore[no-untyped-def]
        log.append(statement.split("\n")[0][:150])

    sa.event.listen(db.engine, "before_cursor_execute", record)
    texts = args.texts or TEXTS
    total = 0
    for i, text in enumerate(texts * 2):
        clock.advance(timedelta(seconds=20 if i < len(texts) else 4000))
        phone = "+33600000105"
        log.clear()
        msg = Inbound("sms", f"SM{uuid.uuid4().hex}", phone, text, clock.now(), phone=phone)
        out = inbound.handle_safely(db.call, ctx, msg)
        total += len(log)
        reply = repr(out.replies[0].text[:60]) if out.replies else "-"
        print(f"--- {text!r}: {len(log)} statements; reply {reply}")
        if i == 0 or args.verbose:
            for line in log:
                print("   ", line)
    print(f"total {total} statements for {len(texts) * 2} messages")


if __name__ == "__main__":
    main()
