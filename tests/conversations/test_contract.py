"""The conversation contract (`entraide converse --batch`): whole scenarios on fresh copies of
the demo residence, judged by what will be delivered afterwards."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conversations.scenarios import CLASSES, by_id, run_batch, verdict

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = by_id()
CHOSEN = [(cls, sid) for cls, ids in CLASSES.items() for sid in ids]


_CHOSEN_RESULTS: dict[str, dict] = {}


def _chosen_result(config, sid: str) -> dict:
    """The chosen scenarios run in one batch (each still on its own copy of the residence): the
    demo is built once, not once per class."""
    if not _CHOSEN_RESULTS:
        ids = list(dict.fromkeys(s for _, s in CHOSEN))
        results = run_batch(config, [SCENARIOS[s] for s in ids])
        _CHOSEN_RESULTS.update(zip(ids, results, strict=True))
    return _CHOSEN_RESULTS[sid]


@pytest.mark.parametrize(("cls", "sid"), CHOSEN, ids=[f"{c}:{s}" for c, s in CHOSEN])
def test_each_class_ends_with_what_the_tenant_asked_for(config, cls: str, sid: str) -> None:
    scenario = SCENARIOS[sid]
    result = _chosen_result(config, sid)
    assert verdict(scenario, result) == [], (scenario["turns"], result["replies"])


def test_the_cli_reads_json_lines_and_a_bad_line_does_not_stop_the_batch(tmp_path) -> None:
    good = SCENARIOS["cancel-items-002"]
    lines = [
        json.dumps({k: good[k] for k in ("id", "start", "turns")}, ensure_ascii=False),
        "not json",
        json.dumps({"id": "no-turns", "turns": []}),
        json.dumps(
            {
                "id": "bad-phone",
                "start": "2026-12-07T10:00",
                "turns": [{"from": "hello", "text": "2 baguettes jeudi"}],
            }
        ),
    ]
    exe = Path(sys.executable).with_name("entraide")
    done = subprocess.run(
        [str(exe), "converse", "--batch"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no entraide.toml here: the documented example is used
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == 4
    assert verdict(good, out[0]) == []
    assert out[0]["replies"][0] and isinstance(out[0]["replies"][0][0], str)
    assert set(out[0]["people"]["+33600000104"]) == {"status", "name", "upcoming"}
    assert "error" in out[1] and "error" in out[2] and out[2]["id"] == "no-turns"
    assert out[3]["id"] == "bad-phone" and "from" in out[3]["error"]


def test_turn_times_default_to_one_minute_apart_and_the_window_is_21_days(config) -> None:
    colette = "+33600000102"
    turns = [
        {"from": colette, "text": "2 baguettes pour demain"},
        {"from": colette, "text": "2 baguettes pour le 29 décembre"},
    ]
    scenario = {"id": "w", "start": "2026-12-07T16:59", "turns": turns}
    [result] = run_batch(config, [scenario])
    # the second turn comes at 17:00: tomorrow's cut-off has passed, the first was in time
    assert result["people"]["+33600000102"]["upcoming"] == {"2026-12-08": {"bread": 2}}
    assert "29 décembre" in result["replies"][1][0]


def test_my_orders_shows_the_exceptions_next_to_the_standing_order(config) -> None:
    jeanne = "+33600000101"  # standing: Monday and Thursday 2 + 1, Friday 1 + 1
    turns = [
        {"from": jeanne, "text": "pas d'eau jeudi finalement"},
        {"from": jeanne, "text": "annuler vendredi"},
        {"from": jeanne, "text": "mes commandes"},
    ]
    [result] = run_batch(config, [{"id": "l", "start": "2026-12-07T10:00", "turns": turns}])
    listing = result["replies"][2][0]
    assert "Chaque vendredi : 1 baguette et 1 pack d'eau." in listing
    assert "Sauf jeudi 10 décembre : 2 baguettes." in listing
    assert "Sauf vendredi 11 décembre : pas de livraison." in listing
    upcoming = result["people"][jeanne]["upcoming"]
    assert upcoming["2026-12-10"] == {"bread": 2} and "2026-12-11" not in upcoming
    assert upcoming["2026-12-17"] == {"bread": 2, "water": 1}  # the standing order goes on


def test_the_configured_catalogue_reaches_the_parser_and_the_conversation() -> None:
    """`max_per_delivery` and `synonyms` of entraide.toml apply to what tenants write."""
    import tomllib

    from models.config import parse_config

    raw = tomllib.loads((ROOT / "entraide.example.toml").read_text("utf-8"))
    raw["catalogue"]["bread"]["max_per_delivery"] = 8
    raw["catalogue"]["bread"]["synonyms"]["fr"].append("ficelle")
    config = parse_config(raw)
    colette = "+33600000102"
    turns = [
        {"from": colette, "text": "8 baguettes pour jeudi"},
        {"from": colette, "text": "3 ficelles pour vendredi"},
        {"from": colette, "text": "9 baguettes pour samedi"},
    ]
    [result] = run_batch(config, [{"id": "c", "start": "2026-12-07T10:00", "turns": turns}])
    upcoming = result["people"][colette]["upcoming"]
    assert upcoming == {"2026-12-10": {"bread": 8}, "2026-12-11": {"bread": 3}}
    assert "8" in result["replies"][2][0]  # over the configured maximum: asked, not booked


def test_a_fall_a_door_code_and_an_order_in_one_message(config) -> None:
    """The coordinators hear of the fall (urgent), the code is kept for the volunteers, and the
    order in the same message is still taken."""
    colette = "+33600000102"
    text = (
        "Je suis tombée hier. Le code de la porte a changé : 4521B. Et 2 baguettes pour jeudi svp"
    )
    [result] = run_batch(config, [{"id": "a", "start": "2026-12-07T10:00",
                              "turns": [{"from": colette, "text": text}]}])  # fmt: skip
    assert result["people"][colette]["upcoming"] == {"2026-12-10": {"bread": 2}}
    assert any(t.startswith("URGENT") and "4521B" in t for t in result["to_coordinators"])
    assert "prévenu l'équipe" in result["replies"][0][0]


def test_an_end_said_after_a_pause_keeps_its_start(config) -> None:
    """ "I'm away next week" then "until the 23rd": from next Monday to the 23rd, not from today."""
    peter = "+33600000140"  # standing: Monday, Tuesday, Wednesday, 2 loaves
    turns = [
        {"from": peter, "text": "I'm away next week"},
        {"from": peter, "text": "until the 23rd"},
    ]
    [result] = run_batch(config, [{"id": "p", "start": "2026-12-07T10:00", "turns": turns}])
    upcoming = result["people"][peter]["upcoming"]
    assert upcoming["2026-12-08"] == {"bread": 2} and upcoming["2026-12-09"] == {"bread": 2}
    assert not {"2026-12-14", "2026-12-15", "2026-12-16", "2026-12-21", "2026-12-22"} & set(
        upcoming
    )
    assert "2026-12-23" not in upcoming and upcoming["2026-12-28"] == {"bread": 2}


@pytest.mark.parametrize(
    ("turns", "want"),
    [
        (["2 loaves for Tuesday", "move it to Thursday please"], {"2026-12-10": {"bread": 2}}),
        (["2 loaves on Thursday", "make it 3 loaves"], {"2026-12-10": {"bread": 3}}),
        (["1 loaf on Friday", "add a pack of water"], {"2026-12-11": {"bread": 1, "water": 1}}),
        (["3 loaves thursday", "sorry I meant 2"], {"2026-12-10": {"bread": 2}}),
    ],
)
def test_english_corrections_of_the_order_just_made(config, turns, want) -> None:
    margaret = "+33600000139"
    scenario = {"id": "e", "start": "2026-12-07T10:00",
                "turns": [{"from": margaret, "text": t} for t in turns]}  # fmt: skip
    [result] = run_batch(config, [scenario])
    assert result["people"][margaret]["upcoming"] == want, result["replies"]
