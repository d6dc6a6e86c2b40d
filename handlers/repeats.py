"""The same again a week later: "et la semaine d'après pareil", "pareil pour le lundi suivant",
"et celui d'après aussi", "same again the following week".

What is repeated is what the last change asked of each day (`touched`): "inversez jeudi et
vendredi" … "la semaine d'après pareil" moves one baguette from Thursday to Friday again, on
top of that week's own deliveries; "1 pain et 1 eau pour lundi" … "pareil pour le lundi
suivant" books the same for the Monday after. "sauf vendredi" leaves that weekday out."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy.orm import Session

from handlers import changes, touched
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
    after = _WEEK_AFTER.search(folded)
    today = ctx.today(ctx.site(person.site_id))
    days = [d for d in touched.last_changed(session, ctx, person) if d > today]
    if not days:
        return None
    if after is None:
        monday = today + timedelta(days=7 - today.weekday())
        if not (_NEXT_WEEK.search(folded) and all(d < monday for d in days)):
            return None  # "la semaine prochaine pareil" said of this week's days
    named = next((g for g in (after.groups() if after else ()) if g), None)
    if named is not None:
        days = [d for d in days if WEEKDAYS[d.weekday()] == _SAID[named]]
    left_out = {_SAID[m.group(1)] for m in _EXCEPT.finditer(folded)}
    if set(p.frame.weekday_names) - left_out - ({_SAID[named]} if named else set()):
        return None  # "et le lundi de la semaine prochaine la même chose": another day
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
