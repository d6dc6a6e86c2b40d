"""CSV files for the landlord and funders: the delivery ledger and the yearly report.

Written for a spreadsheet opened by double-click in French Excel: UTF-8 with a byte-order mark
(without it Excel reads "Résidence" as "RÃ©sidence"), `;` between fields (French Excel's list
separator, so a "," inside a name is safe too), CRLF line ends, dates as YYYY-MM-DD, whole
numbers only (no decimal separator to disagree about). Column names are fixed ASCII codes,
documented in COLUMNS, so a spreadsheet or a script that reads them keeps working.

The ledger names tenants and their flats: personal data, kept out of health flags, written
readable by the owner only (0600) under var/exports.

Every cell goes through `neutralise`: a spreadsheet runs a cell that starts with =, +, -, @,
tab or CR as a formula (OWASP "CSV injection"), so a newcomer registered as
`=HYPERLINK(…)` would become a live link in the landlord's file. Such a cell is prefixed
with `'`, which the spreadsheet shows as text. Numbers are written as numbers (a negative
floor stays -1).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from models.ledger import LedgerRow

ENCODING = "utf-8-sig"
DELIMITER = ";"
EXPORT_DIR = Path("var/exports")

DELIVERY_COLUMNS = [
    ("date", "delivery date, YYYY-MM-DD (the site's local calendar)"),
    ("site", "residence name"),
    ("order", "order number"),
    ("tenant_id", "tenant number (stable, as in `entraide people list`)"),
    ("tenant", "tenant name"),
    ("building", "building"),
    ("entrance", "entrance / staircase"),
    ("floor", "floor (0 = ground floor)"),
    ("apartment", "flat"),
    ("status", "delivered, failed (attempted, not delivered) or cancelled"),
    ("outcome", "in_hand, bread_bag, not_home, refused or wrong_address"),
    ("standing", "1 when the order came from a standing order, else 0"),
    ("volunteer", "volunteer who had the stop"),
]
REPORT_COLUMNS = [
    ("month", "YYYY-MM; the year's total row says YYYY"),
    ("site", "residence name, or TOTAL for every site together"),
    ("deliveries", "orders delivered"),
    ("failed", "orders attempted, not delivered"),
    ("cancelled", "orders cancelled (by the tenant, a pause, STOP or a closure)"),
    ("tenants_served", "distinct tenants delivered at least once"),
    ("visits_done", "courtesy visits made"),
    ("engaged", "tenants engaged at the end of the month (blank for months to come)"),
    ("objective", "the programme's objective of engaged tenants (TOTAL rows)"),
    ("objective_percent", "engaged / objective, whole percent (TOTAL rows)"),
]


def export_path(kind: str, label: str, now: datetime, folder: Path | None = None) -> Path:
    """A new file name under var/exports: "deliveries-2026-11-01_2026-11-30-20261124T0900.csv"."""
    return (folder or EXPORT_DIR) / f"{kind}-{label}-{now:%Y%m%dT%H%M%S}.csv"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> object:
    """A text cell a spreadsheet would run as a formula, made plain text with a leading '."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def secure_open(path: Path, encoding: str = ENCODING) -> TextIO:
    """A file readable by its owner only, whatever the umask (personal data)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # a file already there (written before, or by hand) is narrowed too
    return open(fd, "w", encoding=encoding, newline="")


_open = secure_open


class _SafeWriter:
    """csv.writer whose every cell went through `neutralise`."""

    def __init__(self, f: TextIO) -> None:
        self._out = csv.writer(
            f, delimiter=DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
        )

    def writerow(self, row: Iterable[object]) -> Any:
        return self._out.writerow([neutralise(cell) for cell in row])


def _writer(f: TextIO) -> _SafeWriter:
    return _SafeWriter(f)


def write_deliveries(path: Path, rows: Iterable[LedgerRow], item_keys: Sequence[str]) -> int:
    """The ledger as CSV, one column per catalogue item at the end; how many rows."""
    n = 0
    with _open(path) as f:
        out = _writer(f)
        out.writerow([name for name, _ in DELIVERY_COLUMNS] + list(item_keys))
        for r in rows:
            out.writerow(
                [
                    r.day.isoformat(),
                    r.site,
                    r.order_id,
                    r.tenant_id,
                    r.tenant,
                    r.building,
                    r.entrance,
                    "" if r.floor is None else r.floor,
                    r.apartment,
                    r.status,
                    r.outcome,
                    int(r.standing),
                    r.volunteer,
                    *(r.items.get(k, 0) for k in item_keys),
                ]
            )
            n += 1
    return n


def write_report(path: Path, rows: Iterable[Sequence[object]], item_keys: Sequence[str]) -> int:
    """The yearly report: REPORT_COLUMNS with one column per item after tenants_served."""
    header = [name for name, _ in REPORT_COLUMNS]
    at = header.index("tenants_served") + 1
    header[at:at] = list(item_keys)
    n = 0
    with _open(path) as f:
        out = _writer(f)
        out.writerow(header)
        for row in rows:
            out.writerow(["" if v is None else v for v in row])
            n += 1
    return n


def columns_doc() -> str:
    """The columns, for `entraide export --help` and the README."""
    lines = ["Deliveries CSV (UTF-8 with BOM, ';' separated):"]
    lines += [f"  {name}: {what}" for name, what in DELIVERY_COLUMNS]
    lines += ["  then one column per catalogue item (bread, water…): quantity"]
    lines += ["Report CSV:"]
    lines += [f"  {name}: {what}" for name, what in REPORT_COLUMNS]
    return "\n".join(lines)
