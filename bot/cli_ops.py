"""Commands for whoever looks after the server: `entraide doctor` and `entraide webhook
set|info|delete` (the Telegram webhook). Registered on the main app by `bot/cli.py`.

The doctor exits 1 when a check failed, so a cron job or a monitoring probe can run it; a
webhook command that Telegram refuses is one line and exit 2, like every other wrong value.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from bot.cli_common import fail

if TYPE_CHECKING:
    from bot.settings import Settings

T = TypeVar("T")

webhook_app = typer.Typer(
    help="The Telegram webhook: set it where ENTRAIDE_PUBLIC_URL says, show it, delete it.",
    no_args_is_help=True,
)


def doctor(
    lang: Annotated[
        str | None, typer.Option(help="fr or en (default: the first site's language)")
    ] = None,
) -> None:
    """Check everything a deployment needs, one line per check with what to do; exit 1 when
    anything failed."""
    from bot.doctor import diagnose

    if lang is not None and lang not in ("fr", "en"):
        fail(f"--lang {lang!r}: expected fr or en")
    report = asyncio.run(diagnose(lang=lang))
    for line in report.lines():
        typer.echo(line)
    if report.failed:
        raise typer.Exit(1)


def _settings_and_lang() -> tuple[Settings, str]:
    from bot.settings import Settings
    from models.config import ConfigError, load_config

    settings = Settings.from_env()
    try:
        lang = load_config(settings.config).sites[0].language
    except ConfigError:
        lang = "fr"  # the webhook does not need the service's configuration
    return settings, lang


def _telegram(action: Callable[[Settings], Awaitable[T]]) -> tuple[T, Settings, str]:
    from bot.channels.telegram_admin import TelegramProblem
    from handlers.texts import t

    settings, lang = _settings_and_lang()
    if not settings.telegram_enabled:
        fail(t(lang, "webhook.off"))
    try:
        return asyncio.run(action(settings)), settings, lang
    except TelegramProblem as exc:
        fail(t(lang, "webhook.failed", error=str(exc)))


@webhook_app.command("set")
def webhook_set(
    url: Annotated[
        str | None, typer.Option(help="default: ENTRAIDE_PUBLIC_URL + /telegram/webhook")
    ] = None,
) -> None:
    """Point Telegram at the bot's webhook (with ENTRAIDE_TELEGRAM_WEBHOOK_SECRET)."""
    from bot.channels.telegram_admin import expected_webhook, set_webhook
    from handlers.texts import t

    settings, lang = _settings_and_lang()
    target = url or expected_webhook(settings)
    if target is None:
        fail(t(lang, "webhook.no_public_url"))
    if not target.startswith("https://"):
        fail(t(lang, "webhook.not_https", url=target))
    _telegram(lambda s: set_webhook(s, target))
    typer.echo(t(lang, "webhook.set", url=target))
    if settings.telegram_mode != "webhook":  # the running bot polls: Telegram now refuses it
        typer.echo(t(lang, "webhook.still_polling"), err=True)


@webhook_app.command("info")
def webhook_info_cmd() -> None:
    """Where Telegram sends updates, how many wait, the last delivery error."""
    from bot.channels.telegram_admin import webhook_info
    from handlers.texts import t

    state, _settings, lang = _telegram(webhook_info)
    error = state.last_error or t(lang, "webhook.no_error")
    typer.echo(
        t(
            lang,
            "webhook.info",
            url=state.url or t(lang, "webhook.none"),
            n=state.pending,
            error=error,
        )
    )


@webhook_app.command("delete")
def webhook_delete() -> None:
    """Remove the webhook: polling mode (the default) needs none."""
    from bot.channels.telegram_admin import delete_webhook
    from handlers.texts import t

    _state, _settings, lang = _telegram(delete_webhook)
    typer.echo(t(lang, "webhook.deleted"))


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
    app.add_typer(webhook_app, name="webhook")
