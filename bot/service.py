"""The core as the adapters see it: a message in, an outcome out, as one unit of work."""

from __future__ import annotations

from collections.abc import Collection

from bot.metrics import count_inbound
from bot.runtime import Runtime
from handlers import inbound
from handlers.types import Inbound, Outcome
from models.context import Context


class Service:
    def __init__(self, rt: Runtime, channels: Collection[str] = ()) -> None:
        self.rt = rt
        self.ctx = Context(rt.config, rt.clock, rt.site_ids, frozenset(channels))

    async def handle(self, msg: Inbound) -> Outcome:
        """Handle in the database worker pool: the event loop never waits on the database."""
        try:
            outcome = await self.rt.db.run_plain(
                inbound.handle_safely, self.rt.db.call, self.ctx, msg
            )
        except Exception:
            count_inbound(msg.channel, None)
            raise
        count_inbound(msg.channel, outcome)
        return outcome

    def handle_now(self, msg: Inbound) -> Outcome:
        try:
            outcome = inbound.handle_safely(self.rt.db.call, self.ctx, msg)
        except Exception:
            count_inbound(msg.channel, None)
            raise
        count_inbound(msg.channel, outcome)
        return outcome
