"""The outbox dispatcher: sends what the core queued, once, in order per recipient.

A row is claimed (status `sending`, with a lease) in a short transaction using
`FOR UPDATE SKIP LOCKED`, so several dispatchers on PostgreSQL never take the same row; it is
sent; the result is recorded. Retryable failures (rate limits, 5xx, network, a carrier's
passing trouble) come back after 5 × (attempt + 1) minutes or the server's `retry_after`; after
3 attempts, or at once on a permanent error (a blocked bot, an unsubscribed or invalid number),
the person is marked, another channel is tried where one exists, and coordinators are told.
Expired rows are never sent. A row found still `sending` after its lease (the process died) is
sent again if its call had not begun (`started_at`); if it had, it is not sent again blindly: a
`Recallable` provider (Twilio) is asked whether it left; otherwise (Telegram) it is counted as
sent and coordinators are told. A `Grouping` sender (a phone call) gets every row due for one
recipient at once: one call reads them all. Which provider error is which is the adapters' business
(bot/channels/); the rows' units of work are in `scheduler.outbox_rows`.

Answers a channel sends after acknowledging (Telegram) and never noted as sent are queued here
too: every few seconds those of processes that died (their lease, models/leases.py), once a
minute this process's own and unowned ones after a grace (handlers/unsent.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from handlers.unsent import queue_unsent, take_over
from models.context import Context
from models.leases import TTL
from scheduler.outbox_rows import (
    BATCH,
    Claimed,
    claim,
    mark_started,
    record_result,
    release,
    settle_stale,
    stale,
)
from scheduler.sending import CALL_STARTS, Grouping, Recallable, Sender, SendResult

log = logging.getLogger("entraide.outbox")

SWEEP_EVERY = 60.0  # seconds between two looks for rows left `sending` and answers never sent
TAKE_OVER_EVERY = 5.0  # seconds between two looks for processes that died owing answers


class Steadiness:
    """Whether this process has watched the leases long enough to judge others by time
    (`models.leases.TTL`): not just after it started, after a failed tick (the database away)
    or after a gap between ticks (the machine asleep). Until then an old lease may be a live
    process that could not renew it either; only released leases and pids gone count."""

    GAP = 20.0  # seconds between two ticks that mean we were not watching (a long batch is less)

    def __init__(self, ttl: float = TTL.total_seconds()) -> None:
        self.ttl = ttl
        self._since: float | None = None
        self._last: float | None = None

    def tick(self, now: float) -> bool:
        """A tick at wall time `now`; whether time can judge leases now."""
        if self._since is None or self._last is None or now - self._last > self.GAP:
            self._since = now
        self._last = now
        return now - self._since >= self.ttl

    def failed(self) -> None:
        self._since = None


class Dispatcher:
    def __init__(
        self,
        ctx: Context,
        run: Callable[..., Awaitable[Any]],
        senders: Mapping[str, Sender | None],
    ) -> None:
        self.ctx, self.run_db = ctx, run
        self.senders = {k: v for k, v in senders.items() if v is not None}
        self._io = ThreadPoolExecutor(8, thread_name_prefix="send")
        self._last: dict[str, float] = {}
        self.wake = asyncio.Event()
        self._recovered = False
        self._swept = float("-inf")
        self._looked = float("-inf")
        self.steady = Steadiness()
        # channels whose direct answers leave after the acknowledgement (Telegram): an answer
        # never noted as sent is queued here (handlers/unsent.py)
        self._after_ack = [c for c, s in self.senders.items() if s.replies_after_ack]
        # channels that take every message due for one recipient at once (a phone call)
        self._grouped = [
            c for c, s in self.senders.items() if getattr(s, "groups_per_recipient", False)
        ]

    async def tick(self) -> int:
        """Send everything due now; how many messages were attempted."""
        if not self.senders:
            return 0
        due = time.monotonic() - self._swept > SWEEP_EVERY
        if not self._recovered or due:  # at start, then now and then: rows a failed tick left
            await self._recover()
            self._recovered = True
        if due:
            self._swept = time.monotonic()
            if self._after_ack:
                await self.run_db(queue_unsent, self.ctx, self._after_ack)
        by_time = self.steady.tick(time.time())
        if time.monotonic() - self._looked > TAKE_OVER_EVERY:
            self._looked = time.monotonic()
            await self.run_db(take_over, self.ctx, self._after_ack, by_time)
        rows: list[Claimed] = await self.run_db(
            claim, self.ctx, list(self.senders), grouped=self._grouped
        )
        if not rows:
            return 0
        by_recipient: dict[tuple[str, str], list[Claimed]] = defaultdict(list)
        for row in rows:
            by_recipient[(row.channel, row.address)].append(row)
        limit = asyncio.Semaphore(BATCH)

        async def one_recipient(batch: list[Claimed]) -> None:
            async with limit:
                sender = self.senders[batch[0].channel]
                if isinstance(sender, Grouping) and sender.groups_per_recipient:
                    result = await self._send_group(sender, batch)
                    for row in batch:
                        await self.run_db(record_result, self.ctx, row.id, result)
                    return
                for i, row in enumerate(batch):
                    result = await self._send(row)
                    await self.run_db(record_result, self.ctx, row.id, result)
                    if not result.ok:  # keep order: the rest waits for this one
                        await self.run_db(release, [r.id for r in batch[i + 1 :]])
                        return

        await asyncio.gather(*(one_recipient(b) for b in by_recipient.values()))
        return len(rows)

    async def _send(self, row: Claimed) -> SendResult:
        sender = self.senders[row.channel]
        if sender.per_recipient_gap:
            gap = sender.per_recipient_gap - (time.monotonic() - self._last.get(row.address, 0.0))
            if gap > 0:
                await asyncio.sleep(gap)
        started = self.run_db(mark_started, row.id, self.ctx.now())
        late = getattr(sender, "marks_start", False)
        if late:
            token = CALL_STARTS.set(lambda: started)  # marked when the request leaves
        else:
            await started
        try:
            if asyncio.iscoroutinefunction(sender.send):
                result = await sender.send(row.address, row.payload)
            else:  # a blocking client (twilio's): run it off the event loop
                loop = asyncio.get_running_loop()
                result = await loop.run_in_executor(self._io, sender.send, row.address, row.payload)
        except Exception as exc:  # a sender must not kill the loop
            log.exception("outbox #%d: sender raised", row.id)
            result = SendResult(False, error=f"{type(exc).__name__}: {exc}"[:300])
        finally:
            if late:
                if CALL_STARTS.get() is not None:  # never reached the provider
                    started.close()
                CALL_STARTS.reset(token)
        self._last[row.address] = time.monotonic()
        return result

    async def _send_group(self, sender: Grouping, batch: list[Claimed]) -> SendResult:
        """Every message due for one recipient, handed over at once (one phone call)."""
        for row in batch:
            await self.run_db(mark_started, row.id, self.ctx.now())
        loop = asyncio.get_running_loop()
        rows = [(row.id, row.payload) for row in batch]
        try:
            return await loop.run_in_executor(self._io, sender.send_group, batch[0].address, rows)
        except Exception as exc:  # a sender must not kill the loop
            log.exception("outbox #%d…: sender raised", batch[0].id)
            return SendResult(False, error=f"{type(exc).__name__}: {exc}"[:300])

    async def _recover(self) -> None:
        rows: list[Claimed] = await self.run_db(stale, self.ctx)
        for row in rows:
            sender = self.senders.get(row.channel)
            sid = None
            can_ask = isinstance(sender, Recallable)
            if can_ask:
                since = self.ctx.now() - timedelta(hours=6)
                loop = asyncio.get_running_loop()
                sid = await loop.run_in_executor(
                    self._io, sender.sent_since, row.address, row.payload.get("text", ""), since
                )
            await self.run_db(settle_stale, self.ctx, row.id, sid, can_ask)

    async def run_forever(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        while not stop.is_set():
            try:
                sent = await self.tick()
            except Exception:
                log.exception("outbox dispatcher tick failed")
                self.steady.failed()
                sent = 0
            if sent:
                continue
            self.wake.clear()
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self.wake.wait())]
            _done, pending = await asyncio.wait(
                waiters, timeout=interval, return_when=asyncio.FIRST_COMPLETED
            )
            for w in pending:
                w.cancel()

    def close(self) -> None:
        self._io.shutdown(wait=True)
