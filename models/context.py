"""What the core needs besides the message: configuration, the clock, reachable channels."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from models.clock import Clock
from models.config import ServiceConfig, SiteConfig


@dataclass
class Context:
    config: ServiceConfig
    clock: Clock
    site_ids: dict[str, int]
    channels: frozenset[str] = field(default_factory=frozenset)  # those that can send now
    # this process's lease (models/leases.py), written on each message it handles; None in
    # commands that answer nothing after an acknowledgement (the console, the CLI)
    process: str | None = None

    @cached_property
    def _slugs(self) -> dict[int, str]:
        return {v: k for k, v in self.site_ids.items()}

    def site(self, site_id: int | None) -> SiteConfig:
        """The configuration of a site by database id (the first site when unknown)."""
        return self.config.site(self._slugs.get(site_id)) if site_id else self.config.sites[0]

    def now(self) -> datetime:
        return self.clock.now()

    def local_now(self, site: SiteConfig) -> datetime:
        return self.clock.now().astimezone(site.zone)

    def today(self, site: SiteConfig) -> date:
        return self.local_now(site).date()

    @property
    def draft_ttl(self) -> timedelta:
        return timedelta(hours=self.config.draft_hours)

    @cached_property
    def item_names(self) -> dict[str, dict[str, tuple[str, str]]]:
        return {
            key: {lang: (n.one, n.other) for lang, n in item.names.items()}
            for key, item in self.config.catalogue.items()
        }
