"""Newcomers and account linking: never turned away, never allowed to order blindly.

An unknown sender is asked their name, then their address, one question at a time; a pending
registration is recorded, coordinators are told, and the sender learns someone will be in
touch. On Telegram, sharing one's own contact (or a coordinator's one-time code) links the
account to the person with that number.
"""

from __future__ import annotations

import itertools
import logging
import re
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from handlers.nlu import parse
from handlers.nlu.message import word_set
from handlers.notify import tell_coordinators
from handlers.replies import fold, say
from handlers.types import Inbound, Reply
from models.base import PersonStatus
from models.context import Context
from models.conversation import clear_state, get_state, set_state
from models.people import LinkCode, Person, TenantProfile, by_phone, call_if_landline
from models.person_input import name_problem
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
        log.info("%s %s: unknown sender, registration started", msg.channel, mask(msg.address))
        name, address = read_intro(msg.text) if not msg.command else (None, None)
        if name is not None and address is not None:
            data["name"] = name
            return _finish(session, ctx, msg, data, lang, address)
        if name is not None:
            data.update(name=name, step="address")
            _save(session, ctx, msg, data)
            return [say(lang, "registration.welcome_address", name=name)]
        if address is not None:  # "I live at 7 Rue Jean Jaurès": kept for when the name comes
            data["address"] = address
        _save(session, ctx, msg, data)
        if msg.channel == "telegram":
            return [Reply(say(lang, "registration.welcome_telegram").text, lang, ask_contact=True)]
        return [say(lang, "registration.welcome")]

    if msg.unreadable or not msg.text.strip():
        return [say(lang, f"registration.ask_{data['step']}", name=data.get("name", ""))]
    name, address = read_intro(msg.text)
    if data["step"] == "name":
        if name is None and address is None and not _is_request(msg.text):
            name = clean_name(msg.text)  # "Colette": a bare name answers "Quel est votre nom ?"
        if name is None:
            return [say(lang, "registration.ask_name_again")]
        data["name"] = name
        address = address or data.get("address")
        if address is not None:
            return _finish(session, ctx, msg, data, lang, address)
        data["step"] = "address"
        _save(session, ctx, msg, data)
        return [say(lang, "registration.ask_address", name=name)]
    if address is None:
        if _is_request(msg.text):  # "c'est gratuit ?", "2 baguettes jeudi": not an address
            return [say(lang, "registration.ask_address", name=data["name"])]
        address = " ".join(msg.text.split())[:200]
    return _finish(session, ctx, msg, data, lang, address)


def _finish(
    session: Session, ctx: Context, msg: Inbound, data: dict[str, Any], lang: str, address: str
) -> list[Reply]:
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
    call_if_landline(person)
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


_TITLE = r"(?:mme|madame|mlle|mademoiselle|m\.|monsieur|mr\.?|mrs\.?|ms\.?|miss|dr\.?)"
EXPLICIT_NAME = re.compile(
    r"(?:je m'?\s?app?ell?e?s?\b|je m appelle|(?:elle|il) s'?\s?appelle|her name is|his name is|"
    r"son nom est|je suis|jsuis|jsui|chui|moi c'?\s?est|mon nom est|"
    r"mon nom c'?\s?est|nom\s*:|my name is|my name's|(?<!\w)name's|(?<!\w)name is|i am|i'm|im"
    r"|this is|name\s*:|ici|c'?\s?est)"
    r"\s+(?P<name>(?:" + _TITLE + r"\s+)?[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,3})",
    re.IGNORECASE,
)
# "Bjr c Lucienne Hochart": "c" for "c'est", only before a capitalised name
SMS_NAME = re.compile(
    r"(?i:\b(?:bjr|bonjour|slt|salut)\b)[\s,]+[cC]\s+(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3})"
)
TITLED_NAME = re.compile(
    r"\b(?P<name>" + _TITLE + r"\s+[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,3})",
    re.IGNORECASE,
)
STREET = re.compile(
    r"\b\d{1,4}(?:\s*(?:bis|ter))?\s*,?\s*(?:rue|avenue|av\.?|all[ée]e|place|boulevard|bd|"
    r"chemin|impasse|square|cit[ée]|quai|route)\b"
    r"|\b\d{1,4}\s+(?:[a-z'-]+\s+){0,3}(?:street|st\.?|road|rd|lane|avenue|close|court)\b"
    r"|\br[ée]sidence\b|\b(?:j'?\s?habite|i live)\b",
    re.IGNORECASE,
)
_NOT_NAME_WORDS = frozenset(
    {"nouvelle", "nouveau", "new", "here", "tombee", "tombe", "malade", "seule", "seul",
     "voisine", "voisin", "la", "le", "les", "de", "du", "des", "un", "une", "pas", "bien",
     "content", "contente", "ravi", "ravie", "desole", "desolee", "interessee", "interesse"}
)  # fmt: skip
_GREETING = re.compile(
    r"^(?:bonjour|bonsoir|bjr|slt|salut|hello|hi|hey|good\s+(?:morning|afternoon|evening)|"
    r"madame|monsieur)\b[\s,!.]*",
    re.IGNORECASE,
)


FLOOR_ALONE = re.compile(r"\bau\s\d{1,2}\s?(?:e|[èe]me|er)\b", re.I)  # "au 4ème"
_REQUEST_START = re.compile(
    r"[.!?]\s|\s(?:je voudrais|jvoudr\w*|je souhaite|i'?d like|could i|can i)\b", re.I
)


# Capitalised words that are no part of a name ("Bonjour Madame Je voudrais…").
_NOT_NAMES = word_set(
    "je j i moi nous vous il elle on bonjour bonsoir hello hi merci svp please le la les my mon ma"
    " voila alors"
)


def read_intro(text: str) -> tuple[str | None, str | None]:
    """A newcomer's name and address, as far as one message gives them ("Mme Rose Delcourt,
    4 rue du Moulin, appartement 12"). A request, a command or a question is never a name."""
    text = " ".join(text.split())
    if not text or text.startswith("/"):
        return None, None
    marks = (STREET, BUILDING, ENTRANCE, FLOOR_BEFORE, FLOOR_AFTER, GROUND, APARTMENT, FLOOR_ALONE)
    starts = [m.start() for m in (rx.search(text) for rx in marks) if m]
    at = min(starts) if starts else None
    address = None
    if at is not None:
        address = _REQUEST_START.split(text[at:], maxsplit=1)[0]
        address = address.strip(" ,;:.")[:200] or None
    before = text[:at] if at is not None else text
    name = _name_in(before)
    if name is None:  # "je suis nouvelle dans la résidence, Fernande Lecomte, bat D …"
        for part in re.split(r"[,;:.!?]", text):
            words = _GREETING.sub("", part.strip()).split()
            if 2 <= len(words) <= 4 and all(w[:1].isupper() and w.isalpha() for w in words):
                name = _tidy(" ".join(words))
                if name is not None:
                    break
            lead = list(itertools.takewhile(lambda w: w[:1].isupper() and w.isalpha(), words))
            if (
                2 <= len(lead) <= 4
                and len(lead) < len(words)
                and not {w.lower() for w in lead} & _NOT_NAMES
            ):  # "Rose Delcourt bat C appt 14"
                name = _tidy(" ".join(lead))
                if name is not None:
                    break
    if name is not None and address is not None and name in address:
        address = address.split(name, 1)[1].strip(" ,;:.") or None  # "…résidence, Rose D…"
    if name is None and at is not None:  # "au 4ème, Mme Simone Carpentier": the name after
        for rx in (EXPLICIT_NAME, TITLED_NAME):
            m = rx.search(text[at:])
            name = name or (_tidy(m.group("name")) if m else None)
    return name, address


def _name_in(text: str) -> str | None:
    for rx in (EXPLICIT_NAME, SMS_NAME, TITLED_NAME):
        for m in rx.finditer(text):
            name = _tidy(m.group("name"))
            if name is not None:
                return name
    last = re.split(r"[.!?]\s*", text.strip(" ,;:"))[-1] if text.strip() else ""
    last = _GREETING.sub("", last.strip(" ,;:")).strip(" ,;:.")
    words = last.split()
    if 2 <= len(words) <= 4 and (all(w[:1].isupper() for w in words) or last.islower()):
        return _tidy(last)
    return None


def _tidy(name: str) -> str | None:
    words = name.strip(" ,;:.!").split()
    while words and fold(words[-1]) in _NOT_NAME_WORDS | {"et", "and", "from", "of"}:
        words.pop()
    if not words or any(fold(w) in _NOT_NAME_WORDS for w in words[:1]):
        return None
    name = " ".join(words)
    capitalised = 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)
    if (not capitalised and _is_request(name)) or clean_name(name) is None:
        return None
    return clean_name(name)


def _is_request(text: str) -> bool:
    """An order, a question, a command: what a newcomer may write instead of a name."""
    if text.strip().startswith("/") or "?" in text:
        return True
    p = parse(text[:300], date(2026, 1, 5), None)
    return bool(p.items or p.date or p.weekdays) or p.intent in (
        "order", "standing_order", "cancel", "pause", "list", "visit", "help", "stop",
    )  # fmt: skip


def clean_name(text: str) -> str | None:
    """A name from "Bonjour, je m'appelle Jeanne Pouli !"; None when there is no name in it."""
    name = plain_name(NAME_PREFIXES.sub("", " ".join(text.split()), count=1).strip(" .!,;:"))
    if not name or len(name) > 80 or sum(c.isalpha() for c in name) < 2:
        return None
    if any(c.isdigit() for c in name):
        return None
    return name if not name.islower() and not name.isupper() else name.title()


def plain_name(name: str) -> str:
    """A name a spreadsheet, a round and a command can carry, or "" (then we ask again): the
    signs a spreadsheet reads as a formula are taken off the front ("-Jeanne Martin"), and
    anything else odd (a formula inside, a /command, a NUL, 5,000 characters) is no name."""
    name = name.lstrip("=+-@'\" \t\r")
    return name if name_problem(name) is None else ""


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
