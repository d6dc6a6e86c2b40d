"""Volunteers answer about their round and visits; tenants answer about visits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from models import DeliveryOutcome, Order, OrderStatus, Round, Stop, Visit, VisitStatus
from models.base import Role
from models.clock import FrozenClock
from models.db import Database
from scheduler.evening import evening
from tests.builders import Residence, residence, small_residence
from tests.handlers.test_conversation import Talk

D = date(2026, 11, 25)
GILLES, SOPHIE, COORD = "+33620000001", "+33620000002", "+33630000001"


@pytest.fixture
def res(db: Database, config) -> Residence:
    clock = FrozenClock(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))  # Tue 18:30 Paris
    r = small_residence(residence(db, config, clock))
    for i in range(6):
        r.order(f"+3361000000{i}", D, {"bread": 1 + i % 2})
    r.db.call(evening, r.ctx, "moulin", D)
    r.clock.set(datetime(2026, 11, 25, 7, 0, tzinfo=UTC))  # Wed 08:00: delivery morning
    return r


@pytest.fixture
def talk(res: Residence) -> Talk:
    return Talk(res)


def round_of(
    res: Residence, phone: str
) -> list[tuple[int, int, DeliveryOutcome | None, OrderStatus]]:
    vid = res.person(phone).id
    with res.db.transaction() as s:
        rows = s.execute(
            sa.select(Stop.position, Order.person_id, Stop.outcome, Order.status)
            .join(Round, Round.id == Stop.round_id)
            .join(Order, Order.id == Stop.order_id)
            .where(Round.volunteer_id == vid, Round.delivery_date == D)
            .order_by(Stop.position)
        ).all()
        return [tuple(r) for r in rows]


def test_one_stop_then_all_done(res, talk) -> None:
    stops = round_of(res, GILLES)
    assert len(stops) >= 2
    assert "arrêt 1" in talk.one(GILLES, "fait 1")
    assert round_of(res, GILLES)[0][3] is OrderStatus.DELIVERED
    reply = talk.one(GILLES, "fait")
    assert f"{len(stops) - 1} arrêts notés livrés : toute la tournée est enregistrée" in reply
    assert {s[3] for s in round_of(res, GILLES)} == {OrderStatus.DELIVERED}


def test_fait_after_every_stop_reported_one_by_one_says_all_is_recorded(res, talk) -> None:
    for position, *_ in round_of(res, SOPHIE):
        talk.one(SOPHIE, f"fait {position}")
    reply = talk.one(SOPHIE, "fait")
    assert reply == (
        "Merci Sophie ! Tous les arrêts étaient déjà notés : toute la tournée est enregistrée."
    )
    assert "0 arrêt" not in reply
    assert {s[3] for s in round_of(res, SOPHIE)} == {OrderStatus.DELIVERED}
    talk.one(GILLES, "fait 1")
    last = round_of(res, GILLES)[-1][0]
    for position, *_ in round_of(res, GILLES)[1:-1]:
        talk.one(GILLES, f"sac {position}")
    assert talk.one(GILLES, "fait").startswith("Merci Gilles ! 1 arrêt noté livré :")
    assert round_of(res, GILLES)[-1][0] == last


def test_not_home_alerts_the_coordinator_the_same_day(res, talk) -> None:
    reply = talk.one(SOPHIE, "pas là 2")
    assert "n'a pas ouvert" in reply and "coordinateur" in reply
    assert round_of(res, SOPHIE)[1][2:] == (DeliveryOutcome.NOT_HOME, OrderStatus.FAILED)
    alerts = res.outbox_to(COORD)
    assert len(alerts) == 1 and "n'a pas ouvert le mercredi 25 novembre" in alerts[0]


def test_bread_bag_tenants_are_recorded_as_left_in_the_bag(res, talk) -> None:
    bag_owner = res.person("+33610000002").id
    phone = next(p for p in (GILLES, SOPHIE) if any(s[1] == bag_owner for s in round_of(res, p)))
    position = next(s[0] for s in round_of(res, phone) if s[1] == bag_owner)
    assert "sac à pain" in talk.one(phone, f"fait {position}")
    assert (
        next(s for s in round_of(res, phone) if s[1] == bag_owner)[2] is DeliveryOutcome.BREAD_BAG
    )


def test_unknown_stop_number_is_explained(res, talk) -> None:
    assert "pas d'arrêt 9" in talk.one(GILLES, "fait 9")


def test_a_volunteer_who_cannot_come_is_replaced_and_others_keep_their_stops(res, talk) -> None:
    sophie_before = {s[1] for s in round_of(res, SOPHIE)}
    gilles_before = {s[1] for s in round_of(res, GILLES)}
    numbers_before = {s[1]: s[0] for s in round_of(res, SOPHIE)}
    reply = talk.one(GILLES, "désolé je ne peux pas aujourd'hui")
    assert reply == (
        "C'est noté, merci de nous avoir prévenus. "
        "D'autres bénévoles reprennent vos 3 arrêts du mercredi 25 novembre."
    )
    assert round_of(res, GILLES) == []
    assert {s[1] for s in round_of(res, SOPHIE)} == sophie_before | gilles_before
    # Sophie's own stops keep the numbers she already has; Gilles' come after them
    after = {s[1]: s[0] for s in round_of(res, SOPHIE)}
    assert {t: after[t] for t in sophie_before} == numbers_before
    assert sorted(after[t] for t in gilles_before) == [4, 5, 6]
    [change] = [t for t in res.outbox_to(SOPHIE) if t.startswith("Changement")]
    names = {res.person(f"+3361000000{i}").id: f"Tenant {i}" for i in range(6)}
    added = [f"n°{after[t]} {names[t]}" for t in sorted(gilles_before, key=after.get)]
    added_text = ", ".join(added[:-1]) + " et " + added[-1]
    assert change.startswith(
        "Changement : voici votre tournée mise à jour.\n"
        f"Nouveaux arrêts : {added_text}.\n"
        "Les autres arrêts gardent leur numéro.\n"
        "Tournée du mercredi 25 novembre, Sophie :"
    ), change
    # "FAIT 1" still means the door Sophie knew as 1
    first = next(t for t, n in numbers_before.items() if n == 1)
    assert names[first] in talk.one(SOPHIE, "fait 1")
    [summary] = [t for t in res.outbox_to(COORD) if "ne peut pas faire sa tournée" in t]
    assert summary == (
        "Gilles Morel ne peut pas faire sa tournée du mercredi 25 novembre : "
        "3 arrêts repris par Sophie."
    )


def test_a_range_of_absence_goes_to_others_and_the_usual_volunteer_comes_back(
    res, talk, config
) -> None:
    gilles_tenants = {s[1] for s in round_of(res, GILLES)}
    assert "absent(e) du" in talk.one(GILLES, "absent du 30 novembre au 2 décembre")
    for day in (date(2026, 12, 1), date(2026, 12, 3)):
        for i in range(6):
            res.order(f"+3361000000{i}", day, {"bread": 1})
    res.clock.set(datetime(2026, 11, 30, 17, 30, tzinfo=UTC))
    res.db.call(evening, res.ctx, "moulin", date(2026, 12, 1))
    with res.db.transaction() as s:
        vols = set(
            s.scalars(
                sa.select(Round.volunteer_id).where(Round.delivery_date == date(2026, 12, 1))
            ).all()
        )
    assert vols == {res.person(SOPHIE).id}
    res.clock.set(datetime(2026, 12, 2, 17, 30, tzinfo=UTC))
    res.db.call(evening, res.ctx, "moulin", date(2026, 12, 3))
    with res.db.transaction() as s:
        back = (
            s.execute(
                sa.select(Order.person_id)
                .join(Stop, Stop.order_id == Order.id)
                .join(Round, Round.id == Stop.round_id)
                .where(
                    Round.delivery_date == date(2026, 12, 3),
                    Round.volunteer_id == res.person(GILLES).id,
                )
            )
            .scalars()
            .all()
        )
    assert set(back) == gilles_tenants  # continuity: the usual volunteer, not the stand-in


def test_buttons_of_someone_elses_round_are_refused(res, talk) -> None:
    with res.db.transaction() as s:
        stop_id = s.scalar(
            sa.select(Stop.id)
            .join(Round)
            .where(Round.volunteer_id == res.person(SOPHIE).id)
            .limit(1)
        )
    assert "ne fait pas partie" in talk.one(GILLES, "", choice=f"stop:{stop_id}:done")
    assert "noté" in talk.one(SOPHIE, "", choice=f"stop:{stop_id}:done")


def test_tenants_are_not_volunteers(res, talk) -> None:
    assert res.person("+33610000000").is_tenant
    assert "arrêt" not in talk.one("+33610000000", "fait 1")


@pytest.fixture
def isolated(db: Database, config) -> Residence:
    clock = FrozenClock(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))
    r = residence(db, config, clock)
    r.add(
        "+33610000009",
        "Mme Odette Lambert",
        {Role.TENANT},
        tenant={"isolated": True, "building": "B"},
    )
    r.add(GILLES, "Gilles Morel", {Role.VOLUNTEER})
    r.add(COORD, "Claire", {Role.COORDINATOR})
    return r


def test_isolated_tenant_gets_a_visit_reminder_and_can_say_no(isolated, config) -> None:
    res, talk = isolated, Talk(isolated)
    report = res.db.call(evening, res.ctx, "moulin", D)
    assert report.visits == 1
    [reminder] = res.outbox_to("+33610000009")
    assert (
        reminder == "Demain vers 14 h, Gilles passera vous dire bonjour. "
        "Répondez NON si ce n'est pas le bon moment."
    )
    [round_text] = res.outbox_to(GILLES)
    assert "Visite : Mme Odette Lambert" in round_text
    assert "autre moment" in talk.one("+33610000009", "non")
    with res.db.transaction() as s:
        assert s.scalars(sa.select(Visit.status)).all() == [VisitStatus.DECLINED]
    assert any("préfère un autre moment" in t for t in res.outbox_to(GILLES))


def test_visits_are_reported_and_nobody_twice_alerts(isolated) -> None:
    res, talk = isolated, Talk(isolated)
    res.db.call(evening, res.ctx, "moulin", D)
    res.clock.set(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    assert "personne chez Mme Odette Lambert" in talk.one(GILLES, "personne")
    nxt = date(2026, 12, 2)
    res.clock.set(datetime(2026, 12, 1, 17, 30, tzinfo=UTC))
    res.db.call(evening, res.ctx, "moulin", nxt)
    res.clock.set(datetime(2026, 12, 2, 15, 0, tzinfo=UTC))
    talk(GILLES, "personne")
    assert any("deux visites de suite" in t for t in res.outbox_to(COORD))
    res.clock.set(datetime(2026, 12, 8, 17, 30, tzinfo=UTC))
    res.db.call(evening, res.ctx, "moulin", date(2026, 12, 9))
    res.clock.set(datetime(2026, 12, 9, 15, 0, tzinfo=UTC))
    assert "visite chez Mme Odette Lambert notée" in talk.one(
        GILLES, "visite faite 3 elle va mieux"
    )
    with res.db.transaction() as s:
        done = s.scalar(sa.select(Visit).where(Visit.status == VisitStatus.DONE))
        assert (done.wellbeing, done.remark) == (3, "elle va mieux")


def test_a_visit_not_reported_by_next_morning_is_missed(isolated) -> None:
    from scheduler.morning import morning_check

    res = isolated
    res.db.call(evening, res.ctx, "moulin", D)
    res.clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    res.db.call(morning_check, res.ctx, "moulin", D + timedelta(days=1))
    with res.db.transaction() as s:
        assert s.scalars(sa.select(Visit.status)).all() == [VisitStatus.MISSED]
    assert any("Visite non signalée" in t for t in res.outbox_to(COORD))


def test_a_volunteer_can_ask_for_the_round_again(res, talk) -> None:
    reply = talk.one(GILLES, "ma tournée")
    assert reply.startswith("Tournée du mercredi 25 novembre, Gilles"), reply
    assert "1. " in reply


def test_english_volunteers_use_the_words_the_help_gives(res, talk) -> None:
    with res.db.transaction() as s:
        from models.people import Person

        s.execute(sa.update(Person).where(Person.phone == GILLES).values(language="en"))
    assert talk.one(GILLES, "my round").startswith("Round of Wednesday 25 November, Gilles")
    assert "stop 1" in talk.one(GILLES, "bag 1")
    assert round_of(res, GILLES)[0][2] is DeliveryOutcome.BREAD_BAG


def test_reports_on_the_eve_are_refused_and_change_nothing(res, talk) -> None:
    res.clock.set(datetime(2026, 11, 24, 18, 0, tzinfo=UTC))  # Tue 19:00, the round just sent
    for text in ("fait", "pas là 1", "fait 2"):
        assert talk.one(GILLES, text).startswith(
            "Votre tournée est pour le mercredi 25 novembre : signalez les livraisons ce jour-là"
        )
    assert {s[2:] for s in round_of(res, GILLES)} == {(None, OrderStatus.PLANNED)}
    assert talk.one(GILLES, "ma tournée").startswith("Tournée du mercredi 25 novembre, Gilles")


def test_a_drop_out_after_some_stops_hands_over_only_the_rest(res, talk) -> None:
    gilles = round_of(res, GILLES)
    talk.one(GILLES, "fait 1")
    reply = talk.one(GILLES, "je ne peux pas finir aujourd'hui, je ne peux pas")
    n = len(gilles) - 1
    assert f"reprennent vos {n} arrêts du mercredi 25 novembre" in reply, reply
    [summary] = [t for t in res.outbox_to(COORD) if "ne peut pas faire sa tournée" in t]
    assert summary.endswith(f": {n} arrêts repris par Sophie.")
    with res.db.transaction() as s:
        first = s.get(Order, _order_of(s, gilles[0][1]))
        assert first is not None and first.status is OrderStatus.DELIVERED


def _order_of(s, tenant_id: int) -> int:
    return s.scalar(
        sa.select(Order.id).where(Order.person_id == tenant_id, Order.delivery_date == D)
    )
