"""Alerts that do not vanish: numbered, listed until marked done, answered back to the tenant
where they wrote from, listed again in the morning; through the real inbound pipeline."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
import typer

from models.alerts import Alert
from models.base import OutboxStatus
from models.messages import OutboxMessage
from models.people import Person
from scheduler.morning import morning_check
from tests.coordinator.conftest import Talk
from tests.coordinator.test_cli import cli, run  # noqa: F401  (the CLI fixture)
from tests.coordinator.world import World

FALL = "Je suis tombée dans la salle de bain, j'ai mal au dos"
NOBODY = "personne n'est passé ce matin, je n'ai pas eu mon pain"


def _outbox(talk: Talk, who: str, kind: str | None = None) -> list[OutboxMessage]:
    with talk.w.db.transaction() as s:
        q = sa.select(OutboxMessage).where(OutboxMessage.person_id == talk.w.ids[who])
        if kind:
            q = q.where(OutboxMessage.kind == kind)
        rows = list(s.scalars(q.order_by(OutboxMessage.id)))
        for r in rows:
            s.expunge(r)
        return rows


def _alerts(talk: Talk) -> list[Alert]:
    with talk.w.db.transaction() as s:
        rows = list(s.scalars(sa.select(Alert).order_by(Alert.id)))
        for r in rows:
            s.expunge(r)
        return rows


def test_a_forwarded_message_is_numbered_listed_answered_on_sms_and_closed(talk: Talk) -> None:
    talk.w.channels = frozenset({"sms", "telegram"})
    talk("odette", NOBODY, channel="sms")
    [alert] = _alerts(talk)
    told = _outbox(talk, "claire", "coordinator")[-1].payload["text"]
    assert "Odette Martin" in told
    assert f"/repondre {alert.id} " in told and f"/vu {alert.id}" in told

    listed = talk("claire", "/alertes")
    assert f"n°{alert.id} " in listed and "Odette Martin" in listed
    [viewed] = talk.audit("view_alerts")
    assert viewed.actor == "Claire Vasseur" and viewed.details["n"] == 1

    sent = talk("claire", f"/repondre {alert.id} Bonjour Madame, Gilles repasse à 11 h.")
    assert "Mme Odette Martin" in sent and f"n°{alert.id}" in sent
    [answer] = _outbox(talk, "odette", "answer")
    assert answer.channel == "sms" and answer.address == talk.w.phone("odette")
    assert answer.payload["text"] == (
        "Message de Claire, du service de livraison : Bonjour Madame, Gilles repasse à 11 h."
    )
    assert "Aucune alerte ouverte" in talk("claire", "/alertes")
    [entry] = talk.audit("alert_answer")
    assert entry.actor == "Claire Vasseur" and entry.target == f"alert:{alert.id}"
    assert "Gilles repasse" in entry.details["text"]


def test_the_answer_goes_to_the_telegram_chat_the_tenant_wrote_from(talk: Talk) -> None:
    talk.w.channels = frozenset({"sms", "telegram"})
    talk("jeanne", FALL)  # Telegram
    [alert] = _alerts(talk)
    talk("marc", f"/answer {alert.id} Nous appelons votre fille.")
    [answer] = _outbox(talk, "jeanne", "answer")
    assert answer.channel == "telegram" and answer.address == "9003"


def test_urgent_first_and_open_until_seen_even_after_the_message_expired(talk: Talk) -> None:
    talk("odette", NOBODY, channel="sms")
    talk("jeanne", FALL)
    talk("odette", "STOP", channel="sms")
    missed, fall, stop = _alerts(talk)
    assert (missed.kind, fall.kind, stop.kind) == ("missed", "urgent", "stop")

    talk.w.clock.advance(timedelta(days=5))  # the coordinators' messages have expired by now
    listed = talk("claire", "/alertes").splitlines()
    assert listed[0] == "3 alertes ouvertes, urgentes d'abord :"
    assert listed[1].startswith(f"n°{fall.id} (") and "URGENT" in listed[1]
    assert listed[2].startswith(f"n°{missed.id} (")
    assert listed[3].startswith(f"n°{stop.id} (") and "STOP" in listed[3]

    assert talk("claire", f"/vu {fall.id}") == f"Alerte n°{fall.id} close."
    assert "déjà close (Claire Vasseur," in talk("marc", f"/vu {fall.id}")
    [entry] = talk.audit("alert_seen")
    assert entry.actor == "Claire Vasseur" and entry.target == f"alert:{fall.id}"
    assert f"n°{fall.id} " not in talk("claire", "/alertes")
    # STOP: nobody to answer, and the tenant who said STOP gets nothing
    assert "pas un message de locataire" in talk("claire", f"/repondre {stop.id} Bonjour")
    assert "a envoyé STOP" in talk("claire", f"/repondre {missed.id} Bonjour")
    assert _outbox(talk, "odette", "answer") == []


def test_a_coordinator_of_one_site_neither_sees_nor_closes_another_sites_alerts(
    talk: Talk,
) -> None:
    talk("marcel", NOBODY, channel="sms")  # Résidence du Phare; Marc covers only le Moulin
    [alert] = _alerts(talk)
    assert "Aucune alerte ouverte" in talk("marc", "/alertes")
    assert talk("marc", f"/vu {alert.id}") == f"Pas d'alerte n°{alert.id} ici. La liste : /alertes."
    assert "Pas de message" in talk("marc", f"/repondre {alert.id} Bonjour")
    assert len(talk.audit("denied")) == 2
    assert f"n°{alert.id} " in talk("claire", "/alertes")  # Claire covers every site


def test_bad_input_gets_the_way_to_write_it(talk: Talk) -> None:
    assert talk("claire", "/vu").startswith("Écrivez /vu suivi du numéro")
    assert talk("claire", "/vu douze").startswith("Écrivez /vu suivi du numéro")
    assert talk("claire", "/repondre 12").startswith("Écrivez /repondre suivi du numéro")
    assert talk("claire", "/repondre 999 Bonjour").startswith("Pas de message de locataire n°999")
    assert talk("claire", "/vu 999") == "Pas d'alerte n°999 ici. La liste : /alertes."


def test_english_names_and_texts(talk: Talk) -> None:
    talk.w.person("ann", None, coordinator=True, name="Ann Smith", lang="en", telegram_id=9010)
    talk("peter", "Nobody came this morning, I waited all morning", channel="sms")
    [alert] = _alerts(talk)
    told = _outbox(talk, "ann", "coordinator")[-1].payload["text"]
    assert f"To answer: /answer {alert.id} your message" in told
    assert talk("ann", "/alerts").startswith("1 open alert:")
    assert talk("ann", f"/answer {alert.id} We are sorry, Gilles comes back at 11.") == (
        f"Answer sent to Peter Collins, where they wrote from. Alert no. {alert.id} is closed."
    )
    [answer] = _outbox(talk, "peter", "answer")
    assert answer.payload["text"].startswith("Message from Ann, of the delivery service: We")
    assert talk("ann", f"/seen {alert.id}").startswith(f"Alert no. {alert.id} was already closed")


def test_the_morning_check_lists_what_is_still_open(talk: Talk) -> None:
    talk("odette", NOBODY, channel="sms")
    talk("jeanne", FALL)
    fall = _alerts(talk)[1]
    talk("claire", f"/vu {fall.id}")
    morning = date(2026, 11, 25)
    talk.w.clock.advance(timedelta(hours=21))
    talk.w.db.call(morning_check, talk.w.ctx, "moulin", morning)
    [summary] = [
        r.payload["text"]
        for r in _outbox(talk, "marc", "coordinator")
        if r.dedupe_key.startswith("open-alerts:")
    ]
    assert summary.startswith("Bonjour ! 1 alerte reste ouverte :")
    assert "Odette Martin" in summary and "Pouli" not in summary


def test_an_erased_tenant_leaves_no_alert(talk: Talk) -> None:
    from handlers.privacy import forget

    talk("odette", NOBODY, channel="sms")
    with talk.w.db.transaction() as s:
        person = s.get(Person, talk.w.ids["odette"])
        assert person is not None
        forget(s, talk.w.ctx, person, "cli:test")
    assert _alerts(talk) == []
    assert all(r.status is not OutboxStatus.PENDING for r in _outbox(talk, "odette"))


def test_the_tenant_told_someone_will_answer_is_answered(talk: Talk) -> None:
    told = talk("peter", "Je voudrais parler à quelqu'un de la mairie", channel="sms")
    assert told.endswith("Someone will answer you.")
    [alert] = _alerts(talk)
    assert alert.kind == "forward" and alert.person_id == talk.w.ids["peter"]
    talk("marc", f"/repondre {alert.id} Hello, the town hall is open on Tuesdays.")
    [answer] = _outbox(talk, "peter", "answer")
    # in Peter's language, whatever the coordinator's
    assert answer.payload["lang"] == "en"
    assert answer.payload["text"] == (
        "Message from Marc, of the delivery service: Hello, the town hall is open on Tuesdays."
    )


def test_the_command_line_lists_answers_and_closes(cli: tuple[World, typer.Typer]) -> None:  # noqa: F811
    w, app = cli
    Talk(w)("odette", NOBODY, channel="sms")
    [alert] = _alerts(Talk(w))
    code, out = run(app, "alerts", "--site", "moulin")
    assert code == 0 and out.startswith("1 alerte ouverte :") and "Odette Martin" in out, out
    code, out = run(app, "answer", str(alert.id), "Bonjour, Gilles repasse à 11 h.")
    assert code == 0 and out.startswith("Réponse envoyée à Mme Odette Martin"), out
    code, out = run(app, "seen", str(alert.id))
    assert code == 2 and "déjà close" in out, out
    code, out = run(app, "seen", "999")
    assert code == 2 and "Pas d'alerte n°999" in out, out
    [entry] = Talk(w).audit("alert_answer")
    assert entry.actor.startswith("cli:")
    [sent] = _outbox(Talk(w), "odette", "answer")  # signed by the team, not by a login name
    assert (
        sent.payload["text"] == "Message du service de livraison : Bonjour, Gilles repasse à 11 h."
    )


def test_the_coordinators_help_lists_the_new_commands(talk: Talk) -> None:
    talk.w.person("ann", None, coordinator=True, name="Ann Smith", lang="en", telegram_id=9010)
    french = talk("claire", "/aide")
    for command in ("/alertes", "/vu N", "/repondre N", "/ajouter locataire", "/modifier N"):
        assert command in french
    english = talk("ann", "/help")
    for command in ("/alerts", "/seen N", "/answer N", "/add tenant", "/edit N"):
        assert command in english
