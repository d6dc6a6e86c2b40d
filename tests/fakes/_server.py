"""Plumbing shared by the fake servers: a threaded HTTP/1.1 server that can go down and come back.

Why not a bare ``ThreadingHTTPServer``:

* Real clients (httpx in python-telegram-bot, requests and aiohttp in twilio) keep pooled
  keep-alive connections. After ``shutdown()`` the handler threads go on serving those
  connections, so a "down" server would still answer. We track every accepted connection
  and cut them all, so an outage looks like one: reset, then connection refused.
* ``come_back()`` binds the SAME port again, because the code under test keeps its base URL.
* Every handler thread is joined on stop, and every socket closed, so tests running with
  ``filterwarnings = error`` see no ResourceWarning and no stray thread.
* A bug in a fake must not pass for the behaviour of the code under test: an exception in
  a handler answers 500 and is kept in ``errors``; the fixtures fail the test on it.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import socketserver
import threading
import time
import traceback
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = [
    "FakeHTTPServer",
    "Request",
    "Response",
    "UploadedFile",
    "json_response",
    "post",
]


@dataclass
class UploadedFile:
    """One file part of a multipart body, kept whole so a test can check its bytes."""

    field: str
    filename: str | None
    content_type: str | None
    content: bytes

    @property
    def size(self) -> int:
        """Size in bytes, as the client sent it."""
        return len(self.content)

    @property
    def head(self) -> bytes:
        """The first 16 bytes: enough to check a PNG or PDF signature."""
        return self.content[:16]


@dataclass
class Request:
    """An HTTP request as the fake saw it, body already parsed."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # keys lower-cased
    body: bytes
    form: list[tuple[str, str]] = field(default_factory=list)  # urlencoded or multipart fields
    files: dict[str, UploadedFile] = field(default_factory=dict)
    json: Any = None

    def header(self, name: str, default: str | None = None) -> str | None:
        """Header value by case-insensitive name."""
        return self.headers.get(name.lower(), default)


@dataclass
class Response:
    """What a fake answers; Content-Length is always set so keep-alive works."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, obj: Any, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON response, the way both real APIs answer."""
    return Response(status, json.dumps(obj).encode(), "application/json", dict(headers or {}))


# ---- body parsing -----------------------------------------------------------------------

_PARAM_RE = re.compile(r';\s*([A-Za-z0-9_*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))')


def _header_params(value: str) -> dict[str, str]:
    """Parameters of a header such as Content-Disposition (name="x"; filename="y")."""
    out: dict[str, str] = {}
    for m in _PARAM_RE.finditer(value):
        raw = m.group(2) if m.group(2) is not None else (m.group(3) or "").strip()
        # httpx escapes '"' as %22 and CR/LF as %0D/%0A in names (HTML5 form encoding)
        raw = raw.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")
        out[m.group(1).lower()] = raw.replace("\\\\", "\\")
    if "filename*" in out and "'" in out["filename*"]:  # RFC 5987: utf-8''na%C3%AFve.csv
        out["filename"] = unquote(out["filename*"].split("'", 2)[2])
    return out


def parse_multipart(
    body: bytes, content_type: str
) -> tuple[list[tuple[str, str]], dict[str, UploadedFile]]:
    """Split a multipart/form-data body into plain fields and files (RFC 7578)."""
    params = _header_params(content_type)
    boundary = params.get("boundary", "").encode()
    if not boundary:
        return [], {}
    form: list[tuple[str, str]] = []
    files: dict[str, UploadedFile] = {}
    # The delimiter is CRLF "--" boundary; prefixing CRLF makes the first one match too.
    for chunk in (b"\r\n" + body).split(b"\r\n--" + boundary)[1:]:
        if chunk.startswith(b"--"):  # closing delimiter
            break
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            continue
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, colon, value = line.partition(":")
            if colon:
                headers[name.strip().lower()] = value.strip()
        disposition = _header_params(headers.get("content-disposition", ""))
        name = disposition.get("name", "")
        if "filename" in disposition or ("content-type" in headers and name in _FILE_FIELDS):
            files[name] = UploadedFile(
                name, disposition.get("filename"), headers.get("content-type"), content
            )
        else:
            form.append((name, content.decode("utf-8", "replace")))
    return form, files


# Fields that carry a file even when the client sends no filename.
_FILE_FIELDS = frozenset({"document", "photo", "video", "audio", "voice", "thumbnail", "sticker"})


def parse_body(
    headers: Mapping[str, str], body: bytes
) -> tuple[list[tuple[str, str]], dict[str, UploadedFile], Any]:
    """Form fields, files and JSON from a body, whatever encoding the client chose."""
    ctype = headers.get("content-type", "")
    if not body:
        return [], {}, None
    if "json" in ctype:
        return [], {}, json.loads(body)
    if "multipart/form-data" in ctype:
        form, files = parse_multipart(body, ctype)
        return form, files, None
    return parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True), {}, None


# ---- the server -------------------------------------------------------------------------


class _TrackingServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that remembers open connections and joins its threads on close."""

    daemon_threads = False  # joined in server_close(): nothing outlives stop()
    block_on_close = True
    allow_reuse_address = True  # come_back() rebinds the same port at once

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        super().__init__(address, handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup (getfqdn), which can stall in CI."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._conns_lock:
            self._conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._conns_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def cut_connections(self) -> None:
        """Shut every open connection down: blocked reads return, clients see a reset."""
        with self._conns_lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):  # already closed by the client
                conn.shutdown(socket.SHUT_RDWR)


class FakeHTTPServer:
    """Base of the fakes: start/stop, go_down/come_back on the same port, error capture.

    Subclasses implement ``handle(request) -> Response``; it runs in a handler thread, so it
    takes ``self.lock`` (a Condition) around shared state.
    """

    #: idle keep-alive connections are closed after this many seconds, like real servers do
    keep_alive_timeout: float = 30.0

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.lock = threading.Condition()
        self.answer_delay = 0.0  # seconds to wait before answering (slow provider)
        self.errors: list[str] = []  # tracebacks of exceptions raised inside handle()
        self._server: _TrackingServer | None = None
        self._thread: threading.Thread | None = None
        self._up = False

    # ---- lifecycle ----
    @property
    def url(self) -> str:
        """Root URL, e.g. http://127.0.0.1:41234 (port fixed by the first start())."""
        return f"http://{self.host}:{self.port}"

    @property
    def is_up(self) -> bool:
        """True while the server accepts connections."""
        return self._up

    def start(self) -> Self:
        """Listen (on a free port the first time, on the same port afterwards) and serve."""
        if self._server is not None:
            return self
        server = _TrackingServer((self.host, self.port), self._handler_class())
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{type(self).__name__}:{self.port}",
            daemon=True,
        )
        with self.lock:
            self._up = True
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening, cut open connections, join every thread, close every socket."""
        server, thread = self._server, self._thread
        if server is None:
            return
        with self.lock:
            self._up = False
            self.lock.notify_all()  # wake long polls so their threads can finish
        server.shutdown()
        server.cut_connections()
        server.server_close()  # closes the listening socket and joins handler threads
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def go_down(self) -> None:
        """Simulate an outage: connections are cut and new ones refused. State is kept."""
        self.stop()

    def come_back(self) -> None:
        """End the outage: listen again on the same port, with all recorded state intact."""
        self.start()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ---- to implement ----
    def handle(self, request: Request) -> Response | None:
        """Answer one request (runs in a handler thread); None hangs up without answering."""
        raise NotImplementedError

    # ---- HTTP glue ----
    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real APIs do
            timeout = fake.keep_alive_timeout

            def do_GET(self) -> None:
                fake._dispatch(self)

            do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

            def log_message(self, format: str, *args: Any) -> None:
                """Silence the per-request log lines."""

        return Handler

    def _dispatch(self, h: BaseHTTPRequestHandler) -> None:
        try:
            body = _read_body(h)
        except (OSError, ValueError):
            h.close_connection = True
            return
        split = urlsplit(h.path)
        headers = {k.lower(): v for k, v in h.headers.items()}
        try:
            form, files, parsed_json = parse_body(headers, body)
            request = Request(
                h.command,
                split.path,
                dict(parse_qsl(split.query, keep_blank_values=True)),
                headers,
                body,
                form,
                files,
                parsed_json,
            )
            response = self.handle(request)
        except Exception:
            with self.lock:
                self.errors.append(traceback.format_exc())
            response = json_response(500, {"fake_error": "see errors on the fake"})
        if response is None:  # going down mid-request: the client gets no answer at all
            h.close_connection = True
            return
        if self.answer_delay:  # a slow provider: the request is recorded, the answer is late
            time.sleep(self.answer_delay)
        _write(h, response)


def _read_body(h: BaseHTTPRequestHandler) -> bytes:
    """Read a Content-Length or chunked body: always drained, so keep-alive stays in sync."""
    if "chunked" in (h.headers.get("Transfer-Encoding") or "").lower():
        out = bytearray()
        while True:
            size = int(h.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while h.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return bytes(out)
            out += h.rfile.read(size)
            h.rfile.readline()
    length = int(h.headers.get("Content-Length") or 0)
    return h.rfile.read(length) if length else b""


def _write(h: BaseHTTPRequestHandler, response: Response) -> None:
    try:
        h.send_response(response.status)
        h.send_header("Content-Type", response.content_type)
        h.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(response.body)
        h.wfile.flush()
    except OSError:  # the client went away (a cancelled long poll, go_down())
        h.close_connection = True


def post(url: str, body: bytes, headers: Mapping[str, str], timeout: float = 10.0) -> int:
    """POST like a provider calling our webhook; return the HTTP status our server answered.

    Ignores HTTP(S)_PROXY (the call goes straight to 127.0.0.1) and closes the response, so
    no socket is left for the garbage collector. Connection errors propagate (URLError).
    """
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    req = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
    try:
        with opener.open(req, timeout=timeout) as resp:
            resp.read()
            return int(resp.status)
    except urllib.error.HTTPError as err:
        with err:
            return int(err.code)
