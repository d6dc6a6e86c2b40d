"""The server-keeper's commands as typed: `entraide webhook set|info|delete` against the fake
Bot API, `entraide doctor`'s exit code, and a wrong database URL as one line and exit 2."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from tests.fakes.telegram_api import FakeBotAPI

ROOT = Path(__file__).resolve().parents[2]
EXE = str(Path(sys.executable).parent / "entraide")


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def home(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    shutil.copy(ROOT / "entraide.example.toml", tmp_path / "entraide.toml")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTRAIDE_")}
    return tmp_path, env


def invoke(args: list[str], env: dict[str, str]) -> Result:
    """In-process (the commands are the same; only the database test needs a real process)."""
    from bot.cli import app

    return CliRunner().invoke(app, args, env=env)


def test_webhook_set_info_delete(fake_telegram: FakeBotAPI) -> None:
    env = dict.fromkeys(k for k in os.environ if k.startswith("ENTRAIDE_"))
    env.update(
        ENTRAIDE_CONFIG=str(ROOT / "entraide.example.toml"),
        ENTRAIDE_TELEGRAM_TOKEN=fake_telegram.token,
        ENTRAIDE_TELEGRAM_API_URL=fake_telegram.base_url,
        ENTRAIDE_PUBLIC_URL="https://entraide.example.org",
        ENTRAIDE_TELEGRAM_WEBHOOK_SECRET="s3cret",
        ENTRAIDE_TELEGRAM_MODE="webhook",
    )
    out = invoke(["webhook", "set"], env)
    assert out.exit_code == 0 and out.stderr == "", out.output
    assert out.stdout.strip() == (
        "Webhook Telegram posé : https://entraide.example.org/telegram/webhook"
    )
    assert fake_telegram.webhook["url"] == "https://entraide.example.org/telegram/webhook"
    assert fake_telegram.webhook["secret_token"] == "s3cret"

    out = invoke(["webhook", "info"], env)
    assert out.stdout.strip() == (
        "Webhook Telegram : https://entraide.example.org/telegram/webhook ; "
        "0 message(s) en attente ; dernière erreur : aucune"
    )
    polling = invoke(["webhook", "set"], {**env, "ENTRAIDE_TELEGRAM_MODE": "polling"})
    assert polling.exit_code == 0 and "ENTRAIDE_TELEGRAM_MODE vaut polling" in polling.stderr
    out = invoke(["webhook", "delete"], env)
    assert out.exit_code == 0 and "supprimé" in out.stdout
    assert fake_telegram.webhook == {}

    out = invoke(["webhook", "set", "--url", "http://plain.example.org/hook"], env)
    assert out.exit_code == 2 and "https://" in out.stderr and fake_telegram.webhook == {}

    env["ENTRAIDE_TELEGRAM_TOKEN"] = "1:wrong"
    out = invoke(["webhook", "info"], env)
    assert out.exit_code == 2 and out.stderr.count("\n") == 1 and "Telegram a refusé" in out.stderr


def test_a_wrong_database_url_is_one_line_and_exit_2(home) -> None:
    cwd, env = home
    env["ENTRAIDE_DATABASE_URL"] = "postgresql://bob:secret@127.0.0.1:1/entraide"
    out = run(["people", "list"], env, cwd)  # a real process: the exit code main() gives
    assert out.returncode == 2, out.stderr
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert "cannot open the database" in out.stderr and "secret" not in out.stderr
    assert "bob:***@127.0.0.1:1" in out.stderr

    env = {**env, "ENTRAIDE_CONFIG": str(cwd / "entraide.toml")}
    from models.config import ConfigError

    upgrade = invoke(["db", "upgrade"], env)
    assert isinstance(upgrade.exception, ConfigError)  # main() prints it as one line, exit 2
    assert "cannot open the database" in str(upgrade.exception)
    doctor = invoke(["doctor", "--lang", "en"], env)
    assert doctor.exit_code == 1 and "Traceback" not in doctor.output
    assert "FAILED    Database 127.0.0.1:1/entraide: unreachable" in doctor.stdout


def test_a_missing_metrics_folder_is_said_at_start(home) -> None:
    cwd, env = home
    env["PROMETHEUS_MULTIPROC_DIR"] = str(cwd / "missing")
    out = run(["rounds", "send"], env, cwd)  # any command that builds the service
    assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
    assert "PROMETHEUS_MULTIPROC_DIR=" in out.stderr and "no such folder" in out.stderr
