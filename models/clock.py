"""The one clock of the process, injectable so tests can stand on any day (DST days included).

Everything that asks "what time is it" takes a `Clock`; timestamps are UTC, and the calendar
date that matters (a delivery day) is always computed in the site's own time zone.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that moves only when told to: `set()` or `advance()`."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self._at = at.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._at

    def set(self, at: datetime) -> None:
        with self._lock:
            self._at = at.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._at += delta


def local_now(clock: Clock, zone: str | ZoneInfo) -> datetime:
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    return clock.now().astimezone(tz)


def local_today(clock: Clock, zone: str | ZoneInfo) -> date:
    return local_now(clock, zone).date()


def at_local(day: date, hhmm: tuple[int, int] | object, zone: str | ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time on a local date (DST-safe via zoneinfo)."""
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    hour, minute = (hhmm.hour, hhmm.minute) if hasattr(hhmm, "hour") else hhmm  # type: ignore[union-attr, misc]
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz).astimezone(UTC)


class ShiftedClock:
    """Real time, moved to start at another moment: a trial "as if it were Tuesday 10:00"
    in which minutes still pass."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("ShiftedClock needs an aware datetime")
        self._offset = at.astimezone(UTC) - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset
