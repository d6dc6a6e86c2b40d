"""`entraide backup` and `entraide restore`: what the volunteer who looks after the server runs
(the README's "Backups" section). The work is in `models.backup`; the daily copy is the
scheduler's (`scheduler.backups`).

Neither command opens the runtime: a backup is taken of whatever schema the database is at
(before an upgrade, that is the point), and a restore goes into a database that may not exist
yet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.settings import Settings
from models.backup import BackupPlan


def plan(settings: Settings) -> BackupPlan | None:
    """The daily backup's plan, or None when ENTRAIDE_BACKUP_KEEP=0 turns it off."""
    return BackupPlan(settings.backup_dir, settings.backup_keep) if settings.backup_keep else None


def _failed(message: str) -> typer.Exit:
    typer.echo(f"entraide: {message}", err=True)
    return typer.Exit(1)


def backup_cmd(
    dest: Annotated[
        Path | None,
        typer.Argument(help="folder for the copy (default: ENTRAIDE_BACKUP_DIR, var/backups)"),
    ] = None,
    keep: Annotated[
        int | None,
        typer.Option(help="keep only this many backups there (default: ENTRAIDE_BACKUP_KEEP)"),
    ] = None,
) -> None:
    """Copy the database now, while the service runs, into a file named by date."""
    from models.backup import BackupError, back_up, backups
    from models.leases import wall

    settings = Settings.from_env()
    folder = dest or settings.backup_dir
    keep = settings.backup_keep if keep is None else keep
    try:
        path = back_up(settings.database_url, folder, wall(), keep)
    except BackupError as exc:
        raise _failed(str(exc)) from None
    kept = len(backups(folder, settings.database_url))
    typer.echo(f"backed up to {path} ({path.stat().st_size} bytes); {kept} backup(s) in {folder}")


def restore_cmd(
    file: Annotated[Path, typer.Argument(help="a backup made by `entraide backup`")],
    force: Annotated[
        bool, typer.Option("--force", help="replace a database that already holds data")
    ] = False,
) -> None:
    """Put a backup back into the database of ENTRAIDE_DATABASE_URL (stop the service first)."""
    from models.backup import BackupError, restore
    from models.migrate import current_revision, head_revision

    settings = Settings.from_env()
    url = settings.database_url
    try:
        restore(url, file, force=force)
    except BackupError as exc:
        raise _failed(str(exc)) from None
    have, want = current_revision(url), head_revision()
    _audit(url, file, force, have)
    typer.echo(f"restored {file} (database at migration {have})")
    if have != want:
        typer.echo(f"this version needs migration {want}: run `entraide db upgrade`")


def _audit(url: str, file: Path, force: bool, revision: str | None) -> None:
    """The restore is written in the restored database's own audit log."""
    import sqlalchemy as sa

    from models.audit import AuditEntry
    from models.db import make_engine
    from models.leases import wall

    engine = make_engine(url, pool_size=1)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.insert(AuditEntry.__table__).values(
                    at=wall(),
                    actor="cli",
                    action="restore",
                    target=file.name[:120],
                    details={"forced": force, "migration": revision},
                )
            )
    finally:
        engine.dispose()


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_cmd)
    app.command("restore")(restore_cmd)
