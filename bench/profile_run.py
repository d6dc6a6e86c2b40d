"""Where `entraide run`'s time goes under load, every thread included.

Starts `entraide run` with ENTRAIDE_PROFILE_DIR (bot/profiling.py) through the shared load
generator, sends N webhooks at R per second, stops it, and prints the time of all its threads
by layer (own time of the functions of each package) and the costliest functions.

    python bench/profile_run.py sms|telegram [--backend sqlite|postgresql] [--n 3000] [--rate 150]
    python bench/profile_run.py --show DIR     # the same report for profiles already written

Profiling doubles the cost of a call: read the shares, not the milliseconds.
"""

from __future__ import annotations

import argparse
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (layer, what a file's path contains), first match wins
LAYERS = [
    ("entraide handlers (core)", "/handlers/"),
    ("entraide models", "/models/"),
    ("entraide scheduler", "/scheduler/"),
    ("entraide bot (http, channels)", "/bot/"),
    ("sqlalchemy", "/sqlalchemy/"),
    ("psycopg (driver)", "/psycopg"),
    ("sqlite3 (driver)", "sqlite3"),
    ("telegram (PTB)", "/telegram/"),
    ("uvicorn", "/uvicorn/"),
    ("httpx/httpcore/anyio (Bot API calls)", "/httpx/"),
    ("httpx/httpcore/anyio (Bot API calls)", "/httpcore/"),
    ("httpx/httpcore/anyio (Bot API calls)", "/anyio/"),
    ("h11", "/h11/"),
    ("twilio", "/twilio/"),
    ("starlette", "/starlette/"),
    ("multipart", "multipart"),
    ("prometheus", "/prometheus_client/"),
    ("logging", "/logging/"),
    ("asyncio", "/asyncio/"),
    ("concurrent/threading", "/concurrent/"),
    ("concurrent/threading", "threading.py"),
    ("json", "/json/"),
    ("zoneinfo/datetime", "zoneinfo"),
    ("pydantic", "pydantic"),
]


def layer(filename: str, name: str) -> str:
    if filename == "~":
        if "sqlite3" in name or "Cursor" in name or "Connection" in name:
            return "sqlite3 (driver)"
        if "select" in name or "poll" in name or "epoll" in name:
            return "waiting (select/poll)"
        if "acquire" in name or "wait" in name:
            return "waiting (locks)"
        return "builtins"
    if filename.endswith("asyncio/runners.py") and name == "run":
        return "waiting (event loop)"  # uvloop's loop is not seen: its waits land on its caller
    for label, part in LAYERS:
        if part in filename:
            return label
    return "other python"


def report(folder: Path, top: int = 35, requests: int | None = None) -> None:
    files = sorted(folder.glob("*.prof"))
    per_thread: dict[str, float] = {}
    total = None
    for f in files:
        st = pstats.Stats(str(f))
        thread = f.stem.split("-", 2)[-1].rstrip("_0123456789") or f.stem
        per_thread[thread] = per_thread.get(thread, 0.0) + st.total_tt  # type: ignore[attr-defined]
        total = st if total is None else total.add(st)
    if total is None:
        raise SystemExit(f"no profile in {folder}")
    scale = 1000 / requests if requests else 1.0
    unit = "ms/request" if requests else "s"
    print(f"profiles: {len(files)} thread(s) in {folder}")
    print(f"\ntime by thread ({unit}, profiled, waits included)")
    for name, tt in sorted(per_thread.items(), key=lambda kv: -kv[1]):
        print(f"  {name:40s} {tt * scale:9.3f}")
    layers: dict[str, float] = {}
    stats = total.stats  # type: ignore[attr-defined]
    for (filename, _line, name), (_cc, _nc, tt, _ct, _callers) in stats.items():
        key = layer(filename, name)
        layers[key] = layers.get(key, 0.0) + tt
    busy = sum(v for k, v in layers.items() if not k.startswith("waiting"))
    print(f"\nown time by layer ({unit}; waits apart; share of the busy time)")
    for key, tt in sorted(layers.items(), key=lambda kv: -kv[1]):
        share = "" if key.startswith("waiting") else f"{tt / busy:6.1%}"
        print(f"  {key:32s} {tt * scale:9.3f}  {share}")
    print()
    total.sort_stats("tottime").print_stats(top)
    total.sort_stats("cumulative").print_stats(top)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("kind", nargs="?", choices=["sms", "telegram"], default="sms")
    p.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    p.add_argument("--n", type=int, default=3000)
    p.add_argument("--rate", type=int, default=150)
    p.add_argument("--tenants", type=int, default=6000)
    p.add_argument("--out", help="where the profiles go (default: a new temporary folder)")
    p.add_argument("--show", help="only report the profiles of this folder")
    p.add_argument("--top", type=int, default=35)
    args = p.parse_args()
    if args.show:
        report(Path(args.show), args.top)
        return

    from bench import load as L
    from bench.common import pg_database, prepare_database
    from bench.residence import FIRST_PHONE, FIRST_TG

    out = Path(args.out or tempfile.mkdtemp(prefix="entraide-profile-"))
    with tempfile.TemporaryDirectory() as tmp:
        senders = Path(tmp) / "senders.txt"
        first = FIRST_PHONE if args.kind == "sms" else FIRST_TG
        plus = "+" if args.kind == "sms" else ""
        senders.write_text("".join(f"{plus}{first + i}\n" for i in range(args.tenants)))
        cm = pg_database() if args.backend == "postgresql" else None
        db_url = cm.__enter__() if cm else f"sqlite:///{tmp}/load.db"
        try:
            prepare_database(db_url, args.tenants)
            spawn = L.entraide_env(db_url, args.kind).replace(
                "env ", f"env ENTRAIDE_PROFILE_DIR={out} ", 1
            )
            path = "/sms/inbound" if args.kind == "sms" else "/telegram/webhook"
            port = 18190 if args.kind == "sms" else 18191
            ns = argparse.Namespace(rate=args.rate, seconds=max(args.n // args.rate, 1))
            fig = L.load(
                args.kind,
                f"http://127.0.0.1:{port}{path}",
                spawn,
                ns,
                senders,
                ["--fake-api"] if args.kind == "telegram" else [],
            )
        finally:
            if cm:
                cm.__exit__(None, None, None)
    print(
        f"{args.kind} on {args.backend}: {fig['rps']} req/s, p50 {fig['p50_ms']} ms, "
        f"p99 {fig['p99_ms']} ms, errors {fig['errors']}, server CPU "
        f"{fig['server_cpu_ms_per_req']} ms/request (profiled)"
    )
    report(out, args.top, requests=fig["n"] + fig["warmup"])


if __name__ == "__main__":
    main()
