"""What every command needs, built once from settings: configuration, database, clock."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
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
    with database_errors(settings.database_url):
        have = current_revision(settings.database_url)
    want = head_revision()
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


def shown_url(url: str) -> str:
    """The database URL without its password, for an error line someone may paste in a chat."""
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


@contextlib.contextmanager
def database_errors(url: str) -> Iterator[None]:
    """A wrong or unreachable ENTRAIDE_DATABASE_URL as one `ConfigError` line (exit 2), not
    the 60 to 150 lines of a driver's traceback."""
    import sqlalchemy.exc as sa_exc

    setting = f"ENTRAIDE_DATABASE_URL={shown_url(url)!r}"
    try:
        yield
    except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, ModuleNotFoundError) as exc:
        raise ConfigError(
            f"{setting}: not a database URL this program can use ({first_line(exc)}); "
            "expected sqlite:///path/to/file.db or postgresql://user@host/database"
        ) from None
    except (sa_exc.DBAPIError, OSError) as exc:
        cause = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc
        raise ConfigError(
            f"{setting}: cannot open the database ({first_line(cause)}); "
            "is the server running and the address right? `entraide doctor` checks everything"
        ) from None


def first_line(exc: BaseException) -> str:
    """The gist of an error, for a one-line message."""
    lines = str(exc).strip().splitlines()
    return (lines[0] if lines else type(exc).__name__)[:160]
