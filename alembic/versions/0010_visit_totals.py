"""Visits summed like the deliveries (models/daily_totals.py, models/month_totals.py)

- daily_visit_totals, month_visit_totals: visits done, with nobody home and missed, per site,
  day (or whole month) and volunteer (0: none);
- daily_totals_settled.visits_through: the visits' own watermark. A visit can still change
  after its day (the morning check marks a planned one missed), so a site's visits are settled
  only up to the day before its first visit still planned; NULL until the next settle
  (`entraide db upgrade` or the scheduler's daily job) sums them, and until then /stats reads
  the visits live: right, only slower.
- Every summary and watermark is emptied, as 0008 and 0009 did: a month settled a day at a
  time was never rolled up (fixed in `settle`), so month rows may be missing; the next settle
  sums the history again into every level, so they agree.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _counts() -> list[sa.Column]:
    return [
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("nobody", sa.Integer(), nullable=False),
        sa.Column("missed", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "daily_visit_totals",
        sa.Column(
            "site_id",
            sa.Integer(),
            sa.ForeignKey("sites.id", name="fk_daily_visit_totals_site_id_sites"),
            nullable=False,
        ),
        sa.Column("day", sa.Date(), nullable=False),
        *_counts(),
        sa.PrimaryKeyConstraint("site_id", "day", "volunteer_id", name=op.f("pk_daily_visit_totals")),
    )
    op.create_table(
        "month_visit_totals",
        sa.Column(
            "site_id",
            sa.Integer(),
            sa.ForeignKey("sites.id", name="fk_month_visit_totals_site_id_sites"),
            nullable=False,
        ),
        sa.Column("ym", sa.Integer(), nullable=False),
        *_counts(),
        sa.PrimaryKeyConstraint("site_id", "ym", "volunteer_id", name=op.f("pk_month_visit_totals")),
    )
    op.add_column("daily_totals_settled", sa.Column("visits_through", sa.Date(), nullable=True))
    for table in (
        "daily_item_totals",
        "daily_order_totals",
        "daily_volunteer_stops",
        "tenant_months",
        "month_totals",
        "month_item_totals",
        "month_volunteer_stops",
        "tenant_years",
        "daily_totals_settled",
    ):
        op.execute(f"DELETE FROM {table}")


def downgrade() -> None:
    with op.batch_alter_table("daily_totals_settled") as batch:
        batch.drop_column("visits_through")
    op.drop_table("month_visit_totals")
    op.drop_table("daily_visit_totals")
