"""Twilio's signed form posts, checked once for every Twilio route (SMS and voice), and the one
REST client every Twilio adapter builds.

Twilio signs the URL it was told to call. Behind a proxy the scheme or host we see differ, so
the signature is checked against ENTRAIDE_PUBLIC_URL + path (+ query), never the request's own
Host.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.logs import Throttled
from bot.settings import Settings


def rest_client(settings: Settings) -> Client:
    """The twilio REST client at `ENTRAIDE_TWILIO_API_URL` (tests and local trials point it at a
    fake). The environment is pinned: a TWILIO_EDGE in the shell would rewrite a local host."""
    token = settings.twilio_auth_token.get_secret_value() if settings.twilio_auth_token else ""
    client = Client(
        settings.twilio_account_sid, token, environment={"TWILIO_EDGE": "", "TWILIO_REGION": ""}
    )
    client.api.base_url = settings.twilio_api_url
    return client


MAX_FIELDS = 1000  # Twilio sends about twenty; Starlette's form parser has the same limit


class Params(dict[str, str]):
    """A form's fields, last value of a repeated name winning (as Starlette's form gave them).

    `getall` is what twilio's RequestValidator looks for first: a plain dict costs it two
    caught AttributeErrors per field, twice per request (the URL with and without the port).
    """

    def getall(self, name: str) -> list[str]:
        return [self[name]]


def parse_form(body: bytes) -> Params:
    """An `application/x-www-form-urlencoded` body, read as Starlette's form parser reads it
    (fields split on `&`, a field without `=` is blank, `+` is a space, %-escapes are UTF-8,
    bytes outside them Latin-1) without its callback machinery, the costlier part of an SMS
    webhook's own work."""
    pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    return Params(pairs)


class SignedForms:
    """Reads a Twilio webhook's form once its X-Twilio-Signature holds."""

    def __init__(self, auth_token: str, public_url: str | None, log: logging.Logger) -> None:
        self.validator = RequestValidator(auth_token)
        self.public_url = public_url
        self.log = log
        self.forged = Throttled(log)  # forged requests: a line a minute, not one each

    async def read(self, request: Request) -> dict[str, str] | Response:
        """The form's fields, or the response refusing the request (415, 400, 403)."""
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "application/x-www-form-urlencoded":
            self.log.warning("%s: content type %r refused", request.url.path, ctype)
            return PlainTextResponse("expected application/x-www-form-urlencoded", status_code=415)
        try:
            params = parse_form(await request.body())
        except Exception:
            self.log.warning("%s: unreadable form body refused", request.url.path)
            return PlainTextResponse("unreadable body", status_code=400)
        url = self.signed_url(request)
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not self.validator.validate(url, params, signature):
            self.forged.warning(
                request.url.path,
                "%s: bad or missing X-Twilio-Signature (checked against %s)",
                request.url.path,
                url,
            )
            return PlainTextResponse("invalid signature", status_code=403)
        return params

    def signed_url(self, request: Request) -> str:
        base = self.base(request)
        query = f"?{request.url.query}" if request.url.query else ""
        return base + request.url.path + query

    def base(self, request: Request | None = None) -> str:
        """Where Twilio reaches us: ENTRAIDE_PUBLIC_URL, else what this request came to."""
        if self.public_url or request is None:
            return (self.public_url or "").rstrip("/")
        return f"{request.url.scheme}://{request.url.netloc}"
