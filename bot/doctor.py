"""`entraide doctor`: every way a deployment has failed, checked in one command a volunteer
can read, in the site's language, one line per check saying what to do.

The checks run in order and each is independent: a wrong token does not hide a stopped
scheduler. Nothing here changes anything (the webhook is set by `entraide webhook set`, never
by the doctor). Local checks (database, scheduler, outbox, disk) live in `bot/doctor_local.py`,
the providers' (Telegram, Twilio, the public address) in `bot/doctor_remote.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.settings import Settings
from handlers.texts import t
from models.clock import Clock, SystemClock
from models.config import ConfigError, ServiceConfig, load_config


class Status(StrEnum):
    OK = "ok"
    INFO = "info"  # nothing to do: a channel switched off on purpose, a figure
    WARN = "warn"  # works, but worth a look
    FAIL = "fail"  # something users will notice: exit 1


@dataclass(frozen=True)
class Check:
    """One line of the report: a catalogue key under `doctor.` and its parameters."""

    status: Status
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def line(self, lang: str) -> str:
        label = t(lang, f"doctor.label.{self.status.value}")
        return f"{label:<9} {t(lang, f'doctor.{self.key}', **self.params)}"


def ok(key: str, **params: Any) -> Check:
    return Check(Status.OK, key, params)


def info(key: str, **params: Any) -> Check:
    return Check(Status.INFO, key, params)


def warn(key: str, **params: Any) -> Check:
    return Check(Status.WARN, key, params)


def fail(key: str, **params: Any) -> Check:
    return Check(Status.FAIL, key, params)


@dataclass
class Report:
    checks: list[Check]
    lang: str

    @property
    def failed(self) -> int:
        return sum(c.status is Status.FAIL for c in self.checks)

    def lines(self) -> list[str]:
        out = [c.line(self.lang) for c in self.checks]
        if self.failed:
            out.append(t(self.lang, "doctor.summary_fail", n=self.failed))
        else:
            out.append(t(self.lang, "doctor.summary_ok"))
        return out


async def diagnose(
    environ: Mapping[str, str] | None = None,
    *,
    env_file: str | Path | None = ".env",
    clock: Clock | None = None,
    lang: str | None = None,
) -> Report:
    """Every check, in the order a volunteer would fix things."""
    from bot.doctor_local import database_checks, disk_checks
    from bot.doctor_remote import public_url_checks, sms_checks, telegram_checks

    clock = clock or SystemClock()
    try:
        settings = Settings.from_env(environ, env_file)
    except ConfigError as exc:
        where = "/etc/entraide/entraide.env (or .env)"
        return Report([fail("config_bad", error=str(exc), where=where)], lang or "fr")
    config: ServiceConfig | None
    checks: list[Check] = []
    try:
        config = load_config(settings.config)
        sites = ", ".join(s.slug for s in config.sites)
        checks.append(ok("config_ok", path=str(settings.config), n=len(config.sites), sites=sites))
    except ConfigError as exc:
        config = None
        checks.append(fail("config_bad", error=str(exc), where=str(settings.config)))
    language = lang or (config.sites[0].language if config is not None else "fr")
    checks += await database_checks(settings, config, clock, language)
    checks += await telegram_checks(settings)
    checks += await sms_checks(settings)
    checks += await public_url_checks(settings)
    checks += disk_checks(settings, language)
    return Report(checks, language)
