"""people: the channel through which the service reaches a person first

Tenants with a landline only are reached by a phone call, and a coordinator can say which
channel someone prefers; until now the channel was inferred from how they last wrote.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("preferred_channel", sa.String(length=24), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("preferred_channel")
