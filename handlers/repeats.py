"""The same again a week later: "et la semaine d'après pareil", "pareil pour le lundi suivant",
"et celui d'après aussi", "same again the following week".

What is repeated is what the last change asked of each day (`touched`): "inversez jeudi et
vendredi" … "la semaine d'après pareil" moves one baguette from Thursday to Friday again, on
top of that week's own deliveries; "1 pain et 1 eau pour lundi" … "pareil pour le lundi
suivant" books the same for the Monday after. "sauf vendredi" leaves that weekday out."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy.orm import Session

from handlers import antecedents, changes, touched
from handlers.nlu import Parse
from handlers.replies import fold
from handlers.texts import t
from handlers.types import Inbound, Reply
from models.config import WEEKDAYS
from models.context import Context
from models.people import Person
from models.rules import Verdict, over_limit

_WD = "lundi|mardi|mercredi|jeudi|vendredi|samedi|monday|tuesday|wednesday|thursday|friday|saturday"
_SAID = dict(zip(_WD.split("|"), [*WEEKDAYS[:6], *WEEKDAYS[:6]], strict=True))
_WEEK_AFTER = re.compile(
    rf"\b(?:(?:la\s)?semaine\s(?:d\sapres|suivante)|the\s(?:following|next)\sweek|the\sweek\safter"
    rf"|(?:le|la)\s(?P<fr>{_WD})\s(?:suivant|d\sapres)|(?:celui|celle)\sd\sapres"
    rf"|the\s(?P<en>{_WD})\s(?:after|following)|the\sfollowing\s(?P<en2>{_WD})"
    rf"|the\sone\safter)\b"
)
_NEXT_WEEK = re.compile(r"\b(?:(?:la\s)?semaine\sprochaine|next\sweek)\b")
_SAME = re.compile(
    r"\b(?:pareil|aussi|la\smeme\schose|idem|same|too|also|again|as\swell|egalement)\b"
)
_EXCEPT = re.compile(rf"\b(?:sauf|except|but\snot|pas)\s(?:le\s|on\s)?({_WD})s?\b")


def again(session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse) -> Reply | None:
    folded = fold(msg.text)
    if p.items or not _SAME.search(folded):
        return None
    talk = changes.recent(session, ctx, person)
    if talk is not None and talk.get("habit"):
        return None  # "…chaque semaine" then "et pareil pour le mercredi": that habit too
    after = _WEEK_AFTER.search(folded)
    today = ctx.today(ctx.site(person.site_id))
    days = [d for d in touched.last_changed(session, ctx, person) if d > today]
    if not days:
        return None
    if after is None:
        monday = today + timedelta(days=7 - today.weekday())
        if not (_NEXT_WEEK.search(folded) and all(d < monday for d in days)):
            return _same_on(session, ctx, person, msg, p, days)
    named = next((g for g in (after.groups() if after else ()) if g), None)
    if named is not None:
        days = [d for d in days if WEEKDAYS[d.weekday()] == _SAID[named]]
    left_out = {_SAID[m.group(1)] for m in _EXCEPT.finditer(folded)}
    listed = set(p.frame.weekday_names) - left_out - ({_SAID[named]} if named else set())
    if listed - {WEEKDAYS[d.weekday()] for d in days}:
        return None  # "et le lundi de la semaine prochaine la même chose": another day
    if listed:  # "et pareil la semaine prochaine, mardi jeudi samedi": those of the days
        days = [d for d in days if WEEKDAYS[d.weekday()] in listed]
    days = [d for d in days if WEEKDAYS[d.weekday()] not in left_out]
    if not days:
        return None
    base = touched.before_conversation(session, ctx, person)
    lang = person.language
    targets = []
    for d in days:
        target = d + timedelta(days=7)
        if changes.day_open(ctx, person, session, target) is not Verdict.OK:
            continue
        request = touched.asked(base.get(d, {}), changes.on_day(session, person, d))
        items = touched.applied(changes.on_day(session, person, target), request)
        over = over_limit(ctx.config, items)
        if over:
            items[over] = ctx.config.catalogue[over].max_per_delivery
        changes.set_day(session, ctx, person, target, items, "change")
        targets.append((target, items))
    if not targets:
        return None
    changes.remember(session, ctx, person, targets[-1][0], days=tuple(d for d, _ in targets))
    said = [changes.restate(ctx, lang, d, items) for d, items in targets]
    return Reply(" ".join([t(lang, "change.booked"), *said]), lang)


_COMPARED = re.compile(
    r"\b(?:comme|que|qu|as|like|than|sauf|except|mais|but|stay|stays|reste|restent"
    r"|change\spas|ne\schange|changes?\snothing|no\schange|unchanged)\b"
)
_SAME_ON = re.compile(r"\b(?:pareil|idem|la\smeme\schose|same|meme\schose)\b")


def _same_on(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse, last: list[date]
) -> Reply | None:
    """ "une baguette en plus jeudi" … "et pareil vendredi": the last change asked again of
    the day said. A change said as a number more or less ("en plus", "one more") adds it to
    what that day has; one said as a number ("1 seul pack lundi au lieu de 2" … "et pareil
    pour jeudi") gives the day that number."""
    f = p.frame
    folded = fold(msg.text)
    if not _SAME_ON.search(folded) or _COMPARED.search(folded):
        return None
    if f.named or f.loose or f.refused or f.plural_weekdays or f.weekly:
        return None
    targets = [d for d in dict.fromkeys(f.days) if d not in last]
    if not targets or len(set(f.days) - set(targets)) > 0:
        return None
    before = touched.before_last(session, ctx, person)
    requests = {
        tuple(sorted(touched.asked(before.get(d, {}), changes.on_day(session, person, d)).items()))
        for d in last
    }
    if len(requests) != 1:
        return None
    request = dict(next(iter(requests)))
    if not request:
        return None
    said = antecedents.previous(session, ctx, person, msg)
    relative = said is not None and (said.frame.adding or said.frame.removing)
    now_last = changes.on_day(session, person, last[0])
    if not touched.before_conversation(session, ctx, person).get(last[0]):
        request = {k: touched.REMOVED for k in request} | dict(now_last)  # "et jeudi pareil"
        relative = False  # after an order made in this talk: the whole order, as it is now
    lang = person.language
    done = []
    for d in targets:
        if changes.day_open(ctx, person, session, d) is not Verdict.OK:
            return None
        have = changes.on_day(session, person, d)
        if relative:
            items = touched.applied(have, request)
        else:
            items = {**have, **{k: now_last.get(k, 0) for k in request}}
            items = {k: n for k, n in items.items() if n > 0}
        over = over_limit(ctx.config, items)
        if over:
            items[over] = ctx.config.catalogue[over].max_per_delivery
        changes.set_day(session, ctx, person, d, items, "change")
        done.append((d, items))
    changes.remember(session, ctx, person, done[-1][0], days=tuple(d for d, _ in done))
    lines = [changes.restate(ctx, lang, d, items) for d, items in done]
    return Reply(" ".join([t(lang, "change.booked"), *lines]), lang)
