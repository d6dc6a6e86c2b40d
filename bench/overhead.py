"""Handler overhead: entraide's handling of an order message, end to end in-process, against
python-telegram-bot's own minimal echo handler, measured in the same run.

Both sides are a PTB `Application` fed the same kind of Update objects with `process_update`
(no HTTP server in front), replying through the real Bot client to the same fake Bot API, which
runs in another process so its CPU is not counted. The figure is process CPU time per update.

    python bench/overhead.py [--n 2000] [--db sqlite|postgresql] [--profile]
Prints echo ms/update, entraide ms/update and the ratio (target: at most 3×).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("PTB_TIMEDELTA", "true")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402
from telegram.ext import Application, MessageHandler, filters  # noqa: E402

from bench.common import TEXTS, FakeAPIProcess, pg_database, prepare_database  # noqa: E402


def updates(bot: object, users: list[int], n: int, first_id: int) -> list[Update]:
    rng = random.Random(7)
    out = []
    for i in range(n):
        uid = users[i % len(users)]
        data = {
            "update_id": first_id + i,
            "message": {
                "message_id": 10 + i,
                "date": int(time.time()),
                "from": {"id": uid, "is_bot": False, "first_name": "Jeanne", "language_code": "fr"},
                "chat": {"id": uid, "type": "private", "first_name": "Jeanne"},
                "text": rng.choice(TEXTS),
            },
        }
        out.append(Update.de_json(data, bot))  # type: ignore[arg-type]
    return out


async def run_updates(
    app: Application, batch: list[Update], concurrency: int, drain: Any = None
) -> float:
    """CPU seconds spent processing `batch`, `concurrency` updates at a time, until every
    answer has left (`drain`: entraide acknowledges first and answers just after)."""
    queue = list(batch)
    start = time.process_time()

    async def worker() -> None:
        while queue:
            await app.process_update(queue.pop())

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    if drain is not None:
        await drain()
    return time.process_time() - start


async def echo_cost(api: FakeAPIProcess, n: int, concurrency: int) -> float:
    async def echo(update: Update, _context: object) -> None:
        assert update.message is not None
        await update.message.reply_text(update.message.text or "")

    app = Application.builder().token(api.token).base_url(api.base_url).updater(None).build()
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with app:
        users = list(range(10_000, 10_000 + 3000))
        await run_updates(app, updates(app.bot, users, 200, 1), concurrency)  # warm-up
        return await run_updates(app, updates(app.bot, users, n, 1000), concurrency) / n


async def entraide_cost(
    api: FakeAPIProcess, url: str, n: int, concurrency: int, profile: bool
) -> float:
    from bench.residence import FIRST_TG
    from bot.channels.telegram import TelegramChannel
    from bot.runtime import open_runtime
    from bot.service import Service
    from bot.settings import Settings
    from models.clock import FrozenClock

    settings = Settings.from_env(
        {
            "ENTRAIDE_DATABASE_URL": url,
            "ENTRAIDE_CONFIG": str(ROOT / "entraide.example.toml"),
            "ENTRAIDE_TELEGRAM_TOKEN": api.token,
            "ENTRAIDE_TELEGRAM_API_URL": api.base_url,
            "ENTRAIDE_TELEGRAM_MODE": "webhook",
            "ENTRAIDE_TELEGRAM_WEBHOOK_SECRET": "s",
            "ENTRAIDE_TELEGRAM_RATE": "1000",
        },
        env_file=None,
    )
    rt = open_runtime(settings, clock=FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)))
    channel = TelegramChannel(settings, Service(rt, {"telegram"}))
    try:
        await channel.app.initialize()
        users = list(range(FIRST_TG, FIRST_TG + 3000))
        warm = updates(channel.app.bot, users, 200, 1)
        await run_updates(channel.app, warm, concurrency, channel.drain)
        batch = updates(channel.app.bot, users, n, 1000)
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        cost = await run_updates(channel.app, batch, concurrency, channel.drain) / n
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return cost
    finally:
        await channel.app.shutdown()
        rt.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    p.add_argument("--profile", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeAPIProcess() as api:
        url_cm = pg_database() if args.db == "postgresql" else None
        url = url_cm.__enter__() if url_cm else f"sqlite:///{tmp}/overhead.db"
        try:
            prepare_database(url, tenants=3000)
            echo = asyncio.run(echo_cost(api, args.n, args.concurrency))
            ours = asyncio.run(entraide_cost(api, url, args.n, args.concurrency, args.profile))
        finally:
            if url_cm:
                url_cm.__exit__(None, None, None)
    print(
        f"handler overhead ({args.db}, n={args.n}, {args.concurrency} at a time, CPU per update):"
    )
    print(f"  python-telegram-bot echo  {echo * 1000:.3f} ms")
    print(f"  entraide order handling   {ours * 1000:.3f} ms")
    print(f"  ratio                     {ours / echo:.2f}x  (target: at most 3x)")


if __name__ == "__main__":
    main()
