"""The coordinator's commands on the command line: the same as on Telegram, for the rest.

`entraide stats`, `tomorrow`, `pending`, `tenant`, `pause`, `broadcast`, `export`, `report`,
`closures add|list`, `alerts`, `seen`, `answer`, `people refuse|code|add|set`. Each opens the
runtime, runs the same core function as the Telegram command in one transaction, and prints
its text; files are
written and their path printed. The CLI acts for every site, or for the one given with --site;
the audit log records it as "cli:<user>". `register(app)` adds them to the `entraide` app.

Imports stay inside the commands, as in bot/cli.py: `entraide parse` must start fast.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli_common import clock_at, send_queued
from bot.cli_common import fail as _fail

SiteOpt = Annotated[str | None, typer.Option("--site", help="site slug (default: every site)")]
LangOpt = Annotated[str, typer.Option("--lang", help="fr or en")]
AtOpt = Annotated[str | None, typer.Option("--at", help="pretend it is this local time")]


def register(app: typer.Typer) -> None:
    """Add the coordinator's commands to the `entraide` app (and `people refuse`/`code`)."""
    app.command("stats")(stats)
    app.command("tomorrow")(tomorrow)
    app.command("demain", hidden=True)(tomorrow)
    app.command("pending")(pending)
    app.command("tenant")(tenant)
    app.command("pause")(pause)
    app.command("broadcast")(broadcast)
    app.command("export")(export)
    app.command("report")(report)
    closures = typer.Typer(help="Service closures: close a date at a site.", no_args_is_help=True)
    closures.command("add")(closures_add)
    closures.command("list")(closures_list)
    app.add_typer(closures, name="closures")
    people = next((g.typer_instance for g in app.registered_groups if g.name == "people"), None)
    if people is None:
        people = typer.Typer(help="People: list, approve newcomers.", no_args_is_help=True)
        app.add_typer(people, name="people")
    people.command("refuse")(people_refuse)
    people.command("code")(people_code)
    people.command("add")(people_add)
    people.command("set")(people_set)
    app.command("alerts")(alerts)
    app.command("alertes", hidden=True)(alerts)
    app.command("seen")(seen)
    app.command("vu", hidden=True)(seen)
    app.command("answer")(answer)
    app.command("repondre", hidden=True)(answer)


# --- plumbing -----------------------------------------------------------------------------
class _Session:
    """The runtime, the core's context and the CLI's actor, for one command."""

    def __init__(self, site: str | None, lang: str, at: str | None = None) -> None:
        import getpass

        from bot.channels import enabled_channels
        from bot.runtime import open_runtime
        from handlers.access import Actor
        from models.config import ConfigError
        from models.context import Context

        if lang not in ("fr", "en"):
            _fail(f"--lang {lang!r}: expected fr or en")
        self.lang = lang  # before anything that may fail in words
        try:
            self.rt = open_runtime(clock=_clock(at))
        except ConfigError as exc:
            _fail(str(exc))
        self.ctx = Context(
            self.rt.config, self.rt.clock, self.rt.site_ids, enabled_channels(self.rt.settings)
        )
        site_id = None
        if site is not None:
            if site not in self.rt.site_ids:
                self.rt.close()
                _fail(
                    self.t("coord.cli.unknown_site", site=site, sites=", ".join(self.rt.site_ids))
                )
            site_id = self.rt.site_ids[site]
        try:
            user = getpass.getuser()
        except Exception:  # no user name in a container: the audit still says "cli"
            user = "?"
        self.actor = Actor(f"cli:{user}", lang, "cli", None, site_id)

    def t(self, key: str, **params: Any) -> str:
        from handlers.texts import t

        return t(self.lang, key, **params)

    def sites(self) -> list[int]:
        from handlers.access import site_ids

        return site_ids(self.ctx, self.actor)

    def one_site(self) -> int:
        sites = self.sites()
        if len(sites) != 1:
            self.close()
            _fail(f"several sites: choose one with --site ({', '.join(self.rt.site_ids)})")
        return sites[0]

    def call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return self.rt.db.call(fn, self.ctx, *args, **kwargs)

    def send_now(self, since: Any) -> None:
        """Send what was queued with the channels configured here (as `rounds send` does)."""
        from bot.service import Service

        send_queued(Service(self.rt, self.ctx.channels), since)

    def close(self) -> None:
        self.rt.close()


def _clock(at: str | None) -> Any:
    return clock_at(at, frozen=True)


def _confirm(s: _Session) -> bool:
    """Ask on the terminal (or read the answer from stdin); no answer is no."""
    import click

    try:
        return typer.confirm(s.t("coord.cli.confirm"))
    except click.Abort:
        return False


def _date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"{what} {value!r}: expected a date as YYYY-MM-DD")
        raise


def _run(site: str | None, lang: str, at: str | None, name: str, argument: str) -> None:
    """Run a coordinator command exactly as Telegram would, and print its answer; an answer
    that says nothing was done (not understood, nobody found) is an error: stderr, exit 2."""
    from handlers.coordinator import Command, run
    from handlers.types import Refusal

    s = _Session(site, lang, at)
    try:
        replies = s.rt.db.call(run, s.ctx, s.actor, Command(name, argument, True))
        for reply in replies:
            if isinstance(reply.text, Refusal):
                _fail(reply.text)
            typer.echo(reply.text)
            if reply.attachment is not None:
                typer.echo(s.t("coord.cli.written", path=reply.attachment.path))
    finally:
        s.close()


# --- commands ----------------------------------------------------------------------------
def stats(
    period: Annotated[
        list[str] | None,
        typer.Argument(help="semaine, mois, 2026-11, depuis le 4 mars… (default: 7 days)"),
    ] = None,
    site: SiteOpt = None,
    chart: Annotated[bool, typer.Option("--chart", help="write the 12-week PNG chart")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="folder for the chart")] = None,
    lang: LangOpt = "fr",
    at: AtOpt = None,
) -> None:
    """The service's figures for a period, against the period before and the objective."""
    words = " ".join(period or [])
    if not chart:
        _run(site, lang, at, "stats", words)
        return
    from handlers.coordinator import scope_name
    from handlers.files import chart as draw

    s = _Session(site, lang, at)
    try:
        sites = s.sites()

        def make(session: Any, ctx: Any) -> tuple[Any, str]:
            return draw(session, ctx, s.actor, sites, scope_name(session, ctx, lang, sites), out)

        made, caption = s.rt.db.call(make, s.ctx)
        typer.echo(caption)
        typer.echo(s.t("coord.cli.written", path=made.path))
    finally:
        s.close()


def tomorrow(site: SiteOpt = None, lang: LangOpt = "fr", at: AtOpt = None) -> None:
    """Tomorrow's totals per supplier, rounds per volunteer, uncovered stops and visits."""
    _run(site, lang, at, "tomorrow", "")


def pending(site: SiteOpt = None, lang: LangOpt = "fr", at: AtOpt = None) -> None:
    """Registrations waiting for a coordinator (approve: `entraide people approve N`)."""
    _run(site, lang, at, "pending", "")


def tenant(
    name: Annotated[list[str], typer.Argument(help="name, number or phone")],
    site: SiteOpt = None,
    lang: LangOpt = "fr",
    at: AtOpt = None,
) -> None:
    """A tenant's address, standing orders, pauses, coming and last deliveries."""
    _run(site, lang, at, "tenant", " ".join(name))


def pause(
    name: Annotated[list[str], typer.Argument(help="the tenant's name, number or phone")],
    until: Annotated[str, typer.Option("--until", help="last day without delivery, YYYY-MM-DD")],
    start: Annotated[str | None, typer.Option("--from", help="first day (default: today)")] = None,
    site: SiteOpt = None,
    lang: LangOpt = "fr",
    at: AtOpt = None,
) -> None:
    """Pause a tenant's deliveries on their behalf; they are told."""
    from handlers.tenants_admin import apply_pause, find_tenants, which_one
    from handlers.types import Refusal

    end = _date(until, "--until")
    s = _Session(site, lang, at)
    try:
        query = " ".join(name)
        sites = s.sites()

        def go(session: Any, ctx: Any) -> str:
            found = find_tenants(session, sites, query)
            if len(found) != 1:
                return which_one(lang, found, query)
            first = _date(start, "--from") if start else ctx.today(ctx.site(found[0].site_id))
            return apply_pause(session, ctx, s.actor, found[0], first, end)

        said = s.call(go)
        if isinstance(said, Refusal):
            _fail(said)
        typer.echo(said)
    finally:
        s.close()


def broadcast(
    text: Annotated[str, typer.Argument(help="the message, as tenants will read it")],
    to: Annotated[str, typer.Option("--to", help="tenants, isolated or volunteers")] = "tenants",
    english: Annotated[str, typer.Option("--english", help="the text for English readers")] = "",
    site: SiteOpt = None,
    yes: Annotated[bool, typer.Option("--yes", help="send without asking")] = False,
    lang: LangOpt = "fr",
    at: AtOpt = None,
) -> None:
    """A message to every tenant of a site, to isolated tenants or to volunteers (STOP kept)."""
    from handlers import broadcast as core
    from handlers.access import site_name

    if to not in core.AUDIENCES:
        _fail(f"--to {to!r}: expected one of {', '.join(core.AUDIENCES)}")
    s = _Session(site, lang, at)
    try:
        site_id = s.one_site()
        draft = core.Draft(to, [site_id], text.strip(), english.strip())
        if not draft.text:
            _fail("the message is empty")
        question = s.rt.db.call(
            lambda session: core.question(
                session, s.actor, draft, site_name(session, s.ctx, site_id)
            )
        )
        typer.echo(question)
        if not yes and not _confirm(s):
            typer.echo(s.t("coord.cli.nothing_done"))
            raise typer.Exit(1)
        since = s.rt.clock.now()
        n = s.call(core.send, s.actor, draft)
        typer.echo(s.t("coord.broadcast.sent", n=n))
        s.send_now(since)
    finally:
        s.close()


def export(
    period: Annotated[
        list[str] | None, typer.Argument(help="2026-11, mois dernier… (default: last month)")
    ] = None,
    site: SiteOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="CSV file to write")] = None,
    cancelled: Annotated[bool, typer.Option("--cancelled", help="cancelled orders too")] = False,
    lang: LangOpt = "fr",
    at: AtOpt = None,
) -> None:
    """The deliveries of a period as CSV (UTF-8 with BOM, ';'), for the landlord's reporting.

    Columns: date, site, order, tenant_id, tenant, building, entrance, floor, apartment, status
    (delivered, failed, cancelled), outcome (in_hand, bread_bag, not_home, refused,
    wrong_address), standing (1/0), volunteer, then one quantity column per catalogue item.
    """
    from handlers.files import export as write
    from handlers.periods import PeriodError, read_period

    s = _Session(site, lang, at)
    try:
        sites = s.sites()
        today = s.ctx.today(s.ctx.site(sites[0]))
        try:
            chosen = read_period(" ".join(period or []) or "mois dernier", today)
        except PeriodError:
            _fail(
                s.t(
                    "coord.period.unknown",
                    text=" ".join(period or []),
                    sites=", ".join(s.rt.site_ids),
                )
            )
            raise
        assert chosen is not None
        made = s.call(write, s.actor, sites, chosen, include_cancelled=cancelled, path=out)
        typer.echo(
            s.t(
                "coord.export.caption",
                n=made.rows,
                period=chosen.label(lang),
                scope=", ".join(s.ctx.site(x).name for x in sites),
            )
        )
        typer.echo(s.t("coord.cli.written", path=made.path))
    finally:
        s.close()


def report(
    year: Annotated[int | None, typer.Option("--year", help="default: this year")] = None,
    site: SiteOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="CSV file to write")] = None,
    lang: LangOpt = "fr",
    at: AtOpt = None,
) -> None:
    """Counts by month and site against the engagement objective, as CSV, for the landlord
    and funders (columns: month, site, deliveries, failed, cancelled, tenants_served, one per
    item, visits_done, engaged, objective, objective_percent)."""
    from handlers.files import report as write

    s = _Session(site, lang, at)
    try:
        sites = s.sites()
        chosen = year or s.ctx.today(s.ctx.site(sites[0])).year
        made = s.call(write, s.actor, sites, chosen, path=out)
        scope = ", ".join(s.ctx.site(x).name for x in sites)
        typer.echo(s.t("coord.report.caption", year=chosen, scope=scope))
        typer.echo(s.t("coord.cli.written", path=made.path))
    finally:
        s.close()


def closures_add(
    day: Annotated[str, typer.Argument(help="the date to close, YYYY-MM-DD")],
    reason: Annotated[str, typer.Option("--reason", help="told to tenants and volunteers")] = "",
    move: Annotated[
        bool,
        typer.Option(
            "--move", help="move orders to the next delivery day instead of cancelling them"
        ),
    ] = False,
    site: SiteOpt = None,
    yes: Annotated[bool, typer.Option("--yes", help="close without asking")] = False,
    lang: LangOpt = "fr",
    at: AtOpt = None,
) -> None:
    """Close a date at a site: its orders are cancelled (or moved), people told once."""
    from handlers import closures as core
    from handlers.access import site_name

    closed = _date(day, "DATE")
    s = _Session(site, lang, at)
    try:
        site_id = s.one_site()
        req = core.CloseRequest(site_id, closed, reason.strip(), move)

        def ask(session: Any, ctx: Any) -> str:
            why = core.problem(session, ctx, req, lang)
            if why is not None:
                return "!" + why
            return core.question(
                ctx, req, core.preview(session, ctx, req), lang, site_name(session, ctx, site_id)
            )

        question = s.call(ask)
        if question.startswith("!"):
            typer.echo(question[1:])
            raise typer.Exit(1)
        typer.echo(question)
        if not yes and not _confirm(s):
            typer.echo(s.t("coord.cli.nothing_done"))
            raise typer.Exit(1)
        since = s.rt.clock.now()
        typer.echo(s.call(core.apply, s.actor, req))
        s.send_now(since)
    finally:
        s.close()


def closures_list(site: SiteOpt = None, lang: LangOpt = "fr", at: AtOpt = None) -> None:
    """Closures to come."""
    _run(site, lang, at, "closures", "")


def people_refuse(
    who: Annotated[str, typer.Argument(help="the person's number (see pending) or phone")],
    lang: LangOpt = "fr",
    at: AtOpt = None,
) -> None:
    """Refuse a pending registration: the person is told."""
    _run(None, lang, at, "refuse", who)


def people_code(
    phone: Annotated[str, typer.Argument(help="the person's phone number or number")],
    lang: LangOpt = "fr",
    at: AtOpt = None,
) -> None:
    """A one-time code (8 characters, 7 days) that links a Telegram account: /start CODE."""
    from handlers.people_admin import audit, find
    from handlers.texts.formats import day as say_day
    from models.link_codes import issue

    s = _Session(None, lang, at)
    try:

        def go(session: Any, ctx: Any) -> str:
            try:
                person = find(session, phone)
            except LookupError as exc:
                return "!" + str(exc)
            code = issue(session, person, ctx.now())
            audit(
                session,
                ctx,
                s.actor.who,
                "link_code",
                f"person:{person.id}",
                expires=code.expires_at.isoformat(),
            )
            local = code.expires_at.astimezone(ctx.site(person.site_id).zone).date()
            return s.t(
                "coord.cli.code",
                name=person.name,
                id=person.id,
                code=code.code,
                day=say_day(local, lang),
            )

        text = s.call(go)
        if text.startswith("!"):
            _fail(text[1:])
        typer.echo(text)
    finally:
        s.close()


def alerts(site: SiteOpt = None, lang: LangOpt = "fr", at: AtOpt = None) -> None:
    """What needs a human and is not marked done yet, urgent first."""
    _run(site, lang, at, "alerts", "")


def seen(
    numbers: Annotated[list[str], typer.Argument(help="the alerts' numbers (see alerts)")],
    lang: LangOpt = "fr",
    at: AtOpt = None,
) -> None:
    """Mark alerts done (audited)."""
    _run_checked(None, lang, at, "seen", " ".join(numbers))


def answer(
    number: Annotated[str, typer.Argument(help="the alert's number (see alerts)")],
    text: Annotated[str, typer.Argument(help="the answer, as the tenant will read it")],
    lang: LangOpt = "fr",
    at: AtOpt = None,
) -> None:
    """Answer the tenant an alert came from, where they wrote from; the alert is then done."""
    _run_checked(None, lang, at, "answer", f"{number} {text}")


def _run_checked(site: str | None, lang: str, at: str | None, name: str, argument: str) -> None:
    """Close or answer an alert as the chat would; a refusal is one line and exit code 2."""
    from handlers import alerts_admin

    fn = alerts_admin.seen if name == "seen" else alerts_admin.answer
    s = _Session(site, lang, at)
    try:
        since = s.rt.clock.now()
        done = s.call(fn, s.actor, argument)
        if not done.ok:
            _fail(" ".join(done.text.split()))
        typer.echo(done.text)
        s.send_now(since)
    finally:
        s.close()


def people_add(
    kind: Annotated[str, typer.Argument(help="tenant or volunteer")],
    fields: Annotated[
        list[str], typer.Argument(help='FIELD=VALUE …: name="Marie Dupont" phone=0321… building=B')
    ],
    lang: LangOpt = "fr",
    at: AtOpt = None,
) -> None:
    """Add a tenant or a volunteer (the CSV import's columns and rules; audited). A French
    landline is reached by a phone call unless channel= says otherwise."""
    from handlers.people_edit import add

    _people(lang, at, lambda s: s.call(add, s.actor, f"{kind} " + ";".join(fields)))


def people_set(
    who: Annotated[str, typer.Argument(help="the person's number or phone")],
    fields: Annotated[list[str], typer.Argument(help="FIELD=VALUE …: floor=3 notes='code 4512B'")],
    lang: LangOpt = "fr",
    at: AtOpt = None,
) -> None:
    """Change someone's details: phone, address, door notes, needs with consent date, language,
    channel… (the CSV import's rules; audited)."""
    from handlers.people_edit import change

    _people(lang, at, lambda s: s.call(change, s.actor, who, list(fields)))


def _people(lang: str, at: str | None, go: Any) -> None:
    s = _Session(None, lang, at)
    try:
        done = go(s)
    finally:
        s.close()
    if not done.ok:
        _fail(" ".join(done.text.split()))
    typer.echo(done.text)
