"""The core as the adapters see it: a message in, an outcome out, as one unit of work."""

from __future__ import annotations

from collections.abc import Collection

from bot.runtime import Runtime
from handlers import inbound
from handlers.context import Context
from handlers.types import Inbound, Outcome


class Service:
    def __init__(self, rt: Runtime, channels: Collection[str] = ()) -> None:
        self.rt = rt
        self.ctx = Context(rt.config, rt.clock, rt.site_ids, frozenset(channels))

    async def handle(self, msg: Inbound) -> Outcome:
        """Handle in the database worker pool: the event loop never waits on the database."""
        try:
            return await self.rt.db.run(inbound.handle, self.ctx, msg)
        except inbound.DuplicateRace:
            return await self.rt.db.run(inbound.replay, msg)

    def handle_now(self, msg: Inbound) -> Outcome:
        return inbound.handle_or_replay(self.rt.db.call, self.ctx, msg)
