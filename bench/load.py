"""Load: signed SMS webhooks and Telegram updates at a steady rate against `entraide run`,
on SQLite and PostgreSQL, next to the echo floors of ../shared/bench measured in the same run.

Uses the shared load generator (../shared/bench/load_webhooks.py) unchanged: it starts each
server with --spawn, sends N requests at R per second (open loop), and reports throughput,
latency, errors and the server's CPU per request. Afterwards we count what the database holds:
every request must be an inbound row ("nothing lost").

    python bench/load.py [--rate 200] [--seconds 60] [--tenants 6000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import pg_database, prepare_database  # noqa: E402
from bench.residence import FIRST_PHONE, FIRST_TG  # noqa: E402

SHARED = Path(os.environ.get("ENTRAIDE_SHARED_BENCH", ROOT.parent / "shared" / "bench"))
PY = sys.executable
EXE = str(Path(sys.executable).parent / "entraide")
TWILIO_SID = "AC" + "0" * 32


def load(
    kind: str,
    url: str,
    spawn: str,
    args: argparse.Namespace,
    senders: Path | None,
    extra: list[str],
) -> dict:
    fd, out = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    cmd = [
        PY,
        str(SHARED / "load_webhooks.py"),
        kind,
        url,
        "--n",
        str(args.rate * args.seconds),
        "--rate",
        str(args.rate),
        "-c",
        "64",
        "--spawn",
        spawn,
        "--json",
        out,
        *extra,
    ]
    if senders is not None:
        cmd += ["--senders", str(senders)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=args.seconds * 6 + 300)
    if done.returncode != 0 or not Path(out).read_text().strip():
        raise SystemExit(f"load generator failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return json.loads(Path(out).read_text().splitlines()[-1])


def entraide_env(db_url: str, kind: str, workers: int = 1) -> str:
    common = (
        f"env ENTRAIDE_DATABASE_URL={db_url} ENTRAIDE_CONFIG={ROOT / 'entraide.example.toml'} "
        "ENTRAIDE_PORT={port} ENTRAIDE_LOG_LEVEL=WARNING "
    )
    if kind == "sms":
        return common + (
            f"ENTRAIDE_TWILIO_ACCOUNT_SID={TWILIO_SID} ENTRAIDE_TWILIO_AUTH_TOKEN={{auth_token}} "
            "ENTRAIDE_TWILIO_FROM=+33757000000 ENTRAIDE_PUBLIC_URL={public_url} "
            f"ENTRAIDE_TWILIO_API_URL=http://127.0.0.1:9 {EXE} run --no-scheduler"
            + (f" --workers {workers}" if workers > 1 else "")
        )
    return common + (
        "ENTRAIDE_TELEGRAM_TOKEN={token} ENTRAIDE_TELEGRAM_API_URL={api_url} "
        "ENTRAIDE_TELEGRAM_MODE=webhook ENTRAIDE_TELEGRAM_WEBHOOK_SECRET={secret} "
        f"ENTRAIDE_TELEGRAM_RATE=1000 {EXE} run --no-scheduler"
        + (f" --workers {workers}" if workers > 1 else "")
    )


def stored(db_url: str) -> dict[str, int]:
    import sqlalchemy as sa

    from models.db import make_engine

    engine = make_engine(db_url, pool_size=1)
    try:
        with engine.connect() as conn:
            return {
                "inbound": conn.execute(
                    sa.text("select count(*) from inbound_messages")
                ).scalar_one(),
                "orders": conn.execute(sa.text("select count(*) from orders")).scalar_one(),
            }
    finally:
        engine.dispose()


def missing_sms(db_url: str, total: int, seed: int = 2026) -> list[str]:
    """MessageSids the load generator sent (its own formula) that have no inbound row."""
    import hashlib

    import sqlalchemy as sa

    from models.db import make_engine

    engine = make_engine(db_url, pool_size=1)
    try:
        with engine.connect() as conn:
            have = set(conn.execute(sa.text("select external_id from inbound_messages")).scalars())
    finally:
        engine.dispose()
    sent = ["SM" + hashlib.md5(f"{seed}-{i}".encode()).hexdigest() for i in range(total)]
    return [sid for sid in sent if sid not in have]


def row(name: str, fig: dict, floor: dict | None = None) -> str:
    ratio = (
        f"{fig['server_cpu_ms_per_req'] / floor['server_cpu_ms_per_req']:.1f}x" if floor else "-"
    )
    replies = fig.get("replies", "-")
    return (
        f"| {name} | {fig['rps']} | {fig['p50_ms']} | {fig['p99_ms']} | {fig['errors']} | "
        f"{replies}/{fig['n']} | {fig['server_cpu_ms_per_req']} | {ratio} |"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rate", type=int, default=200)
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--tenants", type=int, default=6000)
    p.add_argument("--backends", default="sqlite,postgresql")
    p.add_argument("--json", help="append every figure as a JSON line to this file")
    p.add_argument(
        "--pg-workers", type=int, default=2, help="also run PostgreSQL with N web workers"
    )
    args = p.parse_args()
    senders_dir = Path(tempfile.mkdtemp(prefix="entraide-load-"))
    (senders_dir / "sms.txt").write_text(
        "".join(f"+{FIRST_PHONE + i}\n" for i in range(args.tenants))
    )
    (senders_dir / "tg.txt").write_text("".join(f"{FIRST_TG + i}\n" for i in range(args.tenants)))
    lines = [
        "| server | req/s | p50 ms | p99 ms | errors | replies | server CPU ms/req | vs floor |",
        "|---|---|---|---|---|---|---|---|",
    ]
    figures = []
    sms_floor = load(
        "sms",
        "http://127.0.0.1:18082/sms/inbound",
        f"{PY} {SHARED / 'twilio_echo.py'} --port {{port}} --auth-token {{auth_token}} "
        "--public-url {public_url}",
        args,
        None,
        [],
    )
    tg_floor = load(
        "telegram",
        "http://127.0.0.1:18081/telegram/webhook",
        f"{PY} {SHARED / 'ptb_echo.py'} --port {{port}} --secret {{secret}} "
        "--api-url {api_url} --token {token}",
        args,
        None,
        ["--fake-api"],
    )
    lines += [row("twilio echo (floor)", sms_floor), row("PTB echo (floor)", tg_floor)]
    figures += [sms_floor, tg_floor]
    runs = [(b, 1) for b in args.backends.split(",")]
    if "postgresql" in runs[-1][0] and args.pg_workers > 1:
        runs.append(("postgresql", args.pg_workers))
    for backend, workers in runs:
        for kind, port, floor, senders, extra in (
            ("sms", 18090, sms_floor, senders_dir / "sms.txt", []),
            ("telegram", 18091, tg_floor, senders_dir / "tg.txt", ["--fake-api"]),
        ):
            with tempfile.TemporaryDirectory() as tmp:
                cm = pg_database() if backend == "postgresql" else None
                db_url = cm.__enter__() if cm else f"sqlite:///{tmp}/load.db"
                try:
                    prepare_database(db_url, args.tenants)
                    path = "/sms/inbound" if kind == "sms" else "/telegram/webhook"
                    fig = load(
                        kind,
                        f"http://127.0.0.1:{port}{path}",
                        entraide_env(db_url, kind, workers),
                        args,
                        senders,
                        extra,
                    )
                    kept = stored(db_url)
                    if kind == "sms":
                        missing = missing_sms(db_url, fig["warmup"] + fig["n"])
                        if missing:
                            print(f"  sms not stored: {missing[:5]}", file=sys.stderr)
                finally:
                    if cm:
                        cm.__exit__(None, None, None)
            sent = fig["accepted"] + fig["warmup"]  # the warm-up requests are stored too
            fig.update(backend=backend, workers=workers, stored=kept, lost=sent - kept["inbound"])
            figures.append(fig)
            label = f"entraide {kind}, {backend}" + (f", {workers} workers" if workers > 1 else "")
            lines.append(row(label, fig, floor))
            lines.append(
                f"|  ↳ stored | inbound rows {kept['inbound']} of {sent} accepted "
                f"(lost {fig['lost']}), orders {kept['orders']} | | | | | | |"
            )
    print(f"steady load: {args.rate} req/s for {args.seconds} s, {args.tenants} distinct senders")
    print("\n".join(lines))
    if args.json:
        with open(args.json, "a") as f:
            for fig in figures:
                f.write(json.dumps(fig, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
