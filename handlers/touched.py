"""What a conversation has changed so far: each day's deliveries as they were before the
conversation first changed that day.

Kept so that a later message can be read against what the tenant asked for, not only against
what is booked now: "c'est l'inverse", "swap them round" exchange what was asked for two days
(an order placed, an item taken off), which the days' contents alone cannot tell apart from
what comes every week.

Every tenant message reads the coming days once (`watch`, one statement; the cut-off check of
`changes.snapshot` takes its days from the same read). Only a message that wrote something
reads them again and updates the memory (`note`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from models.context import Context
from models.conversation import get_state, set_state
from models.orders import WriteMark, days_as_they_stand, order_writes, unchanged_since
from models.people import Person

KIND = "touched"
WINDOW_DAYS = 21  # the days a tenant talks about in one conversation
KEPT_FOR = timedelta(days=8)  # "je reprends le pain de mercredi" may come days later


@dataclass(frozen=True)
class Watch:
    """The coming days as they stood before a message (empty: not read), and where the
    transaction's writes stood then."""

    days: dict[date, dict[str, int]]
    mark: WriteMark | None


def key(person: Person) -> str:
    return f"touched:{person.id}"


def watch(session: Session, ctx: Context, person: Person) -> Watch:
    today = ctx.today(ctx.site(person.site_id))
    days = [today + timedelta(days=k) for k in range(1, WINDOW_DAYS + 1)]
    read = days_as_they_stand(session, person.id, days)
    if read is None:  # no autoflush: not worth 60 statements, the memory just misses this one
        return Watch({}, None)
    return Watch(read, order_writes(session))


def note(session: Session, ctx: Context, person: Person, seen: Watch) -> None:
    """The days this message changed join the memory, with what they had before it (a day
    already there keeps what it had before the conversation)."""
    if person.erased_at is not None:  # "oublier": nothing of theirs is kept, this neither
        return
    if not seen.days or seen.mark is None or unchanged_since(session, seen.mark):
        return
    now = days_as_they_stand(session, person.id, list(seen.days))
    if now is None:
        return
    changed = {d: items for d, items in seen.days.items() if now.get(d, {}) != items}
    if not changed:
        return
    base = before_conversation(session, ctx, person)
    for d, items in changed.items():
        base.setdefault(d, items)
    data = {
        "base": {d.isoformat(): items for d, items in sorted(base.items())},
        "last": {d.isoformat(): items for d, items in sorted(changed.items())},
        "habits": habits_before(session, ctx, person),
    }
    set_state(session, key(person), KIND, data, ctx.now(), KEPT_FOR, person.id, question=False)


def note_habits(
    session: Session,
    ctx: Context,
    person: Person,
    before: dict[str, dict[str, int]],
    after: dict[str, dict[str, int]],
) -> None:
    """Weekdays whose standing order this message changed join the memory, with what they had
    before this change: "finalement le jeudi je garde l'eau, toutes les semaines" may come days
    after "plus d'eau le jeudi", with another change in between. (The last change of that
    weekday, not the first: after "2 loaves every Wednesday" then "no more bread on Wednesdays",
    "keep my Wednesday bread after all" means the two loaves.)"""
    if person.erased_at is not None:
        return
    changed = [d for d in {*before, *after} if before.get(d, {}) != after.get(d, {})]
    if not changed:
        return
    state = get_state(session, key(person), ctx.now())
    data = dict(state.data) if state is not None and state.kind == KIND else {}
    habits = habits_before(session, ctx, person)
    for d in sorted(changed):
        habits[d] = dict(before.get(d, {}))
    data = {"base": data.get("base", {}), "last": data.get("last", {}), "habits": habits}
    set_state(session, key(person), KIND, data, ctx.now(), KEPT_FOR, person.id, question=False)


def habits_before(session: Session, ctx: Context, person: Person) -> dict[str, dict[str, int]]:
    """Each weekday whose standing order the conversation changed, as it was before its last
    change."""
    state = get_state(session, key(person), ctx.now())
    if state is None or state.kind != KIND:
        return {}
    return {d: dict(items) for d, items in state.data.get("habits", {}).items()}


def before_conversation(
    session: Session, ctx: Context, person: Person
) -> dict[date, dict[str, int]]:
    """Each day the conversation changed, as it was before."""
    state = get_state(session, key(person), ctx.now())
    if state is None or state.kind != KIND:
        return {}
    return {date.fromisoformat(d): dict(items) for d, items in state.data.get("base", {}).items()}


def last_changed(session: Session, ctx: Context, person: Person) -> list[date]:
    """The days the last message that changed anything changed."""
    return sorted(before_last(session, ctx, person))


def before_last(session: Session, ctx: Context, person: Person) -> dict[date, dict[str, int]]:
    """The days the last message that changed anything changed, as they were before it."""
    state = get_state(session, key(person), ctx.now())
    if state is None or state.kind != KIND:
        return {}
    return {date.fromisoformat(d): dict(items) for d, items in state.data.get("last", {}).items()}


REMOVED = -1000  # an item taken off that day (not a number less)


def asked(was: dict[str, int], now: dict[str, int]) -> dict[str, int]:
    """What was asked of a day: a number more or less per item, or `REMOVED`."""
    out = {}
    for k in {*was, *now}:
        if not now.get(k) and was.get(k):
            out[k] = REMOVED
        elif now.get(k, 0) != was.get(k, 0):
            out[k] = now.get(k, 0) - was.get(k, 0)
    return out


def applied(items: dict[str, int], request: dict[str, int]) -> dict[str, int]:
    """`items` with a day's request (from `asked`) made to them."""
    out = dict(items)
    for k, change in request.items():
        out[k] = 0 if change == REMOVED else max(0, out.get(k, 0) + change)
    return {k: n for k, n in out.items() if n > 0}


def same_weekday_later(
    session: Session, ctx: Context, person: Person, day: date, refused: tuple[str, ...] = ()
) -> date | None:
    """The one day a week after `day` that this conversation changed, when `day` itself has
    nothing (none of the items `refused`) and was never changed: "1 baguette du lundi au
    samedi la semaine prochaine" … "et un pack d'eau vendredi" is that week's Friday, not this
    one's, which has nothing."""
    base = before_conversation(session, ctx, person)
    later = day + timedelta(days=7)
    if not base or day in base or later not in base:
        return None
    now = days_as_they_stand(session, person.id, [day, later])
    if now is None:
        return None
    if refused:  # "no water on Wednesday after all": the Wednesday that has water
        here, there = now.get(day, {}), now.get(later, {})
        return later if not set(refused) & set(here) and set(refused) & set(there) else None
    if now.get(day) or not (now.get(later) or base.get(later)):
        return None
    return later
