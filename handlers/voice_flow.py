"""Phone calls, in the core: what the bot says next in a call, in neutral terms.

A transcription is less sure than a text, so a call adds three things around the same
conversation: a new request is read back and acted on only after "oui" or the key 1; a low
confidence or a request the parser cannot act on is asked once more, then a keypad menu takes
over, then the call ends kindly and the coordinators are told (nobody is left in a loop); and
what the tenant says goes through `handlers.inbound` like any text (same parser, same rules,
same STOP). The adapter (bot/channels/voice.py) renders a `VoiceTurn` as TwiML; the console
(`entraide call`) prints it. Each webhook is recorded once by `handlers.voice_inbound`; the
call's own state (misses, the request awaiting "oui", the keypad) is `handlers.voice_call`'s.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from handlers import changes, inbound, router
from handlers.lexicon import lexicon_for
from handlers.nlu import Parse, parse, read_yes_no
from handlers.notify import tell_coordinators
from handlers.texts import t
from handlers.texts.formats import items
from handlers.texts.speech import for_the_ear
from handlers.types import Inbound
from handlers.voice_call import (
    CHANNEL,
    call_key,
    ear,
    known,
    listen,
    new_call,
    open_question,
    queued_texts,
    save,
)
from handlers.voice_types import CallEvent, VoiceTurn
from handlers.voice_words import choices_said, readback
from models.context import Context
from models.conversation import clear_state, get_state
from models.people import Person

# Requests read back before anything is done; the others (a list, help, a question, an alert)
# change nothing and are answered at once.
CONFIRMED = frozenset({"order", "standing_order", "cancel", "pause", "visit", "stop"})
KEYPAD_AFTER = 2  # misses before the keypad menu
GIVE_UP_AFTER = 3  # misses before the call ends and a volunteer calls back
SILENCES = 2  # unanswered questions before the call ends the same way


def next_turn(session: Session, ctx: Context, ev: CallEvent) -> VoiceTurn:
    """What the call does after this webhook (recording it once is `voice_inbound`'s job)."""
    if ev.step == "start":
        return _start(session, ctx, ev)
    if ev.step == "outbound":
        return _outbound(session, ctx, ev)
    if ev.step == "recorded":
        return _recorded(session, ctx, ev)
    return _gather(session, ctx, ev)


# --- the steps ---------------------------------------------------------------------------------
def _start(session: Session, ctx: Context, ev: CallEvent) -> VoiceTurn:
    """A call comes in: a known caller is greeted by name and asked; a stranger may record."""
    person = known(session, ev.phone)
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
    data = new_call(person)
    data["prompt"] = [t(lang, "voice.greeting", name=person.name)]
    return save(session, ctx, ev, person, data, listen(ctx, person, (greeting,), 1))


def _outbound(session: Session, ctx: Context, ev: CallEvent) -> VoiceTurn:
    """Our call was answered: every message waiting for this person, one after another; the
    answer (where one is asked, "Dites non si…") goes to the same handlers as a text."""
    person = known(session, ev.phone)
    texts = queued_texts(session, ev)
    lang = person.language if person is not None else ctx.config.sites[0].language
    name = person.name if person is not None else ""
    hello = for_the_ear(t(lang, "voice.outbound_hello", name=name), lang)
    if ev.machine or person is None:
        return VoiceTurn(lang, (hello, for_the_ear(t(lang, "voice.machine"), lang)))
    said = [hello] + [for_the_ear(text, lang) for text in texts]
    # Listen once, as a text can be answered: "non" to a visit (an open question), "annuler"
    # after a delivery reminder (a request, read back first). Silence is a goodbye.
    data = new_call(person) | {"done": True, "outbound": True}
    data["answering"] = open_question(session, ctx, person) is not None
    data["prompt"] = [*texts]
    said.append(for_the_ear(t(lang, "voice.outbound_answer"), lang))
    return save(session, ctx, ev, person, data, listen(ctx, person, tuple(said), 1))


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
    state = get_state(session, call_key(ev.sid), ctx.now())
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
    site = ctx.site(person.site_id)
    unsure = bool(text) and ev.confidence is not None and ev.confidence < site.voice.min_confidence
    open_kind = open_question(session, ctx, person)
    if data.get("answering") or open_kind:
        if unsure:  # the question once more, in its own words
            return _miss(session, ctx, ev, person, data, keep_prompt=True)
        p = parse(text, ctx.today(site), None, lexicon=lexicon_for(ctx.config)) if text else None
        if not (p and open_kind and _new_request(p, open_kind)):
            return _through_core(session, ctx, ev, person, data, heard)
        data["answering"] = False  # a request of its own, not an answer: read back first
    elif digits and not text:
        return _keypad_menu(session, ctx, ev, person, data, ())
    elif unsure:
        return _miss(session, ctx, ev, person, data)
    else:
        p = parse(text, ctx.today(site), None, lexicon=lexicon_for(ctx.config))
    if p.clarify:
        data["misses"] = data.get("misses", 0) + 1
        if data["misses"] >= KEYPAD_AFTER:
            return _keypad_menu(session, ctx, ev, person, data, ())
        return _through_core(session, ctx, ev, person, data, text, counted=True)
    if p.intent in CONFIRMED and not _core_confirms(p):
        data["pending"] = text
        data["prompt"] = [readback(ctx, person, p, text), t(lang, "voice.confirm")]
        return save(session, ctx, ev, person, data, listen(ctx, person, ear(data, lang), ev.n + 1))
    return _through_core(session, ctx, ev, person, data, text)


def _core_confirms(p: Parse) -> bool:
    """A request the conversation itself confirms before acting ("annuler" alone: "Annuler
    votre livraison de jeudi… ?"): read back twice, it would be asked twice."""
    return p.intent == "cancel" and p.date is None and not p.weekdays


def _new_request(p: Parse, open_kind: str) -> bool:
    """A request that drops the open question (the router's rule) and changes what is booked:
    it is read back before "oui", like any new request."""
    return (
        p.intent in CONFIRMED
        and not p.clarify
        and not _core_confirms(p)
        and router.standalone(p, open_kind)
    )


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
        return save(session, ctx, ev, person, data, listen(ctx, person, ear(data, lang), ev.n + 1))
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
    stopped_before = person.opted_out_at is not None
    outcome = inbound.handle(session, ctx, msg)
    lang = person.language  # "in English please" may have changed it
    written = [r.text for r in outcome.replies]
    last = outcome.replies[-1] if outcome.replies else None
    asking = bool(last and last.choices) or open_question(session, ctx, person) is not None
    if not counted and not asking:
        data["misses"] = 0
    if (person.opted_out_at is not None and not stopped_before) or person.erased_at is not None:
        # said STOP (or OUBLIER) just now: confirmed, then goodbye; one already stopped may
        # still say START in this call
        said = (*(for_the_ear(w, lang) for w in written), t(lang, "voice.goodbye"))
        clear_state(session, call_key(ev.sid))
        return VoiceTurn(lang, said)
    if asking:
        data["answering"] = True
        prompt = [*written]
        if last is not None and last.choices:
            prompt.append(choices_said(last))
    else:
        data["answering"] = False
        data["done"] = True
        prompt = [*written, t(lang, "voice.anything_else")]
    data["prompt"] = prompt
    return save(session, ctx, ev, person, data, listen(ctx, person, ear(data, lang), ev.n + 1))


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
    answering = data.get("pending") or data.get("answering")
    if data["misses"] >= KEYPAD_AFTER and not answering:
        return _keypad_menu(session, ctx, ev, person, data, ())
    if not keep_prompt:
        data["prompt"] = [t(lang, "voice.again")]
    return save(session, ctx, ev, person, data, listen(ctx, person, ear(data, lang), ev.n + 1))


def _silence(
    session: Session, ctx: Context, ev: CallEvent, person: Person, data: dict[str, Any]
) -> VoiceTurn:
    """No answer: the question once more; then goodbye (after something was done) or a
    volunteer calls back."""
    lang = person.language
    data["silences"] = data.get("silences", 0) + 1
    if data.get("done"):
        clear_state(session, call_key(ev.sid))
        return VoiceTurn(lang, (t(lang, "voice.goodbye"),))
    if data["silences"] >= SILENCES:
        return _give_up(session, ctx, ev, person, data)
    said = (t(lang, "voice.say_again"), *ear(data, lang))
    return save(session, ctx, ev, person, data, listen(ctx, person, said, ev.n + 1))


def _give_up(
    session: Session, ctx: Context, ev: CallEvent, person: Person, data: dict[str, Any]
) -> VoiceTurn:
    lang = person.language
    tell_callback(session, ctx, person, ev, data.get("heard", []))
    clear_state(session, call_key(ev.sid))
    return VoiceTurn(lang, (t(lang, "voice.give_up"),))


def tell_callback(
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
    turn = listen(ctx, person, ear(data, lang), ev.n + 1, keys=True)
    return save(session, ctx, ev, person, data, turn)


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
            turn = listen(ctx, person, ear(data, lang), ev.n + 1, keys=True)
            return save(session, ctx, ev, person, data, turn)
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
    said = (t(lang, "voice.keypad_wrong"), *ear(data, lang))
    return save(session, ctx, ev, person, data, listen(ctx, person, said, ev.n + 1, keys=True))
