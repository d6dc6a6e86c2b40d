"""Erasure reaches everything that names or describes the person, and access shows all of it.

A tenant with every kind of record (orders, a standing order, a pause, a visit she asked for
and one planned with a time window, words about her health forwarded to the coordinators, a
coordinator's `/locataire` answer, a volunteer's round and visit report about her, a loop
alert keyed by her number, an exported ledger, a printed round sheet, a log file) is erased;
then every text column of every table and every file under var/ is searched for every form
of her number, her name, her flat and the words she wrote.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from handlers import inbound
from handlers.access import Actor
from handlers.files import export as export_ledger
from handlers.periods import Period
from handlers.privacy import access, forget
from handlers.texts.formats import address
from handlers.types import Inbound
from models import Base, Person
from models.base import Role
from models.clock import FrozenClock
from models.db import Database
from scheduler.evening import evening
from scheduler.preview import print_day
from tests.builders import Residence, residence
from tests.handlers.test_conversation import Talk

JEANNE, TG = "+33611111111", 70017001
PAUL, GILLES, COORD = "+33622222222", "+33644444444", "+33633333333"
D = date(2026, 11, 25)
NUMBER_FORMS = [
    "+33611111111", "33611111111", "0033611111111", "0611111111", "06 11 11 11 11",
    "06.11.11.11.11", "+33 6 11 11 11 11", "611111111", str(TG),
]  # fmt: skip
NAME_FORMS = ["Pouli", "Jeanne", "Mme Jeanne Pouli"]
HER_WORDS = ["fièvre", "diabète", "opération", "tousse", "rendez-vous médecin", "messagerie vocale"]


@pytest.fixture
def res(db: Database, config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Residence:
    monkeypatch.chdir(tmp_path)  # var/ is the test's own
    r = residence(db, config, FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)))
    r.add(
        JEANNE,
        "Mme Jeanne Pouli",
        {Role.TENANT},
        telegram_id=TG,
        tenant={
            "building": "C",
            "floor": 3,
            "apartment": "12",
            "ill": True,
            "isolated": True,
            "time_need": "avant 9 h, rendez-vous médecin",
        },
    )
    r.add(PAUL, "M. Paul Martin", {Role.TENANT}, tenant={"building": "B", "apartment": "7"})
    r.add(GILLES, "Gilles Morel", {Role.VOLUNTEER})
    r.add(COORD, "Claire", {Role.COORDINATOR})
    return r


def _burst(res: Residence, phone: str, n: int) -> None:
    """An auto-responder: n messages in the same second (the loop guard keys its alert)."""
    for i in range(n):
        msg = Inbound(
            channel="sms",
            external_id=f"SMburst{i:027d}",
            address=phone,
            phone=phone,
            text=f"messagerie vocale de Jeanne, rappel {i}",
            received_at=res.clock.now(),
        )
        res.db.call(inbound.handle, res.ctx, msg)


def _life(res: Residence, log_file: Path) -> dict[str, list[str]]:
    """Everything a tenant's months with the service leave behind; the flat as spelled."""
    talk = Talk(res)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_file, encoding="utf-8")
    root = logging.getLogger()
    root.addHandler(handler)
    old = root.level
    root.setLevel(logging.DEBUG)
    try:
        talk(JEANNE, "2 baguettes pour demain")
        talk(JEANNE, "une baguette tous les vendredis")
        talk(PAUL, "une baguette pour demain")
        talk(JEANNE, "pas de livraison du 7 au 10 décembre")
        talk(JEANNE, "j'ai de la fièvre et mon diabète me fatigue, je suis tombée")
        talk(JEANNE, "quelqu'un peut passer me voir ? je me sens seule depuis mon opération")
        talk(COORD, "/locataire Pouli")
        _burst(res, JEANNE, 10)
        res.clock.set(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))
        res.db.call(evening, res.ctx, "moulin", D)
        print_day(res.db, res.ctx, "moulin", D, Path("var/sheets/rounds-moulin-2026-11-25.html"))
        res.clock.set(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
        talk(GILLES, "fait 1")
        talk(GILLES, "fait 2")
        talk(GILLES, "visite faite 2 elle tousse beaucoup, diabète mal soigné")
        with res.db.transaction() as s:
            export_ledger(s, res.ctx, Actor("cli", "fr", "cli"), [res.site_id], Period(D, D, "day"))
        talk(JEANNE, "des baguettes")  # a question left open: a conversation state
    finally:
        root.removeHandler(handler)
        root.setLevel(old)
        handler.close()
    with res.db.transaction() as s:
        jeanne = s.scalar(sa.select(Person).where(Person.phone == JEANNE))
        return {lang: [address(jeanne, lang)] for lang in ("fr", "en")}


def _everything(res: Residence) -> str:
    """Every text column of every table, and every file under var/, as one text."""
    parts = []
    with res.db.transaction() as s:
        for table in Base.metadata.sorted_tables:
            for row in s.execute(sa.select(table)).mappings():
                for value in row.values():
                    if isinstance(value, dict | list):
                        parts.append(json.dumps(value, ensure_ascii=False))
                    elif value is not None:
                        parts.append(str(value))
    for path in Path("var").rglob("*"):
        if path.is_file():
            parts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(parts)


@pytest.mark.parametrize("how", ["OUBLIER", "cli"])
def test_erasure_leaves_no_trace_in_any_table_or_file(res: Residence, how: str) -> None:
    flats = _life(res, Path("var/chat.log"))
    flat_words = flats["fr"] + flats["en"]
    before = _everything(res)
    # the scenario really left her everywhere: otherwise the search below proves nothing
    for needle in ["Mme Jeanne Pouli", "+33611111111", "fièvre", "tousse", *flats["fr"]]:
        assert needle in before, needle
    assert "Pouli" in Path("var/sheets/rounds-moulin-2026-11-25.html").read_text()
    assert any("Pouli" in p.read_text("utf-8-sig") for p in Path("var/exports").glob("*.csv"))
    if how == "OUBLIER":
        talk = Talk(res)
        talk(JEANNE, "OUBLIER")
        assert "effacées" in talk.one(JEANNE, "oui")
    else:
        with res.db.transaction() as s:
            forget(s, res.ctx, s.scalar(sa.select(Person).where(Person.phone == JEANNE)), "cli")
    after = _everything(res)
    for needle in NUMBER_FORMS + NAME_FORMS + HER_WORDS + flat_words:
        assert needle.lower() not in after.lower(), needle
    # the others keep theirs, and the counts stay
    assert "M. Paul Martin" in after and "une baguette pour demain" in after
    sheet = Path("var/sheets/rounds-moulin-2026-11-25.html").read_text()
    assert "M. Paul Martin" in sheet and "(effacé)" in sheet
    [ledger] = Path("var/exports").glob("*.csv")
    rows = ledger.read_text("utf-8-sig").splitlines()
    assert len(rows) == 3 and any("(effacé)" in r for r in rows)
    assert oct(ledger.stat().st_mode & 0o777) == "0o600"
    with res.db.transaction() as s:
        from models import Order

        assert s.scalar(sa.select(sa.func.count()).select_from(Order)) >= 2


def test_access_holds_everything_erasure_reaches_and_serialises(res: Residence) -> None:
    """`people export` of a tenant with a planned visit (a time window) and every other kind
    of record: it serialises, and holds what others' rows and files say about her."""
    _life(res, Path("var/chat.log"))
    with res.db.transaction() as s:
        data = access(s, s.scalar(sa.select(Person).where(Person.phone == JEANNE)))
    text = json.dumps(data, ensure_ascii=False)  # no default=: every value is plain
    assert any(v["window_start"] for v in data["visits"])
    assert data["orders"] and data["standing_orders"] and data["pauses"]
    others = data["mentioned_in_others_rows"]
    assert any("Pouli" in json.dumps(m["answer"], ensure_ascii=False) for m in others["messages"])
    assert any("tousse" in (m["text"] or "") for m in others["messages"])
    assert any(m["kind"] == "round" for m in others["sent_or_queued"])
    assert any("fièvre" in (m["text"] or "") for m in others["sent_or_queued"])
    assert sorted(Path(f).parent.name for f in data["files_under_var"]) == ["exports", "sheets"]
    assert "fièvre" in text


def test_old_round_sheets_are_purged(tmp_path: Path) -> None:
    import time

    from scheduler.retention import purge_sheets

    sheets = tmp_path / "sheets"
    sheets.mkdir()
    old, new = sheets / "rounds-a.html", sheets / "rounds-b.html"
    legacy = tmp_path / "rounds-c.html"
    for p in (old, new, legacy):
        p.write_text("x")
    for p in (old, legacy):
        os.utime(p, (time.time() - 8 * 86400,) * 2)
    assert purge_sheets(tmp_path, sheets) == 2
    assert not old.exists() and not legacy.exists() and new.exists()
