"""Round planning: the orders of one delivery day in, one round per available volunteer out.

Pure and deterministic (no I/O, no database, no clock, no randomness): the evening job hands it
plain dataclasses and stores what comes out, so the whole policy is testable on its own and a
re-run of the job gives the same rounds. Ties are broken by ids, never by input order.

The rules are ranked; an earlier one wins when two disagree:

1. Every stop comes out exactly once, in a round or in ``uncovered`` (with a reason, so the
   coordinator can be alerted). Nothing is ever dropped.
2. Packs are a hard limit: nobody carries more water packs than their ``max_packs``. A stop with
   more packs than anyone may carry is uncovered; when today's volunteers cannot carry all the
   packs, the fewest stops that close the gap are uncovered, stops of ``keep`` last (see
   `fewest_to_drop`).
3. ``keep`` (a plan already sent, minus a volunteer who dropped out) is honoured first: the
   volunteers still there keep their stops; only the packs limit can move one.
4. Grouping: the rest is cut into building-entrance groups, one volunteer each. A group heavier
   than a fair share (the mean load plus `CONTINUITY_TOLERANCE`) is cut, in floor order, into
   pieces of about the mean load, preferably where the usual volunteer changes (so that
   yesterday's split comes back today), else at a floor change (see `cut_group`).
5. Continuity: a group (or piece) goes to the volunteer who already holds the rest of its
   entrance, or else to the usual volunteer of most of its tenants, as long as that volunteer's
   load stays within ``mean × (1 + CONTINUITY_TOLERANCE)``.
6. Balance: what is left goes, heaviest first, to the least loaded volunteer who can still carry
   its packs (longest-processing-time first), whole if that stays within the fair share; else it
   is cut in floor order and the least loaded takes what brings them to the mean (see `place_rest`).
7. Each round is sorted for walking: time needs first, then building, entrance, floor, apartment.

Cost: O(n log n) in stops; volunteers sit in a heap by load, so each piece costs O(log v), plus
the full volunteers it skips when pack limits bite.

What goes in and out is in `models.planning_types`; the cutting and placing steps of rules 2, 4
and 6 in `models.planning_steps`; the database side (orders in, rounds stored) in
`models.day_planning`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from models.planning_steps import (
    CONTINUITY_TOLERANCE,
    EPS,
    Piece,
    Rounds,
    cut_group,
    fewest_to_drop,
    group_holders,
    place_rest,
    usual_of,
)
from models.planning_types import (
    DEFAULT_WEIGHTS,
    NO_VOLUNTEER,
    OVER_CAPACITY,
    STOP_OVER_CAPACITY,
    Plan,
    PlannedStop,
    Volunteer,
    Weights,
    route_key,
)


def plan_rounds(
    stops: Sequence[PlannedStop],
    volunteers: Sequence[Volunteer],
    weights: Weights = DEFAULT_WEIGHTS,
    keep: Mapping[int, int] | None = None,
) -> Plan:
    """Plan one day's stops into one round per volunteer; see the module docstring for the rules.

    ``keep`` maps order id → volunteer id of a plan already sent: after a drop-out, pass the old
    assignment (`Plan.assignment`) without the volunteer who dropped, and the others keep their
    stops while absorbing the dropped ones. Raises ValueError on an order id given twice, a
    volunteer id given twice, or a negative quantity or capacity: a caller's bug, never guessed at.
    """
    _validate(stops, volunteers)
    ordered = sorted(stops, key=route_key)  # index i everywhere below is a position in route order
    vids = sorted(volunteer.id for volunteer in volunteers)
    if not vids:
        return _plan(ordered, {}, dict.fromkeys(range(len(ordered)), NO_VOLUNTEER), weights)

    loads = [weights.stop_load(stop) for stop in ordered]
    packs = [weights.stop_packs(stop) for stop in ordered]
    capacity = {v.id: math.inf if v.max_packs is None else float(v.max_packs) for v in volunteers}
    state = Rounds(vids, loads, packs, capacity)

    # Rule 2: what nobody can carry.
    largest = max(capacity.values())
    reasons = {i: STOP_OVER_CAPACITY for i, p in enumerate(packs) if p > largest}
    kept = {
        i: keep[stop.order_id]
        for i, stop in enumerate(ordered)
        if keep and keep.get(stop.order_id) in capacity and i not in reasons
    }
    total_capacity = sum(capacity.values())
    carried = [i for i, p in enumerate(packs) if p > 0 and i not in reasons]
    excess = sum(packs[i] for i in carried) - total_capacity
    if excess > 0:
        for i in fewest_to_drop(carried, ordered, packs, kept, excess, weights.pack_items):
            reasons[i] = OVER_CAPACITY

    # Rule 3: the plan already sent stays, within the packs limit, in route order.
    for i, vid in kept.items():
        if i not in reasons and state.fits(vid, packs[i]):
            state.give(vid, [i])

    # Rule 4: building-entrance groups, cut when heavier than a fair share.
    covered_load = sum(load for i, load in enumerate(loads) if i not in reasons)
    mean = covered_load / len(vids)
    fair = mean * (1 + CONTINUITY_TOLERANCE)
    groups: dict[tuple[str, str | None], list[int]] = {}
    for i, stop in enumerate(ordered):
        if i not in reasons and i not in state.owner:
            groups.setdefault((stop.building, stop.entrance), []).append(i)
    holders = group_holders(ordered, state.owner)
    pieces: list[Piece] = []
    for key, members in groups.items():
        for part in cut_group(members, ordered, loads, packs, mean, largest, capacity):
            prefs = [holders[key]] if key in holders else []
            usual = usual_of(part, ordered, capacity)
            if usual is not None and usual not in prefs:
                prefs.append(usual)
            pieces.append(
                Piece(part, sum(loads[i] for i in part), sum(packs[i] for i in part), prefs)
            )

    # Rule 5: continuity within the tolerance, heaviest pieces first.
    pieces.sort(key=lambda piece: (-piece.load, piece.members[0]))
    left: list[Piece] = []
    for piece in pieces:
        for vid in piece.prefs:
            if state.fits(vid, piece.packs) and state.load[vid] + piece.load <= fair + EPS:
                state.give(vid, piece.members)
                break
        else:
            left.append(piece)

    # Rule 6: the rest to the least loaded who can carry it.
    place_rest(left, state, loads, packs, mean, reasons)
    return _plan(ordered, state.rounds, reasons, weights)


def _validate(stops: Sequence[PlannedStop], volunteers: Sequence[Volunteer]) -> None:
    """Refuse input that would make a stop vanish or appear twice, rather than guess."""
    seen: set[int] = set()
    for stop in stops:
        if stop.order_id in seen:
            raise ValueError(f"order {stop.order_id} is given twice")
        seen.add(stop.order_id)
        if any(quantity < 0 for quantity in stop.items.values()):
            raise ValueError(f"order {stop.order_id} has a negative quantity")
    ids: set[int] = set()
    for volunteer in volunteers:
        if volunteer.id in ids:
            raise ValueError(f"volunteer {volunteer.id} is given twice")
        ids.add(volunteer.id)
        if volunteer.max_packs is not None and volunteer.max_packs < 0:
            raise ValueError(f"volunteer {volunteer.id} has a negative max_packs")


def _plan(
    ordered: list[PlannedStop],
    rounds: Mapping[int, list[int]],
    reasons: Mapping[int, str],
    weights: Weights,
) -> Plan:
    """Turn indices back into stops, each round in visiting order (time needs first)."""
    return Plan(
        rounds={
            vid: [ordered[i] for i in sorted(members, key=lambda i: (not ordered[i].first, i))]
            for vid, members in sorted(rounds.items())
        },
        uncovered=[ordered[i] for i in sorted(reasons)],
        reasons={ordered[i].order_id: reasons[i] for i in sorted(reasons)},
        weights=weights,
    )
