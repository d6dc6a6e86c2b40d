"""A coordinator's commands in any case and with or without the slash, and a greeting that
lists every command; the words a tenant or a volunteer also uses stay theirs."""

from __future__ import annotations

from handlers.coordinator import COMMANDS
from tests.coordinator.conftest import Talk


def test_a_coordinator_may_write_a_command_in_any_case(talk: Talk) -> None:
    expected = talk("claire", "/stats semaine moulin", "sms")
    assert expected.startswith("Résidence du Moulin, les 7 derniers jours")
    for text in ("stats semaine moulin", "Stats semaine moulin", "STATS semaine moulin"):
        assert talk("claire", text, "sms") == expected, text
    assert talk("claire", "attente", "sms").startswith("2 inscriptions en attente")
    assert talk("claire", "Demain moulin", "sms").startswith("Livraison du mercredi 25 novembre")


def test_the_greeting_lists_every_command(talk: Talk) -> None:
    greeting = talk("claire", "/start")
    assert greeting.startswith("Bonjour Claire ! Commandes (avec ou sans /) :")
    assert talk("claire", "bonjour", "sms") == greeting
    assert talk("claire", "/start", "sms") == greeting
    by_name: dict[str, set[str]] = {}
    for word, name in COMMANDS.items():
        by_name.setdefault(name, set()).add(word)
    missing = [n for n, words in by_name.items() if not any(f"/{w}" in greeting for w in words)]
    assert missing == []
    talk.w.person("emma", coordinator=True, lang="en", name="Emma Wright", telegram_id=9077)
    english = talk("emma", "/start")
    assert english.startswith("Hello Emma! Commands (with or without /): /stats [period]")
    assert talk("emma", "/aide").startswith("Commands (with or without /):")


def test_words_a_tenant_also_says_stay_the_tenants(talk: Talk) -> None:
    # a tenant's lower-case "stats" is not a command, and no refusal is logged
    reply = talk("jeanne", "stats semaine", "sms")
    assert "réservée aux coordinateurs" not in reply
    assert talk.audit("denied") == []
    # a coordinator who is also a tenant keeps "demain" for ordering
    talk.w.person("rose", tenant=True, coordinator=True, name="Rose Delcourt")
    order = talk("rose", "demain 2 baguettes", "sms")
    assert "2 baguettes" in order and "Livraison du" not in order
    assert talk("rose", "stats semaine moulin", "sms").startswith("Résidence du Moulin")
