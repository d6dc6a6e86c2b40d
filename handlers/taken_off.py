"""What the last message took off one day, put on another: "mercredi une seule baguette au
lieu de 2" … "et l'autre mettez-la jeudi"; "No bread on Wednesday please" … "Could you move it
to Thursday instead?"; "make that two on Tuesday" … "and the third one on Thursday please".

The amounts come from the conversation's memory (`touched`): what the last change removed,
item by item. It goes on top of what the other day has. Only when the message names one other
day and no new quantity, and the last change removed something."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from handlers import changes, touched
from handlers.nlu import Parse
from handlers.nlu.calendar_words import WEEKDAYS as SAID_WEEKDAYS
from handlers.nlu.dates import Day, resolve
from handlers.replies import fold
from handlers.types import Inbound, Reply
from models.config import WEEKDAYS
from models.context import Context
from models.people import Person
from models.rules import Verdict

_POINTING = re.compile(
    r"\b(?:l autre|les autres|la deuxieme|le deuxieme|la seconde|le second|la troisieme"
    r"|le troisieme|mettez[ -]?(?:le|la|les)|donnez[ -]?(?:le|la|les)|livrez[ -]?(?:le|la|les)"
    r"|(?:le|la|les) mettre|(?:le|la|les) livrer|(?:le|la|les) deplacer|deplacez[ -]?(?:le|la|les)"
    r"|the other(?: one| ones| loaf| pack)?|the (?:second|third|extra|other) one"
    r"|(?:move|put|have|deliver|bring|send) (?:it|them|that|those)(?! back)"
    r"|(?:move|put) (?:the|my) (?:bread|loaf|loaves|water|pack|order|delivery))\b"
)


def elsewhere(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse
) -> Reply | None:
    folded = fold(msg.text)
    if not _POINTING.search(folded) or any(n for _, n in p.frame.asked) or p.frame.loose:
        return None
    today = ctx.today(ctx.site(person.site_id))
    last = [d for d in touched.last_changed(session, ctx, person) if d > today]
    if len(last) != 1:
        return None
    source = last[0]
    was = touched.before_last(session, ctx, person).get(source, {})
    request = touched.asked(was, changes.on_day(session, person, source))
    removed = {
        k: (was.get(k, 0) if n == touched.REMOVED else -n)
        for k, n in request.items()
        if n == touched.REMOVED or n < 0
    }
    wanted = set(p.frame.named) - set(p.frame.refused)  # "le pain de lundi, l'eau je m'en passe"
    if wanted:
        removed = {k: n for k, n in removed.items() if k in wanted}
    if not removed or any(n > 0 and n != touched.REMOVED for n in request.values()):
        return None
    target = _target(ctx, person, p, source, today)
    if target is None:
        return None
    verdict = changes.day_open(ctx, person, session, target)
    if verdict is not Verdict.OK:
        return changes.refused_day(ctx, person, target, verdict)
    have = changes.on_day(session, person, target)
    if source in p.frame.kept_days:  # "annulez celle de mardi" … "non pardon l'autre, celle de
        # jeudi. Mardi je la garde": the change was meant for the other day
        changes.set_day(session, ctx, person, source, was, "change")
        changes.set_day(session, ctx, person, target, touched.applied(have, request), "change")
        changes.remember(session, ctx, person, target, days=(source, target))
        return changes.restate_days(session, ctx, person, "change.done", sorted((source, target)))
    new = {k: have.get(k, 0) + removed.get(k, 0) for k in {*have, *removed}}
    changes.set_capped(session, ctx, person, target, new)
    changes.remember(session, ctx, person, target, days=(source, target))
    return changes.restate_days(session, ctx, person, "change.moved", sorted((source, target)))


def _target(ctx: Context, person: Person, p: Parse, source: date, today: date) -> date | None:
    """The one other day said: a date, else a weekday (the next one after today)."""
    said = [d for d in dict.fromkeys(p.frame.days) if d != source]
    if not said:
        said = [
            d
            for d in (
                resolve(Day("wd", weekday=WEEKDAYS.index(k)), today).date
                for k in p.frame.weekday_names
            )
            if d is not None and d != source
        ]
    return said[0] if len(said) == 1 else None


# "je veux bien mon pain samedi finalement", "I'd like my bread on Wednesday after all", "je
# reprends le pain de mercredi et jeudi", "vous pouvez remettre ma commande ?"
_TAKE_BACK = re.compile(
    r"\b(?:je\s(?:le\s|la\s|les\s)?veux\sbien|finalement\sje\s(?:le\s|la\s|les\s)?(?:veux|voudrais)"
    r"|je\s(?:le\s|la\s|les\s)?reprends|reme?tt?(?:e[zr]|re)|after\sall|put\s(?:it|them)\sback"
    r"|put\s(?:my|the)\s\w+\s(?:\w+\s)?back|bring\s(?:it|them)\sback|i\sdo\swant|i\sll\stake\sit"
    r"|put\sback|bring\sback|je\sreprends\sla\scommande"
    r"|(?:finalement|en\sfait|after\sall)\s(?:\w+\s)?gardez(?:\smoi)?\s(?:le|la|les|mon|ma|mes)"
    r"|gardez(?:\smoi)?\s(?:le|la|les|mon|ma|mes)\s\w+\s(?:\w+\s)?finalement)\b"
)


WEEKDAY_WORDS = {d: {w for w, k in SAID_WEEKDAYS.items() if k == d} for d in range(7)}
_NOT_JUST_BACK = re.compile(
    r"\b(?:cancel(?!led)|cancelling|annule[rz]|annulez|(?<!ai\s)(?<!avais\s)annule|no\smore|plus\sde|a\spartir|des\sle|starting"
    r"|from|jusqu\w*|until"
    r"|tous\sles|toutes\sles|chaque|every|each|en\s(?:janvier|fevrier|mars|avril|mai|juin|juillet"
    r"|aout|septembre|octobre|novembre|decembre)|in\s(?:january|february|march|april|may|june"
    r"|july|august|september|october|november|december))\b"
)


def back(session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse) -> Reply | None:
    """A day this conversation took something off gets it back: the items named (less those
    refused: "mais pas l'eau"), else all that was taken off; the days named, else those of the
    last change."""
    folded = fold(msg.text)
    f = p.frame
    if not _TAKE_BACK.search(folded) or any(n for _, n in f.asked) or f.loose:
        return None
    if p.intent in ("stop", "pause", "cancel") or f.refused_days or f.week is not None:
        return None
    if _NOT_JUST_BACK.search(folded):  # "It's Tuesday I need to cancel", "en juin je la reprends"
        return None
    today = ctx.today(ctx.site(person.site_id))
    before = touched.before_last(session, ctx, person)
    base = touched.before_conversation(session, ctx, person)
    named = list(dict.fromkeys(f.days)) or [
        d for d in sorted(base) if d > today and WEEKDAYS[d.weekday()] in f.weekday_names
    ]
    cue = _TAKE_BACK.search(folded)
    clause = next(  # "finalement gardez le pain de samedi, celui de vendredi non": Saturday
        (fold(c) for c in re.split(r"[,.;!?]", msg.text) if cue and cue.group(0) in fold(c)), ""
    )
    words = set(clause.split())  # "remettez le pain du 20": the 20th, not the 21st and 22nd
    in_clause = [d for d in named if (WEEKDAY_WORDS[d.weekday()] | {str(d.day)}) & words]
    named = in_clause or named
    days = [d for d in (named or sorted(before)) if d > today]
    wanted = set(f.named) - set(f.refused)
    restored = []
    for d in days:
        was = before.get(d, base.get(d))
        if was is None:
            continue
        have = changes.on_day(session, person, d)
        gone = {k: n for k, n in was.items() if n > have.get(k, 0)}
        if wanted:
            gone = {k: n for k, n in gone.items() if k in wanted}
        if not gone or changes.day_open(ctx, person, session, d) is not Verdict.OK:
            continue
        changes.set_day(session, ctx, person, d, {**have, **gone}, "change")
        restored.append(d)
    if not restored:
        return None
    return changes.changed_days(session, ctx, person, "change.booked", restored)


# "pardon je voulais dire vendredi 22", "je rectifie c'est mercredi que je suis absent pas
# lundi", "Thursday doesn't suit me either. Please make it Friday"
_REDIRECT = re.compile(
    r"\b(?:je\svoulais\sdire|je\srectifie|je\sme\ssuis\strompee?|i\smeant|i\smean|make\sit"
    r"|doesn\st\ssuit|does\snot\ssuit|ne\sme\sconvient\spas|c\sest\s\w+\sque|it\ss\s\w+\snot)\b"
)


_ELSEWHERE = re.compile(r"\b(?:make\sit|doesn\st\ssuit|does\snot\ssuit|ne\sme\sconvient\spas)\b")


def redirected(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse
) -> Reply | None:
    """The last change was meant for another day: the day it reached goes back to what it had,
    and the other day said gets the same request (an item taken off, a move's arrival)."""
    folded = fold(msg.text)
    f = p.frame
    if not _REDIRECT.search(folded) or any(n for _, n in f.asked) or f.loose:
        return None
    if p.intent == "stop" or f.weekly or p.weekdays or f.week is not None or f.span:
        return None
    today = ctx.today(ctx.site(person.site_id))
    before = {d: items for d, items in touched.before_last(session, ctx, person).items()}
    last = [d for d in sorted(before) if d > today]
    fresh = [d for d in dict.fromkeys(f.days) if d not in before and d > today]
    if len(fresh) != 1 or not last or len(last) > 2:
        return None
    if len(last) == 1:  # what the whole talk asked of that day ("tout décaler à mardi")
        base = touched.before_conversation(session, ctx, person)
        before = {last[0]: base.get(last[0], before[last[0]])}
    asked = {d: touched.asked(before[d], changes.on_day(session, person, d)) for d in last}
    if len(last) == 2:  # a move: the day it reached, when the message says where instead
        gained = [d for d in last if any(n > 0 for n in asked[d].values())]
        if len(gained) != 1 or not _ELSEWHERE.search(folded):
            return None
        wrong = gained[0]
    else:
        wrong = last[0]
    if f.named:  # "not Friday, I meant Thursday for the water": the water only
        asked[wrong] = {k: n for k, n in asked[wrong].items() if k in f.named}
        kept = {k: n for k, n in changes.on_day(session, person, wrong).items()}
        before[wrong] = {**kept, **{k: before[wrong].get(k, 0) for k in asked[wrong]}}
    if not asked[wrong]:
        return None
    right = fresh[0]
    for d in (wrong, right):
        if changes.day_open(ctx, person, session, d) is not Verdict.OK:
            return None
    changes.set_day(session, ctx, person, wrong, before[wrong], "change")
    new = touched.applied(changes.on_day(session, person, right), asked[wrong])
    changes.set_capped(session, ctx, person, right, new)
    changes.remember(session, ctx, person, right, days=(wrong, right))
    return changes.restate_days(session, ctx, person, "change.done", sorted((wrong, right)))


# "mercredi c'est le pain que je veux annuler, pas l'eau", "it's the bread I meant, not the water"
_WHICH_ITEM = re.compile(
    r"\b(?:c est|c etait|it s|it is|it was) (?:le|la|l|les|the|my|mon|ma|mes) \w+ (?:\w+ )?"
    r"(?:que|qu|i|that)\b"
)


def item_redirected(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse
) -> Reply | None:
    """The last change took off the wrong item: "pas d'eau mercredi" … "je me suis trompée,
    mercredi c'est le pain que je veux annuler, pas l'eau". The item it took off comes back, the
    one now named goes, on the days the last change reached that the message names."""
    f = p.frame
    folded = fold(msg.text)
    if not f.correcting or not _WHICH_ITEM.search(folded) or len(f.refused) != 1:
        return None
    wrong = f.refused[0]
    meant = [k for k in f.named if k != wrong]
    if len(meant) != 1:
        return None
    today = ctx.today(ctx.site(person.site_id))
    before = touched.before_last(session, ctx, person)
    days = [d for d in dict.fromkeys(f.days) if d in before and d > today]
    if not days:
        return None
    done = []
    for d in days:
        have = changes.on_day(session, person, d)
        was = before[d]
        if not was.get(wrong) or have.get(wrong, 0) >= was[wrong] or not have.get(meant[0]):
            continue
        if changes.day_open(ctx, person, session, d) is not Verdict.OK:
            return None
        new = {**have, wrong: was[wrong]}
        new.pop(meant[0])
        changes.set_day(session, ctx, person, d, new, "change")
        done.append(d)
    if not done:
        return None
    return changes.changed_days(session, ctx, person, "change.done", done)
