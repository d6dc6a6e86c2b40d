"""outbox: when the provider call began

A row found `sending` after a crash was taken for "in doubt" as soon as it was claimed, though
most such rows were still waiting their turn (a batch is claimed at once, then paced): for
Telegram, which cannot be asked, they were counted as sent and never arrived. `started_at` is
set just before the call; a stale row without it is simply sent again.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 23:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

import models.base
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("started_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("started_at")
