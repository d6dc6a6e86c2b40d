"""No cell of a CSV we write is a formula in a spreadsheet (OWASP "CSV injection"), and such
names are refused or cleaned where they come in: registration and import."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from handlers.access import Actor
from handlers.exports import neutralise
from handlers.files import export
from handlers.periods import Period
from models import Person
from models.clock import FrozenClock
from models.db import Database
from tests.builders import residence
from tests.coordinator.world import World, two_sites, world
from tests.handlers.test_conversation import Talk

EVIL = '=HYPERLINK("https://evil.example";"Mme Dupont")'


def cells(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_starting_like_a_formula_is_text(start: str) -> None:
    assert neutralise(f"{start}1+1") == f"'{start}1+1"
    assert neutralise("Mme Pouli") == "Mme Pouli" and neutralise(-1) == -1


def test_the_ledger_never_holds_a_live_formula(db: Database, tmp_path: Path) -> None:
    """Names already stored by older versions, and a building typed by hand."""
    w: World = world(db, two_sites(), FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)))
    w.person("evil", tenant=True, name=EVIL, building="@B", floor=-1, apartment="+12")
    w.person("dash", tenant=True, name="-Jeanne", building="\tC", floor=2)
    w.person("gilles", volunteer=True, name="\rGilles")
    w.order("evil", date(2026, 11, 2), {"bread": 2}, by="gilles")
    w.order("dash", date(2026, 11, 2), {"bread": 1}, by="gilles")
    period = Period(date(2026, 11, 1), date(2026, 11, 30), "month")
    made = w.db.call(
        export, w.ctx, Actor("Claire", "fr", "cli"), [w.site()], period, path=tmp_path / "x.csv"
    )
    assert made.rows == 2
    rows = cells(tmp_path / "x.csv")
    body = [cell for row in rows[1:] for cell in row]
    assert not [c for c in body if c[:1] in ("=", "+", "@", "\t", "\r") or c.startswith("-J")]
    assert f"'{EVIL}" in body and "'@B" in body and "'+12" in body and "'\rGilles" in body
    assert "-1" in body  # a negative floor is a number, written as one


@pytest.mark.parametrize(
    "typed",
    [EVIL, "=1+2", "@SUM(A1:A9)", "+33 6 12", "/stats", "Jeanne\x00 Martin", "x" * 5000],
)
def test_registration_never_keeps_a_formula_or_a_command_as_a_name(
    db: Database, config, typed: str
) -> None:
    res = residence(db, config, FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)))
    talk = Talk(res)
    talk("+33612345670", "bonjour")
    talk("+33612345670", typed)
    talk("+33612345670", "bâtiment B appartement 4")
    with res.db.transaction() as s:
        names = s.scalars(sa.select(Person.name)).all()
    for name in names:  # refused (asked again), or cleaned to a plain name
        assert name[:1].isalpha() and len(name) <= 80 and "\x00" not in name, name
        assert "(" not in name and "/" not in name, name


def test_registration_cleans_a_leading_minus(db: Database, config) -> None:
    res = residence(db, config, FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)))
    talk = Talk(res)
    talk("+33612345670", "bonjour")
    assert "Merci Jeanne Martin" in talk.one("+33612345670", "-Jeanne Martin")
