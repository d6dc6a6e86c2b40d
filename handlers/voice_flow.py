"""Phone calls, in the core: what the bot says next in a call, in neutral terms.

A transcription is less sure than a text, so a call adds three things around the same
conversation: a new request is read back and acted on only after "oui" or the key 1; a low
confidence or a request the parser cannot act on is asked once more, then a keypad menu takes
over, then the call ends kindly and the coordinators are told (nobody is left in a loop); and
what the tenant says goes through `handlers.inbound` like any text (same parser, same rules,
same STOP). The adapter (bot/channels/voice.py) renders a `VoiceTurn` as TwiML; the console
(`entraide call`) prints it.

Each webhook is recorded once by CallSid, step and number (`CA…:gather:2`, an inbound row of
the voice channel) with the turn it got: a retried request gets the same turn and acts once.
The call's own state (misses, the request awaiting "oui", the keypad) is a conversation state
keyed by the call, so a restart mid-call loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from handlers import changes, inbound
from handlers.lexicon import lexicon_for
from handlers.nlu import Parse, parse, read_yes_no
from handlers.notify import tell_coordinators
from handlers.texts import t
from handlers.texts.formats import WEEKDAY_KEYS, day, items, weekdays
from handlers.texts.speech import for_the_ear
from handlers.types import Inbound, Reply
from models.base import Channel
from models.context import Context
from models.conversation import clear_state, get_state, set_state
from models.db import insert_ignoring
from models.messages import InboundMessage, OutboxMessage
from models.people import Person, by_phone
from models.phones import mask

log = logging.getLogger("entraide.voice")

CHANNEL = Channel.VOICE.value
KIND = "voice_call"
CALL_TTL = timedelta(hours=2)
# Requests read back before anything is done; the others (a list, help, a question, an alert)
# change nothing and are answered at once.
CONFIRMED = frozenset({"order", "standing_order", "cancel", "pause", "visit", "stop"})
KEYPAD_AFTER = 2  # misses before the keypad menu
GIVE_UP_AFTER = 3  # misses before the call ends and a volunteer calls back
SILENCES = 2  # unanswered questions before the call ends the same way


@dataclass(frozen=True)
class CallEvent:
    """One webhook of a call, in neutral terms."""

    sid: str  # Twilio's CallSid
    phone: str  # the tenant's number (From inbound, To outbound)
    step: str  # "start", "gather", "recorded", "outbound"
    n: int = 0  # the step's number, carried by the action URL
    speech: str = ""
    confidence: float | None = None
    digits: str = ""
    recording_url: str = ""
    recording_seconds: int = 0
    machine: bool = False  # an answering machine took the outbound call
    rows: tuple[int, ...] = ()  # outbound: the outbox rows this call reads

    @property
    def key(self) -> str:
        return f"{self.sid}:{self.step}:{self.n}"[:64]


@dataclass(frozen=True)
class VoiceTurn:
    """What the call does next: sentences to say, then listen, record, or hang up."""

    lang: str
    say: tuple[str, ...]
    listen: str | None = None  # "speech" (words or keys), "keys" (keys only); None: hang up
    hints: tuple[str, ...] = ()
    record: bool = False  # an unknown caller leaves a message after the tone
    record_seconds: int = 60
    next_step: int = 1  # the number the answer's webhook carries
    extras: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "say": list(self.say),
            "listen": self.listen,
            "hints": list(self.hints),
            "record": self.record,
            "record_seconds": self.record_seconds,
            "next_step": self.next_step,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> VoiceTurn:
        return cls(
            lang=data["lang"],
            say=tuple(data["say"]),
            listen=data.get("listen"),
            hints=tuple(data.get("hints", ())),
            record=data.get("record", False),
            record_seconds=data.get("record_seconds", 60),
            next_step=data.get("next_step", 1),
        )


# --- entry points ------------------------------------------------------------------------------
def handle_call_safely(call: Callable[..., Any], ctx: Context, ev: CallEvent) -> VoiceTurn:
    """`handle_call` as one unit of work (`call` is Database.call); a replayed webhook gets the
    turn it got the first time. If the core fails, the caller hears that a volunteer will call
    back and the coordinators are told: a call never ends on silence."""
    for attempt in range(3):
        try:
            return call(handle_call, ctx, ev)  # type: ignore[no-any-return]
        except inbound.DuplicateRace:
            return call(replay, ev)  # type: ignore[no-any-return]
        except (OperationalError, InterfaceError):
            raise
        except IntegrityError:
            if attempt == 2:
                raise
        except Exception:
            log.exception("call %s: handling failed", mask(ev.sid))
            return call(_failed, ctx, ev)  # type: ignore[no-any-return]
    raise AssertionError("unreachable")


def handle_call(session: Session, ctx: Context, ev: CallEvent) -> VoiceTurn:
    """The next turn of a call; recorded under the webhook's key with the turn it got."""
    if ev.step == "start":
        turn = _start(session, ctx, ev)
    elif ev.step == "outbound":
        turn = _outbound(session, ctx, ev)
    elif ev.step == "recorded":
        turn = _recorded(session, ctx, ev)
    else:
        turn = _gather(session, ctx, ev)
    _record(session, ctx, ev, turn)
    return turn


def replay(session: Session, ev: CallEvent) -> VoiceTurn:
    """The turn a webhook already got (Twilio retried it)."""
    row = session.scalar(
        sa.select(InboundMessage).where(
            InboundMessage.channel == CHANNEL, InboundMessage.external_id == ev.key
        )
    )
    assert row is not None and row.reply is not None
    log.info("call %s %s: already answered, same turn again", mask(ev.sid), ev.step)
    return VoiceTurn.from_json(row.reply["turn"])


_INSERT = insert_ignoring(InboundMessage.__table__, ("channel", "external_id"))
_BLANK = {c.name: None for c in InboundMessage.__table__.columns if c.name != "id"}


def _record(session: Session, ctx: Context, ev: CallEvent, turn: VoiceTurn) -> None:
    person = by_phone(session, ev.phone)
    values = {
        "channel": CHANNEL,
        "external_id": ev.key,
        "address": ev.phone[:64],
        "person_id": person.id if person is not None else None,
        "text": (ev.speech or ev.digits or None),
        "received_at": ctx.now(),
        "handled_at": ctx.now(),
        "reply": {"turn": turn.to_json(), "replies": [], "silent": False},
    }
    if session.execute(_INSERT, _BLANK | values).scalar_one_or_none() is None:
        raise inbound.DuplicateRace(ev.key)


def _failed(session: Session, ctx: Context, ev: CallEvent) -> VoiceTurn:
    person = by_phone(session, ev.phone)
    lang = person.language if person is not None else ctx.config.sites[0].language
    _tell_callback(session, ctx, person, ev, [ev.speech or ev.digits])
    return VoiceTurn(lang, (t(lang, "voice.give_up"),))


# --- the steps ---------------------------------------------------------------------------------
def _start(session: Session, ctx: Context, ev: CallEvent) -> VoiceTurn:
    """A call comes in: a known caller is greeted by name and asked; a stranger may record."""
    person = _known(session, ev.phone)
    if person is None:
        site = ctx.config.sites[0]
        return VoiceTurn(
            site.language,
            (t(site.language, "voice.unknown"),),
            record=True,
            record_seconds=site.voice.record_seconds,
        )
    lang = person.language
    greeting = for_the_ear(t(lang, "voice.greeting", name=person.name), lang)
    data = _new_call(person)
    data["prompt"] = [t(lang, "voice.greeting", name=person.name)]
    return _save(session, ctx, ev, person, data, _listen(ctx, person, (greeting,), 1))


def _outbound(session: Session, ctx: Context, ev: CallEvent) -> VoiceTurn:
    """Our call was answered: every message waiting for this person, one after another; the
    answer (where one is asked, "Dites non si…") goes to the same handlers as a text."""
    person = _known(session, ev.phone)
    texts = _queued_texts(session, ev)
    lang = person.language if person is not None else ctx.config.sites[0].language
    name = person.name if person is not None else ""
    hello = for_the_ear(t(lang, "voice.outbound_hello", name=name), lang)
    if ev.machine or person is None:
        return VoiceTurn(lang, (hello, for_the_ear(t(lang, "voice.machine"), lang)))
    said = [hello] + [for_the_ear(text, lang) for text in texts]
    data = _new_call(person) | {"done": True, "outbound": True}
    if not _question_open(session, ctx, person):
        return VoiceTurn(lang, (*said, for_the_ear(t(lang, "voice.goodbye"), lang)))
    data["answering"] = True
    data["prompt"] = [*texts]
    said.append(for_the_ear(t(lang, "voice.outbound_answer"), lang))
    return _save(session, ctx, ev, person, data, _listen(ctx, person, tuple(said), 1))


def _recorded(session: Session, ctx: Context, ev: CallEvent) -> VoiceTurn:
    """An unknown caller's message: the coordinators are told where to hear it."""
    site = ctx.config.sites[0]
    if ev.recording_url:
        tell_coordinators(
            session,
            ctx,
            None,
            f"voice-recorded:{ev.sid}",
            "voice.coordinator_recorded",
            phone=ev.phone,
            seconds=ev.recording_seconds,
            url=ev.recording_url,
        )
    return VoiceTurn(site.language, (t(site.language, "voice.recorded"),))


def _gather(session: Session, ctx: Context, ev: CallEvent) -> VoiceTurn:
    state = get_state(session, _key(ev.sid), ctx.now())
    person = session.get(Person, state.data["person_id"]) if state is not None else None
    if state is None or person is None or person.erased_at is not None:
        lang = person.language if person is not None else ctx.config.sites[0].language
        return VoiceTurn(lang, (t(lang, "voice.goodbye"),))
    data = dict(state.data)
    lang = person.language
    text, digits = ev.speech.strip(), ev.digits.strip()
    heard = text or digits
    if heard:
        data["heard"] = [*data.get("heard", []), heard][-6:]
    if not heard:
        return _silence(session, ctx, ev, person, data)
    data["silences"] = 0
    if data.get("pending"):
        return _confirming(session, ctx, ev, person, data, text, digits)
    if data.get("keypad") is not None:
        return _keypad(session, ctx, ev, person, data, digits)
    if data.get("answering") or _question_open(session, ctx, person):
        return _through_core(session, ctx, ev, person, data, heard)
    if digits and not text:
        return _keypad_menu(session, ctx, ev, person, data, ())
    site = ctx.site(person.site_id)
    if ev.confidence is not None and ev.confidence < site.voice.min_confidence:
        return _miss(session, ctx, ev, person, data)
    p = parse(text, ctx.today(site), None, lexicon=lexicon_for(ctx.config))
    if p.clarify:
        data["misses"] = data.get("misses", 0) + 1
        if data["misses"] >= KEYPAD_AFTER:
            return _keypad_menu(session, ctx, ev, person, data, ())
        return _through_core(session, ctx, ev, person, data, text, counted=True)
    if p.intent in CONFIRMED:
        data["pending"] = text
        data["prompt"] = [_readback(ctx, person, p), t(lang, "voice.confirm")]
        return _save(
            session, ctx, ev, person, data, _listen(ctx, person, _ear(data, lang), ev.n + 1)
        )
    return _through_core(session, ctx, ev, person, data, text)


# --- the pieces --------------------------------------------------------------------------------
def _confirming(
    session: Session,
    ctx: Context,
    ev: CallEvent,
    person: Person,
    data: dict[str, Any],
    text: str,
    digits: str,
) -> VoiceTurn:
    lang = person.language
    yes = {"1": True, "2": False}.get(digits[:1]) if digits else read_yes_no(text, lang)
    if yes is True:
        pending = data.pop("pending")
        return _through_core(session, ctx, ev, person, data, pending)
    if yes is False:
        data["pending"] = None
        data["prompt"] = [t(lang, "voice.start_over")]
        return _save(
            session, ctx, ev, person, data, _listen(ctx, person, _ear(data, lang), ev.n + 1)
        )
    data["prompt"] = [t(lang, "voice.confirm_again")]
    return _miss(session, ctx, ev, person, data, keep_prompt=True)


def _through_core(
    session: Session,
    ctx: Context,
    ev: CallEvent,
    person: Person,
    data: dict[str, Any],
    text: str,
    *,
    counted: bool = False,
) -> VoiceTurn:
    """What the tenant said, handed to the conversation like a text; its replies, read out."""
    lang = person.language
    msg = Inbound(
        channel=CHANNEL,
        external_id=f"{ev.sid}:heard:{ev.n}"[:64],
        address=ev.phone,
        phone=ev.phone,
        text=text,
        received_at=ctx.now(),
    )
    outcome = inbound.handle(session, ctx, msg)
    lang = person.language  # "in English please" may have changed it
    written = [r.text for r in outcome.replies]
    last = outcome.replies[-1] if outcome.replies else None
    asking = bool(last and last.choices) or _question_open(session, ctx, person)
    if not counted and not asking:
        data["misses"] = 0
    if person.opted_out_at is not None or person.erased_at is not None:
        said = (*(for_the_ear(w, lang) for w in written), t(lang, "voice.goodbye"))
        clear_state(session, _key(ev.sid))
        return VoiceTurn(lang, said)
    if asking:
        data["answering"] = True
        prompt = [*written]
        if last is not None and last.choices:
            prompt.append(_choices(last))
    else:
        data["answering"] = False
        data["done"] = True
        prompt = [*written, t(lang, "voice.anything_else")]
    data["prompt"] = prompt
    return _save(session, ctx, ev, person, data, _listen(ctx, person, _ear(data, lang), ev.n + 1))


def _miss(
    session: Session,
    ctx: Context,
    ev: CallEvent,
    person: Person,
    data: dict[str, Any],
    *,
    keep_prompt: bool = False,
) -> VoiceTurn:
    """Not understood: once more, then the keypad, then a volunteer calls back."""
    lang = person.language
    data["misses"] = data.get("misses", 0) + 1
    if data["misses"] >= GIVE_UP_AFTER:
        return _give_up(session, ctx, ev, person, data)
    if data["misses"] >= KEYPAD_AFTER and not data.get("pending"):
        return _keypad_menu(session, ctx, ev, person, data, ())
    if not keep_prompt:
        data["prompt"] = [t(lang, "voice.again")]
    return _save(session, ctx, ev, person, data, _listen(ctx, person, _ear(data, lang), ev.n + 1))


def _silence(
    session: Session, ctx: Context, ev: CallEvent, person: Person, data: dict[str, Any]
) -> VoiceTurn:
    """No answer: the question once more; then goodbye (after something was done) or a
    volunteer calls back."""
    lang = person.language
    data["silences"] = data.get("silences", 0) + 1
    if data.get("done"):
        clear_state(session, _key(ev.sid))
        return VoiceTurn(lang, (t(lang, "voice.goodbye"),))
    if data["silences"] >= SILENCES:
        return _give_up(session, ctx, ev, person, data)
    said = (t(lang, "voice.say_again"), *_ear(data, lang))
    return _save(session, ctx, ev, person, data, _listen(ctx, person, said, ev.n + 1))


def _give_up(
    session: Session, ctx: Context, ev: CallEvent, person: Person, data: dict[str, Any]
) -> VoiceTurn:
    lang = person.language
    _tell_callback(session, ctx, person, ev, data.get("heard", []))
    clear_state(session, _key(ev.sid))
    return VoiceTurn(lang, (t(lang, "voice.give_up"),))


def _tell_callback(
    session: Session, ctx: Context, person: Person | None, ev: CallEvent, heard: list[str]
) -> None:
    tell_coordinators(
        session,
        ctx,
        person.site_id if person is not None else None,
        f"voice-callback:{ev.sid}",
        "voice.coordinator_callback",
        name=person.name if person is not None else ev.phone,
        phone=ev.phone,
        heard=" / ".join(h for h in heard if h)[:500] or "…",
    )


def _keypad_menu(
    session: Session,
    ctx: Context,
    ev: CallEvent,
    person: Person,
    data: dict[str, Any],
    before: tuple[str, ...],
) -> VoiceTurn:
    """Speech failed twice: the catalogue by keys, then the quantity by key."""
    lang = person.language
    clear_state(session, changes.state_key(person))  # a half-asked question would catch "2"
    data["keypad"] = {"item": None}
    data["answering"] = False
    lines = [t(lang, "voice.keypad_intro")]
    for n, key in enumerate(ctx.config.catalogue, 1):
        lines.append(t(lang, "voice.keypad_item", item=ctx.config.item_name(key, lang, 2), n=n))
    data["prompt"] = [*before, *lines]
    turn = _listen(ctx, person, _ear(data, lang), ev.n + 1, keys=True)
    return _save(session, ctx, ev, person, data, turn)


def _keypad(
    session: Session,
    ctx: Context,
    ev: CallEvent,
    person: Person,
    data: dict[str, Any],
    digits: str,
) -> VoiceTurn:
    lang = person.language
    keys = list(ctx.config.catalogue)
    chosen = data["keypad"].get("item")
    n = int(digits[:1]) if digits[:1].isdigit() else 0
    if chosen is None:
        if 1 <= n <= len(keys):
            item = keys[n - 1]
            data["keypad"] = {"item": item}
            top = ctx.config.catalogue[item].max_per_delivery
            data["prompt"] = [
                t(lang, "voice.keypad_quantity", item=ctx.config.item_name(item, lang, 2), max=top)
            ]
            turn = _listen(ctx, person, _ear(data, lang), ev.n + 1, keys=True)
            return _save(session, ctx, ev, person, data, turn)
    else:
        top = ctx.config.catalogue[chosen].max_per_delivery
        if 1 <= n <= top:
            data["keypad"] = None
            data["misses"] = 0
            order = items({chosen: n}, lang, ctx.item_names)
            return _through_core(session, ctx, ev, person, data, order)
    data["misses"] = data.get("misses", 0) + 1
    if data["misses"] >= GIVE_UP_AFTER:
        return _give_up(session, ctx, ev, person, data)
    said = (t(lang, "voice.keypad_wrong"), *_ear(data, lang))
    return _save(session, ctx, ev, person, data, _listen(ctx, person, said, ev.n + 1, keys=True))


def _readback(ctx: Context, person: Person, p: Parse) -> str:
    said = _understood(ctx, person, p)
    return said[:1].upper() + said[1:]


def _understood(ctx: Context, person: Person, p: Parse) -> str:
    """What was understood, to be confirmed ("Deux baguettes, jeudi 26 novembre.")."""
    lang = person.language
    what = items(p.items, lang, ctx.item_names)
    if p.intent == "order" and what:
        if p.date is None:
            return t(lang, "voice.readback.order_next", items=what)
        return t(lang, "voice.readback.order", items=what, day=day(p.date, lang))
    if p.intent == "standing_order" and what and p.weekdays:
        return t(lang, "voice.readback.standing", items=what, weekdays=weekdays(p.weekdays, lang))
    if p.intent == "cancel":
        if p.date is None:
            return t(lang, "voice.readback.cancel_next")
        return t(lang, "voice.readback.cancel", day=day(p.date, lang))
    if p.intent == "pause" and p.date is not None:
        if p.until is None:
            return t(lang, "voice.readback.pause_from", start=day(p.date, lang))
        return t(lang, "voice.readback.pause", start=day(p.date, lang), until=day(p.until, lang))
    if p.intent == "visit":
        return t(lang, "voice.readback.visit")
    if p.intent == "stop":
        return t(lang, "voice.readback.stop")
    return t(lang, "voice.readback.request")


def _choices(reply: Reply) -> str:
    values = [c.value for c in reply.choices]
    if values == ["yes", "no"]:
        return t(reply.lang, "voice.yes_no")
    options = ", ".join(
        t(reply.lang, "voice.choice", n=i, label=c.label.lower())
        for i, c in enumerate(reply.choices, 1)
    )
    return t(reply.lang, "voice.choices", options=options)


# --- state -------------------------------------------------------------------------------------
def _key(sid: str) -> str:
    return f"call:{sid}"


def _new_call(person: Person) -> dict[str, Any]:
    return {
        "person_id": person.id,
        "misses": 0,
        "silences": 0,
        "pending": None,
        "keypad": None,
        "answering": False,
        "done": False,
        "heard": [],
        "prompt": [],
    }


def _save(
    session: Session,
    ctx: Context,
    ev: CallEvent,
    person: Person,
    data: dict[str, Any],
    turn: VoiceTurn,
) -> VoiceTurn:
    set_state(session, _key(ev.sid), KIND, data, ctx.now(), CALL_TTL, person.id)
    return turn


def _ear(data: dict[str, Any], lang: str) -> tuple[str, ...]:
    return tuple(for_the_ear(text, lang) for text in data.get("prompt", []))


def _listen(
    ctx: Context, person: Person, said: tuple[str, ...], step: int, *, keys: bool = False
) -> VoiceTurn:
    return VoiceTurn(
        person.language,
        said,
        listen="keys" if keys else "speech",
        hints=hints(ctx, person.language),
        next_step=step,
    )


def hints(ctx: Context, lang: str) -> tuple[str, ...]:
    """Words Twilio's recogniser should expect: the catalogue's words and the weekday names."""
    words: list[str] = []
    for key, item in ctx.config.catalogue.items():
        words += [ctx.config.item_name(key, lang, 1), ctx.config.item_name(key, lang, 2)]
        words += list(item.synonyms.get(lang, ()))  # type: ignore[call-overload]
    words += [t(lang, f"weekdays.{k}") for k in WEEKDAY_KEYS]
    words += [t(lang, "choice.yes"), t(lang, "choice.no"), t(lang, "choice.cancel")]
    return tuple(dict.fromkeys(w.lower() for w in words))


def _known(session: Session, phone: str) -> Person | None:
    person = by_phone(session, phone)
    if person is None or person.erased_at is not None:
        return None
    return person


def _question_open(session: Session, ctx: Context, person: Person) -> bool:
    """Whether the conversation waits for this person's answer (the next words answer it)."""
    state = get_state(session, changes.state_key(person), ctx.now())
    return state is not None and state.kind != changes.LAST and not state.kind.startswith("coord_")


def _queued_texts(session: Session, ev: CallEvent) -> list[str]:
    """The texts of the outbox rows this call was placed for, in order."""
    if not ev.rows:
        return []
    rows = session.scalars(
        sa.select(OutboxMessage)
        .where(
            OutboxMessage.id.in_(ev.rows),
            OutboxMessage.channel == CHANNEL,
            OutboxMessage.address == ev.phone,
        )
        .order_by(OutboxMessage.id)
    ).all()
    return [Reply.from_json(r.payload).text for r in rows]


def with_step(ev: CallEvent, **changes_: Any) -> CallEvent:
    """The same call, a later webhook (for the console, which has no URLs to follow)."""
    return replace(ev, **changes_)
