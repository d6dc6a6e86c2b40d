"""A fake Twilio REST API (Messages; the account, its numbers and short codes) for the real
``twilio`` client, with signed status callbacks.

Standard library only (plus twilio's RequestValidator to sign callbacks). Point a client at
it with ``client.api.base_url = fake.base_url`` (see ``fixtures.twilio_client_for``).

What it models, because real deployments fail there (DESIGN.md, "Facts from the field"):

* HTTP basic auth with the account SID and auth token: anything else answers 401 / 20003;
* a 201 Message resource like Twilio's (``SM`` + 32 hex, status "queued" — "accepted" with a
  Messaging Service —, ``num_segments`` from GSM-7/UCS-2, RFC 2822 dates);
* Twilio's legacy error body {"code", "message", "more_info", "status"}, which twilio turns
  into ``TwilioRestException`` with ``.code`` and ``.status``: permanent per-number errors
  (21211 invalid, 21610 unsubscribed, 21614 not a mobile, 21408 region not enabled) and
  transient ones (429/20429, 500/20500, 503/20503), plus the request checks Twilio makes
  (To/From/Body required, To in E.164, body at most 1,600 characters);
* outages (``go_down``/``come_back`` on the same port): twilio does NOT wrap those, the
  caller sees ``requests.ConnectionError`` (sync) or ``aiohttp.ClientConnectorError`` (async);
* calls: ``calls.create`` (To, From, Url required; StatusCallback, MachineDetection kept) answers
  a 201 Call resource (``CA`` + 32 hex, status "queued"); the test then posts what Twilio would
  (the Url once answered, the StatusCallback) with ``twilio_webhooks.call_params``;
* delivery: ``deliver(sid, status, error_code)`` POSTs the StatusCallback Twilio would send,
  signed with X-Twilio-Signature over the StatusCallback URL as given. Delivery errors
  (30003 unreachable, 30006 landline/carrier) only exist there, never as API errors.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

from ._server import FakeHTTPServer, Request, Response, json_response, post
from .sms_segments import segments
from .twilio_webhooks import (
    ACCOUNT_SID,
    API_VERSION,
    AUTH_TOKEN,
    new_sid,
    signed_headers,
    status_callback_params,
)

__all__ = ["ERRORS", "ApiCall", "Callback", "FakeTwilioAPI", "PlacedCall", "SentSms"]

# code -> (HTTP status, message template). Messages follow Twilio's wording.
ERRORS: dict[int, tuple[int, str]] = {
    20003: (401, "Authentication Error - invalid username"),
    20404: (404, "The requested resource {path} was not found"),
    20429: (429, "Too Many Requests"),
    20500: (500, "Internal Server Error"),
    20503: (503, "Service Unavailable"),
    21211: (400, "Invalid 'To' Phone Number: {to}"),
    21408: (
        400,
        "Permission to send an SMS has not been enabled for the region indicated by the "
        "'To' number: {to}",
    ),
    21602: (400, "Message body is required."),
    21603: (400, "A 'From' phone number is required."),
    21604: (400, "A 'To' phone number is required."),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21612: (400, "The 'To' phone number: {to}, is not currently reachable via SMS."),
    21614: (400, "'To' number is not a valid mobile number"),
    21617: (400, "The concatenated message body exceeds the 1600 character limit."),
    21205: (400, "Url is not a valid URL: {url}"),
}
# Delivery errors, for the ErrorMessage-free status callbacks (documentation only).
DELIVERY_ERRORS = {
    30003: "Unreachable destination handset",
    30005: "Unknown destination handset",
    30006: "Landline or unreachable carrier",
    30007: "Message filtered",
    30008: "Unknown error",
}

_E164 = re.compile(r"\+[1-9]\d{6,14}")
_ACCOUNT_RE = re.compile(r"/2010-04-01/Accounts/(?P<account>[^/]+)\.json")
_NUMBERS_RE = re.compile(
    r"/2010-04-01/Accounts/(?P<account>[^/]+)/(?P<kind>IncomingPhoneNumbers|SMS/ShortCodes)\.json"
)
_MESSAGES_RE = re.compile(
    r"/2010-04-01/Accounts/(?P<account>[^/]+)/Messages(?:/(?P<sid>[^/.]+))?\.json"
)
_CALLS_RE = re.compile(r"/2010-04-01/Accounts/(?P<account>[^/]+)/Calls\.json")


@dataclass
class PlacedCall:
    """A phone call the code under test asked Twilio to place."""

    sid: str
    to: str
    from_: str
    url: str
    status_callback: str | None
    machine_detection: str | None
    t: float
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class SentSms:
    """An SMS the code under test asked Twilio to send, and what became of it."""

    sid: str
    to: str
    from_: str | None
    body: str
    messaging_service_sid: str | None
    status_callback: str | None
    segments: int
    t: float
    date_created: str
    status: str = "queued"
    error_code: int | None = None
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class ApiCall:
    """One request to the fake: method, path, form params, time, HTTP status answered."""

    method: str
    path: str
    params: dict[str, str]
    t: float
    status: int = 0


@dataclass
class Callback:
    """A status callback the fake posted, and the HTTP status our server answered."""

    sid: str
    url: str
    params: dict[str, str]
    status: int


def twilio_error(code: int, status: int | None = None, **fmt: str) -> Response:
    """Twilio's legacy error body: {"code", "message", "more_info", "status"}.

    No "type"/"title" keys: with those twilio 9 would raise TwilioServiceException
    (RFC 9457) instead of TwilioRestException.
    """
    default_status, template = ERRORS.get(code, (400, "Error {code}"))
    status = status or default_status
    body: dict[str, Any] = {
        "code": code,
        "message": template.format(code=code, **fmt),
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    headers: dict[str, str] = {}
    if code == 20003:
        body["detail"] = "Your AccountSid or AuthToken was incorrect."
        headers["WWW-Authenticate"] = 'Basic realm="Twilio API"'
    return json_response(status, body, headers)


class FakeTwilioAPI(FakeHTTPServer):
    """The fake Twilio REST API. Start it, point a client at ``base_url``, assert on ``messages``.

    Args:
        account_sid, auth_token: the only credentials accepted (HTTP basic auth).
        clock: epoch seconds for date_created/date_updated (inject the app's test clock).
    """

    def __init__(
        self,
        account_sid: str = ACCOUNT_SID,
        auth_token: str = AUTH_TOKEN,
        *,
        clock: Callable[[], float] = time.time,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host, port)
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.clock = clock
        self.messages: list[SentSms] = []
        self.placed: list[PlacedCall] = []
        self.calls: list[ApiCall] = []
        self.callbacks: list[Callback] = []
        self._number_errors: dict[str, int] = {}
        self._rate_left = 0
        self._rate_code = 20429
        self._fail_left = 0
        self._fail_status = 500
        self.account_status = "active"
        # the account's numbers and short codes: sender -> the incoming-message webhook (sms_url)
        self.numbers: dict[str, str] = {}

    @property
    def base_url(self) -> str:
        """What to put in ``client.api.base_url`` (the real one is https://api.twilio.com)."""
        return self.url

    # ---- fault injection (thread-safe) ------------------------------------------------
    def fail_number(self, number: str, code: int) -> None:
        """Sends to ``number`` fail with ``code`` (21211, 21610, 21614, 21408…) until cleared."""
        with self.lock:
            self._number_errors[number] = code

    def clear_number(self, number: str) -> None:
        """Sends to ``number`` succeed again (e.g. the tenant texted START)."""
        with self.lock:
            self._number_errors.pop(number, None)

    def opt_out(self, number: str) -> None:
        """The number texted STOP to Twilio: sends now fail with 21610."""
        self.fail_number(number, 21610)

    def rate_limit(self, n: int, code: int = 20429) -> None:
        """The next ``n`` message creations answer 429 with ``code``."""
        with self.lock:
            self._rate_left, self._rate_code = n, code

    def fail(self, n: int, status: int = 500) -> None:
        """The next ``n`` message creations answer ``status`` (500 → 20500, 503 → 20503)."""
        with self.lock:
            self._fail_left, self._fail_status = n, status

    # ---- what was sent ------------------------------------------------------------------
    def messages_to(self, number: str) -> list[SentSms]:
        """Every SMS accepted for ``number``, in order."""
        with self.lock:
            return [m for m in self.messages if m.to == number]

    def message(self, sid: str) -> SentSms:
        """The SMS with this SID (KeyError if none)."""
        with self.lock:
            for m in self.messages:
                if m.sid == sid:
                    return m
        raise KeyError(sid)

    def wait_messages(self, number: str, n: int = 1, timeout: float = 10.0) -> list[SentSms]:
        """SMS to ``number`` once there are at least ``n`` (or all there are at timeout).

        Blocking: from an async test use ``wait_messages_async``.
        """
        end = time.monotonic() + timeout
        with self.lock:
            while True:
                got = [m for m in self.messages if m.to == number]
                if len(got) >= n or time.monotonic() >= end:
                    return got
                self.lock.wait(0.05)

    async def wait_messages_async(
        self,
        number: str,
        n: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109 - bounds the worker thread's wait
    ) -> list[SentSms]:
        """``wait_messages`` in a worker thread, so the event loop keeps running."""
        return await asyncio.to_thread(self.wait_messages, number, n, timeout)

    def calls_to(self, number: str) -> list[PlacedCall]:
        """Every call placed to ``number``, in order."""
        with self.lock:
            return [c for c in self.placed if c.to == number]

    def wait_calls(self, number: str, n: int = 1, timeout: float = 10.0) -> list[PlacedCall]:
        """Calls to ``number`` once there are at least ``n`` (or all there are at timeout)."""
        end = time.monotonic() + timeout
        with self.lock:
            while True:
                got = [c for c in self.placed if c.to == number]
                if len(got) >= n or time.monotonic() >= end:
                    return got
                self.lock.wait(0.05)

    # ---- delivery -----------------------------------------------------------------------
    def deliver(
        self,
        sid: str,
        status: str = "delivered",
        error_code: int | None = None,
        timeout: float = 10.0,
    ) -> int:
        """POST the status callback for ``sid``, signed; return the HTTP status our server answered.

        Also updates the message (status, error_code) as a later fetch would show it.
        Raises ValueError if the message had no StatusCallback, URLError if nobody listens.
        """
        msg = self.message(sid)
        if not msg.status_callback:
            raise ValueError(f"{sid} was sent without StatusCallback")
        with self.lock:
            msg.status, msg.error_code = status, error_code
        params = status_callback_params(
            sid,
            status,
            msg.to,
            msg.from_,
            account_sid=self.account_sid,
            error_code=error_code,
            messaging_service_sid=msg.messaging_service_sid,
        )
        url = msg.status_callback
        headers = signed_headers(self.auth_token, url, params)
        answered = post(url, urlencode(params).encode(), headers, timeout)
        with self.lock:
            self.callbacks.append(Callback(sid, url, params, answered))
        return answered

    # ---- the REST side --------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        """Route the Messages resource; everything else is 404 / 20404."""
        params = dict(request.form)
        call = ApiCall(request.method, request.path, params, time.time())
        with self.lock:
            self.calls.append(call)
        response = self._route(request, params)
        with self.lock:
            call.status = response.status
            self.lock.notify_all()
        return response

    def _authorised(self, request: Request) -> bool:
        scheme, _, encoded = (request.header("authorization") or "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(encoded).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return (user, password) == (self.account_sid, self.auth_token)

    def _route(self, request: Request, params: dict[str, str]) -> Response:
        if not self._authorised(request):
            return twilio_error(20003)
        if request.method == "GET" and (m := _ACCOUNT_RE.fullmatch(request.path)):
            if m.group("account") != self.account_sid:
                return twilio_error(20404, path=request.path)
            return json_response(200, self._account())
        if request.method == "GET" and (m := _NUMBERS_RE.fullmatch(request.path)):
            if m.group("account") != self.account_sid:
                return twilio_error(20404, path=request.path)
            return json_response(200, self._numbers(m.group("kind"), request.query))
        calls = _CALLS_RE.fullmatch(request.path)
        if calls is not None and calls.group("account") == self.account_sid:
            if request.method != "POST":
                return twilio_error(20404, path=request.path)
            return self._create_call(params)
        m = _MESSAGES_RE.fullmatch(request.path)
        if m is None or m.group("account") != self.account_sid:
            return twilio_error(20404, path=request.path)
        if m.group("sid"):
            if request.method != "GET":
                return twilio_error(20404, path=request.path)
            try:
                return json_response(200, self._resource(self.message(m.group("sid"))))
            except KeyError:
                return twilio_error(20404, path=request.path)
        if request.method == "GET":
            return json_response(200, self._list(request.query))
        if request.method != "POST":
            return twilio_error(20404, path=request.path)
        return self._create(params)

    def _list(self, query: Mapping[str, str]) -> dict[str, Any]:
        """GET Messages.json?To=…: the page shape of the 2010 API (one page, newest first), as
        the client's `messages.list(to=…)` reads it — what a bot asks after a crash to learn
        whether a message it was sending had left."""
        with self.lock:
            found = [m for m in self.messages if not query.get("To") or m.to == query["To"]]
        found.reverse()
        size = int(query.get("PageSize") or 50)
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        return {
            "messages": [self._resource(m) for m in found[:size]],
            "end": min(size, len(found)) - 1,
            "first_page_uri": uri,
            "next_page_uri": None,
            "page": 0,
            "page_size": size,
            "previous_page_uri": None,
            "start": 0,
            "uri": uri,
        }

    def _account(self) -> dict[str, Any]:
        """GET Accounts/{sid}.json: what `accounts(sid).fetch()` reads (credentials proven)."""
        return {
            "sid": self.account_sid,
            "friendly_name": "entraide test account",
            "status": self.account_status,
            "type": "Full",
            "uri": f"/2010-04-01/Accounts/{self.account_sid}.json",
        }

    def _numbers(self, kind: str, query: Mapping[str, str]) -> dict[str, Any]:
        """IncomingPhoneNumbers.json?PhoneNumber=… or SMS/ShortCodes.json?ShortCode=…: one
        page of the account's senders with their `sms_url` (where tenants' texts are posted)."""
        wanted = query.get("PhoneNumber") or query.get("ShortCode")
        with self.lock:
            found = [(n, url) for n, url in self.numbers.items() if not wanted or n == wanted]
        key = "incoming_phone_numbers" if kind == "IncomingPhoneNumbers" else "short_codes"
        field = "phone_number" if key == "incoming_phone_numbers" else "short_code"
        prefix = "PN" if key == "incoming_phone_numbers" else "SC"
        uri = f"/2010-04-01/Accounts/{self.account_sid}/{kind}.json"
        return {
            key: [
                {
                    "sid": prefix + f"{i:032x}",
                    "account_sid": self.account_sid,
                    field: number,
                    "sms_url": url,
                    "sms_method": "POST",
                }
                for i, (number, url) in enumerate(found, start=1)
            ],
            "end": max(len(found) - 1, 0),
            "first_page_uri": uri,
            "next_page_uri": None,
            "page": 0,
            "page_size": int(query.get("PageSize") or 50),
            "previous_page_uri": None,
            "start": 0,
            "uri": uri,
        }

    def _create(self, p: Mapping[str, str]) -> Response:
        to, body = p.get("To", ""), p.get("Body", "")
        with self.lock:
            if self._fail_left > 0:
                self._fail_left -= 1
                code = {500: 20500, 503: 20503}.get(self._fail_status, 20500)
                return twilio_error(code, self._fail_status)
            if self._rate_left > 0:
                self._rate_left -= 1
                return twilio_error(self._rate_code, 429)
            number_error = self._number_errors.get(to)
        if not to:
            return twilio_error(21604)
        if number_error is not None:
            return twilio_error(number_error, to=to)
        if not _E164.fullmatch(to.removeprefix("whatsapp:")):
            return twilio_error(21211, to=to)
        if not p.get("From") and not p.get("MessagingServiceSid"):
            return twilio_error(21603)
        if not body and not p.get("MediaUrl"):
            return twilio_error(21602)
        if len(body) > 1600:
            return twilio_error(21617)
        now = self.clock()
        msg = SentSms(
            sid=new_sid("SM"),
            to=to,
            from_=p.get("From") or None,
            body=body,
            messaging_service_sid=p.get("MessagingServiceSid") or None,
            status_callback=p.get("StatusCallback") or None,
            segments=max(1, segments(body)),
            t=time.time(),
            date_created=format_datetime(datetime.fromtimestamp(now, UTC)),
            status="accepted" if p.get("MessagingServiceSid") else "queued",
            params=dict(p),
        )
        with self.lock:
            self.messages.append(msg)
            self.lock.notify_all()
        return json_response(201, self._resource(msg))

    def _create_call(self, p: Mapping[str, str]) -> Response:
        """POST Calls.json as Twilio answers it: checks, then a queued Call resource."""
        to, from_, url = p.get("To", ""), p.get("From", ""), p.get("Url", "")
        with self.lock:
            number_error = self._number_errors.get(to)
        if not to:
            return twilio_error(21604)
        if number_error is not None:
            return twilio_error(number_error, to=to)
        if not _E164.fullmatch(to):
            return twilio_error(21211, to=to)
        if not from_:
            return twilio_error(21603)
        if not url.startswith(("http://", "https://")):
            return twilio_error(21205, url=url)
        call = PlacedCall(
            sid=new_sid("CA"),
            to=to,
            from_=from_,
            url=url,
            status_callback=p.get("StatusCallback") or None,
            machine_detection=p.get("MachineDetection") or None,
            t=time.time(),
            params=dict(p),
        )
        with self.lock:
            self.placed.append(call)
            self.lock.notify_all()
        now = format_datetime(datetime.fromtimestamp(self.clock(), UTC))
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Calls/{call.sid}"
        return json_response(
            201,
            {
                "account_sid": self.account_sid,
                "api_version": API_VERSION,
                "date_created": now,
                "date_updated": now,
                "direction": "outbound-api",
                "from": from_,
                "sid": call.sid,
                "status": "queued",
                "to": to,
                "uri": f"{uri}.json",
            },
        )

    def _resource(self, m: SentSms) -> dict[str, Any]:
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{m.sid}"
        updated = format_datetime(datetime.fromtimestamp(self.clock(), UTC))
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": m.body,
            "date_created": m.date_created,
            "date_sent": updated if m.status in ("sent", "delivered") else None,
            "date_updated": updated,
            "direction": "outbound-api",
            "error_code": m.error_code,
            "error_message": DELIVERY_ERRORS.get(m.error_code or 0),
            "from": m.from_,
            "messaging_service_sid": m.messaging_service_sid,
            "num_media": "0",
            "num_segments": str(m.segments),
            "price": None,
            "price_unit": "USD",
            "sid": m.sid,
            "status": m.status,
            "subresource_uris": {"media": f"{uri}/Media.json"},
            "to": m.to,
            "uri": f"{uri}.json",
        }
