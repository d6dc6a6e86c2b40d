"""STOP and START: opting out of every message, and coming back.

Twilio itself treats STOP, STOPALL, UNSUBSCRIBE, END, QUIT, REVOKE, OPTOUT and CANCEL as an
opt-out on SMS (and START, UNSTOP as a return), so we must too: a tenant who texts a bare
"CANCEL" meaning "cancel my order" is unsubscribed by Twilio whatever we do. We say so, and how
to come back, and point to "annuler ma commande".
"""

from __future__ import annotations

import logging
import re

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers.nlu.cues import RESUME
from handlers.nlu.vocabulary import START_WORDS, STOP_WORDS
from handlers.notify import tell_coordinators
from handlers.replies import fold, say
from handlers.types import Inbound, Outcome
from models.alerts import AlertKind
from models.base import OutboxStatus
from models.context import Context
from models.conversation import clear_state
from models.messages import OutboxMessage
from models.people import Person
from models.phones import mask

log = logging.getLogger("entraide.optout")


def bare_word(msg: Inbound) -> str:
    return fold(msg.text).replace(" ", "") if len(msg.text) <= 20 else ""


def wants_back(msg: Inbound) -> bool:
    """ "Je veux reprendre les livraisons", "start again please", "je me suis trompé de touche":
    someone who said STOP and asks to come back (a short message; START said in a sentence)."""
    text = msg.text.strip()
    if not text or len(text) > 300:
        return False
    words = set(fold(text).split())
    return bool(words & START_WORDS) or RESUME.search(fold(text)) is not None


def is_stop_word(msg: Inbound) -> bool:
    """STOP alone, opening the message ("STOP. Je rentre à l'hôpital demain…") or closing it in
    capitals ("non laissez tomber, je veux plus rien recevoir. ARRET")."""
    if bare_word(msg) in STOP_WORDS or msg.command == "stop":
        return True
    text = msg.text.strip()
    sentences = [x.strip() for x in re.split(r"[.!\n]", text) if x.strip()]
    if len(sentences) < 2:
        return False
    first, last = sentences[0], sentences[-1]
    if len(first) <= 20 and fold(first).replace(" ", "") in STOP_WORDS:
        return True
    for x in sentences[1:]:  # "Non laissez tomber. STOP, ma fille me fait les courses"
        head = re.match(r"([A-ZÀ-Ý]{4,})\b\s*,", x)
        if head is not None and fold(head.group(1)) in STOP_WORDS:
            return True
    return len(last) <= 20 and last.isupper() and fold(last).replace(" ", "") in STOP_WORDS


def after_start(text: str) -> str:
    """What follows the sentence that says START ("… START. et une baguette pour mercredi"):
    a request of its own, read once the person is back ("" when there is none)."""
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    for k, part in enumerate(parts):
        if set(fold(part).split()) & START_WORDS:
            rest = " ".join(parts[k + 1 :]).strip()
            return rest if re.search(r"[^\W\d_]{3}", rest) else ""
    return ""


def handle(session: Session, ctx: Context, person: Person, msg: Inbound) -> Outcome | None:
    """Deal with STOP/START and with anyone who opted out; None when it is not our business."""
    word = bare_word(msg)
    if person.opted_out_at is not None:
        if word in START_WORDS or msg.command == "start" or word == "yes" or wants_back(msg):
            return Outcome([resume(session, ctx, person)])
        if msg.channel == "sms":
            # Twilio refuses to deliver to a number that opted out (error 21610): answering
            # would only log a failure. The message is recorded; coordinators see it.
            log.info("sms %s opted out: message recorded, no reply", mask(person.phone))
            return Outcome(silent=True)
        return Outcome([say(person.language, "stop.still_stopped")])
    if is_stop_word(msg):
        return stop(session, ctx, person, twilio_word=word == "cancel")
    # Telegram's "/start" (or a coordinator's typed one) opens the chat: the router greets, a
    # coordinator with the commands; only a START written by someone not stopped is answered here.
    opening = msg.command == "start" or (person.is_coordinator and msg.text.startswith("/"))
    if word in START_WORDS and not opening:
        return Outcome([say(person.language, "stop.not_stopped")])
    return None


def stop(session: Session, ctx: Context, person: Person, *, twilio_word: bool = False) -> Outcome:
    """Opt out: nothing more of any kind after this one confirmation; orders suspended."""
    now = ctx.now()
    person.opted_out_at = now
    session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.person_id == person.id,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.CANCELLED, last_error="recipient opted out")
    )
    clear_state(session, f"person:{person.id}")
    tell_coordinators(
        session,
        ctx,
        person.site_id,
        f"stop:{person.id}:{now:%Y%m%d%H%M}",
        "coordinator.stopped",
        alert=AlertKind.STOP,
        about=person,
        name=person.name,
    )
    key = "stop.confirmed_cancel_word" if twilio_word else "stop.confirmed"
    return Outcome([say(person.language, key)])


def resume(session: Session, ctx: Context, person: Person) -> object:
    now = ctx.now()
    person.opted_out_at = None
    tell_coordinators(
        session,
        ctx,
        person.site_id,
        f"start:{person.id}:{now:%Y%m%d%H%M}",
        "coordinator.resumed",
        name=person.name,
    )
    return say(person.language, "stop.resumed")
