"""The SMS webhook's form reader (the standard library's `parse_qsl`) reads exactly what
Starlette's form parser reads, and twilio's validator sees the values through it."""

from __future__ import annotations

import asyncio

from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.datastructures import Headers
from starlette.formparsers import FormParser
from twilio.request_validator import RequestValidator

from bot.channels.twilio_forms import parse_form

PIECES = ["a", "b", "=", "&", "+", "%", "%20", "%C3%A9", "%e9", ";", "%2", " ", "%26", "%3D"]


def starlette_form(body: bytes) -> dict[str, str]:
    async def stream():  # type: ignore[no-untyped-def]
        yield body
        yield b""

    async def parse() -> dict[str, str]:
        headers = Headers({"content-type": "application/x-www-form-urlencoded"})
        form = await FormParser(headers, stream()).parse()
        return {k: v for k, v in form.multi_items() if isinstance(v, str)}

    return asyncio.run(parse())


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(PIECES), st.binary(max_size=3).map(lambda b: b.decode("latin-1")))
    )
)
def test_form_fields_as_starlette_reads_them(pieces: list[str]) -> None:
    body = "".join(pieces).encode("latin-1")
    assert dict(parse_form(body)) == starlette_form(body)


def test_the_validator_sees_the_values() -> None:
    params = parse_form(b"Body=2+baguettes&From=%2B33612345678&ToState=")
    assert params == {"Body": "2 baguettes", "From": "+33612345678", "ToState": ""}
    assert params.getall("Body") == ["2 baguettes"]
    # twilio's own validator, reading the values through `getall`, accepts Twilio's signature
    # of exactly these values and refuses it once one value is changed
    url = "https://entraide.example/sms"
    validator = RequestValidator("token")
    signature = validator.compute_signature(url, {"Body": "2 baguettes", "From": "+33612345678",
                                                  "ToState": ""})  # fmt: skip
    assert validator.validate(url, params, signature)
    forged = parse_form(b"Body=3+baguettes&From=%2B33612345678&ToState=")
    assert not validator.validate(url, forged, signature)
