"""A fake Telegram Bot API server for python-telegram-bot v22, in polling and webhook mode.

Standard library only, so it runs anywhere CI runs. The bot under test talks to it over
real HTTP: ``Bot(token, base_url=fake.base_url)`` or ``ApplicationBuilder().base_url(...)``.

What it models, because real deployments fail there (see DESIGN.md, "Facts from the field"):

* long polling with ``offset``/``timeout`` (capped at ``poll_cap`` seconds so tests stay fast),
  409 Conflict when a webhook is set or a second poller starts;
* the answers PTB turns into exceptions: 403 blocked (``Forbidden``), 429 with
  ``parameters.retry_after`` (``RetryAfter``), 500 JSON and nginx's HTML 502 (``NetworkError``),
  400 for an empty/too long text, an unparsable HTML/MarkdownV2 text, an edit that changes
  nothing or a callback answered twice (``BadRequest``), and a real outage (``go_down``);
* per-chat send timestamps to check the ~1 message/second/private-chat pacing, and an
  opt-in ``enforce_chat_pacing`` that answers 429 like Telegram's flood control;
* what users send: text, commands, a shared contact (numbers without "+"), a button press,
  a sticker or photo a text bot does not handle, blocking the bot (a my_chat_member update).

Everything is recorded: ``calls`` (every request) and ``sent`` (every message the bot sent
or edited). Waits have ``*_async`` twins: a blocking wait inside an async test would freeze
the event loop the bot runs on.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import struct
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._server import FakeHTTPServer, Request, Response, UploadedFile, json_response, post

__all__ = ["BOT_USER", "TOKEN", "Call", "FakeBotAPI", "Sent"]

TOKEN = "123456:E2E-fake-token"

BOT_USER: dict[str, Any] = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Entraide",
    "username": "entraide_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

# A 1x1 transparent PNG: what push_photo sends when the test gives no content.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

_PATH_RE = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)/?")
_FILE_RE = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)")

# Form and multipart bodies carry every value as a string; PTB JSON-encodes the non-strings.
# Only known fields are decoded: a tenant who writes "true" or "12" keeps a text.
_JSON_FIELDS = frozenset(
    [
        "reply_markup",
        "allowed_updates",
        "commands",
        "scope",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
        "media",
    ]
)
_INT_FIELDS = frozenset(
    [
        "chat_id",
        "from_chat_id",
        "message_id",
        "message_thread_id",
        "reply_to_message_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "max_connections",
        "cache_time",
    ]
)
_BOOL_FIELDS = frozenset(
    [
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "is_personal",
    ]
)

# Methods that put (or change) a message in a chat: subject to faults, blocks and pacing.
_MESSAGE_PREFIXES = ("send", "edit", "copy", "forward")

_HTML_TAGS = frozenset(
    [
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    ]
)
_MD2_MUST_ESCAPE = frozenset(".!-+=#{}")  # never formatting, so always an error unescaped

NGINX_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)

_MARKUP_KEYS = ("inline_keyboard", "keyboard", "remove_keyboard")

_SENDER = object()  # push_contact default: the contact is the sender's own


@dataclass
class Call:
    """One request the bot made: method as sent, parsed params, time, HTTP status answered."""

    method: str
    params: dict[str, Any]
    t: float
    status: int = 0  # 0 while being answered (a long poll); -1 if cut by go_down()


@dataclass
class Sent:
    """A message the bot sent or edited, as the user would see it.

    ``text`` is the text or the caption exactly as sent (markup included); ``message`` is
    the Message object returned to the bot (what a later push_callback carries).
    """

    chat_id: int | str
    method: str
    text: str | None
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    message_id: int | None
    message: dict[str, Any]
    t: float
    document: UploadedFile | str | None = None  # a str is a file_id or URL the bot reused
    photo: UploadedFile | str | None = None
    params: dict[str, Any] = field(default_factory=dict)


def _error(status: int, description: str, parameters: Mapping[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = dict(parameters)
    return json_response(status, body)


def _ok(result: Any) -> Response:
    return json_response(200, {"ok": True, "result": result})


def _coerce(name: str, value: str) -> Any:
    """Turn a form value back into what the bot meant (PTB JSON-encodes non-strings)."""
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    if name in _INT_FIELDS and re.fullmatch(r"-?\d+", value):
        return int(value)
    if name in _BOOL_FIELDS and value in ("true", "false"):
        return value == "true"
    return value


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def check_html(text: str) -> str | None:
    """Telegram's HTML parse errors (unsupported or unbalanced tags), or None if it parses.

    A tenant's name with a "<" in it, sent with parse_mode=HTML without escaping, fails
    the whole message in production; this makes it fail in tests too.
    """
    stack: list[str] = []
    for m in re.finditer(r"<(/?)([^\s>/]*)[^>]*(>?)", text):
        closing, name, end = m.group(1), m.group(2).lower(), m.group(3)
        offset = _byte_offset(text, m.start())
        if not end:
            return f"Can't find end of the tag at byte offset {offset}"
        if name not in _HTML_TAGS:
            kind = "end" if closing else "start"
            return f'Unsupported {kind} tag "{name}" at byte offset {offset}'
        if not closing:
            stack.append(name)
        elif not stack or stack[-1] != name:
            expected = f'"</{stack[-1]}>"' if stack else "no end tag"
            return (
                f'Unmatched end tag at byte offset {offset}, expected {expected}, found "</{name}>"'
            )
        else:
            stack.pop()
    if stack:
        return f'Can\'t find end tag corresponding to start tag "{stack[-1]}"'
    return None


def check_markdown_v2(text: str) -> str | None:
    """The commonest MarkdownV2 failure: a reserved character ('.', '!', '-', …) unescaped."""
    i, in_code, in_url = 0, False, False
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            in_code = not in_code
        elif not in_code:
            if ch == "(" and i > 0 and text[i - 1] == "]":
                in_url = True
            elif ch == ")" and in_url:
                in_url = False
            elif ch in _MD2_MUST_ESCAPE and not in_url:
                return f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
        i += 1
    return None


def _plain(text: str, parse_mode: str | None) -> str:
    """The text as the user sees it (markup removed), which Telegram echoes back."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return html.unescape(re.sub(r"<[^>]*>", "", text))
    if mode in ("markdownv2", "markdown"):
        return re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)[*_~`]", "", text))
    return text


def _png_size(content: bytes) -> tuple[int, int]:
    if content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) >= 24:
        w, h = struct.unpack(">II", content[16:24])
        return int(w), int(h)
    return 1, 1


def _keyboard_of(message: Sent | Mapping[str, Any]) -> Mapping[str, Any] | None:
    if isinstance(message, Sent):
        return message.reply_markup
    markup = message.get("reply_markup")
    if markup is None and any(k in message for k in _MARKUP_KEYS):
        markup = message  # a reply_markup dict itself
    return markup if isinstance(markup, Mapping) else None


class FakeBotAPI(FakeHTTPServer):
    """The fake Bot API: point PTB at ``base_url``, push what users do, assert on ``sent``.

    Args:
        token: the only token accepted; any other answers 401 like Telegram.
        first_update_id: update_id of the first update made (they increase from there).
        poll_cap: longest a getUpdates long poll waits, whatever timeout the bot asks.
        clock: epoch seconds used for message ``date`` fields (inject the app's test clock).
        require_start: when True, sending to a private chat that never wrote to the bot
            answers 403 "bot can't initiate conversation with a user", as Telegram does.
    """

    def __init__(
        self,
        token: str = TOKEN,
        *,
        first_update_id: int = 1000,
        poll_cap: float = 1.0,
        clock: Callable[[], float] = time.time,
        require_start: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host, port)
        self.token = token
        self.poll_cap = poll_cap
        self.clock = clock
        self.require_start = require_start
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.webhook: dict[str, Any] = {}
        # what getWebhookInfo reports of the last failed delivery: (unix time, message)
        self.webhook_error: tuple[int, str] | None = None
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._updates: list[dict[str, Any]] = []
        self._next_update = first_update_id
        self._msg_ids: dict[int | str, int] = {}
        self._messages: dict[tuple[int | str, int], dict[str, Any]] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._open_callbacks: set[str] = set()
        self._callback_seq = itertools.count(4_000_000_000_000_000_001)
        self._files: dict[str, UploadedFile] = {}
        self._blocked: set[int | str] = set()
        self._rate_left = 0
        self._rate_retry_after = 1
        self._fail_left = 0
        self._fail_status = 500
        self._pacing: tuple[float, int] | None = None
        self._last_send: dict[int | str, float] = {}
        self._poll_generation = 0

    # ---- addresses ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """PTB's ``base_url``: PTB appends the token, then "/<method>"."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """PTB's ``base_file_url``, for File.download_to_memory() of pushed photos/documents."""
        return f"{self.url}/file/bot"

    # ---- fault injection (thread-safe) ------------------------------------------------
    def block(self, chat_id: int | str) -> None:
        """The user blocked the bot: every send/edit to this chat answers 403 from now on."""
        with self.lock:
            self._blocked.add(chat_id)

    def unblock(self, chat_id: int | str) -> None:
        """The user unblocked the bot (they pressed Start again)."""
        with self.lock:
            self._blocked.discard(chat_id)

    def rate_limit(self, n_calls: int, retry_after: int = 1) -> None:
        """The next ``n_calls`` send/edit calls answer 429 with ``parameters.retry_after``."""
        with self.lock:
            self._rate_left, self._rate_retry_after = n_calls, retry_after

    def fail(self, n_calls: int, status: int = 500) -> None:
        """The next ``n_calls`` send/edit calls answer ``status``.

        500 is Telegram's JSON "Internal Server Error"; 502/504 are nginx HTML pages, which
        PTB cannot parse as JSON (still a NetworkError, with the parse error chained).
        """
        with self.lock:
            self._fail_left, self._fail_status = n_calls, status

    def enforce_chat_pacing(self, min_interval: float = 1.0, retry_after: int = 1) -> None:
        """Answer 429 to a send to a private chat less than ``min_interval`` s after the last."""
        with self.lock:
            self._pacing = (min_interval, retry_after)

    # ---- what users do ------------------------------------------------------------------
    def user(self, uid: int, first: str = "Jeanne", lang: str | None = "fr") -> dict[str, Any]:
        """A Telegram User object for a person (remembered to fill in their private chat)."""
        user: dict[str, Any] = {"id": uid, "is_bot": False, "first_name": first}
        if lang:
            user["language_code"] = lang
        with self.lock:
            self._users[uid] = user
        return user

    def _take_update_id(self) -> int:
        with self.lock:
            self._next_update += 1
            return self._next_update

    def _take_message_id(self, chat_id: int | str) -> int:
        with self.lock:
            self._msg_ids[chat_id] = self._msg_ids.get(chat_id, 0) + 1
            return self._msg_ids[chat_id]

    def _chat(self, chat_id: int | str) -> dict[str, Any]:
        if isinstance(chat_id, int) and chat_id > 0:
            user = self._users.get(chat_id, {})
            chat: dict[str, Any] = {"id": chat_id, "type": "private"}
            chat["first_name"] = user.get("first_name", "Jeanne")
            return chat
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": "Entraide"}

    def make_update(
        self,
        uid: int,
        text: str | None = None,
        *,
        contact: Mapping[str, Any] | None = None,
        extra: Mapping[str, Any] | None = None,
        first: str = "Jeanne",
        lang: str | None = "fr",
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A ``message`` update from user ``uid``, NOT queued (webhook tests POST it themselves).

        ``extra`` is merged into the Message (e.g. {"sticker": {...}}). A text starting with
        "/" gets its bot_command entity, as Telegram adds it.
        """
        chat = chat_id if chat_id is not None else uid
        sender = self.user(uid, first, lang)
        msg: dict[str, Any] = {
            "message_id": self._take_message_id(chat),
            "date": int(self.clock()),
            "from": sender,
            "chat": self._chat(chat),
        }
        if text is not None:
            msg["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                length = len(command.encode("utf-16-le")) // 2
                msg["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if contact is not None:
            msg["contact"] = dict(contact)
        if extra:
            msg.update(extra)
        return {"update_id": self._take_update_id(), "message": msg}

    def make_contact(
        self,
        uid: int,
        phone_number: str,
        contact_user_id: Any = _SENDER,
        *,
        first: str = "Jeanne",
        last: str | None = None,
        lang: str | None = "fr",
        keep_plus: bool = False,
    ) -> dict[str, Any]:
        """A shared contact. Telegram sends the number without "+" (``keep_plus`` to keep it).

        ``contact_user_id`` defaults to the sender (the "share my number" button); pass
        another id for a forwarded card, or None for a contact with no Telegram account.
        """
        contact: dict[str, Any] = {
            "phone_number": phone_number if keep_plus else phone_number.lstrip("+"),
            "first_name": first,
        }
        if last:
            contact["last_name"] = last
        user_id = uid if contact_user_id is _SENDER else contact_user_id
        if user_id is not None:
            contact["user_id"] = user_id
        return self.make_update(uid, contact=contact, first=first, lang=lang)

    def make_callback(
        self,
        uid: int,
        message: Sent | Mapping[str, Any],
        data: str,
        *,
        first: str = "Jeanne",
        lang: str | None = "fr",
    ) -> dict[str, Any]:
        """A button press on ``message`` (a Sent record or a Message dict), with its data.

        The callback carries the message as it is NOW (after any edit), as Telegram does.
        """
        msg = dict(message.message if isinstance(message, Sent) else message)
        with self.lock:
            key = (msg["chat"]["id"], msg["message_id"])
            current = self._messages.setdefault(key, msg)
            msg = json.loads(json.dumps(current))
            query_id = str(next(self._callback_seq))
            self._open_callbacks.add(query_id)
        return {
            "update_id": self._take_update_id(),
            "callback_query": {
                "id": query_id,
                "from": self.user(uid, first, lang),
                "message": msg,
                "chat_instance": f"-{abs(hash(msg['chat']['id'])) % 10**18}",
                "data": data,
            },
        }

    def make_sticker(self, uid: int, **kw: Any) -> dict[str, Any]:
        """A sticker: an update a text bot does not handle, yet must acknowledge."""
        sticker = {
            "file_id": "CAACAgIAAxkBAAE" + uuid.uuid4().hex[:20],
            "file_unique_id": "AgAD" + uuid.uuid4().hex[:8],
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self.make_update(uid, extra={"sticker": sticker}, **kw)

    def make_photo(
        self, uid: int, caption: str | None = None, content: bytes = PNG_1X1, **kw: Any
    ) -> dict[str, Any]:
        """A photo (three sizes, like Telegram), downloadable through getFile."""
        w, h = _png_size(content)
        sizes = []
        for scale in (1, 2, 4):
            file_id = "AgACAgQAAxkBAAI" + uuid.uuid4().hex[:20]
            with self.lock:
                self._files[file_id] = UploadedFile("photo", "photo.png", "image/png", content)
            sizes.append(
                {
                    "file_id": file_id,
                    "file_unique_id": "AQAD" + uuid.uuid4().hex[:8],
                    "width": w * scale,
                    "height": h * scale,
                    "file_size": len(content),
                }
            )
        extra: dict[str, Any] = {"photo": sizes}
        if caption is not None:
            extra["caption"] = caption
        return self.make_update(uid, extra=extra, **kw)

    def make_blocked(self, uid: int, first: str = "Jeanne") -> dict[str, Any]:
        """The my_chat_member update Telegram sends when a user blocks the bot."""
        user = self.user(uid, first)
        now = int(self.clock())
        return {
            "update_id": self._take_update_id(),
            "my_chat_member": {
                "chat": self._chat(uid),
                "from": user,
                "date": now,
                "old_chat_member": {"status": "member", "user": BOT_USER},
                "new_chat_member": {"status": "kicked", "user": BOT_USER, "until_date": 0},
            },
        }

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates; returns it."""
        with self.lock:
            self._updates.append(update)
            self.lock.notify_all()
        return update

    def push_text(
        self, uid: int, text: str, first: str = "Jeanne", lang: str | None = "fr"
    ) -> dict[str, Any]:
        """The user ``uid`` writes ``text`` in their private chat with the bot."""
        return self.push(self.make_update(uid, text, first=first, lang=lang))

    def push_contact(
        self,
        uid: int,
        phone_number: str,
        contact_user_id: Any = _SENDER,
        first: str = "Jeanne",
        **kw: Any,
    ) -> dict[str, Any]:
        """The user shares a contact (their own by default); see ``make_contact``."""
        return self.push(self.make_contact(uid, phone_number, contact_user_id, first=first, **kw))

    def push_callback(
        self, uid: int, message: Sent | Mapping[str, Any], data: str, **kw: Any
    ) -> dict[str, Any]:
        """The user presses the button carrying ``data`` on ``message``."""
        return self.push(self.make_callback(uid, message, data, **kw))

    def push_sticker(self, uid: int, **kw: Any) -> dict[str, Any]:
        """The user sends a sticker."""
        return self.push(self.make_sticker(uid, **kw))

    def push_photo(self, uid: int, caption: str | None = None, **kw: Any) -> dict[str, Any]:
        """The user sends a photo."""
        return self.push(self.make_photo(uid, caption, **kw))

    def push_blocked(self, uid: int) -> dict[str, Any]:
        """The user blocks the bot: sends now answer 403, and a my_chat_member update is queued."""
        self.block(uid)
        return self.push(self.make_blocked(uid))

    def post_webhook(
        self, update: Mapping[str, Any], url: str | None = None, timeout: float = 10.0
    ) -> int:
        """POST an update to the webhook set by setWebhook (or ``url``), as Telegram does.

        Sends the X-Telegram-Bot-Api-Secret-Token header when setWebhook gave a secret.
        Returns the HTTP status the bot answered (Telegram retries until it is 2xx).
        """
        target = url or self.webhook.get("url")
        if not target:
            raise ValueError("no webhook set and no url given")
        headers = {"Content-Type": "application/json"}
        if self.webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = str(self.webhook["secret_token"])
        return post(target, json.dumps(update).encode(), headers, timeout)

    # ---- what the bot did ---------------------------------------------------------------
    @property
    def pending_updates(self) -> int:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        with self.lock:
            return len(self._updates)

    def messages_to(self, chat_id: int | str) -> list[Sent]:
        """Every message sent or edited in this chat, in order."""
        with self.lock:
            return [s for s in self.sent if s.chat_id == chat_id]

    def count_sent(self, chat_id: int | str) -> int:
        """How many messages were sent or edited in this chat."""
        return len(self.messages_to(chat_id))

    def calls_to(self, method: str) -> list[Call]:
        """Every call of ``method`` (case-insensitive, like Telegram)."""
        with self.lock:
            return [c for c in self.calls if c.method.lower() == method.lower()]

    def send_times(self, chat_id: int | str) -> list[float]:
        """When each new message (send*, not edits) reached this chat: to check pacing."""
        return [s.t for s in self.messages_to(chat_id) if s.method.lower().startswith("send")]

    def min_gap(self, chat_id: int | str) -> float | None:
        """Shortest time between two consecutive new messages to this chat (None if < 2)."""
        times = self.send_times(chat_id)
        return min((b - a for a, b in itertools.pairwise(times)), default=None)

    def wait_sent(
        self, chat_id: int | str, after: int = 0, timeout: float = 10.0, settle: float = 0.5
    ) -> list[Sent]:
        """Messages to ``chat_id`` beyond the first ``after``, once the chat is quiet ``settle`` s.

        Returns what there is at ``timeout`` (maybe []): assert on the result. Blocking:
        from an async test use ``wait_sent_async``.
        """
        end = time.monotonic() + timeout
        with self.lock:
            while True:
                got = [s for s in self.sent if s.chat_id == chat_id][after:]
                if got and time.time() - got[-1].t >= settle:
                    return got
                if time.monotonic() >= end:
                    return got
                self.lock.wait(0.05)

    async def wait_sent_async(
        self,
        chat_id: int | str,
        after: int = 0,
        timeout: float = 10.0,  # noqa: ASYNC109 - bounds the worker thread's wait
        settle: float = 0.5,
    ) -> list[Sent]:
        """``wait_sent`` in a worker thread, so the bot's event loop keeps running."""
        return await asyncio.to_thread(self.wait_sent, chat_id, after, timeout, settle)

    def wait_calls(self, method: str, n: int = 1, timeout: float = 10.0) -> list[Call]:
        """Calls of ``method`` once there are at least ``n`` (or all there are at timeout)."""
        end = time.monotonic() + timeout
        with self.lock:
            while True:
                got = [c for c in self.calls if c.method.lower() == method.lower()]
                if len(got) >= n or time.monotonic() >= end:
                    return got
                self.lock.wait(0.05)

    async def wait_calls_async(
        self,
        method: str,
        n: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109 - bounds the worker thread's wait
    ) -> list[Call]:
        """``wait_calls`` in a worker thread, so the bot's event loop keeps running."""
        return await asyncio.to_thread(self.wait_calls, method, n, timeout)

    @staticmethod
    def buttons(message: Sent | Mapping[str, Any]) -> list[tuple[str, str | None]]:
        """(text, callback_data) of each inline button, row by row; [] if none."""
        markup = _keyboard_of(message) or {}
        return [
            (b.get("text", ""), b.get("callback_data"))
            for row in markup.get("inline_keyboard", [])
            for b in row
        ]

    @staticmethod
    def reply_keyboard(message: Sent | Mapping[str, Any]) -> list[dict[str, Any]]:
        """Buttons of a ReplyKeyboardMarkup as dicts ({"text", "request_contact"?…}); [] if none."""
        markup = _keyboard_of(message) or {}
        return [
            {"text": b} if isinstance(b, str) else dict(b)
            for row in markup.get("keyboard", [])
            for b in row
        ]

    @staticmethod
    def removes_keyboard(message: Sent | Mapping[str, Any]) -> bool:
        """True when the message carries ReplyKeyboardRemove."""
        markup = _keyboard_of(message) or {}
        return bool(markup.get("remove_keyboard"))

    # ---- the Bot API side -----------------------------------------------------------------
    def handle(self, request: Request) -> Response | None:
        """Route /bot<token>/<method> and /file/bot<token>/<path>."""
        if m := _FILE_RE.fullmatch(request.path):
            return self._download(m.group("token"), m.group("path"))
        m = _PATH_RE.fullmatch(request.path)
        if m is None:
            return _error(404, "Not Found")
        if m.group("token") != self.token:
            return _error(401, "Unauthorized")
        method = m.group("method")
        params: dict[str, Any] = {k: _coerce(k, v) for k, v in request.query.items()}
        params.update({k: _coerce(k, v) for k, v in request.form})
        if isinstance(request.json, dict):
            params.update(
                {
                    k: _coerce(k, v) if isinstance(v, str) and k in _INT_FIELDS else v
                    for k, v in request.json.items()
                }
            )
        params.update(request.files)
        call = Call(method, params, time.time())
        with self.lock:
            self.calls.append(call)
            self.lock.notify_all()
        response = self._route(method.lower(), params)
        with self.lock:
            call.status = response.status if response is not None else -1
            self.lock.notify_all()
        return response

    def _route(self, method: str, p: dict[str, Any]) -> Response | None:
        if method.startswith(_MESSAGE_PREFIXES):
            fault = self._fault(method, p)
            if fault is not None:
                return fault
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:  # close, logOut, setMyDescription, …
            return _ok(True)
        return handler(p)

    def _fault(self, method: str, p: dict[str, Any]) -> Response | None:
        chat_id = p.get("chat_id")
        with self.lock:
            if self._fail_left > 0:
                self._fail_left -= 1
                if self._fail_status in (502, 504):
                    return Response(self._fail_status, NGINX_502, "text/html")
                return _error(self._fail_status, "Internal Server Error")
            if self._rate_left > 0:
                self._rate_left -= 1
                return self._too_many(self._rate_retry_after)
            if chat_id is None or chat_id == "":
                if method.startswith("edit"):  # inline_message_id edits have no chat
                    return None
                return _error(400, "Bad Request: chat_id is empty")
            if chat_id in self._blocked:
                return _error(403, "Forbidden: bot was blocked by the user")
            if isinstance(chat_id, str) and not chat_id.startswith("@"):
                return _error(400, "Bad Request: chat not found")
            private = isinstance(chat_id, int) and chat_id > 0
            if private and self.require_start and chat_id not in self._users:
                return _error(403, "Forbidden: bot can't initiate conversation with a user")
            new_message = method.startswith("send") and method != "sendchataction"
            if self._pacing and private and new_message:
                interval, retry_after = self._pacing
                last = self._last_send.get(chat_id)
                if last is not None and time.time() - last < interval:
                    return self._too_many(retry_after)
        return None

    @staticmethod
    def _too_many(retry_after: int) -> Response:
        return _error(
            429,
            f"Too Many Requests: retry after {retry_after}",
            {"retry_after": retry_after},
        )

    # ---- methods ----
    def _m_getme(self, p: dict[str, Any]) -> Response:
        return _ok(BOT_USER)

    def _m_getupdates(self, p: dict[str, Any]) -> Response | None:
        offset = int(p.get("offset") or 0)
        limit = max(1, min(int(p.get("limit") or 100), 100))
        wait = min(float(p.get("timeout") or 0), self.poll_cap)
        allowed = p.get("allowed_updates")
        end = time.monotonic() + wait
        with self.lock:
            if self.webhook.get("url"):
                return _error(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            self._poll_generation += 1
            generation = self._poll_generation
            if offset > 0:  # confirmed updates are forgotten, as Telegram does
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:
                self._updates = self._updates[offset:]
            while True:
                if self._poll_generation != generation:
                    return _error(
                        409,
                        "Conflict: terminated by other getUpdates request; "
                        "make sure that only one bot instance is running",
                    )
                ready = [u for u in self._updates if not allowed or any(k in u for k in allowed)][
                    :limit
                ]
                if not self.is_up:  # go_down() during the long poll: hang up, as an outage does
                    return None
                remaining = end - time.monotonic()
                if ready or remaining <= 0:
                    return _ok(ready)
                self.lock.wait(min(0.05, remaining))

    def _m_setwebhook(self, p: dict[str, Any]) -> Response:
        secret = p.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            return _error(400, "Bad Request: secret token contains unallowed characters")
        with self.lock:
            if p.get("drop_pending_updates"):
                self._updates.clear()
            kept = {k: v for k, v in p.items() if k != "certificate"}
            self.webhook = kept if p.get("url") else {}
        return _ok(True)

    def _m_deletewebhook(self, p: dict[str, Any]) -> Response:
        with self.lock:
            if p.get("drop_pending_updates"):
                self._updates.clear()
            self.webhook = {}
        return _ok(True)

    def _m_getwebhookinfo(self, p: dict[str, Any]) -> Response:
        with self.lock:
            info: dict[str, Any] = {
                "url": self.webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
            if self.webhook.get("url"):
                info["max_connections"] = int(self.webhook.get("max_connections") or 40)
                info["ip_address"] = "127.0.0.1"
                if self.webhook.get("allowed_updates"):
                    info["allowed_updates"] = self.webhook["allowed_updates"]
            if self.webhook_error is not None:
                info["last_error_date"], info["last_error_message"] = self.webhook_error
        return _ok(info)

    def _new_message(self, p: dict[str, Any], text_field: str) -> dict[str, Any]:
        chat_id = p["chat_id"]
        msg: dict[str, Any] = {
            "message_id": self._take_message_id(chat_id),
            "date": int(self.clock()),
            "from": BOT_USER,
            "chat": self._chat(chat_id),
        }
        if p.get(text_field) is not None:
            msg[text_field] = _plain(str(p[text_field]), p.get("parse_mode"))
        markup = p.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
        return msg

    def _record(
        self, method: str, p: dict[str, Any], msg: dict[str, Any], text_field: str, **files: Any
    ) -> Response:
        chat_id = p["chat_id"] if p.get("chat_id") not in (None, "") else msg["chat"]["id"]
        markup = p.get("reply_markup")
        now = time.time()
        with self.lock:
            self._messages[(msg["chat"]["id"], msg["message_id"])] = msg
            self.sent.append(
                Sent(
                    chat_id=chat_id,
                    method=method,
                    text=p.get(text_field),
                    parse_mode=p.get("parse_mode"),
                    reply_markup=markup if isinstance(markup, dict) else None,
                    message_id=msg["message_id"],
                    message=json.loads(json.dumps(msg)),
                    t=now,
                    params=p,
                    **files,
                )
            )
            if method.startswith("send"):
                self._last_send[chat_id] = now
            self.lock.notify_all()
        return _ok(msg)

    def _check_text(self, text: Any, parse_mode: Any, limit: int, what: str) -> Response | None:
        if text is None or str(text).strip() == "":
            return _error(400, f"Bad Request: {what} is empty") if what == "message text" else None
        text = str(text)
        mode = str(parse_mode or "").lower()
        problem = check_html(text) if mode == "html" else None
        if mode == "markdownv2":
            problem = check_markdown_v2(text)
        if problem:
            return _error(400, f"Bad Request: can't parse entities: {problem}")
        plain = _plain(text, parse_mode)
        if len(plain.encode("utf-16-le")) // 2 > limit:
            subject = "message" if what == "message text" else "message caption"
            return _error(400, f"Bad Request: {subject} is too long")
        return None

    def _m_sendmessage(self, p: dict[str, Any]) -> Response:
        bad = self._check_text(p.get("text"), p.get("parse_mode"), 4096, "message text")
        if bad is not None:
            return bad
        return self._record("sendMessage", p, self._new_message(p, "text"), "text")

    def _file_message(self, p: dict[str, Any], kind: str) -> Response:
        bad = self._check_text(p.get("caption"), p.get("parse_mode"), 1024, "caption")
        if bad is not None:
            return bad
        upload = p.get(kind)
        if upload is None or upload == "":
            return _error(400, f"Bad Request: there is no {kind} in the request")
        msg = self._new_message(p, "caption")
        prefix = "BQACAgQAAxkDAAI" if kind == "document" else "AgACAgQAAxkDAAI"
        file_id = prefix + uuid.uuid4().hex[:24]
        if isinstance(upload, UploadedFile):
            with self.lock:
                self._files[file_id] = upload
            content, name, mime = upload.content, upload.filename, upload.content_type
        else:  # a file_id or URL: Telegram fetches it; we know nothing of its bytes
            content, name, mime = b"", None, None
        if kind == "document":
            doc: dict[str, Any] = {
                "file_id": file_id,
                "file_unique_id": "AgAD" + uuid.uuid4().hex[:8],
                "file_size": len(content),
            }
            if name:
                doc["file_name"] = name
            if mime:
                doc["mime_type"] = mime
            msg["document"] = doc
        else:
            w, h = _png_size(content)
            msg["photo"] = [
                {
                    "file_id": file_id,
                    "file_unique_id": "AQAD" + uuid.uuid4().hex[:8],
                    "width": w,
                    "height": h,
                    "file_size": len(content),
                }
            ]
        method = "sendDocument" if kind == "document" else "sendPhoto"
        return self._record(method, p, msg, "caption", **{kind: upload})

    def _m_senddocument(self, p: dict[str, Any]) -> Response:
        return self._file_message(p, "document")

    def _m_sendphoto(self, p: dict[str, Any]) -> Response:
        return self._file_message(p, "photo")

    def _m_sendchataction(self, p: dict[str, Any]) -> Response:
        return _ok(True)

    def _find(self, p: dict[str, Any]) -> dict[str, Any] | None:
        try:
            key = (p["chat_id"], int(p["message_id"]))
        except (KeyError, TypeError, ValueError):
            return None
        return self._messages.get(key)

    def _edit(self, p: dict[str, Any], method: str, field_name: str | None) -> Response:
        if p.get("inline_message_id"):
            return _ok(True)
        if field_name is not None:
            limit = 4096 if field_name == "text" else 1024
            what = "message text" if field_name == "text" else "caption"
            bad = self._check_text(p.get(field_name), p.get("parse_mode"), limit, what)
            if bad is not None:
                return bad
        with self.lock:
            old = self._find(p)
            if old is None:
                return _error(400, "Bad Request: message to edit not found")
            new = dict(old)
            if field_name is not None:
                new[field_name] = _plain(str(p.get(field_name) or ""), p.get("parse_mode"))
            markup = p.get("reply_markup")
            if isinstance(markup, dict) and "inline_keyboard" in markup:
                new["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
            else:
                new.pop("reply_markup", None)
            if {k: v for k, v in new.items() if k != "edit_date"} == {
                k: v for k, v in old.items() if k != "edit_date"
            }:
                return _error(
                    400,
                    "Bad Request: message is not modified: specified new message content and "
                    "reply markup are exactly the same as a current content and reply markup "
                    "of the message",
                )
            new["edit_date"] = int(self.clock())
        return self._record(method, p, new, field_name or "text")

    def _m_editmessagetext(self, p: dict[str, Any]) -> Response:
        return self._edit(p, "editMessageText", "text")

    def _m_editmessagecaption(self, p: dict[str, Any]) -> Response:
        return self._edit(p, "editMessageCaption", "caption")

    def _m_editmessagereplymarkup(self, p: dict[str, Any]) -> Response:
        return self._edit(p, "editMessageReplyMarkup", None)

    def _m_deletemessage(self, p: dict[str, Any]) -> Response:
        with self.lock:
            msg = self._find(p)
            if msg is None:
                return _error(400, "Bad Request: message to delete not found")
            del self._messages[(msg["chat"]["id"], msg["message_id"])]
        return _ok(True)

    def _m_answercallbackquery(self, p: dict[str, Any]) -> Response:
        query_id = str(p.get("callback_query_id", ""))
        with self.lock:
            if query_id not in self._open_callbacks:  # unknown, or already answered
                return _error(
                    400,
                    "Bad Request: query is too old and response timeout expired or query ID "
                    "is invalid",
                )
            self._open_callbacks.discard(query_id)
            self.callback_answers[query_id] = p
        return _ok(True)

    @staticmethod
    def _commands_key(p: dict[str, Any]) -> tuple[str, str]:
        scope = p.get("scope")
        scope_key = json.dumps(scope, sort_keys=True) if scope else '{"type": "default"}'
        return scope_key, str(p.get("language_code") or "")

    def _m_setmycommands(self, p: dict[str, Any]) -> Response:
        with self.lock:
            self.commands[self._commands_key(p)] = list(p.get("commands") or [])
        return _ok(True)

    def _m_getmycommands(self, p: dict[str, Any]) -> Response:
        with self.lock:
            return _ok(self.commands.get(self._commands_key(p), []))

    def _m_deletemycommands(self, p: dict[str, Any]) -> Response:
        with self.lock:
            self.commands.pop(self._commands_key(p), None)
        return _ok(True)

    def _m_getfile(self, p: dict[str, Any]) -> Response:
        file_id = str(p.get("file_id", ""))
        with self.lock:
            upload = self._files.get(file_id)
        if upload is None:
            return _error(400, "Bad Request: invalid file_id")
        return _ok(
            {
                "file_id": file_id,
                "file_unique_id": "AgAD" + file_id[-8:],
                "file_size": upload.size,
                "file_path": f"files/{file_id}",
            }
        )

    def _download(self, token: str, path: str) -> Response:
        if token != self.token:
            return _error(401, "Unauthorized")
        with self.lock:
            upload = self._files.get(path.removeprefix("files/"))
        if upload is None:
            return _error(404, "Not Found")
        return Response(200, upload.content, upload.content_type or "application/octet-stream")
