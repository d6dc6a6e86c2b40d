"""The command line as a new user meets it: start with no credentials, import, configure."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.fakes.fixtures import free_port

ROOT = Path(__file__).resolve().parents[2]
EXE = str(Path(sys.executable).parent / "entraide")


def run(
    args: list[str], env: dict[str, str], cwd: Path, **kw: object
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120, **kw
    )  # type: ignore[call-overload]


# The demo writes three weeks of history up to the real today (absences, cancellations): a
# conversation dated inside them would meet them, and a test would pass or fail with the day it
# runs (it did: on 7 December 2026, Thursday 26 November 2026 was one of Mme Pouli's absences).
# A Tuesday 24 November long after any run: the same weekdays, and nothing of the history.
AFTER_HISTORY = "2037-11-24T10:00"


@pytest.fixture
def home(tmp_path: Path, db_url: str) -> tuple[Path, dict[str, str]]:
    """A fresh working folder with the example configuration, on the test database."""
    shutil.copy(ROOT / "entraide.example.toml", tmp_path / "entraide.toml")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTRAIDE_")}
    env["ENTRAIDE_DATABASE_URL"] = db_url
    return tmp_path, env


def test_run_with_no_credentials_starts_and_answers_healthz(tmp_path: Path) -> None:
    shutil.copy(ROOT / "entraide.example.toml", tmp_path / "entraide.toml")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTRAIDE_")}
    port = free_port()
    env["ENTRAIDE_PORT"] = str(port)
    assert run(["db", "upgrade"], env, tmp_path).returncode == 0
    assert (tmp_path / "var" / "entraide.db").exists()
    proc = subprocess.Popen(
        [EXE, "run"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = None
        for _ in range(100):
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).json()
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert body is not None and body["status"] == "ok"
        assert body["channels"] == {"telegram": False, "sms": False, "console": True}
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert "telegram: off (no ENTRAIDE_TELEGRAM_TOKEN)" in out
    assert "sms: off (no ENTRAIDE_TWILIO_ACCOUNT_SID" in out
    assert f"listening on http://127.0.0.1:{port}" in out
    assert proc.returncode in (0, -signal.SIGTERM), out  # uvicorn re-raises the signal it handled
    assert "Traceback" not in out


def test_demo_then_people_list_shows_the_residence(home) -> None:
    cwd, env = home
    out = run(["demo"], env, cwd)
    assert (
        out.returncode == 0
        and "40 tenants" in out.stdout
        and "chat --phone +33600000101" in out.stdout
        and "three weeks of history: 106 deliveries made" in out.stdout
    )
    listing = run(["people", "list"], env, cwd).stdout
    # 40 tenants, 6 volunteers, a coordinator, 2 suppliers; and the history's 6 tenants
    assert "Mme Jeanne Pouli" in listing and "55 people" in listing
    assert "+33353010001" in listing  # a landline-only tenant
    # the demo coordinator's first /stats shows the three weeks of the service in use
    stats = run(["chat", "--phone", "+33600000301"], env, cwd, input="/stats\n").stdout
    assert "130 baguettes et 88 packs d'eau ; 106 livraisons" in stats, stats
    assert (
        run(["people", "list", "--role", "volunteer"], env, cwd)
        .stdout.rstrip()
        .endswith("6 people")
    )
    again = run(["demo"], env, cwd)
    assert again.returncode == 2 and "already holds people" in again.stderr


def test_chat_holds_a_conversation_on_stdin(home) -> None:
    cwd, env = home
    run(["demo"], env, cwd)
    out = run(
        ["chat", "--phone", "06 00 00 01 01", "--at", AFTER_HISTORY],
        env,
        cwd,
        input="2 baguettes pour demain\nmes commandes\n",
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("C'est noté : 2 baguettes, mercredi 25 novembre.")
    assert lines[1].startswith("Prochaine livraison : mercredi 25 novembre")


def test_call_holds_a_phone_conversation_on_stdin(home) -> None:
    cwd, env = home
    run(["demo"], env, cwd)
    said = "2 baguettes pour samedi\noui\nannuler samedi\n1\nmes commandes\n\n"
    out = run(["call", "--phone", "06 00 00 01 01", "--at", AFTER_HISTORY], env, cwd, input=said)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "[bot] Bonjour Madame Jeanne Pouli. Que voulez-vous recevoir ?"
    assert lines[1] == "[bot] Deux baguettes, samedi vingt-huit novembre."
    assert lines[3].startswith("[bot] C'est noté : deux baguettes, samedi vingt-huit novembre.")
    assert lines[7] == "[bot] C'est annulé : pas de livraison samedi vingt-huit novembre."
    assert lines[9].startswith("[bot] Prochaine livraison : jeudi vingt-six novembre")
    assert lines[-2:] == ["[bot] Merci. Au revoir.", "[the bot hangs up]"]
    wrong = run(["call", "--phone", "12"], env, cwd)
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1


def test_import_is_all_or_nothing_and_idempotent(home) -> None:
    cwd, env = home
    good = run(["import", "tenants", str(ROOT / "tenants.example.csv")], env, cwd)
    assert good.returncode == 0 and "3 created" in good.stdout, good.stderr
    again = run(["import", "tenants", str(ROOT / "tenants.example.csv")], env, cwd)
    assert "3 unchanged" in again.stdout
    vols = run(["import", "volunteers", str(ROOT / "volunteers.example.csv")], env, cwd)
    assert vols.returncode == 0 and "4 created" in vols.stdout, vols.stderr
    changed = (ROOT / "tenants.example.csv").read_text().replace(";31;fr", ";32;fr")
    (cwd / "changed.csv").write_text(changed)
    assert "1 updated, 2 unchanged" in run(["import", "tenants", "changed.csv"], env, cwd).stdout


def test_bad_rows_are_all_reported_and_nothing_written(home) -> None:
    cwd, env = home
    (cwd / "bad.csv").write_text(
        "name,phone,site,building,floor,needs\n"
        "Ok Person,0611111111,moulin,A,2,\n"
        "No Phone,12,moulin,A,1,\n"
        "Lost,0622222222,nowhere,A,1,\n"
        "Twin,0611111111,moulin,B,1,\n"
        "Sick,0633333333,moulin,B,1,diabetic\n"
        "Ill,0644444444,moulin,B,1,ill\n",
        encoding="utf-8",
    )
    out = run(["import", "tenants", "bad.csv"], env, cwd)
    assert out.returncode == 1
    err = out.stderr
    assert "line 3: not a valid phone number" in err
    assert "line 4: unknown site 'nowhere'" in err
    assert "line 5: duplicate phone +33611111111 (also on line 2)" in err
    assert "line 6: unknown need 'diabetic'" in err
    assert "line 7: needs about health given without consent_on" in err
    assert "nothing imported: 5 bad row(s) out of 6" in err
    assert "0 people" in run(["people", "list"], env, cwd).stdout


def test_windows_excel_csv_is_read(home) -> None:
    cwd, env = home
    (cwd / "excel.csv").write_bytes(
        "name;phone;building;floor\nMme Hélène Noël;0655555555;A;rdc\n".encode("cp1252")
    )
    out = run(["import", "tenants", "excel.csv"], env, cwd)
    assert out.returncode == 0, out.stderr
    assert "Mme Hélène Noël" in run(["people", "list"], env, cwd).stdout


@pytest.mark.parametrize(
    ("env_extra", "toml_edit", "message"),
    [
        ({"ENTRAIDE_PORT": "eighty"}, None, "ENTRAIDE_PORT='eighty'"),
        (
            {"ENTRAIDE_TELEGRAM_MODE": "push"},
            None,
            "ENTRAIDE_TELEGRAM_MODE='push': one of 'polling' or 'webhook'",
        ),
        ({"ENTRAIDE_TWILIO_FORM": "+33757000000"}, None, "unknown setting ENTRAIDE_TWILIO_FORM"),
        (
            {},
            ('timezone = "Europe/Paris"', 'timezone = "Europe/Pariss"'),
            "sites[0].timezone = 'Europe/Pariss': unknown time zone",
        ),
        (
            {},
            ("max_per_delivery = 6", 'max_per_delivery = "six"'),
            "catalogue.bread.max_per_delivery = 'six'",
        ),
        (
            {},
            ('evening_send = "18:30"', 'evening_send = "6:30pm"'),
            "sites[0].evening_send = '6:30pm': expected a time as HH:MM",
        ),
        (
            {},
            ('delivery_weekdays = ["mon"', 'delivery_weekdays = ["lundi"'),
            "sites[0].delivery_weekdays[0] = 'lundi'",
        ),
        ({}, ("objective = 1400", "objectif = 1400"), "objectif: unknown key"),
    ],
)
def test_a_wrong_setting_gets_one_clear_line_and_exit_2(
    home, env_extra, toml_edit, message
) -> None:
    cwd, env = home
    env.update(env_extra)
    if toml_edit:
        path = cwd / "entraide.toml"
        path.write_text(path.read_text().replace(*toml_edit, 1))
    out = run(["people", "list"], env, cwd)
    assert out.returncode == 2
    assert message in out.stderr, out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_missing_config_file_says_what_to_do(home) -> None:
    cwd, env = home
    (cwd / "entraide.toml").unlink()
    out = run(["people", "list"], env, cwd)
    assert out.returncode == 2 and "copy entraide.example.toml" in out.stderr
