"""What a call says besides the conversation's replies: the read-back of a request before
"oui", the choices offered as keys, and the words Twilio's recogniser should expect."""

from __future__ import annotations

from handlers.nlu import Parse
from handlers.texts import t
from handlers.texts.formats import WEEKDAY_KEYS, day, items, weekdays
from handlers.types import Reply
from models.context import Context
from models.people import Person


def readback(ctx: Context, person: Person, p: Parse, heard: str) -> str:
    """What was understood, to be confirmed ("Deux baguettes, jeudi 26 novembre."). A change
    to what is booked (a move, a swap, an item refused, several days…) is read back in the
    words heard: restating it otherwise would be a second parser, and a wrong one."""
    if _changes_booked(p):
        said = t(person.language, "voice.readback.heard", text=heard.strip().rstrip(".!?"))
    else:
        said = _understood(ctx, person, p)
    return said[:1].upper() + said[1:]


def _changes_booked(p: Parse) -> bool:
    f = p.frame
    return bool(
        f.move
        or f.swap
        or f.quantity
        or f.segments
        or f.refused
        or f.removing
        or f.adding
        or f.correcting
        or f.usual
        or f.only
        or f.to_day
        or f.loose_move
    )


def _understood(ctx: Context, person: Person, p: Parse) -> str:
    lang = person.language
    what = items(p.items, lang, ctx.item_names)
    if p.intent == "order" and what:
        if p.date is None:
            return t(lang, "voice.readback.order_next", items=what)
        return t(lang, "voice.readback.order", items=what, day=day(p.date, lang))
    if p.intent == "standing_order" and what and p.weekdays:
        return t(lang, "voice.readback.standing", items=what, weekdays=weekdays(p.weekdays, lang))
    if p.intent == "cancel":
        if p.weekdays:
            return t(lang, "voice.readback.cancel_weekdays", weekdays=weekdays(p.weekdays, lang))
        if p.date is None:
            return t(lang, "voice.readback.cancel_next")
        return t(lang, "voice.readback.cancel", day=day(p.date, lang))
    if p.intent == "pause" and p.date is None and p.until is not None:
        return t(lang, "voice.readback.pause_until", until=day(p.until, lang))
    if p.intent == "pause" and p.date is not None:
        if p.until is None:
            return t(lang, "voice.readback.pause_from", start=day(p.date, lang))
        return t(lang, "voice.readback.pause", start=day(p.date, lang), until=day(p.until, lang))
    if p.intent == "visit":
        return t(lang, "voice.readback.visit")
    if p.intent == "stop":
        return t(lang, "voice.readback.stop")
    return t(lang, "voice.readback.request")


def choices_said(reply: Reply) -> str:
    values = [c.value for c in reply.choices]
    if values == ["yes", "no"]:
        return t(reply.lang, "voice.yes_no")
    options = ", ".join(
        t(reply.lang, "voice.choice", n=i, label=c.label.lower())
        for i, c in enumerate(reply.choices, 1)
    )
    return t(reply.lang, "voice.choices", options=options)


def hints(ctx: Context, lang: str) -> tuple[str, ...]:
    """Words Twilio's recogniser should expect: the catalogue's words and the weekday names."""
    words: list[str] = []
    for key, item in ctx.config.catalogue.items():
        words += [ctx.config.item_name(key, lang, 1), ctx.config.item_name(key, lang, 2)]
        words += list(item.synonyms.get(lang, ()))  # type: ignore[call-overload]
    words += [t(lang, f"weekdays.{k}") for k in WEEKDAY_KEYS]
    words += [t(lang, "choice.yes"), t(lang, "choice.no"), t(lang, "choice.cancel")]
    return tuple(dict.fromkeys(w.lower() for w in words))
