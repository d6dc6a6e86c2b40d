"""What round planning takes and gives: the day's stops, the volunteers, the weights, the plan;
and the walking order. Pure dataclasses: `models.planning` plans with them, the evening job
fills them from the database.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Reasons a stop is uncovered, for the coordinators' alert.
NO_VOLUNTEER = "no_volunteer"
STOP_OVER_CAPACITY = "stop_over_capacity"  # this stop alone has more packs than anyone carries
OVER_CAPACITY = "over_capacity"  # today's volunteers cannot carry every pack

_DIGITS = re.compile(r"(\d+)")

RouteKey = tuple[Any, ...]


@dataclass(frozen=True)
class PlannedStop:
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

    def stop_load(self, stop: PlannedStop) -> float:
        """The load units of one stop."""
        return self.per_stop + sum(
            quantity * self.per_item.get(item, self.default)
            for item, quantity in stop.items.items()
        )

    def stop_packs(self, stop: PlannedStop) -> int:
        """The packs of one stop (the quantities of the pack items)."""
        return sum(quantity for item, quantity in stop.items.items() if item in self.pack_items)


DEFAULT_WEIGHTS = Weights(per_item={"bread": 1.0, "water": 9.0})


@dataclass(frozen=True)
class Plan:
    """The rounds of one day, and what nobody could take (for the coordinators' alert)."""

    # volunteer id → stops in visiting order; every volunteer given
    rounds: dict[int, list[PlannedStop]]
    uncovered: list[PlannedStop]  # in route order
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


def route_key(stop: PlannedStop) -> RouteKey:
    """Walking order: building, entrance, floor (unknown last), apartment (natural), order id."""
    return (
        natural_key(stop.building),
        (1, ()) if stop.entrance is None else (0, natural_key(stop.entrance)),
        (1, 0) if stop.floor is None else (0, stop.floor),
        (1, ()) if stop.apartment is None else (0, natural_key(stop.apartment)),
        stop.order_id,
    )


def round_key(stop: PlannedStop) -> tuple[bool, RouteKey]:
    """Visiting order within a round: time needs first, each part in walking order."""
    return (not stop.first, route_key(stop))
