"""The doctor's checks of what lies outside this machine: Telegram (token, webhook, waiting
updates), Twilio (credentials, the sender and what it means in France, where the number's
incoming texts go) and the public address over HTTPS.

Each provider is reached through its own client in `bot/channels/*_admin.py`, at the base URL
of the settings (the fake servers in tests). A channel switched off is one line saying so.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urldefrag

import httpx

from bot.doctor import Check, fail, info, ok, warn
from bot.settings import PREFIX, Settings

PUBLIC_TIMEOUT = 10.0


async def telegram_checks(settings: Settings) -> list[Check]:
    from bot.channels.telegram_admin import TelegramProblem, expected_webhook, webhook_info, whoami

    if not settings.telegram_enabled:
        return [info("telegram_off")]
    try:
        name = await whoami(settings)
        state = await webhook_info(settings)
    except TelegramProblem as exc:
        return [fail("telegram_bad_token" if exc.token else "telegram_unreachable", error=str(exc))]
    checks = [ok("telegram_ok", username=name)]
    if settings.telegram_mode == "webhook":
        want = expected_webhook(settings)
        if want is None:
            checks.append(fail("webhook_no_public_url"))
        elif not state.url:
            checks.append(fail("webhook_missing", want=want))
        elif state.url != want:
            checks.append(fail("webhook_elsewhere", url=state.url, want=want))
        else:
            checks.append(ok("webhook_ok", url=state.url))
        if settings.telegram_webhook_secret is None:
            checks.append(fail("webhook_no_secret"))
    elif state.url:
        checks.append(fail("polling_webhook_left", url=state.url))
    else:
        checks.append(ok("polling_ok"))
    if state.last_error:
        checks.append(warn("telegram_last_error", n=state.pending, error=state.last_error))
    else:
        checks.append(ok("telegram_pending", n=state.pending))
    return checks


async def sms_checks(settings: Settings) -> list[Check]:
    from bot.channels.sms import sender_kind
    from bot.channels.sms_admin import INBOUND_PATH, TwilioProblem, account_status, sender_webhook

    if not settings.sms_enabled:
        missing = [
            PREFIX + name.upper()
            for name in ("twilio_account_sid", "twilio_auth_token", "twilio_from")
            if not getattr(settings, name)
        ]
        return [info("sms_off", missing=", ".join(missing))]
    sid = settings.twilio_account_sid
    try:
        status = await asyncio.to_thread(account_status, settings)
    except TwilioProblem as exc:
        key = "sms_bad_credentials" if exc.credentials else "sms_unreachable"
        return [fail(key, error=str(exc))]
    checks = [
        ok("sms_ok", sid=sid) if status == "active" else fail("sms_account", sid=sid, status=status)
    ]
    sender = settings.twilio_from or ""
    kind = sender_kind(sender)
    level = {"alphanumeric": fail, "french_mobile": warn, "messaging_service": warn}.get(kind, ok)
    checks.append(level(f"sender.{kind}", sender=sender))
    want = settings.public_url.rstrip("/") + INBOUND_PATH if settings.public_url else None
    if kind in ("alphanumeric", "messaging_service"):
        return checks
    try:
        hook = await asyncio.to_thread(sender_webhook, settings)
    except TwilioProblem as exc:
        return [*checks, fail("sms_unreachable", error=str(exc))]
    if hook.url == "":
        checks.append(fail("sms_number_unknown", sender=sender))
    elif want is None:
        checks.append(fail("sms_webhook_no_public_url", sender=sender, url=hook.url or "-"))
    elif hook.url is not None and urldefrag(hook.url).url.split("?")[0] != want:
        checks.append(fail("sms_webhook_elsewhere", sender=sender, url=hook.url, want=want))
    else:
        checks.append(ok("sms_webhook_ok", sender=sender, url=want))
    return checks


async def public_url_checks(settings: Settings) -> list[Check]:
    url = settings.public_url
    if not url:
        webhook = settings.telegram_enabled and settings.telegram_mode == "webhook"
        needed = settings.sms_enabled or webhook
        return [(fail if needed else info)("public_url_missing")]
    if not url.startswith("https://"):
        return [fail("public_url_http", url=url)]
    try:
        async with httpx.AsyncClient(timeout=PUBLIC_TIMEOUT) as client:
            response = await client.get(url.rstrip("/") + "/healthz")
    except httpx.HTTPError as exc:
        return [fail("public_url_down", url=url, error=f"{type(exc).__name__}: {exc}"[:200])]
    if response.status_code != 200:
        return [fail("public_url_status", url=url, status=response.status_code)]
    return [ok("public_url_ok", url=url)]
