"""Channel senders for a command that sends without receiving (`entraide rounds send`,
`entraide scheduler`): the outbox dispatcher with whatever channels are configured."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import sqlalchemy as sa

from bot.channels import build_adapters
from bot.service import Service
from models.base import OutboxStatus
from models.messages import OutboxMessage
from scheduler.dispatcher import Dispatcher


@contextlib.asynccontextmanager
async def dispatcher_for(service: Service, *, polling: bool = False) -> AsyncIterator[Dispatcher]:
    """The outbox dispatcher with the channels configured. `polling`: this process is also the
    one that receives Telegram updates (the scheduler process beside several web workers)."""
    settings = service.rt.settings
    receive = polling and settings.telegram_mode == "polling"
    adapters = build_adapters(settings, service, receive=receive)
    telegram = adapters.telegram
    if telegram is not None:
        if receive:
            await telegram.start()
        else:
            await telegram.app.initialize()
    dispatcher = Dispatcher(service.ctx, service.rt.db.run, adapters.senders())
    try:
        yield dispatcher
    finally:
        dispatcher.close()
        if telegram is not None:
            if telegram.app.updater is not None:
                await telegram.stop()
            else:
                await telegram.app.shutdown()


async def drain(dispatcher: Dispatcher, limit: float = 60.0) -> None:
    """Send what is due now, until nothing is left or `limit` seconds passed."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if not await dispatcher.tick():
            return
        await asyncio.sleep(0)


def outbox_summary(service: Service, since: object) -> list[str]:
    """What happened to the messages queued since `since`, by channel and status."""

    def count(session: sa.orm.Session) -> list[tuple[str, str, str, int]]:
        return [
            (kind, channel, status.value if hasattr(status, "value") else str(status), n)
            for kind, channel, status, n in session.execute(
                sa.select(
                    OutboxMessage.kind, OutboxMessage.channel, OutboxMessage.status, sa.func.count()
                )
                .where(OutboxMessage.created_at >= since)
                .group_by(OutboxMessage.kind, OutboxMessage.channel, OutboxMessage.status)
                .order_by(OutboxMessage.kind, OutboxMessage.channel)
            ).all()
        ]

    rows = service.rt.db.call(count)
    lines = [f"  {kind:<12} {channel:<9} {status:<9} {n}" for kind, channel, status, n in rows]
    if any(
        channel == "console" and status == OutboxStatus.PENDING.value
        for _, channel, status, _ in rows
    ):
        lines.append("  (console messages wait for `entraide chat --phone …` of their recipient)")
    return lines
