"""What coordinators are told is written in each coordinator's language, from raw values: the
date, the address, "nobody", never a French value inside an English sentence."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from models.base import OrderStatus
from models.messages import OutboxMessage
from tests.coordinator.conftest import Talk


def _told(talk: Talk, key: str) -> list[str]:
    with talk.w.db.transaction() as s:
        rows = s.scalars(
            sa.select(OutboxMessage)
            .where(
                OutboxMessage.kind == "coordinator",
                OutboxMessage.person_id == talk.w.ids[key],
            )
            .order_by(OutboxMessage.id)
        )
        return [r.payload["text"] for r in rows]


def test_alerts_in_each_coordinators_language(talk: Talk) -> None:
    talk.w.person("emma", None, coordinator=True, lang="en", name="Emma Wright")
    today = date(2026, 11, 24)
    talk.w.order("odette", today, {"bread": 1}, OrderStatus.PLANNED, by="gilles")
    talk("gilles", "PAS LA 1", "sms")
    [french] = [x for x in _told(talk, "claire") if "Odette" in x]
    [english] = [x for x in _told(talk, "emma") if "Odette" in x]
    assert french.splitlines()[0] == (
        "Gilles Morel : Mme Odette Martin (bât. A, 1er étage, apt 1) n'a pas ouvert le mardi "
        "24 novembre. À suivre aujourd'hui."
    )
    assert english.splitlines()[0] == (
        "Gilles Morel: Mme Odette Martin (building A, 1st floor, flat 1) did not open on Tuesday "
        "24 November. Follow up today."
    )
    assert "/vu 1" in french and "/seen 1" in english  # an alert, numbered in each language

    talk("sophie", "absente du 3 au 10 décembre", "sms")
    [away] = [x for x in _told(talk, "emma") if "Sophie" in x]
    assert away == (
        "Sophie Bacquet is away from Thursday 3 December to Thursday 10 December: "
        "their stops go to others."
    )


def test_messages_that_expired_are_named_in_the_readers_words(talk: Talk) -> None:
    from datetime import timedelta

    from models.outbox import enqueue
    from models.people import Person
    from scheduler.outbox_rows import claim

    talk.w.person("emma", None, coordinator=True, lang="en", name="Emma Wright")
    w = talk.w
    with w.db.transaction() as s:
        gilles = s.get(Person, w.ids["gilles"])
        assert gilles is not None
        now = w.clock.now()
        enqueue(
            s,
            person=gilles,
            kind="round",
            key="round:old",
            payload={"text": "Tournée d'hier", "lang": "fr"},
            now=now - timedelta(days=2),
            channels=["sms", "telegram"],
            expires_at=now - timedelta(hours=1),
            site_id=gilles.site_id,
        )
    w.db.call(claim, w.ctx, ["sms"])
    assert _told(talk, "claire")[-1] == "1 message(s) trop tardif(s) non envoyé(s) : tournée."
    assert _told(talk, "emma")[-1] == "1 message(s) too late, not sent: round."


def test_a_value_for_each_reader_is_still_a_plain_text() -> None:
    """Kept as text where no reader is known yet (a stored row, a log line): the default
    language's wording; rendered per reader when the message is written."""
    import json

    from handlers.notify import localise, per_reader_day

    day = per_reader_day(date(2026, 11, 24))
    assert day == "mardi 24 novembre" and json.loads(json.dumps({"d": day})) == {"d": day}
    assert localise("en", {"day": day, "n": 2}) == {"day": "Tuesday 24 November", "n": 2}
