"""This process's lease (models/leases.py): taken at start, renewed every few seconds, given
back on a clean stop. The messages this process handles carry its id, so that if it dies the
answers it owed are sent at once by another process, and while it lives, by nobody else.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from models.context import Context
from models.db import Database
from models.leases import BEAT, beat, register, release

log = logging.getLogger("entraide.lease")


class LeaseKeeper:
    def __init__(self, db: Database, ctx: Context, role: str) -> None:
        self.db, self.ctx, self.role = db, ctx, role
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Take the lease before the first message is handled (its id goes on the message)."""
        self.ctx.process = await self.db.run(register, self.role)
        self._task = asyncio.create_task(self._renew())

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(BEAT.total_seconds())
            lease = self.ctx.process
            if lease is None:
                return
            try:
                if not await self.db.run(beat, lease):
                    # We were taken for dead (the database unreachable for longer than the
                    # lease, or the machine suspended): what we owed was taken over; from now
                    # on our messages carry a new lease.
                    self.ctx.process = await self.db.run(register, self.role)
                    log.warning("process lease %s was taken over; renewed as a new one", lease)
            except Exception as exc:  # the database away: keep trying, the lease may lapse
                log.warning("process lease not renewed (%s)", type(exc).__name__)

    async def stop(self) -> None:
        """Give the lease back: anything still unsent can be taken over at once."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        lease, self.ctx.process = self.ctx.process, None
        if lease is not None:
            try:
                await self.db.run(release, lease)
            except Exception as exc:
                log.warning("process lease not released (%s): it lapses by itself", exc)
