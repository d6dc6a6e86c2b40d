"""One router for every message of a known person: parse once, then answer the open question
or act on the request, by one table of states and one order of rules.

The rules, in order:
1. Language words, erasure (OUBLIER) and its confirmation.
2. An open question is answered only by an answer (yes/no, a number, an item, a day, a choice).
   A message that stands on its own (a complete order, a cancel, a pause, STOP, a visit, a
   question, a list) is handled as that request; the question is dropped and the reply says so.
   STOP wins in every state.
3. Role commands (coordinators, volunteers), then the tenant's request: what must reach a human
   is forwarded first (a fall, a door code), questions about the service are answered, changes
   to what is booked touch only what they name, and the rest goes by intent (`tenant`).

`ANSWERS` is the one table of question kinds: each flow owns the kinds it sets and the function
that reads their answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from handlers import (
    antecedents,
    cancelling,
    changes,
    coordinator,
    habit_changes,
    listing,
    move_target,
    narrowed,
    optout,
    order_flow,
    pause_edges,
    privacy,
    repeats,
    reverts,
    swaps,
    taken_off,
    tenant,
    touched,
    visit_requests,
    volunteer,
)
from handlers.attention import answer_faq, forward_alert
from handlers.lexicon import lexicon_for
from handlers.nlu import Parse, parse, read_quantity
from handlers.nlu.calendar_words import WEEKDAY_KEYS
from handlers.nlu.calendar_words import WEEKDAYS as SAID_WEEKDAYS
from handlers.nlu.cues import (
    AGAIN,
    IN_ALL_N,
    MOVE_PRONOUN,
    NONE_OF_IT,
    NOT_THERE,
    ON_TOP,
    OWNED_DAY,
    WITH_IT,
)
from handlers.nlu.dates import Day, resolve
from handlers.nlu.frames import OF_NEXT_WEEK, UNCHANGED
from handlers.nlu.vocabulary import LANGUAGE_WORDS, MOVE_VERBS
from handlers.replies import fold, say
from handlers.texts import t
from handlers.texts.formats import day as say_day
from handlers.texts.formats import items as say_items
from handlers.texts.formats import listing as say_listing
from handlers.texts.formats import weekdays as say_weekdays
from handlers.types import Inbound, Reply
from models.base import PersonStatus
from models.config import WEEKDAYS
from models.context import Context
from models.conversation import clear_state, get_state, pop_lapsed, set_state
from models.orders import active_pauses
from models.people import Person
from models.rules import Verdict, delivers, over_limit

PARSE_LIMIT = tenant.PARSE_LIMIT

Answer = Callable[[Session, Context, Person, dict[str, Any], Inbound, Parse | None], Reply | None]

ANSWERS: dict[str, Answer] = {
    order_flow.KIND: order_flow.answer,
    cancelling.PAUSE_END: cancelling.answer_pause_end,
    visit_requests.VISIT_CONFIRM: visit_requests.answer_visit,
    cancelling.CONFIRM_CANCEL: cancelling.answer_confirm,
    cancelling.CONFIRM_CANCEL_ALL: cancelling.answer_confirm,
    cancelling.PAUSE_ORDERS: cancelling.answer_confirm,
    move_target.KIND: move_target.answer,
}


def handle(session: Session, ctx: Context, person: Person, msg: Inbound) -> list[Reply]:
    """One message of a known person. A tenant's coming days are read once before a message
    that may change them (the cut-off snapshot and the conversation's memory, `touched`), and
    the memory noted after it."""
    watching: list[touched.Watch] = []
    replies = _handle(session, ctx, person, msg, watching)
    if watching:
        touched.note(session, ctx, person, watching[0])
    return replies


def _may_change(p: Parse | None, asked: bool) -> bool:
    """Whether a message may change what is booked: not "mes commandes" or a question about
    the service (issue 17: those skip the read of the coming days). Small talk may ("sorry, I
    got them the wrong way round"); an answer to an open question always may."""
    if p is None:
        return False
    if asked or p.items or p.frame.days or p.frame.named or p.frame.loose or p.weekdays:
        return True
    return p.intent not in ("help", "list", "visit")


def _handle(
    session: Session,
    ctx: Context,
    person: Person,
    msg: Inbound,
    watching: list[touched.Watch],
) -> list[Reply]:
    lang = person.language
    folded = fold(msg.text)
    if folded in LANGUAGE_WORDS and not msg.choice:
        person.language = LANGUAGE_WORDS[folded]
        return [say(person.language, "common.language_set")]
    key = order_flow.key(person)
    now = ctx.now()
    lapsed = pop_lapsed(session, key, now)
    state = get_state(session, key, now)
    if state is not None and state.kind == changes.LAST:
        state = None  # the order just made: a memory for corrections, not a question
    if state is not None and state.kind == privacy.KIND:
        replied = privacy.answer(session, ctx, person, dict(state.data), msg)
        if replied is not None:
            return [replied]
        clear_state(session, key)
        state = None
    if privacy.asks_to_forget(msg):
        return [privacy.start(session, ctx, person)]
    p = read(ctx, person, msg)
    if p is not None and person.is_tenant:
        p = _in_conversation(session, ctx, person, p, msg.text)
    seen = None
    if person.is_tenant and _may_change(p, state is not None):
        seen = touched.watch(session, ctx, person)
        watching.append(seen)
    dropped = False
    if state is not None and not state.kind.startswith("coord_") and p is not None:
        both = _answer_then_more(session, ctx, person, state.kind, dict(state.data), msg)
        if both is not None:  # "deux. ah et est-ce que c'est payant ?", "lundi. et mercredi…"
            return [both]
    if state is not None and not state.kind.startswith("coord_"):
        if p is not None and (p.intent == "stop" or standalone(p, state.kind, msg.text)):
            clear_state(session, key)
            dropped = p.intent != "stop"
            p = _without_draft_items(p, state.kind, dict(state.data))
        else:
            replied = _answer(session, ctx, person, state.kind, dict(state.data), msg, p)
            if replied is not None:
                return [replied]
    if msg.choice and msg.choice.startswith("menu:"):
        return [tenant.menu(session, ctx, person, msg.choice)]
    for role_handler in (coordinator.handle, volunteer.handle):
        replies = role_handler(session, ctx, person, msg)
        if replies is not None:
            return replies
    if msg.command in ("start", "aide", "help", "menu"):
        return [tenant.help_reply(person, msg, welcome=msg.command == "start")]
    if not person.is_tenant:
        return [tenant.role_help(person)]
    if msg.command in ("commandes", "orders", "list"):
        return [listing.listing(session, ctx, person)]
    if msg.unreadable:
        return [say(lang, "common.unreadable")]
    text = msg.text.strip()
    if not text:
        return [say(lang, "common.empty", examples=t(lang, "common.example_order"))]
    if not any(c.isalnum() for c in text):
        return [say(lang, "common.no_words", examples=t(lang, "common.example_order"))]
    if p is None:
        return [tenant.forward(session, ctx, person, msg, long=True)]
    if lapsed is not None and not standalone(p, lapsed, msg.text) and _answer_like(p):
        return [_lapsed(session, ctx, person)]
    reply = act(session, ctx, person, msg, p, seen)
    if dropped:
        reply = Reply(f"{t(lang, 'common.question_dropped')} {reply.text}", lang, reply.choices)
    return [reply]


def read(ctx: Context, person: Person, msg: Inbound) -> Parse | None:
    """The one parse of this message (None: nothing to parse, or too long to act on)."""
    text = msg.text.strip()
    if not text or len(text) > PARSE_LIMIT:
        return None
    return parse(text, ctx.today(ctx.site(person.site_id)), None, lexicon=lexicon_for(ctx.config))


def _in_conversation(session: Session, ctx: Context, person: Person, p: Parse, text: str) -> Parse:
    """A bare weekday said of a change ("et un pack d'eau vendredi en plus", "no water on
    Wednesday after all") is the one of the days this conversation booked, a week on, when the
    coming one has nothing and the conversation never touched it."""
    f = p.frame
    if (
        p.intent == "standing_order"
        and len(p.weekdays) == 1
        and f.quantity is not None
        and f.quantity[1] is not None
        and not f.weekly
        and len(p.items) == 1
    ):  # "et 2 baguettes le samedi au lieu d'une" after next week's plan: that Saturday
        key, weekday = next(iter(p.items)), p.weekdays[0]
        habit = changes.standing_orders(session, person.id, weekday).get(weekday, {})
        today = ctx.today(ctx.site(person.site_id))
        talked = [
            d
            for d in sorted(touched.before_conversation(session, ctx, person))
            if d > today and WEEKDAYS[d.weekday()] == weekday
        ]
        if habit.get(key) != f.quantity[1] and len(talked) == 1:
            day = talked[0]
            if changes.on_day(session, person, day).get(key) == f.quantity[1]:
                f = replace(f, days=(day,), weekday_names=(weekday,))
                return replace(p, intent="order", date=day, weekdays=(), frame=f)
    changing = (
        f.adding
        or f.refused
        or f.refused_days
        or f.correcting
        or p.intent == "cancel"
        or (f.loose and not p.items)  # "ah mardi et jeudi mettez en 2"
    )
    if not changing or f.week is not None or not f.days:
        return p
    today = ctx.today(ctx.site(person.site_id))
    moved: dict[date, date] = {}
    numbers = set(re.findall(r"\d+", text))  # "c'est jeudi 4 que je veux": a date, as said
    for d in dict.fromkeys(f.days):
        if str(d.day) in numbers:
            continue
        if 0 < (d - today).days <= 7 and WEEKDAYS[d.weekday()] in f.weekday_names:
            later = touched.same_weekday_later(session, ctx, person, d, f.refused)
            if later is not None:
                moved[d] = later
    if not moved:
        return p
    on = lambda ds: tuple(moved.get(d, d) for d in ds)  # noqa: E731
    f = replace(
        f,
        days=on(f.days),
        refused_days=on(f.refused_days),
        kept_days=on(f.kept_days),
        segments=tuple((moved.get(d, d), items) for d, items in f.segments),
    )
    return replace(p, date=moved.get(p.date, p.date) if p.date else None, frame=f)


def standalone(p: Parse, kind: str, text: str = "") -> bool:
    """A message that is a request of its own, not an answer to the question of `kind`."""
    f = p.frame
    if (
        kind == order_flow.KIND
        and f.move is not None
        and not (p.items or f.named or f.segments or f.alert)
        and p.intent in ("order", "other", "smalltalk")
    ):
        return False  # "samedi.. non vendredi plutôt": the day asked for, corrected
    if p.intent == "stop" or f.alert is not None or f.move is not None or f.segments or f.home:
        return True
    if f.for_team and not p.items:  # "je voudrais parler à quelqu'un, mon chauffage…"
        return True
    if (
        kind == cancelling.CONFIRM_CANCEL
        and p.intent == "order"
        and f.only
        and f.asked
        and all(n is None for _, n in f.asked)
    ):
        return False  # "Annuler votre livraison de lundi ?" … "just Monday's bread": which part
    if kind == order_flow.KIND and p.intent == "list" and f.adding and len(f.days) == 1:
        return False  # "lundi alors, en plus de ma commande": the day asked for
    if f.errand:  # "au fait, vous pouvez m'apporter du lait aussi ?": for the team
        return True
    if _POINTING.search(fold(text)):
        return False  # "celle de jeudi, je vais chez ma fille": which one, an answer
    if (
        kind == order_flow.KIND
        and f.adding
        and f.asked
        and not f.refused
        and (not f.correcting or len(set(f.days)) == 1)  # "non, mercredi, et un pack d'eau aussi"
        and (
            all(n is None for _, n in f.asked)
            or _ALSO.search(fold(text))
            or WITH_IT.search(fold(text))
        )
    ):  # "c'est pour mardi, et une baguette aussi": the order asked about, and more (not "2
        return False  # baguettes en plus de d'habitude", "forget the water, 1 extra loaf")
    if p.intent in ("order", "standing_order"):
        return bool(p.items) and (p.date is not None or bool(p.weekdays)) and not p.clarify
    if p.intent == "cancel" and p.weekdays == ("sun",) and p.date is None:
        return False  # "vous ne passez pas le dimanche. Alors lundi": the day asked for
    if p.intent == "cancel":
        return p.date is not None or bool(p.weekdays) or f.negated_day
    if p.intent == "pause":
        return kind != cancelling.PAUSE_END
    return p.intent in ("list", "visit", "help")


def _answer_like(p: Parse) -> bool:
    """A bare answer ("oui", "3", "finalement 3", "jeudi") with no request of its own."""
    return p.intent in ("smalltalk", "other") or (
        p.intent in ("order", "cancel") and not p.items and p.date is None and not p.frame.named
    )


def _answer(
    session: Session,
    ctx: Context,
    person: Person,
    kind: str,
    data: dict[str, Any],
    msg: Inbound,
    p: Parse | None,
) -> Reply | None:
    """The answer to the open question, or None to read the message as a new request."""
    key = order_flow.key(person)
    lang = person.language
    data.setdefault("kind", kind)
    fn = ANSWERS.get(kind)
    replied = fn(session, ctx, person, data, msg, p) if fn is not None else None
    if replied is not None:
        return replied
    if kind == visit_requests.VISIT_CONFIRM:
        return None  # the visit stays planned; the message is read on its own
    if optout.is_stop_word(msg):
        return None
    if order_flow.is_drop(msg.text):
        clear_state(session, key)
        return say(lang, "order.dropped")
    if msg.choice or msg.command:
        clear_state(session, key)
        return None
    if p is not None and p.intent not in ("smalltalk", "other"):
        clear_state(session, key)
        return None
    if data.get("reasked"):
        clear_state(session, key)
        return None
    data["reasked"] = True
    set_state(session, key, kind, data, ctx.now(), ctx.draft_ttl, person.id)
    return order_flow.reask(session, ctx, person, data)


def _habit_item(session: Session, person: Person, p: Parse) -> Parse | None:
    """A weekly number without its item ("no wait, 3 is too many. Only 1 every Tuesday"): the
    item those weekdays' standing orders all have, when they have only that one."""
    f = p.frame
    if p.intent != "standing_order" or p.reason != "item_missing" or f.named:
        return None
    n = f.quantity[0] if f.quantity else (f.loose[-1] if f.correcting and f.loose else None)
    if n is None and len(f.loose) == 1:
        n = f.loose[0]
    weekdays = p.weekdays or f.weekday_names
    if not n or n > 20 or not weekdays:
        return None
    standing = changes.standing_orders(session, person.id)
    keys = {k for w in weekdays for k in standing.get(w, {})}
    if len(keys) != 1 or not all(standing.get(w) for w in weekdays):
        return None
    return replace(
        p, items={keys.pop(): n}, weekdays=tuple(weekdays), clarify=False, reason=None,
        question=None,
    )  # fmt: skip


def _without_draft_items(p: Parse, kind: str, data: dict[str, Any]) -> Parse:
    """ "Actually forget the water, just cancel my bread on Wednesday": the water refused is the
    order set aside, not Wednesday's."""
    f = p.frame
    mine = set(data.get("items") or {}) if kind == order_flow.KIND else set()
    if kind == order_flow.KIND and data.get("pending_item"):
        mine.add(data["pending_item"])  # "des bouteilles d'eau en plus" … "combien ?"
    wanted = {k: n for k, n in f.asked if n}
    dropped = [k for k, n in f.asked if n is None and k in mine]
    if p.intent == "cancel" and dropped and wanted and p.date is not None:
        # "laissez tomber l'eau, mettez-moi plutôt 2 baguettes pour mardi": that order
        return replace(
            p,
            intent="order",
            items=wanted,
            clarify=False,
            reason=None,
            question=None,
            frame=replace(f, refused=(), named=tuple(wanted)),
        )
    gone = [k for k in dict.fromkeys((*f.refused, *dropped)) if k in mine and k not in p.items]
    rest = [k for k in f.named if k not in gone]
    if not gone or not rest:
        return p
    return replace(
        p,
        frame=replace(f, refused=tuple(k for k in f.refused if k not in gone), named=tuple(rest)),
    )


def _answer_then_more(
    session: Session, ctx: Context, person: Person, kind: str, data: dict[str, Any], msg: Inbound
) -> Reply | None:
    """An answer to the open question, then in a sentence of its own a question about the
    service ("deux. ah et est-ce que c'est payant ?") or a whole request ("lundi. et mercredi pas
    d'eau svp"): both are done (None: the message is not of that shape)."""
    parts = [x.strip() for x in _SENTENCE_END.split(msg.text) if x.strip()]
    if len(parts) != 2:
        return None
    today = ctx.today(ctx.site(person.site_id))
    first, rest = (parse(x, today, None, lexicon=lexicon_for(ctx.config)) for x in parts)
    if rest.intent == "stop" or first.intent == "stop" or standalone(first, kind, parts[0]):
        return None
    asks = rest.frame.faq is not None and not rest.items and not _complete(rest)
    requests = _complete(rest) and rest.frame.alert is None and _answer_like(first)
    # "non, mardi. Au fait le code de la porte a changé": the answer, and the news for the team
    told = rest.frame.alert is not None and not rest.items and _answer_like(first)
    if not (asks or requests or told):
        return None
    replied = _answer(session, ctx, person, kind, data, replace(msg, text=parts[0]), first)
    if replied is None:
        return None
    if asks and rest.frame.faq is not None:
        faq = answer_faq(ctx, person, rest.frame.faq, replace(msg, text=parts[1]))
        return Reply(f"{replied.text} {faq.text}", person.language, replied.choices)
    clear_state(session, order_flow.key(person))
    then = act(session, ctx, person, replace(msg, text=parts[1]), rest)
    return Reply(f"{replied.text} {then.text}", person.language, then.choices)


def _lapsed(session: Session, ctx: Context, person: Person) -> Reply:
    """An answer to a question that expired: say so, and what is still booked."""
    lang = person.language
    booked = listing.listing(session, ctx, person)
    return Reply(f"{t(lang, 'common.question_lapsed')} {booked.text}", lang)


def act(
    session: Session,
    ctx: Context,
    person: Person,
    msg: Inbound,
    p: Parse,
    seen: touched.Watch | None = None,
) -> Reply:
    """A tenant's request, read once: what must reach a human, questions about the service,
    changes to what is booked, then the intent."""
    lang = person.language
    f = p.frame
    if p.intent == "stop":
        return optout.stop(session, ctx, person).replies[0]
    alert = forward_alert(session, ctx, person, msg, p) if f.alert is not None else None
    if alert is None and f.errand and person.status is not PersonStatus.PENDING:
        tenant.forward(session, ctx, person, msg)  # "et des médicaments de la pharmacie"
        alert = say(lang, "other.errand")
        if not p.items and p.intent in ("order", "standing_order", "other", "smalltalk", "help"):
            return alert  # nothing of ours asked: no question about items
    if alert is None and f.for_team and person.status is not PersonStatus.PENDING:
        tenant.forward(session, ctx, person, msg)  # "est-ce que Claire pourrait m'appeler ?"
        alert = say(lang, "other.forwarded")
        if not p.items and p.intent in ("other", "smalltalk", "help"):
            return alert
    if person.status is PersonStatus.PENDING and p.intent not in ("help", "smalltalk", "other"):
        return say(lang, "registration.pending", name=person.name)
    # A message of one sentence is read once; one of several sentences is also read sentence by
    # sentence, since it may hold several requests ("Plus d'eau le lundi. Par contre jeudi…").
    edges = pause_edges.moved(session, ctx, person, msg, p) if alert is None else None
    if edges is not None:  # "je pars finalement un jour plus tard, livrez-moi encore mercredi"
        return edges
    trip_off = _TRIP_OFF.search(fold(msg.text)) is not None
    if f.home or f.resume is not None or trip_off:  # "je suis rentrée", "reprenez dès lundi"
        welcome = cancelling.back(session, ctx, person, f.resume)  # the pause ends
        if welcome is None and trip_off and f.resume is None:  # "je reste ici finalement"
            welcome = cancelling.call_off(session, ctx, person) or cancelling.lift_absence_days(
                session, ctx, person
            )  # or the days cancelled for it come back
            if welcome is not None and not p.items:
                return Reply(f"{alert.text} {welcome.text}", lang) if alert else welcome
        if welcome is not None and (p.intent in ("other", "smalltalk", "help") or p.clarify):
            return welcome
    if seen is None:
        before = changes.snapshot(session, ctx, person)
    else:
        before = changes.snapshot(session, ctx, person, seen.days, seen.mark)
    habits = _habits(session, person, p)
    referred = (  # "c'est l'inverse", "et la semaine d'après pareil"
        _final_say(session, ctx, person, msg, p)
        or swaps.swap(session, ctx, person, msg, p)
        or reverts.revert(session, ctx, person, msg, p)
        or reverts.dropped(session, ctx, person, msg, p)
        or reverts.both(session, ctx, person, msg, p)
        or repeats.again(session, ctx, person, msg, p)
        or taken_off.elsewhere(session, ctx, person, msg, p)
        or taken_off.back(session, ctx, person, msg, p)
        or narrowed.narrowed(session, ctx, person, msg, p)
        or narrowed.to_days(session, ctx, person, msg, p)
        or narrowed.new_bounds(session, ctx, person, msg, p)
        or taken_off.item_redirected(session, ctx, person, msg, p)
        or taken_off.redirected(session, ctx, person, msg, p)
        if alert is None
        else None
    )
    kept_back = _kept_back(session, ctx, person, p, msg.text) if alert is None else {}
    reply = referred or _request(session, ctx, person, msg, p, alert)
    if kept_back:
        reply = _keep_back(session, ctx, person, kept_back, reply)
    if habits is not None:  # a habit just changed: bounded if the message says when, and
        now = changes.standing_orders(session, person.id)  # the next message may take it back
        note = habit_changes.bound(session, ctx, person, msg, p, habits, now)
        if note is not None:
            reply = Reply(f"{reply.text} {note}", lang, reply.choices)
            now = changes.standing_orders(session, person.id)
        changes.remember_habit(session, ctx, person, habits, now)
        touched.note_habits(session, ctx, person, habits, now)
    if p.intent == "cancel" and p.date is not None and NOT_THERE.search(fold(msg.text)):
        # "je serai absente samedi": nobody at the door that day, so no courtesy visit either
        note = cancelling.away_one_day(session, ctx, person, p.date)
        if note:
            reply = Reply(f"{reply.text} {note}", lang, reply.choices)
    kept = changes.keep_closed(session, ctx, person, before)
    if kept:  # "plus de pain le mercredi" said on Tuesday evening: Wednesday's round is planned
        days = say_listing([say_day(d, lang) for d in kept], lang)
        note = t(lang, "change.too_late_kept", days=days)
        return Reply(f"{reply.text} {note}", lang, reply.choices)
    return reply


def _final_say(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse
) -> Reply | None:
    """A correction that ends on the whole day said plainly: "non pardon laissez l'eau, c'est
    une baguette que je veux enlever. samedi 1 baguette et 1 eau". The last sentence is the
    day as wanted; the words before it only explain it. Only for a day the conversation has
    already changed."""
    if not (p.frame.correcting or _FINALLY.search(fold(msg.text))):
        return None
    parts = [x.strip() for x in _SENTENCE_END.split(msg.text) if x.strip()]
    if len(parts) < 2:
        return None
    today = ctx.today(ctx.site(person.site_id))
    last = parse(parts[-1], today, None, lexicon=lexicon_for(ctx.config))
    f = last.frame
    day = last.date
    if day is None and not f.days and f.only and len(set(p.frame.days)) == 1:
        day = p.frame.days[0]  # "pour vendredi finalement …. Juste les 3 baguettes et 1 pack"
    elif len(f.days) != 1:
        day = None
    if (
        last.intent != "order"
        or last.clarify
        or day is None
        or not last.items
        or f.adding
        or f.removing
        or f.correcting
        or not all(n for _, n in f.asked)  # (each item with its number: "Bread still on
        # Saturday" says where, not how much)
        or day not in touched.before_conversation(session, ctx, person)
        or not set(last.items) >= set(changes.on_day(session, person, day))
    ):  # (the whole day: "I do need the water on Saturday after all, 2 packs" keeps the bread)
        return None
    return changes.restrict(session, ctx, person, day, dict(last.items))


_FINALLY = re.compile(r"\b(?:finalement|en fait|actually|after all|au final)\b")


def _kept_back(
    session: Session, ctx: Context, person: Person, p: Parse, text: str
) -> dict[date, tuple[dict[str, int], dict[str, int]]]:
    """Days the last change reached that a correction now says stay as they were: "Sorry, it's
    the Thursday order I wanted to move to Friday. Saturday stays as it was" (after moving
    Saturday's)."""
    f = p.frame
    if not f.correcting or not (f.kept_days or f.kept_weekdays) or p.intent in ("stop", "pause"):
        return {}
    if not _AS_IT_WAS.search(fold(text)):
        return {}
    last = touched.before_last(session, ctx, person)
    out = {}
    for d, items in last.items():
        if d in f.kept_days or WEEKDAYS[d.weekday()] in f.kept_weekdays:
            now = changes.on_day(session, person, d)
            if now != items and all(n <= items.get(k, 0) for k, n in now.items()):
                out[d] = (items, now)  # (a day the last change took something from)
    return out


_OH_NO = re.compile(r"(?:(?:oh|ah|euh|mais)\s)?(?:non|no|nan)\b")
_AS_IT_WAS = re.compile(  # (not "ça reste pareil": as it is now)
    r"\b(?:as it was|as they were|as before|as planned|as first planned|comme avant|comme prevu"
    r"|comme c etait|comme je l avais (?:dit|demande))\b"
)


def _keep_back(
    session: Session,
    ctx: Context,
    person: Person,
    days: dict[date, tuple[dict[str, int], dict[str, int]]],
    reply: Reply,
) -> Reply:
    """`_kept_back`'s days as they were, once the rest of the message is done (when nothing
    else put them back)."""
    put = []
    for d, (items, was) in sorted(days.items()):
        if changes.on_day(session, person, d) != was:
            continue  # the message itself changed that day
        if changes.day_open(ctx, person, session, d) is not Verdict.OK:
            continue
        changes.set_day(session, ctx, person, d, items, "change")
        put.append(changes.restate(ctx, person.language, d, items))
    if not put:
        return reply
    return replace(reply, text=" ".join([reply.text, *put]))


def _habits(session: Session, person: Person, p: Parse) -> dict[str, dict[str, int]] | None:
    """The standing orders before a message that may change them (None: it cannot)."""
    f = p.frame
    if p.intent == "standing_order" or p.weekdays or f.weekly or f.plural_weekdays:
        return changes.standing_orders(session, person.id)
    if f.weekday_names and not f.days:  # "Le mercredi non plus": a weekday, no date
        return changes.standing_orders(session, person.id)
    return None


def _habits_apart(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse
) -> Reply | None:
    """ "2 baguettes tous les lundis et un pack d'eau tous les jeudis", "1 pain le lundi, 2 le
    mardi": each weekday with its own items, not every item on every day. Only new habits (no
    standing order on those weekdays yet, so no add-or-replace question), and only when every
    part reads as a habit."""
    if p.intent != "standing_order" or len(p.weekdays) < 2 or not p.items or p.clarify:
        return None  # (one item too: "1 pain le lundi, 2 pains le mardi" is not 3 each day)
    if set(changes.standing_orders(session, person.id)) & set(p.weekdays):
        return None
    today = ctx.today(ctx.site(person.site_id))
    lexicon = lexicon_for(ctx.config)
    groups: list[str] = []
    numbers: dict[int, int] = {}  # group -> the number said alone: "…, 2 le mardi"
    pieces = _HABIT_PARTS.split(msg.text)  # the parts, with the separators between them
    for k in range(0, len(pieces), 2):
        part = pieces[k]
        if not part.strip():
            continue
        q = parse(part, today, None, lexicon=lexicon)
        alone = None if q.items or not q.weekdays else read_quantity(part, person.language)
        joined = groups and (
            not _WEEKDAY_WORD.search(fold(groups[-1]))
            or (not q.items and not alone)  # "…Monday and Thursday"
        )
        if joined:
            groups[-1] += pieces[k - 1] + part
        else:
            if alone:
                numbers[len(groups)] = alone
            groups.append(part)
    parsed = [parse(g, today, None, lexicon=lexicon) for g in groups]
    for k, n in sorted(numbers.items()):  # "1 pain le lundi, 2 le mardi": bread on Tuesday too
        said = parsed[k - 1].items if k else {}
        if len(said) == 1:
            key = next(iter(said))
            parsed[k] = replace(
                parsed[k],
                items={key: n},
                clarify=False,
                question=None,
                reason=None,
                mentioned=(key,),
            )
    if len(parsed) < 2 or any(
        q.intent != "standing_order" or not q.items or not q.weekdays or q.clarify for q in parsed
    ):
        return None
    if {d for q in parsed for d in q.weekdays} != set(p.weekdays):
        return None
    texts = [order_flow.start(session, ctx, person, q, msg).text for q in parsed]
    return Reply(" ".join(texts), person.language)


# An absence to come that will not happen: "je reste ici finalement", "trip is cancelled".
_TRIP_OFF = re.compile(
    r"\b(?:trip|voyage|visit|stay|holiday|vacances|sejour|depart|absence)\s(?:is\s|est\s|has\sbeen\s)?"
    r"(?:cancel\w*|annule\w*|called\soff|off)\b|\b(?:je|on|nous)\s(?:ne\s)?(?:pars|part|partons)\splus\b"
    r"|\bnot\sgoing\s(?:away|anymore)\b|\b(?:staying|stay)\s(?:home|here)\safter\sall\b"
    r"|\bje\sreste\s(?:ici|a\sla\smaison|chez\smoi)\b|\bi\s?m\sstaying\s(?:home|here|in)\b"
    r"|\bkeep\sdeliver\w*\s(?:as\snormal|normally|as\susual)\b|\bcontinue[rz]?\s(?:a\s|de\s)?livrer\b"
)
# Every delivery of a span: "à chaque livraison", "on each of my days".
_EACH_DELIVERY = re.compile(
    r"\b(?:a|pour|sur)\s(?:chaque|chacune\sde\smes)\slivraisons?\b|\ba\stoutes\s(?:les|mes)\slivraisons\b"
    r"|\b(?:chaque|tous\smes)\sjours?\sde\slivraison\b|\b(?:on|for|at|with)\s(?:each|every)"
    r"\s(?:delivery|of\smy\s(?:days|deliveries|delivery\sdays))\b|\beach\sof\smy\s(?:days|deliveries)\b"
)
_HABIT_PARTS = re.compile(r"(,\s*|;\s*|\s(?:et|and|puis|then)\s)")
_WEEKDAY_WORD = re.compile(
    r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|monday|tuesday|wednesday|thursday|friday"
    r"|saturday)s?\b"
)


def _request(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse, alert: Reply | None
) -> Reply:
    lang = person.language
    usual = _habit_item(session, person, p)
    if usual is not None:  # "only 1 every Tuesday": the one item Tuesdays have
        p = usual
    elif antecedents.pointing(p, msg.text):  # "vous pouvez m'en mettre 2 samedi ?": the bread
        before = antecedents.previous(session, ctx, person, msg, naming=True)
        p = antecedents.resolve(session, ctx, person, p, before) or p
    lead = _DROP_LEAD.match(msg.text)
    if lead is not None and p.intent == "cancel":  # "non laissez tomber, mettez-moi plutôt 1
        rest = msg.text[lead.end() :]  # pack d'eau samedi": what was being asked is dropped
        q = parse(rest, ctx.today(ctx.site(person.site_id)), None, lexicon=lexicon_for(ctx.config))
        if q.intent in ("order", "standing_order") and _complete(q):
            msg, p = replace(msg, text=rest), q
    f = p.frame
    several = _SENTENCE_END.search(msg.text.strip()) is not None or (
        p.clarify and _JOINED.search(msg.text) is not None
    )
    # "non pardon je voulais dire vendredi. jeudi c'est bon": one correction, in two sentences
    reply = _cancel_moved(session, ctx, person, msg, p) if several else None
    if reply is None and several:
        reply = _one_by_one(session, ctx, person, msg, p)
    if reply is None:
        reply = _habits_apart(session, ctx, person, msg, p)
    if reply is None:  # "pouvez-vous déplacer ma livraison de jeudi ?": to which day?
        reply = move_target.ask(session, ctx, person, msg, p)
    if reply is None:
        reply = _change(session, ctx, person, msg, p)
    if reply is None and f.faq is not None and p.intent in ("help", "other", "smalltalk"):
        reply = answer_faq(ctx, person, f.faq, msg)
    if reply is None and alert is not None and p.intent in ("other", "smalltalk", "help"):
        return alert
    unread = p.intent == "help" or (p.clarify and p.reason == "item_missing" and not f.named)
    if reply is None and unread and f.faq is None and _for_a_person(msg.text):
        reply = tenant.forward(session, ctx, person, msg)  # a question the FAQ does not cover
    if reply is None:
        reply = tenant.intent(session, ctx, person, msg, p)
    if alert is not None:
        return Reply(f"{alert.text} {reply.text}", lang, reply.choices)
    return reply


def _change(session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse) -> Reply | None:
    """Moves, corrections, additions, several days, item-level cancels, absences said as days
    or a week, "comme d'habitude". None: the message is read by its intent."""
    f = p.frame
    folded = fold(msg.text)
    missed = f.alert == "missed" and p.intent in ("other", "smalltalk")
    if missed and not any(n for _, n in f.asked):
        return None  # "toujours rien, je n'ai ni pain ni eau": what did not come, not a refusal
    if p.intent == "order" and p.date is None and f.returning and p.items and not f.days:
        # "à mon retour le vendredi 21, juste une baguette au lieu de deux": that day's order
        f = replace(f, days=(f.returning,), returning=None)
        p = replace(p, date=f.days[0], clarify=False, question=None, reason=None, frame=f)
    from_return = None
    if _FROM_RETURN.search(folded):
        from_return = cancelling.return_day(session, ctx, person)
    if from_return is not None:  # "à partir de mon retour, le lundi une seule baguette": a start
        f = replace(f, returning=None, back=False, resume=None, home=False)
        p = replace(p, frame=f)
    made_day = f.days[0] if len(set(f.days)) == 1 else None
    if made_day is None and not f.days and f.total and p.intent in ("smalltalk", "other"):
        last_days = touched.last_changed(session, ctx, person)  # "Make that 3" the day after
        made_day = changes.recent_day(session, ctx, person) or (
            last_days[0] if len(last_days) == 1 else None
        )
    if (
        (p.reason == "item_missing" or p.intent in ("smalltalk", "other"))
        and f.total
        and made_day is not None
        and f.loose
        and 0 < f.loose[-1] <= 20
        and not p.weekdays
        and not _EACH_OF_THEM.search(folded)  # ("make it 2 for both days")
    ):  # "5 is too many. Make it 4 in total for Monday", "Make that 3": the one item that day has
        have = changes.on_day(session, person, made_day)
        n = f.quantity[0] if f.quantity is not None else f.loose[-1]  # "make that 2, not 3"
        wanted = {k: n for k in have}
        if len(have) == 1 and not over_limit(ctx.config, wanted):
            return changes.restrict(session, ctx, person, made_day, wanted)
    if (
        p.intent == "standing_order"
        and p.reason == "quantity_missing"
        and f.only
        and f.asked
        and p.weekdays
        and not any(n for _, n in f.asked)
        and _ONLY_ITEM.search(folded)  # (not "l'eau seulement le jeudi": the day is "only")
    ):  # "finalement le mercredi seulement la baguette": Wednesdays keep only the bread
        standing = changes.standing_orders(session, person.id)
        only = {k for k, _ in f.asked}
        said_only = _ONLY_ITEM.search(folded)
        if said_only is not None and len(only) > 1:  # "le pack d'eau du jeudi c'est trop…
            entry = lexicon_for(ctx.config).match(  # Gardez seulement la baguette le jeudi":
                (said_only.group(1),),
                0,
                person.language,  # the bread
            )
            only = {entry.key} & only if entry is not None and entry.key else only
        if only and all(only < set(standing.get(w, {})) for w in p.weekdays):
            since = f.week[0] if f.week is not None and _STARTING.search(folded) else None
            before = changes.before_start(session, ctx, person, list(p.weekdays), since)
            kept = {}
            for w in p.weekdays:
                kept = {k: standing[w][k] for k in only}
                changes.put_habit(session, ctx, person, w, kept)
            changes.keep_as_before(session, ctx, person, before)  # ("à partir de la semaine
            # prochaine": this week's stays)
            return say(person.language, "change.weekly_set",
                       items=say_items(kept, person.language, ctx.item_names),
                       days=say_weekdays(list(p.weekdays), person.language))  # fmt: skip
    if p.intent == "cancel" and p.date is not None and len(set(f.days)) == 2:
        only = _only_weekdays(folded)  # "l'eau de jeudi annulez-la, juste mercredi": Thursday
        other = [d for d in f.days if WEEKDAYS[d.weekday()] not in only]
        if WEEKDAYS[p.date.weekday()] in only and len(other) == 1:
            p = replace(p, date=other[0])
    both_ways = set(f.refused) & set(p.items) & set(f.exact)
    if both_ways and len(set(f.days)) == 1 and not p.clarify:
        # "jeudi finalement pas d'eau en plus, un seul pack suffira": one pack that day
        have = changes.on_day(session, person, f.days[0])
        if have and both_ways <= set(have):
            return changes.restrict(
                session, ctx, person, f.days[0], {**have, **{k: p.items[k] for k in both_ways}}
            )
    if (
        f.resume is not None
        and p.intent in ("other", "smalltalk", "pause")
        and _HOLD.search(folded)
    ):
        # "Please hold my deliveries. You can start again on Wednesday 4th August"
        tomorrow = ctx.today(ctx.site(person.site_id)) + ONE_DAY
        if f.resume > tomorrow and not cancelling.return_day(session, ctx, person):
            return cancelling.pause_range(session, ctx, person, tomorrow, f.resume - ONE_DAY)
    if p.intent == "cancel" and f.adding and f.refused and p.date is not None and not f.days[1:]:
        # "je n'ai plus besoin des baguettes en plus pour jeudi, seulement ma livraison
        # habituelle": the extra goes, the day keeps what it had before the conversation
        base = touched.before_conversation(session, ctx, person).get(p.date)
        have = changes.on_day(session, person, p.date)
        if base and any(have.get(k, 0) > base.get(k, 0) for k in f.refused):
            back = {**have, **{k: base.get(k, 0) for k in f.refused}}
            return changes.restrict(
                session, ctx, person, p.date, {k: n for k, n in back.items() if n > 0}
            )
    brought = _order_brought(session, ctx, person, p, folded)
    if brought is not None:  # "avancez les 2 baguettes à ce jeudi 4 mars"
        return brought
    only_said = tuple(k for k, n in f.asked if not n)
    if (
        p.reason == "quantity_missing"
        and f.only
        and f.refused_days
        and only_said
        and set(f.days) - set(f.refused_days)
        and not p.weekdays
    ):  # "I only need the water on Monday and Wednesday, not Tuesday": Tuesday without it
        return cancelling.cancel_days(session, ctx, person, tuple(f.refused_days), only_said)
    habit_moved = _habit_moved(session, ctx, person, p, folded)
    if habit_moved is not None:  # "je préfère le jeudi plutôt que le mercredi, 2 baguettes"
        return habit_moved
    halted = _halt_from(session, person, p, folded)
    if halted is not None:  # "arrêtez le pain à partir de mercredi, je rentre à l'hôpital"
        return cancelling.pause(session, ctx, person, halted)
    last = changes.recent(session, ctx, person)
    if last is not None and last.get("habit") and last["age"] is not None and last["age"] <= FRESH:
        further = _habit_further(session, ctx, person, folded, p, last["habit"])
        if further is not None:  # "à partir de maintenant 1 seule baguette le lundi" … "et le
            return further  # mercredi pareil, une seule", "… and none on Tuesdays anymore"
        retaken = habit_changes.retake(session, ctx, person, msg, p, last["habit"])
        if retaken is not None:  # "ah non, c'est le mercredi, le mardi comme avant"
            changes.forget_habit(session, ctx, person)
            return retaken
    elif habit_changes.about_habit(folded, f):
        retaken = habit_changes.retake_later(session, ctx, person, msg, p)
        if retaken is not None:  # days later: "finalement le jeudi je garde l'eau, toutes les
            return retaken  # semaines"
    moved = (last or {}).get("moved") if last and last["age"] is not None else None
    if moved is not None and last["age"] <= FRESH:
        again = _move_taken_back(session, ctx, person, msg, p, moved)
        if again is not None:  # "Sorry, I mean Wednesday's, not Tuesday's"
            return again
        last = changes.recent(session, ctx, person)
    recent = date.fromisoformat(last["day"]) if last and last.get("day") else None
    fresh_day = recent if last and last["age"] is not None and last["age"] <= FRESH else None
    just = [date.fromisoformat(d) for d in (last or {}).get("days", [])] or [recent]
    fixing = f.refused_days or (f.days if f.quantity or f.correcting else ())
    later = {  # "toute la semaine prochaine…" then "ah non pas samedi", "et samedi mettez 2 au
        d: j  # lieu d'une": that week's Saturday
        for d in fixing
        for j in just
        if j is not None and d not in just and j.weekday() == d.weekday() and 0 < (j - d).days <= 7
    }
    if later and _THIS_WEEK.search(folded):
        later = {}  # "et cette semaine samedi 2 pains au lieu d'un": this week's, as said
    if later and (p.intent in ("cancel", "smalltalk", "other") or p.clarify or fixing == f.days):
        f = replace(
            f,
            refused_days=tuple(later.get(d, d) for d in f.refused_days),
            days=tuple(later.get(d, d) for d in f.days),
        )
        p = replace(p, date=later.get(p.date, p.date) if p.date else None, frame=f)
    if (
        p.intent == "standing_order"
        and f.adding
        and p.weekdays
        and p.date is not None
        and not f.refused
        and not p.clarify
    ):  # "pouvez-vous ajouter un pack d'eau chaque jeudi à partir du 4 mars"
        adds = {k: n for k, n in f.asked if n}
        if adds:
            return changes.add_weekly(session, ctx, person, list(p.weekdays), adds, p.date)
    if (
        p.intent == "standing_order"
        and p.weekdays
        and f.refused
        and p.items
        and not set(f.refused) & set(p.items)
        and not p.clarify
    ):  # "à partir de maintenant plus d'eau le jeudi, juste les 2 baguettes"
        dropped = changes.cancel_items_weekly(
            session, ctx, person, tuple(p.weekdays), tuple(f.refused), p.date
        )
        kept = order_flow.start(session, ctx, person, replace(p, frame=replace(f, refused=())), msg)
        return Reply(f"{dropped.text} {kept.text}", person.language, kept.choices)
    later = [d for d in just if d is not None and f.until is not None and d > f.until]
    if f.correcting and later and len(later) < len([d for d in just if d]) and not f.days:
        # "du 6 au 16 janvier 3 baguettes…" then "pardon, 3 baguettes seulement jusqu'au 9":
        lines = []  # the days after it go back to their habit
        for d in later:
            changes.back_to_standing(session, ctx, person, d)
            lines.append(
                changes.restate(ctx, person.language, d, changes.on_day(session, person, d))
            )
        return Reply(t(person.language, "change.done") + " " + " ".join(lines), person.language)
    if (
        f.span is not None
        and f.quantity is not None
        and len(p.items) == 1
        and p.intent in ("order", "standing_order")
        and 0 <= (f.span[1] - f.span[0]).days <= 62
        and not f.refused
    ):  # "du 6 au 16 janvier mettez-moi 3 baguettes le mercredi, jeudi et vendredi au lieu de
        # 2", "from Monday the 12th to Wednesday the 21st, 4 loaves on my usual days": those days
        start, end = f.span
        span = [start + ONE_DAY * k for k in range((end - start).days + 1)]
        named_days = set(p.weekdays) if p.intent == "standing_order" else set()
        if named_days:
            span = [d for d in span if WEEKDAYS[d.weekday()] in named_days]
        key = next(iter(p.items))
        each = changes.each_delivery(session, ctx, person, span, key, f.quantity[0])
        if each is not None:
            return each
    if (
        f.quantity is not None
        and f.quantity[1] is not None
        and len(set(f.days)) > 1
        and len(p.items) == 1
        and not p.weekdays
        and not f.weekly
        and not f.refused_days
        and len({n for _, pairs in f.segments for _, n in pairs}) <= 1
    ):  # "next week just one loaf on Monday, Tuesday and Wednesday instead of two"
        key = next(iter(p.items))
        days = sorted(set(f.days))
        each = changes.each_delivery(session, ctx, person, days, key, f.quantity[0])
        if each is not None:
            return each
    each = _each_of_them(session, ctx, person, folded, p, just) if not f.days else None
    if each is not None:  # "Oh and add a loaf of bread with each", "make it 2 for both days"
        return each
    like = _same_as(session, ctx, person, folded, p, just)
    if like is not None:  # "et mercredi comme lundi plus un pack d'eau", "vendredi pareil mais
        return like  # sans l'eau", "demain la même chose que le jeudi"
    again = (
        _cancel_again(session, ctx, person, msg, p)
        or _cancel_moved(session, ctx, person, msg, p)
        or _bound_corrected(session, ctx, person, msg, p)
        or _cancel_taken_back(session, ctx, person, msg, p)
    )
    if again is not None:  # "annulez vendredi" … "et celle de lundi aussi" / "pardon, lundi"
        return again
    only = _only_one_of(session, ctx, person, msg, p, just)
    if only is not None:  # "mardi et mercredi" … "non juste mardi finalement"
        return only
    swapped = _item_to_other_day(session, ctx, person, folded, f)
    if swapped is not None:  # "Pardon, l'eau c'est le lundi pas le mercredi"
        return swapped
    not_that = _not_that_weekday(session, ctx, person, folded, p, just)
    if not_that is not None:  # "…tous les jours la semaine prochaine" … "pas le mercredi"
        return not_that
    same = [d for d in just if d is not None and WEEKDAYS[d.weekday()] in p.weekdays]
    if (
        p.intent in ("standing_order", "cancel")
        and len(p.weekdays) == 1
        and len(same) == 1
        and last is not None
        and not f.weekly
        and not _WEEKLY.search(folded)
    ):  # "ah non le samedi un seul pack d'eau", "rien le mercredi finalement": the day just booked
        p = replace(
            p,
            intent="order" if p.intent == "standing_order" else "cancel",
            weekdays=(),
            date=same[0],
            clarify=False,
            question=None,
            reason=None,
        )
        if p.intent == "cancel" and not (f.refused or f.named):
            return cancelling.cancel(session, ctx, person, p, msg)
    if (
        p.intent == "standing_order"
        and f.week is not None
        and len(p.weekdays) == 1
        and OF_NEXT_WEEK.search(folded)
    ):  # "le lundi de la semaine prochaine 3 baguettes au lieu de 2": that Monday only
        day = f.week[0] + ONE_DAY * WEEKDAYS.index(p.weekdays[0])
        p = replace(p, intent="order", weekdays=(), date=day)
    if (
        (p.intent in ("smalltalk", "other") or (p.clarify and not p.items))
        and f.refused_days
        and not f.refused  # "pas de pain jeudi finalement … juste l'eau": an item, not the day
        and set(f.refused_days) <= set(just)
        and set(f.days) <= set(just)  # no other day said: no move
        and f.move is None
        and not f.asked
        and not f.kept_days
    ):  # "1 baguette mardi, mercredi et jeudi" … "non finalement pas mercredi, j'en aurai assez";
        # on top of a usual delivery ("1 pack of water Monday, Tuesday and Wednesday, with my
        # bread" … "not Tuesday"), only what was added goes
        usual = [d for d in f.refused_days if changes.back_to_habit(session, ctx, person, d)]
        rest = tuple(d for d in f.refused_days if d not in usual)
        if not rest:
            lines = [changes.restate(ctx, person.language, d, changes.on_day(session, person, d))
                     for d in usual]  # fmt: skip
            return Reply(
                t(person.language, "change.booked") + " " + " ".join(lines), person.language
            )
        return cancelling.cancel_days(session, ctx, person, rest, ())
    named_day = [d for d in just if d is not None and WEEKDAYS[d.weekday()] in f.weekday_names]
    if p.intent == "pause" and p.clarify and not f.days and len(named_day) == 1:
        # "du lundi au samedi une baguette" … "sauf mercredi, je suis chez ma sœur": that day
        return cancelling.cancel_days(session, ctx, person, tuple(named_day), ())
    if p.intent == "order" and recent is not None and p.items and not f.days[1:]:
        said = None
        if _SAME_DAY.search(folded):
            said = recent
        elif _NEXT_DAY.search(folded):
            said = recent + ONE_DAY
        elif _DAY_BEFORE.search(folded):
            said = recent - ONE_DAY
        if said is not None:  # "et un pack d'eau le même jour", "et le lendemain une baguette"
            p = replace(p, date=said, clarify=False, question=None, reason=None)
            return order_flow.start(session, ctx, person, p, msg)
    named = f.refused or f.named  # "pas d'eau, le pain ça va": the water
    if p.intent == "cancel" and f.adding and not f.refused and len(named) > 1:
        # "annulez la baguette en plus de jeudi, une seule baguette suffira avec l'eau"
        named = tuple(k for k, n in f.asked if n) or named
    if set(named) >= set(ctx.config.catalogue) or _CANCEL_ALL.search(folded):
        named = ()  # "pas de pain ni d'eau", "annulez tout vendredi": nothing at all that day
    if (
        p.intent == "cancel"
        and p.date is not None
        and not named
        and not p.weekdays
        and len(set(f.days)) == 1
        and _ALL_FROM.search(folded)
    ):  # "arrêtez les livraisons à partir de samedi": a stay away from then, until when?
        return cancelling.pause(session, ctx, person, Parse("pause", date=p.date, lang=p.lang))
    if (
        p.intent == "pause"
        and p.until is not None
        and named
        and len(f.weekday_names) == 1
        and ITEM_OF_DAY.search(folded)
    ):  # "arrêtez le pain du mardi jusqu'au 16 février inclus": those Tuesdays' bread only
        days = changes.coming_days(ctx, person, p.until, f.weekday_names)
        return cancelling.cancel_days(session, ctx, person, tuple(days), named)
    if (
        p.intent == "pause"
        and p.date is not None
        and p.until is not None
        and f.refused
        and not set(ctx.config.catalogue) <= set(f.refused)
        and 0 <= (p.until - p.date).days <= 62
    ):  # "du 8 au 13 mars pas d'eau, j'ai fait des réserves": the water of those days only
        span = [p.date + ONE_DAY * k for k in range((p.until - p.date).days + 1)]
        if f.weekday_names:  # "du 3 au 15 mai pas d'eau le lundi, mercredi et vendredi"
            span = [d for d in span if WEEKDAYS[d.weekday()] in f.weekday_names]
        have = {d: changes.on_day(session, person, d) for d in span}
        days = tuple(d for d in span if set(f.refused) & set(have[d]))
        if any(set(have[d]) - set(f.refused) for d in days):  # something else still comes
            return cancelling.cancel_days(session, ctx, person, days, f.refused)
        # (only that item on those days: an absence, read as one below)
    if p.intent == "pause" and f.move is not None:
        moved = _absence_moved(session, ctx, person, *f.move)
        if moved is not None:  # "je pars finalement le 13 au lieu du 17, retour pareil"
            return moved
    if p.intent == "pause" and p.reason == "until_missing" and f.open_end:
        return cancelling.pause(session, ctx, person, p, said=msg.text)  # "jusqu'à nouvel ordre"
    others = tuple(d for d in f.days if d not in f.kept_days)
    ordering = any(  # "lundi pas de pain, mercredi 3, vendredi comme prévu": an order too
        n for d, pairs in f.segments if d not in f.kept_days for _, n in pairs
    ) and not any(k == "*" for _, pairs in f.segments for k, _ in pairs)  # not "annulez jeudi"
    if (
        f.kept_days
        and others
        and (p.intent == "cancel" or (p.intent == "pause" and p.date is None))
        and not f.weekly
        and not p.weekdays[1:]
        and not ordering
        and not (p.intent == "pause" and f.returning is not None and f.returning > max(f.days))
        # ("… je rentre le dimanche 17": away longer than the days said)
    ):
        # "samedi livrez normalement et annulez vendredi": one day back, the other cancelled
        for d in f.kept_days:
            if not changes.restore_day(session, ctx, person, d) and (d in just or f.correcting):
                changes.back_to_standing(session, ctx, person, d)  # "samedi on garde tout"
        cancelled = cancelling.cancel_days(session, ctx, person, others, named)
        lines = [changes.restate(ctx, person.language, d, changes.on_day(session, person, d))
                 for d in f.kept_days]  # fmt: skip
        return Reply(f"{cancelled.text} {' '.join(lines)}", person.language)
    if (
        f.kept_days
        and p.intent != "stop"
        and (p.intent != "cancel" or f.refused)
        and (not f.refused or set(f.days) == set(f.kept_days))
        and not any(n for _, n in f.asked)
    ):
        # "ah non, vendredi gardez le pain, c'est juste jeudi": Friday comes back as it was
        restored = [
            d
            for d in f.kept_days
            if changes.restore_day(session, ctx, person, d)
            or ((d in just or f.correcting) and changes.back_to_standing(session, ctx, person, d))
        ]
        for d in restored if f.refused else ():  # "livrez-moi quand même la baguette samedi,
            have = changes.on_day(session, person, d)  # mais pas l'eau"
            changes.set_day(
                session, ctx, person, d, {k: n for k, n in have.items() if k not in f.refused},
                "change",
            )  # fmt: skip
        if not restored and p.intent in ("smalltalk", "other"):
            restored = list(f.kept_days)  # "jeudi ça change pas": nothing to do, say what comes
        if restored:
            lines = [changes.restate(ctx, person.language, d, changes.on_day(session, person, d))
                     for d in restored]  # fmt: skip
            return Reply(
                t(person.language, "change.booked") + " " + " ".join(lines), person.language
            )
    booked = [d for d in dict.fromkeys(f.days) if d in just]
    others = [d for d in dict.fromkeys(f.days) if d not in just]
    if (
        len(booked) == 1
        and len(others) == 1
        and (
            f.correcting
            or f.move is not None
            or (_OH_NO.match(folded) is not None and f.refused_days == (booked[0],))
        )  # "oh non pas jeudi, vendredi, jeudi je suis pas là"
        and not f.adding
        and not f.kept_days
        and not any(n for _, n in f.asked)
        and p.intent not in ("stop", "list")
    ):  # "Sorry, make that Tuesday, I'm at the hairdresser's on Monday", "nn pardon lundi,
        # samedi je suis chez mon frère": the day just booked goes to the other one
        to = others[0]  # a weekday said plainly: the one in the week of the day it leaves
        same_week = booked[0] + ONE_DAY * (to.weekday() - booked[0].weekday())
        if (
            f.move is not None
            and f.move[1].weekday() == to.weekday()
            and same_week > ctx.today(ctx.site(person.site_id))
            and same_week != booked[0]
            and not changes.on_day(session, person, to)  # (not "l'eau c'est pour samedi pas
            # lundi" of a Saturday already booked)
        ):  # ("pas lundi, mettez mardi à la place" of next week's Monday: that Tuesday)
            to = same_week
        items = _items_for_day(ctx, person, msg.text, to)  # "l'eau plutôt jeudi, le
        moved = changes.move(session, ctx, person, booked[0], to, items)  # pain reste"
        if moved is not None:
            return _without_refused(session, ctx, person, f, to) or moved
    pointed = _pointed_move(ctx, person, msg, p)
    if pointed is not None:  # "ma livraison de jeudi, vous pouvez la mettre mercredi ?"
        moved = changes.move(
            session, ctx, person, *pointed, _moved_items(ctx, person, msg),
            add=ON_TOP.search(folded) is not None or _sums_up(session, person, p, pointed),
        )  # fmt: skip
        if moved is not None:
            return _without_refused(session, ctx, person, f, pointed[1]) or moved
    booked_days = [d for d in just if d is not None]
    habit_move = (
        _habit_move(ctx, person, msg, f, booked_days)
        if f.move is None and not _CANCELLING.search(folded)  # "annulez le pain de mercredi
        else None  # et de jeudi": no move
    )
    if habit_move is not None:  # "move my Wednesday bread to Thursday this week"
        items = () if set(f.named) >= set(ctx.config.catalogue) else f.named  # "the Wednesday
        # water" (nothing named: the whole delivery)
        moved = changes.move(session, ctx, person, *habit_move, items)
        if moved is not None:
            return moved
    if f.move is not None:
        start, end = f.move
        moving = _items_for_day(ctx, person, msg.text, end) or (
            tuple(k for k in f.named if k not in p.items) or f.named
        )
        only_named = p.intent != "order" or not any(p.items.values())
        empty_before = not changes.on_day(session, person, end)
        moved = changes.move(  # "c'est jeudi l'eau, pas mercredi": the water moves, not the bread
            session, ctx, person, start, end, moving if only_named else ()
        )
        if moved is not None:
            without = _without_refused(session, ctx, person, f, end)
            if without is not None:
                return without
            if f.quantity is not None:  # "pas jeudi mais vendredi, et 1 seul pack"
                return changes.correct(session, ctx, person, end, f, dict(p.items)) or moved
            said = {k: n for k, n in f.asked if n}
            if said and f.adding:  # "vendredi plutôt que samedi, et rajoutez un pack d'eau"
                there = changes.on_day(session, person, end)
                more = {k: there.get(k, 0) + n for k, n in said.items()}
                return changes.restrict(session, ctx, person, end, {**there, **more})
            exact = {k: n for k, n in said.items() if k in f.exact}
            if exact:  # "plutôt vendredi que mardi, et une seule baguette en fait"
                there = changes.on_day(session, person, end)
                return changes.restrict(session, ctx, person, end, {**there, **exact})
            if said and (
                p.intent != "order" or (f.correcting and empty_before and not f.adding)
            ):  # "…bring three loaves on thursday instead", "pardon c'est 2 baguettes, et pour
                there = changes.on_day(session, person, end)  # jeudi, pas mercredi"
                return changes.restrict(session, ctx, person, end, {**there, **said})
            return moved
    if (
        f.week is not None
        and f.quantity is not None
        and len(p.items) == 1
        and not p.weekdays
        and _EACH_DELIVERY.search(folded)
    ):  # "la semaine prochaine seulement, 1 baguette au lieu de 2 à chaque livraison"
        week = [f.week[0] + ONE_DAY * k for k in range((f.week[1] - f.week[0]).days + 1)]
        key = next(iter(p.items))
        each = changes.each_delivery(session, ctx, person, week, key, f.quantity[0])
        if each is not None:
            return each
    once = _ONCE.search(folded) is not None
    if once and f.quantity is not None and len(f.days) == 1:
        # "3 loaves instead of 2 on Monday, just this once": that Monday, not every Monday
        fixed = changes.correct(session, ctx, person, f.days[0], f, dict(p.items))
        if fixed is not None:
            return fixed
    fresh_items = [k for k, _ in f.asked if k not in f.refused]
    if (
        fresh_day is not None
        and f.correcting
        and len(f.refused) == 1
        and len(fresh_items) == 1
        and set(f.days) <= {fresh_day}
        and not p.weekdays
    ):  # "2 pains vendredi" … "je voulais dire 2 packs d'eau, pas des pains, pardon"
        have = changes.on_day(session, person, fresh_day)
        old = f.refused[0]
        if old in have and fresh_items[0] not in have:
            n = p.items.get(fresh_items[0]) or have[old]
            new = {k: v for k, v in have.items() if k != old} | {fresh_items[0]: n}
            return changes.restrict(session, ctx, person, fresh_day, new)
    if (
        p.intent == "order"
        and p.date in just
        and p.items
        and not p.clarify
        and (f.correcting or _SETTLED.search(folded))
        and _IT_IS.search(folded)
    ):  # "le 24 en fait c'est 1 baguette et 1 pack d'eau", "Wednesday should be 2 loaves as
        have = changes.on_day(session, person, p.date)  # well, sorry": that day's numbers
        gone = {*f.refused, *(f.swap[1:] if f.swap else ())}  # "pas de l'eau, c'est du pain",
        kept = {k: n for k, n in have.items() if k not in gone}  # "… au lieu des baguettes"
        return changes.restrict(session, ctx, person, p.date, {**kept, **p.items})
    if (
        p.intent == "order"
        and p.date is not None
        and p.items
        and not p.clarify
        and not f.adding
        and _SETTLED.search(folded)
    ):  # "ah et mercredi mettez 2 eaux finalement": the number of that item, the rest stays
        have = changes.on_day(session, person, p.date)
        if have and set(p.items) <= set(have):  # ("…, and no water after all": without it)
            kept = {k: n for k, n in {**have, **p.items}.items() if k not in f.refused}
            return changes.restrict(session, ctx, person, p.date, kept)
    if f.total and p.items and p.date is not None and not p.clarify:
        have = changes.on_day(session, person, p.date)  # "3 baguettes en tout mercredi"
        return changes.restrict(session, ctx, person, p.date, {**have, **p.items})
    if f.total and p.items and p.date is None and not f.days and len(just) == 1 and just[0]:
        have = changes.on_day(session, person, just[0])  # "sorry, back to one pack": the day
        if set(p.items) <= set(have):  # the conversation is about
            return changes.restrict(session, ctx, person, just[0], {**have, **p.items})
    if recent is None and f.to_day is not None and not p.items:
        only = changes.only_one_off(session, ctx, person)
        if only is not None and only != f.to_day:  # "can you move that to Wednesday" next day
            moved = changes.move(session, ctx, person, only, f.to_day)
            if moved is not None:
                return moved
    if f.loose_move is not None and f.loose_move[0] == recent:  # "oh wait, not Wednesday, Thursday"
        moved = changes.move(session, ctx, person, *f.loose_move)
        if moved is not None:
            said = {k: n for k, n in f.asked if n and k not in f.refused}
            there = changes.on_day(session, person, f.loose_move[1])
            if said and set(said) <= set(there) and any(there[k] != n for k, n in said.items()):
                # "en fait les 2 packs demain, rien vendredi": that many on the day kept
                changes.restrict(session, ctx, person, f.loose_move[1], {**there, **said})
                days = sorted(f.loose_move)
                return changes.restate_days(session, ctx, person, "change.moved", days)
            return moved
    talked = touched.before_conversation(session, ctx, person) if len(f.loose) == 1 else {}
    if (
        (
            f.correcting
            or f.total
            or ((len(just) > 1 or (f.days and f.days[0] in talked)) and len(folded.split()) <= 10)
        )
        and len(f.days) == 1
        and (
            f.days[0] in just or (f.correcting and f.only) or f.total or f.days[0] in talked
        )  # (the day booked yesterday: "pour demain mettez-en 2")
        and len(f.loose) == 1
        and not p.items
        and p.intent in ("order", "smalltalk", "other")
    ):  # "non pardon, jeudi mettez-en 2", "non 3 pour vendredi": that day's number (two days
        # later too: "finalement 2 seulement pour demain")
        have = changes.on_day(session, person, f.days[0])
        if len(have) == 1:
            return changes.restrict(session, ctx, person, f.days[0], {next(iter(have)): f.loose[0]})
    if (
        f.correcting
        and fresh_day is not None
        and not f.days
        and not p.items
        and not f.named
        and not p.weekdays
        and (
            (len(f.loose) == 1 and 0 < f.loose[0] <= 20)
            or (not f.loose and _ONE_ALONE.search(folded) is not None)
        )
        and p.intent in ("order", "smalltalk", "other")
    ):  # "3 baguettes samedi" … "non pardon deux seulement", "pardon une seule en plus pas deux"
        have = changes.on_day(session, person, fresh_day)
        weekday = WEEKDAYS[fresh_day.weekday()]
        usual = changes.standing_orders(session, person.id, weekday).get(weekday, {})
        moved = [k for k in have if have[k] != usual.get(k, 0)]  # what the order just changed
        keys = list(have) if len(have) == 1 else moved
        if len(keys) == 1:
            n = 1 if _ONE_ALONE.search(folded) else f.loose[0]  # "une seule en plus, pas deux"
            if f.adding:  # one more than the usual, not one in all
                n += usual.get(keys[0], 0)
            return changes.restrict(session, ctx, person, fresh_day, {**have, keys[0]: n})
    if f.correcting and not f.days and recent is not None and len(f.loose) == 1 and p.items:
        have = changes.on_day(session, person, recent)
        if len(have) == 1 and not set(have) & set(p.items):  # "non attendez, mettez-en 5 et un
            key = next(iter(have))  # pack d'eau avec": 5 of what was just booked, and the water
            return changes.restrict(session, ctx, person, recent, {key: f.loose[0], **p.items})
    if (
        len(set(f.days)) == 1
        and not (p.items or f.named or f.loose or p.weekdays or f.weekly)
        and _ONE_ALONE.search(folded)
        and p.intent in ("smalltalk", "other", "order")
    ):  # "Et le vendredi 26 une seule aussi alors": one of what that day has
        have = changes.on_day(session, person, f.days[0])
        if len(have) == 1:
            return changes.restrict(session, ctx, person, f.days[0], {next(iter(have)): 1})
    in_all = IN_ALL_N.search(folded)
    if in_all is not None and fresh_day is not None and not f.days and not p.weekdays:
        have = changes.on_day(session, person, fresh_day)
        keys = [k for k in (f.named or tuple(have)) if k in have]
        n = int(in_all.group(1))
        if len(keys) > 1:  # "3 baguettes au lieu de 2" … "oups non 4 en tout": the one counted
            near = sorted(keys, key=lambda k: abs(have[k] - n))
            keys = near[:1] if abs(have[near[0]] - n) < abs(have[near[1]] - n) else keys
        if len(keys) == 1 and 0 < n <= 20:  # "sorry, 2 extra, so 4 in total"
            return changes.restrict(session, ctx, person, fresh_day, {**have, keys[0]: n})
    asked = dict(f.asked)
    if (
        f.correcting
        and not f.days
        and fresh_day is not None
        and asked
        and all(asked.values())
        and not f.refused
        and p.intent in ("other", "smalltalk", "order")
    ):  # "Two packs of water on Monday" … "just one pack actually, I can't lift two"
        have = changes.on_day(session, person, fresh_day)
        if set(asked) <= set(have):
            return changes.restrict(session, ctx, person, fresh_day, {**have, **asked})
    gone = [d for d in just if d is not None and d not in f.days and WEEKDAYS[d.weekday()]
            in f.weekday_names]  # fmt: skip
    if f.correcting and len(f.days) == 1 and len(gone) == 1 and not p.items and f.move is None:
        moved = changes.move(session, ctx, person, gone[0], f.days[0])
        if moved is not None:  # "non pardon le vendredi 29, pas le samedi": the order moves
            return moved
    if (
        recent is not None
        and f.to_day is not None
        and not p.items
        and f.to_day != recent
        and not (f.only and f.to_day in just)  # "jeudi juste le pain en fait": no move
    ):
        items = _items_for_day(ctx, person, msg.text, f.to_day)  # "l'eau plutôt jeudi"
        moved = changes.move(session, ctx, person, recent, f.to_day, items)
        if moved is not None:
            return moved
    if len(f.segments) > 1 and p.intent in ("order", "cancel", "smalltalk", "other"):
        exact = f.only or f.quantity is not None or f.correcting or bool(f.exact)
        return changes.several_days(
            session, ctx, person, f.segments, msg.channel, msg.text[:500],
            f.adding and f.quantity is None, exact,  # "3 instead of 2" is a total
        )  # fmt: skip
    said = f.weekday_names or f.plural_weekdays  # "no bread on Wednesdays until …"
    keep_days = [
        w
        for w in said
        if w in p.weekdays
        or (
            p.intent == "pause"
            and (
                not f.weekday_names
                or (
                    not f.days
                    and f.until is not None
                    and w not in {WEEKDAYS[d.weekday()] for d in (f.until, f.returning) if d}
                )
            )
        )
    ]  # ("Le samedi je n'ai pas besoin d'eau jusqu'à fin septembre": Saturdays, no day said)
    keep_days = [w for w in keep_days if w not in f.kept_weekdays]
    if (
        f.refused
        and keep_days
        and p.intent in ("standing_order", "cancel", "pause")
        and not any(n for k, n in f.asked if k not in f.refused)
        and (not f.days or f.week is not None)
        and (
            p.intent == "standing_order"
            or f.until is not None
            or (f.week is not None and _STARTING.search(folded) is not None)
        )
    ):  # "à partir de la semaine prochaine je veux plus d'eau le samedi, juste le pain", "je ne
        # prends plus d'eau le jeudi et le vendredi jusqu'au 5 février": those weekdays' water
        if f.until is not None:
            days = changes.coming_days(ctx, person, f.until, keep_days)
            return cancelling.cancel_days(session, ctx, person, tuple(days), f.refused)
        since = from_return
        if since is None and f.week is not None and _STARTING.search(folded):
            since = f.week[0]
        return changes.cancel_items_weekly(session, ctx, person, keep_days, f.refused, since)
    if f.refused and f.weekly and f.weekday_names and not f.days:
        # "plus d'eau le samedi, plus jamais, seulement le pain": the habit loses the water
        return changes.cancel_items_weekly(session, ctx, person, f.weekday_names, f.refused)
    if f.returning is not None and f.span is None:
        home = f.returning
        if f.resume is not None and f.resume.weekday() != f.returning.weekday():
            home = f.resume  # "je rentre mercredi soir, livrez vendredi": the Friday after it
            while home <= f.returning:
                home += ONE_DAY * 7
        shortened = cancelling.shorten_absence(session, ctx, person, home)  # "je rentre mercredi
        # soir, livrez vendredi": from Friday
        if shortened is not None:  # "en fait je rentre le jeudi 11": the absence just said ends
            return shortened
    if p.intent == "pause" and p.until is not None and p.date is None:
        extended = _extend_pause(session, ctx, person, p.until)  # "I'm away next week" … "until
        if extended is not None:  # the 20th": the pause just said, longer, not a new one from today
            return extended
    if f.before is not None and p.intent in ("pause", "cancel"):
        tomorrow = ctx.today(ctx.site(person.site_id)) + ONE_DAY
        if f.before > tomorrow:  # "pas de livraison avant lundi" (but "won't be home before
            late = _BEFORE_EVENING.search(folded) is not None  # Friday evening": nor Friday)
            end = f.before if late else f.before - ONE_DAY
            return cancelling.pause_range(session, ctx, person, tomorrow, end)
    given_up = tuple(w for w in f.weekday_names if w not in f.kept_weekdays)
    if f.weekly and given_up and not p.date and p.intent in ("pause", "cancel"):
        # "plus jamais le lundi", "stop my Monday bread for good": the habit, for good ("Le
        # jeudi et le vendredi je garde": not those)
        if named:
            return changes.cancel_items_weekly(session, ctx, person, given_up, named)
        weekly = Parse("cancel", weekdays=given_up, lang=p.lang)
        return cancelling.cancel(session, ctx, person, weekly, msg)
    if p.intent == "pause" and p.date is not None and p.date == p.until and "jusqu" in folded:
        # "il rentre après le 15. Arrêtez les livraisons jusqu'au 15": from now to the 15th
        tomorrow = ctx.today(ctx.site(person.site_id)) + ONE_DAY
        return cancelling.pause_range(session, ctx, person, tomorrow, p.until)
    if p.intent == "pause" and p.clarify and f.refused_days and not f.week:
        return cancelling.cancel_days(session, ctx, person, f.refused_days, f.refused)
    weekly_change = (
        p.intent == "standing_order"
        and not f.refused
        and not _NEGATIVE.search(UNCHANGED.sub(" ", folded))
        and not _ONCE.search(folded)
    )
    if p.weekdays and f.quantity is not None and weekly_change:
        value, before = f.quantity  # "le mercredi une baguette au lieu de deux"
        standing = changes.standing_orders(session, person.id)
        keys = {
            k for d in p.weekdays for k, n in standing.get(d, {}).items() if before in (None, n)
        }
        keys = (
            {k for k in keys if p.items.get(k) == value}  # "…, pour l'eau je garde un seul pack"
            or keys & set(p.items)
            or keys & set(f.named)
            or keys
        )
        if len(keys) == 1 and f.until is not None:
            # "jusqu'à la fin du mois, 2 baguettes le mardi au lieu d'une": those Tuesdays only
            key = keys.pop()
            segments = tuple(
                (d, tuple(sorted({**changes.on_day(session, person, d), key: value}.items())))
                for d in changes.coming_days(ctx, person, f.until, p.weekdays)
            )
            if segments:
                return changes.several_days(
                    session, ctx, person, segments, msg.channel, msg.text[:500], False, True
                )
        if len(keys) == 1:
            days = [d for d in p.weekdays if d in standing]
            since = from_return  # "à partir du mois de février", "from next week": from then
            if since is None and len(f.days) == 1 and cancelling.FROM_DAY.search(folded):
                since = f.days[0]
            elif (
                since is None
                and p.intent == "standing_order"
                and p.date is not None
                and cancelling.FROM_DAY.search(folded)
            ):
                since = p.date  # "à partir du mois prochain …. Mardi et mercredi pareil"
            elif f.week is not None and _STARTING.search(folded):
                since = f.week[0]
            weekly = changes.set_quantity_weekly(
                session, ctx, person, days, keys.pop(), value, since
            )
            if weekly is not None:
                return weekly
    if (
        p.intent == "standing_order"
        and p.items
        and not p.clarify
        and f.week
        and _STARTING.search(folded)
    ):  # "one loaf every Monday and Thursday, starting next week": the habit, from that Monday
        return order_flow.start(session, ctx, person, replace(p, date=f.week[0]), msg)
    if (
        p.intent == "pause"
        and f.week is not None
        and (p.date, p.until) == f.week
        and 0 < len(f.weekday_names) < len(WEEKDAYS) - 1
        and not f.weekly
    ):  # "la semaine prochaine rien le mardi": that Tuesday, not the whole week
        week = [f.week[0] + ONE_DAY * k for k in range(7)]
        said = [d for d in week if WEEKDAYS[d.weekday()] in f.weekday_names]
        return cancelling.cancel_days(session, ctx, person, tuple(said), named)
    if (
        p.intent in ("order", "standing_order")
        and p.items
        and all(p.items.values())
        and f.span is not None
        and not f.week
        and f.quantity is None
        and not _EVERY_WEEK.search(folded)
        and not (_EVERY_DAY.search(folded) and not _NUMBERED_DAY.search(folded))
    ):  # "1 pain de mardi à vendredi", "two loaves a day from Wednesday 24th to Saturday 27th":
        first, last = f.span  # those days, once (a range is no habit)
        span = [first + ONE_DAY * k for k in range((last - first).days + 1)]
        said = [d for d in span if not p.weekdays or WEEKDAYS[d.weekday()] in p.weekdays]
        segments = tuple((d, tuple(sorted(p.items.items()))) for d in said)
        return changes.several_days(session, ctx, person, segments, msg.channel, msg.text[:500])
    if (
        p.intent == "standing_order"
        and p.items
        and not p.clarify
        and (not f.only or f.week is not None)  # "pour la semaine prochaine seulement, …"
    ):
        today = ctx.today(ctx.site(person.site_id))
        days = _bounded_days(f, p, folded, today)
        if days:  # "une baguette par jour la semaine prochaine": those days, not every week
            # "…tous les jours du lundi au vendredi, et 2 packs d'eau lundi": the water Monday
            own = _items_of_one_day(ctx, msg.text, today)
            theirs = {k for items in own.values() for k in items}
            segments = tuple(
                (d, tuple(sorted(items.items())))
                for d in days
                if (
                    items := {
                        **{k: n for k, n in p.items.items() if k not in theirs},
                        **own.get(WEEKDAYS[d.weekday()], {}),
                    }
                )
            )
            return changes.several_days(session, ctx, person, segments, msg.channel, msg.text[:500])
    if p.intent == "pause" and p.clarify:
        if f.week is not None and named:  # "la semaine prochaine pas d'eau"
            week = [f.week[0] + ONE_DAY * k for k in range(7)]
            said = set(f.weekday_names)
            if said:  # "no bread on monday or tuesday next week"
                week = [d for d in week if WEEKDAYS[d.weekday()] in said]
            return cancelling.cancel_days(session, ctx, person, tuple(week), named)
        if (
            f.week is not None
            and f.refused_days
            and all(f.week[0] <= d <= f.week[1] for d in f.refused_days)
        ):  # "on Wednesday and Thursday next week, so nothing on those two days": those days
            return cancelling.cancel_days(session, ctx, person, tuple(f.refused_days), named)
        if f.week is not None:
            start = min(  # "rien samedi ni toute la semaine d'après": from that Saturday
                (d for d in f.refused_days if f.week[0] - 3 * ONE_DAY <= d < f.week[0]),
                default=f.week[0],
            )
            return cancelling.pause_range(session, ctx, person, start, f.week[1])
        if len(f.days) >= 2 and f.back:
            return cancelling.pause_range(session, ctx, person, f.days[0], f.days[-1] - ONE_DAY)
        if len(f.days) >= 2 and not (p.reason == "until_missing" and p.date is not None):
            # "pour jeudi et vendredi pas d'eau": the water of those days (but "from Monday
            # 14th until after Christmas" is a stay whose end is asked); "vendredi je serai chez
            # ma soeur, gardez seulement mercredi": Friday only
            gone = f.days
            if not named:
                gone = tuple(
                    d
                    for d in f.days
                    if WEEKDAYS[d.weekday()] not in f.kept_weekdays and d not in f.kept_days
                )
            return cancelling.cancel_days(session, ctx, person, gone or f.days, named)
    if p.intent == "cancel" and (not p.date or f.week is not None):
        if f.week is not None:
            week = [f.week[0] + ONE_DAY * k for k in range(7)]
            said = set(p.weekdays) | set(f.weekday_names)  # "la semaine du 21": 21 is no weekday
            if said and said != set(WEEKDAYS):  # "no bread on monday or tuesday next week"
                week = [d for d in week if WEEKDAYS[d.weekday()] in said]
            if named or p.weekdays:
                return cancelling.cancel_days(session, ctx, person, tuple(week), named)
            first = min((d for d in f.refused_days if 0 < (f.week[0] - d).days <= 2), default=None)
            # "pas de livraison demain ni la semaine prochaine" said on a Friday: from Saturday
            return cancelling.pause_range(session, ctx, person, first or f.week[0], f.week[1])
        if f.span is not None and p.weekdays and not _WEEKLY.search(fold(msg.text)):
            return cancelling.pause_range(session, ctx, person, *f.span)  # "de samedi à mardi"
        only = _only_weekdays(folded)  # "vendredi j'annule, juste jeudi": Thursday stays
        gone = tuple(d for d in f.days if WEEKDAYS[d.weekday()] not in only) if only else f.days
        kept = [d for d in f.days if d not in f.refused_days]
        if f.refused_days and len(f.loose) == 1 and len(kept) == 1 and not named:
            # "vendredi j'en veux 2 et samedi rien finalement": Friday's one item, that many
            have = changes.on_day(session, person, kept[0])
            if len(have) == 1 and 0 < f.loose[0] <= 20:
                cancelled = cancelling.cancel_days(session, ctx, person, f.refused_days, ())
                set_to = changes.restrict(
                    session, ctx, person, kept[0], {next(iter(have)): f.loose[0]}
                )
                return Reply(f"{set_to.text} {cancelled.text}", person.language)
        if len(f.days) >= 2 and not p.weekdays and gone:
            return cancelling.cancel_days(session, ctx, person, gone, named)
        if len(f.days) == 1 and p.clarify and not p.weekdays:  # the other days said are kept
            return cancelling.cancel_days(session, ctx, person, f.days, named)
    if p.intent == "cancel" and len(f.refused_days) >= 2 and set(f.refused_days) == set(f.days):
        # "je ne serai pas là vendredi ni samedi, annulez ces deux jours": both days
        return cancelling.cancel_days(session, ctx, person, f.refused_days, named)
    day = p.date or (f.days[0] if len(f.days) == 1 else None)
    fresh = last is not None and last["age"] is not None and last["age"] <= FRESH
    if day is None and not f.days and recent is not None and fresh and (f.refused or f.only):
        day = recent  # "2 loaves and a pack of water for Wednesday" … "Actually no water"
    wants = any(n for k, n in f.asked if k not in f.refused)
    if (
        f.nothing_day
        and day is not None
        and not f.asked
        and (
            p.intent in ("order", "other", "smalltalk")
            or (p.intent == "pause" and p.clarify and len(f.days) == 1)
        )
    ):  # "lundi rien du tout", "samedi 26 rien du tout, on mange chez mon fils"
        return cancelling.cancel_days(session, ctx, person, (day,), ())
    refusing = f.refused and not wants and not p.weekdays and not f.only
    if refusing and day is not None and p.intent in ("order", "other", "smalltalk"):
        return changes.cancel_items(session, ctx, person, day, f.refused)  # "jeudi 24 pas de pain"
    if (
        f.only
        and not f.adding
        and f.quantity is None  # "une seule baguette au lieu de deux": the number, below
        and day is not None
        and not p.weekdays
        and f.asked
        and p.intent != "cancel"
    ):
        have = changes.on_day(session, person, day)
        keep = {k: n or have.get(k) or 1 for k, n in f.asked if k not in f.refused}
        if have and keep:
            return changes.restrict(session, ctx, person, day, keep)
    if (
        p.intent == "order"
        and day is not None
        and p.items
        and set(p.items) <= set(f.exact)
        and not (f.adding or f.only or p.clarify or f.quantity)
    ):  # "ah non le samedi un seul pack d'eau": that item's number, the rest of the day stays
        have = changes.on_day(session, person, day)
        if have and set(p.items) <= set(have):  # (and "…, pas d'eau": without the water)
            kept = {k: n for k, n in {**have, **p.items}.items() if k not in f.refused}
            return changes.restrict(session, ctx, person, day, kept)
    if f.quantity is not None or f.swap is not None or f.removing or (f.adding and p.items):
        said_day = f.days[0] if len(f.days) == 1 and not (p.weekdays or f.weekly) else None
        target = p.date or said_day or recent
        if target is None and f.swap is not None:  # the next delivery with the item replaced
            target = changes.next_with(session, ctx, person, f.swap[1])
        if target is None and f.quantity is not None and f.quantity[1] and len(f.named) == 1:
            # "Actually 4 baguettes will do, not 6" hours later: the day the conversation last
            # changed that has 6 of them
            had = [
                d
                for d in touched.last_changed(session, ctx, person)
                if changes.on_day(session, person, d).get(f.named[0]) == f.quantity[1]
            ]
            if len(had) == 1 and not p.weekdays and not f.days:
                target = had[0]
        if (
            target is None
            and f.quantity is not None
            and len(f.named) == 1
            and p.intent in ("smalltalk", "other", "order")
            and not (p.weekdays or f.weekly or f.weekday_names or f.plural_weekdays or f.days)
            and _MAKE_THE.search(folded)
        ):
            # "Could we make the water 3 packs instead of 2?": the next delivery with 2 of it
            nxt = changes.next_with(session, ctx, person, f.named[0], 14)
            old = f.quantity[1]
            if nxt is not None and (
                old is None or changes.on_day(session, person, nxt).get(f.named[0]) == old
            ):
                target = nxt
        if target is not None and (
            p.date is None or p.intent != "cancel" or f.removing or f.quantity is not None
        ):
            if (
                f.adding
                and p.items
                and f.quantity is None
                and f.swap is None
                and not f.removing
                and changes.day_open(ctx, person, session, target) is not Verdict.OK
            ):  # "2 baguettes pour demain en plus" after the cut-off: another day is offered
                return order_flow.start(session, ctx, person, replace(p, date=target), msg)
            corrected = changes.correct(session, ctx, person, target, f, dict(p.items))
            if corrected is not None:
                return corrected
    if f.correcting and p.date is not None and p.items and not p.clarify and recent is not None:
        if p.date == recent or p.date in just or _WANTED_AFTER_ALL.search(folded):
            # "non pardon, mercredi c'est 1 baguette et 1 pack", "finalement pour demain je
            # veux bien une baguette quand même": that day's order, nothing moves
            have = changes.on_day(session, person, p.date) if set(p.items) <= set(f.exact) else {}
            # "pardon lundi un seul pack": that item's number, the bread stays
            return changes.restrict(session, ctx, person, p.date, {**have, **p.items})
        replaced = changes.replace_recent(session, ctx, person, recent, p, msg)
        if replaced is not None:  # "actually, 2 packs of water for Tuesday instead"
            return replaced
    more = _MORE_N.search(folded)
    if (
        recent is not None
        and len(f.days) == 1
        and (f.adding or more)
        and not f.named
        and not f.refused_days
        and p.intent in ("order", "other", "smalltalk")
    ):  # "une baguette demain et deux après-demain" … "et vendredi aussi une", "and two more
        # for Saturday": the same item
        have = changes.on_day(session, person, recent)
        n = read_quantity(more.group(1) if more else msg.text, person.language) or (
            1 if _ONE_MORE.search(folded) else None  # "et une aussi le 3 décembre"
        )
        if n and 0 < n <= 20 and len(have) == 1:
            q = replace(p, intent="order", items={next(iter(have)): n}, date=f.days[0])
            q = replace(q, clarify=False, question=None, reason=None)
            return order_flow.start(session, ctx, person, q, msg)
    several = _several_set(session, ctx, person, p)
    if several is not None:  # "ah mardi et jeudi mettez en 2" after a week's plan
        return several
    if last is not None and last["age"] is not None and last["age"] <= FRESH and not p.date:
        fixed = _bare_quantity(session, ctx, person, msg, p, last)
        if fixed is not None:
            return fixed
    if (
        p.intent == "cancel"
        and named
        and not (p.weekdays or p.date or f.days)
        and (f.weekly or _FOR_GOOD.search(folded))
    ):  # "à partir de maintenant plus d'eau du tout": off every usual day that has it
        habits = changes.standing_orders(session, person.id)
        weekdays = [w for w, items in habits.items() if set(named) & set(items)]
        if weekdays:
            return changes.cancel_items_weekly(session, ctx, person, weekdays, named)
    if p.intent == "cancel" and named:
        if p.weekdays:  # "à partir du 1er mars, plus d'eau le mercredi": from that day
            since = f.days[0] if len(f.days) == 1 and cancelling.FROM_DAY.search(folded) else None
            since = from_return or since
            # "plus de pain le mercredi, le jeudi et le vendredi je garde": Wednesday only
            weekdays = [w for w in p.weekdays if w not in f.kept_weekdays] or p.weekdays
            return changes.cancel_items_weekly(session, ctx, person, weekdays, named, since)
        target = p.date or recent
        kept_only = set(named) <= set(f.exact) and f.only and bool(f.kept_days)
        if kept_only and target is not None and target in f.kept_days:
            have = changes.on_day(session, person, target)  # "j'en ai plus besoin, gardez juste
            if set(named) < set(have):  # le pain jeudi": the bread is what stays
                return changes.restrict(session, ctx, person, target, {k: have[k] for k in named})
        fewer = f.adding or _OUT_OF.search(folded)  # "annulez une baguette sur les deux"
        extra = {k: n or 1 for k, n in f.asked if k in named} if fewer else {}
        have = changes.on_day(session, person, target) if extra and target else {}
        if extra and all(have.get(k, 0) > n for k, n in extra.items()):
            # "laissez tomber le pack en plus de vendredi": the one added, not the usual one
            less = {k: have[k] - extra.get(k, 0) for k in have}
            return changes.restrict(session, ctx, person, target, less)
        if target is None and _THIS_TIME.search(folded) and len(named) == 1:
            target = changes.next_with(session, ctx, person, named[0])  # "no water this time"
        if target is not None:
            return changes.cancel_items(session, ctx, person, target, named)
        return cancelling.confirm_next_items(session, ctx, person, named)
    if f.adding and p.weekdays and f.asked and p.intent in ("order", "standing_order"):
        adds = {k: n for k, n in f.asked if n}  # "ajoutez un pack d'eau le samedi avec le pain"
        if adds:
            return changes.add_weekly(session, ctx, person, list(p.weekdays), adds)
    if p.intent in ("list", "help") and f.faq and wants and day is not None:
        # "2 baguettes pour samedi. Et c'est bien gratuit ?": the order, then the answer
        order = Parse("order", items={k: n for k, n in f.asked if n}, date=day, lang=p.lang)
        booked = order_flow.start(session, ctx, person, order, msg)
        faq = answer_faq(ctx, person, f.faq, msg)
        return Reply(f"{booked.text} {faq.text}", person.language, booked.choices)
    too = _SAME.search(folded) or (f.adding and _TOO.search(folded) and not f.loose)
    if too and not p.items and last is not None and len(folded.split()) <= 8:
        copied = _same_again(session, ctx, person, msg, f, last)
        if copied is not None:  # "2 baguettes mercredi" … "et vendredi pareil", "et samedi aussi"
            return copied
    if (
        f.usual
        and p.intent in ("order", "smalltalk", "other")
        and not p.items
        and p.reason != "over_limit"  # "8 loaves instead of the usual 2": the maximum first
    ):
        return order_flow.usual(session, ctx, person, p, msg)
    return None


_EACH_OF_THEM = re.compile(
    r"\b(?:with each|to each|each time|for each|both days|on both|for both|avec les deux"
    r"|pour les deux|chaque fois|a chaque fois|les (?:deux|2|trois|3|quatre|4) (?:jours|fois)"
    r"|a chacun\w*|aux deux|avec chacun\w*|chacun\w* des (?:deux|2|trois|3) jours|each day"
    r"|for each day|on each day|on all three days|all (?:three|3) days"
    r"|les (?:deux|2) derniers jours|(?:on |for )?(?:those|these|the) (?:two|2|three|3|four|4) days"
    r"|(?:on |for )?(?:those|these|all those|all these|all the) days"
    r"|ces (?:deux|2|trois|3|quatre|4) jours|ces jours la|ces jours ci|pour tous ces jours)\b"
)
_LAST_TWO = re.compile(r"\bles (?:deux|2) derniers jours\b|\bthe last (?:two|2) days\b")
# "make it 2 for both days", "mettez-en 2 pour les deux jours", "I meant 2 packs on both days":
# the number each day gets, not one more
_SET_EACH = re.compile(
    r"\b(?:make (?:it|that|them)|mettez[ -]?(?:en|les)|mettre|ce sera|i meant|je voulais dire"
    r"|plutot|instead|au lieu)\b"
)


def _each_of_them(
    session: Session, ctx: Context, person: Person, folded: str, p: Parse, just: list[Any]
) -> Reply | None:
    """Every day booked in this conversation gets the items said: "rajoutez de l'eau avec les
    deux, un pack chaque fois", "et 1 pack d'eau chacun des 2 jours" (added), "make it 2 for
    both days" (that number). The days: those of the order just made, else those this
    conversation booked (`touched`)."""
    f = p.frame
    if not (
        _EACH_OF_THEM.search(folded)
        or (_EACH_DAY.search(folded) and (f.correcting or f.quantity) and not f.weekly)
    ):  # ("pardon deux packs chaque jour pas un": each of the days just booked)
        return None
    booked = [d for d in dict.fromkeys(just) if d is not None]
    today = ctx.today(ctx.site(person.site_id))
    if len(booked) < 2:
        base = touched.before_conversation(session, ctx, person)
        booked = [d for d in sorted(base) if d > today and changes.on_day(session, person, d)]
    if len(booked) < 2:
        return None
    if _LAST_TWO.search(folded):
        booked = booked[-2:]
    said = {k: n for k, n in f.asked if k not in f.refused}
    if any(said.values()) and len(said) > 1:  # "ajoutez 1 baguette chaque fois avec l'eau":
        said = {k: n for k, n in said.items() if n}  # the water is what it goes with
    setting = bool(f.correcting or f.quantity or _SET_EACH.search(folded))
    if not said and len(f.loose) == 1:  # "mettez en 2 pour les deux jours": their one item
        kinds = {k for d in booked for k in changes.on_day(session, person, d)}
        if len(kinds) != 1:
            return None
        said, setting = {kinds.pop(): f.loose[0]}, True
    if not said:
        return None
    lines = []
    for d in booked:
        have = changes.on_day(session, person, d)
        if setting:
            new = {**have, **{k: n or 1 for k, n in said.items()}}
        else:
            new = {**have, **{k: have.get(k, 0) + (n or 1) for k, n in said.items()}}
        over = over_limit(ctx.config, new)
        if over:
            new[over] = ctx.config.catalogue[over].max_per_delivery
        changes.set_day(session, ctx, person, d, new, "change")
        lines.append(changes.restate(ctx, person.language, d, new))
    return Reply(t(person.language, "change.done") + " " + " ".join(lines), person.language)


_THIS_WEEK = re.compile(r"\b(?:cette semaine|this week)\b")
_ONCE = re.compile(
    r"\b(?:just this once|just this time|only this (?:once|time|week)|this time only|for this week"
    r"|juste cette (?:fois|semaine)|pour cette fois|cette fois seulement|exceptionnellement"
    r"|pour une fois|rien que cette (?:fois|semaine)|seulement cette (?:fois|semaine))\b"
)
_FROM_RETURN = re.compile(
    r"\b(?:a partir de|des|apres) (?:mon|notre) retour\b|\b(?:from|after|once) (?:my|our) return\b"
    r"|\b(?:from|after|once|when) (?:i m|i am|i get|we re|we get) back\b"
)
_MORE_N = re.compile(
    r"\b(\w+) (?:more|de plus|autres?|en plus|supplementaires?|other)\b(?! (?:que|than))"
)
ITEM_OF_DAY = re.compile(
    r"\b(?:pain|eau|baguettes?|packs?|bread|water|loaf|loaves)\s(?:du|de|of|on)\s(?:lundi|mardi"
    r"|mercredi|jeudi|vendredi|samedi|monday|tuesday|wednesday|thursday|friday|saturday)s?\b"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday)s?\s(?:bread|water|loaf|loaves)\b"
)
_POINTING = re.compile(
    r"^(?:\w+ )?(?:(?:celle|celui|celles|ceux|the one|the ones) (?:de|du|d|on|for|of)\b"
    r"|(?:tous |toutes )?les (?:deux|2)\b|both\b)"
)  # "les deux, je pars chez mon frère": which ones, an answer
_ALL_FROM = re.compile(
    r"\b(?:les|mes|toutes? les|all|my|the|no|pas de|plus de) (?:livraisons?|deliveries)\b.*"
    r" (?:a partir d\w*|des le"
    r"|a compter d\w*|from|starting)\b"
)
_CANCEL_ALL = re.compile(
    r"\b(?:annul\w*|supprim\w*|cancel\w*)\s(?:moi\s)?(?:tout|everything|it all|all of it)\b"
)
_TOO = re.compile(r"\b(?:aussi|egalement|too|as well)$")
_SAME = re.compile(r"\b(?:pareil|idem|la meme chose|meme chose|same|the same|likewise)\b")


_OWNED = re.compile(
    r"\b(?:my|ma|mon|mes)\s(?:\w+\s){0,2}(?:du\s|de\s|of\s)?(lundi|mardi|mercredi|jeudi|vendredi|samedi"
    r"|monday|tuesday|wednesday|thursday|friday|saturday)\b"
)


def _habit_move(
    ctx: Context, person: Person, msg: Inbound, f: Any, just: list[date] = ()
) -> tuple[date, date] | None:
    """Two weekdays and a move, one of them "mine" or refused: "move my Wednesday bread to
    Thursday", "ma livraison du jeudi le mercredi plutôt, je ne serai pas là jeudi" (the next of
    each)."""
    folded = fold(msg.text)
    of_day = _THE_DAYS.search(folded)  # "the Wednesday water", "le pain de jeudi je le veux mardi"
    if of_day and (f.adding or re.search(r"\b(?:avec|with)\s\w+\s$", folded[: of_day.start()])):
        of_day = None  # "rajoutez-moi un pack d'eau avec le pain du jeudi": beside it, no move
    if len(f.weekday_names) != 2 or len(f.days) > (2 if of_day else 1) or f.refused:
        return None  # two days said as dates, or items refused: read as they are
    if not (set(folded.split()) & MOVE_VERBS or _INSTEAD.search(folded) or of_day):
        return None
    owned = _OWNED.search(folded) or of_day
    refused = {WEEKDAYS[d.weekday()] for d in f.refused_days}
    said = next((g for g in owned.groups() if g), None) if owned else None
    source = WEEKDAY_KEYS[SAID_WEEKDAYS[said]] if said else next(iter(refused), None)
    if source not in f.weekday_names:
        return None
    target = next(d for d in f.weekday_names if d != source)
    today = ctx.today(ctx.site(person.site_id))
    start, end = (
        resolve(Day("wd", weekday=WEEKDAYS.index(k)), today).date for k in (source, target)
    )
    if start and just:  # the day just booked of that weekday, rather than the next one
        start = next((d for d in just if d.weekday() == start.weekday()), start)
        end = next(
            (d for d in (start + ONE_DAY * k for k in range(1, 7)) if d.weekday() == end.weekday()),
            end,
        ) if end and end < start else end  # fmt: skip
    return (start, end) if start and end else None


def _move_taken_back(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse, moved: dict[str, Any]
) -> Reply | None:
    """A correction of the move just made that names the day it left: the move is undone; when
    another day of that week is named instead, that day's order makes the move ("I mean
    Wednesday's, not Tuesday's"); otherwise the message is read as it stands on the days as they
    were ("c'est jeudi que je ne suis pas là, donc mercredi normal et rien jeudi")."""
    f = p.frame
    if not (f.correcting or habit_changes.TAKING_BACK.search(fold(msg.text))):
        return None
    start, end = (date.fromisoformat(moved[k]) for k in ("from", "to"))
    left = WEEKDAYS[start.weekday()]
    if left not in f.weekday_names or p.items:
        return None
    changes.undo_move(session, ctx, person, moved)
    others = [k for k in f.weekday_names if k not in (left, WEEKDAYS[end.weekday()])]
    refusing_left = bool(f.refused_days) and all(
        WEEKDAYS[d.weekday()] == left for d in f.refused_days
    )  # "not Tuesday's"; "… et rien vendredi" is no other order to move
    if len(others) == 1 and refusing_left and not f.nothing_day:
        monday = start - timedelta(days=start.weekday())
        source = monday + timedelta(days=WEEKDAYS.index(others[0]))
        return changes.move(session, ctx, person, source, end)
    return None


def _pointed_move(ctx: Context, person: Person, msg: Inbound, p: Parse) -> tuple[date, date] | None:
    """Two weekdays and "la mettre", "mettez-les", "put it": the order of the first day said (or
    of the one refused) goes to the other, this once: "ma livraison de jeudi vous pouvez la
    mettre mercredi ?", "jeudi mes 2 baguettes mettez-les vendredi en plus de celle du vendredi"."""
    f = p.frame
    folded = fold(msg.text)
    if len(f.weekday_names) != 2 or (p.items and p.intent == "order") or f.weekly:
        return None
    if not MOVE_PRONOUN.search(folded) or _WEEKLY_WORDS.search(folded):
        return None
    today = ctx.today(ctx.site(person.site_id))
    said = {WEEKDAYS[d.weekday()]: d for d in f.days}
    days = [
        said.get(k) or resolve(Day("wd", weekday=WEEKDAYS.index(k)), today).date
        for k in f.weekday_names
    ]
    if None in days:
        return None
    if days[0] == days[1]:
        return None
    by_name = dict(zip(f.weekday_names, days, strict=True))
    owned = OWNED_DAY.search(folded)
    pronoun = MOVE_PRONOUN.search(folded)
    if (
        owned is not None
        and pronoun is not None
        and owned.start() < pronoun.end()
        and pronoun.group(0).endswith((" on", " to"))
    ):
        owned = None  # "put the water on Tuesday": where it goes, not whose it is
    after = re.search(rf"(?:{MOVE_PRONOUN.pattern})\s(?:le |au |on |to )?(\w+)", folded)
    refused = [d for d in days if d in f.refused_days]
    source: date | None = None
    empty = next((m for rx in _NOTHING_ON if (m := rx.search(folded))), None)
    if empty is not None:  # "mettez les 2 baguettes le vendredi, rien le samedi"
        source = by_name.get(WEEKDAY_KEYS[SAID_WEEKDAYS[empty.group(1)]])
    if source is None and owned is not None:
        said = next(g for g in owned.groups() if g)
        source = by_name.get(WEEKDAY_KEYS[SAID_WEEKDAYS[said]])
    if source is None and after is not None and after.groups()[-1] in SAID_WEEKDAYS:
        target = by_name.get(WEEKDAY_KEYS[SAID_WEEKDAYS[after.groups()[-1]]])
        source = next((d for d in days if d != target), None)
    if source is None:
        source = refused[0] if len(refused) == 1 else days[0]
    target = next(d for d in days if d != source)
    return source, target


_DAY_NAMES = (
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|monday|tuesday|wednesday|thursday|friday|saturday"
)
_NOTHING_ON = (  # "rien le samedi" before "samedi rien": "le vendredi, rien le samedi"
    re.compile(rf"\b(?:rien|nothing|none)\s(?:le\s|on\s|pour\s|for\s)?({_DAY_NAMES})\b"),
    re.compile(rf"\b({_DAY_NAMES})\s(?:rien|nothing|none)\b"),
    # "jeudi pas de livraison svp, mettez tout sur vendredi": Thursday's goes
    re.compile(rf"\b({_DAY_NAMES})\s(?:pas\sde\slivraison|no\sdelivery)\b"),
)


def _sums_up(session: Session, person: Person, p: Parse, pointed: tuple[date, date]) -> bool:
    """ "mettez les 2 packs samedi, lundi rien" with one pack on each day: the number said is
    what both days make together, so the moved one goes on top of the other."""
    asked = {k: n for k, n in p.frame.asked if n}
    if not asked:
        return False
    a, b = (changes.on_day(session, person, d) for d in pointed)
    return all(a.get(k, 0) + b.get(k, 0) == n and a.get(k) and b.get(k) for k, n in asked.items())


def _items_for_day(ctx: Context, person: Person, text: str, day: date) -> tuple[str, ...]:
    """The items named in the part of the message that names `day`: "l'eau plutôt jeudi, le
    pain reste mercredi" moves the water; "finalement l'eau je la veux mercredi avec le pain"
    too ("avec le pain" is what is there already). None named there, or all: ()."""
    today = ctx.today(ctx.site(person.site_id))
    lexicon = lexicon_for(ctx.config)
    named: list[str] = []
    for piece in _PIECES.split(fold(text)):
        piece = _BESIDE_ITEM.sub(" ", piece)
        f = parse(piece, today, None, lexicon=lexicon).frame
        if day in f.days or f.to_day == day:
            named += [k for k in f.named if k not in f.refused]
    return () if not named or set(named) >= set(ctx.config.catalogue) else tuple(set(named))


_PIECES = re.compile(r"[,;.!?]|\b(?:mais|but|pas|not)\b")
_BESIDE_ITEM = re.compile(r"\b(?:avec|with)\s(?:le|la|les|l|mon|ma|mes|the|my)\s\w+")


def _moved_items(ctx: Context, person: Person, msg: Inbound) -> tuple[str, ...]:
    """The items named up to "mettez-le": "le pack d'eau de lundi mettez-le plutôt mardi, le pain
    reste lundi" moves the water only (none named: the whole order)."""
    folded = fold(msg.text)
    said = MOVE_PRONOUN.search(folded)
    if said is None:
        return ()
    today = ctx.today(ctx.site(person.site_id))
    named = parse(folded[: said.end()], today, None, lexicon=lexicon_for(ctx.config)).frame.named
    return () if set(named) >= set(ctx.config.catalogue) else tuple(named)


def _only_one_of(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse, just: list[Any]
) -> Reply | None:
    """Several days just booked, then "non juste mardi finalement": the others lose what was
    just booked for them (a usual delivery stays as it always is)."""
    f = p.frame
    if not (f.correcting and f.only) or p.items or f.named or f.asked or f.weekly:
        return None
    booked = [d for d in just if d is not None]
    m = _ONLY_DAY.search(fold(msg.text))
    if len(booked) < 2 or m is None or m.group(1) not in SAID_WEEKDAYS:
        return None
    kept = [d for d in booked if WEEKDAYS[d.weekday()] == WEEKDAY_KEYS[SAID_WEEKDAYS[m.group(1)]]]
    if len(kept) != 1:
        return None
    lines = []
    cancelled = not any(changes.on_day(session, person, d) for d in booked)
    for day in booked:
        if day == kept[0]:
            continue
        if cancelled:  # "No bread on Tuesday and Wednesday" … "I meant only Tuesday": Wednesday
            changes.restore_day(session, ctx, person, day)  # comes back
            lines.append(
                changes.restate(ctx, person.language, day, changes.on_day(session, person, day))
            )
            continue
        weekday = WEEKDAYS[day.weekday()]
        habit = changes.standing_orders(session, person.id, weekday).get(weekday, {})
        usual = habit and changes.on_day(session, person, day) == habit
        if not usual and not changes.back_to_habit(session, ctx, person, day):
            changes.set_day(session, ctx, person, day, {}, "change")
        lines.append(
            changes.restate(ctx, person.language, day, changes.on_day(session, person, day))
        )
    lines.append(
        changes.restate(ctx, person.language, kept[0], changes.on_day(session, person, kept[0]))
    )
    return Reply(t(person.language, "change.booked") + " " + " ".join(lines), person.language)


_ONE_ALONE = re.compile(r"\b(?:une seule|un seul|only one|just one)\b")


_ALSO = re.compile(r"\b(?:aussi|egalement|also|too|as well)\b")
_ONLY_DAY = re.compile(r"\b(?:juste|seulement|uniquement|only|just)\s(?:le\s|on\s)?(\w+)")
_WEEKLY_WORDS = re.compile(r"(?:tous les|toutes les|chaque|every|each|desormais|from now on)")


def _cancel_moved(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse
) -> Reply | None:
    """A cancel just made, said to be for another day: "No bread on Tuesday please" … "Sorry I
    meant Monday, not Tuesday" (Tuesday comes back as it was, Monday loses the bread)."""
    f = p.frame
    days = list(dict.fromkeys(f.days))
    counted = any(n for _, n in f.asked)  # ("vendredi je garde mon pain" names, counts nothing)
    if not f.correcting or p.items or counted or not 0 < len(days) <= 2 or p.weekdays:
        return None
    before = antecedents.previous(session, ctx, person, msg)
    if before is None:
        return None
    bf = before.frame
    today = ctx.today(ctx.site(person.site_id))
    bf = replace(bf, days=tuple(d for d in bf.days if d > today))  # "I've still got today's"
    if len(days) == 1:  # "non pardon je voulais dire vendredi. jeudi c'est bon"
        days += [d for d in dict.fromkeys(bf.days) if WEEKDAYS[d.weekday()] in f.kept_weekdays]
        if len(days) != 2:
            return None
    weekday = WEEKDAYS[said_day.weekday()] if (said_day := (bf.days or (None,))[0]) else None
    usual = weekday is not None and bool(changes.standing_orders(session, person.id).get(weekday))
    changed = (  # a usual day changed (a one-off order said for the wrong day is moved instead)
        usual and bool(before.items) and bool(bf.exact or bf.quantity is not None or bf.adding)
    )
    cancelled = not before.items and (before.intent == "cancel" or bool(bf.refused))
    if not (changed or cancelled or bf.nothing_day):
        return None
    said = [d for d in dict.fromkeys(bf.days) if d in days]
    if len(said) != 1 or len(set(bf.days)) != 1:
        return None
    wrong = said[0]
    right = next(d for d in days if d != wrong)
    kept = wrong in f.kept_days or WEEKDAYS[wrong.weekday()] in f.kept_weekdays
    if not (kept or wrong in f.refused_days or f.move is not None):
        return None  # "not Tuesday", "Tuesday is fine": the day of the cancel was the wrong one
    if not changes.restore_day(session, ctx, person, wrong):
        changes.back_to_standing(session, ctx, person, wrong)
    back = changes.restate(ctx, person.language, wrong, changes.on_day(session, person, wrong))
    if changed:  # "Tuesday only one baguette" … "Sorry, I meant Wednesday, not Tuesday"
        have = changes.on_day(session, person, right)
        new = {**have, **before.items}
        if bf.adding and not bf.exact and bf.quantity is None:  # "Extra baguette on Monday"
            new = {k: have.get(k, 0) + before.items.get(k, 0) for k in {*have, *before.items}}
        fixed = changes.restrict(session, ctx, person, right, new)
        return Reply(f"{fixed.text} {back}", person.language)
    named = () if bf.nothing_day else tuple(bf.refused or bf.named)
    if set(named) >= set(ctx.config.catalogue):
        named = ()
    cancelled = cancelling.cancel_days(session, ctx, person, (right,), named)
    return Reply(f"{cancelled.text} {back}", person.language)


def _bound_corrected(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse
) -> Reply | None:
    """The end of a refusal just said, corrected: "no bread on Wednesdays until the 5th of March"
    … "I meant until the 25th of February, not March" (the Wednesdays after it come back), or
    later ("jusqu'au 20 mars, pas le 10": the Wednesdays up to it lose the item too)."""
    f = p.frame
    folded = fold(msg.text)
    end = f.until
    if end is None and len(set(f.days)) == 1 and _UNTIL_WORD.search(folded):
        end = f.days[0]  # "non pardon, jusqu'à la mi-février, le 15"
    if not f.correcting or end is None or p.items or f.named or f.weekday_names:
        return None
    before = antecedents.previous(session, ctx, person, msg)
    if before is None:
        return None
    bf = before.frame
    weekdays = [w for w in bf.weekday_names or bf.plural_weekdays if w not in bf.kept_weekdays]
    if bf.until is None or not bf.refused or not weekdays or bf.until == end:
        return None
    lang = person.language
    if end > bf.until:
        days = [d for d in changes.coming_days(ctx, person, end, weekdays) if d > bf.until]
        return cancelling.cancel_days(session, ctx, person, tuple(days), tuple(bf.refused))
    days = [d for d in changes.coming_days(ctx, person, bf.until, weekdays) if d > end]
    for day in days:
        if not changes.restore_day(session, ctx, person, day):
            changes.back_to_standing(session, ctx, person, day)
    lines = [changes.restate(ctx, lang, d, changes.on_day(session, person, d)) for d in days]
    return Reply(t(lang, "change.booked") + " " + " ".join(lines), lang)


def _cancel_taken_back(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse
) -> Reply | None:
    """A day just cancelled, wanted after all: "No bread Wednesday please" … "Actually I'd like
    my Wednesday bread after all" (the day gets back what it had)."""
    f = p.frame
    folded = fold(msg.text)
    days = list(dict.fromkeys(f.days))
    if len(days) > 1 or f.refused or f.refused_days or p.weekdays or f.nothing_day:
        return None
    if f.only and f.correcting and _ONLY_DAY.search(folded):
        return None  # "Sorry, I meant only Tuesday": the one day kept cancelled (_only_one_of)
    taking = f.correcting or _AFTER_ALL.search(folded) or _TAKE_AGAIN.search(folded)
    if not taking or p.intent in ("cancel", "stop", "pause"):
        return None
    before = antecedents.previous(session, ctx, person, msg, within=timedelta(days=3))
    if before is None or before.items:
        return None
    bf = before.frame
    if not (before.intent == "cancel" or bf.refused or bf.nothing_day):
        return None
    then = list(dict.fromkeys(bf.days)) or ([before.date] if before.date else [])
    if not days and len(then) == 1 and f.weekday_names == (WEEKDAYS[then[0].weekday()],):
        days = then  # "I'd like my Wednesday bread after all"
    if not days and len(then) == 1 and not f.weekday_names and _WANT_IT.search(folded):
        days = then  # "annulez l'eau de mercredi" … "non en fait je la veux"
    if len(days) != 1 or days[0] not in then:
        return None
    day = days[0]
    if not changes.restore_day(session, ctx, person, day):
        changes.back_to_standing(session, ctx, person, day)
    asked = {k: n for k, n in f.asked if n}
    have = changes.on_day(session, person, day)
    if not asked and len(f.loose) == 1 and len(have) == 1:
        asked = {next(iter(have)): f.loose[0]}  # "oups lundi mettez-m'en quand même une"
    taken = [k for k in f.named if k in bf.refused and k not in have]
    if not asked and taken and _TAKE_AGAIN.search(folded):
        asked = dict.fromkeys(taken, 1)  # "je reprends l'eau mercredi": the item named, one
    item_cancel = bool(bf.refused) or (before.intent == "cancel" and bool(bf.named))
    if asked and f.asked and not f.adding and not (item_cancel and not bf.nothing_day):
        # "annulez lundi" … "et 1 baguette lundi quand même": that is Monday (but "annulez l'eau
        # de mercredi" … "je garde 1 pack d'eau finalement": the bread stays too)
        named = {k: have[k] for k in f.named if k in have}  # "… et le pack d'eau samedi"
        return changes.restrict(session, ctx, person, day, {**named, **asked})
    if asked:
        return changes.restrict(session, ctx, person, day, {**have, **asked})
    lang = person.language
    return Reply(
        t(lang, "change.booked")
        + " "
        + changes.restate(ctx, lang, day, changes.on_day(session, person, day)),
        lang,
    )


_WANT_IT = re.compile(
    r"\bje (?:la|le|les) (?:veux|voudrais|garde)\b|\bi (?:do )?want (?:it|them)\b"
)
_DROP_LEAD = re.compile(
    r"^\W*(?:(?:non|no|bon|ah|oh|finalement)\W+)*(?:laissez tomber|laisse tomber|oubliez(?: [cç]a)?"
    r"|oublie(?: [cç]a)?|forget it|forget that|never ?mind|tant pis)\s*[,.;!:]+\s*",
    re.IGNORECASE,
)
_WD = (
    r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|monday|tuesday|wednesday|thursday|friday"
    r"|saturday)"
)
# "the Wednesday water", "the Tuesday ones", "le pain du mercredi", "celles du mardi"
_THE_DAYS = re.compile(
    rf"\b(?:the\s{_WD}s?\s(?:bread|water|loaf|loaves|ones?|delivery|order)"
    rf"|(?:pains?|eau|baguettes?|packs?|celles?|ceux|celui)\s(?:du|de)\s{_WD})\b"
)
_IT_IS_DAY_NOT_DAY = re.compile(
    rf"\b(?:c est|it s|it is|is|are|ce sera|c etait)\s(?:le\s|on\s|for\s)?{_WD}s?\s(?:et\s|and\s)?"
    rf"(?:pas|not|non)\s(?:le\s|on\s|for\s)?{_WD}s?\b"
)


def _item_to_other_day(
    session: Session, ctx: Context, person: Person, folded: str, f: Any
) -> Reply | None:
    """ "L'eau c'est le lundi pas le mercredi", "the water is for Monday, not Wednesday": the
    item named goes from the coming day it is on to the other day of that week."""
    m = _IT_IS_DAY_NOT_DAY.search(folded)
    if m is None or len(f.named) != 1 or (f.asked and any(n for _, n in f.asked)):
        return None
    to_wd, from_wd = (SAID_WEEKDAYS[g] for g in m.groups())
    today = ctx.today(ctx.site(person.site_id))
    coming = [today + ONE_DAY * k for k in range(1, 15)]
    start = next(
        (
            d
            for d in coming
            if d.weekday() == from_wd and f.named[0] in changes.on_day(session, person, d)
        ),
        None,
    )
    if start is None:
        return None
    monday = start - ONE_DAY * start.weekday()
    end = monday + ONE_DAY * to_wd
    if end <= today:
        end += ONE_DAY * 7
    return changes.move(session, ctx, person, start, end, named=f.named, add=True)


_NOT_WEEKDAY = re.compile(rf"\b(?:pas|not|sauf|except|but not)\s(?:le\s|the\s|on\s)?{_WD}\b")


def _not_that_weekday(
    session: Session,
    ctx: Context,
    person: Person,
    folded: str,
    p: Parse,
    just: list[date | None],
) -> Reply | None:
    """ "1 baguette tous les jours la semaine prochaine" … "je me suis trompé, pas le mercredi":
    that day of the orders just made is cancelled (once their memory has lapsed, said as a
    correction: the next such day, if something comes then)."""
    f = p.frame
    if (
        not _NOT_WEEKDAY.search(folded)
        or p.intent not in ("smalltalk", "other")
        or p.items
        or f.asked
        or f.named
        or f.kept_days
        or f.kept_weekdays
        or f.refused_days  # "Oh not Tuesday, sorry": read later (only what was added goes)
        or len(set(f.weekday_names)) != 1
    ):
        return None
    booked = [d for d in just if d is not None]
    if len(booked) < 2 and f.correcting:
        today = ctx.today(ctx.site(person.site_id))
        booked = [today + ONE_DAY * k for k in range(1, 9)]
        booked = [d for d in booked if changes.on_day(session, person, d)]
    named_days = [d for d in booked if WEEKDAYS[d.weekday()] in f.weekday_names]
    if len(named_days) == 1 and (len(booked) > 1 or f.correcting):
        return cancelling.cancel_days(session, ctx, person, (named_days[0],), ())
    return None


_FOR_GOOD = re.compile(
    r"\b(?:a partir de maintenant|dorenavant|desormais|a l avenir|pour de bon|plus jamais"
    r"|from now on|for good|any ?more|no longer|never again)\b"
)
_OUT_OF = re.compile(
    r"\b(?:sur les|out of the|of the) (?:deux|trois|quatre|cinq|six|two|three|four|\d)\b"
)
_THIS_TIME = re.compile(
    r"\b(?:this time|cette fois(?: ci)?|pour cette fois|the next one|la prochaine)\b"
)
_EITHER = re.compile(r"\b(?:non plus|either|neither)\b")
EITHER_BACK = timedelta(days=3)
_WHOLE_DAY = re.compile(
    r"\b(?:rien du tout|rien de rien|nothing at all|no delivery|pas de livraison"
    r"|aucune livraison)\b"
)
# "je reprends l'eau mercredi", "I'll have the water back on Wednesday"
_TAKE_AGAIN = re.compile(
    r"\b(?:je reprends|je reprendrai|je garde finalement|remettez|remettez moi|remettre"
    r"|rajoutez de nouveau|i ll have (?:the|my) \w+ back|put (?:the|my) \w+ back"
    r"|i ll take (?:the|my) \w+ after)\b"
)
_ONLY_DAYS = re.compile(
    r"\b(?:juste|seulement|uniquement|only|just)\s(?:le\s|on\s|pour\s|for\s)?((?:(?:lundi|mardi|mercredi"
    r"|jeudi|vendredi|samedi|monday|tuesday|wednesday|thursday|friday|saturday)(?:\s(?:et|and|,)\s"
    r"(?:le\s|on\s)?)?)+)"
)


def _only_weekdays(folded: str) -> set[str]:
    """The weekdays said with "juste", "only": "juste jeudi", "just Monday and Friday"."""
    out: set[str] = set()
    for m in _ONLY_DAYS.finditer(folded):
        out |= {WEEKDAYS[SAID_WEEKDAYS[w]] for w in m.group(1).split() if w in SAID_WEEKDAYS}
    return out


_MAKE_THE = re.compile(
    r"\b(?:make|mettez|mettre|passez|passer|faites)\b.*\b(?:the|l|le|la|les)\s(?:water|bread|eau"
    r"|pain|baguettes?|loaves|loaf)\b"
)
_AFTER_ALL = re.compile(r"\b(?:after all|quand meme|tout de meme|finalement|en fait)\b")
_UNTIL_WORD = re.compile(r"\b(?:jusqu|until|till)\b")


def _cancel_again(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse
) -> Reply | None:
    """The cancel (or refusal) of the message before, again for the one day said now: "annulez
    ma commande de vendredi" … "et celle de lundi aussi"; "just one loaf on Monday, not two" …
    "And none on Tuesday" (the loaves)."""
    f = p.frame
    folded = fold(msg.text)
    site = ctx.site(person.site_id)
    days = [d for d in dict.fromkeys(f.days) if delivers(site, d)]  # "je rentre dimanche": no day
    if p.items or f.asked or f.named or f.refused or len(days) != 1 or p.weekdays:
        return None
    if len(folded.split()) > 12:  # "oh ok never mind then. none on wednesday either though"
        return None
    none = NONE_OF_IT.search(folded) is not None or f.nothing_day
    if not (none or AGAIN.search(folded)) or p.intent not in ("smalltalk", "other", "cancel"):
        return None
    if f.kept_days or f.kept_weekdays or UNCHANGED.search(folded):
        return None  # "Wednesday stays the same": kept, not cancelled
    # "samedi non plus finalement" two days after "pas de livraison jeudi ni vendredi"
    either = _EITHER.search(folded) is not None
    before = antecedents.previous(session, ctx, person, msg, within=EITHER_BACK if either else None)
    if before is None:
        return None
    bf = before.frame
    cancelled = (
        before.intent == "cancel"
        or (before.intent == "pause" and either)
        or (bf.refused and not before.items)
        or bf.nothing_day
    )
    if cancelled:
        named = () if bf.nothing_day else tuple(bf.refused or bf.named)
    elif none and len(set(bf.named or before.items)) == 1:
        named = tuple(set(bf.named or before.items))  # "none" of the item just talked about
    else:
        return None
    if set(named) >= set(ctx.config.catalogue) or _WHOLE_DAY.search(folded):
        named = ()  # "et samedi rien du tout": that day, every item
    return cancelling.cancel_days(session, ctx, person, (days[0],), named)


def _absence_moved(
    session: Session, ctx: Context, person: Person, was: date, now: date
) -> Reply | None:
    """An absence to come whose first or last day is said again: "je pars finalement le 13 au
    lieu du 17", "je rentre le 20 au lieu du 22". None when no absence starts or ends on `was`."""
    today = ctx.today(ctx.site(person.site_id))
    for q in active_pauses(session, person.id, today):
        start, end = q.start_on, q.end_on
        if start == was and now <= end:
            start = now
        elif end == was and now >= start:
            end = now
        else:
            continue
        session.delete(q)
        session.flush()
        return cancelling.pause_range(session, ctx, person, start, end)
    return None


def _habit_further(
    session: Session,
    ctx: Context,
    person: Person,
    folded: str,
    p: Parse,
    habit: dict[str, Any],
) -> Reply | None:
    """A habit just changed, then one more weekday in a few words, without saying "every week"
    again: "et le mercredi pareil, une seule" (the same item, that number), "et le jeudi plus
    rien", "and none on Tuesdays anymore" (that weekday stops). None: not of that shape."""
    f = p.frame
    said = list(dict.fromkeys([*p.weekdays, *f.weekday_names, *f.plural_weekdays]))
    before, after = habit["before"], habit["after"]
    if (
        said
        and set(said) < set(after)
        and _EXCEPT.search(folded)
        and not re.search(r"\b(?:ce|cette|this|next|prochain|coming)\b", folded)  # "sauf ce jeudi"
        and len(folded.split()) <= 8
        and not p.items
    ):  # "une baguette du lundi au samedi, toutes les semaines" … "sauf le mercredi"
        for d in said:
            changes.put_habit(session, ctx, person, d, before.get(d, {}))
        lang = person.language
        return say(lang, "change.habit_restored", days=say_weekdays(said, lang))
    if len(said) != 1 or said[0] in habit["after"] or len(folded.split()) > 10:
        return None
    if said[0] in f.kept_weekdays:
        return None  # "Tuesdays stay the same": nothing to change there
    if f.days and not (f.weekly or _NO_MORE.search(folded) or _SAME.search(folded)):
        return None  # "et samedi 2 baguettes": that Saturday
    if p.intent == "stop" or _THIS_WEEK.search(folded) or f.correcting:
        return None
    weekday = said[0]
    standing = changes.standing_orders(session, person.id).get(weekday, {})
    gone = {k for d in after for k in before.get(d, {}) if k not in after[d]}
    if _NOT_EITHER.search(folded) and not p.items and gone and gone & set(standing):
        # "je ne veux plus d'eau le lundi" … "Le mercredi non plus": Wednesdays lose it too
        return changes.cancel_items_weekly(session, ctx, person, (weekday,), tuple(gone))
    if _NO_MORE.search(folded) and not p.items:
        if not standing:
            return None
        return changes.cancel_items_weekly(
            session, ctx, person, (weekday,), tuple(ctx.config.catalogue)
        )
    keys = {  # the items the change touched ("1 seule baguette le lundi": the bread)
        k
        for d in after
        for k in {*after[d], *before.get(d, {})}
        if after[d].get(k) != before.get(d, {}).get(k)
    }
    n = 1 if _ONE_ALONE.search(folded) else (f.loose[0] if len(f.loose) == 1 else None)
    if _SAME.search(folded) and len(keys) == 1 and n is not None and not p.items:
        key = keys.pop()
        if key in standing:
            return changes.set_quantity_weekly(session, ctx, person, [weekday], key, n)
    changed = [d for d in after if after[d] != before.get(d, {})]
    if _SAME.search(folded) and n is None and not p.items and len(changed) == 1 and keys:
        # "2 baguettes le vendredi au lieu d'une, chaque semaine" … "Et pareil pour le
        # mercredi": the same items, every Wednesday
        new = {**standing, **{k: after[changed[0]].get(k, 0) for k in keys}}
        new = {k: v for k, v in new.items() if v > 0}
        changes.put_habit(session, ctx, person, weekday, new)
        lang = person.language
        return say(lang, "change.weekly_set", items=say_items(new, lang, ctx.item_names),
                   days=say_weekdays([weekday], lang))  # fmt: skip
    return None


_EXCEPT = re.compile(
    r"^(?:\W*(?:ah|oh|et|and|mais|but|oups|oops)\W+)*(?:sauf|except|but not|pas le)\b"
)
_NOT_EITHER = re.compile(r"\b(?:non plus|neither|either|nor)\b")
_NO_MORE = re.compile(
    r"\b(?:plus rien|rien du tout|none|nothing|no more|plus de livraison|aucune?)\b"
)


def _same_as(
    session: Session,
    ctx: Context,
    person: Person,
    folded: str,
    p: Parse,
    just: list[date | None],
) -> Reply | None:
    """One day like another, with a difference: "et mercredi comme lundi plus un pack d'eau",
    "jeudi pareil que mercredi mais 1 seul pain", "vendredi pareil mais sans l'eau" (like the
    day just booked), "la même chose que d'habitude mais avec 2 packs d'eau". The day gets the
    other day's items, without those refused, with the numbers said. None: not of that shape."""
    f = p.frame
    if not _SAME.search(folded) and not _LIKE_DAY.search(folded):
        return None
    if len(folded.split()) > 20 or f.kept_days or p.intent == "stop":
        return None
    if f.move is not None and f.quantity is None:  # ("the same for Wednesday, 3 instead of 2")
        return None
    named = _LIKE_DAY.search(folded)
    today = ctx.today(ctx.site(person.site_id))
    source: date | None = None
    if named is not None:  # "que le jeudi", "comme lundi": that day (the one just booked, if so)
        index = SAID_WEEKDAYS[named.group(1)]
        source = next((d for d in just if d is not None and d.weekday() == index), None)
        if source is None:
            source = resolve(Day("wd", weekday=index), today).date
    targets = [d for d in dict.fromkeys(f.days) if d != source]
    if len(targets) != 1 or targets[0] <= today:
        return None
    target = targets[0]
    said = {k: n for k, n in f.asked if n}
    if source is not None:
        base = changes.on_day(session, person, source)
    elif f.usual and said:  # "samedi la même chose que d'habitude mais avec 2 packs d'eau"
        base = changes.on_day(session, person, target)
    elif said or f.refused:  # "et vendredi pareil 2 packs", "…pareil mais sans l'eau": the last
        recent = [d for d in just if d is not None and d != target]
        if len(recent) != 1:
            return None
        have = changes.on_day(session, person, target)
        base = have if said and have else changes.on_day(session, person, recent[0])
    else:
        return None  # "et vendredi pareil": the order just made again (_same_again)
    if not base:
        return None
    items = {k: n for k, n in base.items() if k not in f.refused}
    items.update(said)
    if not items:
        return None
    return changes.restrict(session, ctx, person, target, items)


# "comme lundi", "que le jeudi", "as on Monday", "like Tuesday": the day another is like
_LIKE_DAY = re.compile(
    r"\b(?:(?:pareil|meme\schose|idem)\s(?:\w+\s){0,3}que|comme|same\sas|like|as\son)\s(?:le\s|on\s|for\s)?(lundi|mardi|mercredi|jeudi|vendredi|samedi"
    r"|monday|tuesday|wednesday|thursday|friday|saturday)\b"
)


def _same_again(
    session: Session, ctx: Context, person: Person, msg: Inbound, f: Any, last: dict[str, Any]
) -> Reply | None:
    """The order just made, again for the day (or weekday) named now."""
    if last.get("weekdays") and len(f.weekday_names) == 1:
        standing = changes.standing_orders(session, person.id)
        items = standing.get(last["weekdays"][0], {})
        new = f.weekday_names[0]
        if items and new not in last["weekdays"] and not standing.get(new):
            return changes.add_weekly(session, ctx, person, [new], dict(items))
        return None
    if last.get("day") and len(f.days) == 1:
        done = date.fromisoformat(last["day"])
        items = changes.on_day(session, person, done)
        weekday = WEEKDAYS[done.weekday()]
        usual = changes.standing_orders(session, person.id, weekday).get(weekday, {})
        taken = tuple(k for k in usual if k not in items)
        if usual and taken and set(items) < set(usual) and f.days[0] != done and not f.kept_days:
            # "lundi pas de pain, que l'eau" … "mercredi pareil": the same item off that day
            return changes.cancel_items(session, ctx, person, f.days[0], taken)
        if items and f.days[0].isoformat() != last["day"]:
            segment = ((f.days[0], tuple(sorted(items.items()))),)
            return changes.several_days(session, ctx, person, segment, msg.channel, msg.text[:500])
    return None


_HOW_TO = re.compile(r"\b(?:comment|how do|how to|how can|aide|help|marche|works?)\b")


def _extend_pause(session: Session, ctx: Context, person: Person, until: date) -> Reply | None:
    """The end of a pause made in this conversation, said afterwards."""
    today = ctx.today(ctx.site(person.site_id))
    since = ctx.now() - ctx.draft_ttl
    pauses = active_pauses(session, person.id, today)
    made = [x for x in pauses if x.created_at >= since]
    if not made:  # days later: "finalement je reste chez elle jusqu'au mercredi 3 février"
        made = [
            x
            for x in pauses
            if x.end_on is not None and x.end_on < until <= x.end_on + timedelta(days=31)
        ]
    if len(made) != 1 and not any(x.created_at >= since for x in made):
        return None
    last = max(made, key=lambda x: x.created_at)
    if until < last.start_on:
        return None
    start = last.start_on
    session.delete(last)
    session.flush()
    return cancelling.pause_range(session, ctx, person, start, until)


def _dropping(text: str, q: Parse) -> bool:
    """ "Actually forget the bread.", "don't worry about that": the earlier request let go."""
    return q.date is None and not q.weekdays and order_flow.is_drop(text)


def _for_a_person(text: str) -> bool:
    """A real question for the team ("pouvez-vous prévenir Claire que ma voisine…?"), not a
    question about how to use the bot."""
    folded = fold(text)
    return "?" in text and len(folded.split()) >= 6 and not _HOW_TO.search(folded)


_NEGATIVE = re.compile(r"\b(?:ne|pas|plus de livraison|no more|not|don t|never)\b")
_EACH_DAY = re.compile(r"\b(?:chaque jour|par jour|each day|a day|per day|every day)\b")
# "1 baguette chaque matin du lundi au samedi": a habit (a span with dates is those days once)
_EVERY_DAY = re.compile(r"\b(?:chaque|tous les|every|each) (?:matins?|jours?|mornings?|days?)\b")
_NUMBERED_DAY = re.compile(
    r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|monday|tuesday|wednesday|thursday|friday"
    r"|saturday)s? (?:le |the )?\d|\b\d+(?:er|st|nd|rd|th)? (?:janv|fev|mars|avr|mai|juin|juil|aout"
    r"|sept|oct|nov|dec|jan|feb|mar|apr|may|jun|jul|aug|sep)"
)
_EVERY_WEEK = re.compile(
    r"\b(?:tous les|toutes les|chaque semaine|every week|each week|desormais|from now on)\b"
    r"|\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|monday|tuesday|wednesday|thursday|friday"
    r"|saturday)s\b"
)


_CLAUSE_CUT = re.compile(r"\s*[,;.]\s*")
_RANGE_WORDS = re.compile(r"\b(?:tous|toutes|chaque|every|each|du|from|jusqu|until|semaine|week)\b")


def _items_of_one_day(ctx: Context, text: str, today: date) -> dict[str, dict[str, int]]:
    """Items said in a clause of their own with one weekday ("et 2 packs d'eau lundi"), by
    weekday: in a message that also gives a range of days, those items are for that day only."""
    lex = lexicon_for(ctx.config)
    out: dict[str, dict[str, int]] = {}
    ranged: set[str] = set()
    for piece in _CLAUSE_CUT.split(text):
        if not piece.strip():
            continue
        q = parse(piece, today, None, lexicon=lex)
        if _RANGE_WORDS.search(fold(piece)):
            ranged |= set(q.frame.named) | set(q.items)
            continue
        named = set(q.frame.weekday_names) | {WEEKDAYS[d.weekday()] for d in q.frame.days}
        if q.items and 1 <= len(named) <= 3:  # ("et un pack d'eau le lundi et le jeudi")
            for wd in named:
                out.setdefault(wd, {}).update({k: n for k, n in q.items.items() if n})
    # an item also said over the range ("du pain jeudi, vendredi et samedi, une par jour") is
    # the range's
    return {
        wd: kept
        for wd, items in out.items()
        if (kept := {k: n for k, n in items.items() if k not in ranged})
    }


def _bounded_days(f: Any, p: Parse, folded: str, today: date) -> tuple[date, ...]:
    """The days of a "standing" order that is bounded: next week only, or the days listed with
    "chaque jour" ("mardi mercredi et jeudi une baguette chaque jour")."""
    if _EVERY_WEEK.search(folded) and not (f.week or f.span or f.until):
        return ()
    named = set(f.weekday_names)  # "Monday, Tuesday and Wednesday next week, one loaf each
    listed = (
        len(named) >= 2 and "sun" not in named and named < set(p.weekdays)
    ) and not _DAY_RANGE.search(folded)  # (but not
    wanted = named if listed else set(p.weekdays)  # "du lundi au samedi"): those three
    if (
        f.week is not None
        and not listed
        and _ALL_DAYS.search(folded)
        and not _DAY_RANGE.search(folded)
        and not _BUT_DAYS.search(folded)
    ):
        # "la semaine prochaine une baguette tous les jours, et un pack d'eau le lundi"
        wanted = set(WEEKDAYS) - {"sun"}
    if f.week is not None:
        week = [f.week[0] + ONE_DAY * k for k in range(7)]
        return tuple(d for d in week if WEEKDAYS[d.weekday()] in wanted)
    if len(f.days) >= 2 and _EACH_DAY.search(folded):
        return tuple(sorted(f.days))
    bounds = f.span or ((today + ONE_DAY, f.until) if f.until else None)
    if bounds is not None and (_EACH_DAY.search(folded) or "tous les jours" in folded):
        # "1 baguette par jour du samedi au mardi", "tous les jours jusqu'au 15"
        first, last = bounds
        span = [first + ONE_DAY * k for k in range((last - first).days + 1)]
        return tuple(d for d in span if WEEKDAYS[d.weekday()] in p.weekdays)
    return ()


_CANCELLING = re.compile(r"\b(?:annul\w*|cancel\w*|supprim\w*)\b")
_BUT_DAYS = re.compile(r"\b(?:sauf|except|excepte|hormis|but|from|du|de)\b")
_ALL_DAYS = re.compile(r"\b(?:tous les jours|chaque jour|every day|each day)\b")
_DAY_RANGE = re.compile(rf"\b{_WD}s?\s(?:au|a|to|till|until|through|jusqu\w*)\s(?:le\s)?{_WD}")
_SAME_DAY = re.compile(r"\b(?:le meme jour|ce meme jour|the same day|that same day|on that day)\b")
_NEXT_DAY = re.compile(
    r"\b(?:le lendemain|the next day|the day after)\b(?! (?:de|d|of|noel|christmas))"
)
_DAY_BEFORE = re.compile(
    r"\b(?:la veille|the day before|the eve)\b(?! (?:de|d|du|of|noel|christmas))"
)
_INSTEAD = re.compile(r"\b(?:plutot|instead|a la place|au lieu)\b")
_IT_IS = re.compile(r"\b(?:c est|ce sera|ca sera|it s|it is|it will be|should be|doit etre)\b")
_SETTLED = re.compile(r"\b(?:finalement|en fait|au final|actually|after all|in the end)\b")
_STARTING = re.compile(
    r"\b(?:starting|from|beginning|a partir de|des|commencant|a compter de)\s(?:la\s)?"
    r"(?:semaine prochaine|prochaine semaine|next week)\b"
)
# a sentence ends after ".", "!", "?", ";", never after a title ("M. Kaya", "Mme. Roux")
_SENTENCE_END = re.compile(
    r"(?<![\s.][MD]\.)(?<!Mme\.)(?<!Mr\.)(?<!Dr\.)(?<=[.!?;])\s+|\n+"
    r"|,\s*(?=(?:non|no|oh)\s(?:pardon|sorry|wait)\b)"  # "…, non pardon mardi juste le pain"
)


# "pas de livraison mercredi ni vendredi, et le lundi 22 juste le pain": two requests in a sentence
_JOINED = re.compile(
    r"\s*[,;]\s*(?:et|and|puis|then|mais|but)\s+"
    # "une baguette tous les samedis, rien le vendredi": a refusal of its own
    r"|\s*[,;]\s*(?=(?:rien|nothing|none|no|pas|plus)\s)"
    # "Cancel Friday's water and put 1 loaf on Saturday too": a second verb, a second request
    r"|\s+(?:et|and)\s+(?=(?:put|add|bring|mettez|ajoutez|rajoutez|apportez|livrez|deliver|send)\b)",
    re.IGNORECASE,
)


def _clauses_apart(parts: list[str], today: date, ctx: Context) -> list[tuple[str, Parse]]:
    """Sentences with their parse, a sentence cut at ", et" when it joins a cancel to another
    request and each side is a whole request on its own (a side that is not, "…, et 1 pack
    d'eau", keeps the sentence whole; orders over several days are read whole, day by day)."""
    lex = lexicon_for(ctx.config)
    out: list[tuple[str, Parse]] = []
    for x in parts:
        whole_sentence = parse(x, today, None, lexicon=lex)
        pieces = [y.strip() for y in _JOINED.split(x) if y.strip()]
        # (a cancel that asks for a number of an item is two requests read as one: "One
        # baguette every Saturday, nothing on Fridays")
        torn = whole_sentence.intent == "cancel" and any(n for _, n in whole_sentence.frame.asked)
        if len(pieces) < 2 or (_complete(whole_sentence) and not torn):
            out.append((x, whole_sentence))
            continue
        read = [parse(y, today, None, lexicon=lex) for y in pieces]
        whole = [
            _complete(q) or (k > 0 and _points_back(q, y, read[k - 1]))
            for k, (y, q) in enumerate(zip(pieces, read, strict=True))
        ]  # "pas de pain vendredi, et samedi mettez m'en 2 au lieu d'un": the bread
        if all(whole) and any(q.intent == "cancel" for q in read):
            out.extend(zip(pieces, read, strict=True))
        else:
            out.append((x, whole_sentence))
    return out


_ONE_MORE = re.compile(r"\b(?:une|un|one)\s(?:aussi|also|too|more|pour|for|le|on)\b")
_WANTED_AFTER_ALL = re.compile(r"\b(?:quand meme|after all|je veux bien|tout de meme|anyway)\b")
_BEFORE_EVENING = re.compile(
    r"\b(?:before|avant|pas\savant)\s(?:\S+\s){1,3}?(?:evening|night|soir|soiree|afternoon|apres\smidi)\b"
)
_ONLY_ITEM = re.compile(
    r"\b(?:seulement|juste|uniquement|only|just)\s(?:(?:la|le|les|l|du|de|the|my)\s)?(baguettes?|pain"
    r"|eau|packs?|bread|water|loaf|loaves)\b"
)
_HOLD = re.compile(
    r"\b(?:hold|pause|suspend\w*|stop)\s(?:all\s)?(?:my|the)\sdeliveries\b|\bput\s(?:my|the)\sdeliveries"
    r"\son\shold\b|\b(?:suspendez|arretez|stoppez)\s(?:mes|les)\slivraisons\b"
)
_BRING_FORWARD = re.compile(
    r"\b(?:avancez|avancer|avance|reculez|reculer|repoussez|repousser|bring forward|move|moving"
    r"|postpone|decalez|decaler|deplacez|deplacer|reportez|reporter)\b"
)


def _without_refused(
    session: Session, ctx: Context, person: Person, f: Any, day: date
) -> Reply | None:
    """After a move, "… And no water after all, just the bread": the day it went to without
    the item refused (None: nothing refused, or nothing would be left)."""
    if not (f.refused and f.only):
        return None
    there = changes.on_day(session, person, day)
    kept = {k: n for k, n in there.items() if k not in f.refused}
    if not kept or kept == there:
        return None
    return changes.restrict(session, ctx, person, day, kept)


def _order_brought(
    session: Session, ctx: Context, person: Person, p: Parse, folded: str
) -> Reply | None:
    """An order moved to the one day said, the order named by its items: "finalement la visite
    vient plus tôt, avancez les 2 baguettes à ce jeudi 4 mars" (the one coming order with them)."""
    f = p.frame
    if p.intent != "order" or len(set(f.days)) != 1 or not _BRING_FORWARD.search(folded):
        return None
    if f.refused or f.adding or p.weekdays or not p.items:
        return None
    target = f.days[0]
    today = ctx.today(ctx.site(person.site_id))
    standing = changes.standing_orders(session, person.id)
    days = [
        d
        for d in (today + ONE_DAY * k for k in range(1, 22))
        if d != target and not standing.get(WEEKDAYS[d.weekday()])
    ]
    with_them = [d for d, items in changes.as_they_stand(session, person, days).items()
                 if items == p.items]  # fmt: skip
    if len(with_them) != 1:
        return None
    return changes.move(session, ctx, person, with_them[0], target)


_RATHER_THAN_DAY = re.compile(
    r"\b(?:plutot qu\w*|au lieu d\w*|a la place d\w*|instead of|rather than)\s(?:le\s|the\s|on\s)?"
    r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|monday|tuesday|wednesday|thursday|friday|saturday)s?\b"
)


def _habit_moved(
    session: Session, ctx: Context, person: Person, p: Parse, folded: str
) -> Reply | None:
    """A weekly delivery moved to another weekday: "finalement je préfère le jeudi plutôt que
    le mercredi, toujours 2 baguettes par semaine" (Wednesday's habit goes to Thursday)."""
    said = _RATHER_THAN_DAY.search(folded)
    if p.intent != "standing_order" or said is None or len(p.weekdays) != 2 or p.clarify:
        return None
    old = WEEKDAYS[SAID_WEEKDAYS[said.group(1)]]
    if old not in p.weekdays:
        return None
    standing = changes.standing_orders(session, person.id)
    new = next(w for w in p.weekdays if w != old)
    if old not in standing or new in standing:
        return None
    items = dict(p.items) or dict(standing[old])
    changes.put_habit(session, ctx, person, old, {})
    changes.put_habit(session, ctx, person, new, items)
    lang = person.language
    return Reply(
        " ".join([
            t(lang, "cancel.standing_done", days=say_weekdays([old], lang)),
            t(lang, "change.weekly_set", items=say_items(items, lang, ctx.item_names),
              days=say_weekdays([new], lang)),
        ]),
        lang,
    )  # fmt: skip


_HALT_FROM = re.compile(
    r"\b(?:arret\w*|stop\w*|pas\sde\slivraisons?|no\s(?:more\s)?deliver\w*|plus\sde\slivraisons?)\b"
    r"(?:\s\S+){0,4}?\s(?:a\spartir\sd\w*|des|from|starting(?:\sfrom)?|as\sof)\s"
)


def _halt_from(session: Session, person: Person, p: Parse, folded: str) -> Parse | None:
    """ "arrêtez le pain à partir de mercredi", "no deliveries from Wednesday": an absence from
    that day with no end (asked), not that one day; with an item named, only when it is all
    the tenant gets."""
    f = p.frame
    if p.intent != "cancel" or p.date is None or p.weekdays or f.weekly or p.until is not None:
        return None
    if len(set(f.days)) != 1 or not _HALT_FROM.search(folded):
        return None
    if f.named or f.refused:
        standing = changes.standing_orders(session, person.id)
        theirs = {k for items in standing.values() for k in items}
        if not theirs or theirs - set(f.named or f.refused):
            return None
    return Parse("pause", date=p.date, clarify=True, reason="until_missing", lang=p.lang)


def _as_now(session: Session, person: Person, q: Parse) -> bool:
    """ "Après on reste sans eau le lundi": the weekdays already go without those items."""
    f = q.frame
    if q.intent != "cancel" or not q.weekdays or not f.refused or f.days:
        return False
    standing = changes.standing_orders(session, person.id)
    return not any(k in standing.get(w, {}) for w in q.weekdays for k in f.refused)


def _weekly_only(q: Parse) -> bool:
    """ "C'est pour toutes les semaines", "every week, of course": when, and nothing else."""
    f = q.frame
    return (
        q.intent == "standing_order"
        and q.reason == "item_missing"
        and f.weekly
        and not (f.named or f.days or f.weekday_names or q.weekdays or f.loose)
    )


def _points_back(q: Parse, text: str, before: Parse) -> bool:
    """A request for a day whose item is the one item the clause before names."""
    named = set(before.frame.named or before.items)
    return antecedents.pointing(q, text) and len(named) == 1 and bool(q.date or q.weekdays)


def _complete(q: Parse) -> bool:
    """A sentence that is a whole request on its own."""
    f = q.frame
    if f.kept_days and not q.items:  # "Lundi c'est bon", "mercredi et vendredi on garde pareil"
        return True
    if f.only and f.refused and len(f.days) == 1 and q.reason == "quantity_missing":
        return True  # "Tomorrow just the bread please, no water": that day without the water
    if (
        q.intent == "cancel"
        and q.reason == "two_dates"
        and len(f.days) == 2
        and not (f.correcting or f.move or f.refused or f.named)
    ):
        return True  # "pas de livraison mercredi ni vendredi": both days
    if (
        q.intent in ("cancel", "pause")
        and q.reason == "two_dates"
        and len(set(f.days)) >= 2
        and f.named
        and not (f.correcting or f.move or f.refused or any(n for _, n in f.asked))
    ):
        return True  # "annulez le pain de mercredi et de jeudi, je vais chez ma fille"
    if q.clarify:
        return False
    if q.intent in ("order", "standing_order"):
        return bool(q.items) and (q.date is not None or bool(q.weekdays))
    if q.intent == "cancel":
        return q.date is not None or bool(q.weekdays)
    if q.intent == "pause":
        return q.until is not None or f.week is not None
    return bool(f.refused and f.days) or bool(f.quantity and (q.date or q.weekdays))


def _one_by_one(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse
) -> Reply | None:
    """Several requests in several sentences, each handled on its own: "Je ne veux plus de
    livraison le mercredi. Et vendredi 2 baguettes au lieu d'une", "Personne n'est passé ce matin.
    Et pour lundi 2 baguettes", "2 loaves on Thursday please? And do you deliver on Sundays?".

    Only when every sentence is a whole request, a question the FAQ answers, or says nothing to
    act on, and there are two whole requests or a whole request beside a question or an alert;
    otherwise the message is read whole (None)."""
    today = ctx.today(ctx.site(person.site_id))
    parsed = _clauses_apart(
        [x.strip() for x in _SENTENCE_END.split(msg.text) if x.strip()], today, ctx
    )
    qualifiers = [x for x, q in parsed if _weekly_only(q)]
    if qualifiers and len(parsed) > 2:  # "C'est pour toutes les semaines bien sûr.": said of
        lex = lexicon_for(ctx.config)  # the sentences that name weekdays
        parsed = [
            (x, parse(f"{x} {qualifiers[0]}", today, None, lexicon=lex))
            if not _weekly_only(q) and q.frame.weekday_names and not q.frame.days
            else (x, q)
            for x, q in parsed
        ]
    if len(parsed) < 2 or len(parsed) > 6:
        return None
    if any(k and q.frame.correcting and q.frame.loose and not q.items for k, (_, q) in
           enumerate(parsed)):  # fmt: skip
        return None  # "3 loaves instead of 2, no wait make it 4, and…": one request, corrected
    if (p.frame.loose_move is not None or p.frame.move) and p.frame.alert is None:
        # "non pas mardi, mercredi. mardi je suis pas là": one move, and its reason (but "no
        # bread on Wednesday. And tomorrow, Tuesday, just one baguette": two requests; and
        # beside a hospital stay, "I'm going in on Friday" is the story, not a move)
        wholes = [
            x
            for k, (x, q) in enumerate(parsed)
            if _complete(q) or (k > 0 and _points_back(q, x, parsed[k - 1][1]))
        ]
        if len(wholes) < 2:
            return None
    if _pointed_move(ctx, person, msg, p) is not None:
        return None  # "samedi je suis absent. Vous pouvez m'apporter ma commande de samedi jeudi ?"
    for k in range(1, len(parsed)):  # "No bread tomorrow. Can I have it on Thursday?"
        x, q = parsed[k]
        if antecedents.pointing(q, x):
            filled = antecedents.resolve(session, ctx, person, q, parsed[k - 1][1])
            parsed[k] = (x, filled or q)
    as_now = [x for x, q in parsed if _as_now(session, person, q)]
    parsed = [  # "Après on reste sans eau le lundi": nothing to do, said beside the rest
        (x, replace(q, intent="smalltalk", clarify=False)) if x in as_now else (x, q)
        for x, q in parsed
    ]
    first_whole = _complete(parsed[0][1])
    whole = [  # a correction after a request ("…, non pardon mardi juste le pain") is one too
        (x, q)
        for k, (x, q) in enumerate(parsed)
        if _complete(q) or (k > 0 and first_whole and q.frame.correcting and q.frame.days)
    ]
    faq = [(x, q) for x, q in parsed if q.frame.faq and not _complete(q) and not q.items]
    asked = [
        (x, q)
        for x, q in parsed
        if not _complete(q) and not q.frame.faq and _for_a_person(x) and not q.items
    ]  # "qui dois-je appeler pour le radiateur ?": for the team
    lenient = p.frame.alert is not None  # beside a fall, what is not a request is the story
    idle = [
        q
        for x, q in parsed
        if (x, q) not in asked
        and not _complete(q)
        and (
            (q.intent in ("smalltalk", "other") and not q.clarify)
            or _weekly_only(q)
            or _dropping(x, q)
            or (lenient and not _complete(q) and not q.items)
        )
    ]
    if len(whole) + len(faq) + len(asked) + len(idle) != len(parsed) or not whole:
        return None
    if len(whole) < 2 and not faq and not asked and p.frame.alert is None and _complete(p):
        return None
    texts = []
    for text, q in parsed:
        one = replace(msg, text=text)
        if (text, q) in whole:
            got = _change(session, ctx, person, one, q) or tenant.intent(
                session, ctx, person, one, q
            )
            texts.append(got.text)
        elif (text, q) in faq and q.frame.faq is not None:
            texts.append(answer_faq(ctx, person, q.frame.faq, one).text)
        elif (text, q) in asked:
            texts.append(tenant.forward(session, ctx, person, one).text)
    return Reply(" ".join(texts), person.language)


FRESH = timedelta(minutes=30)  # a bare "2" this soon after an order is about that order
ONE_DAY = timedelta(days=1)
_WEEKLY = re.compile(r"\b(?:tous|toutes|chaque|every|each|desormais|plus jamais|from now on)\b")


def _several_set(session: Session, ctx: Context, person: Person, p: Parse) -> Reply | None:
    """One number and no item for several days this conversation booked: each day's one item
    gets that number ("ah mardi et jeudi mettez en 2")."""
    f = p.frame
    days = list(dict.fromkeys(f.days))
    if len(days) < 2 or len(f.loose) != 1 or p.items or f.named or f.refused_days:
        return None
    base = touched.before_conversation(session, ctx, person)
    if not all(d in base for d in days):
        return None
    n = f.loose[0]
    if not 0 < n <= 20:
        return None
    new = {}
    for d in days:
        have = changes.on_day(session, person, d)
        if len(have) != 1 or changes.day_open(ctx, person, session, d) is not Verdict.OK:
            return None
        new[d] = {next(iter(have)): n}
    lines = []
    for d, items in new.items():
        over = over_limit(ctx.config, items)
        if over:
            items[over] = ctx.config.catalogue[over].max_per_delivery
        changes.set_day(session, ctx, person, d, items, "change")
        lines.append(changes.restate(ctx, person.language, d, items))
    changes.remember(session, ctx, person, days[-1], days=tuple(days))
    return Reply(" ".join([t(person.language, "change.done"), *lines]), person.language)


def _bare_quantity(
    session: Session,
    ctx: Context,
    person: Person,
    msg: Inbound,
    p: Parse,
    last: dict[str, Any],
) -> Reply | None:
    """ "du pain pour vendredi" then "2": the number of the order just made, not a new one."""
    if p.intent not in ("other", "smalltalk", "order") or p.weekdays or p.frame.segments:
        return None
    if p.intent == "smalltalk" and len(fold(msg.text).split()) > 3:
        return None  # "merci, une bonne journée à vous": thanks, not a number
    if p.intent == "order" and len(p.items) > 1:
        return None
    n = next(iter(p.items.values())) if p.items else read_quantity(msg.text, person.language)
    if not n or n < 1:
        return None
    wanted_key = next(iter(p.items), None)
    if last.get("weekdays"):
        days = list(last["weekdays"])
        standing = changes.standing_orders(session, person.id)
        keys = {k for d in days for k in standing.get(d, {})}
        key = wanted_key or (next(iter(keys)) if len(keys) == 1 else None)
        if key is None or key not in keys:
            return None
        return changes.set_quantity_weekly(session, ctx, person, days, key, n)
    day = date.fromisoformat(last["day"])
    have = changes.on_day(session, person, day)
    key = wanted_key or (next(iter(have)) if len(have) == 1 else None)
    if key is None or key not in have or have[key] == n:
        return None
    return changes.restrict(session, ctx, person, day, {**have, key: n})
