"""`entraide backup` and `entraide restore`: what the volunteer who looks after the server runs
(the README's "Backups" section). The work is in `models.backup`; the daily copy is the
scheduler's (`scheduler.backups`).

Neither command opens the runtime: a backup is taken of whatever schema the database is at
(before an upgrade, that is the point), and a restore goes into a database that may not exist
yet.

Imports stay inside the commands, as in bot/cli.py: `entraide parse` must start fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bot.settings import Settings
    from models.backup import BackupPlan


def plan(settings: Settings) -> BackupPlan | None:
    """The daily backup's plan, or None when ENTRAIDE_BACKUP_KEEP=0 turns it off."""
    from models.backup import BackupPlan

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
    from bot.settings import Settings
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
    import sqlalchemy as sa

    from bot.settings import Settings
    from models.backup import BackupError, erased, not_erased, restore
    from models.migrate import current_revision, head_revision

    settings = Settings.from_env()
    url = settings.database_url
    try:
        # who the database being replaced had erased: an older copy still holds them
        gone = erased(url) if force else set()
        restore(url, file, force=force)
    except BackupError as exc:
        raise _failed(str(exc)) from None
    except sa.exc.OperationalError as exc:
        raise _failed(f"the database does not answer ({exc.orig})") from None
    have, want = current_revision(url), head_revision()
    back = not_erased(url, gone)
    _audit(url, file, force, have)
    typer.echo(f"restored {file} (database at migration {have})")
    if have != want:
        typer.echo(f"this version needs migration {want}: run `entraide db upgrade`")
    if back:
        ids = " ".join(str(i) for i in back)
        typer.echo(
            f"WARNING: {len(back)} person(s) erased after this backup was made are in it again: "
            f"erase them again (GDPR): entraide people forget ID --yes, for ID in {ids}"
        )


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
