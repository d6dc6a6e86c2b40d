"""A tiny HTTP server that records what it receives: the "our server" end of provider callbacks.

Why: to prove a fake's outgoing calls (Twilio status callbacks, Telegram webhook posts) are
what a real endpoint would get — URL, headers, form — without bringing the app in.
"""

from __future__ import annotations

import time

from ._server import FakeHTTPServer, Request, Response

__all__ = ["RecordingServer"]


class RecordingServer(FakeHTTPServer):
    """Answers every request with ``status`` and keeps it in ``requests``."""

    def __init__(self, status: int = 200, body: bytes = b"", host: str = "127.0.0.1") -> None:
        super().__init__(host)
        self.status = status
        self.body = body
        self.requests: list[Request] = []

    def handle(self, request: Request) -> Response:
        """Record the request; answer the configured status."""
        with self.lock:
            self.requests.append(request)
            self.lock.notify_all()
        return Response(self.status, self.body, "text/plain")

    def wait_requests(self, n: int = 1, timeout: float = 10.0) -> list[Request]:
        """The requests received once there are ``n`` (or all there are at timeout)."""
        end = time.monotonic() + timeout
        with self.lock:
            while len(self.requests) < n and time.monotonic() < end:
                self.lock.wait(0.05)
            return list(self.requests)
