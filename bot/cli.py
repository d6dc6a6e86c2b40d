"""The `entraide` command line: one Typer app, each command importing only what it needs.

Imports are lazy on purpose: `entraide parse` must start in well under a second, without loading
SQLAlchemy, python-telegram-bot or twilio.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="entraide: bread and water deliveries for a residence, ordered in plain words.",
)


@app.callback()
def _root() -> None:
    """entraide: bread and water deliveries for a residence, ordered in plain words."""


def _parse_line(raw: str, default_today: date) -> dict:
    """One batch line in, one contract object out; never raises, so the output stays aligned."""
    from handlers.nlu import parse

    try:
        req = json.loads(raw) if raw.strip() else {}
        if not isinstance(req, dict):
            raise ValueError("not a JSON object")
        text = req.get("text") or ""
        if not isinstance(text, str):
            text = str(text)
        today = date.fromisoformat(req["today"]) if req.get("today") else default_today
        lang = req.get("lang") if req.get("lang") in ("fr", "en") else None
        return parse(text, today, lang).to_json()
    except (ValueError, TypeError) as exc:
        out = parse("", default_today, None).to_json()
        out["error"] = f"unreadable input line: {exc}"
        return out


@app.command("parse")
def parse_cmd(
    text: Annotated[str | None, typer.Argument(help="the message, as a tenant would write it")] = None,
    today: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: today)")] = None,
    lang: Annotated[str | None, typer.Option(help="fr or en (default: detected)")] = None,
    batch: Annotated[bool, typer.Option("--batch", help="JSON lines on stdin")] = False,
) -> None:
    """Print the structured intent of a message as JSON (see the parser contract)."""
    from handlers.nlu import parse

    try:
        day = date.fromisoformat(today) if today else date.today()
    except ValueError:
        _fail(f"--today {today!r}: expected a date as YYYY-MM-DD")
    if lang is not None and lang not in ("fr", "en"):
        _fail(f"--lang {lang!r}: expected fr or en")
    if batch:
        out = sys.stdout
        for raw in sys.stdin.buffer:
            line = raw.decode("utf-8", errors="replace")
            out.write(json.dumps(_parse_line(line, day), ensure_ascii=False) + "\n")
        out.flush()
        return
    if text is None:
        _fail("give the message to parse, or --batch to read JSON lines on stdin")
    print(json.dumps(parse(text, day, lang).to_json(), ensure_ascii=False))


def _fail(message: str) -> None:
    """One clear line on stderr and exit code 2: what a wrong value or key gets, never a traceback."""
    typer.echo(f"entraide: {message}", err=True)
    raise typer.Exit(2)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
