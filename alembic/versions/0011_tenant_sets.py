"""The tenants delivered per site and settled day, and per whole month, as sets of person ids
(models/tenant_sets.py)

- daily_tenant_sets, month_tenant_sets: per site, day (or whole month) and chunk of 1,024
  person ids, the tenants delivered, as a bit string (PostgreSQL's BIT(1024)): PostgreSQL's
  /stats counts the distinct tenants of a period as the OR of a few hundred of them instead of
  a union of thousands of tenant rows. Written on PostgreSQL only (SQLite has no bit strings:
  its tables stay empty and it counts from tenant_months and tenant_years).
- The primary keys of the daily and monthly summaries /stats reads carry their counts
  (PostgreSQL's INCLUDE): a range of days or months is then read from the index alone, without
  visiting the table's pages (SQLite's keys are unchanged).
- Every summary and watermark is emptied, as 0008-0010 did, so that the next settle (`entraide
  db upgrade` does it, or the scheduler's daily job) sums the history again into every table
  and they agree on the settled days. Until then every figure is read live: right, only slower.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-09 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SET_TYPE = sa.LargeBinary().with_variant(postgresql.BIT(1024), "postgresql")
# (table, key, the columns its primary key carries on PostgreSQL)
COVERED = [
    ("daily_item_totals", "site_id, day, item_key", "quantity"),
    ("daily_order_totals", "site_id, day", "delivered, failed, cancelled"),
    ("daily_volunteer_stops", "site_id, day, volunteer_id", "stops"),
    ("daily_visit_totals", "site_id, day, volunteer_id", "done, nobody, missed"),
    ("month_totals", "site_id, ym", "delivered, failed, cancelled, tenants"),
    ("month_item_totals", "site_id, ym, item_key", "quantity"),
    ("month_volunteer_stops", "site_id, ym, volunteer_id", "stops"),
    ("month_visit_totals", "site_id, ym, volunteer_id", "done, nobody, missed"),
]
SUMMARIES = (
    "daily_item_totals",
    "daily_order_totals",
    "daily_volunteer_stops",
    "tenant_months",
    "month_totals",
    "month_item_totals",
    "month_volunteer_stops",
    "tenant_years",
    "daily_visit_totals",
    "month_visit_totals",
    "daily_totals_settled",
)


def _create(table: str, when: sa.Column) -> None:
    op.create_table(
        table,
        sa.Column(
            "site_id",
            sa.Integer(),
            sa.ForeignKey("sites.id", name=f"fk_{table}_site_id_sites"),
            nullable=False,
        ),
        when,
        sa.Column("chunk", sa.Integer(), nullable=False),
        sa.Column("persons", SET_TYPE, nullable=False),
        sa.PrimaryKeyConstraint(
            "site_id", when.name, "chunk", name=f"pk_{table}", postgresql_include=["persons"]
        ),
    )


def _keys(include: bool) -> None:
    """The summaries' primary keys with (or without) their counts, on PostgreSQL."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, key, counts in COVERED:
        carried = f" INCLUDE ({counts})" if include else ""
        op.execute(
            f"ALTER TABLE {table} DROP CONSTRAINT pk_{table}, "
            f"ADD CONSTRAINT pk_{table} PRIMARY KEY ({key}){carried}"
        )


def upgrade() -> None:
    _create("daily_tenant_sets", sa.Column("day", sa.Date(), nullable=False))
    _create("month_tenant_sets", sa.Column("ym", sa.Integer(), nullable=False))
    for table in SUMMARIES:
        op.execute(f"DELETE FROM {table}")
    _keys(include=True)


def downgrade() -> None:
    _keys(include=False)
    op.drop_table("month_tenant_sets")
    op.drop_table("daily_tenant_sets")
