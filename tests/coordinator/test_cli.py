"""The coordinator's commands from the command line, on a real database: the same answers as
Telegram, files written where it says, confirmations asked, the audit log kept."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
import typer
from typer.testing import CliRunner

from bot.cli_coordinator import register
from models.audit import AuditEntry
from models.db import Database
from models.people import LinkCode
from models.site import Closure
from tests.conftest import ROOT
from tests.coordinator.conftest import residence
from tests.coordinator.world import World

AT = "2026-11-24T10:00"


@pytest.fixture
def cli(
    db: Database, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[World, typer.Typer]:
    w = residence(db)
    config = tmp_path / "entraide.toml"
    config.write_text(
        (ROOT / "entraide.example.toml").read_text(encoding="utf-8")
        + '\n[[sites]]\nslug = "phare"\nname = "Résidence du Phare"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("ENTRAIDE_DATABASE_URL", db_url)
    monkeypatch.setenv("ENTRAIDE_CONFIG", str(config))
    monkeypatch.chdir(tmp_path)
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """entraide"""

    register(app)
    return w, app


def run(app: typer.Typer, *args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, [*args, "--at", AT] if args[0] != "people" else [*args], input=input
    )
    return result.exit_code, result.output


def test_stats_and_tomorrow_say_what_telegram_says(cli: tuple[World, typer.Typer]) -> None:
    _, app = cli
    code, out = run(app, "stats", "semaine", "--site", "moulin")
    assert code == 0, out
    assert out.startswith("Résidence du Moulin, les 7 derniers jours")
    code, out = run(app, "stats", "2026-10", "--lang", "en")
    assert code == 0 and out.startswith("all sites, October 2026:"), out
    code, out = run(app, "tomorrow", "--site", "moulin")
    assert code == 0 and out.startswith("Livraison du mercredi 25 novembre (aperçu"), out
    code, out = run(app, "stats", "bientôt")
    assert code == 2 and out.startswith('entraide: Je ne comprends pas la période "bientôt"'), out


def test_chart_export_and_report_write_files(
    cli: tuple[World, typer.Typer], tmp_path: Path
) -> None:
    _, app = cli
    code, out = run(app, "stats", "--chart", "--site", "moulin", "--out", str(tmp_path / "c"))
    assert code == 0, out
    png = Path(out.splitlines()[-1].removeprefix("Fichier écrit : "))
    assert png.parent == tmp_path / "c" and png.read_bytes().startswith(b"\x89PNG")
    code, out = run(app, "export", "2026-11", "--site", "moulin")
    assert code == 0, out
    assert out.startswith("Export : 1 livraison, novembre 2026, Résidence du Moulin.")
    path = Path(out.splitlines()[-1].removeprefix("Fichier écrit : "))
    assert path.parts[:2] == ("var", "exports")
    raw = (tmp_path / path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw[3:].decode(), newline=""), delimiter=";"))
    assert rows[1][:2] == ["2026-11-23", "Résidence du Moulin"]
    assert (tmp_path / path).stat().st_mode & 0o077 == 0  # personal data: owner only
    code, out = run(app, "report", "--year", "2026", "--out", str(tmp_path / "r.csv"))
    assert code == 0 and (tmp_path / "r.csv").is_file(), out


def test_closures_ask_first(cli: tuple[World, typer.Typer]) -> None:
    w, app = cli
    code, out = run(app, "closures", "add", "2026-11-26", "--reason", "grève")
    assert code == 2 and "choose one with --site" in out
    code, out = run(
        app, "closures", "add", "2026-11-26", "--reason", "grève", "--site", "moulin", input="n\n"
    )
    assert code == 1 and "Rien n'a été fait." in out, out
    code, out = run(
        app, "closures", "add", "2026-11-26", "--reason", "grève", "--site", "moulin", "--yes"
    )
    assert code == 0, out
    assert "Fermer le service le jeudi 26 novembre (Résidence du Moulin) (grève) ?" in out
    assert "C'est fait : le jeudi 26 novembre est fermé" in out
    with w.db.transaction() as s:
        closure = s.scalar(sa.select(Closure))
        assert closure is not None and closure.closed_on == date(2026, 11, 26)
        entry = s.scalar(sa.select(AuditEntry).where(AuditEntry.action == "close"))
        assert entry is not None and entry.actor.startswith("cli:")
    code, out = run(app, "closures", "list")
    assert out.strip().endswith("jeudi 26 novembre 2026 (grève) (Résidence du Moulin)"), out


def test_broadcast_counts_and_confirms(cli: tuple[World, typer.Typer]) -> None:
    w, app = cli
    code, out = run(
        app,
        "broadcast",
        "Canicule : buvez de l'eau.",
        "--to",
        "isolated",
        "--site",
        "moulin",
        "--english",
        "Heatwave: drink water.",
        input="y\n",
    )
    assert code == 0, out
    assert out.startswith("Ce message partira à 2 personnes (les locataires isolés")
    assert "C'est parti : 2 messages en route." in out
    with w.db.transaction() as s:
        entry = s.scalar(sa.select(AuditEntry).where(AuditEntry.action == "broadcast"))
        assert entry is not None and entry.details["reached"] == 2


def test_people_refuse_tenant_pause_and_code(cli: tuple[World, typer.Typer]) -> None:
    w, app = cli
    code, out = run(app, "people", "refuse", str(w.ids["newcomer"]))
    assert code == 0 and out.startswith("C'est fait : l'inscription de Fatima Benali"), out
    code, out = run(app, "tenant", "Jeanne")
    assert code == 0 and out.startswith("Mme Jeanne Pouli"), out
    code, out = run(app, "pause", "Jeanne", "--until", "2026-11-30")
    assert code == 0 and out.startswith("C'est noté : pause pour Mme Jeanne Pouli"), out
    phone = w.phone("odette")
    code, out = run(app, "people", "code", phone)
    assert code == 0, out
    with w.db.transaction() as s:
        link = s.scalar(sa.select(LinkCode))
        assert link is not None and link.person_id == w.ids["odette"]
        assert len(link.code) == 8 and link.code.isalnum() and link.code.isupper()
        assert (link.expires_at - link.created_at).days == 7
    assert f"/start {link.code}" in out
    code, out = run(app, "people", "code", "+33699999999")
    assert code == 2 and "nobody with id or phone" in out
