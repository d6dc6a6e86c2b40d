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

from bot.cli_common import clock_at, send_queued
from bot.cli_common import fail as _fail

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="entraide: bread and water deliveries for a residence, ordered in plain words.",
)


@app.callback()
def _root() -> None:
    """entraide: bread and water deliveries for a residence, ordered in plain words."""
    from bot.private_files import restrict

    restrict()  # every file we create from here on is 0600: it may name people


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
    except Exception as exc:  # one output line per input line, whatever happens
        out = parse("", default_today, None).to_json()
        out["error"] = f"unreadable input line: {type(exc).__name__}: {exc}"[:300]
        return out


@app.command("parse")
def parse_cmd(
    text: Annotated[
        str | None, typer.Argument(help="the message, as a tenant would write it")
    ] = None,
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


@app.command("converse")
def converse_cmd(
    batch: Annotated[bool, typer.Option("--batch", help="JSON lines on stdin")] = False,
) -> None:
    """Run whole conversations on fresh copies of the demo residence; print what will be
    delivered afterwards, as JSON lines (see the conversation contract in the README)."""
    import logging
    from pathlib import Path

    from bot.converse import batch as run_batch
    from bot.settings import Settings
    from models.config import load_config

    if not batch:
        _fail("converse reads scenarios as JSON lines on stdin: use --batch")
    logging.basicConfig(level=logging.CRITICAL)  # the JSON lines are the output
    settings = Settings.from_env()
    path = Path(settings.config)
    if not path.exists():  # a fresh clone: the documented example is the demo's configuration
        path = Path(__file__).resolve().parent.parent / "entraide.example.toml"
    config = load_config(path)
    lines = (raw.decode("utf-8", errors="replace") for raw in sys.stdin.buffer)
    out = sys.stdout
    for line in run_batch(lines, config, settings):
        out.write(line + "\n")
        out.flush()


db_app = typer.Typer(help="The database: migrations.", no_args_is_help=True)
import_app = typer.Typer(
    help="Import people from CSV files (see the README for columns).", no_args_is_help=True
)
people_app = typer.Typer(help="People: list, approve newcomers.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(import_app, name="import")
app.add_typer(people_app, name="people")
rounds_app = typer.Typer(help="Volunteers' rounds: send, show, print.", no_args_is_help=True)
visits_app = typer.Typer(help="Courtesy visits.", no_args_is_help=True)
app.add_typer(rounds_app, name="rounds")
app.add_typer(visits_app, name="visits")


def _register_coordinator_commands() -> None:
    from bot.cli_coordinator import register

    register(app)


_register_coordinator_commands()


def _register_ops_commands() -> None:
    from bot.cli_ops import register

    register(app)


def _register_backup_commands() -> None:
    from bot.backups import register

    register(app)


def _register_call_command() -> None:
    from bot.cli_call import register

    register(app)


_register_ops_commands()
_register_call_command()
_register_backup_commands()


def _runtime():
    from bot.runtime import open_runtime

    return open_runtime()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (creates the SQLite file if needed)."""
    from bot.private_files import restrict_database
    from bot.runtime import database_errors
    from bot.settings import Settings
    from models.migrate import current_revision, head_revision, upgrade

    settings = Settings.from_env()
    with database_errors(settings.database_url):
        before = current_revision(settings.database_url)
        upgrade(settings.database_url)
    restrict_database(settings.database_url)
    days = _settle_history(settings.database_url)
    where = (
        settings.database_url.split("@")[-1]
        if "@" in settings.database_url
        else settings.database_url
    )
    if before == head_revision():
        typer.echo(f"database {where}: already at migration {before}")
    else:
        typer.echo(f"database {where}: migrated from {before or 'empty'} to {head_revision()}")
    if days:
        typer.echo(f"daily totals: {days} site-day(s) summed")


def _settle_history(url: str) -> int:
    """Sum the settled days now (a migration may have emptied the summaries), so that no
    coordinator's /stats waits for it; the scheduler's daily job would do it too."""
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from models.daily_totals import settle_all
    from models.db import Database

    db = Database(url)
    try:
        now = datetime.now(UTC)
        with db.transaction() as session:
            ids = list(session.scalars(sa.text("SELECT id FROM sites")))
            return settle_all(session, ids, now.date(), now)
    finally:
        db.dispose()


def _import(kind: str, path: str) -> None:
    from pathlib import Path

    from bot.importer import import_file

    file = Path(path)
    if not file.is_file():
        _fail(f"{path}: no such file")
    rt = _runtime()
    try:
        report = import_file(rt.db, rt.config, rt.site_ids, rt.clock, file, kind)
    finally:
        rt.close()
    for line in report.lines():
        typer.echo(line, err=not report.ok)
    if not report.ok:
        raise typer.Exit(1)


@import_app.command("tenants")
def import_tenants(path: Annotated[str, typer.Argument(help="CSV file")]) -> None:
    """Import or update tenants (matched by phone); all rows or none."""
    _import("tenants", path)


@import_app.command("volunteers")
def import_volunteers(path: Annotated[str, typer.Argument(help="CSV file")]) -> None:
    """Import or update volunteers, coordinators and supplier contacts; all rows or none."""
    _import("volunteers", path)


@people_app.command("list")
def people_list(
    role: Annotated[
        str | None, typer.Option(help="tenant, volunteer, coordinator or supplier")
    ] = None,
    status: Annotated[str | None, typer.Option(help="pending, active or refused")] = None,
) -> None:
    """List people with their roles, address and channels."""
    from models.base import PersonStatus, Role
    from models.people import people

    try:
        role_ = Role(role) if role else None
        status_ = PersonStatus(status) if status else None
    except ValueError as exc:
        _fail(
            f"{exc}; roles: tenant, volunteer, coordinator, supplier; "
            "statuses: pending, active, refused"
        )
    rt = _runtime()
    try:
        with rt.db.transaction() as session:
            rows = people(session, role_, status_)
            typer.echo(f"{'id':>4}  {'name':<32} {'phone':<13} {'roles':<22} {'status':<8} where")
            for p in rows:
                where = ""
                if p.tenant is not None:
                    t = p.tenant
                    floor = "" if t.floor is None else f" {t.floor}e" if t.floor else " rdc"
                    where = (
                        f"bât. {t.building}{' esc. ' + t.entrance if t.entrance else ''}{floor}"
                        + (f" apt {t.apartment}" if t.apartment else "")
                    )
                roles = ",".join(r.value for r in p.roles) + (
                    f":{p.supplier_key}" if p.supplier_key else ""
                )
                flags = " telegram" if p.telegram_id else ""
                flags += " STOP" if p.opted_out_at else ""
                typer.echo(
                    f"{p.id:>4}  {p.name[:32]:<32} {p.phone or '-':<13} {roles:<22} "
                    f"{p.status.value:<8} {where}{flags}"
                )
            typer.echo(f"{len(rows)} people")
    finally:
        rt.close()


@people_app.command("approve")
def people_approve(
    who: Annotated[str, typer.Argument(help="the person's id (see people list) or phone number")],
) -> None:
    """Approve a pending newcomer: they become a tenant and are told they can order."""
    from handlers.people_admin import approve_person
    from handlers.types import Refusal

    rt = _runtime()
    try:
        with rt.db.transaction() as session:
            message = approve_person(session, _context(rt), who, actor="cli")
        if isinstance(message, Refusal):
            _fail(message)  # nothing done: an error for a script, as for the other commands
        typer.echo(message)
    except LookupError as exc:
        _fail(str(exc))
    finally:
        rt.close()


@people_app.command("forget")
def people_forget(
    who: Annotated[str, typer.Argument(help="the person's id or phone number")],
    yes: Annotated[bool, typer.Option("--yes", help="do not ask for confirmation")] = False,
) -> None:
    """Erase a person's personal data (GDPR): they are told first; delivery counts stay."""

    from bot.runtime import open_runtime
    from bot.service import Service
    from handlers.notify import tell
    from handlers.people_admin import find
    from handlers.privacy import forget
    from handlers.replies import say
    from models.people import Person

    rt = open_runtime()
    try:
        from bot.channels import enabled_channels

        service = Service(rt, enabled_channels(rt.settings))
        since = rt.clock.now()
        with rt.db.transaction() as session:
            try:
                person = find(session, who)
            except LookupError as exc:
                _fail(str(exc))
            name, pid = person.name, person.id
        if not yes and not typer.confirm(f"Erase {name} (#{pid}) for good?"):
            raise typer.Exit(1)

        def notice(session):
            p = session.get(Person, pid)
            tell(
                session,
                service.ctx,
                p,
                f"forget-notice:{pid}",
                say(p.language, "privacy.erased"),
                kind="reply",
            )

        rt.db.call(notice)
        send_queued(service, since)

        def erase_now(session):
            return forget(session, service.ctx, session.get(Person, pid), actor="cli")

        counts = rt.db.call(erase_now)
        touched = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
        typer.echo(f"erased person #{pid}; they were told first; rows touched: {touched or 'none'}")
    finally:
        rt.close()


@people_app.command("export")
def people_export(
    who: Annotated[str, typer.Argument(help="the person's id or phone number")],
    out: Annotated[
        str | None, typer.Option(help="file to write (default: standard output)")
    ] = None,
) -> None:
    """Everything stored about a person, as JSON (GDPR right of access)."""
    from handlers.people_admin import audit, find
    from handlers.privacy import access

    rt = _runtime()
    try:
        with rt.db.transaction() as session:
            try:
                person = find(session, who)
            except LookupError as exc:
                _fail(str(exc))
            data = access(session, person)
            audit(session, _context(rt), "cli", "export", f"person:{person.id}")
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        if out:
            from pathlib import Path

            from handlers.exports import secure_open

            with secure_open(Path(out), "utf-8") as f:  # personal data: 0600
                f.write(text + "\n")
            typer.echo(f"{out}: everything stored about #{data['person']['id']}")
        else:
            typer.echo(text)
    finally:
        rt.close()


def _context(rt):
    from bot.channels import enabled_channels
    from models.context import Context

    return Context(rt.config, rt.clock, rt.site_ids, enabled_channels(rt.settings))


def _clock(at: str | None):
    """A clock for trials and training ("as if it were Tuesday 10:00"), else the real one."""
    return clock_at(at)


@app.command("chat")
def chat(
    phone: Annotated[str, typer.Option(help="talk as the person with this number")],
    at: Annotated[
        str | None, typer.Option(help="pretend it is this local time (YYYY-MM-DDTHH:MM)")
    ] = None,
) -> None:
    """Talk to the bot from the terminal as one person (the console channel)."""
    from pathlib import Path

    from bot.channels.console import ConsoleChat
    from bot.runtime import open_runtime
    from bot.service import Service
    from models.phones import PhoneError, sender

    try:
        number = sender(phone)
    except PhoneError as exc:
        _fail(f"--phone: {exc}")
    rt = open_runtime(clock=_clock(at))

    # The conversation is the output here: log lines go to a file, not between the replies.
    from bot.logs import configure

    Path("var").mkdir(exist_ok=True)
    configure(rt.settings.log_level, filename="var/chat.log", fmt=rt.settings.log_format)
    try:
        from bot.channels import enabled_channels

        service = Service(rt, enabled_channels(rt.settings))
        interactive = sys.stdin.isatty()
        if interactive:
            typer.echo(_whoami(rt, number) + " Type a message; Ctrl-D or /quit to leave.")
        ConsoleChat(service, number).run(sys.stdin, interactive)
    finally:
        rt.close()


def _whoami(rt, phone: str) -> str:
    from models.people import by_phone

    with rt.db.transaction() as session:
        person = by_phone(session, phone)
        if person is None:
            return f"You are {phone}, unknown to the bot (a newcomer)."
        roles = ", ".join(r.value for r in person.roles) or "no role"
        return f"You are {person.name} ({phone}), {roles}, {person.status.value}."


@app.command("run")
def run(
    host: Annotated[str | None, typer.Option(help="address to listen on (ENTRAIDE_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="port to listen on (ENTRAIDE_PORT)")] = None,
    no_scheduler: Annotated[
        bool, typer.Option("--no-scheduler", help="web worker only; run `entraide scheduler` once")
    ] = False,
    workers: Annotated[
        int, typer.Option(help="web worker processes (PostgreSQL only), plus one scheduler process")
    ] = 1,
) -> None:
    """Start the bot: HTTP server, Telegram, SMS, outbox and scheduler, as configured."""

    from bot.logs import configure
    from bot.server import serve

    rt = _runtime()
    configure(rt.settings.log_level, fmt=rt.settings.log_format)
    host, port = host or rt.settings.host, port or rt.settings.port
    try:
        if workers > 1:
            if rt.db.is_sqlite:
                _fail(
                    "--workers needs PostgreSQL (ENTRAIDE_DATABASE_URL=postgresql://…): "
                    "SQLite has one writer"
                )
            from bot.server import serve_workers

            serve_workers(rt, host, port, workers, with_scheduler=not no_scheduler)
        else:
            from bot.profiling import profiled

            with profiled(rt.settings.profile_dir):  # ENTRAIDE_PROFILE_DIR (benchmarks)
                try:
                    serve(rt, host, port, with_scheduler=not no_scheduler)
                finally:
                    rt.close()  # inside: the worker threads end before their profiles are kept
    finally:
        rt.close()


def _day(value: str | None, rt, site: str | None):
    """--date, or by default tomorrow in the site's calendar."""
    from datetime import timedelta

    from models.clock import local_today

    if value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            _fail(f"--date {value!r}: expected YYYY-MM-DD")
    conf = rt.config.site(site)
    return local_today(rt.clock, conf.zone) + timedelta(days=1)


@rounds_app.command("send")
def rounds_send(
    day: Annotated[
        str | None, typer.Option("--date", help="delivery date (default: tomorrow)")
    ] = None,
    site: Annotated[str | None, typer.Option(help="site slug (default: every site)")] = None,
    resend: Annotated[bool, typer.Option("--resend", help="send the rounds again")] = False,
    at: Annotated[str | None, typer.Option(help="pretend it is this local time")] = None,
) -> None:
    """Run the evening job now: plan the rounds and send them, with the suppliers' totals."""

    from bot.runtime import open_runtime
    from bot.service import Service
    from scheduler.evening import evening

    rt = open_runtime(clock=_clock(at))
    try:
        from bot.channels import enabled_channels

        service = Service(rt, enabled_channels(rt.settings))
        since = rt.clock.now()
        slugs = [rt.config.site(site).slug] if site else [s.slug for s in rt.config.sites]
        for slug in slugs:
            d = _day(day, rt, slug)
            report = rt.db.call(evening, service.ctx, slug, d, resend=resend)
            for line in report.lines():
                typer.echo(line)

        send_queued(service, since)
    finally:
        rt.close()


@rounds_app.command("show")
def rounds_show(
    day: Annotated[
        str | None, typer.Option("--date", help="delivery date (default: tomorrow)")
    ] = None,
    site: Annotated[str | None, typer.Option(help="site slug")] = None,
    at: Annotated[str | None, typer.Option(help="pretend it is this local time")] = None,
) -> None:
    """Print the rounds of a day as volunteers read them (a preview if not yet sent)."""
    from bot.channels.render import plain
    from bot.runtime import open_runtime
    from scheduler.preview import show_day

    rt = open_runtime(clock=_clock(at))
    try:
        slug = rt.config.site(site).slug
        for reply_or_line in show_day(rt.db, _context(rt), slug, _day(day, rt, slug)):
            typer.echo(reply_or_line if isinstance(reply_or_line, str) else plain(reply_or_line))
    finally:
        rt.close()


@rounds_app.command("print")
def rounds_print(
    day: Annotated[
        str | None, typer.Option("--date", help="delivery date (default: tomorrow)")
    ] = None,
    site: Annotated[str | None, typer.Option(help="site slug")] = None,
    out: Annotated[
        str | None, typer.Option(help="file to write (default: var/sheets/rounds-DATE.html)")
    ] = None,
    at: Annotated[str | None, typer.Option(help="pretend it is this local time")] = None,
) -> None:
    """Write printable round sheets (print-ready HTML, large type) for volunteers on paper."""
    from pathlib import Path

    from bot.runtime import open_runtime
    from scheduler.preview import print_day

    rt = open_runtime(clock=_clock(at))
    try:
        slug = rt.config.site(site).slug
        d = _day(day, rt, slug)
        path = Path(out or f"var/sheets/rounds-{slug}-{d}.html")  # purged by retention
        path.parent.mkdir(parents=True, exist_ok=True)
        n = print_day(rt.db, _context(rt), slug, d, path)
        typer.echo(f"{path}: {n} round sheet(s) for {d}; open it in a browser and print")
    finally:
        rt.close()


@visits_app.command("remind")
def visits_remind(
    day: Annotated[
        str | None, typer.Option("--date", help="visit date (default: tomorrow)")
    ] = None,
    site: Annotated[str | None, typer.Option(help="site slug")] = None,
    at: Annotated[str | None, typer.Option(help="pretend it is this local time")] = None,
) -> None:
    """Plan the day's courtesy visits and remind the tenants (also part of the evening job)."""

    from bot.runtime import open_runtime
    from bot.service import Service
    from handlers.visit_reminders import plan_visits
    from models.delivery import available_volunteers

    rt = open_runtime(clock=_clock(at))
    try:
        from bot.channels import enabled_channels

        service = Service(rt, enabled_channels(rt.settings))
        slug = rt.config.site(site).slug
        d = _day(day, rt, slug)
        since = rt.clock.now()

        def remind(session):
            sid = rt.site_ids[slug]
            return plan_visits(
                session,
                service.ctx,
                rt.config.site(slug),
                sid,
                d,
                available_volunteers(session, sid, d),
            )

        n = rt.db.call(remind)
        typer.echo(f"{slug} {d}: {n} visit(s) planned")
        send_queued(service, since)
    finally:
        rt.close()


@app.command("scheduler")
def scheduler_cmd(
    quiet: Annotated[bool, typer.Option("--quiet", help="no start-up line")] = False,
) -> None:
    """Run the scheduled jobs, the outbox and Telegram polling (one such process per deployment,
    beside web workers started with `entraide run --no-scheduler` or `--workers N`)."""
    import asyncio
    import signal

    from bot.backups import plan
    from bot.lease import LeaseKeeper
    from bot.logs import configure
    from bot.runtime import open_runtime
    from bot.senders import dispatcher_for
    from bot.service import Service
    from scheduler.wiring import build_scheduler

    rt = open_runtime()
    configure(rt.settings.log_level, fmt=rt.settings.log_format)

    async def main_loop() -> None:
        from bot.channels import enabled_channels

        service = Service(rt, enabled_channels(rt.settings))
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        lease = LeaseKeeper(rt.db, service.ctx, "scheduler")
        await lease.start()  # before polling hands it the first update
        try:
            async with dispatcher_for(service, polling=True) as dispatcher:
                scheduler = build_scheduler(
                    rt.db, service.ctx, wake=dispatcher.wake, backups=plan(rt.settings)
                )
                scheduler.start()
                if not quiet:
                    typer.echo("entraide scheduler: jobs and outbox running; Ctrl-C to stop")
                await dispatcher.run_forever(stop)
                scheduler.shutdown(wait=False)
        finally:
            await lease.stop()

    try:
        asyncio.run(main_loop())
    finally:
        rt.close()


@app.command("demo")
def demo(
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="do nothing if people exist")
    ] = False,
) -> None:
    """Fill an empty database with the demo residence, and say how to talk to it."""
    from bot.demo import how_to_talk, is_empty, load_demo
    from bot.demo_history import load_history

    rt = _runtime()
    try:
        with rt.db.transaction() as session:
            if not is_empty(session):
                if if_empty:
                    typer.echo("demo: the database already holds people; nothing loaded")
                    for line in how_to_talk(_exe()):
                        typer.echo(line)
                    return
                _fail("the database already holds people: `entraide demo` only fills an empty one")
            counts = load_demo(session, rt.config, rt.site_ids, rt.clock)
            past = load_history(session, rt.config, rt.site_ids, rt.clock)
        site = rt.config.sites[0]
        typer.echo(
            f"demo residence loaded in {site.name}: {counts['tenants']} tenants in 3 buildings, "
            f"{counts['volunteers']} volunteers, {counts['coordinators']} coordinator, "
            f"{counts['suppliers']} suppliers"
        )
        typer.echo(
            f"with three weeks of history: {past['delivered']} deliveries made, "
            f"{past['not_home']} not at home, {past['visits']} courtesy visits, "
            f"{past['new_tenants']} more tenants (one said STOP, one paused, three landline only)"
        )
        for line in how_to_talk(_exe()):
            typer.echo(line)
    finally:
        rt.close()


def _exe() -> str:
    """How to call this program again, as the user typed it (.venv/bin/entraide or entraide)."""
    import os
    import shutil

    argv0 = sys.argv[0] if sys.argv and sys.argv[0] else "entraide"
    if os.path.basename(argv0) == "entraide" and shutil.which("entraide") != os.path.abspath(argv0):
        return os.path.relpath(argv0) if os.path.isabs(argv0) else argv0
    return "entraide"


def main() -> None:
    from models.config import ConfigError

    try:
        app()
    except ConfigError as exc:
        typer.echo(f"entraide: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
