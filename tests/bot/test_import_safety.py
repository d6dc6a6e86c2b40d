"""An import file is checked before anything is written: a NUL byte, a 5,000-character name, a
100,000-character note, a formula or a command as a name are refused with the line, the
column and the reason; a row never silently changes who an existing person is."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.importer import import_file
from models import Person
from models.base import Role
from models.clock import FrozenClock
from models.db import Database
from tests.builders import Residence, residence

HEADER = "name;phone;building;notes\n"
COORD = "+33633333333"


@pytest.fixture
def res(db: Database, config) -> Residence:
    r = residence(db, config, FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)))
    r.add(COORD, "Claire Coord", {Role.COORDINATOR})
    return r


def _import(res: Residence, tmp_path: Path, body: str, kind: str = "tenants", header=HEADER):
    path = tmp_path / "file.csv"
    path.write_text(header + body, encoding="utf-8")
    return import_file(res.db, res.config, res.site_ids, res.clock, path, kind)


@pytest.mark.parametrize(
    ("row", "why"),
    [
        ("Jeanne\x00Pouli;0611111111;C;", "name: contains a control character"),
        ("x" * 5000 + ";0611111111;C;", "name: 5000 characters, at most 80"),
        ("Jeanne Pouli;0611111111;C;" + "n" * 100_000, "notes: 100000 characters, at most 200"),
        ("Jeanne Pouli;0611111111;C;sonner\x00", "notes: contains a control character"),
        ("/stats;0611111111;C;", "name: starts with '/'"),
        ('=HYPERLINK("https://evil.example";"x");0611111111;C;', "formula"),
        ("-Jeanne;0611111111;C;", "name: starts with '-'"),
        ("Jeanne Pouli;0611111111;=B2;", "building: starts with '='"),
    ],
)
def test_bad_cells_are_refused_with_the_reason(res, tmp_path, row: str, why: str) -> None:
    report = _import(res, tmp_path, row + "\n")
    assert not report.ok
    assert why in report.lines()[0] and report.lines()[0].startswith("line 2:")
    with res.db.transaction() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Person)) == 1


def test_a_tenant_row_with_a_coordinators_phone_changes_nothing(res, tmp_path) -> None:
    report = _import(res, tmp_path, "Mme Intruse;06 33 33 33 33;C;\n")
    assert not report.ok
    assert "belongs to Claire Coord (coordinator)" in report.lines()[0]
    assert "add_role" in report.lines()[0]
    with res.db.transaction() as s:
        claire = s.scalar(sa.select(Person).where(Person.phone == COORD))
        assert claire.name == "Claire Coord" and not claire.is_tenant and claire.tenant is None


def test_an_explicit_add_role_column_makes_the_coordinator_a_tenant_too(res, tmp_path) -> None:
    header = "name;phone;building;add_role\n"
    report = _import(res, tmp_path, "Claire Coord;06 33 33 33 33;C;oui\n", header=header)
    assert report.ok, report.lines()
    with res.db.transaction() as s:
        claire = s.scalar(sa.select(Person).where(Person.phone == COORD))
        assert claire.is_tenant and claire.is_coordinator


def test_a_plain_file_still_imports(res, tmp_path) -> None:
    report = _import(res, tmp_path, "Mme Marie-Thé O'Neil;0611111111;C;sonner deux fois\n")
    assert report.ok, report.lines()


def test_a_landline_imported_is_reached_by_a_call(res, tmp_path) -> None:
    rows = "Mme Rose Delcourt;03 21 00 00 01;C;\nM. Paul Henri;06 11 11 11 12;C;\n"
    assert _import(res, tmp_path, rows).ok
    assert res.person("+33321000001").preferred_channel == "voice"
    assert res.person("+33611111112").preferred_channel is None
