"""Apply and check the Alembic migrations from code (`entraide db upgrade`, tests, start-up)."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from sqlalchemy.engine import URL

from alembic import command

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str | URL) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    url_str = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
    cfg.set_main_option("sqlalchemy.url", url_str.replace("%", "%%"))
    cfg.attributes["quiet"] = True
    return cfg


def upgrade(url: str | URL, revision: str = "head") -> None:
    from models.db import normalise_url

    command.upgrade(alembic_config(normalise_url(url)), revision)


def current_revision(url: str | URL) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from models.db import make_engine

    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
