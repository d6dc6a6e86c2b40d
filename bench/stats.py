"""How fast `/stats` answers with a million delivered orders, on SQLite and PostgreSQL.

Run with ``.venv/bin/python bench/stats.py`` (both back-ends; PostgreSQL at 127.0.0.1:5432, user
postgres, or ``--pg-admin-url``). Prints, never asserts. Each run builds throwaway databases: a
SQLite file in a temporary folder, and a PostgreSQL database with a unique name that it drops at
the end (it never touches another one). ``--revision 0001`` migrates without the indexes of
0002, to see what they buy.

The programme as the landlord plans it: 15 residences, 1,400 tenants (the pioneer residence has
400 of them), about 2 years 9 months of deliveries Monday to Saturday, so that a little over
1,000,000 orders are delivered, with failed and cancelled ones beside them, their lines, rounds,
stops and courtesy visits. Seeded: two runs load the same rows and only the timings move.

Timed: the whole `/stats` answer (`stats_report.stats_text`: the period, the period before, the
engagement objective, the newsletter sentence) for one site and for every site over a year, the
default `/stats` (7 days and since the start), a calendar month, a custom 30-day range and since
the start; the 12-week chart's query and the yearly report's query. Each line shows its target
(issue 17: any `/stats` at most 20 ms, the chart at most 200 ms) and whether its median meets it.
``--scale 0.1`` loads a tenth of the tenants for a quick run. ``--backend sqlite`` (or
``postgresql``) runs one back-end. ``--keep`` keeps what it loaded for the next run, which then
only migrates, settles and times (seconds instead of minutes, to iterate on a change): the SQLite
file ``var/bench-stats-<scale>.db`` and the PostgreSQL database ``entraide_bench_keep_<scale>``,
which only this option creates and only ``--drop-kept`` drops (``--keep-tag NAME`` adds a suffix
to both names, so that two checkouts of the project keep their own). Report a run without it.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
print = functools.partial(print, flush=True)  # progress shows as it comes

import sqlalchemy as sa  # noqa: E402

from handlers.periods import Period  # noqa: E402
from handlers.stats_report import stats_text  # noqa: E402
from models.clock import FrozenClock  # noqa: E402
from models.config import ServiceConfig, parse_config  # noqa: E402
from models.context import Context  # noqa: E402
from models.daily_totals import settle_all  # noqa: E402
from models.db import Database  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.stats import monthly, weekly_items  # noqa: E402
from models.sync import sync_config  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SITES = 15
TENANTS = 1400
PIONEER = 400  # tenants of the first residence
# --scale shrinks the programme (tenants, pioneer included) for quick iterations; the figures
# to report are the full-scale ones (--scale 1).
SCALE = 1.0
VOLUNTEERS_PER_SITE = 6
START = date(2024, 2, 19)
TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
ORDER_RATE = 0.92  # a tenant orders on 92 % of delivery days
STATUS = ((0.925, "delivered"), (0.955, "failed"), (1.0, "cancelled"))
REPEAT = 7


def config() -> ServiceConfig:
    with open(ROOT / "entraide.example.toml", "rb") as f:
        raw: dict[str, Any] = tomllib.load(f)
    for i in range(1, SITES):
        raw["sites"].append({"slug": f"site-{i:02d}", "name": f"Résidence {i:02d}"})
    return parse_config(raw)


def site_of(tenant: int, site_ids: Sequence[int]) -> int:
    """The pioneer residence has the first 400 tenants; the others share the rest."""
    if tenant < round(PIONEER * SCALE):
        return site_ids[0]
    return site_ids[1 + (tenant - round(PIONEER * SCALE)) % (SITES - 1)]


class Rows:
    """Every row to load, in memory (about half a gigabyte at the default size)."""

    def __init__(self, site_ids: Sequence[int], seed: int = 2026) -> None:
        rng = random.Random(seed)
        self.people: list[tuple[Any, ...]] = []
        self.profiles: list[tuple[Any, ...]] = []
        self.volunteer_profiles: list[tuple[Any, ...]] = []
        self.orders: list[tuple[Any, ...]] = []
        self.lines: list[tuple[Any, ...]] = []
        self.rounds: list[tuple[Any, ...]] = []
        self.stops: list[tuple[Any, ...]] = []
        self.visits: list[tuple[Any, ...]] = []
        pid = 0
        tenants: list[tuple[int, int, bool]] = []
        for i in range(round(TENANTS * SCALE)):
            pid += 1
            site = site_of(i, site_ids)
            approved = datetime.combine(START, datetime.min.time(), UTC) + timedelta(
                days=rng.randint(0, (TODAY - START).days)
            )
            stopped = approved + timedelta(days=400) if i % 97 == 0 else None
            self.people.append(
                (
                    pid,
                    site,
                    f"Locataire {i}",
                    f"+3361{i:07d}",
                    "fr",
                    "active",
                    True,
                    False,
                    approved,
                    approved,
                    stopped,
                )
            )
            isolated = i % 10 == 3
            self.profiles.append((pid, "A", 1, str(i), isolated))
            tenants.append((pid, site, isolated))
        volunteers: dict[int, list[int]] = {}
        for site in site_ids:
            for v in range(VOLUNTEERS_PER_SITE * (3 if site == site_ids[0] else 1)):
                pid += 1
                self.people.append(
                    (
                        pid,
                        site,
                        f"Bénévole {site}-{v}",
                        f"+3362{pid:07d}",
                        "fr",
                        "active",
                        False,
                        True,
                        START,
                        START,
                        None,
                    )
                )
                self.volunteer_profiles.append((pid, "mon,tue,wed,thu,fri,sat,sun"))
                volunteers.setdefault(site, []).append(pid)
        order_id = line_id = round_id = stop_id = visit_id = 0
        day = START
        while day < TODAY:
            if day.weekday() == 6:
                day += timedelta(days=1)
                continue
            rounds: dict[tuple[int, int], int] = {}
            positions: dict[int, int] = {}
            for pid_, site, isolated in tenants:
                if rng.random() >= ORDER_RATE:
                    continue
                r = rng.random()
                status = next(s for bound, s in STATUS if r < bound)
                outcome = {"delivered": "in_hand", "failed": "not_home"}.get(status)
                order_id += 1
                self.orders.append((order_id, pid_, site, day, status, outcome, NOW, NOW))
                bread = rng.random() < 0.85
                water = rng.random() < 0.45 or not bread
                if bread:
                    line_id += 1
                    self.lines.append((line_id, order_id, "bread", rng.randint(1, 3)))
                if water:
                    line_id += 1
                    self.lines.append((line_id, order_id, "water", rng.randint(1, 2)))
                if status != "cancelled":
                    team = volunteers[site]
                    vid = team[pid_ % len(team)]
                    key = (site, vid)
                    if key not in rounds:
                        round_id += 1
                        rounds[key] = round_id
                        self.rounds.append((round_id, site, day, vid, NOW, NOW))
                    rid = rounds[key]
                    positions[rid] = positions.get(rid, 0) + 1
                    stop_id += 1
                    self.stops.append((stop_id, rid, order_id, positions[rid], outcome, NOW))
                if isolated and day.weekday() == 2:
                    visit_id += 1
                    r = rng.random()
                    vstatus = "done" if r < 0.9 else "nobody" if r < 0.95 else "missed"
                    vid = volunteers[site][pid_ % len(volunteers[site])]
                    self.visits.append((visit_id, site, pid_, vid, day, vstatus, False, NOW))
            day += timedelta(days=1)

    def counts(self) -> dict[str, int]:
        delivered = sum(1 for o in self.orders if o[4] == "delivered")
        return {
            "orders": len(self.orders),
            "delivered": delivered,
            "lines": len(self.lines),
            "rounds": len(self.rounds),
            "stops": len(self.stops),
            "visits": len(self.visits),
        }


TABLES: dict[str, tuple[str, ...]] = {
    "people": (
        "id",
        "site_id",
        "name",
        "phone",
        "language",
        "status",
        "is_tenant",
        "is_volunteer",
        "created_at",
        "approved_at",
        "opted_out_at",
    ),
    "tenant_profiles": ("person_id", "building", "floor", "apartment", "isolated"),
    "volunteer_profiles": ("person_id", "weekdays"),
    "orders": (
        "id",
        "person_id",
        "site_id",
        "delivery_date",
        "status",
        "outcome",
        "created_at",
        "updated_at",
    ),
    "order_lines": ("id", "order_id", "item_key", "quantity"),
    "rounds": ("id", "site_id", "delivery_date", "volunteer_id", "created_at", "sent_at"),
    "stops": ("id", "round_id", "order_id", "position", "outcome", "reported_at"),
    "visits": (
        "id",
        "site_id",
        "tenant_id",
        "volunteer_id",
        "visit_date",
        "status",
        "requested",
        "created_at",
    ),
}
DEFAULTS: dict[str, dict[str, Any]] = {  # NOT NULL columns the rows above leave out
    "people": {"is_coordinator": False, "is_supplier": False},
    "tenant_profiles": {
        "reduced_mobility": False,
        "elderly": False,
        "ill": False,
        "bread_bag": False,
        "notes": "",
    },
    "orders": {"source": "bench", "standing": False},
}


def load(db: Database, rows: Rows) -> None:
    """Bulk-load every table: COPY on PostgreSQL, executemany on SQLite."""
    for table, columns in TABLES.items():
        data: Iterable[tuple[Any, ...]] = getattr(rows, _attr(table))
        extra = DEFAULTS.get(table, {})
        cols = (*columns, *extra)
        values = [(*r, *extra.values()) for r in data]
        raw = db.engine.raw_connection()
        try:
            cur = raw.cursor()
            if db.is_sqlite:
                marks = ", ".join("?" for _ in cols)
                cur.executemany(
                    f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
                    [tuple(_sqlite(v) for v in r) for r in values],
                )
            else:
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                    for r in values:
                        copy.write_row(r)
            raw.commit()
        finally:
            raw.close()
    with db.engine.connect() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")


def _attr(table: str) -> str:
    return {"tenant_profiles": "profiles", "order_lines": "lines"}.get(table, table)


def _sqlite(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    return v


def timed(fn: Callable[[], object], repeat: int = REPEAT) -> tuple[float, float]:
    """(best, median) wall time in milliseconds, after one warm-up run."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return min(times), statistics.median(times)


STATS_TARGET = 20.0  # ms, issue 17: any /stats, one site or all
CHART_TARGET = 200.0  # ms, issue 17: the 12-week chart


def scenarios(
    db: Database, ctx: Context, site_ids: list[int]
) -> list[tuple[str, float | None, Callable[[], object]]]:
    """(what, target in ms or None, how): every /stats path issue 17 names, then the chart's
    and the report's queries."""
    year = Period(TODAY - timedelta(days=364), TODAY, "days")
    month = Period(date(2026, 10, 1), date(2026, 10, 31), "month", TODAY.year)
    custom = Period(date(2025, 3, 3), date(2025, 4, 1), "range", TODAY.year)
    everything = Period(date(1970, 1, 1), TODAY, "all", TODAY.year)  # "/stats tout"
    pioneer, small = [site_ids[0]], [site_ids[1]]

    def stats(sites: list[int], period: Period | None) -> Callable[[], object]:
        return lambda: db.call(stats_text, ctx, "fr", sites, "bench", period)

    monday = TODAY - timedelta(days=TODAY.weekday())
    s = STATS_TARGET
    return [
        ("/stats, pioneer site (400 tenants), last 365 days", s, stats(pioneer, year)),
        ("/stats, a 71-tenant site, last 365 days", s, stats(small, year)),
        ("/stats, all 15 sites, last 365 days", s, stats(site_ids, year)),
        ("/stats default (7 days + since start), pioneer site", s, stats(pioneer, None)),
        ("/stats default (7 days + since start), all sites", s, stats(site_ids, None)),
        ("/stats October 2026 (a month), pioneer site", s, stats(pioneer, month)),
        ("/stats October 2026 (a month), all sites", s, stats(site_ids, month)),
        ("/stats 3 March-1 April 2025 (custom 30 days), all sites", s, stats(site_ids, custom)),
        ("/stats since the start, pioneer site", s, stats(pioneer, everything)),
        ("/stats since the start, all sites", s, stats(site_ids, everything)),
        (
            "chart query: 12 weeks, pioneer site",
            CHART_TARGET,
            lambda: db.call(weekly_items, pioneer, monday, 12),
        ),
        (
            "chart query: 12 weeks, all sites",
            CHART_TARGET,
            lambda: db.call(weekly_items, site_ids, monday, 12),
        ),
        ("report query: 2026 by month, all sites", None, lambda: db.call(monthly, site_ids, 2026)),
    ]


def loaded(db: Database) -> dict[str, int]:
    """What a kept database holds already (nothing: load it)."""
    with db.engine.connect() as conn:
        return {
            table: int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() or 0)
            for table in ("orders", "order_lines", "rounds", "stops", "visits")
        }


def run(url: str, label: str, revision: str, rows_cache: dict[str, Rows]) -> None:
    t0 = time.perf_counter()
    upgrade(url, revision)
    db = Database(url)
    try:
        conf = config()
        clock = FrozenClock(NOW)
        with db.transaction() as s:
            site_ids = list(sync_config(s, conf, clock).values())
        kept = loaded(db)
        if kept["orders"]:
            print(
                f"\n{label} (migration {revision}): kept from an earlier run: "
                + ", ".join(f"{k} {v:,}" for k, v in kept.items())
            )
        else:
            if "rows" not in rows_cache:
                rows_cache["rows"] = Rows(site_ids)
            rows = rows_cache["rows"]
            load(db, rows)
            print(
                f"\n{label} (migration {revision}): loaded in {time.perf_counter() - t0:.0f} s: "
                + ", ".join(f"{k} {v:,}" for k, v in rows.counts().items())
            )
        ctx = Context(conf, clock, {s.slug: i for s, i in zip(conf.sites, site_ids, strict=True)})
        if revision == "head":
            t1 = time.perf_counter()
            db.call(settle_all, site_ids, TODAY, NOW)
            print(
                f"  settling {(TODAY - START).days} days of history, once for good "
                f"(`entraide db upgrade` or the scheduler, with ANALYZE on PostgreSQL): "
                f"{time.perf_counter() - t1:.1f} s"
            )
        print(f"  {'what':<58} {'best':>9} {'median':>9} {'target':>8}")
        for name, target, fn in scenarios(db, ctx, site_ids):
            best, median = timed(fn)
            aim = f"{target:>6.0f}ms" if target is not None else f"{'-':>8}"
            verdict = "" if target is None else "  ok" if median <= target else "  OVER"
            print(f"  {name:<58} {best:>7.1f}ms {median:>7.1f}ms {aim}{verdict}")
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--revision",
        default="head",
        help="migrate to this revision (0001: without the coordinator's indexes)",
    )
    parser.add_argument(
        "--pg-admin-url",
        default=os.environ.get(
            "ENTRAIDE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="fraction of the 1,400 tenants to load (0.1 for a quick run; report --scale 1)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the loaded databases for the next --keep run, and reuse them if there",
    )
    parser.add_argument(
        "--drop-kept",
        action="store_true",
        help="delete what --keep kept at this scale, and stop",
    )
    parser.add_argument(
        "--keep-tag",
        default="",
        help="a suffix for the kept databases' names, so that two checkouts keep their own",
    )
    args = parser.parse_args()
    global SCALE
    SCALE = args.scale
    tag = f"{args.scale:g}".replace(".", "_") + (f"_{args.keep_tag}" if args.keep_tag else "")
    kept_file = ROOT / "var" / f"bench-stats-{tag}.db"
    kept_name = f"entraide_bench_keep_{tag}"
    admin = sa.create_engine(args.pg_admin_url, isolation_level="AUTOCOMMIT")
    if args.drop_kept:
        kept_file.unlink(missing_ok=True)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{kept_name}" WITH (FORCE)'))
        admin.dispose()
        return
    cache: dict[str, Rows] = {}
    if args.backend in ("sqlite", "both"):
        if args.keep:
            kept_file.parent.mkdir(exist_ok=True)
            run(f"sqlite:///{kept_file}", "SQLite", args.revision, cache)
        else:
            with tempfile.TemporaryDirectory() as folder:
                run(f"sqlite:///{folder}/bench.db", "SQLite", args.revision, cache)
    if args.backend in ("postgresql", "both"):
        name = kept_name if args.keep else f"entraide_bench_{os.getpid()}_{secrets.token_hex(4)}"
        with admin.connect() as conn:
            there = conn.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            )
            if not there:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            url = sa.engine.make_url(args.pg_admin_url).set(database=name)
            run(url.render_as_string(hide_password=False), "PostgreSQL", args.revision, cache)
        finally:
            if not args.keep:
                with admin.connect() as conn:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


if __name__ == "__main__":
    main()
