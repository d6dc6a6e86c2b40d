"""process leases: which process owes the answer of a message

After a kill -9, the answers of acknowledged Telegram updates waited ten minutes (a fixed grace,
so as never to overtake a live process still sending them). Each process now holds a lease it
renews every few seconds, and each message names the lease of the process that handled it: a
dead process's answers are taken over at once, a live one's never.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

import models.base
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "process_leases",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("beat_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_leases")),
    )
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handled_by", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_inbound_handled_by", ["handled_by"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_inbound_handled_by")
        batch_op.drop_column("handled_by")
    op.drop_table("process_leases")
