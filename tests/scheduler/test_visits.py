"""Courtesy visits that change after they were announced: a pause that arrives later, a volunteer
who drops out, a closed day; and "VISITE FAITE" always about today's visit.

Everything goes through the conversation (`Talk`) and the evening job, and is checked on what
people are sent (the outbox) and what is stored."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from models import Visit, VisitStatus
from models.base import Role
from models.clock import FrozenClock
from models.conversation import ConversationState
from models.db import Database
from scheduler.evening import evening
from tests.builders import Residence, residence
from tests.handlers.test_conversation import Talk

D = date(2026, 11, 25)  # Wednesday; the clock starts on Tuesday 24 at 18:30 in Paris
ODETTE, HENRI, JEANNE = "+33610000009", "+33610000008", "+33610000001"
GILLES, SOPHIE, COORD = "+33620000001", "+33620000002", "+33630000001"


@pytest.fixture
def res(db: Database, config) -> Residence:
    r = residence(db, config, FrozenClock(datetime(2026, 11, 24, 17, 30, tzinfo=UTC)))
    r.add(
        ODETTE,
        "Mme Odette Lambert",
        {Role.TENANT},
        tenant={"isolated": True, "building": "B", "notes": "sonner fort"},
    )
    r.add(HENRI, "M. Henri Caron", {Role.TENANT}, tenant={"isolated": True, "building": "C"})
    r.add(JEANNE, "Mme Jeanne Pouli", {Role.TENANT}, tenant={"building": "A"})
    r.add(GILLES, "Gilles Morel", {Role.VOLUNTEER})
    r.add(SOPHIE, "Sophie Bacquet", {Role.VOLUNTEER})
    r.add(COORD, "Claire", {Role.COORDINATOR})
    return r


@pytest.fixture
def talk(res: Residence) -> Talk:
    return Talk(res)


def at(res: Residence, day: int, hour: int, minute: int = 0, month: int = 11) -> None:
    """Stand at that local time in Paris (UTC+1 in winter)."""
    res.clock.set(datetime(2026, month, day, hour - 1, minute, tzinfo=UTC))


def run_evening(res: Residence, day: date) -> int:
    """The evening job of the eve of `day`, at 18:30; how many visits it planned."""
    eve = day.toordinal() - 1
    at(res, date.fromordinal(eve).day, 18, 30, date.fromordinal(eve).month)
    return res.db.call(evening, res.ctx, "moulin", day).visits


def visits(res: Residence, phone: str) -> list[tuple[date | None, VisitStatus, str | None]]:
    pid = res.person(phone).id
    names = {res.person(p).id: p for p in (GILLES, SOPHIE)}
    with res.db.transaction() as s:
        rows = s.execute(
            sa.select(Visit.visit_date, Visit.status, Visit.volunteer_id)
            .where(Visit.tenant_id == pid)
            .order_by(Visit.id)
        ).all()
    return [(d, st, names.get(v) if v else None) for d, st, v in rows]


def test_a_pause_said_after_the_reminder_cancels_the_visit_and_tells_the_volunteer(
    res: Residence, talk: Talk
) -> None:
    assert run_evening(res, D) == 2
    assert res.outbox_to(ODETTE) == [
        "Demain vers 14 h, Gilles passera vous dire bonjour. "
        "Répondez NON si ce n'est pas le bon moment."
    ]
    at(res, 24, 19)
    reply = " ".join(talk(ODETTE, "je serai absente du 25 au 30 novembre"))
    assert "La visite prévue mercredi 25 novembre est annulée" in reply, reply
    assert visits(res, ODETTE) == [(D, VisitStatus.CANCELLED, GILLES)]
    assert res.outbox_to(GILLES)[-1] == (
        "Pas de visite chez Mme Odette Lambert mercredi 25 novembre : la personne sera absente."
    )
    # the open "Répondez NON…" went with the visit
    odette = res.person(ODETTE).id
    with res.db.transaction() as s:
        kinds = s.scalars(
            sa.select(ConversationState.kind).where(ConversationState.person_id == odette)
        ).all()
    assert "visit_confirm" not in kinds
    # no evening plans her a visit while she is away; the first one after does
    for day in (26, 27, 28, 30):
        run_evening(res, date(2026, 11, day))
    assert [v[0] for v in visits(res, ODETTE)] == [D]
    run_evening(res, date(2026, 12, 1))
    assert visits(res, ODETTE)[-1][:2] == (date(2026, 12, 1), VisitStatus.PLANNED)


def test_a_single_day_away_said_as_a_cancellation_calls_the_visit_off(
    res: Residence, talk: Talk
) -> None:
    assert run_evening(res, D) == 2
    at(res, 24, 19)
    reply = " ".join(talk(ODETTE, "je serai absente demain, je vais chez ma fille"))
    assert "La visite prévue mercredi 25 novembre est annulée" in reply, reply
    assert visits(res, ODETTE) == [(D, VisitStatus.CANCELLED, GILLES)]
    assert res.outbox_to(GILLES)[-1] == (
        "Pas de visite chez Mme Odette Lambert mercredi 25 novembre : la personne sera absente."
    )
    run_evening(res, date(2026, 11, 26))  # the day after, she is home: a visit can come again
    assert visits(res, ODETTE)[-1][:2] == (date(2026, 11, 26), VisitStatus.PLANNED)


def test_a_requested_visit_waits_for_the_end_of_a_pause_even_after_a_no(
    res: Residence, talk: Talk
) -> None:
    at(res, 24, 11)
    talk(JEANNE, "je pars chez ma fille du 25 au 27 novembre")
    assert "un bénévole vous contactera" in talk.one(JEANNE, "quelqu'un pourrait passer me voir ?")
    for day in (25, 26, 27):
        run_evening(res, date(2026, 11, day))
        assert visits(res, JEANNE) == [(None, VisitStatus.REQUESTED, None)], day
    run_evening(res, date(2026, 11, 28))
    assert visits(res, JEANNE)[-1][:2] == (date(2026, 11, 28), VisitStatus.PLANNED)
    # she answers NON; the visit waits for another day, never one inside a new absence
    at(res, 27, 19)
    assert "autre moment" in talk.one(JEANNE, "non")
    talk(JEANNE, "je suis absente du 30 novembre au 2 décembre")
    run_evening(res, date(2026, 11, 30))
    run_evening(res, date(2026, 12, 1))
    run_evening(res, date(2026, 12, 2))
    assert visits(res, JEANNE)[-1] == (None, VisitStatus.REQUESTED, None)
    run_evening(res, date(2026, 12, 3))
    assert visits(res, JEANNE)[-1][:2] == (date(2026, 12, 3), VisitStatus.PLANNED)


def test_visite_faite_is_about_todays_visit_never_an_earlier_one(
    res: Residence, talk: Talk
) -> None:
    run_evening(res, D)  # Odette with Gilles, Henri with Sophie, on the 25th
    at(res, 26, 15)
    # Gilles never reported Odette's visit of yesterday, and has none today
    assert talk.one(GILLES, "visite faite") == "Vous n'avez pas de visite prévue aujourd'hui."
    assert talk.one(GILLES, "personne") == "Vous n'avez pas de visite prévue aujourd'hui."
    assert visits(res, ODETTE) == [(D, VisitStatus.PLANNED, GILLES)]  # the morning check's
    talk(JEANNE, "pouvez-vous passer me voir ?")
    run_evening(res, date(2026, 11, 27))
    assert visits(res, JEANNE)[-1] == (date(2026, 11, 27), VisitStatus.PLANNED, GILLES)
    at(res, 27, 15)
    assert talk.one(GILLES, "visite faite 4 contente") == (
        "Merci, visite chez Mme Jeanne Pouli notée."
    )
    assert visits(res, JEANNE)[-1] == (date(2026, 11, 27), VisitStatus.DONE, GILLES)
    assert visits(res, ODETTE) == [(D, VisitStatus.PLANNED, GILLES)]


def test_a_volunteer_who_drops_out_hands_over_visits_and_the_tenant_learns_the_new_name(
    res: Residence, talk: Talk
) -> None:
    run_evening(res, D)
    assert visits(res, ODETTE) == [(D, VisitStatus.PLANNED, GILLES)]
    assert visits(res, HENRI) == [(D, VisitStatus.PLANNED, SOPHIE)]
    at(res, 24, 20)
    assert talk.one(GILLES, "je ne peux pas demain") == (
        "C'est noté, merci de nous avoir prévenus. "
        "D'autres bénévoles reprennent votre visite du mercredi 25 novembre."
    )
    assert visits(res, ODETTE) == [(D, VisitStatus.PLANNED, SOPHIE)]
    # Sophie already sees Henri at 14 h: Odette comes next, and she is told so, by name
    assert res.outbox_to(ODETTE)[-1] == (
        "Changement pour votre visite mercredi 25 novembre : c'est Sophie qui passera vers "
        "14 h 45, à la place de Gilles. Répondez NON si ce n'est pas le bon moment."
    )
    change = res.outbox_to(SOPHIE)[-1]
    assert change.startswith(
        "Changement : voici votre tournée mise à jour.\n"
        "Nouvelle visite : Mme Odette Lambert vers 14 h 45.\n"
        "Tournée du mercredi 25 novembre, Sophie :\n"
    ), change
    assert "Visite : Mme Odette Lambert (bât. B, 1er étage, apt 1) vers 14 h 45. sonner fort" in (
        change
    )
    assert [t for t in res.outbox_to(COORD) if "tournée" in t] == [
        "Gilles Morel ne peut pas faire sa tournée du mercredi 25 novembre : "
        "1 visite confiée à Sophie."
    ]
    assert "Visite : Mme Odette Lambert" in talk.one(SOPHIE, "ma tournée")
    # NON now reaches Sophie, who goes, not Gilles
    assert "autre moment" in talk.one(ODETTE, "non")
    assert "Mme Odette Lambert préfère un autre moment" in res.outbox_to(SOPHIE)[-1]
    assert not any("préfère" in t for t in res.outbox_to(GILLES))


def test_a_visit_nobody_can_take_is_cancelled_and_the_tenant_told(
    res: Residence, talk: Talk
) -> None:
    run_evening(res, D)
    at(res, 24, 20)
    talk(SOPHIE, "je ne peux pas demain")
    assert visits(res, HENRI) == [(D, VisitStatus.PLANNED, GILLES)]
    talk(GILLES, "je ne peux pas demain")
    assert visits(res, HENRI)[0] == (D, VisitStatus.CANCELLED, GILLES)
    assert res.outbox_to(HENRI)[-1] == (
        "Désolé, la visite de Gilles prévue mercredi 25 novembre ne pourra pas avoir lieu. "
        "Nous vous proposerons un autre moment."
    )
    summary = [
        t.splitlines()[0] for t in res.outbox_to(COORD) if t.startswith("Gilles Morel ne peut pas")
    ]
    assert summary == [
        "Gilles Morel ne peut pas faire sa tournée du mercredi 25 novembre : "
        "2 visites sans bénévole (les locataires sont prévenus)."
    ]
    # both are visited on the next evening with a volunteer
    run_evening(res, date(2026, 11, 26))
    assert visits(res, HENRI)[-1][:2] == (date(2026, 11, 26), VisitStatus.PLANNED)
    assert visits(res, ODETTE)[-1][:2] == (date(2026, 11, 26), VisitStatus.PLANNED)


def test_closing_a_day_cancels_its_visits_and_tells_tenants_and_volunteers(
    res: Residence, talk: Talk
) -> None:
    run_evening(res, D)
    at(res, 24, 20)
    question = talk.one(COORD, "/fermer mercredi tempête")
    assert "2 locataire(s) et 2 bénévole(s) seront prévenus" in question, question
    assert talk.one(COORD, "oui").startswith("C'est fait : le mercredi 25 novembre est fermé")
    assert visits(res, ODETTE) == [(D, VisitStatus.CANCELLED, GILLES)]
    assert visits(res, HENRI) == [(D, VisitStatus.CANCELLED, SOPHIE)]
    assert res.outbox_to(ODETTE)[-1] == (
        "Le service est fermé le mercredi 25 novembre (tempête) : la visite de Gilles n'aura pas "
        "lieu ce jour-là. Nous vous proposerons un autre moment."
    )
    assert res.outbox_to(GILLES)[-1] == (
        "Le service est fermé le mercredi 25 novembre (tempête) : pas de tournée ni de visite "
        "ce jour-là. Merci !"
    )
    at(res, 25, 15)
    assert talk.one(GILLES, "visite faite") == "Vous n'avez pas de visite prévue aujourd'hui."


def test_a_pause_set_by_the_coordinator_cancels_the_visit_too(res: Residence, talk: Talk) -> None:
    run_evening(res, D)
    at(res, 24, 20)
    talk(COORD, "/pause Lambert jusqu'au 28 novembre")
    assert visits(res, ODETTE) == [(D, VisitStatus.CANCELLED, GILLES)]
    assert res.outbox_to(ODETTE)[-1].endswith(
        "La visite prévue mercredi 25 novembre est annulée ; "
        "nous vous en proposerons une à votre retour."
    )
    assert res.outbox_to(GILLES)[-1] == (
        "Pas de visite chez Mme Odette Lambert mercredi 25 novembre : la personne sera absente."
    )


def test_an_absence_over_a_day_already_sent_hands_its_visits_over(
    res: Residence, talk: Talk
) -> None:
    run_evening(res, D)
    at(res, 24, 20)
    assert "absent(e) du" in talk.one(GILLES, "absent du 25 au 27 novembre")
    assert visits(res, ODETTE) == [(D, VisitStatus.PLANNED, SOPHIE)]
    assert res.outbox_to(ODETTE)[-1].startswith(
        "Changement pour votre visite mercredi 25 novembre : c'est Sophie qui passera"
    )
    assert "Nouvelle visite : Mme Odette Lambert" in res.outbox_to(SOPHIE)[-1]
    talk(JEANNE, "pouvez-vous passer me voir ?")
    run_evening(res, date(2026, 11, 26))  # Gilles, first in line otherwise, is away
    assert visits(res, JEANNE) == [(date(2026, 11, 26), VisitStatus.PLANNED, SOPHIE)]
