"""heartbeats: the scheduler process says it is alive every 30 seconds

`/readyz`, `entraide doctor` and the worker supervisor read it: the web side can answer while
the process that sends the evening rounds and the outbox has stopped.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

import models.base
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "heartbeats",
        sa.Column("process", sa.String(length=64), nullable=False),
        sa.Column("beat_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("process", name=op.f("pk_heartbeats")),
    )


def downgrade() -> None:
    op.drop_table("heartbeats")
