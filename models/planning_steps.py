"""The steps of `models.planning.plan_rounds`: what to leave uncovered when packs run short,
how a heavy entrance is cut, and how the pieces left are placed (rules 2, 4 and 6 of its
docstring). Pure, like the planner.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise

from models.planning_types import OVER_CAPACITY, PlannedStop

#: How far above the mean load a volunteer may go to keep an entrance whole or keep tenants with
#: their usual volunteer. 30 %: a round of ten doors may grow to thirteen, which saves a second
#: volunteer the same stairwell and keeps a familiar face at the door of an elderly tenant. Beyond
#: it, balance wins: the entrance is cut or goes to someone else.
CONTINUITY_TOLERANCE = 0.3

#: A cut inside a heavy entrance may move by up to this share of the mean load to fall between
#: two floors rather than on a landing: a mild preference, since it costs as much in balance.
SNAP_WINDOW = 0.1

EPS = 1e-9


@dataclass
class Piece:
    """A group, or part of one, placed as a whole: indices in route order and what they weigh."""

    members: list[int]
    load: float
    packs: int
    prefs: list[int]  # volunteers to try first, best first


class Rounds:
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


def fewest_to_drop(
    carried: list[int],
    ordered: list[PlannedStop],
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


def group_holders(
    ordered: list[PlannedStop], owner: Mapping[int, int]
) -> dict[tuple[str, str | None], int]:
    """For each group with kept stops, the volunteer holding most of them (ties: lowest id)."""
    counts: dict[tuple[str, str | None], Counter[int]] = {}
    for i, vid in owner.items():
        stop = ordered[i]
        counts.setdefault((stop.building, stop.entrance), Counter())[vid] += 1
    return {key: min(c, key=lambda vid: (-c[vid], vid)) for key, c in counts.items()}


def usual_of(
    part: list[int], ordered: list[PlannedStop], capacity: Mapping[int, float]
) -> int | None:
    """The usual volunteer of most tenants of a piece, if available today (ties: lowest id)."""
    votes: Counter[int] = Counter()
    for i in part:
        vid = ordered[i].previous_volunteer_id
        if vid is not None and vid in capacity:
            votes[vid] += 1
    return min(votes, key=lambda vid: (-votes[vid], vid)) if votes else None


def cut_group(
    members: list[int],
    ordered: list[PlannedStop],
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
        return total - prefix[start] > fair + EPS or packed[-1] - packed[start] > largest

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
        if cut is None or not (mean / 2 - EPS <= prefix[cut] - prefix[start] <= fair + EPS):
            cut = _nearest(
                floors, prefix, aim, bisect_left(floors, low), bisect_right(floors, high)
            )
            if cut is None or abs(prefix[cut] - aim) > SNAP_WINDOW * mean + EPS:
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


def place_rest(
    left: list[Piece],
    state: Rounds,
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
            len(members) == 1 or state.load[whole] - negative_load <= fair + EPS
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
                if carried + packs[i] > room or (taken and weight + loads[i] > headroom + EPS):
                    break
                carried += packs[i]
                weight += loads[i]
                taken += 1
            state.give(partial, members[:taken])
        rest = members[taken:]
        if rest:
            heapq.heappush(queue, (-sum(loads[i] for i in rest), rest[0], rest))
