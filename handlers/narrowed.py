"""Several days booked in this conversation, narrowed to one: "ni lundi ni mardi finalement,
seulement mercredi mais 2 packs", "mercredi et vendredi rien finalement, seulement lundi",
"Sorry, neither Monday nor Tuesday after all, just Wednesday".

The days refused go back to what they had before the conversation (`touched`: nothing for an
order placed in it, the standing order for a day it changed); the day kept stays, with the
number said if there is one. Only days this conversation changed are touched."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from handlers import changes, touched
from handlers.nlu import Parse
from handlers.nlu.calendar_words import WEEKDAYS as SAID_WEEKDAYS
from handlers.replies import fold
from handlers.texts import t
from handlers.types import Inbound, Reply
from models.context import Context
from models.people import Person
from models.rules import Verdict, over_limit

_ONLY_DAY = re.compile(
    r"\b(?:seulement|juste|uniquement|only|just|que)\s(?:le\s|on\s|pour\s|for\s)?(\w+)"
)


def narrowed(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse
) -> Reply | None:
    f = p.frame
    if not f.only or not f.refused_days or p.intent in ("stop", "pause"):
        return None
    base = touched.before_conversation(session, ctx, person)
    dropped = [d for d in dict.fromkeys(f.refused_days)]
    kept = [d for d in dict.fromkeys(f.days) if d not in dropped]
    if len(kept) != 1 or not all(d in base for d in [*dropped, *kept]):
        return None
    only = _ONLY_DAY.search(fold(msg.text))
    if only is None or SAID_WEEKDAYS.get(only.group(1)) != kept[0].weekday():
        return None  # "gardez vendredi. Juste jeudi rien": the one refused, not the one kept
    days = [*dropped, *kept]
    if any(changes.day_open(ctx, person, session, d) is not Verdict.OK for d in days):
        return None
    for d in dropped:
        changes.set_day(session, ctx, person, d, base[d], "change")
    keep = kept[0]
    have = changes.on_day(session, person, keep)
    said = {k: n for k, n in f.asked if n and k not in f.refused}
    if not said and len(f.loose) == 1 and len(have) == 1:
        said = {next(iter(have)): f.loose[0]}  # "seulement mercredi mais 2"
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
