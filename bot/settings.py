"""Deployment settings and secrets, from `ENTRAIDE_*` environment variables and an optional `.env`.

The environment is passed in (Starlette's `config.py` shape), never read at import, so a test
hands a dict. An `ENTRAIDE_` variable we do not know is an error, not a silent no-op: a typo in
`ENTRAIDE_TWILIO_FORM` would otherwise leave SMS off without a word.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from models.config import ConfigError

PREFIX = "ENTRAIDE_"
DEFAULT_DATABASE_URL = "sqlite:///var/entraide.db"


class Settings(BaseSettings):
    """Everything that differs between a laptop trial and a deployment."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="forbid", frozen=True)

    database_url: str = DEFAULT_DATABASE_URL
    config: Path = Path("entraide.toml")
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    public_url: str | None = None
    trusted_proxies: str = "127.0.0.1"
    max_body_bytes: int = Field(65536, ge=1024)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    # `entraide backup` and the daily backup: where, and how many are kept (0: no daily one)
    backup_dir: Path = Path("var/backups")
    backup_keep: int = Field(14, ge=0, le=10000)
    # benchmarks only: `entraide run` writes a cProfile of each of its threads here at exit
    profile_dir: Path | None = None

    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_mode: Literal["polling", "webhook"] = "polling"
    telegram_webhook_secret: SecretStr | None = None
    # Telegram asks bots to stay near 30 messages a second overall (PTB's AIORateLimiter keeps
    # to it); raise it only for benchmarks against a fake Bot API, or with paid broadcasts.
    telegram_rate: float = Field(30.0, gt=0, le=1000)

    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_from: str | None = None
    twilio_api_url: str = "https://api.twilio.com"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Only what `from_env` passes in: the process environment is read there, once.
        return (init_settings,)

    @field_validator("public_url", "telegram_api_url", "twilio_api_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value

    @field_validator(
        "telegram_token", "telegram_webhook_secret", "twilio_auth_token", mode="before"
    )
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("twilio_account_sid", "twilio_from", "public_url", mode="before")
    @classmethod
    def _blank_str_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env"
    ) -> Settings:
        """Settings from `environ` (default: the process environment) over the `.env` file."""
        values: dict[str, str] = {}
        if env_file and Path(env_file).is_file():
            from dotenv import dotenv_values

            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        values.update(os.environ if environ is None else environ)
        fields = {k[len(PREFIX) :].lower(): v for k, v in values.items() if k.startswith(PREFIX)}
        unknown = sorted(k for k in fields if k not in cls.model_fields)
        if unknown:
            known = ", ".join(PREFIX + f.upper() for f in cls.model_fields)
            raise ConfigError(
                f"unknown setting {PREFIX}{unknown[0].upper()}; known settings: {known}"
            )
        try:
            return cls(**fields)
        except ValidationError as exc:
            raise ConfigError(_explain(exc, fields)) from None

    # --- what is switched on, and why not --------------------------------------------------
    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_token is not None

    @property
    def sms_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token and self.twilio_from)

    @property
    def voice_enabled(self) -> bool:
        """Phone calls use the same Twilio account; Twilio must reach our TwiML, hence the URL."""
        return bool(self.twilio_account_sid and self.twilio_auth_token and self.public_url)

    def channel_report(self) -> list[str]:
        """One line per channel: on, or off and why, for the start-up banner."""
        lines = []
        if self.telegram_enabled:
            lines.append(f"telegram: on ({self.telegram_mode}, Bot API {self.telegram_api_url})")
        else:
            lines.append("telegram: off (no ENTRAIDE_TELEGRAM_TOKEN)")
        if self.sms_enabled:
            lines.append(f"sms: on (from {self.twilio_from}, Twilio API {self.twilio_api_url})")
        else:
            missing = [
                PREFIX + name.upper()
                for name in ("twilio_account_sid", "twilio_auth_token", "twilio_from")
                if not getattr(self, name)
            ]
            lines.append(f"sms: off (no {', '.join(missing)})")
        if self.voice_enabled and (self.twilio_from or "").startswith("+"):
            lines.append(f"voice: on (webhook /voice/inbound; calls from {self.twilio_from})")
        elif self.voice_enabled:
            lines.append(
                "voice: on for calls in (webhook /voice/inbound); calls out need a phone number "
                "in ENTRAIDE_TWILIO_FROM"
            )
        else:
            lines.append(
                "voice: off (needs ENTRAIDE_TWILIO_ACCOUNT_SID, ENTRAIDE_TWILIO_AUTH_TOKEN and "
                "ENTRAIDE_PUBLIC_URL)"
            )
        lines.append("console: on (entraide chat --phone ..., entraide call --phone ...)")
        return lines

    def sqlite_path(self) -> Path | None:
        """The database file for an embedded SQLite URL, so its folder can be created."""
        if self.database_url.startswith("sqlite:///") and ":memory:" not in self.database_url:
            return Path(self.database_url.removeprefix("sqlite:///").split("?")[0])
        return None


def _explain(exc: ValidationError, given: Mapping[str, str]) -> str:
    err = exc.errors()[0]
    field = str(err["loc"][0]) if err["loc"] else "?"
    value = given.get(field, "")
    shown = "***" if any(s in field for s in ("token", "secret")) else value
    allowed = err["msg"]
    if err["type"] == "literal_error":
        allowed = "one of " + str(err.get("ctx", {}).get("expected", ""))
    return f"{PREFIX}{field.upper()}={shown!r}: {allowed}"
