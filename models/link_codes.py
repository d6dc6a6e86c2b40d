"""One-time codes that link a Telegram account to a person: `entraide people code PHONE`.

The coordinator hands the code over (on paper, by phone); the tenant types `/start CODE` to the
bot, and `handlers.registration` links the account. Eight characters from an alphabet without
look-alikes (no 0/O, 1/I/L), valid seven days, used once.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from models.people import LinkCode, Person

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8
LIFETIME = timedelta(days=7)


def issue(session: Session, person: Person, now: datetime) -> LinkCode:
    """A fresh code for `person` (earlier unused codes stay valid until they expire)."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if session.get(LinkCode, code) is None:
            break
    row = LinkCode(code=code, person_id=person.id, created_at=now, expires_at=now + LIFETIME)
    session.add(row)
    session.flush()
    return row
