"""What Twilio POSTs to us: inbound SMS webhooks and message status callbacks, signed.

Why build them field by field: our ``/sms/inbound`` must accept the request Twilio really
sends (a form with ~20 fields, most irrelevant, some empty strings for non-US numbers) and
verify its X-Twilio-Signature, which covers EVERY field and the exact URL Twilio called.
A test that posts only From/Body with a hand-made signature would not catch a route
that validates against the wrong URL or drops a field before validating.

Signatures use twilio's own ``RequestValidator``, so they are what the library expects.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from twilio.request_validator import RequestValidator

from .sms_segments import segments

__all__ = [
    "ACCOUNT_SID",
    "AUTH_TOKEN",
    "TWILIO_NUMBER",
    "call_params",
    "country_of",
    "inbound_params",
    "new_sid",
    "signed_headers",
    "status_callback_params",
]

ACCOUNT_SID = "AC" + "0e1d2c3b4a5f60718293a4b5c6d7e8f9"
AUTH_TOKEN = "f2b6c4d8e0a1b3c5d7e9f1a3b5c7d9e1"
TWILIO_NUMBER = "+33757000001"  # a French mobile long code
API_VERSION = "2010-04-01"

# Calling codes Twilio reports as FromCountry/ToCountry, enough for a cross-Channel service.
_COUNTRIES = (
    ("+33", "FR"),
    ("+44", "GB"),
    ("+32", "BE"),
    ("+262", "RE"),
    ("+590", "GP"),
    ("+596", "MQ"),
    ("+1", "US"),
)


def new_sid(prefix: str = "SM") -> str:
    """A Twilio-shaped SID: two letters and 32 hex digits."""
    return prefix + uuid.uuid4().hex


def country_of(number: str) -> str:
    """ISO country code Twilio would report for an E.164 number ("" if unknown)."""
    for code, country in sorted(_COUNTRIES, key=lambda c: -len(c[0])):
        if number.startswith(code):
            return country
    return ""


def inbound_params(
    from_: str,
    body: str,
    to: str = TWILIO_NUMBER,
    sid: str | None = None,
    *,
    account_sid: str = ACCOUNT_SID,
    messaging_service_sid: str | None = None,
    opt_out_type: str | None = None,
) -> dict[str, str]:
    """The form Twilio POSTs for an incoming SMS, every field a string.

    ``messaging_service_sid`` is absent unless the number belongs to a Messaging Service;
    ``opt_out_type`` ("STOP", "START", "HELP") is what Advanced Opt-Out adds when a keyword
    was recognised (Twilio has then already opted the number out or in).
    City/State/Zip are empty strings outside North America, as Twilio sends them.
    """
    sid = sid or new_sid("SM")
    params = {
        "ToCountry": country_of(to),
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": country_of(from_),
        "To": to,
        "ToZip": "",
        "NumSegments": str(max(1, segments(body))),
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": from_,
        "ApiVersion": API_VERSION,
    }
    if messaging_service_sid:
        params["MessagingServiceSid"] = messaging_service_sid
    if opt_out_type:
        params["OptOutType"] = opt_out_type
    return params


def status_callback_params(
    message_sid: str,
    status: str,
    to: str,
    from_: str | None,
    *,
    account_sid: str = ACCOUNT_SID,
    error_code: int | str | None = None,
    messaging_service_sid: str | None = None,
) -> dict[str, str]:
    """The form Twilio POSTs to a StatusCallback (queued, sent, delivered, undelivered, failed).

    Delivery failures such as 30003 (unreachable handset) or 30006 (landline or unreachable
    carrier) only ever arrive here, as ErrorCode, never as an API error.
    """
    params = {
        "SmsSid": message_sid,
        "SmsStatus": status,
        "MessageStatus": status,
        "To": to,
        "MessageSid": message_sid,
        "AccountSid": account_sid,
        "ApiVersion": API_VERSION,
    }
    if from_:
        params["From"] = from_
    if messaging_service_sid:
        params["MessagingServiceSid"] = messaging_service_sid
    if error_code is not None:
        params["ErrorCode"] = str(error_code)
    return params


def call_params(
    call_sid: str,
    from_: str,
    to: str = TWILIO_NUMBER,
    *,
    status: str = "in-progress",
    direction: str = "inbound",
    account_sid: str = ACCOUNT_SID,
    **extra: str,
) -> dict[str, str]:
    """The form Twilio POSTs to a voice webhook: the number's Voice URL (direction
    "inbound"), a <Gather> or <Record> action (add SpeechResult, Confidence, Digits,
    RecordingUrl…), an outbound call's Url once answered (direction "outbound-api", with
    AnsweredBy when MachineDetection was asked) or its StatusCallback (CallStatus
    completed, busy, no-answer, failed)."""
    params = {
        "AccountSid": account_sid,
        "ApiVersion": API_VERSION,
        "CallSid": call_sid,
        "CallStatus": status,
        "Called": to,
        "CalledCountry": country_of(to),
        "Caller": from_,
        "CallerCountry": country_of(from_),
        "Direction": direction,
        "From": from_,
        "FromCity": "",
        "FromCountry": country_of(from_),
        "FromState": "",
        "FromZip": "",
        "To": to,
        "ToCity": "",
        "ToCountry": country_of(to),
        "ToState": "",
        "ToZip": "",
    }
    params.update(extra)
    return params


def signed_headers(auth_token: str, url: str, params: Mapping[str, str]) -> dict[str, str]:
    """Headers of a form POST Twilio signed for ``url``: X-Twilio-Signature and friends.

    ``url`` must be the public URL Twilio was configured with (scheme, host, path, query),
    not what our server sees behind a proxy.
    """
    signature = RequestValidator(auth_token).compute_signature(url, dict(params))
    return {
        "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
        "X-Twilio-Signature": signature,
        "I-Twilio-Idempotency-Token": str(uuid.uuid4()),
        "User-Agent": "TwilioProxy/1.1",
        "Accept": "*/*",
    }
