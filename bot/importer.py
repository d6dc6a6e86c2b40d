"""CSV import of tenants and volunteers: every bad row reported, then all or nothing.

Spreadsheets in France save CSV with `;` and often in Windows-1252; both `,` and `;` and both
encodings are read. Columns are documented in the README; `examples/*.csv` are working files.
What a row may say is checked by `models.person_rows`, the same rules as a coordinator's
`/ajouter` in the chat.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from handlers.people_edit import reason
from handlers.texts import t
from models.clock import Clock
from models.config import ServiceConfig
from models.db import Database
from models.people import PersonData, by_phone, by_telegram, upsert
from models.person_rows import (
    TENANT_COLUMNS,
    VOLUNTEER_COLUMNS,
    RowError,
    Rows,
    role_change,
    tenant_row,
    volunteer_row,
)


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


def import_file(
    db: Database,
    config: ServiceConfig,
    site_ids: dict[str, int],
    clock: Clock,
    path: Path,
    kind: str,
) -> ImportReport:
    """Read, check every row, and only if all are good write them in one transaction."""
    make: Callable[[Rows, int, dict[str, str]], PersonData]
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
    state = Rows(config, site_ids)
    people: list[tuple[int, PersonData]] = []
    for line, row in rows:
        report.rows += 1
        try:
            people.append((line, make(state, line, row)))
        except RowError as exc:
            report.errors.append((line, reason("en", exc)))
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
                        (line, t("en", "rows.telegram_taken", value=data.telegram_id))
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
