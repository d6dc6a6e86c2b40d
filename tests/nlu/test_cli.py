"""`entraide parse` end to end, as a tenant's messages and the scorer reach it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ENTRAIDE = Path(sys.executable).parent / "entraide"
KEYS = {"intent", "items", "date", "until", "weekdays", "clarify", "question"}


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(ENTRAIDE), "parse", *args], input=stdin, capture_output=True, timeout=60
    )


def test_one_message() -> None:
    out = run("--today", "2026-11-24", "--lang", "fr", "2 baguettes pour demain")
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got == {
        "intent": "order",
        "items": {"bread": 2},
        "date": "2026-11-25",
        "until": None,
        "weekdays": [],
        "clarify": False,
        "question": None,
    }


def test_language_detected_when_not_given() -> None:
    got = json.loads(run("--today", "2026-11-24", "some loaves tomorrow").stdout)
    assert got["clarify"] and got["question"].startswith("How many")


def test_batch_one_line_out_per_line_in() -> None:
    lines = [
        json.dumps({"text": "2 baguettes demain", "today": "2026-11-24", "lang": "fr"}).encode(),
        b"",
        b"this is not json",
        b"\xff\xfe\xfa invalid utf-8",
        json.dumps({"text": "des baguettes", "today": "2026-11-24", "lang": "fr"}).encode(),
        json.dumps({"text": "some loaves", "today": "2026-11-24"}).encode(),
        json.dumps(["not", "an", "object"]).encode(),
        json.dumps(
            {"text": "STOP", "today": "2026-11-24", "lang": "fr"}, ensure_ascii=False
        ).encode(),
    ]
    out = run("--batch", "--today", "2026-11-24", stdin=b"\n".join(lines) + b"\n")
    assert out.returncode == 0, out.stderr
    results = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert len(results) == len(lines)
    assert all(set(r) >= KEYS for r in results)
    assert results[0]["items"] == {"bread": 2} and results[0]["date"] == "2026-11-25"
    assert results[1]["intent"] == "other"
    assert results[4]["clarify"] and results[4]["question"].startswith("Combien")
    assert results[5]["question"].startswith("How many")
    assert results[7]["intent"] == "stop"
