"""/stats figures against a residence counted by hand: cancelled and failed orders, a paused
tenant, a tenant who said STOP, a newcomer not yet approved, two sites, and periods across a
month end, a year end and both daylight-saving changes.

The clock stands on Tuesday 24 November 2026, 10:00 in Paris. "The last 7 days" are 18–24
November; the period before is 11–17 November.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from handlers.periods import Period, read_period
from handlers.stats_report import end_of_day, stats_text
from models.base import DeliveryOutcome, OrderStatus, PersonStatus, VisitStatus
from models.clock import FrozenClock
from models.db import Database
from models.stats import (
    Figures,
    daily_items,
    engaged,
    figures,
    first_day,
    monthly,
    paused,
    weekly_items,
)
from tests.coordinator.world import World, two_sites, world

D = date
CLOCK = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def w(db: Database) -> World:
    w = world(db, two_sites(), FrozenClock(CLOCK))
    for key in ("a1", "a2", "a3", "a4"):
        w.person(key, tenant=True)
    w.person("a5", tenant=True, opted_out=datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    w.person("a6", tenant=True, status=PersonStatus.PENDING, approved=None)
    w.person("b1", "phare", tenant=True)
    w.person("b2", "phare", tenant=True)
    for key in ("vA1", "vA2", "vA3"):
        w.person(key, volunteer=True)
    w.person("vB1", "phare", volunteer=True)
    w.pause("a4", D(2026, 11, 20), D(2026, 11, 30))
    # 18–24 November, site moulin
    w.order("a1", D(2026, 11, 18), {"bread": 2}, by="vA1")
    w.order("a4", D(2026, 11, 18), {"bread": 1}, by="vA1", outcome=DeliveryOutcome.BREAD_BAG)
    w.order("a2", D(2026, 11, 19), {"water": 1}, by="vA2")
    w.order("a5", D(2026, 11, 19), {"bread": 2}, by="vA2")
    w.order("a1", D(2026, 11, 20), {"bread": 1, "water": 1}, by="vA1")
    w.order("a2", D(2026, 11, 21), {"bread": 3}, OrderStatus.CANCELLED, by="vA3")
    w.order("a4", D(2026, 11, 21), {}, OrderStatus.CANCELLED)  # the pause's blocked day
    w.order("a1", D(2026, 11, 23), {"water": 2}, OrderStatus.FAILED, by="vA2")
    w.order("a3", D(2026, 11, 24), {"bread": 1}, OrderStatus.PLANNED, by="vA1")
    w.visit("a3", "vA3", D(2026, 11, 22), VisitStatus.DONE)
    w.visit("a4", "vA1", D(2026, 11, 20), VisitStatus.DONE)
    w.visit("a3", "vA2", D(2026, 11, 19), VisitStatus.NOBODY)
    w.visit("a4", "vA1", D(2026, 11, 23), VisitStatus.MISSED)
    w.visit("a1", None, None, VisitStatus.REQUESTED)
    w.visit("a2", "vA2", D(2026, 11, 25), VisitStatus.PLANNED)
    # 11–17 November, site moulin
    w.order("a1", D(2026, 11, 12), {"bread": 1}, by="vA1")
    w.order("a1", D(2026, 11, 17), {"bread": 1, "water": 1}, by="vA1")
    w.order("a2", D(2026, 11, 16), {"bread": 1}, OrderStatus.FAILED, by="vA2")
    w.visit("a3", "vA1", D(2026, 11, 13), VisitStatus.DONE)
    # month and year ends, daylight-saving changes (29 March and 25 October 2026)
    w.order("a1", D(2025, 12, 31), {"bread": 3}, by="vA1")
    w.order("a1", D(2026, 1, 2), {"bread": 1}, by="vA1")
    w.order("a2", D(2026, 3, 28), {"water": 1}, by="vA2")
    w.order("a2", D(2026, 3, 30), {"water": 2}, by="vA2")
    w.order("a1", D(2026, 10, 24), {"bread": 2}, by="vA1")
    w.order("a1", D(2026, 10, 26), {"bread": 1}, by="vA1")
    w.order("a1", D(2026, 10, 31), {"bread": 1}, by="vA1")
    w.order("a2", D(2026, 11, 2), {"water": 2}, by="vA2")
    # site phare
    w.order("b1", D(2026, 11, 20), {"bread": 4}, by="vB1")
    w.order("b2", D(2026, 11, 23), {"water": 1}, by="vB1")
    return w


def _figures(w: World, sites: list[str], start: date, end: date) -> Figures:
    return w.db.call(figures, [w.site(s) for s in sites], start, end)


def test_the_last_seven_days_at_one_site(w: World) -> None:
    f = _figures(w, ["moulin"], D(2026, 11, 18), D(2026, 11, 24))
    # delivered: a1 18th, a4 18th, a2 19th, a5 19th, a1 20th; a1's 23rd failed; a2's and
    # a4's 21st cancelled; a3's 24th still planned (today), not counted anywhere
    assert (f.delivered, f.failed, f.cancelled) == (5, 1, 2)
    assert f.items == {"bread": 2 + 1 + 2 + 1, "water": 1 + 1}
    assert f.tenants == 4  # a1, a2, a4, a5 (a5 said STOP on the 20th, after her delivery)
    # vA1 and vA2 reported stops; vA3's only stop was cancelled, but vA3 made a visit
    assert f.volunteers == 3
    assert (f.visits_done, f.visits_nobody, f.visits_missed) == (2, 1, 1)


def test_the_period_before(w: World) -> None:
    f = _figures(w, ["moulin"], D(2026, 11, 11), D(2026, 11, 17))
    assert (f.delivered, f.failed, f.cancelled) == (2, 1, 0)
    assert f.items == {"bread": 2, "water": 1}
    assert (f.tenants, f.volunteers, f.visits_done) == (1, 2, 1)


def test_sites_add_up(w: World) -> None:
    phare = _figures(w, ["phare"], D(2026, 11, 18), D(2026, 11, 24))
    assert (phare.delivered, phare.items, phare.tenants, phare.volunteers) == (
        2,
        {"bread": 4, "water": 1},
        2,
        1,
    )
    both = _figures(w, ["moulin", "phare"], D(2026, 11, 18), D(2026, 11, 24))
    assert both.delivered == 5 + 2 and both.items == {"bread": 10, "water": 3}
    assert (both.tenants, both.volunteers) == (6, 4)


def test_month_and_year_ends(w: World) -> None:
    moulin = [w.site("moulin")]
    october = _figures(w, ["moulin"], D(2026, 10, 1), D(2026, 10, 31))
    assert (october.delivered, october.items) == (3, {"bread": 4})
    december = _figures(w, ["moulin"], D(2025, 12, 1), D(2025, 12, 31))
    assert (december.delivered, december.items) == (1, {"bread": 3})
    year = _figures(w, ["moulin"], D(2026, 1, 1), D(2026, 12, 31))
    assert year.delivered == 1 + 2 + 3 + 1 + 2 + 5  # Jan, March, Oct, Nov 2, Nov 12/17, Nov 18–20
    rows = {r.month: r for r in w.db.call(monthly, moulin, 2026)}
    assert (rows[1].delivered, rows[1].items) == (1, {"bread": 1})
    assert (rows[3].delivered, rows[3].items) == (2, {"water": 3})
    assert (rows[10].delivered, rows[10].items) == (3, {"bread": 4})
    assert (rows[11].delivered, rows[11].failed, rows[11].cancelled) == (8, 2, 2)
    assert rows[11].items == {"bread": 1 + 1 + 2 + 1 + 2 + 1, "water": 2 + 1 + 1 + 1}
    assert rows[11].tenants == 4 and rows[11].visits_done == 3
    assert rows[12].delivered == 0 and rows[12].items == {}
    assert w.db.call(first_day, moulin) == D(2025, 12, 31)


def test_weeks_for_the_chart(w: World) -> None:
    moulin = [w.site("moulin")]
    days = w.db.call(daily_items, moulin, D(2026, 3, 28), D(2026, 3, 30))
    assert days == {D(2026, 3, 28): {"water": 1}, D(2026, 3, 30): {"water": 2}}  # DST weekend
    weeks = w.db.call(weekly_items, moulin, D(2026, 11, 23), 4)
    assert [monday for monday, _ in weeks] == [
        D(2026, 11, 2),
        D(2026, 11, 9),
        D(2026, 11, 16),
        D(2026, 11, 23),
    ]
    assert [totals for _, totals in weeks] == [
        {"water": 2},
        {"bread": 1},
        {"bread": 1 + 2 + 1 + 2 + 1, "water": 1 + 1 + 1},
        {},
    ]


def test_engaged_tenants_at_an_instant(w: World) -> None:
    ctx = w.ctx
    both = [w.site("moulin"), w.site("phare")]
    today = end_of_day(ctx, both[0], D(2026, 11, 24))
    # a1–a4 and b1, b2; a5 said STOP on the 20th; a6 is not approved; a4's pause does not count
    assert w.db.call(engaged, both, today) == 6
    assert w.db.call(engaged, both, end_of_day(ctx, both[0], D(2026, 11, 17))) == 7
    assert w.db.call(engaged, [w.site("phare")], today) == 2
    assert w.db.call(paused, [w.site("moulin")], D(2026, 11, 24)) == 1


@pytest.mark.parametrize(
    ("day", "last_in", "first_out"),
    [
        # autumn: 25 October ends at 23:00 UTC (CET again); 26 October 00:30 local is 23:30 UTC
        (
            D(2026, 10, 25),
            datetime(2026, 10, 25, 22, 30, tzinfo=UTC),
            datetime(2026, 10, 25, 23, 30, tzinfo=UTC),
        ),
        # spring: 29 March ends at 22:00 UTC (CEST); 30 March 00:30 local is 22:30 UTC
        (
            D(2026, 3, 29),
            datetime(2026, 3, 29, 21, 30, tzinfo=UTC),
            datetime(2026, 3, 29, 22, 30, tzinfo=UTC),
        ),
    ],
)
def test_a_local_day_ends_at_local_midnight_on_dst_days(
    db: Database, day: date, last_in: datetime, first_out: datetime
) -> None:
    w = world(db, two_sites(), FrozenClock(CLOCK))
    w.person("late", tenant=True, approved=last_in)
    w.person("next", tenant=True, approved=first_out)
    moulin = [w.site("moulin")]
    assert w.db.call(engaged, moulin, end_of_day(w.ctx, moulin[0], day)) == 1
    assert (
        w.db.call(
            engaged, moulin, end_of_day(w.ctx, moulin[0], D(day.year, day.month, day.day + 1))
        )
        == 2
    )


def test_what_the_coordinator_reads(w: World) -> None:
    text = w.db.call(stats_text, w.ctx, "fr", [w.site("moulin")], "Résidence du Moulin", None)
    lines = text.splitlines()
    assert lines[0] == (
        "Résidence du Moulin, les 7 derniers jours (du mercredi 18 novembre au mardi 24 novembre) :"
    )
    assert lines[1] == "Livré : 6 baguettes (+4) et 2 packs d'eau (+1)."
    assert lines[2] == "Livraisons faites : 5 (+3), échouées : 1 (=), annulées : 2 (+2)."
    assert lines[3] == "Locataires servis : 4 (+3). Bénévoles actifs : 3 (+1)."
    assert lines[4] == "Visites de courtoisie faites : 2 (+1), personne : 1, manquées : 1 (+1)."
    # each volunteer's share, for thanking them: reported stops (not the open one of the 24th,
    # not vA3's cancelled one) and visits made (not vA1's missed one)
    assert lines[5] == (
        "Par bénévole : vA1 : 3 arrêts, 1 visite ; vA2 : 3 arrêts, 1 visite ; vA3 : 1 visite."
    )
    assert "mercredi 11 novembre au mardi 17 novembre" in lines[6]
    assert lines[7] == (
        "Résidence du Moulin : 4 locataires engagés. 6 locataires engagés — objectif 1 400 (0 %)."
    )
    assert lines[8] == "1 locataire en pause aujourd'hui."
    assert lines[9] == (
        "Depuis le début (mercredi 31 décembre 2025) : 16 baguettes et 8 packs d'eau ; "
        "15 livraisons ; 4 locataires servis."
    )
    assert lines[10] == (
        "Pour la lettre d'information : \"En 11 mois, 3 bénévoles ont livré 16 baguettes "
        "et 8 packs d'eau à 4 locataires.\""
    )


def test_an_explicit_period_and_english(w: World) -> None:
    period = read_period("2026-10", D(2026, 11, 24))
    text = w.db.call(
        stats_text, w.ctx, "en", [w.site("moulin"), w.site("phare")], "all sites", period
    )
    assert text.splitlines()[0] == "all sites, October 2026:"
    assert "Delivered: 4 loaves (+4)." in text  # nothing in September
    assert "7 tenants engaged — objective 1,400 (0%)." in text  # a5 said STOP in November
    assert "By volunteer: vA1: 3 stops." in text  # the three October deliveries
    assert "Since the start" not in text
    assert 'For the newsletter: "In 1 month, 1 volunteer delivered 4 loaves to 1 tenant."' in text


def test_the_newsletter_sentence_of_the_field(db: Database) -> None:
    """The figures of the real service's first three weeks, as its newsletter printed them."""
    w = world(db, two_sites(), FrozenClock(datetime(2026, 3, 24, 12, 0, tzinfo=UTC)))
    volunteers = [w.person(f"v{i}", volunteer=True) for i in range(6)]
    assert len(volunteers) == 6
    tenants = [f"t{i}" for i in range(30)]
    for key in tenants:
        w.person(key, tenant=True)
    # 88 packs and 130 loaves over 30 tenants, 4–24 March (three weeks), six volunteers
    packs, loaves = 88, 130
    day = D(2026, 3, 4)
    n = 0
    while packs or loaves:
        if day.weekday() != 6:
            for j, key in enumerate(tenants):
                if not (packs or loaves):
                    break
                items = {}
                if loaves:
                    items["bread"] = min(2 if (n + j) % 3 else 1, loaves)
                    loaves -= items["bread"]
                if packs and (n + j) % 2:
                    items["water"] = min(1, packs)
                    packs -= items["water"]
                w.order(key, day, items, by=f"v{(n + j) % 6}")
            n += 1
        day = D(2026, 3, day.day + 1)
    assert day <= D(2026, 3, 25)
    period = Period(D(2026, 3, 4), D(2026, 3, 24), "range")
    text = w.db.call(stats_text, w.ctx, "fr", [w.site("moulin")], "Résidence du Moulin", period)
    assert (
        "\"En 3 semaines, 6 bénévoles ont livré 130 baguettes et 88 packs d'eau à "
        '30 locataires."' in text
    )


def test_settled_days_give_the_same_figures(w: World) -> None:
    """Days two days old are summed once into daily_item_totals; figures do not move."""
    import sqlalchemy as sa

    from models.daily_totals import DailyItemTotal, settle, watermarks

    moulin = w.site("moulin")
    spans = [
        (D(2025, 12, 1), D(2026, 11, 24)),
        (D(2026, 11, 11), D(2026, 11, 24)),
        (D(2026, 10, 1), D(2026, 10, 31)),
        (D(2026, 11, 16), D(2026, 11, 20)),
    ]
    live = [_figures(w, ["moulin"], a, b) for a, b in spans]
    days = w.db.call(settle, moulin, D(2026, 11, 19), CLOCK)
    assert days == (D(2026, 11, 17) - D(2025, 12, 30)).days  # first order day to 2 days ago
    assert w.db.call(watermarks, [moulin]) == {moulin: D(2026, 11, 17)}
    assert w.db.call(settle, moulin, D(2026, 11, 19), CLOCK) == 0  # nothing new
    with w.db.transaction() as s:
        rows = s.execute(
            sa.select(DailyItemTotal.day, DailyItemTotal.item_key, DailyItemTotal.quantity)
            .where(DailyItemTotal.day >= D(2026, 11, 16))
            .order_by(DailyItemTotal.day, DailyItemTotal.item_key)
        ).all()
    assert rows == [(D(2026, 11, 17), "bread", 1), (D(2026, 11, 17), "water", 1)]
    assert [_figures(w, ["moulin"], a, b) for a, b in spans] == live
