"""Coordinators' commands, with access control: /stats, /demain, /attente, /valider, /refuser,
/locataire, /pause, /diffuser, /export, /fermer, /fermetures, /rapport, /alertes, /vu,
/repondre, /ajouter, /modifier.

A command arrives as a Telegram command (`msg.command`), as text starting with "/" (SMS, the
console), or as a bare keyword: from a coordinator in any case ("stats semaine" is "/stats
semaine": phones capitalise and SMS has no slash key at hand), from anyone else only in upper
case ("STATS", "VALIDER 12"). A coordinator who is also a tenant or a volunteer keeps "demain",
"pause" and "aide" for those conversations ("demain je ne peux pas") unless written "/demain" or
"DEMAIN". Someone who is not a coordinator gets a polite refusal and an audit line for an
explicit command, except where their role has its own view: `/demain` shows a volunteer their
round, a supplier their totals, a tenant their order; a tenant's `/pause` is theirs and goes on
to the tenant conversation. A bare word from anyone but a coordinator is left to the other
conversations ("DEMAIN" from a tenant is an order, not a command).

`/diffuser` and `/fermer` ask for a confirmation, kept as conversation state of kind `coord_…`
(`router` leaves those kinds to this module).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from handlers import (
    alerts_admin,
    broadcast,
    closures,
    files,
    people_edit,
    stats_report,
    tenants_admin,
    tomorrow,
)
from handlers.access import Actor, deny, site_ids, site_name, take_site
from handlers.periods import Period, PeriodError, read_period
from handlers.replies import choices, fold, pick
from handlers.texts import t
from handlers.types import Attachment, Inbound, Refusal, Reply
from models.base import PersonStatus
from models.context import Context
from models.conversation import clear_state, get_state, set_state
from models.people import Person

STATE_PREFIX = "coord_"
STATE_TTL = timedelta(minutes=30)
COMMANDS: dict[str, str] = {
    "stats": "stats", "stat": "stats", "statistiques": "stats", "chiffres": "stats",
    "demain": "tomorrow", "tomorrow": "tomorrow",
    "attente": "pending", "pending": "pending", "inscriptions": "pending",
    "valider": "approve", "approve": "approve", "approuver": "approve",
    "refuser": "refuse", "refuse": "refuse",
    "locataire": "tenant", "tenant": "tenant",
    "pause": "pause",
    "diffuser": "broadcast", "diffusion": "broadcast", "broadcast": "broadcast",
    "export": "export", "exporter": "export",
    "fermer": "close", "fermeture": "close", "close": "close",
    "fermetures": "closures", "closures": "closures",
    "rapport": "report", "report": "report",
    "aide": "help", "help": "help",
}  # fmt: skip
COMMANDS |= {
    "alertes": "alerts", "alerts": "alerts", "alerte": "alerts", "alert": "alerts",
    "vu": "seen", "vus": "seen", "seen": "seen",
    "repondre": "answer", "reponse": "answer", "answer": "answer", "reply": "answer",
    "ajouter": "add", "add": "add",
    "modifier": "edit", "changer": "edit", "edit": "edit", "change": "edit",
}  # fmt: skip
FREE_TEXT = {"broadcast", "close", "tenant", "pause", "approve", "refuse", "answer", "seen"}
FREE_TEXT |= {"add", "edit"}
SHARED_WORDS = {"tomorrow", "pause", "help"}  # also words of a tenant's or volunteer's message
GREETINGS = {"start", "bonjour", "hello"}  # a coordinator's greeting gets the list of commands
CHART_WORDS = {"graphique", "graphiques", "graph", "graphe", "chart", "courbe", "png"}


@dataclass(frozen=True)
class Command:
    name: str  # canonical: "stats", "tomorrow", …
    argument: str
    explicit: bool  # a Telegram command or "/word"; a bare upper-case word is not


def read_command(
    msg: Inbound, *, coordinator: bool = False, other_role: bool = False
) -> Command | None:
    """The coordinator command in a message, if there is one. `coordinator`: the sender is one,
    so a bare word counts in any case (and "/start" is their greeting); `other_role`: they are
    also a tenant or a volunteer, whose bare words in `SHARED_WORDS` stay theirs."""
    words = {**COMMANDS, **dict.fromkeys(GREETINGS, "greet")} if coordinator else COMMANDS
    if msg.command:
        name = words.get(fold(msg.command))
        return Command(name, msg.argument.strip(), True) if name else None
    text = msg.text.strip()
    first, _, rest = text.partition(" ")
    if first.startswith("/") and len(first) > 1:
        name = words.get(fold(first[1:].split("@")[0]))
        return Command(name, rest.strip(), True) if name else None
    if len(first) >= 4 and first.isupper():
        name = COMMANDS.get(fold(first))
        return Command(name, rest.strip(), False) if name and name != "help" else None
    if coordinator:
        name = COMMANDS.get(fold(first))
        if name is None or (other_role and name in SHARED_WORDS):
            return None
        return Command(name, rest.strip(), False)
    return None


def _read(person: Person, msg: Inbound) -> Command | None:
    active = person.is_coordinator and person.status is PersonStatus.ACTIVE
    return read_command(msg, coordinator=active, other_role=person.is_tenant or person.is_volunteer)


def handle(session: Session, ctx: Context, person: Person, msg: Inbound) -> list[Reply] | None:
    """A coordinator command's replies, or None when the message is not one."""
    state = get_state(session, _key(person), ctx.now())
    if state is not None and state.kind.startswith(STATE_PREFIX):
        replied = _answer(session, ctx, person, state.kind, dict(state.data), msg)
        if replied is not None:
            return replied
    cmd = _read(person, msg)
    if cmd is None:
        return None
    actor = Actor.of(person, msg.channel)
    if person.is_coordinator and person.status is PersonStatus.ACTIVE:
        return run(session, ctx, actor, cmd)
    return _not_coordinator(session, ctx, person, actor, cmd)


def _not_coordinator(
    session: Session, ctx: Context, person: Person, actor: Actor, cmd: Command
) -> list[Reply] | None:
    lang = person.language
    if cmd.name == "help" or (not cmd.explicit and person.is_tenant):
        return None  # a tenant's "DEMAIN" is the start of an order, not a command
    if cmd.name == "tomorrow" and person.status is PersonStatus.ACTIVE:
        texts = []
        if person.is_volunteer and person.site_id is not None:
            texts.append(tomorrow.volunteer_text(session, ctx, person))
        if person.is_supplier:
            texts.append(tomorrow.supplier_text(session, ctx, person))
        if person.is_tenant and person.site_id is not None:
            texts.append(tomorrow.tenant_text(session, ctx, person))
        if texts:
            return [Reply("\n\n".join(texts), lang)]
    if cmd.name == "pause" and person.is_tenant:
        return None
    if not cmd.explicit:
        return None
    deny(session, ctx, actor, cmd.name, "not a coordinator")
    role = (
        "tenant"
        if person.is_tenant
        else "volunteer"
        if person.is_volunteer
        else "supplier"
        if person.is_supplier
        else "other"
    )
    return [
        Reply(t(lang, "coord.access.denied") + " " + t(lang, f"coord.access.hint_{role}"), lang)
    ]


def run(session: Session, ctx: Context, actor: Actor, cmd: Command) -> list[Reply]:
    """Carry out a command for an actor allowed to give it (a coordinator, or the CLI)."""
    lang = actor.lang
    words = cmd.argument.split()
    if cmd.name in ("help", "greet"):
        return [help_reply(actor, greet=cmd.name == "greet")]
    site, words = take_site(ctx, words, first_only=cmd.name in FREE_TEXT)
    if site is not None and not actor.covers(site):
        deny(session, ctx, actor, cmd.name, "other site", site_id=site)
        return [
            _refuse(
                lang, "coord.access.other_site", site=site_name(session, ctx, actor.site_id or site)
            )
        ]
    sites = [site] if site is not None else site_ids(ctx, actor)
    rest = " ".join(words)
    if cmd.name == "stats":
        return [_stats(session, ctx, actor, sites, words)]
    if cmd.name == "tomorrow":
        return [Reply(tomorrow.coordinator_text(session, ctx, lang, sites), lang)]
    if cmd.name == "pending":
        return [Reply(tenants_admin.pending(session, ctx, actor, sites), lang)]
    if cmd.name == "approve":
        return [Reply(tenants_admin.approve(session, ctx, actor, rest), lang)]
    if cmd.name == "refuse":
        return [Reply(tenants_admin.refuse(session, ctx, actor, rest), lang)]
    if cmd.name == "tenant":
        if not rest:
            return [_refuse(lang, "coord.tenant.how")]
        return [Reply(tenants_admin.tenant_card(session, ctx, actor, sites, rest), lang)]
    if cmd.name == "pause":
        return [Reply(tenants_admin.pause_for(session, ctx, actor, sites, rest), lang)]
    if cmd.name == "broadcast":
        return [_broadcast(session, ctx, actor, sites, words, explicit_site=site is not None)]
    if cmd.name == "export":
        return [_export(session, ctx, actor, sites, rest)]
    if cmd.name == "close":
        return [_close(session, ctx, actor, sites, rest, explicit_site=site is not None)]
    if cmd.name == "closures":
        return [Reply(closures.listing(session, ctx, actor, sites), lang)]
    if cmd.name == "report":
        return [_report(session, ctx, actor, sites, rest)]
    if cmd.name == "alerts":
        return [Reply(alerts_admin.listing(session, ctx, actor, sites), lang)]
    if cmd.name == "seen":
        return [Reply(alerts_admin.seen(session, ctx, actor, rest).text, lang)]
    if cmd.name == "answer":
        return [Reply(alerts_admin.answer(session, ctx, actor, cmd.argument).text, lang)]
    if cmd.name == "add":
        return [Reply(people_edit.add(session, ctx, actor, cmd.argument).text, lang)]
    if cmd.name == "edit":
        return [Reply(people_edit.change_text(session, ctx, actor, cmd.argument).text, lang)]
    return [help_reply(actor)]


def help_reply(actor: Actor, *, greet: bool = False) -> Reply:
    """Every command; after "/start", greeting the coordinator by name."""
    commands = t(actor.lang, "coord.help")
    if actor.person is None or not greet:
        return Reply(commands, actor.lang)
    name = actor.person.name.split()[0] if actor.person.name else ""
    return Reply(t(actor.lang, "help.coordinator", name=name, commands=commands), actor.lang)


def scope_name(session: Session, ctx: Context, lang: str, sites: list[int]) -> str:
    if len(sites) == 1:
        return site_name(session, ctx, sites[0])
    return t(lang, "coord.scope.all")


def _period(ctx: Context, sites: list[int], text: str) -> Period | None:
    return read_period(text, ctx.today(ctx.site(sites[0])))


def _bad_period(ctx: Context, lang: str, text: str) -> Reply:
    return _refuse(
        lang, "coord.period.unknown", text=text, sites=", ".join(s.slug for s in ctx.config.sites)
    )


def _refuse(lang: str, key: str, **params: object) -> Reply:
    """An answer that says nothing was done (the CLI exits non-zero on it)."""
    return Reply(Refusal(t(lang, key, **params)), lang)


def _stats(
    session: Session, ctx: Context, actor: Actor, sites: list[int], words: list[str]
) -> Reply:
    lang = actor.lang
    scope = scope_name(session, ctx, lang, sites)
    if words and fold(words[0]) in CHART_WORDS:
        if not actor.files:
            return Reply(t(lang, "coord.chart.sms"), lang)
        made, caption = files.chart(session, ctx, actor, sites, scope)
        # no caption on the photo: the message sent right after it says what it shows
        return Reply(caption, lang, attachment=Attachment(str(made.path), "photo"))
    try:
        period = _period(ctx, sites, " ".join(words))
    except PeriodError:
        return _bad_period(ctx, lang, " ".join(words))
    return Reply(stats_report.stats_text(session, ctx, lang, sites, scope, period), lang)


def _export(session: Session, ctx: Context, actor: Actor, sites: list[int], text: str) -> Reply:
    lang = actor.lang
    try:
        period = _period(ctx, sites, text) or _period(ctx, sites, "mois dernier")
    except PeriodError:
        return _bad_period(ctx, lang, text)
    assert period is not None
    if not actor.files:
        return Reply(t(lang, "coord.export.sms"), lang)
    made = files.export(session, ctx, actor, sites, period)
    caption = t(
        lang,
        "coord.export.caption",
        n=made.rows,
        period=period.label(lang),
        scope=scope_name(session, ctx, lang, sites),
    )
    return Reply(caption, lang, attachment=Attachment(str(made.path), "document"))


def _report(session: Session, ctx: Context, actor: Actor, sites: list[int], text: str) -> Reply:
    lang = actor.lang
    today = ctx.today(ctx.site(sites[0]))
    word = text.strip()
    if word and not (word.isdigit() and len(word) == 4):
        return _refuse(lang, "coord.report.how")
    year = int(word) if word else today.year
    if not actor.files:
        return Reply(t(lang, "coord.report.sms"), lang)
    made = files.report(session, ctx, actor, sites, year)
    caption = t(
        lang, "coord.report.caption", year=year, scope=scope_name(session, ctx, lang, sites)
    )
    return Reply(caption, lang, attachment=Attachment(str(made.path), "document"))


def _one_site(ctx: Context, actor: Actor, sites: list[int], explicit_site: bool) -> int | None:
    """The site a broadcast or a closure is about: the one named, or the only one covered."""
    if explicit_site or len(sites) == 1:
        return sites[0]
    return None


def _broadcast(
    session: Session,
    ctx: Context,
    actor: Actor,
    sites: list[int],
    words: list[str],
    *,
    explicit_site: bool,
) -> Reply:
    lang = actor.lang
    site = _one_site(ctx, actor, sites, explicit_site)
    if site is None:
        return _refuse(
            lang, "coord.broadcast.which_site", sites=", ".join(s.slug for s in ctx.config.sites)
        )
    draft = broadcast.read_draft(words, [site])
    if draft is None:
        return _refuse(lang, "coord.broadcast.how")
    text = broadcast.question(session, actor, draft, site_name(session, ctx, site))
    if actor.person is not None:
        data = {**draft.to_json(), "token": broadcast.new_token(), "question": text}
        _ask(session, ctx, actor.person, "coord_broadcast", data)
    return Reply(text, lang, choices=choices(lang, "yes", "no"))


def _close(
    session: Session,
    ctx: Context,
    actor: Actor,
    sites: list[int],
    text: str,
    *,
    explicit_site: bool,
) -> Reply:
    lang = actor.lang
    site = _one_site(ctx, actor, sites, explicit_site)
    if site is None:
        return _refuse(
            lang, "coord.close.which_site", sites=", ".join(s.slug for s in ctx.config.sites)
        )
    req = closures.read_request(text, ctx.today(ctx.site(site)), site)
    if req is None:
        return _refuse(lang, "coord.close.how")
    why = closures.problem(session, ctx, req, lang)
    if why is not None:
        return Reply(Refusal(why), lang)
    question = closures.question(
        ctx, req, closures.preview(session, ctx, req), lang, site_name(session, ctx, site)
    )
    if actor.person is not None:
        data = {
            "site_id": req.site_id,
            "day": req.day.isoformat(),
            "reason": req.reason,
            "move": req.move,
            "question": question,
        }
        _ask(session, ctx, actor.person, "coord_close", data)
    return Reply(question, lang, choices=choices(lang, "yes", "no"))


# --- confirmations -------------------------------------------------------------------------
def _key(person: Person) -> str:
    return f"person:{person.id}"


def _ask(
    session: Session, ctx: Context, person: Person, kind: str, data: dict[str, object]
) -> None:
    set_state(session, _key(person), kind, data, ctx.now(), STATE_TTL, person.id)


def _answer(
    session: Session, ctx: Context, person: Person, kind: str, data: dict[str, object], msg: Inbound
) -> list[Reply] | None:
    """The answer to "Envoyer ?" / "Fermer ?": yes acts, no drops, anything else asks once more;
    a new command drops the question and is handled as usual."""
    from datetime import date

    lang = person.language
    got = pick(msg, ["yes", "no"], lang)
    if got is None:
        if _read(person, msg) is not None:
            clear_state(session, _key(person))
            return None
        if data.get("reasked"):
            clear_state(session, _key(person))
            return [Reply(t(lang, "coord.confirm.dropped"), lang)]
        data["reasked"] = True
        _ask(session, ctx, person, kind, data)
        return [
            Reply(
                t(lang, "coord.confirm.again", question=str(data.get("question", ""))),
                lang,
                choices=choices(lang, "yes", "no"),
            )
        ]
    clear_state(session, _key(person))
    if got == "no" or not person.is_coordinator or person.status is not PersonStatus.ACTIVE:
        return [Reply(t(lang, "coord.confirm.cancelled"), lang)]
    actor = Actor.of(person, msg.channel)
    if kind == "coord_broadcast":
        draft = broadcast.Draft(
            str(data["audience"]),
            list(data["site_ids"]),  # type: ignore[call-overload]
            str(data["text"]),
            str(data.get("text_en") or ""),
        )
        n = broadcast.send(session, ctx, actor, draft, token=str(data["token"]))
        return [Reply(t(lang, "coord.broadcast.sent", n=n), lang)]
    if kind == "coord_close":
        req = closures.CloseRequest(
            int(data["site_id"]),
            date.fromisoformat(str(data["day"])),  # type: ignore[call-overload]
            str(data["reason"]),
            bool(data["move"]),
        )
        return [Reply(closures.apply(session, ctx, actor, req), lang)]
    return None
