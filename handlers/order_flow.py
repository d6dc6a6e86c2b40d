"""Taking an order: fill what is missing, one question at a time, then apply the rules.

The draft (items, day, what we are waiting for) lives in the database under the person's
conversation key, so an answer hours later, or after a restart, continues where it stopped.
`advance` is the whole rule sequence: what to ask next, or place the order.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from handlers import changes
from handlers.nlu import Parse, read_date, read_quantity, read_weekdays
from handlers.nlu.calendar_words import WEEKDAYS as SAID_WEEKDAYS
from handlers.nlu.cues import IN_ALL, IN_ALL_N
from handlers.nlu.vocabulary import DROP_WORDS
from handlers.replies import choices, fold, pick, say
from handlers.texts import t
from handlers.texts.formats import clock_time
from handlers.texts.formats import day as say_day
from handlers.texts.formats import items as say_items
from handlers.texts.formats import weekdays as say_weekdays
from handlers.types import Inbound, Reply
from models.config import WEEKDAYS
from models.context import Context
from models.conversation import clear_state, set_state
from models.orders import (
    OPEN,
    Order,
    closed_dates,
    order_on,
    pause_span,
    place_order,
    set_standing,
    standing_orders,
)
from models.people import Person
from models.rules import MAX_DAYS_AHEAD, Verdict, check_day, next_orderable, over_limit

KIND = "order"


def key(person: Person) -> str:
    return changes.state_key(person)


def start(session: Session, ctx: Context, person: Person, p: Parse, msg: Inbound) -> Reply:
    """A new order or standing order from a parse; what was unclear becomes the first question."""
    draft = _draft(p, msg)
    if p.clarify:
        return _clarify(session, ctx, person, draft, p)
    return advance(session, ctx, person, draft)


_THEN = re.compile(r"\b(?:alors|then|ok|okay|d accord|va pour|please|svp|s il vous plait|fine)\b")


def _draft(p: Parse, msg: Inbound) -> dict[str, Any]:
    return {
        "items": {k: n for k, n in p.items.items() if n},
        "pending_item": None,
        "date": p.date.isoformat() if p.date else None,
        "weekdays": list(p.weekdays) if p.intent == "standing_order" else [],
        # "Can you make it two baguettes tomorrow?": the number for that day, not two more
        "mode": "add"
        if p.frame.adding
        else "total"
        if _MAKE_IT.search(fold(msg.text)) or p.frame.quantity is not None or p.frame.exact
        else None,
        "pause_ok": False,
        # "ce n'est pas de l'eau que je veux mais 2 baguettes": the water goes from that day
        "refused": [k for k in p.frame.refused if k not in p.items],
        "raw": msg.text[:500],
        "source": msg.channel,
        "awaiting": None,
    }


QUANTITY_REASONS = ("quantity_missing", "unknown_unit", "over_limit")
DATE_REASONS = ("past_date", "impossible_date", "two_dates", "weekday_mismatch", "vague_date")


def _clarify(
    session: Session, ctx: Context, person: Person, draft: dict[str, Any], p: Parse
) -> Reply:
    """Ask the one question the parser found; the draft keeps everything else it understood."""
    lang = person.language
    # The parser asks in the message's language; the person's own language wins when they differ.
    question = p.question if p.question and p.lang == lang else None
    mentioned = [k for k in p.mentioned if k not in draft["items"]]
    if p.reason in QUANTITY_REASONS and mentioned:
        draft["pending_item"] = mentioned[0]
        draft["items"].pop(mentioned[0], None)
        return _ask(
            session,
            ctx,
            person,
            draft,
            "quantity",
            question or t(lang, "order.ask_quantity", item=_name(ctx, mentioned[0], lang, 2)),
        )
    if p.reason in DATE_REASONS:
        draft["date"] = None
        return _ask(session, ctx, person, draft, "date", question or t(lang, "order.ask_date"))
    if p.reason == "weekdays_missing":
        return _ask(
            session, ctx, person, draft, "weekdays", question or t(lang, "standing.ask_days")
        )
    if p.reason == "order_unsure":
        draft["pending_item"] = (p.mentioned or tuple(ctx.config.catalogue))[0]
        return _ask(
            session,
            ctx,
            person,
            draft,
            "confirm_unsure",
            question or t(lang, "order.ask_unsure"),
            ("yes", "no"),
        )
    if p.reason in ("item_missing", "unknown_item"):
        draft["items"], draft["pending_item"] = {}, None
        return _ask(
            session,
            ctx,
            person,
            draft,
            "item",
            question or t(lang, "order.ask_item", examples=_examples(ctx, lang)),
        )
    return advance(session, ctx, person, draft)


def advance(session: Session, ctx: Context, person: Person, draft: dict[str, Any]) -> Reply:
    lang = person.language
    site = ctx.site(person.site_id)
    now_local = ctx.local_now(site)
    today = now_local.date()
    assert person.site_id is not None
    closed = closed_dates(session, person.site_id, today, today + timedelta(days=MAX_DAYS_AHEAD))
    items: dict[str, int] = draft["items"]

    if not items and not draft["pending_item"]:
        return _ask(
            session,
            ctx,
            person,
            draft,
            "item",
            t(lang, "order.ask_item", examples=_examples(ctx, lang)),
        )
    if draft["pending_item"]:
        return _ask(
            session,
            ctx,
            person,
            draft,
            "quantity",
            t(lang, "order.ask_quantity", item=_name(ctx, draft["pending_item"], lang, 2)),
        )
    over = over_limit(ctx.config, items)
    if over:
        most = ctx.config.catalogue[over].max_per_delivery
        draft["pending_item"] = over
        items.pop(over)
        return _ask(
            session,
            ctx,
            person,
            draft,
            "quantity",
            t(lang, "order.over_limit", n=most, item=_name(ctx, over, lang, most)),
        )

    if draft["weekdays"]:
        return _standing(session, ctx, person, draft, closed)

    if draft["date"] is None:
        proposed = next_orderable(site, today, now_local, closed)
        if draft.get("proposed_day"):  # "comme d'habitude pour jeudi": that day, confirmed
            proposed = date.fromisoformat(draft.pop("proposed_day"))
        if proposed is None:
            clear_state(session, key(person))
            return say(lang, "order.no_day")
        draft["proposed"] = proposed.isoformat()
        return _ask(
            session,
            ctx,
            person,
            draft,
            "confirm_date",
            t(
                lang,
                "order.propose_day",
                items=_items(ctx, items, lang),
                day=say_day(proposed, lang),
            ),
            ("yes", "no"),
        )
    day = date.fromisoformat(draft["date"])
    check = check_day(site, day, now_local, closed)
    if check.verdict is not Verdict.OK:
        params = {
            "day": say_day(day, lang),
            "weekday": say_weekdays([WEEKDAYS[day.weekday()]], lang),
            "cutoff": clock_time(site.order_cutoff, lang),
        }
        reason = t(lang, f"order.refused.{check.verdict.value}", **params)
        if check.next_possible is None:
            clear_state(session, key(person))
            return Reply(reason + " " + t(lang, "order.no_day"), lang)
        draft["date"], draft["proposed"] = None, check.next_possible.isoformat()
        question = t(lang, "order.propose_instead", day=say_day(check.next_possible, lang))
        return _ask(
            session, ctx, person, draft, "confirm_date", f"{reason} {question}", ("yes", "no")
        )

    pause = pause_span(session, person.id, day)
    row = order_on(session, person.id, day)
    if pause is not None and not draft["pause_ok"]:
        return _ask(
            session,
            ctx,
            person,
            draft,
            "confirm_in_pause",
            t(
                lang,
                "order.in_pause",
                day=say_day(day, lang),
                start=say_day(pause[0], lang),
                end=say_day(pause[1], lang),
            ),
            ("yes", "no"),
        )
    existing = coming_items(session, person, day, row, pause)
    if existing and draft["mode"] is None and not set(existing) & set(items):
        draft["mode"] = "add"  # water asked for a day that has bread: both, nothing to choose
    if existing and draft["mode"] is None:
        return _ask(
            session,
            ctx,
            person,
            draft,
            "add_or_replace",
            t(
                lang,
                "order.already",
                day=say_day(day, lang),
                items=_items(ctx, existing, lang),
                new=_items(ctx, items, lang),
            ),
            ("add", "replace"),
        )
    final = dict(items)
    if existing and draft["mode"] == "total":  # "3 en tout": that item's number, the rest stays
        final = {**existing, **items}
    if existing and draft["mode"] == "add":
        final = {k: existing.get(k, 0) + items.get(k, 0) for k in {*existing, *items}}
        final = {k: n for k, n in final.items() if k not in draft.get("refused", ())}
        over = over_limit(ctx.config, final)
        if over:
            most = ctx.config.catalogue[over].max_per_delivery
            draft.update(mode="replace", pending_item=over)
            items.pop(over, None)
            return _ask(
                session,
                ctx,
                person,
                draft,
                "quantity",
                t(
                    lang,
                    "order.add_over_limit",
                    n=most,
                    item=_name(ctx, over, lang, most),
                    have=existing.get(over, 0),
                ),
            )
    now_items = place_order(
        session,
        person,
        day,
        final,
        now=ctx.now(),
        source=draft["source"],
        raw_text=draft["raw"],
        existing=row,
    )
    changes.remember(session, ctx, person, day)  # replaces the question, in the same row
    return say(
        lang,
        "order.confirmed",
        items=_items(ctx, now_items, lang),
        day=say_day(day, lang),
        weekday=say_weekdays([WEEKDAYS[day.weekday()]], lang),
    )


def coming_items(
    session: Session, person: Person, day: date, row: Order | None, pause: object | None
) -> dict[str, int]:
    """What the tenant will get that day already: their order, or their standing order.

    `row` and `pause` are the day's order row and pause, already read by the caller."""
    if row is not None:
        return row.items if row.status in OPEN else {}
    if pause is not None:
        return {}
    return standing_orders(session, person.id, WEEKDAYS[day.weekday()]).get(
        WEEKDAYS[day.weekday()], {}
    )


def _standing(
    session: Session, ctx: Context, person: Person, draft: dict[str, Any], closed: set[date]
) -> Reply:
    lang = person.language
    site = ctx.site(person.site_id)
    wanted = [d for d in WEEKDAYS if d in draft["weekdays"]]
    days = [d for d in wanted if d in site.delivery_weekdays]
    skipped = [d for d in wanted if d not in days]
    if not days:
        clear_state(session, key(person))
        return say(lang, "standing.no_delivery_day", days=say_weekdays(skipped, lang))
    before = standing_orders(session, person.id)
    set_standing(session, person, days, draft["items"], ctx.now())
    changes.remember(session, ctx, person, None, days)
    now_local = ctx.local_now(site)
    start = date.fromisoformat(draft["date"]) if draft.get("date") else now_local.date()
    first = None
    d = max(start, now_local.date())
    for _ in range(70):
        ok = check_day(site, d, now_local, closed).verdict is Verdict.OK
        if WEEKDAYS[d.weekday()] in days and ok:
            first = d
            break
        d += timedelta(days=1)
    # Until the first day ("à partir du 21", or past tomorrow's cut-off), those weekdays keep
    # what they had: an exception per day, so the evening job carries exactly what was said.
    d = now_local.date() + timedelta(days=1)
    while first is not None and d < first:
        wd = WEEKDAYS[d.weekday()]
        if wd in days:
            changes.set_day(session, ctx, person, d, dict(before.get(wd, {})), "standing")
        d += timedelta(days=1)
    text = t(
        lang,
        "standing.confirmed",
        items=_items(ctx, draft["items"], lang),
        days=say_weekdays(days, lang),
        first=say_day(first, lang) if first else "",
        stop_example=say_weekdays(days[:1], lang),
    )
    if skipped:
        text = t(lang, "standing.skipped", days=say_weekdays(skipped, lang)) + " " + text
    return Reply(text, lang)


def _names_items(p: Parse | None) -> bool:
    return p is not None and p.intent in ("order", "standing_order") and any(p.items.values())


_SEE_YOU = re.compile(r"\b(?:a\sdemain|see\syou|till\stomorrow|bonne\s(?:soiree|journee))\b")


def answer(
    session: Session,
    ctx: Context,
    person: Person,
    draft: dict[str, Any],
    msg: Inbound,
    p: Parse | None,
) -> Reply | None:
    """Continue a draft with this answer; None when the answer is not about the draft."""
    lang = person.language
    site = ctx.site(person.site_id)
    today = ctx.today(site)
    awaiting = draft.get("awaiting")
    text = msg.text
    if (
        p is not None
        and p.frame.negated_day
        and awaiting in ("confirm_date", "date")
        and not set(p.frame.days) - set(p.frame.refused_days)
    ):
        return None  # "pas jeudi": a refusal never books a day (but "pas le dimanche. lundi alors")
    if awaiting in ("confirm_date", "date") and _names_items(p) and not p.frame.adding:
        return None  # "some water on Saturday" is a new order, not the day of this one
    if p is not None and p.frame.quantity is not None and draft["items"]:
        value, old = p.frame.quantity
        keys = [k for k in p.frame.named if k in draft["items"]] or [
            k for k, n in draft["items"].items() if old is None or n == old
        ]
        if len(keys) == 1 and awaiting != "quantity":
            draft["items"][keys[0]] = value  # "c'est 2 pas 3" while the day is asked
            return advance(session, ctx, person, draft)
    if awaiting in ("confirm_date", "date") and p is not None and draft["items"]:
        several = _days_or_weekdays(session, ctx, person, draft, p, text)
        if several is not None:  # "mardi et mercredi", "le mercredi, toutes les semaines"
            return several
    swap = p.frame.swap if p is not None else None
    if p is not None and swap is None and len(p.frame.refused) == 1:
        fresh = [k for k, _ in p.frame.asked if k not in p.frame.refused]
        if len(fresh) == 1:  # "I meant water, not bread"
            swap = (fresh[0], p.frame.refused[0])
    if swap is not None and swap[1] in draft["items"] and awaiting in ("confirm_date", "date"):
        n = draft["items"].pop(swap[1])  # "Sorry, I meant water, not bread. For Friday"
        draft["items"][swap[0]] = p.items.get(swap[0]) or n
        said = p.date or (p.frame.days[0] if len(set(p.frame.days)) == 1 else None)
        if said is not None:
            draft["date"] = said.isoformat()
        return advance(session, ctx, person, draft)
    if p is not None and p.frame.adding and p.items and awaiting in ("confirm_date", "date"):
        for k, n in p.items.items():  # "et un pack d'eau aussi"
            draft["items"][k] = draft["items"].get(k, 0) + n
        if p.date is not None:
            draft["date"] = p.date.isoformat()
        return advance(session, ctx, person, draft)
    if awaiting in ("confirm_date", "date") and p is not None and p.frame.adding and not p.items:
        draft["mode"] = "add"  # "alors vendredi en plus", "add them to my usual": on top
    if awaiting in ("confirm_date", "confirm_in_pause"):
        said = read_date(text, today, lang) if awaiting == "confirm_date" else None
        if (
            said is None
            and awaiting == "confirm_date"
            and p is not None
            and len(set(p.frame.days)) == 1
            and not p.frame.refused_days
        ):  # "Ah c'est vrai, pas le dimanche. Mettez samedi alors"
            said = p.frame.days[0]
        if said is not None and _SEE_YOU.search(fold(text)):
            said = None  # "oui merci, à demain": a goodbye, not another day
        if said is not None and said.isoformat() != draft.get("proposed"):
            draft["date"] = said.isoformat()  # "ah oui c'est vrai, alors samedi": that day
            _absorb_quantity(draft, text, lang)
            return advance(session, ctx, person, draft)
        got = pick(msg, ["yes", "no"], lang)
        if got is None:
            day = read_date(text, today, lang)
            if day is not None and awaiting == "confirm_date":
                draft["date"] = day.isoformat()
                _absorb_quantity(draft, text, lang)  # "2, for Monday"
                return advance(session, ctx, person, draft)
            return None
        if got == "yes":
            if awaiting == "confirm_date":
                draft["date"] = draft["proposed"]
            else:
                draft["pause_ok"] = True
            return advance(session, ctx, person, draft)
        if awaiting == "confirm_in_pause":
            clear_state(session, key(person))
            return say(lang, "order.dropped")
        day = read_date(text, today, lang)  # "non, vendredi"
        if (
            day is not None
            and day.isoformat() == draft.get("proposed")
            and not (p is not None and p.frame.asked and not p.frame.refused)
            and not _THEN.search(fold(text))
        ):  # (but "never mind, Friday then please" is yes to that day)
            clear_state(session, key(person))  # "non, … mercredi, oubliez": no to that very day
            return say(lang, "order.dropped")
        if day is not None:
            draft["date"] = day.isoformat()
            return advance(session, ctx, person, draft)
        return _ask(session, ctx, person, draft, "date", t(lang, "order.ask_date"))
    if awaiting == "confirm_several":
        got = pick(msg, ["yes", "no"], lang)
        if got is None:
            return None
        clear_state(session, key(person))
        if got == "no":
            return say(lang, "order.dropped")
        segments = tuple(
            (date.fromisoformat(d), tuple(sorted(items.items()))) for d, items in draft["several"]
        )
        return changes.several_days(session, ctx, person, segments, draft["source"], draft["raw"])
    if awaiting == "confirm_unsure":
        got = pick(msg, ["yes", "no"], lang)
        n = read_quantity(text, lang) if got is None else None
        if n and n <= 20 and draft.get("pending_item"):  # "4 en tout": yes, and how many
            draft["items"] = {draft["pending_item"]: n}
            draft["pending_item"] = None
            if p is not None and p.frame.adding:
                draft["mode"] = "add"  # "bon alors une baguette en plus"
            if IN_ALL.search(fold(text)):
                draft["mode"] = "total"
            return advance(session, ctx, person, draft)
        if got is None:
            return None
        if got == "no":
            clear_state(session, key(person))
            return say(lang, "order.dropped")
        return advance(session, ctx, person, draft)
    if awaiting == "weekdays":
        days = read_weekdays(text, lang)
        if not days:
            return None
        draft["weekdays"] = list(days)
        return advance(session, ctx, person, draft)
    if awaiting == "add_or_replace":
        got = pick(msg, ["add", "replace"], lang)
        if got is None:
            return None
        draft["mode"] = got
        return advance(session, ctx, person, draft)
    if awaiting == "quantity" and draft.get("pending_item"):
        counted = _counted_days(text, today)
        if len(counted) > 1:  # "des baguettes pour mardi et jeudi" … "2 mardi et 1 jeudi"
            clear_state(session, key(person))
            item = draft["pending_item"]
            segments = tuple((d, ((item, n),)) for d, n in counted)
            return changes.several_days(
                session, ctx, person, segments, draft["source"], draft["raw"]
            )
    if awaiting == "quantity":
        n = read_quantity(text, lang)
        if p is not None and p.frame.quantity is not None:
            n = p.frame.quantity[0]  # "4. Ah non 3 ça suffira"
        total = IN_ALL_N.search(fold(text))
        if total is not None and int(total.group(1)) <= 20:
            n = int(total.group(1))  # "2 de plus que d'habitude, donc 3 en tout"
            draft["mode"] = "total"
        named = {k: v for k, v in (p.items if p is not None else {}).items() if v}
        if draft["pending_item"] in named and not (p is not None and p.date):
            draft["items"].update(named)  # "trois baguettes. et l'eau un seul pack"
            draft["pending_item"] = None
            return advance(session, ctx, person, draft)
        loose = p.frame.loose if p is not None else ()
        if named and len(loose) == 1 and 0 < loose[0] <= 20 and not (p is not None and p.date):
            draft["items"].update({draft["pending_item"]: loose[0], **named})  # "2 please, and
            draft["pending_item"] = None  # a pack of water the same day"
            return advance(session, ctx, person, draft)
        if n is None or n < 0:
            return None
        if named and p is not None and not p.frame.loose:
            return None  # "un pack d'eau pour lundi aussi": that count is the water's, a new order
        if p is not None and not draft["date"]:  # "2 pour vendredi"
            said = p.date or (p.frame.days[0] if len(p.frame.days) == 1 else None)
            if said is not None:
                draft["date"] = said.isoformat()
        if n == 0:
            draft["pending_item"] = None
            if not draft["items"]:
                clear_state(session, key(person))
                return say(lang, "order.dropped")
            return advance(session, ctx, person, draft)
        draft["items"][draft["pending_item"]] = n
        draft["pending_item"] = None
        return advance(session, ctx, person, draft)
    if awaiting == "date":
        day = read_date(text, today, lang)
        if day is None and p is not None:
            day = p.date
        if day is None:
            return None
        draft["date"] = day.isoformat()
        return advance(session, ctx, person, draft)
    if awaiting == "item":
        if p is None:
            return None
        found = {k: n for k, n in p.items.items() if n}
        mentioned = [k for k in getattr(p, "mentioned", ()) if k not in found]
        if not found and not mentioned:
            return None
        draft["items"].update(found)
        if mentioned:
            draft["pending_item"] = mentioned[0]
        if p.date and not draft["date"]:
            draft["date"] = p.date.isoformat()
        return advance(session, ctx, person, draft)
    return None


def _days_or_weekdays(
    session: Session, ctx: Context, person: Person, draft: dict[str, Any], p: Parse, text: str
) -> Reply | None:
    """The day asked for, answered with several days (each gets the order) or with weekdays
    every week (the order becomes a standing one); None for any other answer."""
    f = p.frame
    if set(p.items) - set(draft["items"]) or f.refused_days or f.move is not None:
        return None  # (the same item again, "et le lendemain aussi 2 packs", is the same order)
    if f.negated_day or f.refused:
        return None
    if f.weekly and f.weekday_names and not f.days:
        draft["weekdays"], draft["date"] = list(f.weekday_names), None
        return advance(session, ctx, person, draft)
    days = list(dict.fromkeys(f.days))
    if len(days) < 2 or p.date is not None or f.weekly or f.span is not None:
        return None
    today = ctx.today(ctx.site(person.site_id))
    if read_date(text, today, person.language) is not None:
        return None  # "mardi, enfin non mercredi": one day, corrected
    clear_state(session, key(person))
    pairs = tuple({**draft["items"], **p.items}.items())
    return changes.several_days(
        session,
        ctx,
        person,
        tuple((d, pairs) for d in days),
        draft["source"],
        draft["raw"],
        adding=draft.get("mode") == "add",  # "une baguette de plus" … "jeudi et samedi"
    )


def usual(session: Session, ctx: Context, person: Person, p: Parse, msg: Inbound) -> Reply:
    """ "Comme d'habitude", "same as last week": the last order's items again, restated and
    confirmed before anything is booked."""
    lang = person.language
    today = ctx.today(ctx.site(person.site_id))
    last = changes.last_week(session, person, today)
    if last is None:
        if standing_orders(session, person.id):
            return say(lang, "order.usual_standing")
        return _ask(
            session,
            ctx,
            person,
            _draft(p, msg),
            "item",
            t(lang, "order.ask_item", examples=_examples(ctx, lang)),
        )
    draft = _draft(p, msg)
    draft["items"] = dict(last[1])
    day = p.date or (p.frame.days[0] if len(p.frame.days) == 1 else None)
    week = changes.last_week_orders(session, person, today)
    if day is None and len(week) > 1:  # two orders last week: both again, once confirmed
        draft["several"] = [(_next_same_weekday(d, today).isoformat(), items) for d, items in week]
        lines = " ".join(
            changes.restate(ctx, lang, date.fromisoformat(d), items)
            for d, items in draft["several"]
        )
        question = t(lang, "order.usual_several", days=lines)
        return _ask(session, ctx, person, draft, "confirm_several", question, ("yes", "no"))
    if day is None:  # "same as last week": the same weekday as that order, next time it comes
        day = last[0] + timedelta(days=7)
        while day <= today:
            day += timedelta(days=7)
    if day is not None:
        draft["date"], draft["proposed_day"] = None, day.isoformat()
    return advance(session, ctx, person, draft)


_MAKE_IT = re.compile(
    r"\b(?:make it|make that|mettez en|mettez m en)\b"
    # "8 loaves instead of the usual 2": the day's number, not 8 more
    r"|\b(?:instead of (?:the|my) usual|au lieu de (?:mes|mon|ma|l|d) ?(?:habitude|habituel\w*))\b"
)


_NUMBER_DAY = re.compile(
    r"\b(\d+) (?:le |pour |on |for )?(lundi|mardi|mercredi|jeudi|vendredi|samedi|monday|tuesday"
    r"|wednesday|thursday|friday|saturday)\b"
)


def _counted_days(text: str, today: date) -> list[tuple[date, int]]:
    """Numbers each said with a weekday: "2 mardi et 1 jeudi" -> the next of each."""
    out = []
    for n, name in _NUMBER_DAY.findall(fold(text)):
        wd = SAID_WEEKDAYS[name]
        day = today + timedelta(days=(wd - today.weekday() - 1) % 7 + 1)
        if 0 < int(n) <= 20:
            out.append((day, int(n)))
    return out if len({d for d, _ in out}) == len(out) else []


def _next_same_weekday(day: date, today: date) -> date:
    while day <= today:
        day += timedelta(days=7)
    return day


def _absorb_quantity(draft: dict[str, Any], text: str, lang: str) -> None:
    """A number said with the day ("3 for Saturday") is the quantity of a one-item draft."""
    n = read_quantity(text, lang)
    if n and len(draft["items"]) == 1 and n <= 20:
        draft["items"][next(iter(draft["items"]))] = n


def is_drop(text: str) -> bool:
    folded = f" {fold(text)} "
    return any(f" {fold(w)} " in folded for w in DROP_WORDS)


def reask(session: Session, ctx: Context, person: Person, draft: dict[str, Any]) -> Reply:
    """The pending question again, prefixed by "I did not understand"."""
    lang = person.language
    again = t(lang, "common.not_understood_answer")
    question = draft.get("question") or ""
    offered = draft.get("choices") or []
    return Reply(f"{again} {question}".strip(), lang, choices=choices(lang, *offered))


def _ask(
    session: Session,
    ctx: Context,
    person: Person,
    draft: dict[str, Any],
    awaiting: str,
    question: str,
    offered: tuple[str, ...] = (),
) -> Reply:
    draft["awaiting"], draft["question"], draft["choices"] = awaiting, question, list(offered)
    set_state(session, key(person), KIND, draft, ctx.now(), ctx.draft_ttl, person.id)
    return Reply(question, person.language, choices=choices(person.language, *offered))


def _items(ctx: Context, items: dict[str, int], lang: str) -> str:
    return say_items(items, lang, ctx.item_names)


def _name(ctx: Context, key_: str, lang: str, n: int) -> str:
    return ctx.config.item_name(key_, lang, n)


def _examples(ctx: Context, lang: str) -> str:
    return say_items({k: 1 for k in ctx.config.catalogue}, lang, ctx.item_names)
