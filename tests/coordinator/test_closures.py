"""/fermer: a date closed at a site; its orders cancelled or moved, everyone concerned told once
in their language, the ordering rules refusing the date afterwards."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from models.base import OrderStatus
from models.messages import OutboxMessage
from models.orders import Order, StandingOrder
from models.site import Closure
from tests.coordinator.conftest import Talk

THURSDAY = date(2026, 11, 26)


def _standing(talk: Talk, key: str, weekday: str, items: dict[str, int]) -> None:
    with talk.w.db.transaction() as s:
        for item, n in items.items():
            s.add(
                StandingOrder(
                    person_id=talk.w.ids[key],
                    weekday=weekday,
                    item_key=item,
                    quantity=n,
                    created_at=talk.w.clock.now(),
                )
            )


def _orders(talk: Talk, day: date) -> dict[int, tuple[OrderStatus, dict[str, int]]]:
    with talk.w.db.transaction() as s:
        return {
            o.person_id: (o.status, o.items)
            for o in s.scalars(sa.select(Order).where(Order.delivery_date == day))
        }


def _closure_messages(talk: Talk) -> dict[int, str]:
    with talk.w.db.transaction() as s:
        rows = s.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "closure")).all()
        return {r.person_id: r.payload["text"] for r in rows}


def test_close_a_day_and_cancel(talk: Talk) -> None:
    ids = talk.w.ids
    _standing(talk, "odette", "thu", {"bread": 1})
    question = talk("marc", "/fermer jeudi grève des transports")
    assert question == (
        "Fermer le service le jeudi 26 novembre (Résidence du Moulin) (grève des transports) ? "
        "2 commandes seront annulées ; 2 locataire(s) et 2 bénévole(s) seront prévenus."
    )
    assert _orders(talk, THURSDAY) == {ids["peter"]: (OrderStatus.PENDING, {"water": 1})}
    assert talk("marc", "oui") == (
        "C'est fait : le jeudi 26 novembre est fermé ; 2 commandes annulées ; "
        "4 message(s) envoyé(s)."
    )
    assert _orders(talk, THURSDAY) == {
        ids["peter"]: (OrderStatus.CANCELLED, {"water": 1}),
        ids["odette"]: (OrderStatus.CANCELLED, {"bread": 1}),  # the standing order's, cancelled
    }
    told = _closure_messages(talk)
    assert told == {
        ids["peter"]: "The delivery service is closed on Thursday 26 November (grève des "
        "transports). Your delivery that day is cancelled.",
        ids["odette"]: "Le service de livraison est fermé le jeudi 26 novembre (grève des "
        "transports). Votre livraison de ce jour est annulée.",
        ids["gilles"]: "Le service est fermé le jeudi 26 novembre (grève des transports) : "
        "pas de tournée ce jour-là. Merci !",
        ids["sophie"]: "Le service est fermé le jeudi 26 novembre (grève des transports) : "
        "pas de tournée ce jour-là. Merci !",
    }
    entry = talk.audit("close")[-1]
    assert (entry.actor, entry.details["reason"], entry.details["cancelled"]) == (
        "Marc Leroy",
        "grève des transports",
        2,
    )
    assert talk("marc", "/fermer 26/11 encore") == (
        "Le jeudi 26 novembre est déjà fermé (grève des transports)."
    )
    assert talk("marc", "/fermetures") == (
        "Fermetures prévues :\njeudi 26 novembre 2026 (grève des transports)"
    )
    # the ordering rules refuse the closed date
    reply = talk("jeanne", "2 baguettes pour jeudi")
    assert "fermé" in reply, reply
    assert ids["jeanne"] not in _orders(talk, THURSDAY)


def test_close_and_move_to_the_next_delivery_day(talk: Talk) -> None:
    ids = talk.w.ids
    wednesday = date(2026, 11, 25)
    _standing(talk, "odette", "thu", {"water": 1})
    question = talk("claire", "/fermer moulin demain tempête reporter")
    assert question.endswith(
        "? 2 commandes seront reportées au jeudi 26 novembre ; 2 locataire(s) et 2 bénévole(s) "
        "seront prévenus."
    )
    assert question.startswith(
        "Fermer le service le mercredi 25 novembre (Résidence du Moulin) (tempête) ?"
    )
    talk.press("claire", "yes")
    assert _orders(talk, wednesday) == {
        ids["jeanne"]: (OrderStatus.CANCELLED, {"bread": 2, "water": 1}),
        ids["odette"]: (OrderStatus.CANCELLED, {"bread": 1}),
    }
    assert _orders(talk, THURSDAY) == {
        ids["jeanne"]: (OrderStatus.PENDING, {"bread": 2, "water": 1}),
        ids["odette"]: (OrderStatus.PENDING, {"bread": 1, "water": 1}),  # with her standing one
        ids["peter"]: (OrderStatus.PENDING, {"water": 1}),
    }
    told = _closure_messages(talk)
    assert told[ids["jeanne"]] == (
        "Le service de livraison est fermé le mercredi 25 novembre (tempête). Votre livraison "
        "est reportée au jeudi 26 novembre : 2 baguettes et 1 pack d'eau."
    )
    assert ids["peter"] not in told  # nothing of his was on Wednesday


def test_dates_that_cannot_be_closed(talk: Talk) -> None:
    assert talk("marc", "/fermer 2026-11-23 trop tard") == (
        "Le lundi 23 novembre est passé : on ne peut plus le fermer."
    )
    assert talk("marc", "/fermer dimanche") == (
        "Il n'y a pas de livraison le dimanche 29 novembre : rien à fermer."
    )
    assert talk("marc", "/fermer bientôt").startswith("Écrivez /fermer suivi de la date")
    assert talk("claire", "/fermer 25/12 Noël").startswith("Pour quel site ?")
    question = talk("marc", "/fermer 2027-01-02 inventaire")
    assert question.startswith("Fermer le service le samedi 2 janvier 2027 (Résidence du Moulin)")
    assert talk("marc", "non") == "D'accord, rien n'a été fait."
    with talk.w.db.transaction() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Closure)) == 0
    assert talk.audit("close") == []
