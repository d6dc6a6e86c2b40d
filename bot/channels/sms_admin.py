"""What `entraide doctor` asks Twilio: are the credentials good, and does the sender's incoming
webhook point at us.

twilio's own client (the one `SmsChannel` sends with), pointed at `ENTRAIDE_TWILIO_API_URL`.
Answers are neutral: the doctor never sees a twilio object or exception. Blocking calls: run
them in a thread from async code.
"""

from __future__ import annotations

from dataclasses import dataclass

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from bot.channels.sms import sender_kind
from bot.channels.twilio_forms import rest_client
from bot.settings import Settings

INBOUND_PATH = "/sms/inbound"


class TwilioProblem(Exception):
    """Twilio refused or could not be reached; `credentials` when the SID or token is wrong."""

    def __init__(self, message: str, *, credentials: bool = False) -> None:
        super().__init__(message)
        self.credentials = credentials


@dataclass(frozen=True)
class SenderWebhook:
    kind: str  # as `sms.sender_kind` says
    url: str | None  # the incoming-message webhook Twilio calls ("" unknown number; None: not
    # looked up, a Messaging Service's is set on the service)


def _client(settings: Settings) -> Client:
    return rest_client(settings)


def _problem(exc: Exception) -> TwilioProblem:
    if isinstance(exc, TwilioRestException):
        bad = exc.status in (401, 403) or exc.code == 20003
        return TwilioProblem(f"twilio {exc.status} code {exc.code}: {exc.msg}", credentials=bad)
    return TwilioProblem(f"{type(exc).__name__}: {str(exc)[:200]}")


def account_status(settings: Settings) -> str:
    """The account's status ('active', 'suspended', 'closed'): proves the SID and token."""
    client = _client(settings)
    try:
        return str(client.api.v2010.accounts(settings.twilio_account_sid).fetch().status)
    except (TwilioException, OSError, Exception) as exc:  # network errors are not wrapped
        raise _problem(exc) from None
    finally:
        _close(client)


def sender_webhook(settings: Settings) -> SenderWebhook:
    """Where Twilio posts the texts tenants send to ENTRAIDE_TWILIO_FROM."""
    sender = settings.twilio_from or ""
    kind = sender_kind(sender)
    if kind in ("messaging_service", "alphanumeric", "none"):
        return SenderWebhook(kind, None)  # a service's webhook is set on it, in the console
    client = _client(settings)
    try:
        account = client.api.v2010.accounts(settings.twilio_account_sid)
        if kind == "short_code":
            codes = account.short_codes.list(short_code=sender, limit=1)
            return SenderWebhook(kind, codes[0].sms_url if codes else "")
        found = account.incoming_phone_numbers.list(phone_number=sender, limit=1)
        return SenderWebhook(kind, found[0].sms_url if found else "")
    except (TwilioException, OSError, Exception) as exc:
        raise _problem(exc) from None
    finally:
        _close(client)


def _close(client: Client) -> None:
    session = getattr(client.http_client, "session", None)
    if session is not None:
        session.close()
