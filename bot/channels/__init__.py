"""Channel adapters: one module per channel, each translating to and from the core."""

from __future__ import annotations

from bot.settings import Settings


def enabled_channels(settings: Settings) -> frozenset[str]:
    """Channels that can send right now, given the credentials present."""
    on = set()
    if settings.telegram_enabled:
        on.add("telegram")
    if settings.sms_enabled:
        on.add("sms")
    return frozenset(on)
