"""The files the service writes under var/ (CSV exports, printed round sheets, the console's
log), as erasure and the right of access see them.

A delivery ledger exported last month names the tenant and their flat; a round sheet printed
for Thursday names them with their door and notes. Erasure takes the person out of each file
in place: a ledger row stays (the landlord's counts) without name or flat, a sheet's stop
becomes "(effacé)", any other text file has each trace replaced. The database files are not
touched here (they are the database).
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

from handlers.exports import DELIMITER, ENCODING, neutralise, secure_open
from handlers.texts.formats import address
from models.people import Person
from models.traces import ERASED, Traces

VAR_DIR = Path("var")
SHEETS_DIR = VAR_DIR / "sheets"
TEXT_SUFFIXES = (".csv", ".html", ".htm", ".txt", ".log", ".json")
DATABASE_SUFFIXES = (".db", ".db-wal", ".db-shm", ".db-journal", ".sqlite", ".sqlite3")
PERSONAL_COLUMNS = ("tenant", "building", "entrance", "floor", "apartment")
NUMBER = re.compile(r"^-?\d+$")  # a floor of -1 is a number, not a formula
STOP_BLOCK = re.compile(r'<div class="stop">.*?</div></div>', re.DOTALL)


def spelled(person: Person) -> list[str]:
    """The flat as messages and sheets write it, in each language."""
    if person.tenant is None or not person.tenant.building:
        return []
    return [address(person, lang) for lang in ("fr", "en")]


def text_files(folder: Path = VAR_DIR) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and not _is_database(p)
    )


def _is_database(path: Path) -> bool:
    return path.name.lower().endswith(DATABASE_SUFFIXES)


def mentioning(traces: Traces, pid: int, folder: Path = VAR_DIR) -> list[str]:
    """The files under var/ that name or describe the person (right of access)."""
    return [
        str(p)
        for p in text_files(folder)
        if traces.found(_read(p)) or (p.suffix == ".csv" and _ledger_rows(p, pid))
    ]


def scrub_files(traces: Traces, pid: int, folder: Path = VAR_DIR) -> int:
    """Take the person out of every text file under var/; how many files changed."""
    changed = 0
    for path in text_files(folder):
        before = _read(path)
        if path.suffix.lower() == ".csv":
            after = _scrub_csv(before, traces, pid)
        elif path.suffix.lower() in (".html", ".htm"):
            after = _scrub_sheet(before, traces)
        else:
            after = traces.redact(before)
        if after != before:
            _write(path, after)
            changed += 1
    return changed


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig", errors="replace")


def _write(path: Path, text: str) -> None:
    encoding = ENCODING if path.suffix.lower() == ".csv" else "utf-8"
    with secure_open(path, encoding) as f:
        f.write(text)
    os.chmod(path, 0o600)


def _ledger_rows(path: Path, pid: int) -> bool:
    rows = list(csv.reader(io.StringIO(_read(path)), delimiter=DELIMITER))
    if not rows or "tenant_id" not in rows[0]:
        return False
    at = rows[0].index("tenant_id")
    return any(len(r) > at and r[at] == str(pid) for r in rows[1:])


def _scrub_csv(text: str, traces: Traces, pid: int) -> str:
    """A ledger row of the person keeps its counts, not who or where; other cells lose traces."""
    rows = list(csv.reader(io.StringIO(text), delimiter=DELIMITER))
    if not rows:
        return text
    header = rows[0]
    at = header.index("tenant_id") if "tenant_id" in header else None
    personal = [i for i, name in enumerate(header) if name in PERSONAL_COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows[1:]:
        row = [traces.redact(cell) for cell in row]
        if at is not None and len(row) > at and row[at] == str(pid):
            for i in personal:
                if i < len(row):
                    row[i] = ERASED if header[i] == "tenant" else ""
        writer.writerow([cell if NUMBER.match(cell) else neutralise(cell) for cell in row])
    return out.getvalue()


def _scrub_sheet(text: str, traces: Traces) -> str:
    """A printed stop that names the person is replaced whole (name, door, notes, items)."""
    text = STOP_BLOCK.sub(
        lambda m: f'<div class="stop">{ERASED}</div>' if traces.found(m.group()) else m.group(),
        text,
    )
    return traces.redact(text)
