"""Files that may name people are readable by their owner only, whatever the umask of the
shell that started the command: the database and its WAL, round sheets, exports."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

from tests.bot.test_cli import ROOT, run


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_file_we_write_is_0600(tmp_path: Path) -> None:
    shutil.copy(ROOT / "entraide.example.toml", tmp_path / "entraide.toml")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTRAIDE_")}
    old = os.umask(0o022)  # a usual shell: files 0644 unless the program says otherwise
    try:
        for args in (
            ["db", "upgrade"],
            ["demo"],
            ["rounds", "print", "--date", "2026-11-25", "--at", "2026-11-24T18:00"],
            ["people", "export", "1", "--out", "var/person-1.json"],
            ["export", "2026-11", "--out", "var/exports/ledger.csv"],
        ):
            done = run(args, env, tmp_path)
            assert done.returncode == 0, (args, done.stderr)
    finally:
        os.umask(old)
    var = tmp_path / "var"
    db = var / "entraide.db"
    with sqlite3.connect(db) as conn:  # the WAL exists while a connection is open
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("create table if not exists t (x)")
        files = [db, *var.glob("entraide.db-*"), *var.rglob("*.html"), *var.rglob("*.json")]
        files += [*var.rglob("*.csv")]
        assert {p.suffix for p in files} >= {".db", ".html", ".json", ".csv"}
        assert any(p.name.endswith("-wal") for p in files)
        assert {str(p.relative_to(tmp_path)): oct(_mode(p)) for p in files} == {
            str(p.relative_to(tmp_path)): "0o600" for p in files
        }
    assert _mode(var / "sheets") & 0o077 == 0


def test_a_database_left_0644_by_an_older_version_is_narrowed(tmp_path: Path) -> None:
    shutil.copy(ROOT / "entraide.example.toml", tmp_path / "entraide.toml")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTRAIDE_")}
    assert run(["db", "upgrade"], env, tmp_path).returncode == 0
    db = tmp_path / "var" / "entraide.db"
    os.chmod(db, 0o644)
    assert run(["people", "list"], env, tmp_path).returncode == 0
    assert _mode(db) == 0o600
