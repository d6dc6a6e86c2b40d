"""Hand-made worlds for the coordinator's tests: people, orders, rounds and visits written as
rows, with every date and status chosen, so the expected figures can be counted by hand."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from models.base import DeliveryOutcome, OrderStatus, PersonStatus, VisitStatus
from models.clock import Clock
from models.config import ServiceConfig, parse_config
from models.context import Context
from models.db import Database
from models.orders import Order, OrderLine, Pause
from models.people import Person, TenantProfile, VolunteerProfile
from models.rounds import Round, Stop
from models.sync import sync_config
from models.visits import Visit
from tests.conftest import ROOT

LONG_AGO = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


def two_sites() -> ServiceConfig:
    """The example configuration plus a second residence, "phare"."""
    with open(ROOT / "entraide.example.toml", "rb") as f:
        raw: dict[str, Any] = tomllib.load(f)
    raw["sites"].append({"slug": "phare", "name": "Résidence du Phare", "timezone": "Europe/Paris"})
    return parse_config(raw)


@dataclass
class World:
    db: Database
    config: ServiceConfig
    clock: Clock
    site_ids: dict[str, int]
    channels: frozenset[str] = frozenset()
    ids: dict[str, int] = field(default_factory=dict)
    _phones: int = 0

    @property
    def ctx(self) -> Context:
        return Context(self.config, self.clock, self.site_ids, self.channels)

    def site(self, slug: str = "moulin") -> int:
        return self.site_ids[slug]

    def person(
        self,
        key: str,
        site: str | None = "moulin",
        *,
        tenant: bool = False,
        volunteer: bool = False,
        coordinator: bool = False,
        supplier: str | None = None,
        name: str | None = None,
        approved: datetime | None = LONG_AGO,
        status: PersonStatus = PersonStatus.ACTIVE,
        lang: str = "fr",
        telegram_id: int | None = None,
        opted_out: datetime | None = None,
        isolated: bool = False,
        building: str = "A",
        floor: int = 1,
        apartment: str = "1",
        pid: int | None = None,
    ) -> int:
        """A person; `pid`: their id, chosen (else the next one)."""
        self._phones += 1
        with self.db.transaction() as s:
            p = Person(
                id=pid,
                name=name or key,
                phone=f"+3361{self._phones:07d}",
                language=lang,
                site_id=self.site_ids[site] if site else None,
                status=status,
                is_tenant=tenant,
                is_volunteer=volunteer,
                is_coordinator=coordinator,
                is_supplier=supplier is not None,
                supplier_key=supplier,
                created_at=approved or LONG_AGO,
                approved_at=approved,
                opted_out_at=opted_out,
                telegram_id=telegram_id,
            )
            if tenant:
                p.tenant = TenantProfile(
                    building=building, floor=floor, apartment=apartment, isolated=isolated
                )
            if volunteer:
                p.volunteer = VolunteerProfile(weekdays="mon,tue,wed,thu,fri,sat,sun")
            s.add(p)
            s.flush()
            self.ids[key] = p.id
            return p.id

    def phone(self, key: str) -> str:
        with self.db.transaction() as s:
            p = s.get(Person, self.ids[key])
            assert p is not None and p.phone
            return p.phone

    def order(
        self,
        key: str,
        day: date,
        items: dict[str, int],
        status: OrderStatus = OrderStatus.DELIVERED,
        *,
        by: str | None = None,
        outcome: DeliveryOutcome | None = None,
        site: str | None = None,
    ) -> int:
        """An order row; with `by`, a stop on that volunteer's round (reported unless still
        open or cancelled); `site`: at another site than the person's (one who moved)."""
        with self.db.transaction() as s:
            person = s.get(Person, self.ids[key])
            assert person is not None and person.site_id is not None
            site_id = self.site_ids[site] if site else person.site_id
            if outcome is None and status is OrderStatus.DELIVERED:
                outcome = DeliveryOutcome.IN_HAND
            if outcome is None and status is OrderStatus.FAILED:
                outcome = DeliveryOutcome.NOT_HOME
            now = self.clock.now()
            order = Order(
                person_id=person.id,
                site_id=site_id,
                delivery_date=day,
                status=status,
                outcome=outcome,
                created_at=now,
                updated_at=now,
                source="test",
            )
            order.lines = [OrderLine(item_key=k, quantity=n) for k, n in items.items()]
            s.add(order)
            s.flush()
            if by is not None:
                vid = self.ids[by]
                rnd = s.scalar(
                    sa.select(Round).where(
                        Round.site_id == site_id,
                        Round.delivery_date == day,
                        Round.volunteer_id == vid,
                    )
                )
                if rnd is None:
                    rnd = Round(
                        site_id=site_id,
                        delivery_date=day,
                        volunteer_id=vid,
                        created_at=now,
                        sent_at=now,
                    )
                    s.add(rnd)
                    s.flush()
                reported = status in (OrderStatus.DELIVERED, OrderStatus.FAILED)
                s.add(
                    Stop(
                        round_id=rnd.id,
                        order_id=order.id,
                        position=len(rnd.stops) + 1,
                        outcome=outcome if reported else None,
                        reported_at=now if reported else None,
                    )
                )
            return order.id

    def visit(
        self, tenant: str, volunteer: str | None, day: date | None, status: VisitStatus
    ) -> None:
        with self.db.transaction() as s:
            person = s.get(Person, self.ids[tenant])
            assert person is not None and person.site_id is not None
            s.add(
                Visit(
                    site_id=person.site_id,
                    tenant_id=person.id,
                    volunteer_id=self.ids[volunteer] if volunteer else None,
                    visit_date=day,
                    status=status,
                    created_at=self.clock.now(),
                )
            )

    def pause(self, key: str, start: date, end: date) -> None:
        with self.db.transaction() as s:
            s.add(
                Pause(
                    person_id=self.ids[key], start_on=start, end_on=end, created_at=self.clock.now()
                )
            )


def world(db: Database, config: ServiceConfig, clock: Clock) -> World:
    with db.transaction() as s:
        ids = sync_config(s, config, clock)
    return World(db, config, clock, ids)
