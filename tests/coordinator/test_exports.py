"""The CSV files open in a spreadsheet: UTF-8 with a byte-order mark, ';' between fields, the
documented columns, and the rows of the period only."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from handlers.access import Actor
from handlers.exports import DELIVERY_COLUMNS, REPORT_COLUMNS
from handlers.files import export, report
from handlers.periods import Period
from models.audit import AuditEntry
from models.base import DeliveryOutcome, OrderStatus
from models.clock import FrozenClock
from models.db import Database
from tests.coordinator.world import World, two_sites, world

BOM = b"\xef\xbb\xbf"


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(BOM), "Excel needs the BOM to read UTF-8"
    text = raw[len(BOM) :].decode("utf-8")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.fixture
def w(db: Database) -> World:
    w = world(db, two_sites(), FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)))
    w.person("pouli", tenant=True, name="Mme Jeanne Pouli", building="C", floor=0, apartment="0B")
    w.person("semi", tenant=True, name="M. Durand; dit « Dédé »", building="B", floor=3)
    w.person("far", "phare", tenant=True, name="Phare Tenant")
    w.person("gilles", volunteer=True, name="Gilles Morel")
    w.order("pouli", date(2026, 10, 31), {"bread": 2}, by="gilles")  # before the period
    w.order(
        "pouli",
        date(2026, 11, 2),
        {"bread": 2, "water": 1},
        by="gilles",
        outcome=DeliveryOutcome.BREAD_BAG,
    )
    w.order("semi", date(2026, 11, 2), {"water": 2}, OrderStatus.FAILED, by="gilles")
    w.order("semi", date(2026, 11, 3), {"bread": 1}, OrderStatus.CANCELLED)
    w.order("pouli", date(2026, 11, 30), {"bread": 1}, OrderStatus.PLANNED)  # not yet done
    w.order("far", date(2026, 11, 2), {"bread": 9})  # another site
    return w


def test_the_delivery_ledger(w: World, tmp_path: Path) -> None:
    actor = Actor("Claire", "fr", "telegram")
    period = Period(date(2026, 11, 1), date(2026, 11, 30), "month")
    made = w.db.call(export, w.ctx, actor, [w.site()], period, path=tmp_path / "x.csv")
    rows = read_csv(made.path)
    assert rows[0] == [name for name, _ in DELIVERY_COLUMNS] + ["bread", "water"]
    assert made.rows == 2 and len(rows) == 3
    assert rows[1] == [
        "2026-11-02",
        "Résidence du Moulin",
        rows[1][2],
        str(w.ids["semi"]),
        "M. Durand; dit « Dédé »",
        "B",
        "",
        "3",
        "1",
        "failed",
        "not_home",
        "0",
        "Gilles Morel",
        "0",
        "2",
    ]
    assert rows[2][3:] == [
        str(w.ids["pouli"]),
        "Mme Jeanne Pouli",
        "C",
        "",
        "0",
        "0B",
        "delivered",
        "bread_bag",
        "0",
        "Gilles Morel",
        "2",
        "1",
    ]
    with_cancelled = w.db.call(
        export, w.ctx, actor, [w.site()], period, include_cancelled=True, path=tmp_path / "y.csv"
    )
    assert with_cancelled.rows == 3
    assert read_csv(with_cancelled.path)[3][9:11] == ["cancelled", ""]
    with w.db.transaction() as s:
        entries = s.scalars(sa.select(AuditEntry).where(AuditEntry.action == "export")).all()
        assert [(e.actor, e.target, e.details["rows"]) for e in entries] == [
            ("Claire", "deliveries:2026-11-01:2026-11-30", 2),
            ("Claire", "deliveries:2026-11-01:2026-11-30", 3),
        ]


def test_the_yearly_report(w: World, tmp_path: Path) -> None:
    actor = Actor("cli:claire", "fr", "cli")
    both = [w.site("moulin"), w.site("phare")]
    made = w.db.call(report, w.ctx, actor, both, 2026, path=tmp_path / "r.csv")
    rows = read_csv(made.path)
    header = rows[0]
    assert header[:6] == [name for name, _ in REPORT_COLUMNS][:6]
    assert header[6:8] == ["bread", "water"]
    assert header[8:] == [name for name, _ in REPORT_COLUMNS][6:]
    by = {(r[0], r[1]): dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert len(rows) == 1 + 12 * 3 + 1  # two sites and a total a month, and the year's total
    oct_moulin = by[("2026-10", "Résidence du Moulin")]
    assert (oct_moulin["deliveries"], oct_moulin["bread"], oct_moulin["water"]) == ("1", "2", "0")
    nov = by[("2026-11", "TOTAL")]
    assert (nov["deliveries"], nov["failed"], nov["cancelled"]) == ("2", "1", "1")
    assert (nov["tenants_served"], nov["bread"], nov["water"]) == ("2", "11", "1")
    assert (nov["engaged"], nov["objective"], nov["objective_percent"]) == ("3", "1400", "0")
    assert by[("2026-12", "TOTAL")]["engaged"] == ""  # a month to come
    year = by[("2026", "TOTAL")]
    assert (year["deliveries"], year["tenants_served"], year["bread"]) == ("3", "2", "13")
