"""`make bench`: every benchmark in turn, and their figures in bench/RESULTS.md with the
machine and the date. Figures move from run to run on a shared 2-core machine; ratios measured
in the same run are the ones to compare.

    python bench/run_all.py [--quick]
--quick: smaller load runs (30 s at 200 req/s) for a first look.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def run(title: str, args: list[str], timeout: int) -> tuple[str, str, float]:
    print(f"== {title}: {' '.join(args)}", flush=True)
    start = time.monotonic()
    done = subprocess.run([PY, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    took = time.monotonic() - start
    out = done.stdout.strip() + (
        f"\n(exit {done.returncode})\n{done.stderr[-1500:]}" if done.returncode else ""
    )
    print(out, flush=True)
    return title, out, took


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.node()}, {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true")
    args = p.parse_args()
    seconds = "30" if args.quick else "60"
    sections = [
        run("parser accuracy and speed", ["bench/nlu.py"], 300),
        run("whole conversations (the conversation contract)", ["bench/conversations.py"], 900),
        run("SQL statements per message, by kind of message", ["bench/statements.py"], 300),
        run("CPU per message of the core alone", ["bench/handling.py"], 600),
        run(
            "handler overhead vs python-telegram-bot's echo (in-process)",
            ["bench/overhead.py"],
            900,
        ),
        run("round planning and the evening send", ["bench/rounds.py"], 1800),
        run("/stats with a million delivered orders", ["bench/stats.py"], 3600),
        run("steady load on entraide run", ["bench/load.py", "--seconds", seconds], 3600),
    ]
    lines = [
        "# Benchmark results",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} on {machine()}, by `make bench`",
        "(`python bench/run_all.py`). Each section is the verbatim output of its script.",
        "",
    ]
    for title, out, took in sections:
        lines += [f"## {title}", "", f"({took:.0f} s)", "", "```", out, "```", ""]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines))
    print(f"wrote {ROOT / 'bench' / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
