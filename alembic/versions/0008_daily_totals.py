"""/stats from daily totals: orders, volunteers' stops and tenants per settled day

- daily_order_totals: orders delivered, failed and cancelled per site and settled day.
- daily_volunteer_stops: stops each volunteer reported per site and settled day.
- tenant_months: per site, month and tenant, the settled days delivered (a bit set), so that
  the distinct tenants of a period are counted without reading its orders.
- visits (site_id, visit_date, status, volunteer_id) replaces (site_id, visit_date): /stats
  counts visits and visitors from the index alone.
- The watermarks and daily_item_totals are emptied: the next settle (the next /stats, or the
  weekly job) sums every table from the orders again, so all four agree on the settled days.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "daily_order_totals",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("delivered", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("cancelled", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_daily_order_totals_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("site_id", "day", name=op.f("pk_daily_order_totals")),
    )
    op.create_table(
        "daily_volunteer_stops",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("stops", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_daily_volunteer_stops_site_id_sites")
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["people.id"],
            name=op.f("fk_daily_volunteer_stops_volunteer_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "site_id", "day", "volunteer_id", name=op.f("pk_daily_volunteer_stops")
        ),
    )
    op.create_table(
        "tenant_months",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("ym", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_tenant_months_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_tenant_months_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("site_id", "ym", "person_id", name=op.f("pk_tenant_months")),
    )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index(
            "ix_visits_site_date_status",
            ["site_id", "visit_date", "status", "volunteer_id"],
            unique=False,
        )
        batch_op.drop_index("ix_visits_site_date")
    op.execute("DELETE FROM daily_item_totals")
    op.execute("DELETE FROM daily_totals_settled")


def downgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index("ix_visits_site_date", ["site_id", "visit_date"], unique=False)
        batch_op.drop_index("ix_visits_site_date_status")
    op.drop_table("tenant_months")
    op.drop_table("daily_volunteer_stops")
    op.drop_table("daily_order_totals")
