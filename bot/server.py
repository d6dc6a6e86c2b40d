"""The HTTP server and everything `entraide run` runs beside it: channels, outbox, scheduler.

Routes only turn requests into calls on the channel adapters. Bodies over the configured size
are refused before they are read (413); an SMS or Telegram route whose channel is off says so
(503) instead of pretending.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.channels import build_adapters, enabled_channels
from bot.lease import LeaseKeeper
from bot.runtime import Runtime
from bot.service import Service
from scheduler.dispatcher import Dispatcher

log = logging.getLogger("entraide.server")


class BodyLimit:
    """Refuse request bodies larger than `limit` bytes, declared or streamed (413).

    A chunked body has no length to check: it is read here, up to the limit, before the
    route sees it. Refusing from inside the route's read (an exception) did not work: the
    SMS route's form parser turned it into a 400, the Telegram route's reader into a
    200-then-dropped. Webhook bodies are small (the limit is 64 KB), so holding one is cheap.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send, f"body of {declared.decode()} bytes")
            return
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                await self._refuse(scope, receive, send, "streamed body")
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, what: str) -> None:
        log.warning("%s: %s refused (limit %d bytes)", scope["path"], what, self.limit)
        await PlainTextResponse("request body too large", status_code=413)(scope, receive, send)


@dataclass
class Bot:
    """What runs in one `entraide run` process."""

    rt: Runtime
    service: Service
    sms: Any = None
    telegram: Any = None
    voice: Any = None
    dispatcher: Dispatcher | None = None
    scheduler: Any = None
    lease: LeaseKeeper | None = None
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    stop_event: asyncio.Event = field(default_factory=asyncio.Event)


def build(
    rt: Runtime, *, with_scheduler: bool = True, with_dispatcher: bool = True, polling: bool = True
) -> tuple[Starlette, Bot]:
    """The app and what runs beside it. A web worker among several (`--workers`) passes
    `with_scheduler=False, with_dispatcher=False, polling=False`: the one scheduler process
    runs the jobs, the outbox (keeping to Telegram's rate) and Telegram polling."""
    channels = enabled_channels(rt.settings)
    service = Service(rt, channels)
    bot = Bot(rt=rt, service=service)
    bot.lease = LeaseKeeper(rt.db, service.ctx, "run" if with_dispatcher else "web")
    adapters = build_adapters(rt.settings, service, receive=polling)
    bot.sms, bot.telegram, bot.voice = adapters.sms, adapters.telegram, adapters.voice
    if with_dispatcher:
        bot.dispatcher = Dispatcher(service.ctx, rt.db.run, adapters.senders())
    if with_scheduler:
        from bot.backups import plan
        from scheduler.wiring import build_scheduler

        wake = bot.dispatcher.wake if bot.dispatcher is not None else None
        bot.scheduler = build_scheduler(rt.db, service.ctx, wake=wake, backups=plan(rt.settings))

    async def healthz(_: Request) -> Response:
        """Alive: the process answers (a proxy's or systemd's probe; the database is /readyz's)."""
        body = {
            "status": "ok",
            "channels": {c: c in channels for c in ("telegram", "sms")} | {"console": True},
        }
        return JSONResponse(body)

    async def readyz(_: Request) -> Response:
        """Ready to serve: the database answers and the scheduler beat recently."""
        body = await rt.db.run_plain(readiness, rt)
        return JSONResponse(body, status_code=200 if body["status"] == "ok" else 503)

    async def metrics(_: Request) -> Response:
        from bot.metrics import CONTENT_TYPE, exposition

        page = await rt.db.run_plain(exposition, rt.db, rt.clock)
        return Response(page, media_type=CONTENT_TYPE)

    def off(name: str) -> Callable[[Request], Any]:
        async def endpoint(_: Request) -> Response:
            log.warning("%s request while the %s channel is off", name, name)
            return PlainTextResponse(f"the {name} channel is not configured", status_code=503)

        return endpoint

    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
        Route("/sms/inbound", bot.sms.inbound if bot.sms else off("sms"), methods=["POST"]),
        Route("/sms/status", bot.sms.status if bot.sms else off("sms"), methods=["POST"]),
        Route(
            "/telegram/webhook",
            bot.telegram.webhook
            if bot.telegram and rt.settings.telegram_mode == "webhook"
            else off("telegram webhook"),
            methods=["POST"],
        ),
        *voice_routes(bot.voice, off("voice")),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await start(bot)
        try:
            yield
        finally:
            await stop(bot)

    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(BodyLimit, limit=rt.settings.max_body_bytes)
    return app, bot


def readiness(rt: Runtime) -> dict[str, Any]:
    """The database and the scheduler's heartbeat, as /readyz answers them (blocking)."""
    import sqlalchemy as sa

    from models.heartbeat import STALE, latest

    try:
        with rt.db.transaction() as session:
            session.execute(sa.text("select 1"))
            beat = latest(session)
    except Exception as exc:  # the check itself must answer
        log.error("readiness: database unreachable: %s", type(exc).__name__)
        return {"status": "unavailable", "database": "unreachable", "scheduler": "unknown"}
    now = rt.clock.now()
    if beat is None:
        scheduler, age = "never", None
    else:
        age = round(max((now - beat).total_seconds(), 0.0), 1)
        scheduler = "stale" if now - beat > STALE else "ok"
    return {
        "status": "ok" if scheduler == "ok" else "unavailable",
        "database": "ok",
        "scheduler": scheduler,
        "heartbeat_age_seconds": age,
    }


def voice_routes(voice: Any, off: Callable[[Request], Any]) -> list[Route]:
    """Twilio Voice: the number's webhook, each question's answer, an unknown caller's
    recording, our own calls once answered, and their status."""
    names = ("inbound", "gather", "recorded", "outbound", "status")
    return [
        Route(f"/voice/{name}", getattr(voice, name) if voice else off, methods=["POST"])
        for name in names
    ]


async def start(bot: Bot) -> None:
    if bot.lease is not None:
        await bot.lease.start()
    if bot.telegram is not None:
        await bot.telegram.start()
    if bot.dispatcher is not None:
        bot.tasks.append(asyncio.create_task(bot.dispatcher.run_forever(bot.stop_event)))
    if bot.scheduler is not None:
        bot.scheduler.start()


async def stop(bot: Bot) -> None:
    bot.stop_event.set()
    if bot.scheduler is not None:
        bot.scheduler.shutdown(wait=False)
    for task in bot.tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(task, timeout=10)
    if bot.telegram is not None:
        await bot.telegram.stop()
    if bot.lease is not None:
        await bot.lease.stop()
    if bot.dispatcher is not None:
        bot.dispatcher.close()


def banner(rt: Runtime, host: str, port: int, scheduler: bool) -> list[str]:
    from models.migrate import head_revision

    s = rt.settings
    where = s.database_url.split("@")[-1] if "@" in s.database_url else s.database_url
    sites = ", ".join(f"{x.slug} ({x.timezone})" for x in rt.config.sites)
    lines = [
        f"entraide: database {where} at migration {head_revision()}; config {s.config}: {sites}"
    ]
    lines += ["  " + line for line in s.channel_report()]
    if s.sms_enabled:
        from bot.channels.sms import describe_sender

        kind, two_way = describe_sender(s.twilio_from)
        lines.append(f"  sms sender {s.twilio_from}: {kind}")
        if not two_way or (s.twilio_from and s.twilio_from.startswith(("+336", "+337"))):
            lines.append("  WARNING: see README 'Deployment: SMS in France' before going live")
        if not s.public_url:
            lines.append(
                "  WARNING: ENTRAIDE_PUBLIC_URL is not set: Twilio signatures are checked "
                "against the request's own address, which fails behind a proxy"
            )
    if s.telegram_enabled and s.telegram_mode == "webhook" and not s.telegram_webhook_secret:
        lines.append(
            "  WARNING: webhook mode without ENTRAIDE_TELEGRAM_WEBHOOK_SECRET refuses every update"
        )
    site = rt.config.sites[0]
    lines.append(
        "  scheduler: "
        + (
            f"on (evening rounds {site.evening_send:%H:%M}, "
            f"morning check {site.morning_check:%H:%M})"
            if scheduler
            else "off (run `entraide scheduler` in one process)"
        )
    )
    lines.append(f"  listening on http://{host}:{port} (GET /healthz, /readyz, /metrics)")
    return lines


def _http(rt: Runtime, host: str, port: int) -> dict[str, Any]:
    """uvicorn's settings, one process or several: behind a proxy, the client's address is
    taken from X-Forwarded-For only when the proxy is trusted."""
    return {
        "host": host,
        "port": port,
        "log_level": rt.settings.log_level.lower(),
        "access_log": False,
        "proxy_headers": True,
        "forwarded_allow_ips": rt.settings.trusted_proxies,
        "timeout_graceful_shutdown": 10,
        # JSON logs: uvicorn's own lines go through our root handler too, not its text format
        **({"log_config": None} if rt.settings.log_format == "json" else {}),
    }


def worker_app() -> Starlette:
    """uvicorn's factory for each web worker of `entraide run --workers N` (settings from the
    environment, as every entraide process)."""
    from bot.logs import configure
    from bot.runtime import open_runtime

    rt = open_runtime()
    configure(rt.settings.log_level, fmt=rt.settings.log_format)
    app, _bot = build(rt, with_scheduler=False, with_dispatcher=False, polling=False)
    return app


def serve_workers(
    rt: Runtime, host: str, port: int, workers: int, *, with_scheduler: bool = True
) -> None:
    """Several web workers (PostgreSQL only) and, unless told otherwise, one scheduler process
    beside them (jobs, outbox, Telegram polling), started again if it dies."""
    import sys

    import uvicorn

    from bot.supervise import Supervisor

    for line in banner(rt, host, port, with_scheduler):
        print(line, flush=True)
    print(f"  web workers: {workers}", flush=True)
    scheduler = None
    if with_scheduler:  # restarted if it dies (bot/supervise.py)
        from models.leases import silent

        scheduler = Supervisor(
            [sys.executable, "-m", "bot.cli", "scheduler", "--quiet"],
            stuck=lambda pid: rt.db.call(silent, pid),
        )
        scheduler.start()
    try:
        uvicorn.run("bot.server:worker_app", factory=True, workers=workers, **_http(rt, host, port))
    finally:
        if scheduler is not None:
            scheduler.stop()


def serve(rt: Runtime, host: str, port: int, *, with_scheduler: bool = True) -> None:
    import uvicorn

    # `--no-scheduler`: the one `entraide scheduler` process polls Telegram (two pollers conflict)
    app, _bot = build(rt, with_scheduler=with_scheduler, polling=with_scheduler)
    for line in banner(rt, host, port, with_scheduler):
        print(line, flush=True)
    config = uvicorn.Config(app, lifespan="on", **_http(rt, host, port))
    # Server.run: uvicorn's own loop choice (uvloop, a dependency through uvicorn[standard]),
    # as the `--workers` processes get from uvicorn.run; asyncio's pure-Python loop (its
    # selector, call_soon, run_once) was a visible share of each request on the loop thread.
    uvicorn.Server(config).run()
