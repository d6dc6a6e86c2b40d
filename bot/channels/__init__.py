"""Channel adapters: one module per channel, each translating to and from the core.

`build_adapters` is the one place they are made, for `entraide run` (the server) and for the
processes that only send (`entraide scheduler`, `entraide rounds send`). The SDK-heavy modules
are imported only when their channel is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.channels.sms import SmsChannel
    from bot.channels.telegram import TelegramChannel
    from bot.channels.voice import VoiceChannel
    from bot.service import Service
    from scheduler.sending import Sender


def enabled_channels(settings: Settings) -> frozenset[str]:
    """Channels that can send right now, given the credentials present."""
    on = set()
    if settings.telegram_enabled:
        on.add("telegram")
    if settings.sms_enabled:
        on.add("sms")
    if settings.voice_enabled:
        on.add("voice")
    return frozenset(on)


@dataclass
class Adapters:
    """The adapters of the channels that are on (None when off)."""

    sms: SmsChannel | None = None
    telegram: TelegramChannel | None = None
    voice: VoiceChannel | None = None

    def senders(self) -> dict[str, Sender | None]:
        """For the outbox dispatcher: channel name → sender."""
        return {"sms": self.sms, "telegram": self.telegram, "voice": self.voice}


def build_adapters(settings: Settings, service: Service, *, receive: bool) -> Adapters:
    """The adapters of every channel configured. `receive`: this process polls Telegram for
    updates (else Telegram is used to send only, or through the webhook)."""
    adapters = Adapters()
    if settings.sms_enabled:
        from bot.channels.sms import SmsChannel

        adapters.sms = SmsChannel(settings, service)
    if settings.telegram_enabled:
        from bot.channels.telegram import TelegramChannel

        adapters.telegram = TelegramChannel(settings, service, receive=receive)
    if settings.voice_enabled:
        from bot.channels.voice import VoiceChannel

        adapters.voice = VoiceChannel(settings, service)
    return adapters
