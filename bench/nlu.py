"""How good and how fast the plain-language parser is, per labelled corpus. Prints, never asserts.

    .venv/bin/python bench/nlu.py [CORPUS.jsonl ...]

Default corpora: tests/nlu/shared_examples.jsonl (the shared examples' copy), tests/nlu/corpus.jsonl
(ours), tests/nlu/holdout.jsonl (held out: the honest estimate on unseen messages). For each:
accuracy (every expected field equal, scored as ../shared/score_nlu.py does), wrong-action rate
(an actionable intent without a question that is not what was meant), and parse time per message
after a warm-up (median and p99). Then the cold start of `entraide parse` (a new process, wall
time, median of 5), which includes the first parse.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from handlers.nlu import parse  # noqa: E402
from tests.nlu.scoring import CORPUS, HOLDOUT, SHARED, load, score  # noqa: E402

COLD_RUNS = 5


def timings_ms(cases: list[dict], rounds: int = 5) -> list[float]:
    """Per-message parse times, each message parsed `rounds` times after one warm-up pass."""
    inputs = [(c["text"], date.fromisoformat(c["today"]), c.get("lang")) for c in cases]
    for text, today, lang in inputs:
        parse(text, today, lang)
    out: list[float] = []
    for _ in range(rounds):
        for text, today, lang in inputs:
            start = time.perf_counter_ns()
            parse(text, today, lang)
            out.append((time.perf_counter_ns() - start) / 1e6)
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def cold_start_s(entraide: Path) -> float:
    walls = []
    for _ in range(COLD_RUNS):
        start = time.perf_counter()
        subprocess.run(
            [str(entraide), "parse", "--today", "2026-11-24", "des baguettes pour demain"],
            check=True,
            capture_output=True,
        )
        walls.append(time.perf_counter() - start)
    return statistics.median(walls)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpora", nargs="*", type=Path, default=[SHARED, CORPUS, HOLDOUT])
    ap.add_argument("--misses", action="store_true", help="also print every miss")
    args = ap.parse_args()
    print(f"{'corpus':<24}{'n':>5}{'accuracy':>10}{'wrong':>8}{'median ms':>11}{'p99 ms':>9}")
    for path in args.corpora:
        cases = load(path)
        result = score(cases)
        times = timings_ms(cases)
        print(
            f"{path.name:<24}{result.n:>5}{result.accuracy:>10.3f}{result.wrong_action:>8.3f}"
            f"{statistics.median(times):>11.3f}{percentile(times, 0.99):>9.3f}"
        )
        if args.misses:
            for case, got in result.misses:
                print(f"    {case['today']} {case['text']!r}")
                print(f"      want {case['expect']}\n      got  {got}")
    entraide = Path(sys.executable).parent / "entraide"
    if entraide.exists():
        cold = cold_start_s(entraide)
        print(f"cold start of `entraide parse` (median of {COLD_RUNS}): {cold:.3f} s")
    else:
        print(f"no {entraide}: cold start not measured")


if __name__ == "__main__":
    main()
