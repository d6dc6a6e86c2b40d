"""Whole conversations, scored by what will be delivered afterwards. Prints, never asserts.

    .venv/bin/python bench/conversations.py [CORPUS.jsonl ...] [--misses] [--entraide BIN]

Default corpus: every tests/conversations/*.jsonl. Each scenario line is the conversation
contract's input plus `expect`: for each phone, the `upcoming` deliveries the tenant asked for
(and optionally `status`), and `forward` (something had to reach a coordinator). The scenarios
are run by `entraide converse --batch` (a new process, as anyone would run the contract).

Figures: scenarios right (every expected person's deliveries and status exactly as wanted, and a
coordinator told when one had to be), scenarios with a delivery nobody asked for (any day and item
delivered beyond what was wanted: the worst failure), scenarios with a wanted delivery missing,
forwarded-when-needed, by language and by tag; and the time per scenario.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = sorted((ROOT / "tests" / "conversations").glob("*.jsonl"))


def load(paths: list[Path]) -> list[dict[str, Any]]:
    out = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line))
    return out


def converse(scenarios: list[dict[str, Any]], exe: str) -> tuple[list[dict[str, Any]], float]:
    keys = ("id", "start", "turns")
    lines = "".join(
        json.dumps({k: s[k] for k in keys if k in s}, ensure_ascii=False) + "\n" for s in scenarios
    )
    start = time.monotonic()
    done = subprocess.run(
        [exe, "converse", "--batch"], input=lines, capture_output=True, text=True, timeout=3000
    )
    took = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"entraide converse exited {done.returncode}: {done.stderr[-2000:]}")
    results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(results) != len(scenarios):
        sys.exit(f"{len(results)} results for {len(scenarios)} scenarios")
    return results, took


def judge(scenario: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """What went wrong in one scenario: unwanted, missing, status, forward, error."""
    verdict: dict[str, Any] = {"unwanted": [], "missing": [], "status": [], "forward": None}
    if "error" in result:
        verdict["error"] = result["error"]
        return verdict
    for phone, want in scenario.get("expect", {}).items():
        got = result["people"].get(phone, {"status": "unknown", "upcoming": {}})
        if "status" in want and got.get("status") != want["status"]:
            verdict["status"].append(f"{phone}: {got.get('status')} (wanted {want['status']})")
        wanted, had = want.get("upcoming", {}), got.get("upcoming", {})
        for day in sorted({*wanted, *had}):
            w, h = wanted.get(day, {}), had.get(day, {})
            for item in sorted({*w, *h}):
                if h.get(item, 0) > w.get(item, 0):
                    verdict["unwanted"].append(f"{day} {item} {h.get(item, 0)}>{w.get(item, 0)}")
                elif h.get(item, 0) < w.get(item, 0):
                    verdict["missing"].append(f"{day} {item} {h.get(item, 0)}<{w.get(item, 0)}")
    if scenario.get("forward"):
        verdict["forward"] = bool(result.get("to_coordinators"))
    return verdict


def right(v: dict[str, Any]) -> bool:
    return (
        "error" not in v
        and not v["unwanted"]
        and not v["missing"]
        and not v["status"]
        and v["forward"] is not False
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="*", type=Path)
    ap.add_argument("--misses", action="store_true", help="print each scenario that went wrong")
    ap.add_argument("--entraide", default=str(ROOT / ".venv" / "bin" / "entraide"))
    args = ap.parse_args()
    paths = args.corpus or DEFAULT
    scenarios = load(paths)
    if not scenarios:
        sys.exit("no scenarios")
    results, took = converse(scenarios, args.entraide)
    counts: Counter[str] = Counter()
    by_tag: dict[str, Counter[str]] = {}
    for s, r in zip(scenarios, results, strict=True):
        v = judge(s, r)
        ok = right(v)
        tags = [s.get("lang", "fr"), *s.get("tags", [])]
        for tag in dict.fromkeys(tags):
            c = by_tag.setdefault(tag, Counter())
            c["n"] += 1
            c["right"] += ok
            c["unwanted"] += bool(v["unwanted"])
        counts["n"] += 1
        counts["right"] += ok
        counts["unwanted"] += bool(v["unwanted"])
        counts["missing"] += bool(v["missing"])
        counts["status"] += bool(v["status"])
        counts["error"] += "error" in v
        if s.get("forward"):
            counts["forward_needed"] += 1
            counts["forwarded"] += bool(v["forward"])
        if args.misses and not ok:
            turns = " | ".join(t["text"] for t in s["turns"])
            print(f"MISS {s.get('id')}: {turns}")
            for key in ("error", "unwanted", "missing", "status"):
                if v.get(key):
                    print(f"     {key}: {v[key]}")
            if v["forward"] is False:
                print("     not forwarded to coordinators")
            for k, texts in enumerate(r.get("replies", []), 1):
                print(f"     reply {k}: {' / '.join(texts)[:300]}")
    n = counts["n"]
    names = [str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p) for p in paths]
    print(f"corpus: {', '.join(names)}")
    print(
        f"scenarios {n}: right {counts['right']} ({counts['right'] / n:.1%}), "
        f"with an unwanted delivery {counts['unwanted']} ({counts['unwanted'] / n:.1%}), "
        f"with a wanted delivery missing {counts['missing']}, wrong status {counts['status']}, "
        f"errors {counts['error']}"
    )
    if counts["forward_needed"]:
        told, needed = counts["forwarded"], counts["forward_needed"]
        print(f"forwarded to coordinators when needed: {told}/{needed}")
    for tag, c in sorted(by_tag.items(), key=lambda kv: -kv[1]["n"]):
        print(f"  {tag:<16} {c['n']:>4}  right {c['right'] / c['n']:.1%}  unwanted {c['unwanted']}")
    print(f"time: {took:.1f} s for {n} scenarios ({took / n * 1000:.0f} ms each, one process)")


if __name__ == "__main__":
    main()
