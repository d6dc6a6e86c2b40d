"""Newcomers and account linking: never turned away, never allowed to order blindly.

An unknown sender is asked their name, then their address, one question at a time; a pending
registration is recorded, coordinators are told, and the sender learns someone will be in
touch. On Telegram, sharing one's own contact (or a coordinator's one-time code) links the
account to the person with that number.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers.nlu import parse
from handlers.notify import tell_coordinators
from handlers.replies import say
from handlers.types import Inbound, Reply
from models.base import PersonStatus
from models.context import Context
from models.conversation import clear_state, get_state, set_state
from models.people import LinkCode, Person, TenantProfile, by_phone
from models.phones import mask, try_normalise

log = logging.getLogger("entraide.registration")

NAME_PREFIXES = re.compile(
    r"^(?:bonjour|bonsoir|hello|hi|salut)?[\s,!.]*"
    r"(?:je m'?\s?appelle|je suis|moi c'?\s?est|c'?\s?est|mon nom est|mon nom c'?\s?est|nom\s*:|"
    r"my name is|my name's|i am|i'm|this is|name\s*:)?\s*",
    re.IGNORECASE,
)
BUILDING = re.compile(
    r"\b(?:b[aâ]t(?:iment)?|building|bldg|block|immeuble|tour)\.?\s*([a-z0-9]{1,6})\b", re.I
)
ENTRANCE = re.compile(
    r"\b(?:escalier|esc|entr[ée]e|entrance|hall|cage)\.?\s*([a-z0-9]{1,4})\b", re.I
)
FLOOR_BEFORE = re.compile(
    r"\b(\d{1,2})\s*(?:e|[èe]me|er|[èe]re|è|th|st|nd|rd)?\s*(?:[ée]tage|floor)\b", re.I
)
FLOOR_AFTER = re.compile(r"\b(?:[ée]tage|floor)\s*(\d{1,2})\b", re.I)
FLOOR_ORDINAL = re.compile(r"\b(\d{1,2})\s*(?:e|[èe]me|er|[èe]re|th|st|nd|rd)\b", re.I)
GROUND = re.compile(r"\b(?:rdc|rez[- ]de[- ]chauss[ée]e|ground floor)\b", re.I)
APARTMENT = re.compile(
    r"\b(?:apt|appt|app|appart(?:ement)?|apartment|flat|porte|logement|n°|no|num[ée]ro)\.?\s*"
    r"([a-z]?\d{1,4}[a-z]?)\b",
    re.I,
)


def handle(session: Session, ctx: Context, msg: Inbound) -> list[Reply]:
    now = ctx.now()
    state = get_state(session, msg.key, now)
    data: dict[str, Any] = dict(state.data) if state is not None else {}
    lang = data.get("lang") or _language(ctx, msg)

    if msg.channel == "telegram":
        linked = _telegram_link(session, ctx, msg, lang)
        if linked is not None:
            return linked
        if msg.contact_phone:  # their own number, unknown here: register with it
            data.update(phone=msg.contact_phone, step="name", lang=lang)
            _save(session, ctx, msg, data)
            return [say(lang, "registration.ask_name")]
    if state is None or msg.command == "start":
        data = {"step": "name", "lang": lang, "phone": msg.phone, "first_text": msg.text[:300]}
        _save(session, ctx, msg, data)
        log.info("%s %s: unknown sender, registration started", msg.channel, mask(msg.address))
        if msg.channel == "telegram":
            return [Reply(say(lang, "registration.welcome_telegram").text, lang, ask_contact=True)]
        return [say(lang, "registration.welcome")]

    if msg.unreadable or not msg.text.strip():
        return [say(lang, f"registration.ask_{data['step']}", name=data.get("name", ""))]
    if data["step"] == "name":
        name = clean_name(msg.text)
        if name is None:
            return [say(lang, "registration.ask_name_again")]
        data.update(name=name, step="address")
        _save(session, ctx, msg, data)
        return [say(lang, "registration.ask_address", name=name)]
    return _finish(session, ctx, msg, data, lang)


def _finish(
    session: Session, ctx: Context, msg: Inbound, data: dict[str, Any], lang: str
) -> list[Reply]:
    address = " ".join(msg.text.split())[:200]
    if len(address) < 2:
        return [say(lang, "registration.ask_address", name=data["name"])]
    now = ctx.now()
    site = ctx.config.sites[0]
    phone = data.get("phone")
    person = by_phone(session, phone) if phone else None
    if person is None:
        person = Person(phone=phone, created_at=now)
        session.add(person)
    person.name = data["name"]
    person.site_id = ctx.site_ids[site.slug]
    person.language = lang
    person.status = PersonStatus.PENDING
    person.is_tenant = True
    if msg.telegram_id is not None:
        person.telegram_id = msg.telegram_id
    person.tenant = person.tenant or TenantProfile()
    person.tenant.address_text = address
    person.tenant.building, person.tenant.entrance, person.tenant.floor, person.tenant.apartment = (
        read_address(address)
    )
    session.flush()
    clear_state(session, msg.key)
    tell_coordinators(
        session,
        ctx,
        person.site_id,
        f"newcomer:{person.id}",
        "coordinator.newcomer",
        id=person.id,
        name=person.name,
        address=address,
        phone=phone or "Telegram",
    )
    log.info("%s %s: pending registration #%d recorded", msg.channel, mask(msg.address), person.id)
    return [say(lang, "registration.done", name=person.name)]


def _telegram_link(session: Session, ctx: Context, msg: Inbound, lang: str) -> list[Reply] | None:
    """/start CODE, or a shared contact of one's own: link the account, or say why not."""
    now = ctx.now()
    if msg.telegram_id is None:
        return None
    if msg.foreign_contact:
        return [Reply(say(lang, "registration.not_your_contact").text, lang, ask_contact=True)]
    if msg.command == "start" and msg.argument:
        code = session.get(LinkCode, msg.argument.strip()[:16].upper())
        if code is None or code.used_at is not None or code.expires_at <= now:
            return [Reply(say(lang, "registration.bad_code").text, lang, ask_contact=True)]
        person = session.get(Person, code.person_id)
        assert person is not None
        code.used_at = now
        return _link(session, msg, person)
    if msg.contact_phone:
        person = by_phone(session, msg.contact_phone)
        if person is not None:
            return _link(session, msg, person)
    return None


def _link(session: Session, msg: Inbound, person: Person) -> list[Reply]:
    session.execute(
        sa.update(Person)
        .where(Person.telegram_id == msg.telegram_id, Person.id != person.id)
        .values(telegram_id=None)
    )
    person.telegram_id = msg.telegram_id
    person.telegram_blocked_at = None
    session.flush()
    clear_state(session, msg.key)
    log.info("telegram %s linked to person #%d", mask(msg.address), person.id)
    key = "registration.linked" if person.status is PersonStatus.ACTIVE else "registration.pending"
    return [say(person.language, key, name=person.name)]


def _save(session: Session, ctx: Context, msg: Inbound, data: dict[str, Any]) -> None:
    set_state(session, msg.key, "register", data, ctx.now(), ctx.draft_ttl * 6)


def _language(ctx: Context, msg: Inbound) -> str:
    if msg.lang_hint and msg.lang_hint[:2] in ("fr", "en") and msg.channel == "telegram":
        hint = msg.lang_hint[:2]
    else:
        hint = None
    if msg.text.strip() and not msg.command:
        return parse(msg.text[:300], ctx.clock.now().date(), None).lang
    return hint or ctx.config.sites[0].language


def clean_name(text: str) -> str | None:
    """A name from "Bonjour, je m'appelle Jeanne Pouli !"; None when there is no name in it."""
    name = NAME_PREFIXES.sub("", " ".join(text.split()), count=1).strip(" .!,;:")
    if not name or len(name) > 80 or sum(c.isalpha() for c in name) < 2:
        return None
    if any(c.isdigit() for c in name):
        return None
    return name if not name.islower() and not name.isupper() else name.title()


def read_address(text: str) -> tuple[str, str | None, int | None, str | None]:
    """Building, entrance, floor and apartment, as far as they can be read; the raw text is
    kept too, for the coordinator to check at approval."""
    building = BUILDING.search(text)
    entrance = ENTRANCE.search(text)
    floor: int | None = None
    if GROUND.search(text):
        floor = 0
    else:
        m = FLOOR_BEFORE.search(text) or FLOOR_AFTER.search(text) or FLOOR_ORDINAL.search(text)
        floor = int(m.group(1)) if m else None
    apartment = APARTMENT.search(text)
    return (
        building.group(1).upper() if building else "",
        entrance.group(1).upper() if entrance else None,
        floor,
        apartment.group(1).upper() if apartment else None,
    )


def phone_from_contact(raw: str) -> str | None:
    return try_normalise(raw)
