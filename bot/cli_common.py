"""What every command-line module shares: one-line failures, the pretend clock of `--at`, and
sending what a command queued."""

from __future__ import annotations

from typing import Any, NoReturn

import typer


def fail(message: str) -> NoReturn:
    """One clear line on stderr and exit code 2: a wrong value or key never gets a traceback."""
    typer.echo(f"entraide: {message}", err=True)
    raise typer.Exit(2)


def clock_at(at: str | None, *, frozen: bool = False) -> Any:
    """The real clock, or one set to `at` (local time of Europe/Paris unless given) for trials
    and training: shifted (time still passes) or frozen."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from models.clock import FrozenClock, ShiftedClock, SystemClock

    if not at:
        return SystemClock()
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        fail(f"--at {at!r}: expected a date and time like 2026-11-24T10:00")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Europe/Paris"))
    return FrozenClock(moment) if frozen else ShiftedClock(moment)


def send_queued(service: Any, since: Any) -> None:
    """Send what is due with the channels configured here, then say what became of it."""
    import asyncio

    from bot.senders import dispatcher_for, drain, outbox_summary

    async def go() -> None:
        async with dispatcher_for(service) as dispatcher:
            await drain(dispatcher)

    asyncio.run(go())
    for line in outbox_summary(service, since):
        typer.echo(line)
