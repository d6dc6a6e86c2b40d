"""Printed round sheets: each volunteer's stops with their notes, then their courtesy visits;
written readable by the service's account only, whatever the umask of the shell."""

from __future__ import annotations

import os
import re
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from models.base import Role
from models.clock import FrozenClock
from models.db import Database
from scheduler.evening import evening
from scheduler.preview import print_day
from tests.builders import Residence, residence

D = date(2026, 11, 25)


@pytest.fixture
def res(db: Database, config) -> Residence:
    r = residence(db, config, FrozenClock(datetime(2026, 11, 24, 17, 30, tzinfo=UTC)))
    r.add(
        "+33610000001",
        "Mme Jeanne Pouli",
        {Role.TENANT},
        tenant={
            "building": "A",
            "notes": "code 4521B",
            "time_need": "avant 9 h",
            "bread_bag": True,
        },
    )
    r.add(
        "+33610000009",
        "Mme Odette Lambert",
        {Role.TENANT},
        tenant={"isolated": True, "building": "B", "notes": "sonner fort"},
    )
    r.add("+33610000008", "M. Henri Caron", {Role.TENANT}, tenant={"isolated": True})
    r.add("+33620000001", "Gilles Morel", {Role.VOLUNTEER})
    r.add("+33620000002", "Sophie Bacquet", {Role.VOLUNTEER})
    r.order("+33610000001", D, {"bread": 2})
    return r


def _sections(html: str) -> dict[str, str]:
    """Each volunteer's section, by the volunteer's full name in its heading."""
    out = {}
    for section in html.split('<section class="round">')[1:]:
        name = re.search(r"<h1>Tournée du mercredi 25 novembre, (.*?) :</h1>", section)
        assert name is not None, section
        out[name.group(1)] = section
    return out


@pytest.mark.parametrize("when", ["preview", "sent"])
def test_sheets_list_stops_with_notes_and_visits_owner_only(
    res: Residence, tmp_path: Path, when: str
) -> None:
    if when == "sent":
        res.db.call(evening, res.ctx, "moulin", D)
    path = tmp_path / "var" / "sheets" / "rounds-moulin-2026-11-25.html"
    old = os.umask(0o022)  # a usual shell: 0644 files unless the program says otherwise
    try:
        assert print_day(res.db, res.ctx, "moulin", D, path) == 2
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0
    sections = _sections(path.read_text())
    assert set(sections) == {"Gilles Morel", "Sophie Bacquet"}  # Sophie has only a visit
    with_stop = next(s for s in sections.values() if "Mme Jeanne Pouli" in s)
    for note in (
        "En premier : avant 9 h.",
        "Sac à pain sur la porte : ne pas sonner.",
        "code 4521B",
    ):
        assert f'<span class="note">{note}</span>' in with_stop
    visits = "".join(s.split("<h2>Visites de courtoisie</h2>")[1] for s in sections.values())
    assert "Mme Odette Lambert" in visits and "M. Henri Caron" in visits
    assert '<span class="note">sonner fort</span>' in visits
    assert "14 h" in visits and "☐ visite faite" in visits
    assert "Sac à pain" not in visits  # a visit rings the bell
