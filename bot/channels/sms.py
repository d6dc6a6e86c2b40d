"""The SMS channel, through Twilio: signed webhooks in, TwiML replies, REST sends out.

Twilio signs the URL it was told to call. Behind a proxy the scheme or host we see differ, so
the signature is checked against ENTRAIDE_PUBLIC_URL + path, never the request's own Host
(`bot.channels.twilio_forms`, shared with the voice channel).
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from sqlalchemy.exc import DBAPIError
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.gsm import to_gsm
from bot.channels.render import plain
from bot.channels.twilio_forms import SignedForms, rest_client
from bot.service import Service
from bot.settings import Settings
from handlers.types import Inbound, Reply
from models.base import DeliveryStatus
from models.phones import international, mask
from scheduler.outbox_rows import record_delivery
from scheduler.sending import DeliveryReport, SendResult

log = logging.getLogger("entraide.sms")

CHANNEL = "sms"
SID = re.compile(r"^(SM|MM)[0-9a-fA-F]{32}$")

# Twilio's error dictionary: permanent ones mark the person; the others are retried.
TWILIO_PERMANENT = {
    21211: "invalid number",
    21408: "region not enabled",
    21610: "unsubscribed (STOP)",
    21612: "unreachable route",
    21614: "not a mobile number",
    30005: "unknown number",
    30006: "landline or unreachable carrier",
}
TWILIO_RETRYABLE = frozenset({20429, 30001, 30003, 30008})
TWILIO_OPTED_OUT = 21610
# Twilio's MessageStatus words, in the outbox's terms.
TWILIO_STATUS = {
    "accepted": DeliveryStatus.PENDING,
    "scheduled": DeliveryStatus.PENDING,
    "queued": DeliveryStatus.PENDING,
    "sending": DeliveryStatus.PENDING,
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.DELIVERED,
    "undelivered": DeliveryStatus.FAILED,
    "failed": DeliveryStatus.FAILED,
}


def render(reply: Reply) -> str:
    """What an SMS says: the text, the numbered choices, in GSM-7 wherever possible."""
    return to_gsm(plain(reply))


def sender_kind(sender: str | None) -> str:
    """What ENTRAIDE_TWILIO_FROM is, by Twilio's rules for France (DESIGN.md): `none`,
    `messaging_service`, `short_code`, `alphanumeric` (one-way), `french_mobile` (a long code
    Twilio reserves for person-to-person traffic) or `long_code`."""
    if not sender:
        return "none"
    if sender.startswith("MG"):
        return "messaging_service"
    if re.fullmatch(r"\d{5,6}", sender):
        return "short_code"
    if not sender.startswith("+") and any(c.isalpha() for c in sender):
        return "alphanumeric"
    if sender.startswith(("+336", "+337")):
        return "french_mobile"
    return "long_code"


_SENDER_KINDS = {
    "none": ("none", False),
    "messaging_service": ("a Twilio Messaging Service (its numbers decide who can reply)", True),
    "short_code": ("a short code: right for an automated two-way service in France", True),
    "alphanumeric": ("an alphanumeric sender ID: ONE-WAY, tenants cannot reply to it", False),
    "french_mobile": (
        "a French mobile long code: Twilio reserves these for person-to-person traffic; "
        "an automated two-way service needs a French short code",
        True,
    ),
    "long_code": ("a long code (phone number)", True),
}


def describe_sender(sender: str | None) -> tuple[str, bool]:
    """What kind of sender ENTRAIDE_TWILIO_FROM is, and whether tenants can reply to it."""
    return _SENDER_KINDS[sender_kind(sender)]


class SmsChannel:
    replies_after_ack = False  # answers leave in the webhook's TwiML
    per_recipient_gap = 0.0

    def __init__(self, settings: Settings, service: Service | None) -> None:
        self.settings, self.service = settings, service
        token = settings.twilio_auth_token.get_secret_value() if settings.twilio_auth_token else ""
        self.forms = SignedForms(token, settings.public_url, log)
        self.public_url = settings.public_url
        self._client: Client | None = None

    # --- inbound ------------------------------------------------------------------------------
    async def inbound(self, request: Request) -> Response:
        """A text from a tenant: check, record once, answer in TwiML."""
        params = await self._signed_form(request)
        if isinstance(params, Response):
            return params
        sid = params.get("MessageSid") or params.get("SmsSid") or ""
        sender = params.get("From", "")
        if not SID.match(sid) or not sender:
            log.warning("sms inbound without a MessageSid or From: rejected")
            return PlainTextResponse("missing MessageSid or From", status_code=400)
        # Twilio's From is E.164; without "+" it is a short code or a name, never a phone
        phone = international(sender) if sender.startswith("+") else None
        if phone is None:  # a carrier notice or an alphanumeric sender: never answer it
            log.info(
                "sms %s from non-phone sender %s: recorded nothing, no reply", sid, sender[:12]
            )
            return _twiml([])
        body = params.get("Body", "")
        media = params.get("NumMedia", "0")
        msg = Inbound(
            channel=CHANNEL,
            external_id=sid,
            address=phone,
            phone=phone,
            text=body,
            received_at=self.service.ctx.now(),  # type: ignore[union-attr]
            unreadable=not body.strip() and media not in ("", "0"),
        )
        try:
            outcome = await self.service.handle(msg)  # type: ignore[union-attr]
        except DBAPIError as exc:
            # Nothing was kept (one transaction): let Twilio send it again (webhook retries,
            # `#rc=` on the URL) rather than answer something we did not do.
            log.error(
                "sms %s from %s: database unavailable (%s)", sid, mask(phone), type(exc).__name__
            )
            return PlainTextResponse("database unavailable, send again", status_code=503)
        except Exception:
            log.exception("sms %s from %s: handling failed", sid, mask(phone))
            return _twiml([render(Reply(text=_error_text(), lang="fr"))])
        log.info(
            "sms %s from %s: %s",
            sid,
            mask(phone),
            "duplicate, same answer" if outcome.duplicate else f"{len(outcome.replies)} reply",
        )
        return _twiml([render(r) for r in outcome.replies])

    async def status(self, request: Request) -> Response:
        """Twilio's delivery report for a message we sent."""
        params = await self._signed_form(request)
        if isinstance(params, Response):
            return params
        sid = params.get("MessageSid") or params.get("SmsSid") or ""
        state = params.get("MessageStatus") or params.get("SmsStatus") or ""
        code = params.get("ErrorCode") or None
        if not sid or not state:
            return PlainTextResponse("missing MessageSid or MessageStatus", status_code=400)
        assert self.service is not None
        report = delivery_report(state, code)
        for _ in range(25):  # Twilio can call back before we have recorded the sid it gave us
            if await self.service.rt.db.run(record_delivery, self.service.ctx, sid, report):
                return Response(status_code=204)
            await asyncio.sleep(0.2)
        log.info("status %s for unknown message %s: ignored", state, sid)
        return Response(status_code=204)

    async def _signed_form(self, request: Request) -> dict[str, str] | Response:
        return await self.forms.read(request)

    # --- outbound -----------------------------------------------------------------------------
    @property
    def client(self) -> Client:
        if self._client is None:
            self._client = rest_client(self.settings)
        return self._client

    def send(self, address: str, payload: dict[str, Any]) -> SendResult:
        """Send one text now (blocking: called from the dispatcher's worker thread)."""
        body = render(Reply.from_json(payload))
        kwargs: dict[str, Any] = {"to": address, "body": body}
        sender = self.settings.twilio_from or ""
        if sender.startswith("MG"):
            kwargs["messaging_service_sid"] = sender
        else:
            kwargs["from_"] = sender
        if self.public_url:
            kwargs["status_callback"] = self.public_url.rstrip("/") + "/sms/status"
        try:
            message = self.client.messages.create(**kwargs)
        except TwilioRestException as exc:
            return classify(exc)
        except (TwilioException, OSError, Exception) as exc:  # network, DNS, timeouts
            return SendResult(ok=False, error=f"{type(exc).__name__}: {str(exc)[:200]}")
        return SendResult(ok=True, external_id=message.sid)

    def sent_since(self, address: str, body: str, since: Any) -> str | None:
        """The sid of a message with this body already sent to `address` (crash recovery)."""
        try:
            for message in self.client.messages.list(to=address, date_sent_after=since, limit=50):
                if message.body == render(Reply.from_json({"text": body})) or message.body == body:
                    return str(message.sid)
        except Exception as exc:
            log.warning("could not list Twilio messages to %s: %s", mask(address), exc)
        return None


def classify(exc: TwilioRestException) -> SendResult:
    """A refused send, in the outbox's terms."""
    code = int(exc.code) if exc.code else 0
    text = f"twilio {exc.status} code {code}: {str(exc.msg)[:160]}"
    if code in TWILIO_PERMANENT:
        return SendResult(False, permanent=True, opted_out=code == TWILIO_OPTED_OUT, error=text)
    if exc.status == 429 or code in TWILIO_RETRYABLE or exc.status >= 500:
        return SendResult(False, error=text)
    return SendResult(False, permanent=True, error=text)


def delivery_report(state: str, code: str | None) -> DeliveryReport:
    """A status callback (MessageStatus, ErrorCode), in the outbox's terms."""
    status = TWILIO_STATUS.get(state, DeliveryStatus.OTHER)
    if status is not DeliveryStatus.FAILED:
        return DeliveryReport(status)
    number = int(code) if code and code.isdigit() else 0
    return DeliveryReport(
        status,
        retryable=number in TWILIO_RETRYABLE,
        opted_out=number == TWILIO_OPTED_OUT,
        error=f"twilio {state} code {number}",
    )


def _twiml(texts: list[str]) -> Response:
    reply = MessagingResponse()
    for text in texts:
        reply.message(text)
    return Response(str(reply), media_type="application/xml")


def _error_text() -> str:
    from handlers.texts import t

    return t("fr", "common.error")
