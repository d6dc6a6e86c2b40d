"""pytest fixtures for the fake Telegram and Twilio servers (import them into conftest.py).

Function-scoped: every test gets fresh servers on fresh ports, so recorded state and
injected faults never leak between tests. On teardown a fixture fails the test if the
fake itself raised (``fake.errors``): a fake's bug must not pass for the app's behaviour.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from twilio.rest import Client

from ._server import FakeHTTPServer
from .recorder import RecordingServer
from .telegram_api import FakeBotAPI
from .twilio_api import FakeTwilioAPI

__all__ = [
    "fake_telegram",
    "fake_twilio",
    "free_port",
    "recording_server",
    "twilio_client",
    "twilio_client_for",
]


def free_port(host: str = "127.0.0.1") -> int:
    """A port free right now, for servers that need one chosen up front (uvicorn).

    The fakes do not use it: they bind port 0 and read the port back, which cannot race.
    """
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _check_and_stop(fake: FakeHTTPServer) -> None:
    fake.stop()
    if fake.errors:
        pytest.fail(f"{type(fake).__name__} raised:\n" + "\n".join(fake.errors), pytrace=False)


@pytest.fixture
def fake_telegram() -> Iterator[FakeBotAPI]:
    """A running FakeBotAPI: PTB takes ``fake_telegram.base_url`` and ``fake_telegram.token``."""
    fake = FakeBotAPI().start()
    try:
        yield fake
    finally:
        _check_and_stop(fake)


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilioAPI]:
    """A running FakeTwilioAPI; see ``twilio_client_for`` to point a client at it."""
    fake = FakeTwilioAPI().start()
    try:
        yield fake
    finally:
        _check_and_stop(fake)


@pytest.fixture
def recording_server() -> Iterator[RecordingServer]:
    """A local endpoint that records what it receives (status callbacks, webhook posts)."""
    server = RecordingServer().start()
    try:
        yield server
    finally:
        _check_and_stop(server)


def twilio_client_for(fake: FakeTwilioAPI, **kwargs: object) -> Client:
    """A real twilio ``Client`` whose Messages API goes to ``fake``.

    ``environment`` is pinned so a TWILIO_EDGE / TWILIO_REGION in the developer's shell
    cannot rewrite the host (twilio would turn 127.0.0.1 into "127.<edge>.0.0.1:port").
    Note that twilio falls back to os.environ when given an EMPTY mapping, hence the
    explicit empty values. Close it with ``client.http_client.session.close()`` (sync) or
    ``await client.http_client.close()`` (async), or the pooled socket leaks.
    """
    kwargs.setdefault("environment", {"TWILIO_EDGE": "", "TWILIO_REGION": ""})
    client = Client(fake.account_sid, fake.auth_token, **kwargs)  # type: ignore[arg-type]
    client.api.base_url = fake.base_url
    return client


@pytest.fixture
def twilio_client(fake_twilio: FakeTwilioAPI) -> Iterator[Client]:
    """A synchronous twilio Client pointed at ``fake_twilio``, closed after the test."""
    client = twilio_client_for(fake_twilio)
    try:
        yield client
    finally:
        session = getattr(client.http_client, "session", None)
        if session is not None:
            session.close()
