"""Files the service writes hold people's names, flats and health flags: readable by the
account that runs the service, and nobody else on the machine.

The umask is set once, when any `entraide` command starts, so every file made afterwards
(the SQLite database, its WAL and shared-memory files, round sheets, exports, the console's
log, a copy made by a command) is created 0600 and every folder 0700. A database file
created by an older version (0644) is narrowed when a command opens it.
"""

from __future__ import annotations

import os
from pathlib import Path

UMASK = 0o077
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def restrict() -> None:
    os.umask(UMASK)


def restrict_database(url: str) -> None:
    """chmod 0600 the SQLite file (and its WAL, shared memory, journal) behind `url`."""
    if not url.startswith("sqlite:///"):
        return
    path = url.removeprefix("sqlite:///").split("?")[0]
    if not path or path == ":memory:":
        return
    for suffix in SQLITE_COMPANIONS:
        file = Path(path + suffix)
        if file.is_file() and file.stat().st_mode & 0o077:
            os.chmod(file, 0o600)
