"""What "en", "it" and "them" (or a bare "et 2 vendredi") point to when a message counts or
places an item without naming it: "jeudi pas besoin de pain, j'en ai encore" … "par contre
vous pouvez m'en mettre 2 samedi ?", "No bread tomorrow. Can I have it on Thursday?". The item
is the one named in the sentence or the message just before; without a number, as many as that
day had (the move of an order said in two sentences)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers import changes
from handlers.lexicon import lexicon_for
from handlers.nlu import Parse, parse
from handlers.nlu.cues import ITEM_PRONOUN
from handlers.replies import fold
from handlers.types import Inbound
from models.config import WEEKDAYS
from models.context import Context
from models.messages import InboundMessage
from models.people import Person


def pointing(p: Parse, text: str) -> bool:
    """An order whose item is only pointed at ("m'en mettre 2 samedi", "and one on Friday")."""
    folded = fold(text)
    if (
        p.intent in ("smalltalk", "other")
        and not p.frame.named
        and len(set(p.frame.days)) == 1
        and _COUNT_ON_DAY.search(folded) is not None
    ):
        return True  # "and one on Friday": one more of the item just ordered, that day
    return (
        p.intent in ("order", "standing_order")
        and p.clarify
        and p.reason == "item_missing"
        and not p.frame.named
        and (
            ITEM_PRONOUN.search(folded) is not None
            or (len(p.frame.loose) == 1 and len(folded.split()) <= 8)  # "et 2 vendredi"
        )
    )


_COUNT_ON_DAY = re.compile(
    r"^(?:(?:and|et|also|aussi|plus)\s)?(?:just\s)?(?:one|un|une|\d{1,2})\s(?:more\s|too\s|aussi\s)?"
    r"(?:on|for|le|pour|the)?\s?(?:monday|tuesday|wednesday|thursday|friday|saturday|lundi|mardi"
    r"|mercredi|jeudi|vendredi|samedi)\b"
)


def previous(
    session: Session,
    ctx: Context,
    person: Person,
    msg: Inbound,
    naming: bool = False,
    within: timedelta | None = None,
) -> Parse | None:
    """The tenant's message before this one, if recent enough to be pointed at (this one may
    already be stored, by a webhook that keeps before it handles). `naming`: the last of the
    three before that names an item ("des baguettes tous les mercredis" … "2" … "et aussi tous
    les samedis, 1 seule"). `within`: how far back (the draft's lifetime unless said); the
    message is read on the day it came."""
    since = ctx.now() - (within or ctx.draft_ttl)
    rows = session.execute(
        sa.select(InboundMessage.text, InboundMessage.received_at)
        .where(
            InboundMessage.person_id == person.id,
            InboundMessage.received_at >= since,
            sa.not_(
                sa.and_(
                    InboundMessage.channel == msg.channel,
                    InboundMessage.external_id == msg.external_id,
                )
            ),
        )
        .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
        .limit(3 if naming else 1)
    ).all()
    site = ctx.site(person.site_id)
    for text, at in rows:
        if not text:
            continue
        when = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
        got = parse(text, when.astimezone(site.zone).date(), None, lexicon=lexicon_for(ctx.config))
        if not naming or got.frame.named or got.items:
            return got
    return None


def resolve(
    session: Session, ctx: Context, person: Person, p: Parse, before: Parse | None
) -> Parse | None:
    """`p` with the item pointed at, or None when the message before names no single item."""
    if before is None:
        return None
    named = tuple(dict.fromkeys(before.frame.named or tuple(before.items)))
    day = p.date or (p.frame.days[0] if len(set(p.frame.days)) == 1 else None)
    if len(named) != 1 or (day is None and not p.weekdays):
        return None
    if p.intent in ("smalltalk", "other"):  # "and one on Friday"
        p = replace(p, intent="order", date=day)
    key = named[0]
    loose = p.frame.loose
    if len(loose) == 1:
        n = loose[0]
    elif not loose:
        n = _had(session, person, before, key) or 1
    else:
        return None
    return replace(p, items={key: n}, clarify=False, question=None, reason=None)


def _had(session: Session, person: Person, before: Parse, key: str) -> int | None:
    """How many of `key` the day of the message before had, as a habit ("No bread tomorrow"
    said of a standing order) or as asked."""
    asked = dict(before.items).get(key)
    if asked:
        return asked
    day: date | None = before.date or (before.frame.days[0] if before.frame.days else None)
    if day is None:
        return None
    weekday = WEEKDAYS[day.weekday()]
    return changes.standing_orders(session, person.id, weekday).get(weekday, {}).get(key)
