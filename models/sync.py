"""Mirror entraide.toml's sites and catalogue into their tables (idempotent, at every start)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.catalogue import Item
from models.clock import Clock
from models.config import ServiceConfig
from models.site import Site


def sync_config(session: Session, config: ServiceConfig, clock: Clock) -> dict[str, int]:
    """Create or update one row per configured site and item; returns site ids by slug."""
    sites = {s.slug: s for s in session.scalars(sa.select(Site))}
    for conf in config.sites:
        row = sites.get(conf.slug)
        if row is None:
            row = Site(slug=conf.slug, created_at=clock.now())
            session.add(row)
            sites[conf.slug] = row
        row.name, row.timezone = conf.name, conf.timezone
    items = {i.key: i for i in session.scalars(sa.select(Item))}
    for key, conf in config.catalogue.items():
        item = items.get(key) or Item(key=key)
        item.supplier_key = conf.supplier
        item.max_per_delivery = conf.max_per_delivery
        item.weight = conf.weight
        item.counts_as_pack = conf.counts_as_pack
        session.add(item)
    session.flush()
    return {slug: row.id for slug, row in sites.items()}
