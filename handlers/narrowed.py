"""Several days booked in this conversation, narrowed to one: "ni lundi ni mardi finalement,
seulement mercredi mais 2 packs", "mercredi et vendredi rien finalement, seulement lundi",
"Sorry, neither Monday nor Tuesday after all, just Wednesday".

The days refused go back to what they had before the conversation (`touched`: nothing for an
order placed in it, the standing order for a day it changed); the day kept stays, with the
number said if there is one. Only days this conversation changed are touched."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from handlers import changes, reverts, touched
from handlers.lexicon import lexicon_for
from handlers.nlu import Parse, parse, read_quantity
from handlers.nlu.calendar_words import WEEKDAYS as SAID_WEEKDAYS
from handlers.replies import fold
from handlers.texts import t
from handlers.types import Inbound, Reply
from models.config import WEEKDAYS
from models.context import Context
from models.people import Person
from models.rules import Verdict, over_limit

_MORE_DAYS = re.compile(
    r"\s(?:et|and|ou|or|ni|,)\s(?:le\s|on\s)?(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|monday"
    r"|tuesday|wednesday|thursday|friday|saturday)\b"
)
_SENTENCE = re.compile(r"[.!?;]+\s*")
_ONLY_DAY = re.compile(
    r"\b(?:seulement|juste|uniquement|only|just|que)\s(?:le\s|on\s|pour\s|for\s)?(\w+)"
)


def narrowed(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse
) -> Reply | None:
    f = p.frame
    folded = fold(msg.text)
    only = _ONLY_DAY.search(folded)
    if not f.only or only is None or p.intent in ("stop", "pause") or f.span is not None:
        return None  # ("only Monday to Wednesday": `to_days`)
    last_talk = changes.recent(session, ctx, person)
    if last_talk and last_talk.get("habit"):
        return None  # the habit just changed: habit_changes' business
    said_day = SAID_WEEKDAYS.get(only.group(1))
    if said_day is None or _MORE_DAYS.match(folded[only.end() :]):
        return None  # ("Juste mercredi et vendredi": two days kept, `to_days`)
    today = ctx.today(ctx.site(person.site_id))
    base = touched.before_conversation(session, ctx, person)
    if f.refused_days:  # "ni lundi ni mardi finalement, seulement mercredi"
        dropped = list(dict.fromkeys(f.refused_days))
        kept = [d for d in dict.fromkeys(f.days) if d not in dropped]
        was = base
        items: set[str] = set()
    else:  # "lundi et mardi 2 baguettes au lieu d'une" … "non pardon seulement le lundi"
        was = touched.before_last(session, ctx, person)
        if len(was) == 2 and reverts.moved(session, person, was):
            return None  # "apportez-les samedi plutôt que vendredi" … "et 2 seulement samedi"
        last = [d for d in sorted(was) if d > today]
        kept = [d for d in last if d.weekday() == said_day]
        dropped = [d for d in last if d not in kept]
        items = set(f.named) - set(f.refused)  # "l'eau seulement le vendredi": the water only
        if len(items) > 1:  # "l'eau seulement mardi. Jeudi et samedi juste la baguette": the
            sentence = _SENTENCE.split(msg.text)  # items of the sentence that says "seulement"
            at = [x for x in sentence if only.group(0) in fold(x)]
            if at:
                q = parse(at[0], today, None, lexicon=lexicon_for(ctx.config))
                items = (set(q.frame.named) - set(q.frame.refused)) or items
    if len(kept) != 1 or not dropped or not all(d in base for d in [*dropped, *kept]):
        return None
    if kept[0].weekday() != said_day:
        return None  # "gardez vendredi. Juste jeudi rien": the one refused, not the one kept
    days = [*dropped, *kept]
    if any(changes.day_open(ctx, person, session, d) is not Verdict.OK for d in days):
        return None
    for d in dropped:
        back = dict(was[d])
        if items:
            have = changes.on_day(session, person, d)
            back = {k: n for k, n in have.items() if k not in items}
            back |= {k: n for k, n in was[d].items() if k in items}
        changes.set_day(session, ctx, person, d, back, "change")
    keep = kept[0]
    have = changes.on_day(session, person, keep)
    said = _said_of_kept(msg.text, only.group(0), have, f)
    if said:
        have = {**have, **said}
        over = over_limit(ctx.config, have)
        if over:
            have[over] = ctx.config.catalogue[over].max_per_delivery
        changes.set_day(session, ctx, person, keep, have, "change")
    changes.remember(session, ctx, person, keep)
    lang = person.language
    lines = [
        changes.restate(ctx, lang, d, changes.on_day(session, person, d)) for d in sorted(days)
    ]
    return Reply(" ".join([t(lang, "change.done"), *lines]), lang)


def _said_of_kept(text: str, only: str, have: dict[str, int], f: Any) -> dict[str, int]:
    """A number said in the clause of "seulement mercredi" ("… mais 2 packs") is the kept
    day's; one said in another clause ("mardi laissez une seule baguette") is not."""
    clause = next((c for c in re.split(r"[,.;!?]", text) if only in fold(c)), "")
    n = read_quantity(clause) if clause else None
    if not n:
        return {}
    named = [k for k in f.named if k not in f.refused and k in fold(clause)]
    keys = [k for k, _ in f.asked if k not in f.refused] or list(have)
    key = named[0] if len(named) == 1 else keys[0] if len(keys) == 1 else None
    return {key: n} if key else {}


# "only Monday to Wednesday", "seulement mardi et jeudi", "I only want Wednesday and Friday"
_ONLY = re.compile(r"\b(?:seulement|juste|uniquement|only|just|que|rather)\b")
_SENTENCES = re.compile(r"[.!?;:]+\s*")
SAID_WEEKDAY_RX = re.compile(
    r"\b(?:" + "|".join(sorted(SAID_WEEKDAYS, key=len, reverse=True)) + r")\b"
)
_NEGATION = re.compile(r"\b(?:pas|ni|not|neither|nor|no)\b")


def to_days(session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse) -> Reply | None:
    """Days booked in this conversation, narrowed to those now said: "next week only Monday to
    Wednesday", "I only want Wednesday and Friday, not the other days", "pour la semaine
    prochaine finalement pas le mercredi ni le jeudi". The other days of the same weeks that
    the conversation booked or changed go back to what they had before it; nothing else moves."""
    f = p.frame
    if p.intent in ("stop", "pause", "list", "cancel") or f.adding or f.named or f.loose or f.swap:
        return None  # ("jeudi juste le pain", "pour jeudi seulement 2": the items of a day)
    if not (f.only or (f.week is not None and f.weekday_names)):
        return None  # nothing narrowed (and nothing read)
    today = ctx.today(ctx.site(person.site_id))
    base = touched.before_conversation(session, ctx, person)
    talked = [  # the days the conversation gave something to
        d for d in sorted(base) if d > today and _more(changes.on_day(session, person, d), base[d])
    ]
    if len(talked) < 2:
        return None
    lex = lexicon_for(ctx.config)
    sentence = (
        None
        if not f.only
        else next(
            (
                s
                for s in _SENTENCES.split(msg.text)
                if _ONLY.search(fold(s)) and SAID_WEEKDAY_RX.search(fold(s))
            ),
            None,
        )
    )
    if sentence is not None:
        q = parse(sentence, today, None, lexicon=lex)
        g = q.frame
        if g.span is not None:
            kept = [g.span[0] + timedelta(days=k) for k in range((g.span[1] - g.span[0]).days + 1)]
        else:
            kept = [d for d in dict.fromkeys(g.days) if d not in g.refused_days]
        kept = [_in_talk(d, talked) for d in kept]
        if not kept or any(d is None for d in kept):
            return None
        weeks = {d.isocalendar()[:2] for d in kept if d is not None}
        dropped = [d for d in talked if d.isocalendar()[:2] in weeks and d not in kept]
    elif f.week is not None and not f.days and f.weekday_names and _NEGATION.search(fold(msg.text)):
        dropped = [  # "pour la semaine prochaine finalement pas le mercredi ni le jeudi"
            d
            for d in talked
            if f.week[0] <= d <= f.week[1] and WEEKDAYS[d.weekday()] in f.weekday_names
        ]
        if len(dropped) != len(f.weekday_names):
            return None
    else:
        return None
    if not dropped or any(
        changes.day_open(ctx, person, session, d) is not Verdict.OK for d in dropped
    ):
        return None
    if any(d in f.kept_days or WEEKDAYS[d.weekday()] in f.kept_weekdays for d in dropped):
        return None  # "…, Wednesday is still fine": Wednesday is no day to drop
    items = set(f.named) - set(f.refused)
    for d in dropped:
        back = dict(base[d])
        if items:  # "l'eau seulement mardi et jeudi": the other days keep their bread
            have = changes.on_day(session, person, d)
            back = {k: n for k, n in have.items() if k not in items}
            back |= {k: n for k, n in base[d].items() if k in items}
        changes.set_day(session, ctx, person, d, back, "change")
    return changes.changed_days(session, ctx, person, "change.done", dropped)


def _more(now: dict[str, int], was: dict[str, int]) -> bool:
    return any(n > was.get(k, 0) for k, n in now.items())


def _in_talk(day: date, talked: list[date]) -> date | None:
    """The day said, or the same weekday a week on when only that one was talked about ("only
    Wednesday and Friday" of next week's plan)."""
    if day in talked:
        return day
    later = day + timedelta(days=7)
    return later if later in talked else None


# "Could we start on Wednesday the 3rd instead?", "commencez plutôt mercredi"; "let's stop on
# Thursday instead", "finissez jeudi plutôt"
_STARTS = re.compile(
    r"\b(?:start|begin|starting|commenc\w*|debut\w*|demarr\w*|a partir d\w*)\b(?!\s(?:again|over))"
)
_ENDS = re.compile(r"\b(?:stop|end|finish|finis\w*|termin\w*|arret\w*|jusqu\w*|until|till)\b")
_INSTEAD = re.compile(
    r"\b(?:instead|rather|plutot|finalement|actually|en fait|after all|au lieu|a la place)\b"
)


def new_bounds(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse
) -> Reply | None:
    """A run of days booked in this conversation, started later or stopped sooner: the days
    before the new first one (or after the new last one) go back to what they had before it."""
    f = p.frame
    folded = fold(msg.text)
    if p.items or f.named or f.loose or p.intent in ("stop", "pause", "list") or f.weekly:
        return None
    starting = _STARTS.search(folded)  # ("I'll have enough until then": no end)
    ending = _ENDS.search(re.sub(r"\b(?:until|till) then\b|\bjusque la\b", " ", folded))
    if not _INSTEAD.search(folded) or bool(starting) == bool(ending):
        return None
    days = list(dict.fromkeys(f.days))
    if len(days) != 1:
        return None
    today = ctx.today(ctx.site(person.site_id))
    base = touched.before_conversation(session, ctx, person)
    talked = [
        d for d in sorted(base) if d > today and _more(changes.on_day(session, person, d), base[d])
    ]
    said = _in_talk(days[0], talked)
    if said is None or len(talked) < 2:
        return None
    dropped = [d for d in talked if (d < said if starting else d > said)]
    if not dropped or any(
        changes.day_open(ctx, person, session, d) is not Verdict.OK for d in dropped
    ):
        return None
    for d in dropped:
        changes.set_day(session, ctx, person, d, dict(base[d]), "change")
    changes.remember(session, ctx, person, said, days=tuple(dropped))
    return changes.restate_days(session, ctx, person, "change.done", dropped)
