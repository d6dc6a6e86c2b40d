"""Month-level rollups of the daily totals (models/month_totals.py)

- month_totals, month_item_totals, month_volunteer_stops: per site and whole settled month;
- tenant_years: per site, tenant and year, the months delivered (a bit set).
- The watermarks and daily tables are emptied, as 0008 did: the next settle (`entraide db
  upgrade` does it, or the scheduler's daily job) sums the history again into both levels, so
  they agree. Until then every figure is read live from the orders: right, only slower.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-09 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _site(table: str) -> sa.Column:
    fk = sa.ForeignKey("sites.id", name=f"fk_{table}_site_id_sites")
    return sa.Column("site_id", sa.Integer(), fk, nullable=False)


def _person(table: str, name: str) -> sa.Column:
    fk = sa.ForeignKey("people.id", name=f"fk_{table}_{name}_people", ondelete="CASCADE")
    return sa.Column(name, sa.Integer(), fk, nullable=False)


def upgrade() -> None:
    op.create_table(
        "month_totals",
        _site("month_totals"),
        sa.Column("ym", sa.Integer(), nullable=False),
        sa.Column("delivered", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("cancelled", sa.Integer(), nullable=False),
        sa.Column("tenants", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("site_id", "ym", name=op.f("pk_month_totals")),
    )
    op.create_table(
        "month_item_totals",
        _site("month_item_totals"),
        sa.Column("ym", sa.Integer(), nullable=False),
        sa.Column(
            "item_key",
            sa.String(length=24),
            sa.ForeignKey("items.key", name="fk_month_item_totals_item_key_items"),
            nullable=False,
        ),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("site_id", "ym", "item_key", name=op.f("pk_month_item_totals")),
    )
    op.create_table(
        "month_volunteer_stops",
        _site("month_volunteer_stops"),
        sa.Column("ym", sa.Integer(), nullable=False),
        _person("month_volunteer_stops", "volunteer_id"),
        sa.Column("stops", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "site_id", "ym", "volunteer_id", name=op.f("pk_month_volunteer_stops")
        ),
    )
    op.create_table(
        "tenant_years",
        _site("tenant_years"),
        sa.Column("year", sa.Integer(), nullable=False),
        _person("tenant_years", "person_id"),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("site_id", "year", "person_id", name=op.f("pk_tenant_years")),
    )
    for table in ("daily_item_totals", "daily_order_totals", "daily_volunteer_stops"):
        op.execute(f"DELETE FROM {table}")
    op.execute("DELETE FROM tenant_months")
    op.execute("DELETE FROM daily_totals_settled")


def downgrade() -> None:
    for table in ("tenant_years", "month_volunteer_stops", "month_item_totals", "month_totals"):
        op.drop_table(table)
