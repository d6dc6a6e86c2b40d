"""CSV import of tenants and volunteers: every bad row reported, then all or nothing.

Spreadsheets in France save CSV with `;` and often in Windows-1252; both `,` and `;` and both
encodings are read. Columns are documented in the README; `examples/*.csv` are working files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from models.base import Role
from models.clock import Clock
from models.config import WEEKDAYS, ServiceConfig
from models.db import Database
from models.people import Person, PersonData, by_phone, by_telegram, upsert
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
    "add_role",
}  # fmt: skip
VOLUNTEER_COLUMNS = {
    "name", "phone", "site", "language", "weekdays", "max_packs", "telegram_id", "roles",
    "supplier", "add_role",
}  # fmt: skip
# The columns' sizes in the database: a longer value is refused with its length, not cut
# silently (PostgreSQL would refuse it anyway, SQLite would keep it whole).
TEXT_LIMITS = {
    "phone": 40, "site": 40, "building": 40, "entrance": 10, "floor": 20, "apartment": 10,
    "language": 5, "needs": 80, "bread_bag": 10, "notes": 200, "time_need": 80,
    "consent_on": 20, "telegram_id": 20, "visit_rhythm_days": 5, "weekdays": 80,
    "max_packs": 5, "roles": 80, "supplier": 40, "add_role": 10,
}  # fmt: skip


class RowError(ValueError):
    pass


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0}
    )

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        if self.errors:
            return [f"line {n}: {why}" for n, why in self.errors] + [
                f"nothing imported: {len(self.errors)} bad row(s) out of {self.rows}"
            ]
        c = self.counts
        return [
            f"{self.rows} row(s): {c['created']} created, {c['updated']} updated, "
            f"{c['unchanged']} unchanged"
        ]


def read_rows(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """(line number, row) pairs with lower-cased headers, and the file's columns."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = [(c or "").strip().lower() for c in reader.fieldnames or []]
    reader.fieldnames = columns
    rows = []
    for row in reader:
        line = reader.line_num
        clean = {
            k: (v or "").strip() if isinstance(v, str) else ""
            for k, v in row.items()
            if k is not None
        }
        if any(clean.values()):
            rows.append((line, clean))
    return rows, columns


def _yes(value: str, column: str) -> bool:
    v = value.strip().lower()
    if v in YES:
        return True
    if v in NO:
        return False
    raise RowError(f"{column} {value!r}: expected yes or no")


def _int(value: str, column: str, *, low: int = 0, high: int = 10_000) -> int | None:
    v = value.strip().lower()
    if not v:
        return None
    if column == "floor" and v in ("rdc", "rez-de-chaussée", "rez-de-chaussee", "ground"):
        return 0
    try:
        n = int(v.removesuffix("e").removesuffix("er").removesuffix("ème"))
    except ValueError:
        raise RowError(f"{column} {value!r}: expected a whole number") from None
    if not low <= n <= high:
        raise RowError(f"{column} {value!r}: expected a number from {low} to {high}")
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
    raise RowError(f"{column} {value!r}: expected a date as YYYY-MM-DD or DD/MM/YYYY")


def _list(value: str) -> list[str]:
    for sep in ("|", "+", "/", ",", ";"):
        value = value.replace(sep, " ")
    return [v for v in value.lower().split() if v]


class _Rows:
    """The parts every row has: name, phone, site, language, telegram id."""

    def __init__(self, config: ServiceConfig, site_ids: dict[str, int]) -> None:
        self.config, self.site_ids = config, site_ids
        self.phones: dict[str, int] = {}
        self.add_role: dict[int, bool] = {}  # line: the file says to add a role explicitly

    def common(self, line: int, row: dict[str, str]) -> dict[str, Any]:
        check_cells(row)
        name = row.get("name", "")
        if not name:
            raise RowError("name is empty")
        self.add_role[line] = _yes(row.get("add_role", ""), "add_role")
        try:
            phone = normalise(row.get("phone", ""))
        except PhoneError as exc:
            raise RowError(str(exc)) from None
        if phone in self.phones:
            raise RowError(f"duplicate phone {phone} (also on line {self.phones[phone]})")
        self.phones[phone] = line
        slug = row.get("site") or self.config.sites[0].slug
        if slug not in self.site_ids:
            known = ", ".join(self.site_ids)
            raise RowError(f"unknown site {slug!r} (sites: {known})")
        language = (row.get("language") or self.config.site(slug).language).lower()
        if language not in ("fr", "en"):
            raise RowError(f"language {language!r}: expected fr or en")
        telegram = _int(row.get("telegram_id", ""), "telegram_id", low=1, high=10**15)
        return {
            "name": name,
            "phone": phone,
            "site_id": self.site_ids[slug],
            "language": language,
            "telegram_id": telegram,
        }


def check_cells(row: dict[str, str]) -> None:
    """NUL bytes, 5,000-character names, 100,000-character notes, formulas: refused with the
    column and the reason, so the coordinator can fix the file."""
    problem = name_problem(row.get("name", ""))
    if row.get("name") and problem:
        raise RowError(f"name: {problem}")
    for column, value in row.items():
        if column == "name" or not value:
            continue
        # a phone may start with "+": it is read as a number, never kept as typed
        problem = text_problem(value, TEXT_LIMITS.get(column, 200), formula=column != "phone")
        if problem:
            raise RowError(f"{column}: {problem}")


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


def tenant_row(rows: _Rows, line: int, row: dict[str, str]) -> PersonData:
    base = rows.common(line, row)
    if not row.get("building"):
        raise RowError("building is empty")
    needs: set[str] = set()
    for word in _list(row.get("needs", "")):
        if word not in NEEDS:
            allowed = "reduced_mobility, isolated, elderly, ill"
            raise RowError(f"unknown need {word!r} (allowed: {allowed})")
        needs.add(NEEDS[word])
    consent = _date(row.get("consent_on", ""), "consent_on")
    if needs & HEALTH_NEEDS and consent is None:
        raise RowError("needs about health given without consent_on (the date the tenant agreed)")
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


def volunteer_row(rows: _Rows, line: int, row: dict[str, str]) -> PersonData:
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
            raise RowError(f"unknown weekday {word!r} (mon … sun, or lun … dim)")
    roles: set[Role] = set()
    for word in _list(row.get("roles", "")) or ["volunteer"]:
        try:
            roles.add(Role(word))
        except ValueError:
            raise RowError(f"unknown role {word!r} (volunteer, coordinator, supplier)") from None
    supplier = row.get("supplier") or None
    if Role.SUPPLIER in roles and supplier not in rows.config.suppliers:
        raise RowError(f"supplier {supplier!r} is not in entraide.toml [suppliers]")
    volunteer = None
    if Role.VOLUNTEER in roles:
        volunteer = {
            "weekdays": ",".join(sorted(set(days), key=WEEKDAYS.index)),
            "max_packs": _int(row.get("max_packs", ""), "max_packs", high=50),
        }
    return PersonData(**base, roles=roles, supplier_key=supplier, volunteer=volunteer)


def import_file(
    db: Database,
    config: ServiceConfig,
    site_ids: dict[str, int],
    clock: Clock,
    path: Path,
    kind: str,
) -> ImportReport:
    """Read, check every row, and only if all are good write them in one transaction."""
    make: Callable[[_Rows, int, dict[str, str]], PersonData]
    make, allowed = (
        (tenant_row, TENANT_COLUMNS) if kind == "tenants" else (volunteer_row, VOLUNTEER_COLUMNS)
    )
    report = ImportReport()
    rows, columns = read_rows(path)
    unknown = [c for c in columns if c and c not in allowed]
    missing = [c for c in ("name", "phone") if c not in columns]
    if unknown or missing:
        why = (
            f"unknown column {unknown[0]!r}" if unknown else f"missing column {missing[0]!r}"
        ) + f" (columns: {', '.join(sorted(allowed))})"
        report.errors.append((1, why))
        return report
    state = _Rows(config, site_ids)
    people: list[tuple[int, PersonData]] = []
    for line, row in rows:
        report.rows += 1
        try:
            people.append((line, make(state, line, row)))
        except RowError as exc:
            report.errors.append((line, str(exc)))
    if report.errors:
        return report
    try:
        with db.transaction() as session:
            for line, data in people:
                why = role_change(by_phone(session, data.phone), data, state.add_role[line])
                if why:
                    report.errors.append((line, why))
                    continue
                holder = by_telegram(session, data.telegram_id) if data.telegram_id else None
                if holder is not None and holder.phone != data.phone:
                    report.errors.append(
                        (line, f"telegram_id {data.telegram_id} already belongs to someone else")
                    )
                    continue
                report.counts[upsert(session, data, clock)] += 1
            if report.errors:
                raise _RollBack
    except _RollBack:
        report.counts = dict.fromkeys(report.counts, 0)
    return report


class _RollBack(Exception):
    """Leaves the import transaction without writing anything."""
