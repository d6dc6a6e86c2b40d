"""What a row describing a tenant or a volunteer may say, checked the same way wherever it comes
from: a CSV import (`bot/importer.py`), a coordinator's `/ajouter` and `/modifier` or
`entraide people add|set` (`handlers/people_edit.py`). One set of rules, so the file and the chat
refuse the same things, with the same reason (the column, then why).

Pure: a row (column name to text) in, `PersonData` or `RowError` out; the caller writes it.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

from models.base import Channel, Role
from models.config import WEEKDAYS, ServiceConfig
from models.people import Person, PersonData
from models.person_input import name_problem, text_problem
from models.phones import PhoneError, normalise

NEEDS = {
    "reduced_mobility": "reduced_mobility",
    "mobilite_reduite": "reduced_mobility",
    "pmr": "reduced_mobility",
    "isolated": "isolated",
    "isole": "isolated",
    "elderly": "elderly",
    "age": "elderly",
    "ill": "ill",
    "malade": "ill",
}
HEALTH_NEEDS = {"reduced_mobility", "elderly", "ill"}
YES = {"yes", "oui", "y", "o", "1", "true", "vrai", "x"}
NO = {"no", "non", "n", "0", "false", "faux", ""}
FR_WEEKDAYS = dict(zip(("lun", "mar", "mer", "jeu", "ven", "sam", "dim"), WEEKDAYS, strict=True))
TENANT_COLUMNS = {
    "name", "phone", "site", "building", "entrance", "floor", "apartment", "language",
    "needs", "bread_bag", "notes", "time_need", "consent_on", "telegram_id", "visit_rhythm_days",
    "add_role", "channel",
}  # fmt: skip
VOLUNTEER_COLUMNS = {
    "name", "phone", "site", "language", "weekdays", "max_packs", "telegram_id", "roles",
    "supplier", "add_role", "channel",
}  # fmt: skip
# The channel that reaches the person first (empty: the one they last wrote from).
CHANNELS = {
    "sms": Channel.SMS, "texto": Channel.SMS,
    "telegram": Channel.TELEGRAM,
    "voice": Channel.VOICE, "voix": Channel.VOICE, "appel": Channel.VOICE, "call": Channel.VOICE,
}  # fmt: skip
# The columns' sizes in the database: a longer value is refused with its length, not cut
# silently (PostgreSQL would refuse it anyway, SQLite would keep it whole).
TEXT_LIMITS = {
    "phone": 40, "site": 40, "building": 40, "entrance": 10, "floor": 20, "apartment": 10,
    "language": 5, "needs": 80, "bread_bag": 10, "notes": 200, "time_need": 80,
    "consent_on": 20, "telegram_id": 20, "visit_rhythm_days": 5, "weekdays": 80,
    "max_packs": 5, "roles": 80, "supplier": 40, "add_role": 10, "channel": 20,
}  # fmt: skip


class RowError(ValueError):
    """A row the rules refuse. The reason is a catalogue key under `rows.` and its values,
    rendered by `handlers.people_edit.reason` in the reader's language (the import's report is
    in English; a coordinator's chat in theirs). A value may itself be a (key, values) pair."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key, self.params = key, params


def _yes(value: str, column: str) -> bool:
    v = value.strip().lower()
    if v in YES:
        return True
    if v in NO:
        return False
    raise RowError("yes_no", column=column, value=repr(value))


def _int(value: str, column: str, *, low: int = 0, high: int = 10_000) -> int | None:
    v = value.strip().lower()
    if not v:
        return None
    if column == "floor" and v in ("rdc", "rez-de-chaussée", "rez-de-chaussee", "ground"):
        return 0
    try:
        n = int(v.removesuffix("e").removesuffix("er").removesuffix("ème"))
    except ValueError:
        raise RowError("whole_number", column=column, value=repr(value)) from None
    if not low <= n <= high:
        raise RowError("number_range", column=column, value=repr(value), low=low, high=high)
    return n


def _date(value: str, column: str) -> date | None:
    v = value.strip()
    if not v:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(v, fmt).date()
        except ValueError:
            pass
    raise RowError("date", column=column, value=repr(value))


def _list(value: str) -> list[str]:
    """Words of a list cell, lower case and without accents ("isolé" is "isole")."""
    for sep in ("|", "+", "/", ",", ";"):
        value = value.replace(sep, " ")
    plain = unicodedata.normalize("NFKD", value.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return [v for v in plain.split() if v]


class Rows:
    """The parts every row has: name, phone, site, language, telegram id."""

    def __init__(self, config: ServiceConfig, site_ids: dict[str, int]) -> None:
        self.config, self.site_ids = config, site_ids
        self.phones: dict[str, int] = {}
        self.add_role: dict[int, bool] = {}  # line: the file says to add a role explicitly

    def common(self, line: int, row: dict[str, str]) -> dict[str, Any]:
        check_cells(row)
        name = row.get("name", "")
        if not name:
            raise RowError("name_empty")
        self.add_role[line] = _yes(row.get("add_role", ""), "add_role")
        raw = row.get("phone", "")
        try:
            phone = normalise(raw)
        except PhoneError:
            raise RowError(
                "phone_invalid" if raw.strip() else "phone_empty", value=repr(raw)
            ) from None
        if phone in self.phones:
            raise RowError("duplicate_phone", phone=phone, line=self.phones[phone])
        self.phones[phone] = line
        slug = row.get("site") or self.config.sites[0].slug
        if slug not in self.site_ids:
            known = ", ".join(self.site_ids)
            raise RowError("unknown_site", site=repr(slug), sites=known)
        language = (row.get("language") or self.config.site(slug).language).lower()
        if language not in ("fr", "en"):
            raise RowError("language", value=repr(language))
        telegram = _int(row.get("telegram_id", ""), "telegram_id", low=1, high=10**15)
        channel = row.get("channel", "").strip().lower()
        if channel and channel not in CHANNELS:
            raise RowError("channel", value=repr(channel))
        return {
            "name": name,
            "phone": phone,
            "site_id": self.site_ids[slug],
            "language": language,
            "telegram_id": telegram,
            "preferred_channel": CHANNELS.get(channel),
        }


def check_cells(row: dict[str, str]) -> None:
    """NUL bytes, 5,000-character names, 100,000-character notes, formulas: refused with the
    column and the reason, so the coordinator can fix the file."""
    problem = name_problem(row.get("name", ""))
    if row.get("name") and problem:
        raise RowError("cell", column="name", why=problem)
    for column, value in row.items():
        if column == "name" or not value:
            continue
        # a phone may start with "+": it is read as a number, never kept as typed
        problem = text_problem(value, TEXT_LIMITS.get(column, 200), formula=column != "phone")
        if problem:
            raise RowError("cell", column=column, why=problem)


def role_change(holder: Person | None, data: PersonData, allowed: bool) -> str | None:
    """Why this row must not change who the person with this phone is, or None.

    A tenant row carrying a coordinator's phone (a typo, or a file from elsewhere) would
    rename the coordinator and make them a tenant. Roles are added by an import only when
    the row says so (`add_role` yes)."""
    if holder is None or allowed or not holder.roles:
        return None
    added = sorted(r.value for r in data.roles - set(holder.roles))
    if not added:
        return None
    has = ", ".join(r.value for r in holder.roles)
    return (
        f"phone {data.phone} belongs to {holder.name} ({has}): this row would make them "
        f"{' and '.join(added)} too (and name them {data.name!r}); put yes in an add_role "
        "column on this line if that is meant"
    )


def tenant_row(rows: Rows, line: int, row: dict[str, str]) -> PersonData:
    base = rows.common(line, row)
    if not row.get("building"):
        raise RowError("building_empty")
    needs: set[str] = set()
    for word in _list(row.get("needs", "")):
        if word not in NEEDS:
            raise RowError("unknown_need", value=repr(word))
        needs.add(NEEDS[word])
    consent = _date(row.get("consent_on", ""), "consent_on")
    if needs & HEALTH_NEEDS and consent is None:
        raise RowError("health_consent")
    profile = {
        "building": row["building"],
        "entrance": row.get("entrance") or None,
        "floor": _int(row.get("floor", ""), "floor", low=-2, high=60),
        "apartment": row.get("apartment") or None,
        "bread_bag": _yes(row.get("bread_bag", ""), "bread_bag"),
        "notes": row.get("notes", ""),
        "time_need": row.get("time_need") or None,
        "consent_on": consent,
        "visit_rhythm_days": _int(
            row.get("visit_rhythm_days", ""), "visit_rhythm_days", low=1, high=60
        ),
        **{n: n in needs for n in ("reduced_mobility", "isolated", "elderly", "ill")},
    }
    return PersonData(**base, roles={Role.TENANT}, tenant=profile)


def volunteer_row(rows: Rows, line: int, row: dict[str, str]) -> PersonData:
    base = rows.common(line, row)
    days: list[str] = []
    for word in _list(row.get("weekdays", "")) or ["all"]:
        if word in ("all", "tous", "*"):
            days.extend(WEEKDAYS)
        elif word[:3] in WEEKDAYS:
            days.append(word[:3])
        elif word[:3] in FR_WEEKDAYS:
            days.append(FR_WEEKDAYS[word[:3]])
        else:
            raise RowError("unknown_weekday", value=repr(word))
    roles: set[Role] = set()
    for word in _list(row.get("roles", "")) or ["volunteer"]:
        try:
            roles.add(Role(word))
        except ValueError:
            raise RowError("unknown_role", value=repr(word)) from None
    supplier = row.get("supplier") or None
    if Role.SUPPLIER in roles and supplier not in rows.config.suppliers:
        raise RowError("unknown_supplier", value=repr(supplier))
    volunteer = None
    if Role.VOLUNTEER in roles:
        volunteer = {
            "weekdays": ",".join(sorted(set(days), key=WEEKDAYS.index)),
            "max_packs": _int(row.get("max_packs", ""), "max_packs", high=50),
        }
    return PersonData(**base, roles=roles, supplier_key=supplier, volunteer=volunteer)


def person_row(person: Person, slug: str) -> dict[str, str]:
    """What is known of someone, as the row that would describe them (to check a change with
    the same rules as a new row)."""
    row = {
        "name": person.name,
        "phone": person.phone or "",
        "site": slug,
        "language": person.language,
        "telegram_id": str(person.telegram_id or ""),
        "channel": person.preferred_channel.value if person.preferred_channel else "",
    }
    p = person.tenant
    if p is not None:
        row |= {
            "building": p.building,
            "entrance": p.entrance or "",
            "floor": "" if p.floor is None else str(p.floor),
            "apartment": p.apartment or "",
            "needs": "|".join(p.needs),
            "bread_bag": "yes" if p.bread_bag else "no",
            "notes": p.notes,
            "time_need": p.time_need or "",
            "consent_on": p.consent_on.isoformat() if p.consent_on else "",
            "visit_rhythm_days": str(p.visit_rhythm_days or ""),
        }
    v = person.volunteer
    if v is not None:
        row |= {"weekdays": v.weekdays, "max_packs": str(v.max_packs or "")}
    return row
