"""A change taken back: "pour lundi laissez tomber le changement", "mercredi et vendredi
remettez comme avant", "gardez mercredi comme j'avais dit ce matin", "Please deliver on Saturday
as first planned, and not on Monday", "let's leave Wednesday at the normal 2 baguettes",
"annulez le changement pour le pain vendredi".

Each day said in the clause of those words (else the days of the last change) goes back, item
by item, to what it had before the last change that touched that item, else to what it had
before the conversation (`touched`). Items named there limit it to them. A day the last change
moved away from and the message refuses ("… and not on Monday") goes back too."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from handlers import changes, touched
from handlers.nlu import Parse
from handlers.nlu.calendar_words import WEEKDAYS as SAID_WEEKDAYS
from handlers.replies import fold
from handlers.texts import t
from handlers.types import Inbound, Reply
from models.config import WEEKDAYS
from models.context import Context
from models.people import Person
from models.rules import Verdict

REVERT = re.compile(
    r"\b(?:laisse[rz]? tomber (?:le|ce|mon) changement|annule[rz]? (?:le|ce|mon) changement"
    r"|oublie[rz]? (?:le changement|ce que j ai (?:dit|demande))"
    r"|comme j (?:l )?avais (?:dit|demande)|comme (?:prevu|avant|au depart)|remette[rz]? comme"
    r"|(?:gardez|laissez|remettez) \w+ (?:\w+ )?comme d habitude"
    r"|as (?:first )?planned|as (?:it was )?before|as it was|forget (?:what i said"
    r"|the change|that change|my change)|cancel (?:the|that|my) change|undo (?:the|that|my) change"
    r"|(?:at|to) the (?:normal|usual)|go back to (?:the )?(?:normal|usual)"
    r"|laisse[rz]? tomber (?:l|le|la|les|mon|ma|mes) (?:eau|pain|baguettes?|packs?)"
    r"|forget (?:the|my) (?:water|bread|loaf|loaves|baguettes?|packs?)"
    r"|take (?:the|my) (?:water|bread|loaf|loaves|baguettes?|packs?) off again)\b"
)
_OTHER_WEEK = re.compile(
    r"\b(?:semaine (?:d apres|suivante|prochaine)|(?:the )?(?:following|next) week|week after)\b"
)
_ITEM_WORDS = {
    "bread": ("pain", "baguette", "bread", "loaf", "loaves"),
    "water": ("eau", "water", "pack"),
}


def revert(session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse) -> Reply | None:
    folded = fold(msg.text)
    cue = REVERT.search(folded)
    if cue is None or p.intent in ("stop", "pause"):
        return None
    today = ctx.today(ctx.site(person.site_id))
    base = touched.before_conversation(session, ctx, person)
    last = touched.before_last(session, ctx, person)
    if not base:
        return None
    if _OTHER_WEEK.search(folded):  # "la semaine d'après on revient comme avant": as it is
        return None
    if p.frame.weekly or p.weekdays or _habit_just_changed(session, ctx, person):
        return None  # "laissez le lundi comme avant, c'est le mercredi…": the habit's business
    clause = _clause_of(msg.text, cue.group(0))
    words = set(clause.split())
    elsewhere = [  # "forget what I said about Monday, put the water on Tuesday": more to do
        d for d in p.frame.days if d not in base and not _NAMES[d.weekday()] & words
    ]
    if elsewhere and not set(elsewhere) <= set(p.frame.refused_days):
        return None
    if _named(clause):  # "mercredi et vendredi comme prévu": those days, if the talk changed them
        days = _days_in(clause, base, today)
    elif _named(folded):
        return None
    else:
        days = [d for d in sorted(last) if d > today]
        if all(not last[d] for d in days):  # "séparez comme avant" after a change that did
            return None  # nothing: the last change made these days from nothing
    days += [d for d in p.frame.refused_days if d in last and d not in days]
    if days and set(days) < set(last) and len(last) == 2 and moved(session, person, last):
        days = sorted(last)  # "gardez mercredi comme j'avais dit": the move undone, both days
    said = {w.removesuffix("s") for w in clause.split()}  # "take the baguettes off again"
    items = {k for k, words in _ITEM_WORDS.items() if any(w in said for w in words)}
    if not days:
        return None
    if any(changes.day_open(ctx, person, session, d) is not Verdict.OK for d in days):
        return None
    done = []
    for d in days:
        now = changes.on_day(session, person, d)
        keys = items or {*now, *base.get(d, {}), *last.get(d, {})}
        new = dict(now)
        for k in keys:
            if d in last and last[d].get(k, 0) != now.get(k, 0):
                new[k] = last[d].get(k, 0)
            elif d in base:
                new[k] = base[d].get(k, 0)
        new = {k: n for k, n in new.items() if n > 0}
        if new != now:
            changes.set_day(session, ctx, person, d, new, "change")
            done.append(d)
    if not done:
        return None
    changes.remember(session, ctx, person, done[-1], days=tuple(done))
    return changes.restate_days(session, ctx, person, "change.done", days)


def _clause_of(text: str, cue: str) -> str:
    """The folded clause of `text` holding the words `cue`."""
    for part in re.split(r"[,.;!?]|\bmais\b|\bbut\b", text):
        if cue in fold(part):
            return fold(part)
    return fold(text)


def _days_in(text: str, base: dict[date, dict[str, int]], today: date) -> list[date]:
    """The conversation's days whose weekday `text` names."""
    said = {SAID_WEEKDAYS[w] for w in text.split() if w in SAID_WEEKDAYS}
    return [d for d in sorted(base) if d > today and d.weekday() in said]


_NAMES = {d: {w for w, k in SAID_WEEKDAYS.items() if k == d} for d in range(7)}


def _named(text: str) -> bool:
    return any(w in SAID_WEEKDAYS for w in text.split())


def _habit_just_changed(session: Session, ctx: Context, person: Person) -> bool:
    last = changes.recent(session, ctx, person)
    return bool(last and last.get("habit"))


def moved(session: Session, person: Person, last: dict[date, dict[str, int]]) -> bool:
    """The last change took items off one of its two days and put them on the other."""
    a, b = sorted(last)
    now_a, now_b = changes.on_day(session, person, a), changes.on_day(session, person, b)
    lost_a = {k for k in last[a] if now_a.get(k, 0) < last[a][k]}
    lost_b = {k for k in last[b] if now_b.get(k, 0) < last[b][k]}
    gain_a = {k for k in now_a if now_a[k] > last[a].get(k, 0)}
    gain_b = {k for k in now_b if now_b[k] > last[b].get(k, 0)}
    return bool((lost_a & gain_b) or (lost_b & gain_a))


def dropped(session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse) -> Reply | None:
    """ "finalement pas mercredi" after an order of several days made in this talk: that day
    goes back to what it had before (nothing, for a day it booked)."""
    f = p.frame
    if not f.refused_days or p.items or f.named or f.loose or any(n for _, n in f.asked):
        return None
    if p.intent not in ("smalltalk", "other", "cancel") or f.weekly or p.weekdays:
        return None
    if _habit_just_changed(session, ctx, person):  # "I meant every Saturday, not Friday"
        return None
    today = ctx.today(ctx.site(person.site_id))
    base = touched.before_conversation(session, ctx, person)
    days = [d for d in dict.fromkeys(f.refused_days) if d > today]
    if not days or not all(d in base and not base[d] for d in days):
        return None  # only days this talk booked from nothing: a standing day is cancelling's
    if len(set(f.days) - set(days)) > 0:
        return None
    if any(changes.day_open(ctx, person, session, d) is not Verdict.OK for d in days):
        return None
    for d in days:
        changes.set_day(session, ctx, person, d, {}, "change")
    lang = person.language
    said = [changes.restate(ctx, lang, d, {}) for d in days]
    return Reply(" ".join([t(lang, "change.done"), *said]), lang)


# "je veux mercredi et jeudi les deux", "I want both days after all"
_BOTH = re.compile(r"\b(?:les deux|les 2|tous les deux|toutes les deux|both(?: days)?|the two)\b")


def both(session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse) -> Reply | None:
    """A move taken back into "both days": "livrez moi mercredi au lieu de jeudi" … "pardon je
    veux mercredi et jeudi les deux". The day the move emptied gets back what it had; the other
    keeps what it got."""
    f = p.frame
    folded = fold(msg.text)
    if not _BOTH.search(folded) or p.items or f.refused or f.refused_days or len(f.loose) > 1:
        return None  # (the 2 of "les 2" is no number)
    last = touched.before_last(session, ctx, person)
    today = ctx.today(ctx.site(person.site_id))
    days = sorted(d for d in last if d > today)
    if len(days) != 2 or not moved(session, person, last):
        return None
    if {WEEKDAYS[d.weekday()] for d in days} - set(f.weekday_names) and not f.correcting:
        return None
    emptied = [d for d in days if not changes.on_day(session, person, d) and last[d]]
    if len(emptied) != 1 or changes.day_open(ctx, person, session, emptied[0]) is not Verdict.OK:
        return None
    changes.set_day(session, ctx, person, emptied[0], last[emptied[0]], "change")
    changes.remember(session, ctx, person, emptied[0], days=tuple(days))
    return changes.restate_days(session, ctx, person, "change.booked", days)
