"""The evening job's SQL statements do not grow with the day: counted, not timed.

The same residence at two sizes (three times the orders, tenants, volunteers, rounds and
visits) must cost the evening job exactly as many statements: everything is read and written
set-based, never row by row (issue 17).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import event

from models.base import Role, VisitStatus
from models.clock import FrozenClock
from models.config import ServiceConfig
from models.db import Database
from models.migrate import upgrade
from models.orders import add_pause, place_order, set_standing
from models.people import PersonData, VolunteerAbsence, by_phone, upsert
from models.visits import Visit
from scheduler.evening import EveningReport, evening
from tests.builders import residence
from tests.db import scratch_database

D = date(2026, 11, 25)  # a Wednesday; the clock stands on Tuesday 24 at 18:30 Paris


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    """Every statement sent to the database meanwhile (an executemany counts once)."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _with_reminders(config: ServiceConfig) -> ServiceConfig:
    site = config.sites[0].model_copy(update={"remind_tenants": True})
    return config.model_copy(update={"sites": [site, *config.sites[1:]]})


def _evening_of(db: Database, config: ServiceConfig, scale: int) -> tuple[EveningReport, list[str]]:
    """A residence of 12×`scale` tenants (a quarter on standing orders, one in six isolated,
    one in twelve asking for a visit, some paused, some with notes), 4×`scale` volunteers
    (one away), suppliers and a coordinator; the evening job's report and its statements."""
    clock = FrozenClock(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))
    res = residence(db, config, clock)
    now = clock.now()
    with db.transaction() as s:
        for i in range(4 * scale):
            upsert(
                s,
                PersonData(
                    f"Bénévole {i}",
                    f"+336{20_000_000 + i}",
                    res.site_id,
                    roles={Role.VOLUNTEER},
                    telegram_id=700_000 + i if i % 2 else None,
                    volunteer={"weekdays": "mon,wed,fri", "max_packs": None},
                ),
                clock,
            )
            if i == 0:
                away = by_phone(s, f"+336{20_000_000 + i}")
                s.add(VolunteerAbsence(person_id=away.id, start_on=D, end_on=D, created_at=now))
        for key in ("bakery", "grocery"):
            upsert(
                s,
                PersonData(
                    key, f"+3364{len(key):07d}", None, roles={Role.SUPPLIER}, supplier_key=key
                ),
                clock,
            )
        upsert(
            s, PersonData("Claire", "+33630000001", res.site_id, roles={Role.COORDINATOR}), clock
        )
        for i in range(12 * scale):
            upsert(
                s,
                PersonData(
                    f"Locataire {i}",
                    f"+336{10_000_000 + i}",
                    res.site_id,
                    roles={Role.TENANT},
                    telegram_id=800_000 + i if i % 3 == 0 else None,
                    tenant={
                        "building": "ABC"[i % 3],
                        "floor": i % 6,
                        "apartment": str(i),
                        "isolated": i % 6 == 5,
                        "bread_bag": i % 4 == 1,
                        "notes": "sonner fort" if i % 5 == 0 else "",
                        "time_need": "avant 9 h" if i % 7 == 0 else None,
                    },
                ),
                clock,
            )
            tenant = by_phone(s, f"+336{10_000_000 + i}")
            if i % 12 == 3:  # asked for a visit
                s.add(
                    Visit(
                        site_id=res.site_id,
                        tenant_id=tenant.id,
                        status=VisitStatus.REQUESTED,
                        requested=True,
                        created_at=now,
                    )
                )
            if i % 12 == 11:
                add_pause(s, tenant, D, D, now)
            elif i % 4 == 0:
                set_standing(s, tenant, ["wed"], {"bread": 1, "water": 1}, now)
            else:
                place_order(s, tenant, D, {"bread": 1 + i % 2}, now=now, source="test")
    with counted(db) as statements:
        report = db.call(evening, res.ctx, config.sites[0].slug, D)
    return report, statements


def test_the_evening_costs_as_many_statements_for_three_times_the_day(
    db_url: str, config: ServiceConfig, tmp_path: Path
) -> None:
    config = _with_reminders(config)
    counts = []
    reports = []
    for factor in (1, 3):
        with scratch_database(db_url, tmp_path, f"x{factor}") as url:
            upgrade(url)
            db = Database(url)
            try:
                report, n = _evening_of(db, config, factor)
            finally:
                db.dispose()
        reports.append(report)
        counts.append(n)
    small, large = reports
    # the larger day really is larger, on every path the job takes
    assert large.orders == 3 * small.orders and large.materialised == 3 * small.materialised
    assert large.rounds > small.rounds and large.visits > small.visits > 0
    assert small.uncovered == large.uncovered == 0 and small.suppliers == large.suppliers == 2
    assert large.messages > small.messages
    assert len(counts[0]) == len(counts[1]), _difference(*counts)


def _difference(small: list[str], large: list[str]) -> str:
    """The statements the larger day sent more often, to say where a loop crept in."""
    more = Counter(_shape(s) for s in large)
    more.subtract(_shape(s) for s in small)
    return "\n".join(f"{n:+d} {s}" for s, n in more.items() if n)


def _shape(statement: str) -> str:
    """A statement without its IN-lists, whose length follows the data."""
    return re.sub(r"IN \([^)]*\)", "IN (…)", " ".join(statement.split()))[:140]
