"""The Telegram channel, with python-telegram-bot v22: an Application, its handlers, inline
keyboards and its AIORateLimiter; polling by default, or a webhook on our Starlette app.

Callbacks only translate: an Update becomes an `Inbound`, the core answers, the replies become
messages with buttons. Updates of one chat are handled in order; different chats at once.

Why answers leave directly, not through the outbox: the answer is committed with the message,
then sent right after the 200, in order per chat; going through the outbox would add a claim and
a status write per answer and a hop through the dispatcher's wake-up, on the one path every
tenant waits on. What the direct path can lose (a crash between commit and send, a failed call)
is caught by the small sweep in `handlers/unsent.py`, which hands exactly those answers to the
outbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import os
from collections import defaultdict
from collections.abc import Awaitable
from datetime import timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("PTB_TIMEDELTA", "true")  # retry_after as a timedelta, without warnings

from sqlalchemy.exc import DBAPIError
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationHandlerStop,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.logs import Throttled
from bot.service import Service
from bot.settings import Settings
from handlers.texts import t
from handlers.types import Inbound, Outcome, Reply
from handlers.unsent import note_replied, queue_reply
from models.people import mark_telegram_blocked
from models.phones import international, mask
from scheduler.sending import SendResult, call_starts

log = logging.getLogger("entraide.telegram")

CHANNEL = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class MarkingLimiter(AIORateLimiter):  # type: ignore[type-arg]
    """PTB's rate limiter, telling the outbox when a request really leaves: a message that was
    still waiting its turn when the process died is then known not to have begun (sent again),
    not counted "in doubt" and lost (`scheduler.sending.CALL_STARTS`)."""

    async def process_request(  # type: ignore[override]
        self,
        callback: Any,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> Any:
        async def leaving(*a: Any, **k: Any) -> Any:
            await call_starts()
            return await callback(*a, **k)

        return await super().process_request(leaving, args, kwargs, endpoint, data, rate_limit_args)


def seconds(value: float | timedelta | None) -> float | None:
    if value is None:
        return None
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class PerChatProcessor(BaseUpdateProcessor):
    """Up to N updates at once, but one chat's updates strictly in order (a tenant's answer
    must never overtake the order it answers)."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks[chat.id]
        try:
            async with lock:
                await coroutine
        finally:
            if not lock.locked() and chat.id in self._locks:
                del self._locks[chat.id]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def keyboard(reply: Reply) -> Any:
    """Choices as a row of buttons, the help menu as a grid, or the contact button."""
    if reply.choices:
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(c.label, callback_data=c.value) for c in reply.choices]]
        )
    if reply.menu:
        buttons = [InlineKeyboardButton(c.label, callback_data=c.value) for c in reply.menu]
        return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])
    if reply.ask_contact:
        share = KeyboardButton(t(reply.lang, "registration.share_button"), request_contact=True)
        return ReplyKeyboardMarkup([[share]], one_time_keyboard=True, resize_keyboard=True)
    return None


# Answers in flight at once, and the Bot API connections they need (plus a few for the calls
# a handler makes itself: a button's answerCallbackQuery and edit). httpcore checks every
# connection of its pool on each request (is it expired, has the server closed it: a
# getpeername and a poll each), so idle connections cost every answer; eight in flight carry
# far more than Telegram's 30 messages a second even at a 100 ms round trip.
SENDS_IN_FLIGHT = 8
BOT_API_CONNECTIONS = SENDS_IN_FLIGHT + 4


class TelegramChannel:
    replies_after_ack = True  # the dispatcher looks for answers that never left
    per_recipient_gap = 1.05  # Telegram: about one message a second per chat
    marks_start = True  # the limiter marks an outbox row started when its request leaves

    def __init__(self, settings: Settings, service: Service, *, receive: bool = True) -> None:
        assert settings.telegram_token is not None
        self.settings, self.service = settings, service
        builder = (
            Application.builder()
            .token(settings.telegram_token.get_secret_value())
            .base_url(settings.telegram_api_url)
            .base_file_url(settings.telegram_api_url.removesuffix("/bot") + "/file/bot")
            .rate_limiter(MarkingLimiter(overall_max_rate=settings.telegram_rate, max_retries=1))
            .concurrent_updates(PerChatProcessor(64))
            .connection_pool_size(BOT_API_CONNECTIONS)
            .pool_timeout(10)
        )
        if settings.telegram_mode == "webhook" or not receive:
            builder = builder.updater(None)
        self.app = builder.build()
        self._replied: list[int] = []
        self._chat_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._db_failed: dict[int, bool] = {}
        self._flusher: asyncio.Task[None] | None = None
        self._sending: dict[int, asyncio.Task[None]] = {}  # per chat: the last reply being sent
        # answers in flight at once: beyond this the webhook waits (httpx's pool slows down
        # with many connections or queued requests, and Telegram's rate is the limit anyway)
        self._in_flight = asyncio.Semaphore(SENDS_IN_FLIGHT)
        self.forged = Throttled(log)  # forged requests: a line a minute, not one each
        self._wire()

    # --- wiring -------------------------------------------------------------------------------
    def _wire(self) -> None:
        new = filters.UpdateType.MESSAGE
        self.app.add_handler(TypeHandler(Update, self.on_not_private), group=-1)
        self.app.add_handler(MessageHandler(new & filters.COMMAND, self.on_command))
        self.app.add_handler(MessageHandler(new & filters.CONTACT, self.on_contact))
        self.app.add_handler(MessageHandler(new & filters.TEXT, self.on_text))
        self.app.add_handler(CallbackQueryHandler(self.on_button))
        self.app.add_handler(MessageHandler(new, self.on_unreadable))
        self.app.add_handler(TypeHandler(Update, self.on_ignored))
        self.app.add_error_handler(self.on_error)

    async def start(self) -> None:
        """Connect in the background: Telegram being unreachable at start-up must not keep
        the rest of the bot (SMS, the scheduler, the console) from running."""
        self._flusher = asyncio.create_task(self._flush_replied())
        self._connecting = asyncio.create_task(self._connect())

    @property
    def ready(self) -> bool:
        """The bot can call the Bot API (initialised: it knows who it is)."""
        return bool(self.app._initialized)

    async def _connect(self) -> None:
        delay = 2.0
        while True:
            try:
                await self._go_live()
                return
            except (NetworkError, TimedOut) as exc:  # TimedOut is a NetworkError; kept for clarity
                log.warning("telegram unreachable at start-up (%s); retrying in %.0f s", exc, delay)
            except TelegramError as exc:  # a wrong token, for instance: say it, keep trying
                log.error("telegram refused the bot (%s); retrying in %.0f s", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60.0)

    async def _go_live(self) -> None:
        if not self.app._initialized:
            await self.app.initialize()
        if not self.app.running:
            await self.app.start()
        if self.settings.telegram_mode == "webhook":
            if self.settings.public_url:
                url = self.settings.public_url.rstrip("/") + "/telegram/webhook"
                secret = self.settings.telegram_webhook_secret
                await self.app.bot.set_webhook(
                    url=url,
                    secret_token=secret.get_secret_value() if secret else None,
                    allowed_updates=Update.ALL_TYPES,
                )
                log.info("telegram webhook set to %s", url)
        elif self.app.updater is not None and not self.app.updater.running:
            await self.app.updater.start_polling(allowed_updates=Update.ALL_TYPES)

    async def stop(self) -> None:
        connecting = getattr(self, "_connecting", None)
        if connecting is not None and not connecting.done():
            connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await connecting
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        await self.drain()  # answers already acknowledged: let them leave
        if self.app.running:
            await self.app.stop()  # handles the updates still queued (polling)…
        await self.drain()  # …whose answers leave too
        if self._flusher is not None:
            self._flusher.cancel()
        await self._mark_replied()
        if self.app._initialized:
            await self.app.shutdown()

    # --- webhook ------------------------------------------------------------------------------
    async def webhook(self, request: Request) -> Response:
        """Check the secret, handle the update (committed with its answer), then acknowledge;
        the answer leaves just after, in order per chat (see handlers/unsent.py for one that
        never does).

        Nothing is acknowledged before it is committed, so an update answered 200 is never
        lost on a restart. A database outage answers 503: Telegram keeps the update and sends
        it again. An update we cannot read is acknowledged (a 5xx would make Telegram retry
        it forever, holding back every later update).
        """
        expected = self.settings.telegram_webhook_secret
        given = request.headers.get(SECRET_HEADER, "")
        if expected is None or not hmac.compare_digest(
            given.encode(), expected.get_secret_value().encode()
        ):
            self.forged.warning("secret", "telegram webhook: wrong or missing secret, refused")
            return PlainTextResponse("forbidden", status_code=403)
        if not self.ready:
            return PlainTextResponse("starting, send again", status_code=503)
        try:
            update = Update.de_json(json.loads(await request.body()), self.app.bot)
        except Exception:
            log.warning("telegram webhook: unreadable update, acknowledged and dropped")
            return Response(status_code=200)
        chat = update.effective_chat
        lock = self._chat_locks[chat.id] if chat is not None else contextlib.nullcontext()
        async with lock:  # one chat's updates in order, other chats at once
            await self.app.process_update(update)
        if chat is not None and not self._chat_locks[chat.id].locked():
            self._chat_locks.pop(chat.id, None)
        if self._db_failed.pop(update.update_id, False):
            return PlainTextResponse("database unavailable, send again", status_code=503)
        return Response(status_code=200)

    # --- callbacks ----------------------------------------------------------------------------
    async def on_not_private(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Serve private chats only: in a group, a coordinator's /locataire answer (an address,
        health flags) would be read by everyone. One refusal, one log line, nothing else."""
        chat = update.effective_chat
        if chat is None or chat.type == ChatType.PRIVATE:
            return
        log.warning(
            "telegram update %s from a %s chat %s: refused (private chats only)",
            update.update_id,
            chat.type,
            mask(str(chat.id)),
        )
        if update.effective_message is not None:
            user = update.effective_user
            lang = user.language_code if user and user.language_code in ("fr", "en") else "fr"
            with contextlib.suppress(TelegramError):
                await self.app.bot.send_message(chat.id, t(lang, "common.private_only"))
        raise ApplicationHandlerStop

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Hand a text message to the core and send its replies."""
        assert update.message is not None
        await self._process(update, self._inbound(update, text=update.message.text or ""))

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Hand a /command to the core: /start CODE links an account."""
        assert update.message is not None
        text = update.message.text or ""
        word, _, argument = text.partition(" ")
        command = word[1:].split("@")[0].lower()
        await self._process(
            update, self._inbound(update, text=text, command=command, argument=argument.strip())
        )

    async def on_contact(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A shared contact links the account only when it is the sender's own."""
        assert update.message is not None and update.message.contact is not None
        contact = update.message.contact
        user = update.effective_user
        own = user is not None and contact.user_id == user.id
        phone = international(contact.phone_number) if own else None
        await self._process(
            update,
            self._inbound(update, text="", contact_phone=phone, foreign_contact=not own),
        )

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A pressed button: acknowledge it, remove the buttons, hand the choice to the core."""
        query = update.callback_query
        assert query is not None
        await query.answer()
        if query.message is not None:
            with contextlib.suppress(BadRequest):  # already edited: a double tap
                await query.edit_message_reply_markup(reply_markup=None)
        await self._process(update, self._inbound(update, text=query.data or "", choice=query.data))

    async def on_unreadable(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A sticker, photo or voice note: say what we can read."""
        await self._process(update, self._inbound(update, text="", unreadable=True))

    async def on_ignored(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An update with nothing to answer (an edit, a chat member change): log it."""
        log.info("telegram update %s: nothing to do", update.update_id)
        member = update.my_chat_member
        if member is not None and member.new_chat_member.status == "kicked":
            await self._blocked(member.from_user.id)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log what went wrong. A database outage: the update will come again (webhook 503,
        or re-queued when polling). Anything else: the person hears something went wrong,
        never a stack trace."""
        if isinstance(context.error, DBAPIError) and isinstance(update, Update):
            log.error(
                "telegram update %s: database unavailable (%s)",
                update.update_id,
                type(context.error).__name__,
            )
            if self.settings.telegram_mode == "webhook":
                self._db_failed[update.update_id] = True
            else:
                asyncio.get_running_loop().call_later(5, self.app.update_queue.put_nowait, update)
            return
        log.error("telegram update failed: %s", context.error, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            with contextlib.suppress(TelegramError):
                await update.effective_chat.send_message(t("fr", "common.error"))

    # --- core round trip ----------------------------------------------------------------------
    def _inbound(self, update: Update, **fields: Any) -> Inbound:
        user = update.effective_user
        assert user is not None
        return Inbound(
            channel=CHANNEL,
            external_id=str(update.update_id),
            address=str(user.id),
            telegram_id=user.id,
            received_at=self.service.ctx.now(),
            lang_hint=user.language_code,
            display_name=user.full_name,
            **fields,
        )

    async def _process(self, update: Update, msg: Inbound) -> None:
        outcome = await self.service.handle(msg)
        if outcome.duplicate:
            return
        chat = update.effective_chat
        assert chat is not None
        await self._in_flight.acquire()
        self._send_after(chat.id, outcome, contact=bool(msg.contact_phone))

    async def drain(self) -> None:
        """Wait until every answer acknowledged so far has left (or failed into the outbox)."""
        while self._sending:
            await asyncio.gather(*list(self._sending.values()), return_exceptions=True)

    def _send_after(self, chat_id: int, outcome: Outcome, contact: bool) -> None:
        """Send the answer in the background, after this chat's earlier answers."""
        before = self._sending.get(chat_id)

        async def send() -> None:
            try:
                if before is not None:
                    await asyncio.wait([before])
                await self.send_replies(chat_id, outcome, contact=contact)
            finally:
                self._in_flight.release()

        task = asyncio.create_task(send())
        self._sending[chat_id] = task

        def done(task: asyncio.Task[None]) -> None:
            if self._sending.get(chat_id) is task:
                del self._sending[chat_id]
            if not task.cancelled() and task.exception() is not None:
                log.error("telegram answer to %s: %s", mask(str(chat_id)), task.exception())

        task.add_done_callback(done)

    async def send_replies(self, chat_id: int, outcome: Outcome, contact: bool = False) -> None:
        sent = 0
        try:
            for reply in outcome.replies:
                markup = keyboard(reply)
                if markup is None and contact:
                    markup = ReplyKeyboardRemove()
                await self._send(chat_id, reply, markup)
                sent += 1
        except Forbidden:  # blocked: nothing to send again (the person is marked)
            await self._blocked(chat_id)
        except TelegramError as exc:
            log.warning(
                "telegram reply to %s failed (%s): queued for retry", mask(str(chat_id)), exc
            )
            assert outcome.inbound_id is not None
            await self.service.rt.db.run(
                queue_reply, self.service.ctx, outcome.inbound_id, start=sent
            )
            return
        if outcome.inbound_id is not None:
            self._replied.append(outcome.inbound_id)

    async def _send(self, chat_id: int, reply: Reply, markup: Any = None) -> Any:
        if reply.attachment is not None:
            path = Path(reply.attachment.path)
            data = await asyncio.to_thread(path.read_bytes)
            caption = reply.attachment.caption
            if reply.attachment.kind == "photo":
                await self.app.bot.send_photo(chat_id, data, caption=caption, filename=path.name)
            else:
                await self.app.bot.send_document(chat_id, data, caption=caption, filename=path.name)
        return await self.app.bot.send_message(chat_id, reply.text, reply_markup=markup)

    async def send(self, address: str, payload: dict[str, Any]) -> SendResult:
        """Send one outbox message (the dispatcher's call)."""
        reply = Reply.from_json(payload)
        if not self.ready:
            return SendResult(False, error="telegram not connected yet")
        try:
            message = await self._send(int(address), reply, keyboard(reply))
        except Forbidden as exc:
            return SendResult(False, permanent=True, error=f"telegram 403: {exc.message}"[:300])
        except RetryAfter as exc:
            return SendResult(False, error="telegram 429", retry_after=seconds(exc.retry_after))
        except BadRequest as exc:
            return SendResult(False, permanent=True, error=f"telegram 400: {exc.message}"[:300])
        except (NetworkError, TelegramError) as exc:
            return SendResult(False, error=f"telegram: {exc}"[:300])
        return SendResult(True, external_id=str(message.message_id))

    async def _blocked(self, telegram_id: int) -> None:
        """403: the person blocked the bot. Never retry; SMS takes over where a number is known."""
        now = self.service.ctx.now()
        if await self.service.rt.db.run(mark_telegram_blocked, telegram_id, now):
            log.warning("telegram %s blocked the bot: marked", mask(str(telegram_id)))

    async def _flush_replied(self) -> None:
        while True:
            await asyncio.sleep(0.5)
            await self._mark_replied()

    async def _mark_replied(self) -> None:
        """Note the answers sent. On a database error they are kept for the next try: an answer
        not noted would be sent again by the outbox's sweep (handlers/unsent.py)."""
        if not self._replied:
            return
        ids, self._replied = self._replied, []
        try:
            await self.service.rt.db.run(note_replied, ids, self.service.ctx.now())
        except Exception as exc:
            self._replied[:0] = ids
            log.warning("could not note %d answer(s) as sent (%s): will retry", len(ids), exc)
