"""/attente, /valider, /refuser, /locataire, /pause on a tenant's behalf: what the coordinator
reads, what the person is told, what the audit log keeps."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from models.base import OrderStatus, PersonStatus
from models.messages import OutboxMessage
from models.orders import Order, Pause
from models.people import Person
from tests.coordinator.conftest import Talk


def _told(talk: Talk, key: str) -> list[str]:
    with talk.w.db.transaction() as s:
        rows = s.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.person_id == talk.w.ids[key])
            .order_by(OutboxMessage.id)
        ).all()
        return [r.payload["text"] for r in rows]


def _status(talk: Talk, key: str) -> PersonStatus:
    with talk.w.db.transaction() as s:
        person = s.get(Person, talk.w.ids[key])
        assert person is not None
        return person.status


def test_pending_then_approve_and_refuse(talk: Talk) -> None:
    ids = talk.w.ids
    listing = talk("claire", "/attente").splitlines()
    assert listing[0] == "2 inscriptions en attente :"
    assert listing[1].startswith(f"n°{ids['newcomer']} Fatima Benali, adresse inconnue (+3361")
    assert listing[-1] == "Pour valider : /valider N. Pour refuser : /refuser N."
    assert talk("claire", f"/valider {ids['newcomer']}") == (
        f"C'est fait : Fatima Benali (n°{ids['newcomer']}) est validé(e) et a été prévenu(e)."
    )
    assert _status(talk, "newcomer") is PersonStatus.ACTIVE
    assert _told(talk, "newcomer") == [
        "Bonne nouvelle Fatima Benali : votre inscription est validée ! Vous pouvez commander, "
        'par exemple "2 baguettes pour demain".'
    ]
    assert talk("claire", f"/valider {ids['newcomer']}") == (
        f"Fatima Benali (n°{ids['newcomer']}) n'est pas en attente : actif."
    )
    assert talk("claire", f"REFUSER {ids['newcomer_phare']}", "sms") == (
        f"C'est fait : l'inscription de Lucien Caron (n°{ids['newcomer_phare']}) est refusée ; "
        "la personne a été prévenue."
    )
    assert _status(talk, "newcomer_phare") is PersonStatus.REFUSED
    assert talk("claire", "/attente") == "Aucune inscription en attente."
    assert [(e.action, e.actor, e.target) for e in talk.audit()] == [
        ("approve", "Claire Vasseur", f"person:{ids['newcomer']}"),
        ("refuse", "Claire Vasseur", f"person:{ids['newcomer_phare']}"),
    ]
    assert (
        talk("claire", "/valider") == "Quel numéro ? Par exemple /valider 12 (la liste : /attente)."
    )
    assert talk("claire", "/valider 999") == (
        "Je ne trouve personne avec le numéro 999. La liste : /attente."
    )


def test_find_a_tenant(talk: Talk) -> None:
    ids = talk.w.ids
    assert talk("claire", "/locataire pouli") == (
        f"2 locataires correspondent : M. Marcel Pouli (n°{ids['marcel']}) et Mme Jeanne Pouli "
        f"(n°{ids['jeanne']}). Précisez, par exemple avec le numéro : /locataire 12."
    )
    card = talk("claire", "/locataire Jeanne POULI").splitlines()
    assert card[0].startswith(f"Mme Jeanne Pouli (n°{ids['jeanne']}) — +3361")
    assert card[0].endswith("; SMS, Telegram ; écrit en français.")
    assert card[1] == "Adresse : bât. C, 1er étage, apt 1B."
    assert "À venir : mercredi 25 : 2 baguettes et 1 pack d'eau." in card
    assert "Dernières livraisons : lundi 23 novembre livré (2 baguettes)." in card
    assert talk.audit("view_tenant")[-1].target == f"person:{ids['jeanne']}"
    odette = talk("claire", f"/locataire {ids['odette']}")
    assert "À savoir : isolé(e), visites de courtoisie." in odette
    assert "Aucune livraison passée." in odette
    assert talk("claire", "/locataire Dupont") == 'Aucun locataire ne correspond à "Dupont".'
    assert talk("claire", "/locataire").startswith("Écrivez /locataire suivi d'un nom")
    stopped = talk("claire", "/locataire M. Stop")
    assert "A envoyé STOP le dimanche 1er novembre : ne reçoit plus aucun message." in stopped


def test_pause_on_a_tenants_behalf(talk: Talk) -> None:
    ids = talk.w.ids
    assert talk("marc", "/pause Jeanne jusqu'au 30 novembre") == (
        "C'est noté : pause pour Mme Jeanne Pouli du mardi 24 novembre au lundi 30 novembre ; "
        "1 commande annulée. La personne est prévenue."
    )
    with talk.w.db.transaction() as s:
        pause = s.scalar(sa.select(Pause).where(Pause.person_id == ids["jeanne"]))
        assert pause is not None and (pause.start_on, pause.end_on) == (
            date(2026, 11, 24),
            date(2026, 11, 30),
        )
        order = s.scalar(
            sa.select(Order).where(
                Order.person_id == ids["jeanne"], Order.delivery_date == date(2026, 11, 25)
            )
        )
        assert order is not None and order.status is OrderStatus.CANCELLED
    assert _told(talk, "jeanne") == [
        "Bonjour, le coordinateur a noté une pause de vos livraisons du mardi 24 novembre au "
        "lundi 30 novembre. Pour la changer, répondez à ce message."
    ]
    entry = talk.audit("pause")[-1]
    assert (entry.actor, entry.details["start"], entry.details["end"]) == (
        "Marc Leroy",
        "2026-11-24",
        "2026-11-30",
    )
    assert talk("marc", "/pause Peter du 1er au 15 décembre").startswith(
        "C'est noté : pause pour Peter Collins du mardi 1er décembre au mardi 15 décembre ; "
        "0 commande annulée."
    )
    assert talk("marc", "/pause Jeanne").startswith("Écrivez par exemple /pause Pouli")
