"""What every command needs, built once from settings: configuration, database, clock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.settings import Settings
from models.clock import Clock, SystemClock
from models.config import ConfigError, ServiceConfig, load_config
from models.db import Database


@dataclass
class Runtime:
    settings: Settings
    config: ServiceConfig
    db: Database
    clock: Clock = field(default_factory=SystemClock)
    site_ids: dict[str, int] = field(default_factory=dict)

    def site_id(self, slug: str | None = None) -> int:
        return self.site_ids[self.config.site(slug).slug]

    def close(self) -> None:
        self.db.dispose()


def open_runtime(
    settings: Settings | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    clock: Clock | None = None,
    config: ServiceConfig | None = None,
) -> Runtime:
    """Load settings and configuration, check the schema is current, mirror the config."""
    from bot.private_files import restrict_database
    from models.migrate import current_revision, head_revision
    from models.sync import sync_config

    settings = settings or Settings.from_env(environ)
    config = config or load_config(settings.config)
    have, want = current_revision(settings.database_url), head_revision()
    if have != want:
        raise ConfigError(
            f"the database is at migration {have or 'none (empty)'}, this version needs {want}: "
            "run `entraide db upgrade`"
        )
    restrict_database(settings.database_url)  # one made 0644 by an older version
    db = Database(settings.database_url)
    rt = Runtime(settings=settings, config=config, db=db, clock=clock or SystemClock())
    with db.transaction() as session:
        rt.site_ids = sync_config(session, config, rt.clock)
    return rt
