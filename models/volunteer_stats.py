"""Each volunteer's share of a period: stops reported and courtesy visits made.

For thanking volunteers by name (coordinators only: it says who did what). Grouped queries,
one row per volunteer, whatever the number of orders (settled days from `daily_volunteer_stops`,
the last week from the rounds; month rollups for whole months): a stop counts when its
volunteer reported it (delivered or not: going to a door nobody opened is work too), a visit
when it was made (done, or nobody at home).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from models.period_figures import VolunteerShare, period_figures

__all__ = ["VolunteerShare", "volunteer_shares"]


def volunteer_shares(
    session: Session, site_ids: Sequence[int], start: date, end: date
) -> list[VolunteerShare]:
    """Volunteers with at least one stop or visit in [start, end], most work first."""
    return period_figures(session, site_ids, [(start, end)], shares=True).shares
