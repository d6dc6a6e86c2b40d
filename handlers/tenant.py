"""The tenant's request by the parser's intent, once `router` has seen no change to what is
booked in it: orders go to `order_flow`, cancels and pauses to `cancelling`, "mes commandes" to
`listing`, visits to `visit_requests`; help, the menu, and what goes to the coordinators here.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from handlers import cancelling, listing, optout, order_flow, visit_requests
from handlers.nlu import Parse, read_date
from handlers.notify import per_reader, tell_coordinators
from handlers.replies import say
from handlers.texts import t
from handlers.texts.formats import address as say_address
from handlers.types import Choice, Inbound, Reply
from models.alerts import AlertKind
from models.base import PersonStatus
from models.context import Context
from models.people import Person

log = logging.getLogger("entraide.tenant")

PARSE_LIMIT = 600  # characters; a longer message goes to the coordinators whole
MENU = ("menu:order", "menu:list", "menu:cancel", "menu:visit")


def intent(session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse) -> Reply:
    """The tenant's request by the parser's intent (changes to what is booked were seen first)."""
    lang = person.language
    if p.intent == "stop":
        return optout.stop(session, ctx, person).replies[0]
    if person.status is PersonStatus.PENDING and p.intent in (
        "order",
        "standing_order",
        "cancel",
        "pause",
        "list",
        "visit",
    ):
        return say(lang, "registration.pending", name=person.name)
    if p.intent in ("order", "standing_order"):
        return order_flow.start(session, ctx, person, p, msg)
    if p.intent == "cancel":
        return cancelling.cancel(session, ctx, person, p, msg)
    if p.intent == "pause":
        return cancelling.pause(session, ctx, person, p)
    if p.intent == "list":
        return listing.listing(session, ctx, person)
    if p.intent == "visit":
        return visit_requests.request(session, ctx, person, msg)
    if p.intent == "help":
        return help_reply(person, msg)
    if p.intent == "smalltalk":
        return say(lang, "smalltalk.reply", examples=_examples(ctx, lang))
    return forward(session, ctx, person, msg)


def help_reply(person: Person, msg: Inbound, welcome: bool = False) -> Reply:
    lang = person.language
    key = "help.sms" if msg.channel == "sms" else "help.buttons"
    text = t(lang, key)
    if welcome:
        text = t(lang, "help.welcome_back", name=person.name) + " " + text
    menu = tuple(Choice(v, t(lang, f"choice.{v.replace(':', '_')}")) for v in MENU)
    return Reply(text, lang, menu=menu if msg.channel != "sms" else ())


def role_help(person: Person) -> Reply:
    """Someone who is not a tenant (a volunteer, a supplier) wrote something we do not act on."""
    role = (
        "volunteer"
        if person.is_volunteer
        else "coordinator"
        if person.is_coordinator
        else "supplier"
    )
    name = person.name.split()[0] if person.name else ""
    if role == "coordinator":  # the greeting lists every command, in one place (coord.help)
        return say(
            person.language,
            "help.coordinator",
            name=name,
            commands=t(person.language, "coord.help"),
        )
    return say(person.language, f"help.{role}", name=name)


def menu(session: Session, ctx: Context, person: Person, value: str) -> Reply:
    lang = person.language
    if value == "menu:list":
        return listing.listing(session, ctx, person)
    if value == "menu:visit":
        return visit_requests.request(
            session, ctx, person, Inbound("console", "", "", "", ctx.now())
        )
    if value == "menu:cancel":
        return say(lang, "help.how_to_cancel")
    return say(lang, "help.how_to_order", examples=_examples(ctx, lang))


def forward(
    session: Session, ctx: Context, person: Person, msg: Inbound, long: bool = False
) -> Reply:
    """Something we cannot act on: the coordinators see it with who and where; nothing is lost.

    Not while a number floods us (the loop guard): the inbound rows keep the texts, and the
    coordinators got one alert about the flood instead of one per message."""
    if session.info.get("quiet"):
        return say(person.language, "other.forwarded")
    tell_coordinators(
        session,
        ctx,
        person.site_id,
        f"forward:{msg.channel}:{msg.external_id}",
        "coordinator.forward",
        alert=AlertKind.FORWARD,
        about=person,
        origin=(msg.channel, msg.address),
        name=person.name,
        where=per_reader(lambda lang: say_address(person, lang)),
        text=msg.text[:700],
    )
    return say(person.language, "other.forwarded")


def _examples(ctx: Context, lang: str) -> str:
    return t(lang, "common.example_order")


__all__ = ["intent", "read_date"]
