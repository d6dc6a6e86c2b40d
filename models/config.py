"""The service itself, from a TOML file (`entraide.toml`): sites, catalogue, suppliers, visits.

Secrets stay in the environment (`bot.settings`); what a coordinator tunes lives here, checked on
load so that a wrong value stops the bot with one line naming the key, not a traceback at 18:30.
Typed and pure (parsing and validation only), so every layer can read it: the domain rules, the
conversation, the jobs and the wiring.
"""

from __future__ import annotations

import tomllib
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class ConfigError(Exception):
    """A wrong setting: the message names the key, the value and what is allowed."""


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Lang = Literal["fr", "en"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _hhmm(value: Any) -> Any:
    if isinstance(value, str):
        try:
            hour, minute = value.split(":")
            return time(int(hour), int(minute))
        except ValueError:
            raise ValueError("expected a time as HH:MM, for example 18:30") from None
    return value


HHMM = Annotated[time, Field(json_schema_extra={"format": "HH:MM"})]


class VoiceConfig(_Strict):
    """Phone calls at a site: how the bot sounds and how sure it must be of what it heard."""

    # Twilio <Say> voices and <Gather> speech languages, per tenant language.
    voices: dict[Lang, str] = Field(default_factory=lambda: {"fr": "Polly.Lea", "en": "Polly.Amy"})
    languages: dict[Lang, str] = Field(default_factory=lambda: {"fr": "fr-FR", "en": "en-GB"})
    # Below this, Twilio's transcription is asked again rather than acted on.
    min_confidence: float = Field(0.5, ge=0, le=1)
    # The longest message an unknown caller can leave after the tone.
    record_seconds: int = Field(60, ge=10, le=300)

    @field_validator("voices", "languages")
    @classmethod
    def _both_languages(cls, value: dict[str, str]) -> dict[str, str]:
        missing = {"fr", "en"} - set(value)
        if missing:
            raise ValueError(f"missing for language {', '.join(sorted(missing))}")
        return value


class SiteConfig(_Strict):
    """One residence: where, when deliveries happen and when the bot speaks."""

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    timezone: str = "Europe/Paris"
    language: Lang = "fr"
    delivery_weekdays: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat")
    order_cutoff: HHMM = time(17, 0)
    evening_send: HHMM = time(18, 30)
    morning_check: HHMM = time(10, 0)
    escalate_after_hours: int = Field(2, ge=0, le=12)
    quiet_start: HHMM = time(21, 0)
    quiet_end: HHMM = time(8, 0)
    remind_tenants: bool = False
    voice: VoiceConfig = VoiceConfig()
    # Answers to tenants' questions about the service, by topic (time, cost, days, items) and
    # language; a topic left out gets the catalogue's answer built from this configuration.
    faq: dict[Literal["time", "cost", "days", "items"], dict[Lang, str]] = Field(
        default_factory=dict
    )

    _times = field_validator(
        "order_cutoff", "evening_send", "morning_check", "quiet_start", "quiet_end", mode="before"
    )(_hhmm)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone; expected a name like Europe/Paris") from None
        return value

    @field_validator("delivery_weekdays")
    @classmethod
    def _some_days(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("at least one delivery weekday is needed")
        return tuple(sorted(set(value), key=WEEKDAYS.index))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def delivers_on(self, weekday: int) -> bool:
        """Whether deliveries happen on this weekday (Monday = 0)."""
        return WEEKDAYS[weekday] in self.delivery_weekdays


class ItemNames(_Strict):
    one: str
    other: str


class ItemConfig(_Strict):
    """A catalogue item: what tenants call it, how many at most, who supplies it, how heavy."""

    supplier: str
    max_per_delivery: int = Field(ge=1, le=50)
    weight: float = Field(1.0, gt=0)
    counts_as_pack: bool = False
    names: dict[Lang, ItemNames]
    synonyms: dict[Lang, tuple[str, ...]] = Field(default_factory=dict)

    @field_validator("names")
    @classmethod
    def _both_languages(cls, value: dict[str, ItemNames]) -> dict[str, ItemNames]:
        missing = {"fr", "en"} - set(value)
        if missing:
            raise ValueError(f"names missing for language {', '.join(sorted(missing))}")
        return value


class SupplierConfig(_Strict):
    name: str


class VisitConfig(_Strict):
    """Courtesy visits to isolated tenants."""

    rhythm_days: int = Field(7, ge=1, le=60)
    window_start: HHMM = time(14, 0)
    window_end: HHMM = time(17, 0)
    max_per_volunteer: int = Field(3, ge=1, le=20)

    _times = field_validator("window_start", "window_end", mode="before")(_hhmm)


class ServiceConfig(_Strict):
    """The whole `entraide.toml`."""

    objective: int = Field(1400, ge=1)
    draft_hours: int = Field(4, ge=1, le=48)
    retention_days: int = Field(90, ge=1, le=3650)
    sites: tuple[SiteConfig, ...]
    catalogue: dict[str, ItemConfig]
    suppliers: dict[str, SupplierConfig]
    visits: VisitConfig = VisitConfig()

    @model_validator(mode="after")
    def _references(self) -> ServiceConfig:
        slugs = [s.slug for s in self.sites]
        if len(set(slugs)) != len(slugs):
            raise ValueError("two sites have the same slug")
        for key, item in self.catalogue.items():
            if item.supplier not in self.suppliers:
                known = ", ".join(sorted(self.suppliers)) or "none"
                raise ValueError(
                    f"catalogue.{key}.supplier {item.supplier!r} is not a supplier (known: {known})"
                )
        if not self.sites:
            raise ValueError("at least one [[sites]] entry is needed")
        return self

    def site(self, slug: str | None = None) -> SiteConfig:
        """A site by slug, or the only/first one when none is named."""
        if slug is None:
            return self.sites[0]
        for site in self.sites:
            if site.slug == slug:
                return site
        known = ", ".join(s.slug for s in self.sites)
        raise ConfigError(f"unknown site {slug!r}; sites in the configuration: {known}")

    def item_name(self, key: str, lang: str, n: int) -> str:
        names = self.catalogue[key].names.get(lang) or self.catalogue[key].names["fr"]
        return names.one if n == 1 else names.other


def load_config(path: str | Path) -> ServiceConfig:
    """Read and check the TOML file; every problem becomes one ConfigError line."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            raw = tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such file; copy entraide.example.toml to {path} or set ENTRAIDE_CONFIG"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(raw, str(path))


def parse_config(raw: dict[str, Any], where: str = "entraide.toml") -> ServiceConfig:
    try:
        return ServiceConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{where}: {_explain(exc, raw)}") from None


def _explain(exc: ValidationError, raw: dict[str, Any]) -> str:
    err = exc.errors()[0]
    loc = err["loc"]
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    value: Any = raw
    for part in loc:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            value = None
            break
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        return f"{key}: unknown key (check its spelling)"
    if err["type"] == "missing":
        return f"{key}: missing"
    if err["type"] == "literal_error":
        msg = "allowed: " + str(err.get("ctx", {}).get("expected", ""))
    if key:
        return f"{key} = {value!r}: {msg}"
    return msg
