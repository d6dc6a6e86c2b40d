"""Personal data: erase it (right to erasure), hand it over (right of access), and stop
keeping raw texts longer than needed (retention).

Erasure anonymises rather than deletes where the service's figures depend on a row: an order
stays as "one tenant of this site got 2 loaves on 25 November" with no name, no address, no
text. Every table that can hold something about the person is listed here; scheduled jobs
carry only site slugs, and logs mask numbers, so neither needs erasing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.alerts import Alert
from models.audit import AuditEntry
from models.base import OrderStatus, OutboxStatus
from models.conversation import ConversationState
from models.erasure import mentions, scrub, traces_of
from models.messages import InboundMessage, OutboxMessage
from models.orders import Order, Pause, StandingOrder
from models.people import LinkCode, Person, VolunteerAbsence
from models.rounds import Round, Stop
from models.traces import ERASED
from models.visits import Visit

__all__ = ["ERASED", "erase", "export", "purge_texts"]
PURGED_PAYLOAD = '{"text": ""}'  # how an emptied outbox payload is stored (JSON text)


def erase(
    session: Session, person: Person, now: datetime, spelled: list[str] | None = None
) -> dict[str, int]:
    """Anonymise one person everywhere, their own rows and what others' rows say of them
    (`models.erasure`); counts of what was touched, for the audit line. `spelled`: how the
    conversation writes their flat, found in others' messages too."""
    pid = person.id
    counts: dict[str, int] = {}
    traces = traces_of(session, person, spelled)
    # The message being handled right now is written at the end of this unit of work.
    session.info.setdefault("erased_addresses", set()).update(_addresses(person))

    def done(name: str, result: Any) -> None:
        counts[name] = int(getattr(result, "rowcount", 0) or 0)

    done(
        "inbound",
        session.execute(
            sa.update(InboundMessage)
            .where(
                sa.or_(
                    InboundMessage.person_id == pid,
                    *([InboundMessage.address == a for a in _addresses(person)]),
                )
            )
            .values(text=None, payload=None, reply=None, address="erased", person_id=None)
        ),
    )
    done(
        "outbox_cancelled",
        session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.person_id == pid, OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.CANCELLED, last_error="recipient erased")
        ),
    )
    done(
        "outbox",
        session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.person_id == pid)
            .values(payload={"text": ERASED}, address="erased", person_id=None)
        ),
    )
    done(
        "orders",
        session.execute(sa.update(Order).where(Order.person_id == pid).values(raw_text=None)),
    )
    done(  # nothing more is carried to someone who asked to be forgotten; the rows stay counted
        "orders_cancelled",
        session.execute(
            sa.update(Order)
            .where(
                Order.person_id == pid,
                Order.delivery_date >= now.date(),
                Order.status.in_((OrderStatus.PENDING, OrderStatus.PLANNED)),
            )
            .values(status=OrderStatus.CANCELLED, updated_at=now)
        ),
    )
    done(
        "standing_orders",
        session.execute(sa.delete(StandingOrder).where(StandingOrder.person_id == pid)),
    )
    done("pauses", session.execute(sa.delete(Pause).where(Pause.person_id == pid)))
    done(
        "absences",
        session.execute(sa.delete(VolunteerAbsence).where(VolunteerAbsence.person_id == pid)),
    )
    done(
        "visits",
        session.execute(
            sa.update(Visit).where(Visit.tenant_id == pid).values(remark=None, wellbeing=None)
        ),
    )
    done(
        "states",
        session.execute(
            sa.delete(ConversationState).where(
                sa.or_(
                    ConversationState.person_id == pid,
                    ConversationState.key.in_(
                        [f"sms:{a}" for a in _addresses(person)]
                        + [f"telegram:{a}" for a in _addresses(person)]
                    ),
                )
            )
        ),
    )
    done("link_codes", session.execute(sa.delete(LinkCode).where(LinkCode.person_id == pid)))
    for entry in session.scalars(
        sa.select(AuditEntry).where(
            sa.or_(AuditEntry.actor_id == pid, AuditEntry.target == f"person:{pid}")
        )
    ):
        entry.details = {
            k: (ERASED if k in ("name", "phone", "text") else v) for k, v in entry.details.items()
        }
        if entry.actor_id == pid:
            entry.actor = ERASED
    person.name, person.phone, person.telegram_id = ERASED, None, None
    person.supplier_key, person.sms_error = None, None
    person.erased_at = now
    if person.tenant is not None:
        t = person.tenant
        t.building, t.entrance, t.floor, t.apartment, t.address_text = "", None, None, None, None
        t.reduced_mobility = t.isolated = t.elderly = t.ill = t.bread_bag = False
        t.consent_on, t.notes, t.time_need, t.visit_rhythm_days = None, "", None, None
    session.flush()
    counts.update(scrub(session, traces, pid))
    return counts


def _addresses(person: Person) -> list[str]:
    return [a for a in (person.phone, str(person.telegram_id) if person.telegram_id else None) if a]


def export(session: Session, person: Person, spelled: list[str] | None = None) -> dict[str, Any]:
    """Everything stored about a person, as plain JSON-ready data (right of access): their
    own rows, and what other people's rows say of them (what erasure would reach)."""
    pid = person.id

    def rows(model: Any, *where: Any, order: Any = None) -> list[dict[str, Any]]:
        q = sa.select(model).where(*where)
        if order is not None:
            q = q.order_by(order)
        return [_plain(r) for r in session.scalars(q)]

    orders = []
    for order in session.scalars(
        sa.select(Order).where(Order.person_id == pid).order_by(Order.delivery_date)
    ):
        data = _plain(order)
        data["items"] = order.items
        orders.append(data)
    return {
        "person": _plain(person),
        "tenant_profile": _plain(person.tenant) if person.tenant else None,
        "volunteer_profile": _plain(person.volunteer) if person.volunteer else None,
        "orders": orders,
        "standing_orders": rows(
            StandingOrder, StandingOrder.person_id == pid, order=StandingOrder.id
        ),
        "pauses": rows(Pause, Pause.person_id == pid, order=Pause.start_on),
        "visits": rows(Visit, Visit.tenant_id == pid, order=Visit.id),
        "volunteer_absences": rows(VolunteerAbsence, VolunteerAbsence.person_id == pid),
        "rounds_as_volunteer": rows(Round, Round.volunteer_id == pid, order=Round.delivery_date),
        "stops_delivered_to_them": [
            _plain(s)
            for s in session.scalars(
                sa.select(Stop).join(Order, Order.id == Stop.order_id).where(Order.person_id == pid)
            )
        ],
        "messages_received_from_them": rows(
            InboundMessage,
            sa.or_(InboundMessage.person_id == pid, InboundMessage.address.in_(_addresses(person))),
            order=InboundMessage.id,
        ),
        "messages_sent_to_them": rows(
            OutboxMessage, OutboxMessage.person_id == pid, order=OutboxMessage.id
        ),
        "conversation_state": rows(ConversationState, ConversationState.person_id == pid),
        "alerts_about_them": rows(Alert, Alert.person_id == pid, order=Alert.id),
        "audit_entries": rows(
            AuditEntry,
            sa.or_(AuditEntry.actor_id == pid, AuditEntry.target == f"person:{pid}"),
            order=AuditEntry.id,
        ),
        "mentioned_in_others_rows": mentions(session, traces_of(session, person, spelled), pid),
    }


def _plain(row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        if isinstance(value, datetime | date | time):  # a visit's window is a time of day
            value = value.isoformat()
        elif hasattr(value, "value"):
            value = value.value
        out[column.key] = value
    return out


def purge_texts(session: Session, now: datetime, retention_days: int) -> dict[str, int]:
    """Raw message texts older than the retention: emptied. Counts and orders stay. Alerts
    marked done that long ago go (they quote the tenant); open ones stay until seen."""
    cutoff = now - timedelta(days=retention_days)
    inbound = session.execute(
        sa.update(InboundMessage)
        .where(InboundMessage.received_at < cutoff, InboundMessage.text.is_not(None))
        .values(text=None, payload=None, reply=None)
    ).rowcount
    outbox = session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.created_at < cutoff,
            OutboxMessage.status != OutboxStatus.PENDING,
            sa.cast(OutboxMessage.payload, sa.Text) != PURGED_PAYLOAD,
        )
        .values(payload={"text": ""})
        .execution_options(synchronize_session=False)
    ).rowcount
    orders = session.execute(
        sa.update(Order)
        .where(Order.created_at < cutoff, Order.raw_text.is_not(None))
        .values(raw_text=None)
    ).rowcount
    alerts = session.execute(
        sa.delete(Alert).where(Alert.seen_at.is_not(None), Alert.created_at < cutoff)
    ).rowcount
    return {
        "inbound": inbound or 0,
        "outbox": outbox or 0,
        "orders": orders or 0,
        "alerts": alerts or 0,
    }
