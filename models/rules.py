"""The service's rules in one place: delivery days, the cut-off, how far ahead, limits.

Pure functions of the site configuration, the local time and the closed dates, so the
conversation, the evening job and the coordinator tools all apply the same rule.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from models.config import WEEKDAYS, ServiceConfig, SiteConfig

MAX_DAYS_AHEAD = 62  # two months: further than that is a guess about someone's life
# A pause "until further notice" (hospital, a stay with family, "je vous écrirai quand je
# rentre"): stored with a last day this far ahead, ended by the tenant's "je suis rentrée" or by
# a coordinator. Long, because a delivery to an empty flat is worse than a late restart, and the
# coordinators are told of every such pause.
OPEN_PAUSE_DAYS = 365


def open_pause(start: date, end: date) -> bool:
    """A pause said without a last day (see OPEN_PAUSE_DAYS)."""
    return (end - start).days >= OPEN_PAUSE_DAYS


class Verdict(enum.StrEnum):
    OK = "ok"
    PAST = "past"  # the day is gone
    CUTOFF = "cutoff"  # orders for that day closed (yesterday's cut-off, or today)
    NOT_DELIVERY_DAY = "not_delivery_day"
    CLOSED = "closed"  # the coordinator closed that date (holiday, strike, storm)
    TOO_FAR = "too_far"


@dataclass(frozen=True)
class DayCheck:
    verdict: Verdict
    day: date
    next_possible: date | None  # the first day on or after `day` that can be ordered


def cutoff_at(site: SiteConfig, day: date) -> datetime:
    """The local moment after which orders for `day` are closed: the cut-off the day before."""
    before = day - timedelta(days=1)
    return datetime.combine(before, site.order_cutoff, tzinfo=site.zone)


def delivers(site: SiteConfig, day: date, closed: Collection[date] = ()) -> bool:
    return WEEKDAYS[day.weekday()] in site.delivery_weekdays and day not in closed


def check_day(
    site: SiteConfig, day: date, now_local: datetime, closed: Collection[date] = ()
) -> DayCheck:
    """Whether an order for `day` can be taken now, and if not, the next day that can."""
    today = now_local.date()
    if day < today:
        verdict = Verdict.PAST
    elif now_local >= cutoff_at(site, day):
        verdict = Verdict.CUTOFF
    elif (day - today).days > MAX_DAYS_AHEAD:
        verdict = Verdict.TOO_FAR
    elif day in closed:
        verdict = Verdict.CLOSED
    elif not delivers(site, day):
        verdict = Verdict.NOT_DELIVERY_DAY
    else:
        return DayCheck(Verdict.OK, day, day)
    start = max(day, today)
    return DayCheck(verdict, day, next_orderable(site, start, now_local, closed))


def next_orderable(
    site: SiteConfig, start: date, now_local: datetime, closed: Collection[date] = ()
) -> date | None:
    """The first delivery day from `start` whose cut-off has not passed."""
    day = start
    for _ in range(MAX_DAYS_AHEAD):
        if delivers(site, day, closed) and now_local < cutoff_at(site, day):
            return day
        day += timedelta(days=1)
    return None


def next_delivery_after(site: SiteConfig, day: date, closed: Collection[date] = ()) -> date | None:
    """The first delivery day strictly after `day` (when deliveries resume after a pause)."""
    d = day + timedelta(days=1)
    for _ in range(MAX_DAYS_AHEAD):
        if delivers(site, d, closed):
            return d
        d += timedelta(days=1)
    return None


def over_limit(config: ServiceConfig, items: Mapping[str, int]) -> str | None:
    """The first item whose quantity exceeds its per-delivery maximum, if any."""
    for key, n in items.items():
        item = config.catalogue.get(key)
        if item is not None and n > item.max_per_delivery:
            return key
    return None


def in_quiet_hours(site: SiteConfig, now_local: datetime) -> bool:
    """Whether it is night at the site: nothing but direct replies goes out then."""
    return _within(now_local.time(), site.quiet_start, site.quiet_end)


def quiet_hours_end(site: SiteConfig, now_local: datetime) -> datetime:
    """The next local moment when quiet hours end."""
    end = datetime.combine(now_local.date(), site.quiet_end, tzinfo=site.zone)
    return end if end > now_local else end + timedelta(days=1)


def _within(now: time, start: time, end: time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= now < end
    return now >= start or now < end
