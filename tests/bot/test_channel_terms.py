"""Adapters speak the outbox's neutral terms: Twilio's codes and words stop in the SMS adapter."""

from __future__ import annotations

import pytest

from bot.channels import Adapters
from bot.channels.sms import SmsChannel, delivery_report
from bot.channels.telegram import TelegramChannel
from bot.channels.voice import VoiceChannel, call_report
from models.base import DeliveryStatus
from scheduler.sending import DeliveryReport, Recallable


@pytest.mark.parametrize(
    ("state", "code", "report"),
    [
        ("delivered", None, DeliveryReport(DeliveryStatus.DELIVERED)),
        ("queued", None, DeliveryReport(DeliveryStatus.PENDING)),
        ("canceled", None, DeliveryReport(DeliveryStatus.OTHER)),
        (
            "undelivered",
            "30006",
            DeliveryReport(DeliveryStatus.FAILED, error="twilio undelivered code 30006"),
        ),
        (
            "failed",
            "30003",
            DeliveryReport(DeliveryStatus.FAILED, retryable=True, error="twilio failed code 30003"),
        ),
        (
            "failed",
            "21610",
            DeliveryReport(DeliveryStatus.FAILED, opted_out=True, error="twilio failed code 21610"),
        ),
    ],
)
def test_twilio_status_words_become_neutral_reports(
    state: str, code: str | None, report: DeliveryReport
) -> None:
    assert delivery_report(state, code) == report


@pytest.mark.parametrize(
    ("state", "report"),
    [
        ("completed", DeliveryReport(DeliveryStatus.DELIVERED)),
        ("ringing", DeliveryReport(DeliveryStatus.PENDING)),
        *[
            (
                state,
                DeliveryReport(
                    DeliveryStatus.FAILED,
                    retryable=True,
                    error=f"call {state}",
                    retry_after=1800.0,
                    attempts=2,
                ),
            )
            for state in ("no-answer", "busy", "failed")
        ],
    ],
)
def test_call_statuses_become_neutral_reports(state: str, report: DeliveryReport) -> None:
    """Nobody answered: one more try half an hour later, two tries in all."""
    assert call_report(state, None) == report


def test_only_sms_can_say_what_it_already_sent() -> None:
    assert issubclass(SmsChannel, Recallable)
    assert not issubclass(TelegramChannel, Recallable)
    assert not issubclass(VoiceChannel, Recallable)
    assert VoiceChannel.groups_per_recipient and not SmsChannel.__dict__.get("send_group")
    assert Adapters().senders() == {"sms": None, "telegram": None, "voice": None}
