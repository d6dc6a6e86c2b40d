"""Catalogue items, mirrored from entraide.toml so order lines can reference them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Item(Base):
    __tablename__ = "items"

    key: Mapped[str] = mapped_column(sa.String(24), primary_key=True)
    supplier_key: Mapped[str] = mapped_column(sa.String(40))
    max_per_delivery: Mapped[int]
    weight: Mapped[float] = mapped_column(sa.Float)
    counts_as_pack: Mapped[bool] = mapped_column(default=False)
