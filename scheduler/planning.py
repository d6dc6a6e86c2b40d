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
   `_fewest_to_drop`).
3. ``keep`` (a plan already sent, minus a volunteer who dropped out) is honoured first: the
   volunteers still there keep their stops; only the packs limit can move one.
4. Grouping: the rest is cut into building-entrance groups, one volunteer each. A group heavier
   than a fair share (the mean load plus `CONTINUITY_TOLERANCE`) is cut, in floor order, into
   pieces of about the mean load, preferably where the usual volunteer changes (so that
   yesterday's split comes back today), else at a floor change (see `_cut`).
5. Continuity: a group (or piece) goes to the volunteer who already holds the rest of its
   entrance, or else to the usual volunteer of most of its tenants, as long as that volunteer's
   load stays within ``mean × (1 + CONTINUITY_TOLERANCE)``.
6. Balance: what is left goes, heaviest first, to the least loaded volunteer who can still carry
   its packs (longest-processing-time first), whole if that stays within the fair share; else it
   is cut in floor order and the least loaded takes what brings them to the mean (see `_balance`).
7. Each round is sorted for walking: time needs first, then building, entrance, floor, apartment.

Cost: O(n log n) in stops; volunteers sit in a heap by load, so each piece costs O(log v), plus
the full volunteers it skips when pack limits bite.
"""

from __future__ import annotations

import functools
import heapq
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from typing import Any

#: How far above the mean load a volunteer may go to keep an entrance whole or keep tenants with
#: their usual volunteer. 30 %: a round of ten doors may grow to thirteen, which saves a second
#: volunteer the same stairwell and keeps a familiar face at the door of an elderly tenant. Beyond
#: it, balance wins: the entrance is cut or goes to someone else.
CONTINUITY_TOLERANCE = 0.3

#: A cut inside a heavy entrance may move by up to this share of the mean load to fall between
#: two floors rather than on a landing: a mild preference, since it costs as much in balance.
SNAP_WINDOW = 0.1

#: Reasons a stop is uncovered, for the coordinators' alert.
NO_VOLUNTEER = "no_volunteer"
STOP_OVER_CAPACITY = "stop_over_capacity"  # this stop alone has more packs than anyone carries
OVER_CAPACITY = "over_capacity"  # today's volunteers cannot carry every pack

_EPS = 1e-9
_DIGITS = re.compile(r"(\d+)")

RouteKey = tuple[Any, ...]


@dataclass(frozen=True)
class Stop:
    """One order to deliver on the day: where, what, and what the tenant is used to."""

    order_id: int
    tenant_id: int
    building: str
    entrance: str | None
    floor: int | None  # 0 = ground floor; None = unknown, visited last in its entrance
    apartment: str | None  # natural sort: "2" < "10", "3A" < "3B"
    items: Mapping[str, int]  # {"bread": 2, "water": 1}
    first: bool = False  # a time need ("avant 9 h, rendez-vous médecin"): first in its round
    # The tenant's usual volunteer. The caller should skip substitute rounds (the volunteer who
    # served them most often lately), so that a tenant goes back to their volunteer after an
    # absence instead of staying with whoever stood in.
    previous_volunteer_id: int | None = None


@dataclass(frozen=True)
class Volunteer:
    """A volunteer available on the day."""

    id: int
    max_packs: int | None  # most water packs they can carry in one round; None = no limit


@dataclass(frozen=True)
class Weights:
    """Load units per item, and which items are packs counted against ``max_packs``.

    The load is what balancing evens out: the effort of a round, not its mass. A 6 × 1.5 L pack
    weighs about 9.3 kg; a loaf about 250 g, but a loaf still costs a walk to a door, so it counts
    as one unit against nine for a pack (mass alone would say 1 to 36, and weigh thirty-six doors
    of bread like one pack). ``per_stop`` adds a cost per door for a site that wants to weigh the
    walking more; it is 0 by default. An item the table does not name (a new catalogue entry)
    weighs ``default``, like a loaf, rather than stopping the evening job.
    """

    per_item: Mapping[str, float]
    pack_items: frozenset[str] = frozenset({"water"})
    default: float = 1.0
    per_stop: float = 0.0

    def stop_load(self, stop: Stop) -> float:
        """The load units of one stop."""
        return self.per_stop + sum(
            quantity * self.per_item.get(item, self.default)
            for item, quantity in stop.items.items()
        )

    def stop_packs(self, stop: Stop) -> int:
        """The packs of one stop (the quantities of the pack items)."""
        return sum(quantity for item, quantity in stop.items.items() if item in self.pack_items)


DEFAULT_WEIGHTS = Weights(per_item={"bread": 1.0, "water": 9.0})


@dataclass(frozen=True)
class Plan:
    """The rounds of one day, and what nobody could take (for the coordinators' alert)."""

    rounds: dict[int, list[Stop]]  # volunteer id → stops in visiting order; every volunteer given
    uncovered: list[Stop]  # in route order
    reasons: dict[int, str] = field(default_factory=dict)  # uncovered order id → reason
    weights: Weights = DEFAULT_WEIGHTS

    def load(self, volunteer_id: int) -> float:
        """The load units of one round."""
        return sum(self.weights.stop_load(stop) for stop in self.rounds[volunteer_id])

    def packs(self, volunteer_id: int) -> int:
        """The packs one volunteer carries."""
        return sum(self.weights.stop_packs(stop) for stop in self.rounds[volunteer_id])

    def collect(self, volunteer_id: int) -> dict[str, int]:
        """What one volunteer picks up from the suppliers: total per item, zeros left out."""
        totals: Counter[str] = Counter()
        for stop in self.rounds[volunteer_id]:
            totals.update(stop.items)
        return {item: totals[item] for item in sorted(totals) if totals[item] > 0}

    def balance(self) -> float:
        """Max load / mean load over the volunteers with stops: 1.0 is perfectly even."""
        loads = [self.load(vid) for vid, stops in self.rounds.items() if stops]
        mean = sum(loads) / len(loads) if loads else 0.0
        return max(loads) / mean if mean > 0 else 1.0

    def assignment(self) -> dict[int, int]:
        """Order id → volunteer id: what `plan_rounds` takes as ``keep`` when re-planning."""
        return {stop.order_id: vid for vid, stops in self.rounds.items() for stop in stops}

    def split_groups(self) -> int:
        """How many building-entrance groups are served by more than one volunteer."""
        served: dict[tuple[str, str | None], set[int]] = {}
        for vid, stops in self.rounds.items():
            for stop in stops:
                served.setdefault((stop.building, stop.entrance), set()).add(vid)
        return sum(1 for vids in served.values() if len(vids) > 1)


@functools.lru_cache(maxsize=8192)
def natural_key(text: str) -> tuple[tuple[tuple[int, int, str], ...], str]:
    """A sort key where digit runs compare as numbers: "2" < "10", "3A" < "3B", "B2" < "B10".

    Case and leading zeros are ignored ("b3" sorts between "B2" and "B10"), then the text itself
    breaks ties, so the order is total and does not depend on the input order.
    """
    parts = []
    for n, chunk in enumerate(_DIGITS.split(text.strip())):
        if n % 2:
            parts.append((0, int(chunk), ""))
        elif chunk:
            parts.append((1, 0, chunk.casefold()))
    return tuple(parts), text


def route_key(stop: Stop) -> RouteKey:
    """Walking order: building, entrance, floor (unknown last), apartment (natural), order id."""
    return (
        natural_key(stop.building),
        (1, ()) if stop.entrance is None else (0, natural_key(stop.entrance)),
        (1, 0) if stop.floor is None else (0, stop.floor),
        (1, ()) if stop.apartment is None else (0, natural_key(stop.apartment)),
        stop.order_id,
    )


def round_key(stop: Stop) -> tuple[bool, RouteKey]:
    """Visiting order within a round: time needs first, each part in walking order."""
    return (not stop.first, route_key(stop))


def plan_rounds(
    stops: Sequence[Stop],
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
    state = _Rounds(vids, loads, packs, capacity)

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
        for i in _fewest_to_drop(carried, ordered, packs, kept, excess, weights.pack_items):
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
    holders = _holders(ordered, state.owner)
    pieces: list[_Piece] = []
    for key, members in groups.items():
        for part in _cut(members, ordered, loads, packs, mean, largest, capacity):
            prefs = [holders[key]] if key in holders else []
            usual = _usual(part, ordered, capacity)
            if usual is not None and usual not in prefs:
                prefs.append(usual)
            pieces.append(
                _Piece(part, sum(loads[i] for i in part), sum(packs[i] for i in part), prefs)
            )

    # Rule 5: continuity within the tolerance, heaviest pieces first.
    pieces.sort(key=lambda piece: (-piece.load, piece.members[0]))
    left: list[_Piece] = []
    for piece in pieces:
        for vid in piece.prefs:
            if state.fits(vid, piece.packs) and state.load[vid] + piece.load <= fair + _EPS:
                state.give(vid, piece.members)
                break
        else:
            left.append(piece)

    # Rule 6: the rest to the least loaded who can carry it.
    _balance(left, state, loads, packs, mean, reasons)
    return _plan(ordered, state.rounds, reasons, weights)


@dataclass
class _Piece:
    """A group, or part of one, placed as a whole: indices in route order and what they weigh."""

    members: list[int]
    load: float
    packs: int
    prefs: list[int]  # volunteers to try first, best first


class _Rounds:
    """The rounds being built, with running loads and packs, and who is least loaded."""

    def __init__(
        self, vids: list[int], loads: list[float], packs: list[int], capacity: dict[int, float]
    ) -> None:
        self.loads, self.packs, self.capacity = loads, packs, capacity
        self.rounds: dict[int, list[int]] = {vid: [] for vid in vids}
        self.load = dict.fromkeys(vids, 0.0)
        self.carried = dict.fromkeys(vids, 0)
        self.owner: dict[int, int] = {}
        # (load, stops, id): least loaded first, ties to the fewest doors, then the lowest id.
        # Entries are pushed on every change and stale ones dropped when met (lazy deletion).
        self._queue = [(0.0, 0, vid) for vid in vids]
        heapq.heapify(self._queue)

    def fits(self, vid: int, packs: int) -> bool:
        """Whether ``vid`` can still carry ``packs`` more packs."""
        return self.carried[vid] + packs <= self.capacity[vid]

    def room(self, vid: int) -> float:
        """How many more packs ``vid`` can carry."""
        return self.capacity[vid] - self.carried[vid]

    def give(self, vid: int, members: Sequence[int]) -> None:
        """Add stops to a round."""
        self.rounds[vid].extend(members)
        for i in members:
            self.load[vid] += self.loads[i]
            self.carried[vid] += self.packs[i]
            self.owner[i] = vid
        heapq.heappush(self._queue, (self.load[vid], len(self.rounds[vid]), vid))

    def least_loaded(self, packs: int) -> int | None:
        """The least loaded volunteer who can still carry ``packs`` more packs, if any."""
        skipped = []
        found = None
        while self._queue:
            entry = heapq.heappop(self._queue)
            load, stops, vid = entry
            if load != self.load[vid] or stops != len(self.rounds[vid]):
                continue  # stale
            skipped.append(entry)
            if self.fits(vid, packs):
                found = vid
                break
        for entry in skipped:
            heapq.heappush(self._queue, entry)
        return found


def _validate(stops: Sequence[Stop], volunteers: Sequence[Volunteer]) -> None:
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


def _fewest_to_drop(
    carried: list[int],
    ordered: list[Stop],
    packs: list[int],
    kept: Mapping[int, int],
    excess: float,
    pack_items: frozenset[str],
) -> list[int]:
    """The stops to leave uncovered when there are ``excess`` packs more than anyone can carry.

    Stops in a round already sent (``keep``) go last: changing a round a volunteer already holds
    invites a double delivery. Within that, the fewest stops: the largest orders go, so the fewest
    tenants wait for a coordinator; then the last one is swapped for the least protected, then
    smallest, stop that still closes the gap. Among equal sizes a stop stays covered when it has
    a time need, when it also carries bread (a water-only stop loses only water), and when it was
    ordered earlier (the latest order waits).
    """

    def protected(i: int) -> tuple[bool, bool]:
        stop = ordered[i]
        return stop.first, any(q > 0 for item, q in stop.items.items() if item not in pack_items)

    def drop_first(i: int) -> tuple[int, tuple[bool, bool], int]:
        return (-packs[i], protected(i), -ordered[i].order_id)

    dropped: list[int] = []
    for tier in ([i for i in carried if i not in kept], [i for i in carried if i in kept]):
        if excess <= 0:
            break
        candidates = sorted(tier, key=drop_first)
        if sum(packs[i] for i in candidates) <= excess:
            dropped += candidates
            excess -= sum(packs[i] for i in candidates)
            continue
        taken: list[int] = []
        removed = 0
        for i in candidates:
            if removed >= excess:
                break
            taken.append(i)
            removed += packs[i]
        need = excess - (removed - packs[taken[-1]])
        closing = []
        for i in candidates[len(taken) - 1 :]:
            if packs[i] < need:
                break
            closing.append(i)
        taken[-1] = min(closing, key=lambda i: (protected(i), packs[i], drop_first(i)))
        dropped += taken
        excess = 0
    return dropped


def _holders(ordered: list[Stop], owner: Mapping[int, int]) -> dict[tuple[str, str | None], int]:
    """For each group with kept stops, the volunteer holding most of them (ties: lowest id)."""
    counts: dict[tuple[str, str | None], Counter[int]] = {}
    for i, vid in owner.items():
        stop = ordered[i]
        counts.setdefault((stop.building, stop.entrance), Counter())[vid] += 1
    return {key: min(c, key=lambda vid: (-c[vid], vid)) for key, c in counts.items()}


def _usual(part: list[int], ordered: list[Stop], capacity: Mapping[int, float]) -> int | None:
    """The usual volunteer of most tenants of a piece, if available today (ties: lowest id)."""
    votes: Counter[int] = Counter()
    for i in part:
        vid = ordered[i].previous_volunteer_id
        if vid is not None and vid in capacity:
            votes[vid] += 1
    return min(votes, key=lambda vid: (-votes[vid], vid)) if votes else None


def _cut(
    members: list[int],
    ordered: list[Stop],
    loads: list[float],
    packs: list[int],
    mean: float,
    largest: float,
    available: Container[int],
) -> list[list[int]]:
    """Cut a group heavier than a fair share into pieces, in route order, from the first floor up.

    A group within the fair share (mean × (1 + tolerance)) and within the largest ``max_packs``
    stays whole. From a heavier one, pieces are taken one after the other, each aiming at an
    even share of what is left (about the mean, never over the fair share or the largest
    ``max_packs``). A piece ends preferably where the usual volunteer changes, if that leaves it
    between half the mean and the fair share: yesterday's split then comes back today even when
    the number of volunteers changed, and continuity can hand each piece back. Failing that, it
    ends at the floor change nearest its aim, within `SNAP_WINDOW` of the mean; else at the
    nearest stop. Newcomers (no usual volunteer available) count as their neighbour's before them.
    """
    fair = mean * (1 + CONTINUITY_TOLERANCE)
    size = len(members)
    prefix = list(accumulate((loads[i] for i in members), initial=0.0))
    packed = list(accumulate((packs[i] for i in members), initial=0))
    total = prefix[-1]

    def too_big(start: int) -> bool:
        return total - prefix[start] > fair + _EPS or packed[-1] - packed[start] > largest

    if size < 2 or not too_big(0):
        return [members]

    labels: list[int | None] = []
    label: int | None = None
    for i in members:
        vid = ordered[i].previous_volunteer_id
        label = vid if vid is not None and vid in available else label
        labels.append(label)
    first_known = next((x for x in labels if x is not None), None)
    labels = [first_known if x is None else x for x in labels]
    usual = [j for j in range(1, size) if labels[j - 1] != labels[j]]
    floors = [
        j for j in range(1, size) if ordered[members[j - 1]].floor != ordered[members[j]].floor
    ]

    cuts = [0]
    start = 0
    while start < size - 1 and too_big(start):
        remaining = total - prefix[start]
        count = 2
        if mean > 0:
            count = max(count, math.ceil(remaining / fair), math.floor(remaining / mean + 0.5))
        if math.isfinite(largest) and largest > 0:
            count = max(count, math.ceil((packed[-1] - packed[start]) / largest))
        aim = prefix[start] + remaining / count
        low = start + 1
        high = min(size - 1, bisect_right(packed, packed[start] + largest) - 1)
        high = max(high, low)
        cut = _nearest(usual, prefix, aim, bisect_left(usual, low), bisect_right(usual, high))
        if cut is None or not (mean / 2 - _EPS <= prefix[cut] - prefix[start] <= fair + _EPS):
            cut = _nearest(
                floors, prefix, aim, bisect_left(floors, low), bisect_right(floors, high)
            )
            if cut is None or abs(prefix[cut] - aim) > SNAP_WINDOW * mean + _EPS:
                cut = _nearest(range(low, high + 1), prefix, aim)
        assert cut is not None
        cuts.append(cut)
        start = cut
    cuts.append(size)
    return [members[a:b] for a, b in pairwise(cuts)]


def _nearest(
    positions: Sequence[int], prefix: list[float], ideal: float, lo: int = 0, hi: int | None = None
) -> int | None:
    """The position in ``positions[lo:hi]`` whose prefix load is nearest ``ideal``.

    Positions ascend, so their prefix loads do too and a bisection finds it; ties go to the
    earlier position. None when the slice is empty.
    """
    hi = len(positions) if hi is None else hi
    if lo >= hi:
        return None
    k = bisect_left(positions, ideal, lo, hi, key=lambda j: prefix[j])
    candidates = [positions[t] for t in (k - 1, k) if lo <= t < hi]
    return min(candidates, key=lambda j: (abs(prefix[j] - ideal), j))


def _balance(
    left: list[_Piece],
    state: _Rounds,
    loads: list[float],
    packs: list[int],
    mean: float,
    reasons: dict[int, str],
) -> None:
    """Place the remaining pieces, heaviest first, on the least loaded who can carry them.

    A piece goes whole to the least loaded volunteer who can carry its packs, if that keeps them
    within the fair share (grouping is worth up to `CONTINUITY_TOLERANCE` of imbalance).
    Otherwise (nobody can carry it, or only someone already loaded) it is cut in route order: the
    least loaded volunteer with room for its first stop takes as much as fits their packs and
    brings them to the mean (the group is split anyway, so the cut goes where it balances best),
    and the rest is queued again. A single stop still goes whole, even over the fair share. A stop
    that fits nobody's packs left is uncovered: room only shrinks, so nobody could take it later.
    """
    fair = mean * (1 + CONTINUITY_TOLERANCE)
    queue = [(-piece.load, piece.members[0], piece.members) for piece in left]
    heapq.heapify(queue)
    while queue:
        negative_load, _, members = heapq.heappop(queue)
        need = sum(packs[i] for i in members)
        whole = state.least_loaded(need)
        if whole is not None and (
            len(members) == 1 or state.load[whole] - negative_load <= fair + _EPS
        ):
            state.give(whole, members)
            continue
        partial = state.least_loaded(packs[members[0]])
        if partial is None:
            reasons[members[0]] = OVER_CAPACITY
            taken = 1
        else:
            room = state.room(partial)
            headroom = mean - state.load[partial]
            taken, carried, weight = 0, 0, 0.0
            while taken < len(members):
                i = members[taken]
                if carried + packs[i] > room or (taken and weight + loads[i] > headroom + _EPS):
                    break
                carried += packs[i]
                weight += loads[i]
                taken += 1
            state.give(partial, members[:taken])
        rest = members[taken:]
        if rest:
            heapq.heappush(queue, (-sum(loads[i] for i in rest), rest[0], rest))


def _plan(
    ordered: list[Stop],
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
