"""What must reach a human, and questions about the service.

A fall, pain, a stay in hospital, "personne n'est passé", a new door code: the coordinators get
the message at once (marked urgent for health and safety), whatever else the message asks,
which is still handled. A door code or access note is kept on the person, where volunteers see
it. A question about how the service works is answered from the site's FAQ (`entraide.toml`,
else the catalogue's answer built from the configuration); one it does not cover goes to the
coordinators with the person's name.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from handlers.nlu import Parse
from handlers.nlu.vocabulary import ACCESS
from handlers.notify import per_reader, tell_coordinators
from handlers.replies import fold, say
from handlers.texts import t
from handlers.texts.formats import address as say_address
from handlers.texts.formats import clock_time, listing
from handlers.texts.formats import weekdays as say_weekdays
from handlers.types import Inbound, Reply
from models.alerts import AlertKind
from models.context import Context
from models.people import Person

NOTE_LIMIT = 200  # the profile's notes column


def forward_alert(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse
) -> Reply | None:
    """Tell the coordinators (once per message); keep an access note. The tenant's reply."""
    kind = p.frame.alert
    if kind is None:
        return None
    lang = person.language
    folded = f" {fold(msg.text)} "
    if kind == "access" or any(f" {w} " in folded for w in ACCESS):  # a code beside a fall too
        note = access_note(msg.text)
        profile = person.tenant
        if note and profile is not None:
            kept = [n for n in (profile.notes or "").split(" | ") if n and n != note]
            profile.notes = " | ".join([*kept, note])[-NOTE_LIMIT:]
    if not session.info.get("quiet"):
        tell_coordinators(
            session,
            ctx,
            person.site_id,
            f"alert:{msg.channel}:{msg.external_id}",
            f"coordinator.alert_{kind}",
            alert=AlertKind(kind),
            about=person,
            origin=(msg.channel, msg.address),
            name=person.name,
            where=per_reader(lambda lang: say_address(person, lang)),
            phone=person.phone or "",
            text=msg.text[:700],
        )
    return say(lang, f"alert.{kind}")


def access_note(text: str) -> str:
    """The sentence that gives the code or the access ("le code a changé : 4521B")."""
    for part in re.split(r"[.!?\n;]+", text):
        folded = f" {fold(part)} "
        if any(f" {w} " in folded for w in ACCESS):
            return " ".join(part.split())[:NOTE_LIMIT]
    return " ".join(text.split())[:NOTE_LIMIT]


def answer_faq(ctx: Context, person: Person, topic: str, msg: Inbound) -> Reply:
    lang = person.language
    site = ctx.site(person.site_id)
    own = site.faq.get(topic, {})  # type: ignore[call-overload]
    if lang in own:
        return Reply(own[lang], lang)
    if topic == "days":
        text = t(lang, "faq.days", days=say_weekdays(list(site.delivery_weekdays), lang),
                 cutoff=clock_time(site.order_cutoff, lang))  # fmt: skip
    elif topic == "items":
        names = [ctx.config.item_name(k, lang, 2) for k in ctx.config.catalogue]
        limits = [
            f"{item.max_per_delivery} {ctx.config.item_name(k, lang, item.max_per_delivery)}"
            for k, item in ctx.config.catalogue.items()
        ]
        text = t(lang, "faq.items", items=listing(names, lang), limits=listing(limits, lang))
    else:
        text = t(lang, f"faq.{topic}")
    return Reply(text, lang)
