"""Whole conversations over signed SMS end to end: Twilio's webhooks into the real app, on the
demo residence, judged by what will be delivered afterwards (the same judgement as the
conversation contract, `tests/conversations`)."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.converse import CHANNEL, coordinator_texts, person_outcome, turns_of
from bot.demo import load_demo
from models.clock import FrozenClock
from models.context import Context
from models.db import Database
from tests.builders import residence
from tests.conversations.scenarios import by_id, verdict
from tests.harness import RunningBot, settings_for

SCENARIOS = by_id()
# one of each class: items, move, correction, several days, open question, pause, usual,
# FAQ, forward, newcomer, lapsed question, STOP, standing order, English
CHOSEN = [
    "cancel-items-001", "moves-001", "moves-003", "several-days-001", "questions-open-003",
    "pauses-003", "as-usual-001", "faq-and-forward-001", "faq-and-forward-005",
    "newcomers-001", "expired-001", "stop-003", "standing-002", "english-003",
    # December: a pause never taken for STOP, a day given back, an absence ended on a day,
    # a move said with an absence, thanks that change nothing
    "b6-074", "b6-021", "b8-054", "b7-024", "b10-004",
    # a habit taken back, STOP with its reason, a pause said "arrêtez tout", an addition moved
    "b12-014", "b12-083", "b12-077", "b12-039", "b11-087",
    # a habit change made for this week only, until a date, from the new year (in English)
    "b12-010", "b12-011", "b12-015",
    # a long message of several requests, a bounded habit, an absence from a day, ARRET, why
    "b14-022", "b13-093", "b14-079", "b13-081",
    # at home is no order, a range is no habit, STOP after other words
    "b15-092", "b16-043", "b16-079",
    # a move said "plutôt que", a newcomer's name and address in one SMS
    "b17-031", "b18-100",
    # "m'en mettre 2 samedi", a cancel said again for another day, a move taken back
    "follow-ups-003", "follow-ups-005", "follow-ups-007",
    # an errand beside an order, a cancel moved to another day, a stay for three weeks,
    # "comme d'habitude" after two orders, several days answering "which day?"
    "b21-019", "b21-086", "b22-051", "b22-022", "b22-011",
    # back home the day before, an absence and the order for the return, START and an order
    "b23-026", "b24-003", "b24-058", "b25-051",
    # a move without its day (asked), an answer then a request, a hospital stay beside a cancel
    "b28-060", "b28-054", "b29-089", "b29-037",
    # a change for next week only, a worry about a neighbour beside an order, a fall and a cancel
    "b30-018", "b30-026", "b31-072", "b32-008",
    # an answer then a door code, an absence called off, a week's plan with "rien mercredi",
    # the water only over a span, days cancelled for a trip brought back two days later
    "b33-065", "b34-037", "b35-095", "b34-053", "b35-011",
    # one item moved to another day, a number for one day said "instead of", a span's number
    "b40-048", "b42-027", "b37-005",
    # swaps (of orders, of item cancels), the same a week on, a cancel taken back days later,
    # "as first planned", "laissez tomber le changement", several days narrowed to one,
    # "make it 2 for both days", "et l'autre mettez-la jeudi"
    "b47-refer-024", "b45-partial-030", "b47-refer-052", "b47-refer-081", "b49-mind-073",
    "b49-mind-005", "b47-refer-029", "b47-refer-031", "b45-partial-009",
    # a weekly change taken back two days and one more change later, a plan narrowed to three
    # days and started a day later, a move taken back into "both days", the wrong item taken
    # off, an extra corrected ("1 seule en plus, pas 2"), "make it 2 packs" then "back to one",
    # the other one cancelled instead, a weekday given up "from 1 October" beside a family
    # lunch, "la première, jeudi" to "which delivery?"
    "b51-fix-091", "b51-fix-021", "b51-fix-086", "b49-mind-010", "b51-fix-020",
    "b51-fix-079", "b49-mind-089", "b51-fix-095", "b50-mix-062", "b52-ask-044",
    # an absence started a day later, shortened to two days, ended sooner ("back on Tuesday
    # evening"); the water "avec chacune des deux livraisons"
    "b54-turn-073", "b51-fix-034", "b49-mind-070", "b53-week-041",
    # item refusals over a list of days, STOP in a later sentence, "les deux" and "non pas
    # tout, juste celle de jeudi" to a cancel question, "non … oubliez" to a proposed day, a
    # worried neighbour, a weekday given up beside days kept, "à partir du mois prochain"
    "b57-mix-022", "b59-ask-038", "b59-ask-061", "b59-ask-070", "b59-ask-083", "b59-ask-011",
    "b60-month-052", "b60-month-030",
    # "exceptionnellement" for one Monday, a swapped extra, "on those three days", an absence
    # extended days later, a habit moved to another weekday, "Le mercredi non plus", an
    # order moved with "avancez", "je ne veux plus être livré le samedi" (not STOP), "Make
    # that 3" the day after, "hold my deliveries … start again on", "on reprend le 15"
    "b58-mind-009", "b58-mind-038", "b58-mind-035", "b62-turns-044", "b62-turns-041",
    "b62-turns-040", "b62-turns-022", "b64-again-053", "b64-again-096", "b63-days-067",
    "b61-week-068",
]  # fmt: skip


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 1, 5, 9, 0).astimezone())


@pytest.mark.parametrize("sid", CHOSEN)
def test_a_conversation_by_sms_ends_with_what_the_tenant_asked_for(
    db_url, fake_twilio, clock, config, sid: str
) -> None:
    scenario = SCENARIOS[sid]
    db = Database(db_url)
    res = residence(db, config, clock)
    with db.transaction() as session:
        load_demo(session, config, res.site_ids, clock)
    db.dispose()
    turns = turns_of(scenario, config)
    clock.set(turns[0].at)
    replies: list[list[str]] = []
    with RunningBot(settings_for(db_url, twilio=fake_twilio), clock) as bot:
        for turn in turns:
            clock.set(turn.at)
            replies.append(bot.say(turn.phone, turn.text))
        ctx = Context(config, clock, bot.rt.site_ids, frozenset({CHANNEL}))
        last = turns[-1].at.astimezone(config.sites[0].zone).date()
        with bot.rt.db.transaction() as session:
            people = {t.phone: person_outcome(session, ctx, t.phone, last) for t in turns}
            told = coordinator_texts(session, 0)
    result = {"people": people, "to_coordinators": told, "replies": replies}
    assert verdict(scenario, result) == [], (scenario["turns"], replies)
    assert all(replies[k] for k, t in enumerate(turns) if people[t.phone]["status"] != "stopped")
