"""A week of the service, from Monday evening to Friday evening: a pause that arrives after a
visit is planned, a volunteer who drops out on the morning of her round, a closed day.

Checked at the end of every day: no visit is planned on a day its tenant is away, the people
told about a visit hear the name of whoever really comes, and nothing is lost (every order of a
delivery day is on exactly one live round, every visit taken off a day comes back after it)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from models import Order, OrderStatus, Round, Stop, Visit, VisitStatus
from models.base import Role
from models.clock import FrozenClock
from models.orders import Pause
from tests.builders import Residence, residence, small_residence
from tests.handlers.test_conversation import Talk
from tests.scheduler.test_visits import COORD, GILLES, SOPHIE, at, run_evening, visits

ROSE, ODETTE, JEANNE = "+33610000007", "+33610000009", "+33610000001"  # Jeanne: "Tenant 1"
NAMES = {GILLES: "Gilles", SOPHIE: "Sophie"}


def _no_visit_while_away(res: Residence) -> None:
    with res.db.transaction() as s:
        inside = s.execute(
            sa.select(Visit.id)
            .join(Pause, Pause.person_id == Visit.tenant_id)
            .where(
                Visit.status.in_((VisitStatus.PLANNED, VisitStatus.DONE, VisitStatus.NOBODY)),
                Visit.visit_date >= Pause.start_on,
                Visit.visit_date <= Pause.end_on,
            )
        ).all()
    assert inside == []


def _every_order_on_one_round(res: Residence, day: date) -> None:
    with res.db.transaction() as s:
        open_ = s.scalars(
            sa.select(Order.id).where(
                Order.delivery_date == day, Order.status != OrderStatus.CANCELLED
            )
        ).all()
        on_rounds = s.scalars(
            sa.select(Stop.order_id)
            .join(Round, Round.id == Stop.round_id)
            .where(Round.delivery_date == day, Round.dropped_at.is_(None))
        ).all()
    assert open_ and Counter(on_rounds) == Counter(open_), day


def test_a_week_of_rounds_and_visits(db, config) -> None:
    res = small_residence(
        residence(db, config, FrozenClock(datetime(2026, 11, 23, 17, 30, tzinfo=UTC)))
    )
    res.add(ROSE, "Mme Rose Delcourt", {Role.TENANT}, tenant={"isolated": True, "building": "C"})
    res.add(ODETTE, "Mme Odette Lambert", {Role.TENANT}, tenant={"isolated": True})
    talk = Talk(res)
    for i in range(6):
        res.standing(f"+3361000000{i}", ["mon", "tue", "wed", "thu", "fri", "sat"], {"bread": 1})
    tue, wed, thu, fri, sat = (date(2026, 11, 24) + timedelta(days=i) for i in range(5))

    # Monday evening: Tuesday's rounds, and visits to both isolated tenants
    assert run_evening(res, tue) == 2
    [(_, _, rose_visitor)] = visits(res, ROSE)
    assert res.outbox_to(ROSE) == [
        f"Demain vers 14 h, {NAMES[rose_visitor]} passera vous dire bonjour. "
        "Répondez NON si ce n'est pas le bon moment."
    ]
    # ...then Rose says she is away until Friday: no visit, and her volunteer hears it
    at(res, 23, 20)
    assert (
        "La visite prévue mardi 24 novembre est annulée"
        in talk(ROSE, "je serai chez mon fils du 24 au 27 novembre")[0]
    )
    assert res.outbox_to(rose_visitor)[-1] == (
        "Pas de visite chez Mme Rose Delcourt mardi 24 novembre : la personne sera absente."
    )
    _no_visit_while_away(res)

    # Tuesday: rounds and Odette's visit reported; Jeanne asks for a visit
    at(res, 24, 15)
    for phone in (GILLES, SOPHIE):
        assert "toute la tournée est enregistrée" in talk.one(phone, "fait")
    odette_visitor = visits(res, ODETTE)[0][2]
    assert "Odette" in talk.one(odette_visitor, "visite faite 3")
    talk(JEANNE, "quelqu'un pourrait passer me voir ?")
    _every_order_on_one_round(res, tue)

    # Tuesday evening: Wednesday's rounds, Jeanne's visit; Rose still away
    assert run_evening(res, wed) == 1
    [(_, _, jeanne_visitor)] = visits(res, JEANNE)
    other = SOPHIE if jeanne_visitor == GILLES else GILLES
    _no_visit_while_away(res)

    # Wednesday morning: Jeanne's volunteer cannot come; the other takes the stops and the visit
    at(res, 25, 8)
    dropped = talk.one(jeanne_visitor, "je ne peux pas aujourd'hui")
    assert "votre visite du mercredi 25 novembre" in dropped, dropped
    assert visits(res, JEANNE) == [(wed, VisitStatus.PLANNED, other)]
    assert res.outbox_to(JEANNE)[-1].startswith(
        f"Changement pour votre visite mercredi 25 novembre : c'est {NAMES[other]} qui passera "
        f"vers 14 h, à la place de {NAMES[jeanne_visitor]}."
    )
    change = res.outbox_to(other)[-1]
    assert change.startswith("Changement : voici votre tournée mise à jour.\nNouveaux arrêts : ")
    assert "Nouvelle visite : Tenant 1 vers 14 h." in change
    summary = [t for t in res.outbox_to(COORD) if "ne peut pas faire sa tournée" in t]
    assert len(summary) == 1 and "1 visite confiée à " + NAMES[other] in summary[0], summary
    _every_order_on_one_round(res, wed)

    # Wednesday: Odette asks for a visit, which the evening plans on Thursday...
    at(res, 25, 12)
    talk(ODETTE, "pouvez-vous passer me voir demain ?")
    assert run_evening(res, thu) == 1
    assert visits(res, ODETTE)[-1][:2] == (thu, VisitStatus.PLANNED)
    # ...and the coordinator closes Thursday (a storm): orders and the visit off, all told once
    at(res, 25, 20)
    talk(COORD, "/fermer jeudi tempête")
    assert talk.one(COORD, "oui").startswith("C'est fait : le jeudi 26 novembre est fermé")
    assert visits(res, ODETTE)[-2:] == [
        (thu, VisitStatus.CANCELLED, visits(res, ODETTE)[-2][2]),
        (None, VisitStatus.REQUESTED, None),
    ]
    assert "la visite de" in res.outbox_to(ODETTE)[-1]
    with res.db.transaction() as s:
        assert set(s.scalars(sa.select(Order.status).where(Order.delivery_date == thu))) == {
            OrderStatus.CANCELLED
        }

    # Friday and Saturday: Odette's visit comes back on Friday, Rose's on Saturday (she is back)
    assert run_evening(res, fri) == 1
    assert visits(res, ODETTE)[-1][:2] == (fri, VisitStatus.PLANNED)
    assert visits(res, ROSE) == [(tue, VisitStatus.CANCELLED, rose_visitor)]
    assert run_evening(res, sat) == 1
    assert visits(res, ROSE)[-1][:2] == (sat, VisitStatus.PLANNED)
    for day in (fri, sat):
        _every_order_on_one_round(res, day)
    _no_visit_while_away(res)
    # every visit of the week was planned with a volunteer, or is waiting, nothing vanished
    with res.db.transaction() as s:
        statuses = Counter(s.scalars(sa.select(Visit.status)))
    assert statuses == {
        VisitStatus.DONE: 1,  # Odette, Tuesday
        VisitStatus.PLANNED: 3,  # Jeanne Wednesday (not reported yet), Odette Friday, Rose Saturday
        VisitStatus.CANCELLED: 2,  # Rose's Tuesday (away), Odette's Thursday (closed)
    }
