"""The voice channel, through Twilio: phone calls for tenants with a landline only.

Calls in: Twilio posts signed webhooks (`/voice/inbound`, then each `<Gather>`'s action
`/voice/gather?step=N`, an unknown caller's `<Record>` action `/voice/recorded`); each becomes a
`handlers.voice_flow.CallEvent`, the core answers a neutral `VoiceTurn`, and this module renders
it as TwiML with the twilio library's `VoiceResponse`. Calls out: the outbox hands over every
message waiting for one person at once (`send_group`), so they are read one after another in one
call (`/voice/outbound?rows=…`); Twilio's status callback (`/voice/status`) says whether anybody
answered. Nothing else here knows a call's rules.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import DBAPIError
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client
from twilio.twiml.voice_response import Gather, VoiceResponse

from bot.channels.twilio_forms import SignedForms, rest_client
from bot.service import Service
from bot.settings import Settings
from handlers.voice_inbound import handle_call_safely
from handlers.voice_types import CallEvent, VoiceTurn
from models.base import DeliveryStatus
from models.phones import international, mask
from scheduler.outbox_rows import record_delivery
from scheduler.sending import DeliveryReport, SendResult

log = logging.getLogger("entraide.voice")

CHANNEL = "voice"
CALL_SID = re.compile(r"^CA[0-9a-fA-F]{32}$")
RETRY_AFTER = 30 * 60.0  # no answer, busy, failed: one more try half an hour later
ATTEMPTS = 2
UNANSWERED = frozenset({"busy", "no-answer", "failed", "canceled"})
# Twilio's call errors that will not change by calling again.
PERMANENT = {13224: "invalid number", 13225: "forbidden number", 21211: "invalid number"}
HUMAN = frozenset({"human", "unknown", ""})


class VoiceChannel:
    replies_after_ack = False  # a call's answers are its TwiML
    per_recipient_gap = 0.0
    groups_per_recipient = True  # one call reads every message waiting for the person

    def __init__(self, settings: Settings, service: Service | None) -> None:
        self.settings, self.service = settings, service
        token = settings.twilio_auth_token.get_secret_value() if settings.twilio_auth_token else ""
        self.forms = SignedForms(token, settings.public_url, log)
        self._client: Client | None = None

    # --- calls in ------------------------------------------------------------------------------
    async def inbound(self, request: Request) -> Response:
        """A call to the service's number: greet a known caller, let a stranger record."""
        return await self._step(request, "start")

    async def gather(self, request: Request) -> Response:
        """What the caller said (SpeechResult, Confidence) or pressed (Digits), or silence."""
        return await self._step(request, "gather")

    async def recorded(self, request: Request) -> Response:
        """An unknown caller's message was recorded."""
        return await self._step(request, "recorded")

    async def outbound(self, request: Request) -> Response:
        """A call we placed was answered (by a person or a machine): read what waits."""
        return await self._step(request, "outbound")

    async def _step(self, request: Request, step: str) -> Response:
        params = await self.forms.read(request)
        if isinstance(params, Response):
            return params
        sid = params.get("CallSid", "")
        outbound = step == "outbound" or params.get("Direction", "").startswith("outbound")
        raw = params.get("To" if outbound else "From", "")
        phone = international(raw) if raw.startswith("+") else None
        if not CALL_SID.match(sid) or phone is None:
            log.warning("voice %s without a CallSid or a caller's number: rejected", step)
            if CALL_SID.match(sid):  # a withheld number: nobody to serve, say so kindly
                return _twiml(_withheld(self._site().language))
            return PlainTextResponse("missing CallSid or number", status_code=400)
        event = CallEvent(
            sid=sid,
            phone=phone,
            step=step,
            n=_int(request.query_params.get("step")),
            speech=params.get("SpeechResult", ""),
            confidence=_float(params.get("Confidence")),
            digits=params.get("Digits", ""),
            recording_url=params.get("RecordingUrl", ""),
            recording_seconds=_int(params.get("RecordingDuration")),
            machine=params.get("AnsweredBy", "") not in HUMAN,
            rows=_rows(request.query_params.get("rows", "")),
        )
        assert self.service is not None
        db = self.service.rt.db
        try:
            turn = await db.run_plain(handle_call_safely, db.call, self.service.ctx, event)
        except DBAPIError as exc:
            log.error("call %s: database unavailable (%s)", mask(sid), type(exc).__name__)
            return PlainTextResponse("database unavailable, try again", status_code=503)
        log.info("call %s from %s: %s", mask(sid), mask(phone), step)
        return _twiml(self.render(turn, request))

    def render(self, turn: VoiceTurn, request: Request | None = None) -> VoiceResponse:
        """A turn as TwiML: <Say> each sentence in the site's voice (chosen by the core from the
        site's settings), then <Gather>, <Record> or <Hangup>."""
        voice, language = turn.voice or None, turn.speech_language or None
        response = VoiceResponse()
        base = self.forms.base(request)
        if turn.listen:
            action = f"{base}/voice/gather?step={turn.next_step}"
            gather = Gather(
                input="dtmf" if turn.listen == "keys" else "speech dtmf",
                action=action,
                method="POST",
                language=language,
                hints=", ".join(turn.hints) or None,
                num_digits=1,
                timeout=6,
                speech_timeout="auto",
                action_on_empty_result=True,
            )
            for sentence in turn.say:
                gather.say(sentence, voice=voice, language=language)
            response.append(gather)
            response.redirect(action, method="POST")  # no input at all: the same action, empty
            return response
        for sentence in turn.say:
            response.say(sentence, voice=voice, language=language)
        if turn.record:
            response.record(
                action=f"{base}/voice/recorded",
                method="POST",
                max_length=turn.record_seconds,
                timeout=5,
                play_beep=True,
            )
        response.hangup()
        return response

    async def status(self, request: Request) -> Response:
        """Twilio's word on a call we placed: answered, or busy, no answer, failed."""
        params = await self.forms.read(request)
        if isinstance(params, Response):
            return params
        sid, state = params.get("CallSid", ""), params.get("CallStatus", "")
        if not sid or not state:
            return PlainTextResponse("missing CallSid or CallStatus", status_code=400)
        assert self.service is not None
        report = call_report(state, params.get("ErrorCode"), params.get("AnsweredBy", ""))
        for _ in range(25):  # a quick "busy" can overtake the recording of the call's sid
            if await self.service.rt.db.run(record_delivery, self.service.ctx, sid, report):
                return Response(status_code=204)
            await asyncio.sleep(0.2)
        log.info("call status %s for unknown call %s: ignored", state, mask(sid))
        return Response(status_code=204)

    # --- calls out -----------------------------------------------------------------------------
    @property
    def client(self) -> Client:
        if self._client is None:
            self._client = rest_client(self.settings)
        return self._client

    def send(self, address: str, payload: dict[str, Any]) -> SendResult:
        """One message alone (the outbox groups them: see `send_group`)."""
        return self.send_group(address, [(0, payload)])

    def send_group(self, address: str, rows: Sequence[tuple[int, dict[str, Any]]]) -> SendResult:
        """Call `address` once for these outbox rows (blocking: the dispatcher's worker thread).
        The TwiML URL names the rows; the call reads them when it is answered."""
        base = self.forms.base()
        sender = self.settings.twilio_from or ""
        if not base or not sender.startswith("+"):
            return SendResult(
                False,
                permanent=True,
                error="calls need ENTRAIDE_PUBLIC_URL and a phone number in ENTRAIDE_TWILIO_FROM",
            )
        ids = ",".join(str(i) for i, _ in rows if i)
        try:
            call = self.client.calls.create(
                to=address,
                from_=sender,
                url=f"{base}/voice/outbound?rows={ids}",
                method="POST",
                status_callback=f"{base}/voice/status",
                status_callback_method="POST",
                machine_detection="Enable",
            )
        except TwilioRestException as exc:
            code = int(exc.code) if exc.code else 0
            text = f"twilio {exc.status} code {code}: {str(exc.msg)[:160]}"
            return SendResult(False, permanent=code in PERMANENT or exc.status == 400, error=text)
        except (TwilioException, OSError, Exception) as exc:  # network, DNS, timeouts
            return SendResult(False, error=f"{type(exc).__name__}: {str(exc)[:200]}")
        return SendResult(ok=True, external_id=call.sid)

    def _site(self) -> Any:
        assert self.service is not None
        return self.service.ctx.config.sites[0]


def call_report(state: str, code: str | None, answered_by: str = "") -> DeliveryReport:
    """A call's status callback, in the outbox's terms: nobody answered is worth one more try
    half an hour later; an answering machine took the short message."""
    if state == "completed":
        return DeliveryReport(DeliveryStatus.DELIVERED)
    if state in UNANSWERED:
        number = int(code) if code and code.isdigit() else 0
        return DeliveryReport(
            DeliveryStatus.FAILED,
            retryable=number not in PERMANENT,
            error=f"call {state}" + (f" code {number}" if number else ""),
            retry_after=RETRY_AFTER,
            attempts=ATTEMPTS,
        )
    return DeliveryReport(DeliveryStatus.PENDING)  # queued, ringing, in-progress


def _withheld(lang: str) -> VoiceResponse:
    from handlers.texts import t

    response = VoiceResponse()
    response.say(t(lang, "voice.withheld"))
    response.hangup()
    return response


def _twiml(response: VoiceResponse) -> Response:
    return Response(str(response), media_type="application/xml")


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _rows(value: str) -> tuple[int, ...]:
    return tuple(int(v) for v in value.split(",") if v.isdigit())[:20]
