"""Every coordinator command, from every role: coordinators act (within their sites), anyone
else gets a polite refusal and an audit line, except where their role has its own view."""

from __future__ import annotations

import pytest

from handlers.coordinator import COMMANDS as COORDINATOR_COMMANDS
from tests.coordinator.conftest import Talk

DENIED = "Désolé, cette commande est réservée aux coordinateurs."
COMMANDS = [
    "/stats", "/stats graphique", "/attente", "/valider 1", "/refuser 1", "/locataire Pouli",
    "/diffuser Bonjour à tous", "/export", "/fermer 25/12 Noël", "/fermetures", "/rapport 2026",
]  # fmt: skip


@pytest.mark.parametrize(
    ("who", "hint"),
    [
        ("jeanne", 'Pour voir vos livraisons, écrivez "mes commandes".'),
        ("gilles", "Votre tournée de demain : /demain."),
        ("boulangerie", "Vos quantités pour demain : /demain."),
    ],
)
def test_others_are_refused_politely_and_audited(talk: Talk, who: str, hint: str) -> None:
    for n, command in enumerate(COMMANDS, 1):
        assert talk(who, command) == f"{DENIED} {hint}", command
        entries = talk.audit("denied")
        assert len(entries) == n, command
        assert entries[-1].actor_id == talk.w.ids[who]
        canonical = COORDINATOR_COMMANDS[command.split()[0][1:]]
        assert entries[-1].target == f"command:{canonical}", command
    assert talk.audit("approve") == [] and talk.audit("broadcast") == []


def test_refusals_on_sms_too(talk: Talk) -> None:
    assert talk("jeanne", "/stats", "sms").startswith(DENIED)
    assert len(talk.audit("denied")) == 1


def test_bare_keywords_of_others_stay_with_their_conversation(talk: Talk) -> None:
    """ "DEMAIN" or "STATS" from a tenant on SMS is not taken for a coordinator command."""
    reply = talk("jeanne", "STATS", "sms")
    assert DENIED not in reply
    assert talk.audit("denied") == []


def test_a_tenant_sees_only_their_own_order(talk: Talk) -> None:
    assert talk("jeanne", "/demain") == (
        "Le mercredi 25 novembre, vous recevrez : 2 baguettes et 1 pack d'eau."
    )
    assert talk.audit() == []


def test_a_volunteer_sees_only_their_own_round(talk: Talk) -> None:
    text = talk("gilles", "/demain")
    assert text == "Votre tournée du mercredi 25 novembre vous sera envoyée vers 18 h 30."
    assert "Pouli" not in text and "Martin" not in text


def test_a_supplier_sees_only_their_totals(talk: Talk) -> None:
    text = talk("boulangerie", "/demain")
    assert text.splitlines() == [
        "Le mercredi 25 novembre (Résidence du Moulin), à cette heure : 3 baguettes. "
        "Le total définitif arrive vers 18 h 30.",
    ]
    assert "pack" not in text


def test_a_tenants_pause_is_their_own(talk: Talk) -> None:
    reply = talk("jeanne", "/pause jusqu'au 30 novembre")
    assert DENIED not in reply
    assert talk.audit("denied") == []


def test_a_coordinator_of_one_site(talk: Talk) -> None:
    """Marc coordinates the Moulin only: the Phare is out of his reach, and said so."""
    assert talk("marc", "/stats phare") == "Désolé, vous coordonnez seulement Résidence du Moulin."
    assert talk.audit("denied")[-1].details["why"] == "other site"
    assert talk("marc", "/stats").startswith("Résidence du Moulin, les 7 derniers jours")
    phare_newcomer = talk.w.ids["newcomer_phare"]
    assert talk("marc", f"/valider {phare_newcomer}") == (
        "Désolé, vous coordonnez seulement Résidence du Moulin."
    )
    assert talk("marc", "/locataire Marcel") == 'Aucun locataire ne correspond à "Marcel".'
    assert "Lucien Caron" not in talk("marc", "/attente")
    assert talk.audit("approve") == []


def test_a_coordinator_of_every_site(talk: Talk) -> None:
    assert talk("claire", "/stats").startswith("tous les sites, les 7 derniers jours")
    assert talk("claire", "/stats phare").startswith("Résidence du Phare, les 7 derniers jours")
    pending = talk("claire", "/attente")
    assert "Lucien Caron" in pending and "Fatima Benali" in pending
    assert talk.audit("denied") == []


def test_coordinator_help(talk: Talk) -> None:
    assert talk("claire", "/aide").startswith("Commandes (avec ou sans /) : /stats [période]")
    assert talk("claire", "STATS", "sms").startswith("tous les sites, les 7 derniers jours")
    assert talk("claire", "/stats semaine", "sms").startswith("tous les sites, les 7 derniers")


def test_bare_demain_by_sms(talk: Talk) -> None:
    """A volunteer's "DEMAIN" shows their round; a tenant's starts the order conversation."""
    assert talk("gilles", "DEMAIN", "sms") == (
        "Votre tournée du mercredi 25 novembre vous sera envoyée vers 18 h 30."
    )
    assert not talk("jeanne", "DEMAIN", "sms").startswith("Le mercredi 25 novembre, vous recevrez")
    assert talk.audit("denied") == []
