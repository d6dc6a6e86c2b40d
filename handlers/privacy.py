"""A tenant's own data: "OUBLIER" / "/oublier" erases it after one confirmation.

The confirmation is the reply to the tenant's own message, so it reaches them even though,
once the transaction commits, we no longer know their number.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from handlers.nlu.vocabulary import FORGET_WORDS
from handlers.notify import tell_coordinators
from handlers.people_admin import audit
from handlers.replies import choices, fold, pick, say
from handlers.types import Inbound, Reply
from handlers.var_files import mentioning, scrub_files, spelled
from models.context import Context
from models.conversation import clear_state, set_state
from models.erasure import traces_of
from models.people import Person
from models.privacy import erase, export

log = logging.getLogger("entraide.privacy")

KIND = "confirm_forget"


def asks_to_forget(msg: Inbound) -> bool:
    return msg.command in ("oublier", "forget") or fold(msg.text) in FORGET_WORDS


def start(session: Session, ctx: Context, person: Person) -> Reply:
    lang = person.language
    set_state(
        session,
        f"person:{person.id}",
        KIND,
        {"choices": ["yes", "no"]},
        ctx.now(),
        ctx.draft_ttl,
        person.id,
    )
    return say(lang, "privacy.confirm", choices=choices(lang, "yes", "no"))


def answer(
    session: Session, ctx: Context, person: Person, data: dict[str, Any], msg: Inbound
) -> Reply | None:
    got = pick(msg, ["yes", "no"], person.language)
    if got is None:
        return None
    clear_state(session, f"person:{person.id}")
    lang = person.language
    if got == "no":
        return say(lang, "privacy.kept")
    forget(session, ctx, person, actor=person)
    return say(lang, "privacy.erased")


def forget(session: Session, ctx: Context, person: Person, actor: Person | str) -> dict[str, int]:
    """Erase, in the database and in the files under var/ (exports, round sheets), write the
    audit line (without the name), tell coordinators that a person of the site was erased
    (not who: that is the point)."""
    site_id, pid = person.site_id, person.id
    spelling = spelled(person)
    traces = traces_of(session, person, spelling)
    counts = erase(session, person, ctx.now(), spelling)
    counts["files"] = scrub_files(traces, pid)
    audit(
        session,
        ctx,
        actor if not isinstance(actor, Person) or actor.id != pid else "the person",
        "forget",
        f"person:{pid}",
        **counts,
    )
    tell_coordinators(session, ctx, site_id, f"erased:{pid}", "coordinator.erased", id=pid)
    log.info("person #%d erased", pid)
    return counts


def access(session: Session, person: Person) -> dict[str, Any]:
    """Everything stored about the person (right of access): what erasure would reach, rows and
    files alike, so the person sees what `forget` takes away."""
    spelling = spelled(person)
    data = export(session, person, spelling)
    data["files_under_var"] = mentioning(traces_of(session, person, spelling), person.id)
    return data
