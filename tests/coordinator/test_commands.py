"""How a coordinator command is recognised on each channel."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.coordinator import Command, read_command
from handlers.types import Inbound

AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def sms(text: str) -> Inbound:
    return Inbound("sms", "SM1", "+33600000301", text, AT, phone="+33600000301")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("STATS", Command("stats", "", False)),
        ("STATS semaine moulin", Command("stats", "semaine moulin", False)),
        ("VALIDER 12", Command("approve", "12", False)),
        ("RÉFUSER 12", Command("refuse", "12", False)),
        ("DEMAIN", Command("tomorrow", "", False)),
        ("/stats mois", Command("stats", "mois", True)),
        ("/Diffuser isolés Canicule", Command("broadcast", "isolés Canicule", True)),
        ("/fermer@entraide_bot 25/12 Noël", Command("close", "25/12 Noël", True)),
        ("stats", None),  # lower case: words of a conversation, not a command
        ("demain", None),
        ("2 baguettes DEMAIN", None),
        ("AIDE", None),  # the tenant conversation's help
        ("/start", None),
        ("PAS LA 3", None),
        ("ALERTES", Command("alerts", "", False)),
        ("/alerts", Command("alerts", "", True)),
        ("/vu 12 13", Command("seen", "12 13", True)),
        ("/seen 12", Command("seen", "12", True)),
        ("/répondre 12 Bonjour", Command("answer", "12 Bonjour", True)),
        ("REPONDRE 12 Bonjour", Command("answer", "12 Bonjour", False)),
        ("/answer 12 Hello", Command("answer", "12 Hello", True)),
        ("/ajouter locataire nom: Rose", Command("add", "locataire nom: Rose", True)),
        ("/edit 12 floor: 3", Command("edit", "12 floor: 3", True)),
        ("VU 12", None),  # too short to be a bare keyword: "/vu 12" on SMS
        ("FAIT 3", None),  # a volunteer's report, never a coordinator's /vu
    ],
)
def test_sms_and_console(text: str, expected: Command | None) -> None:
    assert read_command(sms(text)) == expected


def test_telegram_command() -> None:
    msg = Inbound(
        "telegram",
        "1",
        "9001",
        "/stats semaine",
        AT,
        telegram_id=9001,
        command="stats",
        argument="semaine",
    )
    assert read_command(msg) == Command("stats", "semaine", True)
    other = Inbound(
        "telegram", "2", "9001", "/commandes", AT, telegram_id=9001, command="commandes"
    )
    assert read_command(other) is None
