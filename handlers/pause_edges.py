"""An absence already booked, started later or ended sooner by a later message: "je pars
finalement un jour plus tard, livrez-moi encore le mercredi 28", "finalement je pars seulement
le 6 août… livrez-moi normalement jeudi 5", "My trip is shorter than planned, I'm back on
Tuesday evening. Please bring my bread on Wednesday".

Read as a new request, such a message asks "until when?" or books nothing, and the days the
tenant is home again go without bread. Only the one absence on the coming days is touched, and
only at its edges: a day to deliver at its start moves the start after it, one at its end moves
the end before it; "je pars le 6" moves the start to the 6th."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy.orm import Session

from handlers import cancelling, changes
from handlers.nlu import Parse
from handlers.replies import fold
from handlers.texts import t
from handlers.texts.formats import day as say_day
from handlers.types import Inbound, Reply
from models.context import Context
from models.orders import active_pauses
from models.people import Person
from models.rules import Verdict

# "je pars le 6", "I'm leaving on Friday": the first day away
_LEAVING = re.compile(
    r"\b(?:je (?:ne )?pars|je (?:ne )?partirai|depart|i leave|i m leaving|i am leaving|leaving on"
    r"|i go on|i m going on|i fly (?:out )?on)\b"
)
_WEEKDAY_WORDS = (
    ("lundi", "monday"), ("mardi", "tuesday"), ("mercredi", "wednesday"), ("jeudi", "thursday"),
    ("vendredi", "friday"), ("samedi", "saturday"), ("dimanche", "sunday"),
)  # fmt: skip


def _said_at(text: str, day: date) -> int | None:
    """Where `text` first names `day`, by its number or its weekday."""
    words = (str(day.day), *_WEEKDAY_WORDS[day.weekday()])
    found = [
        m.start() for w in words if (m := re.search(rf"\b{w}(?:st|nd|rd|th|er|eme|e)?\b", text))
    ]  # ("the 16th", "le 1er")
    return min(found) if found else None


# "livrez-moi encore le mercredi 28", "please bring my bread on Wednesday": a day at home
_DELIVER = re.compile(
    r"\b(?:livrez|livrer|apportez|deliver|bring|send)\b|\bje (?:serai|suis) (?:encore |bien )?la\b"
    r"|\bi ll (?:still )?be (?:home|here|in)\b"
)
_ONE_DAY = timedelta(days=1)
_EVENING = re.compile(r"\b(?:soir|soiree|evening|night|tard|late|apres midi|afternoon)\b")


def moved(session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse) -> Reply | None:
    f = p.frame
    folded = fold(msg.text)
    if p.items or p.intent in ("stop", "list") or f.weekly:
        return None
    if not (f.days or f.returning or f.resume or f.until):
        return None  # no day said: no edge to move (and no read of the pauses)
    today = ctx.today(ctx.site(person.site_id))
    pauses = [q for q in active_pauses(session, person.id, today) if q.end_on is not None]
    if len(pauses) != 1:
        return None
    q = pauses[0]
    inside = [d for d in dict.fromkeys(f.days) if q.start_on <= d <= q.end_on and d > today]
    start, end = q.start_on, q.end_on
    leaving = _LEAVING.search(folded)
    deliver = _DELIVER.search(folded)
    left_on = None
    if leaving:  # "finalement je pars seulement le 6 août", "je ne pars que jeudi et vendredi"
        stop = deliver.start() if deliver and deliver.start() > leaving.end() else len(folded)
        rest = folded[leaving.end() : stop]
        said = {d: _said_at(rest, d) for d in inside}
        after = sorted((at, d) for d, at in said.items() if at is not None)
        if after:  # the day said first after "je pars"
            left_on = start = after[0][1]
    if deliver:  # the days to deliver said at the edges of the absence
        rest = folded[deliver.start() :]
        to_deliver = [
            d
            for d in inside
            if (d in f.kept_days if f.kept_days else _said_at(rest, d) is not None)
            and d not in f.refused_days
            and d != left_on
        ]
        while start in to_deliver:  # "livrez-moi encore le mercredi 28": the first day
            start += _ONE_DAY
        while end in to_deliver and f.returning is None and f.resume is None:  # the last day
            end -= _ONE_DAY
    if f.resume is not None and start < f.resume <= q.end_on:
        end = f.resume - _ONE_DAY  # "je rentre demain, reprenez lundi 11"
    elif f.until is not None and q.start_on < f.until <= q.end_on and f.nothing_day:
        end = f.until  # "et ensuite plus rien jusqu'au 14 inclus"
    elif f.returning is not None and start < f.returning <= q.end_on:
        end = f.returning - _ONE_DAY  # "je rentre mardi": home for Tuesday's round
        if _EVENING.search(folded):
            end = f.returning  # "I'm back on Tuesday evening": home from Wednesday
    if (start, end) == (q.start_on, q.end_on):
        return None
    freed = [  # the days of the absence now at home
        q.start_on + _ONE_DAY * k for k in range((min(start, end + _ONE_DAY) - q.start_on).days)
    ]
    freed += [end + _ONE_DAY * k for k in range(1, (q.end_on - end).days + 1)]
    shut = (Verdict.PAST, Verdict.CUTOFF)
    if any(changes.day_open(ctx, person, session, d) in shut for d in freed):
        return None  # a round already planned: the message is read as it stands
    lang = person.language
    cancelling.lift_cancelled(session, ctx, person, freed, q.created_at)  # "gardez samedi"
    if start > end:
        session.delete(q)
        session.flush()
        return Reply(
            t(lang, "pause.called_off_none", start=say_day(q.start_on, lang),
              end=say_day(q.end_on, lang)),
            lang,
        )  # fmt: skip
    q.start_on, q.end_on = start, end
    session.flush()
    return Reply(cancelling.pause_said(ctx, person, start, end), lang)
