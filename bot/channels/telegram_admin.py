"""What `entraide doctor` and `entraide webhook` ask the Telegram Bot API: who the bot is, where
its webhook points, and setting or deleting that webhook.

A short-lived `telegram.Bot` (python-telegram-bot's own client, pointed at
`ENTRAIDE_TELEGRAM_API_URL` like the running bot), answers in neutral terms: the doctor and the
command line never see a PTB object or exception.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from telegram import Bot, Update
from telegram.error import InvalidToken, TelegramError

from bot.settings import Settings

WEBHOOK_PATH = "/telegram/webhook"


class TelegramProblem(Exception):
    """The Bot API refused or could not be reached; `token` when the token itself is wrong."""

    def __init__(self, message: str, *, token: bool = False) -> None:
        super().__init__(message)
        self.token = token


@dataclass(frozen=True)
class WebhookState:
    url: str  # "" when none is set (polling)
    pending: int
    last_error: str | None
    last_error_at: datetime | None


def expected_webhook(settings: Settings) -> str | None:
    """Where the webhook must point in webhook mode (None: no public address to point at)."""
    if not settings.public_url:
        return None
    return settings.public_url.rstrip("/") + WEBHOOK_PATH


@contextlib.asynccontextmanager
async def _bot(settings: Settings) -> AsyncIterator[Bot]:
    """An initialised Bot (getMe done), its errors turned into `TelegramProblem`."""
    if settings.telegram_token is None:
        raise TelegramProblem("no ENTRAIDE_TELEGRAM_TOKEN", token=True)
    bot = Bot(settings.telegram_token.get_secret_value(), base_url=settings.telegram_api_url)
    try:
        async with bot:
            yield bot
    except InvalidToken as exc:
        raise TelegramProblem(str(exc), token=True) from None
    except TelegramError as exc:
        raise TelegramProblem(f"{type(exc).__name__}: {exc}") from None


async def whoami(settings: Settings) -> str:
    """The bot's @username (getMe): proves the token."""
    async with _bot(settings) as bot:
        return f"@{bot.username}"


async def webhook_info(settings: Settings) -> WebhookState:
    """getWebhookInfo: where updates go, how many wait, the last delivery error."""
    async with _bot(settings) as bot:
        info = await bot.get_webhook_info()
    return WebhookState(
        url=info.url or "",
        pending=info.pending_update_count,
        last_error=info.last_error_message,
        last_error_at=info.last_error_date,
    )


async def set_webhook(settings: Settings, url: str) -> None:
    """Point Telegram at `url`, with the secret the webhook route checks."""
    secret = settings.telegram_webhook_secret
    async with _bot(settings) as bot:
        await bot.set_webhook(
            url=url,
            secret_token=secret.get_secret_value() if secret else None,
            allowed_updates=Update.ALL_TYPES,
        )


async def delete_webhook(settings: Settings) -> None:
    """Remove the webhook (polling mode needs none: getUpdates refuses while one is set)."""
    async with _bot(settings) as bot:
        await bot.delete_webhook()
