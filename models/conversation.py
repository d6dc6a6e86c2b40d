"""Conversation state: the pending question or draft of one correspondent, kept in the database.

Keyed by the correspondent's address (`sms:+336…`, `telegram:123`) so that a newcomer who is
not yet a person can be mid-registration; a restart mid-conversation loses nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class ConversationState(Base):
    __tablename__ = "conversation_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(32))
    data: Mapped[dict[str, Any]]
    expires_at: Mapped[datetime]
    updated_at: Mapped[datetime]
