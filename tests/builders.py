"""Small, explicit residences for tests: people and orders written through the domain
operations, so tests read like the situation they check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from models.base import OutboxStatus, Role
from models.clock import Clock
from models.config import ServiceConfig
from models.context import Context
from models.db import Database
from models.messages import OutboxMessage
from models.orders import place_order, set_standing
from models.people import Person, PersonData, by_phone, upsert
from models.sync import sync_config


@dataclass
class Residence:
    db: Database
    config: ServiceConfig
    clock: Clock
    site_ids: dict[str, int]
    channels: frozenset[str] = field(default_factory=frozenset)

    @property
    def site_id(self) -> int:
        return self.site_ids[self.config.sites[0].slug]

    @property
    def ctx(self) -> Context:
        return Context(self.config, self.clock, self.site_ids, self.channels)

    def person(self, phone: str) -> Person:
        with self.db.transaction() as s:
            p = by_phone(s, phone)
            assert p is not None
            s.expunge(p)
            return p

    def add(
        self, phone: str, name: str, roles: set[Role], *, lang: str = "fr", **profile: Any
    ) -> int:
        tenant = volunteer = None
        if Role.TENANT in roles:
            tenant = {
                "building": "A",
                "entrance": None,
                "floor": 1,
                "apartment": "1",
                **profile.pop("tenant", {}),
            }
        if Role.VOLUNTEER in roles:
            volunteer = {
                "weekdays": "mon,tue,wed,thu,fri,sat,sun",
                "max_packs": None,
                **profile.pop("volunteer", {}),
            }
        data = PersonData(
            name=name,
            phone=phone,
            site_id=self.site_id,
            language=lang,
            roles=roles,
            tenant=tenant,
            volunteer=volunteer,
            supplier_key=profile.pop("supplier_key", None),
            telegram_id=profile.pop("telegram_id", None),
        )
        with self.db.transaction() as s:
            upsert(s, data, self.clock)
            p = by_phone(s, phone)
            assert p is not None
            return p.id

    def order(self, phone: str, day: date, items: dict[str, int]) -> None:
        with self.db.transaction() as s:
            p = by_phone(s, phone)
            assert p is not None
            place_order(s, p, day, items, now=self.clock.now(), source="test")

    def standing(self, phone: str, weekdays: list[str], items: dict[str, int]) -> None:
        with self.db.transaction() as s:
            p = by_phone(s, phone)
            assert p is not None
            set_standing(s, p, weekdays, items, self.clock.now())

    def outbox(
        self, kind: str | None = None, status: OutboxStatus | None = None
    ) -> list[OutboxMessage]:
        with self.db.transaction() as s:
            q = sa.select(OutboxMessage).order_by(OutboxMessage.id)
            if kind:
                q = q.where(OutboxMessage.kind == kind)
            if status:
                q = q.where(OutboxMessage.status == status)
            rows = list(s.scalars(q))
            for r in rows:
                s.expunge(r)
            return rows

    def outbox_to(self, phone: str) -> list[str]:
        pid = self.person(phone).id
        return [r.payload["text"] for r in self.outbox() if r.person_id == pid]


def residence(
    db: Database, config: ServiceConfig, clock: Clock, channels: frozenset[str] = frozenset()
) -> Residence:
    with db.transaction() as s:
        ids = sync_config(s, config, clock)
    return Residence(db, config, clock, ids, channels)


def small_residence(res: Residence) -> Residence:
    """Six tenants in two buildings, two volunteers, a coordinator, a bakery and a grocery."""
    for i, (building, floor) in enumerate(
        [("A", 0), ("A", 2), ("A", 4), ("B", 1), ("B", 3), ("B", 5)]
    ):
        res.add(
            f"+3361000000{i}",
            f"Tenant {i}",
            {Role.TENANT},
            tenant={
                "building": building,
                "floor": floor,
                "apartment": f"{floor}{i}",
                "bread_bag": i == 2,
            },
        )
    res.add("+33620000001", "Gilles Morel", {Role.VOLUNTEER}, volunteer={"max_packs": 4})
    res.add("+33620000002", "Sophie Bacquet", {Role.VOLUNTEER}, volunteer={"max_packs": 4})
    res.add("+33630000001", "Claire Coord", {Role.COORDINATOR})
    res.add("+33640000001", "Boulangerie", {Role.SUPPLIER}, supplier_key="bakery")
    res.add("+33640000002", "Épicerie", {Role.SUPPLIER}, supplier_key="grocery")
    return res
