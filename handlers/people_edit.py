"""Adding or changing a tenant or a volunteer without a CSV: `/ajouter` and `/modifier` in the
chat, `entraide people add` and `entraide people set` on the command line.

A coordinator meets a new tenant at the door, or hears that a door code changed: waiting for the
next spreadsheet would leave someone without bread. The fields are the CSV's columns, or the
words a coordinator would use ("tel", "étage", "canal"), written `field: value` and separated
by ";" or new lines. The whole row is checked by `models.person_rows`, the import's own rules,
so the chat refuses what the file would, for the same reason. A French landline added this way
is reached by a phone call unless a channel is given (so is someone whose phone becomes a
landline). Every change is audited with the fields
it touched (health needs by name only, never their values).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy.orm import Session

from handlers.access import Actor, deny, find_site
from handlers.people_admin import audit, find
from handlers.replies import fold
from handlers.tenants_admin import card
from handlers.texts import t
from handlers.types import Done
from models.base import Channel
from models.context import Context
from models.people import Person, PersonData, apply_changes, by_phone, by_telegram, upsert
from models.person_rows import (
    TENANT_COLUMNS,
    VOLUNTEER_COLUMNS,
    RowError,
    Rows,
    person_row,
    tenant_row,
    volunteer_row,
)
from models.phones import is_fixed_line, try_normalise

# folded word → CSV column
FIELDS: dict[str, str] = {
    "name": "name", "nom": "name",
    "phone": "phone", "tel": "phone", "telephone": "phone", "portable": "phone",
    "numero": "phone",
    "site": "site", "residence": "site",
    "building": "building", "batiment": "building", "bat": "building",
    "entrance": "entrance", "entree": "entrance", "escalier": "entrance", "esc": "entrance",
    "floor": "floor", "etage": "floor",
    "apartment": "apartment", "appartement": "apartment", "apt": "apartment",
    "appt": "apartment", "flat": "apartment",
    "language": "language", "langue": "language",
    "needs": "needs", "besoins": "needs", "besoin": "needs",
    "bread bag": "bread_bag", "sac": "bread_bag", "sac a pain": "bread_bag",
    "notes": "notes", "note": "notes", "porte": "notes", "door": "notes",
    "time need": "time_need", "horaire": "time_need", "heure": "time_need",
    "consent on": "consent_on", "consent": "consent_on", "consentement": "consent_on",
    "visit rhythm days": "visit_rhythm_days", "visites": "visit_rhythm_days",
    "rythme": "visit_rhythm_days",
    "channel": "channel", "canal": "channel",
    "telegram id": "telegram_id", "telegram": "telegram_id",
    "weekdays": "weekdays", "jours": "weekdays", "days": "weekdays",
    "max packs": "max_packs", "packs": "max_packs", "time": "time_need",
    "rhythm": "visit_rhythm_days",
}  # fmt: skip
# column → (English word, French word), in the order the help lists them
SHOWN = {
    "name": ("name", "nom"), "phone": ("phone", "tel"), "site": ("site", "site"),
    "building": ("building", "bat"), "entrance": ("entrance", "entree"),
    "floor": ("floor", "etage"), "apartment": ("apartment", "apt"),
    "notes": ("door", "porte"), "bread_bag": ("bread bag", "sac"),
    "time_need": ("time", "horaire"), "needs": ("needs", "besoins"),
    "consent_on": ("consent", "consentement"), "visit_rhythm_days": ("rhythm", "rythme"),
    "language": ("language", "langue"), "channel": ("channel", "canal"),
    "telegram_id": ("telegram", "telegram"), "weekdays": ("days", "jours"),
    "max_packs": ("packs", "packs"),
}  # fmt: skip
KINDS = {
    "locataire": "tenant",
    "tenant": "tenant",
    "benevole": "volunteer",
    "volunteer": "volunteer",
}
NOT_FROM_CHAT = {"add_role", "roles", "supplier"}  # roles stay the import's and approvals' work
COMMON = {"name", "phone", "site", "language", "telegram_id", "channel"}
HEALTH = {"needs", "consent_on"}  # audited by name only
WHO = re.compile(r"\s*(\+?\d[\d .]*?)\s*(?:$|[\s;:,]+(?=[^\d\s.]))(.*)", re.DOTALL)
FIELD = re.compile(r"\s*([^:=]+?)\s*[:=]\s*(.*)", re.DOTALL)


class FieldError(ValueError):
    """A part that is not `field: value`, or a field this person cannot have."""


def split_fields(text: str) -> list[str]:
    """The chat's "nom: Marie Dupont; tel: 06…" as its parts."""
    return [p for p in re.split(r"[;\n]+", text) if p.strip()]


def read_fields(parts: Iterable[str]) -> dict[str, str]:
    """Each "field: value" (or "field=value") as a CSV column and its text."""
    row: dict[str, str] = {}
    for part in parts:
        match = FIELD.fullmatch(part)
        if match is None:
            raise FieldError(part.strip()[:40])
        column = FIELDS.get(fold(match.group(1)))
        if column is None:
            raise FieldError(match.group(1)[:40])
        row[column] = " ".join(match.group(2).split())
    return row


def _fields_text(lang: str, allowed: set[str]) -> str:
    """The fields a coordinator may write, in the words of their language, in a fixed order."""
    return ", ".join(words[lang == "fr"] for c, words in SHOWN.items() if c in allowed)


def _site(ctx: Context, actor: Actor, word: str | None) -> str | Done:
    """The slug a new or moved person belongs to: the one named, else the coordinator's own."""
    slugs = {v: k for k, v in ctx.site_ids.items()}
    if word:
        site_id = find_site(ctx, word)
        if site_id is None or not actor.covers(site_id):
            return Done(
                False, t(actor.lang, "coord.people.which_site", sites=", ".join(ctx.site_ids))
            )
        return slugs[site_id]
    if actor.site_id is not None:
        return slugs[actor.site_id]
    if len(ctx.site_ids) == 1:
        return next(iter(ctx.site_ids))
    return Done(False, t(actor.lang, "coord.people.which_site", sites=", ".join(ctx.site_ids)))


def add(session: Session, ctx: Context, actor: Actor, text: str) -> Done:
    """`/ajouter locataire nom: …; tel: …; bat: …` — a new tenant or volunteer, active now."""
    lang = actor.lang
    word, _, rest = text.strip().partition(" ")
    kind = KINDS.get(fold(word))
    if kind is None:
        return Done(False, t(lang, "coord.people.how_add"))
    allowed = (TENANT_COLUMNS if kind == "tenant" else VOLUNTEER_COLUMNS) - NOT_FROM_CHAT
    row = _allowed_fields(split_fields(rest), allowed, lang)
    if isinstance(row, Done):
        return row
    if not row:
        return Done(False, t(lang, "coord.people.how_add"))
    holder = by_phone(session, try_normalise(row.get("phone", "")) or "")
    if holder is not None:  # said first: the site or a typo elsewhere does not matter then
        return Done(False, t(lang, "coord.people.exists", name=holder.name, id=holder.id))
    slug = _site(ctx, actor, row.get("site"))
    if isinstance(slug, Done):
        return slug
    row["site"] = slug
    try:
        data = (tenant_row if kind == "tenant" else volunteer_row)(
            Rows(ctx.config, ctx.site_ids), 1, row
        )
    except RowError as exc:
        return Done(False, t(lang, "coord.people.refused", why=reason(lang, exc)))
    holder = by_phone(session, data.phone)
    if holder is not None:
        return Done(False, t(lang, "coord.people.exists", name=holder.name, id=holder.id))
    if data.telegram_id is not None and by_telegram(session, data.telegram_id) is not None:
        why = t(lang, "rows.telegram_taken", value=data.telegram_id)
        return Done(False, t(lang, "coord.people.refused", why=why))
    if data.preferred_channel is None and is_fixed_line(data.phone):
        data.preferred_channel = Channel.VOICE  # a landline: no SMS reaches it
    upsert(session, data, ctx.clock)
    person = by_phone(session, data.phone)
    assert person is not None
    audit(
        session,
        ctx,
        actor.who,
        "person_add",
        f"person:{person.id}",
        role=kind,
        channel=actor.channel,
        **_audited(row),
    )
    return Done(True, _described(session, ctx, lang, person, "coord.people.added"))


def change(session: Session, ctx: Context, actor: Actor, who: str, parts: list[str]) -> Done:
    """`/modifier 12 étage: 3; porte: code 4512B` — fields of someone known, checked whole."""
    lang = actor.lang
    try:
        person = find(session, who)
    except LookupError:
        return Done(False, t(lang, "coord.people.unknown", who=who))
    if person.site_id is not None and not actor.covers(person.site_id):
        deny(session, ctx, actor, "edit", "other site", person=person.id)
        return Done(False, t(lang, "coord.people.unknown", who=who))
    allowed = set(COMMON)
    if person.is_tenant:
        allowed |= TENANT_COLUMNS
    if person.is_volunteer:
        allowed |= VOLUNTEER_COLUMNS
    allowed -= NOT_FROM_CHAT
    fields = _allowed_fields(parts, allowed, lang)
    if isinstance(fields, Done):
        return fields
    if not fields:
        return Done(False, t(lang, "coord.people.how_change"))
    slugs = {v: k for k, v in ctx.site_ids.items()}
    slug = slugs.get(person.site_id or 0) or next(iter(ctx.site_ids))
    if "site" in fields:
        found = _site(ctx, actor, fields["site"])
        if isinstance(found, Done):
            return found
        fields["site"] = found
    row = person_row(person, slug) | fields
    try:
        data = _checked(ctx, person, row)
    except RowError as exc:
        return Done(False, t(lang, "coord.people.refused", why=reason(lang, exc)))
    if person.site_id is None and "site" not in fields:
        data.site_id = None  # type: ignore[assignment]  # a coordinator of every site stays so
    holder = by_phone(session, data.phone)
    if holder is not None and holder.id != person.id:
        why = t(lang, "rows.phone_taken", phone=data.phone, name=holder.name, id=holder.id)
        return Done(False, t(lang, "coord.people.refused", why=why))
    if data.telegram_id is not None:
        holder = by_telegram(session, data.telegram_id)
        if holder is not None and holder.id != person.id:
            why = t(lang, "rows.telegram_taken", value=data.telegram_id)
            return Done(False, t(lang, "coord.people.refused", why=why))
    if data.phone != person.phone and "channel" not in fields and is_fixed_line(data.phone):
        data.preferred_channel = Channel.VOICE  # moved to a landline: no SMS reaches it now
    changed = apply_changes(person, data)
    if not changed:
        return Done(True, t(lang, "coord.people.unchanged", name=person.name, id=person.id))
    audit(
        session,
        ctx,
        actor.who,
        "person_change",
        f"person:{person.id}",
        channel=actor.channel,
        changed=changed,
        **_audited(fields),
    )
    return Done(True, _described(session, ctx, lang, person, "coord.people.changed"))


def change_text(session: Session, ctx: Context, actor: Actor, text: str) -> Done:
    """The chat's `/modifier N field: value; …`: who first (a number or a phone)."""
    match = WHO.fullmatch(text)
    if match is None:
        return Done(False, t(actor.lang, "coord.people.how_change"))
    return change(session, ctx, actor, match.group(1), split_fields(match.group(2)))


def reason(lang: str, exc: RowError) -> str:
    """Why a row was refused, in the reader's language (a value may be a reason itself)."""
    params = {
        k: t(lang, f"rows.{v[0]}", **v[1]) if isinstance(v, tuple) else v
        for k, v in exc.params.items()
    }
    return t(lang, f"rows.{exc.key}", **params)


def _checked(ctx: Context, person: Person, row: dict[str, str]) -> PersonData:
    """The row as the import would read it, for each role the person has."""
    data = None
    if person.is_volunteer:
        data = volunteer_row(Rows(ctx.config, ctx.site_ids), 1, row)
    if person.is_tenant:
        tenant = tenant_row(Rows(ctx.config, ctx.site_ids), 1, row)
        if data is not None:
            tenant.volunteer = data.volunteer
        data = tenant
    if data is None:
        rows = Rows(ctx.config, ctx.site_ids)
        data = PersonData(**rows.common(1, row))
    data.roles = set()  # a change never gives or takes a role
    return data


def _audited(row: dict[str, str]) -> dict[str, object]:
    return {
        "fields": sorted(row),
        "values": {c: v for c, v in sorted(row.items()) if c not in HEALTH},
    }


def _allowed_fields(parts: Iterable[str], allowed: set[str], lang: str) -> dict[str, str] | Done:
    """The fields written, or the refusal naming the first one this command does not take."""
    try:
        fields = read_fields(parts)
        wrong = next((c for c in fields if c not in allowed), None)
        if wrong is not None:
            raise FieldError(SHOWN[wrong][lang == "fr"] if wrong in SHOWN else wrong)
    except FieldError as exc:
        return Done(False, _unknown_field(lang, str(exc), allowed))
    return fields


def _unknown_field(lang: str, field: str, allowed: set[str]) -> str:
    return t(lang, "coord.people.unknown_field", field=field, fields=_fields_text(lang, allowed))


def _described(session: Session, ctx: Context, lang: str, person: Person, key: str) -> str:
    channel = person.preferred_channel.value if person.preferred_channel else "auto"
    head = t(
        lang,
        key,
        name=person.name,
        id=person.id,
        channel=t(lang, f"coord.people.channel_{channel}"),
    )
    if person.is_tenant and person.site_id is not None:
        return head + "\n" + card(session, ctx, lang, person)
    return head
