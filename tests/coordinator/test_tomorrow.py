"""/demain for a coordinator: totals per supplier, rounds, stops nobody carries, visits; a
preview that changes nothing before the evening job, the rounds as sent after it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from models.base import OrderStatus
from models.messages import OutboxMessage
from models.orders import Order
from models.rounds import Round
from scheduler.evening import evening
from tests.coordinator.conftest import Talk

WEDNESDAY = date(2026, 11, 25)


def _counts(talk: Talk) -> tuple[int, int, list[OrderStatus]]:
    with talk.w.db.transaction() as s:
        return (
            s.scalar(sa.select(sa.func.count()).select_from(Round)) or 0,
            s.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) or 0,
            sorted(
                s.scalars(sa.select(Order.status).where(Order.delivery_date == WEDNESDAY)), key=str
            ),
        )


def test_a_preview_before_the_evening(talk: Talk) -> None:
    before = _counts(talk)
    text = talk("marc", "/demain").splitlines()
    assert (
        text[0] == "Livraison du mercredi 25 novembre (aperçu : les tournées partent à 18 h 30) :"
    )
    assert text[1] == "Boulangerie du Port : 3 baguettes. Épicerie Solidaire : 1 pack d'eau."
    rounds = [line for line in text if line.startswith("Tournée de ")]
    assert len(rounds) in (1, 2)
    assert sum(int(r.split(" : ")[1].split()[0]) for r in rounds) == 2  # two stops in all
    assert "Tous les arrêts ont un bénévole." in text
    assert any(line.startswith("2 visites de courtoisie : ") for line in text), text
    assert _counts(talk) == before  # nothing planned, nothing queued, nothing changed


def test_the_rounds_as_sent(talk: Talk) -> None:
    w = talk.w
    w.clock.set(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))  # 18:30 in Paris
    w.db.call(evening, w.ctx, "moulin", WEDNESDAY)
    text = talk("claire", "/demain moulin")
    assert text.startswith("Livraison du mercredi 25 novembre (tournées envoyées) :")
    assert "Boulangerie du Port : 3 baguettes." in text
    # each volunteer sees their own round as sent (or that they have none), never another's
    seen = {who: talk(who, "/demain") for who in ("gilles", "sophie")}
    rounds = [text for text in seen.values() if text.startswith("Tournée du mercredi 25 novembre")]
    assert rounds, seen
    for who, text in seen.items():
        if not text.startswith("Tournée"):
            assert text == "Pas de tournée pour vous le mercredi 25 novembre. Merci !"
        else:
            assert text.splitlines()[0].endswith(f", {who.title()} :")


def test_tomorrow_closed_shows_the_next_day(talk: Talk) -> None:
    talk("marc", "/fermer demain tempête")
    talk("marc", "oui")
    text = talk("marc", "/demain").splitlines()
    assert text[0] == "Le mercredi 25 novembre, le service est fermé (tempête)."
    assert text[1].startswith("Livraison du jeudi 26 novembre (aperçu")
    assert text[2] == "Épicerie Solidaire : 1 pack d'eau."


def test_both_sites_for_a_coordinator_of_every_site(talk: Talk) -> None:
    text = talk("claire", "/demain")
    assert "Livraison du mercredi 25 novembre — Résidence du Moulin (aperçu" in text
    assert "Livraison du mercredi 25 novembre — Résidence du Phare (aperçu" in text
    assert "Aucune commande pour l'instant." in text  # the Phare
