"""Benchmarks of the evening rounds: planning now, the evening send later. Prints, never asserts.

Run with ``.venv/bin/python bench/rounds.py``. The residences are random but seeded, so two runs
plan the same stops and only the timings move.
"""

from __future__ import annotations

import functools
import math
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date as date_
from typing import Any

from models.planning import plan_rounds
from models.planning_types import Plan, PlannedStop, Volunteer

#: (stops, volunteers, capacity) planned by `bench_planning`; capacity scales every volunteer's
#: ``max_packs`` (1.0: enough overall; 0.5: about a quarter of the packs cannot be carried).
SIZES = ((200, 5, 1.0), (2_000, 50, 1.0), (20_000, 200, 1.0), (2_000, 50, 0.5))

_NAMES = [chr(c) for c in range(ord("A"), ord("Z") + 1)] + [
    "Les Tilleuls",
    "Les Acacias",
    "Les Lilas",
    "Les Érables",
]


@dataclass(frozen=True)
class Residence:
    """One evening's input: the stops and who is available."""

    stops: list[PlannedStop]
    volunteers: list[Volunteer]


def make_residence(stops: int, volunteers: int, seed: int, capacity: float = 1.0) -> Residence:
    """A seeded residence with the mix seen in the field, on the evening after a first day.

    3–30 buildings of 1–3 entrances and 0–10 floors; 70 % of orders bread only (1–3 loaves), 20 %
    water only (1–2 packs), 10 % both; 3 % with a time need; 2 % on an unknown floor.
    Capacities: a quarter without limit, the rest 0.8–2 times the average need, so that capacity
    suffices overall but not for everyone; ``capacity`` scales them all (and then nobody is
    without a limit when it is below 1). The usual volunteers come from planning the same
    stops the day before with a sixth more volunteers (those are away today); 10 % of tenants
    are newcomers with no usual volunteer.
    """
    rng = random.Random(seed)
    entrances: list[tuple[str, str | None, int]] = []
    for name in _NAMES[: rng.randint(3, 30)]:
        count = rng.randint(1, 3)
        top = rng.randint(0, 10)
        for e in range(1, count + 1):
            entrances.append((name, None if count == 1 else str(e), top))

    result: list[PlannedStop] = []
    for order_id in range(1, stops + 1):
        building, entrance, top = rng.choice(entrances)
        floor = None if rng.random() < 0.02 else rng.randint(0, top)
        door = rng.randint(1, 8)
        apartment = f"{(floor or 0) * 10 + door}" + ("B" if rng.random() < 0.1 else "")
        mix = rng.random()
        if mix < 0.7:
            items = {"bread": rng.randint(1, 3)}
        elif mix < 0.9:
            items = {"water": rng.randint(1, 2)}
        else:
            items = {"bread": rng.randint(1, 3), "water": rng.randint(1, 2)}
        result.append(
            PlannedStop(
                order_id=order_id,
                tenant_id=10_000 + order_id,
                building=building,
                entrance=entrance,
                floor=floor,
                apartment=apartment,
                items=items,
                first=rng.random() < 0.03,
            )
        )

    away = max(1, volunteers // 6)
    need = sum(stop.items.get("water", 0) for stop in result) / volunteers
    people = []
    for vid in range(1, volunteers + away + 1):
        unlimited = rng.random() < 0.25 and capacity >= 1
        limit = rng.randint(math.ceil(need * 0.8), math.ceil(need * 2))
        people.append(Volunteer(vid, None if unlimited else math.floor(limit * capacity)))
    yesterday = plan_rounds(result, people).assignment()
    result = [
        replace(
            stop,
            previous_volunteer_id=None if rng.random() < 0.1 else yesterday.get(stop.order_id),
        )
        for stop in result
    ]
    today = sorted(rng.sample(people, volunteers), key=lambda v: v.id)
    return Residence(result, today)


def timed(run: Callable[[], Plan], repeat: int) -> tuple[Plan, float]:
    """The plan and the median wall time of ``repeat`` runs, in milliseconds."""
    times = []
    plan = None
    for _ in range(repeat):
        start = time.perf_counter()
        plan = run()
        times.append((time.perf_counter() - start) * 1000)
    assert plan is not None
    return plan, statistics.median(times)


def continuity(plan: Plan, residence: Residence) -> float:
    """Share of stops whose usual volunteer is available and got them."""
    available = {v.id for v in residence.volunteers}
    owner = plan.assignment()
    eligible = [s for s in residence.stops if s.previous_volunteer_id in available]
    kept = sum(1 for s in eligible if owner.get(s.order_id) == s.previous_volunteer_id)
    return kept / len(eligible) if eligible else 1.0


def bench_planning() -> None:
    """Plan each size, then re-plan it after the busiest volunteer drops out."""
    print("planning: plan_rounds (median wall time)")
    header = (
        f"{'stops':>7} {'vols':>5} {'limits':>6} {'ms':>8} {'balance':>8} {'uncovered':>9} "
        f"{'groups':>6} {'split':>5} {'usual kept':>10}"
    )
    print(header)
    drops = []
    for n, (stops, volunteers, capacity) in enumerate(SIZES):
        residence = make_residence(stops, volunteers, seed=n + 1, capacity=capacity)
        limits = "ample" if capacity >= 1 else "tight"
        repeat = 3 if stops >= 20_000 else 7
        plan, ms = timed(lambda r=residence: plan_rounds(r.stops, r.volunteers), repeat)
        groups = len({(s.building, s.entrance) for s in residence.stops})
        print(
            f"{stops:>7} {volunteers:>5} {limits:>6} {ms:>8.1f} {plan.balance():>8.3f} "
            f"{len(plan.uncovered):>9} {groups:>6} {plan.split_groups():>5} "
            f"{continuity(plan, residence):>10.1%}"
        )

        gone = max(plan.rounds, key=lambda vid: (len(plan.rounds[vid]), -vid))
        keep = {oid: vid for oid, vid in plan.assignment().items() if vid != gone}
        others = [v for v in residence.volunteers if v.id != gone]
        replan, ms = timed(lambda r=residence, o=others, k=keep: plan_rounds(r.stops, o, keep=k), 3)
        after = replan.assignment()
        moved = sum(1 for oid, vid in keep.items() if after.get(oid) != vid)
        drops.append((stops, volunteers - 1, limits, ms, replan, len(plan.rounds[gone]), moved))

    print("\nre-planning after a drop-out (keep = the old plan without the busiest volunteer)")
    print(
        f"{'stops':>7} {'vols':>5} {'limits':>6} {'ms':>8} {'balance':>8} {'uncovered':>9} "
        f"{'absorbed':>8} {'others moved':>12}"
    )
    for stops, volunteers, limits, ms, replan, absorbed, moved in drops:
        print(
            f"{stops:>7} {volunteers:>5} {limits:>6} {ms:>8.1f} {replan.balance():>8.3f} "
            f"{len(replan.uncovered):>9} {absorbed:>8} {moved:>12}"
        )


def bench_sending(n: int = 500) -> None:
    """The evening send: `n` volunteers' rounds queued by the evening job, then dispatched to
    the fake Bot API and the fake Twilio (half each), against the floor set by the providers'
    limits: Telegram about 30 messages a second overall (PTB's AIORateLimiter)."""
    import asyncio
    import os
    import sys
    import tempfile
    import time
    from datetime import UTC, date, datetime
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    from bench.common import settings_for
    from bot.runtime import open_runtime
    from bot.senders import dispatcher_for, drain
    from bot.service import Service
    from models.base import Role
    from models.clock import FrozenClock
    from models.migrate import upgrade
    from models.orders import place_order
    from models.people import PersonData, upsert
    from scheduler.evening import evening
    from tests.fakes.telegram_api import FakeBotAPI
    from tests.fakes.twilio_api import FakeTwilioAPI

    day = date(2026, 11, 25)
    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI() as tg, FakeTwilioAPI() as tw:
        url = f"sqlite:///{tmp}/send.db"
        upgrade(url)
        settings = settings_for(
            url,
            telegram_token=tg.token,
            telegram_api_url=tg.base_url,
            twilio_account_sid=tw.account_sid,
            twilio_auth_token=tw.auth_token,
            twilio_from="+33757000000",
            twilio_api_url=tw.base_url,
        )
        clock = FrozenClock(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))
        rt = open_runtime(settings, clock=clock)
        try:
            site = rt.site_id()
            with rt.db.transaction() as s:
                for i in range(n):
                    tg_id = 500_000 + i if i % 2 else None
                    upsert(
                        s,
                        PersonData(
                            f"Bénévole {i}",
                            f"+336{20_000_000 + i}",
                            site,
                            roles={Role.VOLUNTEER},
                            telegram_id=tg_id,
                            volunteer={"weekdays": "wed", "max_packs": 4},
                        ),
                        clock,
                    )
                for i in range(3 * n):
                    t = upsert(
                        s,
                        PersonData(
                            f"Locataire {i}",
                            f"+336{10_000_000 + i}",
                            site,
                            roles={Role.TENANT},
                            tenant={"building": f"B{i % 40}", "floor": i % 8},
                        ),
                        clock,
                    )
                    del t
                from models.people import by_phone

                for i in range(3 * n):
                    p = by_phone(s, f"+336{10_000_000 + i}")
                    assert p is not None
                    place_order(s, p, day, {"bread": 1 + i % 2}, now=clock.now(), source="bench")
            service = Service(rt, {"telegram", "sms"})
            t0 = time.perf_counter()
            report = rt.db.call(evening, service.ctx, rt.config.sites[0].slug, day)
            job = time.perf_counter() - t0

            async def send() -> float:
                async with dispatcher_for(service) as dispatcher:
                    t1 = time.perf_counter()
                    await drain(dispatcher, limit=600)
                    return time.perf_counter() - t1

            took = asyncio.run(send())
        finally:
            rt.close()
        rounds = sum(1 for m in tg.sent if m.text.startswith("Tournée")) + sum(
            1 for m in tw.messages if m.body.startswith("Tournée")
        )
    floor = (n / 2) / 30
    print(
        f"\nevening send: {report.orders} orders, {report.rounds} rounds ({n // 2} Telegram, "
        f"{n - n // 2} SMS), {report.suppliers} supplier message(s)"
    )
    print(
        f"  evening job (plan + queue) {job * 1000:.0f} ms (target: at most {TARGET_MS} ms); "
        f"dispatch {took:.1f} s; "
        f"{rounds} rounds received by the fakes"
    )
    print(
        f"  floor set by Telegram's ~30 msg/s: {floor:.1f} s for the Telegram half "
        f"(SMS in parallel); dispatch / floor = {took / floor:.2f}"
    )


#: The evening job for 1,500 orders, plan and queue, at most this (issue 17).
TARGET_MS = 500


def _seed_evening(engine: Any, site: int, orders: int, day: date_) -> None:
    """A database with `orders` tenants who each ordered for `day` and a third as many
    volunteers, written in bulk (the seeding is not what is measured): the same residence as
    `bench_sending` (buildings of 40, floors of 8, one or two loaves; volunteers on Wednesdays,
    4 packs, half on Telegram)."""
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from models.base import OrderStatus
    from models.orders import Order, OrderLine
    from models.people import Person, TenantProfile, VolunteerProfile

    now = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
    volunteers = orders // 3
    with engine.begin() as conn:
        people = [
            {
                "name": f"Bénévole {i}",
                "phone": f"+336{20_000_000 + i}",
                "telegram_id": 500_000 + i if i % 2 else None,
                "is_volunteer": True,
                "is_tenant": False,
            }
            for i in range(volunteers)
        ] + [
            {
                "name": f"Locataire {i}",
                "phone": f"+336{10_000_000 + i}",
                "telegram_id": None,
                "is_volunteer": False,
                "is_tenant": True,
            }
            for i in range(orders)
        ]
        base = {"site_id": site, "created_at": now, "approved_at": now}
        conn.execute(sa.insert(Person.__table__), [base | p for p in people])
        ids = dict(conn.execute(sa.select(Person.phone, Person.id)).all())
        conn.execute(
            sa.insert(VolunteerProfile.__table__),
            [
                {"person_id": ids[f"+336{20_000_000 + i}"], "weekdays": "wed", "max_packs": 4}
                for i in range(volunteers)
            ],
        )
        tenants = [ids[f"+336{10_000_000 + i}"] for i in range(orders)]
        conn.execute(
            sa.insert(TenantProfile.__table__),
            [
                {"person_id": pid, "building": f"B{i % 40}", "floor": i % 8}
                for i, pid in enumerate(tenants)
            ],
        )
        conn.execute(
            sa.insert(Order.__table__),
            [
                {
                    "person_id": pid,
                    "site_id": site,
                    "delivery_date": day,
                    "status": OrderStatus.PENDING,
                    "source": "bench",
                    "created_at": now,
                    "updated_at": now,
                }
                for pid in tenants
            ],
        )
        order_ids = dict(conn.execute(sa.select(Order.person_id, Order.id)).all())
        conn.execute(
            sa.insert(OrderLine.__table__),
            [
                {"order_id": order_ids[pid], "item_key": "bread", "quantity": 1 + i % 2}
                for i, pid in enumerate(tenants)
            ],
        )


def _count(into: list[str], *args: object) -> None:
    """A `before_cursor_execute` listener: each statement sent (an executemany once)."""
    into.append(str(args[2]))


def bench_evening(sizes: tuple[int, ...] = (150, 1_500, 15_000)) -> None:
    """The evening job alone (plan, store, queue) at growing sizes: its SQL statements, counted
    with a `before_cursor_execute` listener, must not grow with the day; its wall time beside
    the target for 1,500 orders."""
    import os
    import sys
    import tempfile
    from datetime import UTC, datetime
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from sqlalchemy import event

    from bench.common import settings_for
    from bot.runtime import open_runtime
    from bot.service import Service
    from models.clock import FrozenClock
    from models.migrate import upgrade
    from scheduler.evening import evening

    os.environ.setdefault("PTB_TIMEDELTA", "true")
    day = date_(2026, 11, 25)
    print(f"\nevening job alone (SQLite), target for 1,500 orders: at most {TARGET_MS} ms")
    print(f"{'orders':>7} {'rounds':>6} {'statements':>10} {'ms':>8}")
    for orders in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/evening.db"
            upgrade(url)
            clock = FrozenClock(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))
            rt = open_runtime(settings_for(url), clock=clock)
            try:
                _seed_evening(rt.db.engine, rt.site_id(), orders, day)
                service = Service(rt, {"telegram", "sms"})
                statements: list[str] = []
                count = functools.partial(_count, statements)
                event.listen(rt.db.engine, "before_cursor_execute", count)
                start = time.perf_counter()
                report = rt.db.call(evening, service.ctx, rt.config.sites[0].slug, day)
                ms = (time.perf_counter() - start) * 1000
                event.remove(rt.db.engine, "before_cursor_execute", count)
            finally:
                rt.close()
        print(f"{report.orders:>7} {report.rounds:>6} {len(statements):>10} {ms:>8.0f}")


def main() -> None:
    """Run every section in turn."""
    bench_planning()
    bench_evening()
    bench_sending()


if __name__ == "__main__":
    main()
