"""Round planning: properties on random residences, then the cases the field asked for."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from models.planning import plan_rounds
from models.planning_types import (
    DEFAULT_WEIGHTS,
    NO_VOLUNTEER,
    OVER_CAPACITY,
    STOP_OVER_CAPACITY,
    Plan,
    PlannedStop,
    Volunteer,
    Weights,
    natural_key,
    route_key,
)

PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BUILDINGS = ["A", "B", "C", "B2", "B10", "Les Tilleuls"]
ENTRANCES = [None, "1", "2"]
APARTMENTS = [None, "1", "2", "10", "3A", "3B", "12"]
VOLUNTEER_IDS = st.integers(1, 9)

items_strategy = st.fixed_dictionaries(
    {}, optional={"bread": st.integers(0, 3), "water": st.integers(0, 3)}
)
stop_fields = st.tuples(
    st.sampled_from(BUILDINGS),
    st.sampled_from(ENTRANCES),
    st.none() | st.integers(0, 6),
    st.sampled_from(APARTMENTS),
    items_strategy,
    st.booleans(),
    st.none() | VOLUNTEER_IDS,
)


@st.composite
def residences(draw: st.DrawFn, max_stops: int = 60) -> tuple[list[PlannedStop], list[Volunteer]]:
    """Random stops over a random handful of volunteers, capacities and usual volunteers."""
    fields = draw(st.lists(stop_fields, max_size=max_stops))
    order_ids = draw(
        st.lists(st.integers(1, 10_000), min_size=len(fields), max_size=len(fields), unique=True)
    )
    stops = [
        PlannedStop(
            order_id=order_id,
            tenant_id=order_id + 100_000,
            building=building,
            entrance=entrance,
            floor=floor,
            apartment=apartment,
            items=items,
            first=first,
            previous_volunteer_id=previous,
        )
        for order_id, (building, entrance, floor, apartment, items, first, previous) in zip(
            order_ids, fields, strict=True
        )
    ]
    ids = draw(st.lists(VOLUNTEER_IDS, unique=True, max_size=6))
    volunteers = [Volunteer(id=vid, max_packs=draw(st.none() | st.integers(0, 10))) for vid in ids]
    return stops, volunteers


def packs(stops: Iterable[PlannedStop], weights: Weights = DEFAULT_WEIGHTS) -> int:
    return sum(weights.stop_packs(stop) for stop in stops)


def assert_valid(plan: Plan, stops: list[PlannedStop], volunteers: list[Volunteer]) -> None:
    """Rules 1 and 2: every stop once, every volunteer present, no one over their packs."""
    placed = [s.order_id for r in plan.rounds.values() for s in r] + [
        s.order_id for s in plan.uncovered
    ]
    assert Counter(placed) == Counter(s.order_id for s in stops)
    assert sorted(plan.rounds) == sorted(v.id for v in volunteers)
    assert set(plan.reasons) == {s.order_id for s in plan.uncovered}
    for volunteer in volunteers:
        if volunteer.max_packs is not None:
            assert plan.packs(volunteer.id) <= volunteer.max_packs


def assert_walking_order(stops: list[PlannedStop]) -> None:
    """Rule 6: time needs first; each part in route order; a building finished before the next."""
    flags = [stop.first for stop in stops]
    assert flags == sorted(flags, reverse=True)
    firsts = [s for s in stops if s.first]
    rest = [s for s in stops if not s.first]
    for part in (firsts, rest):
        keys = [route_key(s) for s in part]
        assert keys == sorted(keys)
    for a, b in pairwise(rest):
        if (a.building, a.entrance) == (b.building, b.entrance) and a.floor is None:
            assert b.floor is None  # an unknown floor is visited last in its entrance
    buildings = [s.building for s in rest]
    runs = [b for n, b in enumerate(buildings) if n == 0 or buildings[n - 1] != b]
    assert len(runs) == len(set(runs))


def stop(
    order_id: int,
    building: str = "A",
    entrance: str | None = None,
    floor: int | None = 0,
    apartment: str | None = None,
    items: Mapping[str, int] | None = None,
    *,
    first: bool = False,
    previous: int | None = None,
) -> PlannedStop:
    return PlannedStop(
        order_id=order_id,
        tenant_id=order_id + 100_000,
        building=building,
        entrance=entrance,
        floor=floor,
        apartment=apartment if apartment is not None else str(order_id),
        items=items if items is not None else {"bread": 1},
        first=first,
        previous_volunteer_id=previous,
    )


# Properties


@PROPERTY
@given(residences())
def test_every_stop_once_within_pack_limits_and_in_walking_order(
    residence: tuple[list[PlannedStop], list[Volunteer]],
) -> None:
    stops, volunteers = residence
    plan = plan_rounds(stops, volunteers)
    assert_valid(plan, stops, volunteers)
    for round_ in plan.rounds.values():
        assert_walking_order(round_)


@PROPERTY
@given(residences())
def test_uncovered_only_with_a_true_reason(
    residence: tuple[list[PlannedStop], list[Volunteer]],
) -> None:
    stops, volunteers = residence
    plan = plan_rounds(stops, volunteers)
    limits = [math.inf if v.max_packs is None else v.max_packs for v in volunteers]
    for uncovered in plan.uncovered:
        reason = plan.reasons[uncovered.order_id]
        if reason == NO_VOLUNTEER:
            assert not volunteers
        elif reason == STOP_OVER_CAPACITY:
            assert DEFAULT_WEIGHTS.stop_packs(uncovered) > max(limits)
        else:
            assert reason == OVER_CAPACITY
            assert all(math.isfinite(limit) for limit in limits)
            assert DEFAULT_WEIGHTS.stop_packs(uncovered) > 0


@PROPERTY
@given(residences())
def test_nothing_uncovered_when_anyone_could_carry_everything(
    residence: tuple[list[PlannedStop], list[Volunteer]],
) -> None:
    stops, volunteers = residence
    assume(volunteers)
    total = packs(stops)
    roomy = [
        Volunteer(v.id, None if v.max_packs is None else total + v.max_packs) for v in volunteers
    ]
    plan = plan_rounds(stops, roomy)
    assert plan.uncovered == []


@PROPERTY
@given(residences(), st.lists(st.integers(0, 6), min_size=1, max_size=6))
def test_single_pack_orders_leave_exactly_the_excess_uncovered(
    residence: tuple[list[PlannedStop], list[Volunteer]], limits: list[int]
) -> None:
    """With one pack per water order, the fewest stops uncovered is the number of packs too many."""
    stops, _ = residence
    stops = [replace(s, items={k: min(q, 1) for k, q in s.items.items()}) for s in stops]
    volunteers = [Volunteer(vid, limit) for vid, limit in enumerate(limits, start=1)]
    plan = plan_rounds(stops, volunteers)
    assert_valid(plan, stops, volunteers)
    assert len(plan.uncovered) == max(0, packs(stops) - sum(limits))
    assert all(packs([s]) == 1 for s in plan.uncovered)


@PROPERTY
@given(residences(), st.data())
def test_same_input_in_any_order_gives_the_same_plan(
    residence: tuple[list[PlannedStop], list[Volunteer]], data: st.DataObject
) -> None:
    stops, volunteers = residence
    plan = plan_rounds(stops, volunteers)
    shuffled = plan_rounds(
        data.draw(st.permutations(stops)), data.draw(st.permutations(volunteers))
    )
    assert shuffled == plan
    assert plan_rounds(stops, volunteers) == plan


@PROPERTY
@given(residences(), st.data())
def test_a_drop_out_keeps_every_other_volunteers_stops(
    residence: tuple[list[PlannedStop], list[Volunteer]], data: st.DataObject
) -> None:
    stops, volunteers = residence
    assume(len(volunteers) >= 2)
    plan = plan_rounds(stops, volunteers)
    gone = data.draw(st.sampled_from(volunteers)).id
    keep = {oid: vid for oid, vid in plan.assignment().items() if vid != gone}
    others = [v for v in volunteers if v.id != gone]
    replan = plan_rounds(stops, others, keep=keep)
    assert_valid(replan, stops, others)
    after = replan.assignment()
    assert all(after[oid] == vid for oid, vid in keep.items())
    if all(v.max_packs is None for v in others):
        assert {s.order_id for s in replan.uncovered} <= {s.order_id for s in plan.uncovered}


@PROPERTY
@given(
    volunteers=st.integers(1, 6),
    groups_each=st.integers(1, 3),
    size=st.integers(1, 8),
    items=items_strategy,
    data=st.data(),
)
def test_continuity_is_honoured_when_it_costs_nothing(
    volunteers: int, groups_each: int, size: int, items: dict[str, int], data: st.DataObject
) -> None:
    """Each volunteer served whole entrances of equal weight last time: the plan is unchanged."""
    names = [f"B{n}" for n in range(volunteers * groups_each)]
    names = data.draw(st.permutations(names))
    stops = [
        stop(
            order_id=g * 100 + k,
            building=name,
            floor=data.draw(st.none() | st.integers(0, 5)),
            items=items,
            previous=g % volunteers + 1,
        )
        for g, name in enumerate(names)
        for k in range(size)
    ]
    people = [Volunteer(vid, None) for vid in range(1, volunteers + 1)]
    plan = plan_rounds(stops, people)
    assert all(plan.assignment()[s.order_id] == s.previous_volunteer_id for s in stops)


# Examples


def test_no_volunteer_leaves_every_stop_uncovered_for_the_coordinators() -> None:
    stops = [stop(1), stop(2, items={"water": 2})]
    plan = plan_rounds(stops, [])
    assert plan.rounds == {}
    assert [s.order_id for s in plan.uncovered] == [1, 2]
    assert plan.reasons == {1: NO_VOLUNTEER, 2: NO_VOLUNTEER}


def test_a_stop_heavier_than_anyone_can_carry_is_uncovered() -> None:
    plan = plan_rounds([stop(1, items={"water": 5}), stop(2)], [Volunteer(7, max_packs=4)])
    assert [s.order_id for s in plan.uncovered] == [1]
    assert plan.reasons == {1: STOP_OVER_CAPACITY}
    assert [s.order_id for s in plan.rounds[7]] == [2]


def test_over_capacity_uncovers_the_fewest_stops_and_the_fewest_packs() -> None:
    # 6 packs for 4 of capacity: one 2-pack stop is enough, not two 1-pack stops.
    stops = [
        stop(1, items={"water": 1}),
        stop(2, items={"water": 2}),
        stop(3, items={"water": 1}),
        stop(4, items={"water": 2}, first=True),
    ]
    plan = plan_rounds(stops, [Volunteer(1, 2), Volunteer(2, 2)])
    assert [s.order_id for s in plan.uncovered] == [2]  # the 2-pack stop without a time need
    # 4 packs for 3 of capacity: a 1-pack stop closes the gap, the 2-pack one stays covered.
    plan = plan_rounds(stops[:3], [Volunteer(1, 3)])
    assert [s.order_id for s in plan.uncovered] == [3]  # the later of the two 1-pack orders


def test_over_capacity_keeps_the_bread_of_mixed_orders() -> None:
    stops = [stop(1, items={"water": 1, "bread": 2}), stop(2, items={"water": 1})]
    plan = plan_rounds(stops, [Volunteer(1, 1)])
    assert [s.order_id for s in plan.uncovered] == [2]
    assert plan.reasons == {2: OVER_CAPACITY}


def test_a_volunteer_without_packs_still_takes_bread() -> None:
    stops = [stop(1, items={"water": 1}), stop(2, "B")]
    plan = plan_rounds(stops, [Volunteer(1, 0)])
    assert [s.order_id for s in plan.rounds[1]] == [2]
    assert plan.reasons == {1: STOP_OVER_CAPACITY}


def test_entrances_stay_with_one_volunteer_on_a_simple_residence() -> None:
    stops = [
        stop(n, building, entrance, floor=n % 4)
        for n, (building, entrance) in enumerate(
            [(b, e) for b in "ABC" for e in ("1", "2")] * 5, start=1
        )
    ]
    plan = plan_rounds(stops, [Volunteer(v, None) for v in (1, 2, 3)])
    assert plan.split_groups() == 0
    assert plan.balance() == pytest.approx(1.0)
    for round_ in plan.rounds.values():
        assert len({(s.building, s.entrance) for s in round_}) == 2


def test_a_heavy_entrance_is_cut_in_floor_order_and_balanced() -> None:
    stops = [
        stop(f * 10 + a, "A", floor=f, apartment=f"{f}{a}") for f in range(10) for a in range(4)
    ]
    plan = plan_rounds(stops, [Volunteer(v, None) for v in (1, 2, 3, 4)])
    assert plan.balance() == pytest.approx(1.0)
    # Each round is one stretch of the stairwell: put end to end they give the walking order.
    rounds = sorted(plan.rounds.values(), key=lambda r: route_key(r[0]))
    assert [s for r in rounds for s in r] == sorted(stops, key=route_key)


def test_an_entrance_too_heavy_in_packs_is_split_within_each_limit() -> None:
    stops = [stop(n, "A", floor=n, items={"water": 1}) for n in range(10)]
    plan = plan_rounds(stops, [Volunteer(1, 4), Volunteer(2, 4), Volunteer(3, 4)])
    assert plan.uncovered == []
    assert sorted(plan.packs(v) for v in (1, 2, 3)) == [3, 3, 4]
    for round_ in plan.rounds.values():
        floors = [s.floor for s in round_]
        assert floors == list(range(floors[0], floors[0] + len(floors)))


def test_a_drop_out_hands_the_dropped_round_to_the_others_without_moving_theirs() -> None:
    stops = [
        stop(n, building, floor=n % 5, previous=previous)
        for n, (building, previous) in enumerate(
            [("A", 1), ("B", 2), ("C", 3), ("D", None)] * 6, start=1
        )
    ]
    volunteers = [Volunteer(v, None) for v in (1, 2, 3)]
    plan = plan_rounds(stops, volunteers)
    keep = {oid: vid for oid, vid in plan.assignment().items() if vid != 2}
    replan = plan_rounds(stops, [volunteers[0], volunteers[2]], keep=keep)
    after = replan.assignment()
    assert all(after[oid] == vid for oid, vid in keep.items())
    assert replan.uncovered == []
    assert {s.building for s in plan.rounds[2]} >= {"B"}
    assert len({after[s.order_id] for s in stops if s.building == "B"}) == 1


def test_tenants_go_back_to_their_usual_volunteer_after_an_absence() -> None:
    stops = [
        stop(n, building, floor=n % 3, previous=usual)
        for n, (building, usual) in enumerate([("A", 1), ("B", 2), ("C", 3)] * 4, start=1)
    ]
    everyone = [Volunteer(v, None) for v in (1, 2, 3)]
    away = plan_rounds(stops, everyone[:2])  # volunteer 3 is away for a few days
    assert all(away.assignment()[s.order_id] in (1, 2) for s in stops)
    back = plan_rounds(stops, everyone)
    assert all(back.assignment()[s.order_id] == s.previous_volunteer_id for s in stops)


def test_continuity_gives_way_past_the_tolerance() -> None:
    # Everyone was served by volunteer 1; today three share the work.
    stops = [stop(n, b, previous=1) for n, b in enumerate("ABCDEF" * 2, start=1)]
    plan = plan_rounds(stops, [Volunteer(v, None) for v in (1, 2, 3)])
    assert len(plan.rounds[1]) == 4
    assert plan.balance() == pytest.approx(1.0)


def test_time_needs_come_first_then_the_walk() -> None:
    stops = [
        stop(1, "A", floor=3, apartment="31"),
        stop(2, "A", floor=None, apartment="1"),
        stop(3, "C", floor=0, apartment="2", first=True),
        stop(4, "A", floor=0, apartment="10"),
        stop(5, "A", floor=0, apartment="9"),
        stop(6, "B", "2", floor=1),
        stop(7, "B", "1", floor=4),
        stop(8, "A", floor=1, first=True),
    ]
    plan = plan_rounds(stops, [Volunteer(1, None)])
    assert [s.order_id for s in plan.rounds[1]] == [8, 3, 5, 4, 1, 2, 7, 6]


def test_natural_sort_of_apartments_and_buildings() -> None:
    names = ["10", "2", "3B", "3A", "3", "B10", "B2", "b3"]
    assert sorted(names, key=natural_key) == ["2", "3", "3A", "3B", "10", "B2", "b3", "B10"]


def test_plan_totals_for_the_round_message_and_the_suppliers() -> None:
    stops = [stop(1, items={"bread": 2, "water": 1}), stop(2, items={"bread": 1, "water": 0})]
    plan = plan_rounds(stops, [Volunteer(1, None), Volunteer(2, None)])
    both = Counter(plan.collect(1)) + Counter(plan.collect(2))
    assert dict(both) == {"bread": 3, "water": 1}
    assert plan.load(1) + plan.load(2) == pytest.approx(3 + 9)
    assert plan.packs(1) + plan.packs(2) == 1


def test_an_unknown_item_weighs_like_a_loaf() -> None:
    assert DEFAULT_WEIGHTS.stop_load(stop(1, items={"croissant": 2, "water": 1})) == 11


@pytest.mark.parametrize(
    ("stops", "volunteers"),
    [
        ([stop(1), stop(1)], [Volunteer(1, None)]),
        ([stop(1)], [Volunteer(1, None), Volunteer(1, 3)]),
        ([stop(1, items={"bread": -1})], [Volunteer(1, None)]),
        ([stop(1)], [Volunteer(1, -1)]),
    ],
)
def test_impossible_input_is_refused_not_guessed(
    stops: list[PlannedStop], volunteers: list[Volunteer]
) -> None:
    with pytest.raises(ValueError):
        plan_rounds(stops, volunteers)
