"""A habit just changed, taken back or moved by the next message.

"Je voudrais 2 packs d'eau le jeudi, toutes les semaines" then "ah non, c'est le vendredi, le
jeudi comme avant": the tenant corrects the standing order they have just changed, not a date.
Read as a new request, such a message would change the other weekday and leave the first one
changed: a delivery nobody asked for every week. The router keeps what the habit was before
(`changes.remember_habit`) and this module gives it back, whole or in part:

- "pas le jeudi", "le jeudi on garde deux", "laissez le lundi comme avant": that weekday as it
  was; another weekday said with it gets the change instead ("c'est le mercredi, pas le mardi");
- "seulement ce vendredi, pas toutes les semaines": the habit as before, the change on the next
  such day only;
- "pas pour toujours, seulement jusqu'à la fin du mois": the change on the days up to then;
- "could that start from the new year?": the days before the start keep what they had.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from handlers import changes, touched
from handlers.lexicon import lexicon_for
from handlers.nlu import Parse, parse
from handlers.nlu.calendar_words import WEEKDAY_KEYS, WEEKDAYS_PLURAL
from handlers.nlu.calendar_words import WEEKDAYS as SAID_WEEKDAYS
from handlers.replies import fold
from handlers.texts import t
from handlers.texts.formats import day as say_day
from handlers.texts.formats import items as say_items
from handlers.texts.formats import weekdays as say_weekdays
from handlers.types import Inbound, Reply
from models.config import WEEKDAYS
from models.context import Context
from models.people import Person
from models.rules import Verdict

_CLAUSES = re.compile(r"[,.;!?]|\b(?:mais|but|par contre|however)\b")
# "pas le jeudi", "not Tuesday": the weekday refused, not the others of the clause
_NEGATED = re.compile(
    r"\b(?:pas|not|plus)\s(?:(?:le|les|du|on|the|de)\s)?(lundis?|mardis?|mercredis?|jeudis?|vendredis?"
    r"|samedis?|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?)\b"
)
_UNDO = re.compile(
    r"\b(?:remettez|remettre|put back|bring back"
    r"|comme avant|as before|on garde|je garde|je (?:le|la|les) garde|gardez|garder|keep"
    r"|laissez|laisser"
    r"|leave|rien ne change|ne change rien|on ne change rien|reste|stays?|as it was|as usual"
    r"|comme d habitude|comme maintenant)\b"
)
_ONCE = re.compile(
    r"\b(?:pas toutes les semaines|pas chaque semaine|not every week|seulement ce|seulement cette"
    r"|juste ce|juste cette|uniquement ce|only this|just this|cette fois|this time|une seule fois"
    r"|just once|only once|que pour cette|que pour ce|que cette semaine|only for this|just for this"
    r"|pour cette semaine seulement|for this week only|pas tout le temps|not all the time"
    r"|(?:juste|seulement|only|just)\s(?:le\s|this\s|the\s)?\w+\squi\svient|this coming)\b"
)
_NOT_FOREVER = re.compile(
    r"\b(?:pas pour toujours|not for good|not forever|seulement jusqu|only until)\b"
)
_NEW_YEAR = re.compile(
    r"\b(?:the new year|nouvel an|la nouvelle annee|l annee prochaine|next year)\b"
)
_DURING = re.compile(
    r"\b(?:pendant|during|while|tant qu|for (?:those|these|the) (?:two |2 )?(?:weeks|days))\b"
)
_DATED_WEEKDAY = re.compile(
    r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday)\s(?:the\s)?\d{1,2}(?:er|st|nd|rd|th)?\b"
)
_STARTING = re.compile(r"\b(?:a partir|start|starting|from|des le|des la|commenc\w*|begin\w*)\b")
TAKING_BACK = re.compile(
    r"\b(?:je reviens (?:en arriere|sur)|je regrette|changed my mind|change d avis|remettez"
    r"|put back|gardez|keep|j ai dit une betise|trompee?|mistake|wrong"
    r"|comme avant|as before|on garde|je garde|laissez|leave|reflexion faite|en fait|finalement"
    r"|actually|could that start|can that start|pas pour toujours|not for good|not forever"
    r"|pas toutes les semaines|not every week|attendez|wait|ah non|oh no|oups|oops)\b"
)
_WORDS = {**SAID_WEEKDAYS, **WEEKDAYS_PLURAL}


def retake(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse, habit: dict[str, Any]
) -> Reply | None:
    """The habit change just made, taken back or moved as the message says; None when the
    message is about something else."""
    folded = fold(msg.text)
    f = p.frame
    folded = _SAID_ON.sub(" ", folded)  # "ce que j'ai dit vendredi": when, not which weekday
    said = _weekdays_said(_DATED_WEEKDAY.sub(" ", folded))  # "until Saturday 17 April": a date
    # "et jusqu'à fin mars", "à partir de la semaine prochaine svp": only when, of the change
    when_only = (
        not p.items
        and not said
        and len(folded.split()) <= 14
        and (
            f.until is not None or (_STARTING.search(folded) is not None and bool(f.days or f.week))
        )
    )
    if not (f.correcting or TAKING_BACK.search(folded) or when_only):
        return None  # "et pas d'eau le lundi non plus": one more change, not a correction
    before: dict[str, dict[str, int]] = habit["before"]
    after: dict[str, dict[str, int]] = habit["after"]
    lang = person.language
    others = [d for d in said if d not in before]
    if _ONCE.search(folded) and not others:
        return _once(session, ctx, person, before, after)
    if f.until is not None and (_NOT_FOREVER.search(folded) or when_only) and not others:
        return _until(
            session,
            ctx,
            person,
            before,
            after,
            f.until,
            _in_force(session, ctx, person, after, f.until),
        )
    start = f.days[0] if len(f.days) == 1 else None
    if start is None and f.week is not None:
        start = f.week[0]  # "à partir de la semaine prochaine"
    if _NEW_YEAR.search(folded):  # "could that start from the new year?"
        today = ctx.today(ctx.site(person.site_id))
        start = date(today.year + 1, 1, 1)
    if start is not None and _STARTING.search(folded) and not others:
        return _since(session, ctx, person, before, start)
    clauses = [
        _SAID_ON.sub(" ", fold(c)) for c in _CLAUSES.split(msg.text.lower()) if fold(c).strip()
    ]
    undone = [d for d in _undone(clauses) if d in before]
    listed = _weekdays_said(clauses[0]) if clauses and not _undone(clauses[:1]) else []
    if (
        not undone
        and f.correcting
        and not p.items
        and set(listed) & set(before)
        and set(listed) - set(before)
    ):  # "1 baguette tous les mardis et vendredis" … "non en fait mardi et samedi, le vendredi
        # ma voisine m'en ramène": the days listed again are the days of the change
        undone = [d for d in before if d not in listed]
        others = [d for d in listed if d not in before]
    if not undone:
        return None
    said = {k: n for k, n in f.asked if n and k not in f.refused}
    for d in undone:  # "je préfère garder le mercredi, mais avec une seule baguette": that one
        back = {**before[d], **said} if len(undone) == 1 and not others else before[d]
        changes.put_habit(session, ctx, person, d, back)
    if len(undone) == 1 and not others and said and said.items() - before[undone[0]].items():
        back = {**before[undone[0]], **said}
        text = t(lang, "change.weekly_set", items=say_items(back, lang, ctx.item_names),
                 days=say_weekdays(undone, lang))  # fmt: skip
        return Reply(text, lang)
    texts = [t(lang, "change.habit_restored", days=say_weekdays(undone, lang))]
    today = ctx.today(ctx.site(person.site_id))
    for d in others:
        clause = _clause_of(clauses, d)
        if clause and _FINE.search(clause):
            continue  # "Le lundi à 2 c'est bon": that day stays as it is
        q = parse(clause, today, None, lexicon=lexicon_for(ctx.config)) if clause else None
        refused = q.frame.refused if q is not None else ()
        asked = q.items if q is not None and not refused else {}
        now = changes.standing_orders(session, person.id).get(d, {})
        if refused:  # "c'est le lundi que je veux plus de pain, pas le vendredi"
            new = {k: n for k, n in now.items() if k not in refused}
        elif asked:
            new = {**now, **asked}
        elif len(undone) == 1:  # "plutôt le mercredi, pas le mardi": the same change, moved
            src = undone[0]
            keys = {*before[src], *after[src]}
            new = dict(now)
            for k in keys:
                new[k] = max(0, now.get(k, 0) + after[src].get(k, 0) - before[src].get(k, 0))
        else:
            continue
        changes.put_habit(session, ctx, person, d, new)
        kept = {k: n for k, n in new.items() if n > 0}
        if kept:
            said = say_items(kept, lang, ctx.item_names)
            texts.append(t(lang, "change.weekly_set", items=said, days=say_weekdays([d], lang)))
    return Reply(" ".join(texts), lang)


# "ce que j'ai dit vendredi", "mon message de lundi", "je me suis trompée mardi", "what I said on
# Monday": the day something was said, not a weekday of the habit
_SAID_ON = re.compile(
    r"\b(?:dit|demande|ecrit|envoye|message|sms|trompee?|said|wrote|asked|sent|texted)"
    r"(?: (?:de|du|d|on|last|ce|cette))? (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?! (?:et|and|ni|or|ou)\b)"
    r"(?=(?:\s(?:matin|soir|apres midi|dernier|morning|evening|afternoon))?(?:\s?[,:.;!?]|$"
    r"|\s(?:pour|for|je|j|i|c|that|que|qu|mais|but)\b))"
)
_STAYS_AT = re.compile(
    r"\b(?:stays?|remains?|restent|reste) (?:at|a|on) (?:\d+|one|une?|a single)\b"
    r"|\b(?:stays?|remains?|restent|reste|toujours|still) (?:sans|without|no)\b"
)  # ("le mercredi reste sans pain": as it is now)
_FINE = re.compile(r"\b(?:c est bon|ca va|c est tres bien|is fine|s fine|are fine|is ok|s ok)\b")
_GOING_BACK = re.compile(r"\b(?:je reviens sur|je regrette|changed my mind|change d avis)\b")
_KEEP_IT = re.compile(r"\b(?:je (?:le|la|les) garde|je garde|on garde|gardez|keep)\b")
_AS_BEFORE = re.compile(r"\b(?:comme avant|as before|as it was|comme c etait)\b")


def about_habit(folded: str, f: Any) -> bool:
    """A message that may take back a habit changed earlier in the conversation (days ago)."""
    return bool(
        f.weekly
        or f.plural_weekdays
        or _AS_BEFORE.search(folded)
        or ((f.correcting or _GOING_BACK.search(folded)) and _KEEP_IT.search(folded))
        # "l'eau du mercredi je la garde", "je reviens sur …, je garde l'eau le vendredi"
        or (f.correcting and _NEGATED.search(folded))
    )


def retake_later(
    session: Session, ctx: Context, person: Person, msg: Inbound, p: Parse
) -> Reply | None:
    """`retake`, against what the conversation's memory says the habits were before it."""
    folded = fold(msg.text)
    if p.frame.until is not None or _STARTING.search(folded) or _ONCE.search(folded):
        return None  # when a change starts or ends: the request as it stands
    old = touched.habits_before(session, ctx, person)
    if not old:
        return None
    now = changes.standing_orders(session, person.id)
    before = {d: items for d, items in old.items() if items != now.get(d, {})}
    if not before:
        return None
    return retake(
        session,
        ctx,
        person,
        msg,
        p,
        {"before": before, "after": {d: now.get(d, {}) for d in before}},
    )


# a change said for good, not for the week it names
_NOT_ONE_WEEK = re.compile(
    r"\b(?:toutes les semaines|chaque semaine|dorenavant|desormais|a l avenir|pour de bon"
    r"|pour toujours|every week|each week|from now on|for good|from then on|a partir de"
    r"|a compter de|starting|from)\b"
)


# "après on revient comme avant": when the change ends, not a change taken back
_AFTERWARDS = re.compile(
    r"\b(?:apres|ensuite|puis|then|after that|afterwards|(?:en|in|from|des|a partir d) (?:janvier"
    r"|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|january|february"
    r"|march|april|may|june|july|august|september|october|november|december))\b(?:\s\S+){0,4}"
    r"\s(?:comme avant|as before|as usual|comme d habitude|back to normal|normal)\b"
)


def bound(
    session: Session,
    ctx: Context,
    person: Person,
    msg: Inbound,
    p: Parse,
    before: dict[str, dict[str, int]],
    after: dict[str, dict[str, int]],
) -> str | None:
    """A habit changed by a message that also says when: "jusqu'à la fin du mois, 2 baguettes le
    mercredi", "until the 20th please add a pack of water every Tuesday", "du 11 au 23 janvier …
    pendant ces deux semaines", "à partir du lundi 21, aussi 2 baguettes le lundi". Whatever path
    changed it, the change is bounded here, once; the note to add to the reply, or None."""
    changed = {d for d in {*before, *after} if before.get(d, {}) != after.get(d, {})}
    f = p.frame
    folded = fold(msg.text)
    taken_back = TAKING_BACK.search(folded) and not _AFTERWARDS.search(folded)
    if not changed or f.correcting or taken_back:
        return None  # nothing changed, or a change taken back (`retake` bounds it)
    start = end = None
    if f.span is not None and _DURING.search(folded):
        start, end = f.span
    elif f.until is not None and not f.open_end:
        end = f.until
    if start is None and _STARTING.search(folded):
        if len(set(f.days)) == 1:
            start = f.days[0]
        elif f.week is not None:
            start = f.week[0]
    elif start is None and end is None and f.week is not None and not _NOT_ONE_WEEK.search(folded):
        start, end = f.week  # "la semaine prochaine, 2 packs au lieu d'un le lundi et le jeudi"
    was = {d: before.get(d, {}) for d in changed}
    now = {d: after.get(d, {}) for d in changed}
    today = ctx.today(ctx.site(person.site_id))
    if end is not None and end > today:
        return _until(session, ctx, person, was, now, end, start).text
    if start is not None and start > today + timedelta(days=1):
        return _since(session, ctx, person, was, start).text
    return None


def _once(
    session: Session,
    ctx: Context,
    person: Person,
    before: dict[str, dict[str, int]],
    after: dict[str, dict[str, int]],
) -> Reply:
    """The habit as before; the change on the next such day only."""
    lang = person.language
    lines = []
    for d, items in before.items():
        changes.put_habit(session, ctx, person, d, items)
        day = next(iter(_open_days(session, ctx, person, 14, [d])), None)
        if day is not None:
            changes.set_day(session, ctx, person, day, after[d], "change")
            lines.append(changes.restate(ctx, lang, day, changes.on_day(session, person, day)))
    return Reply(" ".join([t(lang, "change.habit_once"), *lines]), lang)


def _until(
    session: Session,
    ctx: Context,
    person: Person,
    before: dict[str, dict[str, int]],
    after: dict[str, dict[str, int]],
    until: date,
    start: date | None = None,
) -> Reply:
    """The habit as before, the change on each of its days up to `until` (from `start`)."""
    lang = person.language
    today = ctx.today(ctx.site(person.site_id))
    days = [
        day
        for day in _open_days(session, ctx, person, (until - today).days, after)
        if start is None or day >= start
    ]  # each day as it is with the change (and any one-off order of that day kept)
    keep = {day: changes.on_day(session, person, day) for day in days}
    for d, items in before.items():
        changes.put_habit(session, ctx, person, d, items)
    for day in days:
        changes.set_day(session, ctx, person, day, keep[day], "change")
    return Reply(t(lang, "change.habit_until", day=say_day(until, lang)), lang)


def _in_force(
    session: Session,
    ctx: Context,
    person: Person,
    after: dict[str, dict[str, int]],
    until: date,
) -> date | None:
    """The first day the change is in force ("à partir du 11 février" said with it): a bound
    said afterwards keeps that start."""
    today = ctx.today(ctx.site(person.site_id))
    for day in _open_days(session, ctx, person, (until - today).days, after):
        wanted = {k: n for k, n in after[WEEKDAYS[day.weekday()]].items() if n > 0}
        if changes.on_day(session, person, day) == wanted:
            return day
    return None


def _since(
    session: Session,
    ctx: Context,
    person: Person,
    before: dict[str, dict[str, int]],
    start: date,
) -> Reply:
    """The change from `start`; the days before it keep what they had (`keep_as_before`, as a
    habit changed "à partir du 1er mars" in one message)."""
    lang = person.language
    days = changes.coming_days(ctx, person, start - timedelta(days=1), before)
    changes.keep_as_before(session, ctx, person, {d: before[WEEKDAYS[d.weekday()]] for d in days})
    return Reply(t(lang, "change.habit_since", day=say_day(start, lang)), lang)


def _open_days(
    session: Session, ctx: Context, person: Person, ahead: int, weekdays: Any
) -> list[date]:
    """The days of `weekdays` in the next `ahead` days that can still be changed."""
    end = ctx.today(ctx.site(person.site_id)) + timedelta(days=ahead)
    days = changes.coming_days(ctx, person, end, weekdays)
    return [d for d in days if changes.day_open(ctx, person, session, d) is Verdict.OK]


def _weekdays_said(folded: str) -> list[str]:
    out: list[str] = []
    for word in folded.split():
        if word in _WORDS and WEEKDAY_KEYS[_WORDS[word]] not in out:
            out.append(WEEKDAY_KEYS[_WORDS[word]])
    return out


def _undone(clauses: list[str]) -> list[str]:
    """Weekdays said in a clause that takes the change back ("pas le jeudi", "le jeudi on garde
    deux", "laissez le lundi comme avant")."""
    out: list[str] = []
    for clause in clauses:
        if _STAYS_AT.search(clause):
            continue  # "Tuesdays stay at one": as they are now
        negated = [m.group(1) for m in _NEGATED.finditer(clause)]
        if negated:
            out += [d for d in _weekdays_said(" ".join(negated)) if d not in out]
        elif _UNDO.search(clause):
            out += [d for d in _weekdays_said(clause) if d not in out]
    return out


def _clause_of(clauses: list[str], key: str) -> str | None:
    for clause in clauses:
        if key in _weekdays_said(clause) and key not in _undone([clause]):
            return clause
    return None
