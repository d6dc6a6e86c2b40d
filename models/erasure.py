"""Finding a person in rows that are not theirs, and taking them out.

`models.privacy.erase` empties the person's own rows, which foreign keys point at. What other
people's rows say about them has no foreign key: a coordinator's stored `/locataire` answer,
a volunteer's round and visit report, a question forwarded with the tenant's own words, an
outbox key holding the number. Those are found by their text (`models.traces`) and:
- an inbound message that mentions the person loses its text, payload and stored answer
  (the row stays: it counts, and it keeps a retried webhook from being acted on twice);
- a message already sent, or a coordinator's alert still waiting, is emptied (the alert
  is cancelled: an erased person needs no follow-up), and an alert row (`/alertes`) about
  them or quoting them is deleted; a volunteer's or supplier's message
  still waiting keeps its other stops, with the person's traces replaced by "(effacé)";
- anything else (audit details, a closure's reason, notes, a job's detail, an order's text)
  has each trace replaced; a conversation state that mentions them is dropped.
The same search serves the right of access (`mentions`): what erasure would reach is what
the person is shown.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.alerts import Alert
from models.audit import AuditEntry
from models.base import OutboxStatus
from models.conversation import ConversationState
from models.jobs import JobRun
from models.messages import InboundMessage, OutboxMessage
from models.orders import Order
from models.people import Person, TenantProfile
from models.site import Closure
from models.traces import ERASED, Traces, name_forms, quote_forms
from models.visits import Visit

# Columns whose traces are replaced in place (model, primary key, text columns).
REDACTED_COLUMNS: list[tuple[Any, list[str]]] = [
    (AuditEntry, ["actor", "target", "details"]),
    (Closure, ["reason"]),
    (JobRun, ["detail"]),
    (Order, ["raw_text"]),
    (TenantProfile, ["notes", "time_need", "address_text"]),
    (Visit, ["remark"]),
]
HELD_BACK = ("round", "supplier", "notice")  # waiting messages that must still leave


def traces_of(session: Session, person: Person, extra: list[str] | None = None) -> Traces:
    """Everything that points at the person, gathered before their own rows are emptied.

    `extra` holds what only the conversation layer can spell (the flat as volunteers read
    it, "bât. C, 3e étage, apt 12", in each language)."""
    traces = Traces()
    traces.add_phone(person.phone)
    if person.telegram_id:
        traces.ids.append(str(person.telegram_id))
    words: list[str | None] = [*name_forms(person.name), *(extra or [])]
    if person.tenant is not None:
        p = person.tenant
        words += [p.address_text, p.notes, p.time_need]
    for text in session.scalars(
        sa.select(InboundMessage.text).where(
            sa.or_(InboundMessage.person_id == person.id, _from(person)),
            InboundMessage.text.is_not(None),
        )
    ):
        words += quote_forms(text)
    for text in session.scalars(
        sa.select(Order.raw_text).where(Order.person_id == person.id, Order.raw_text.is_not(None))
    ):
        words += quote_forms(text)
    for remark in session.scalars(
        sa.select(Visit.remark).where(Visit.tenant_id == person.id, Visit.remark.is_not(None))
    ):
        words += quote_forms(remark) or [remark]
    traces.add_words(w for w in words if w and w != ERASED)
    return traces


def _from(person: Person) -> Any:
    addresses = [a for a in (person.phone, str(person.telegram_id or "")) if a]
    return InboundMessage.address.in_(addresses) if addresses else sa.false()


def scrub(session: Session, traces: Traces, pid: int) -> dict[str, int]:
    """Take the person out of every row that is not theirs; counts per kind of row."""
    counts = {"inbound_mentions": 0, "outbox_mentions": 0, "states_mentions": 0, "other": 0}
    for row in _rows(session, InboundMessage, InboundMessage.person_id.is_distinct_from(pid)):
        if any(traces.found_in(v) for v in (row.text, row.payload, row.reply)):
            row.text, row.payload, row.reply = None, None, None
            counts["inbound_mentions"] += 1
    for row in _rows(session, OutboxMessage):
        if _scrub_outbox(row, traces):
            counts["outbox_mentions"] += 1
    for alert in _rows(session, Alert):
        if alert.person_id == pid or any(
            traces.found_in(v) for v in (alert.params, alert.address, alert.dedupe_key)
        ):
            session.delete(alert)
            counts["other"] += 1
    for state in _rows(session, ConversationState):
        if state.person_id == pid or traces.found_in(state.data) or traces.found(state.key):
            session.delete(state)
            counts["states_mentions"] += 1
    for model, columns in REDACTED_COLUMNS:
        for row in _rows(session, model):
            for column in columns:
                value = getattr(row, column)
                if value and traces.found_in(value):
                    setattr(row, column, traces.redact_value(value))
                    counts["other"] += 1
    session.info.pop("conversation_states", None)  # states dropped: the cache forgets them
    session.flush()
    return counts


def _scrub_outbox(row: OutboxMessage, traces: Traces) -> bool:
    touched = False
    if traces.found(row.dedupe_key):  # "loop:sms:+336…": keys stay unique, without the number
        row.dedupe_key = traces.redact(row.dedupe_key).replace(ERASED, f"erased-{row.id}")[:200]
        touched = True
    if row.last_error and traces.found(row.last_error):
        row.last_error = traces.redact(row.last_error)
        touched = True
    if not traces.found_in(row.payload):
        return touched
    if row.status is OutboxStatus.PENDING and row.kind in HELD_BACK:
        row.payload = traces.redact_value(row.payload)
    else:
        if row.status is OutboxStatus.PENDING:
            row.status, row.last_error = OutboxStatus.CANCELLED, "about an erased person"
        row.payload = {"text": ERASED}
    return True


def _rows(session: Session, model: Any, *where: Any) -> Any:
    """Every row of a table, read in batches (erasure is rare; the tables are small enough
    that a scan in Python beats JSON-in-SQL, which SQLite and PostgreSQL spell differently)."""
    return session.scalars(sa.select(model).where(*where).execution_options(yield_per=500))


def mentions(session: Session, traces: Traces, pid: int) -> dict[str, list[dict[str, Any]]]:
    """Rows of other people that mention the person (right of access): their text only."""
    found: dict[str, list[dict[str, Any]]] = {"messages": [], "sent_or_queued": [], "other": []}
    for row in _rows(session, InboundMessage, InboundMessage.person_id.is_distinct_from(pid)):
        if any(traces.found_in(v) for v in (row.text, row.reply)):
            found["messages"].append(
                {"id": row.id, "at": row.received_at.isoformat(), "text": row.text}
                | {"answer": row.reply}
            )
    for row in _rows(session, OutboxMessage, OutboxMessage.person_id.is_distinct_from(pid)):
        if traces.found_in(row.payload) or traces.found(row.dedupe_key):
            found["sent_or_queued"].append(
                {"id": row.id, "at": row.created_at.isoformat(), "kind": row.kind}
                | {"text": (row.payload or {}).get("text")}
            )
    for model, columns in REDACTED_COLUMNS:
        for row in _rows(session, model):
            if model is TenantProfile and row.person_id == pid:
                continue
            if model is Visit and row.tenant_id == pid:
                continue
            if model is Order and row.person_id == pid:
                continue
            for column in columns:
                if traces.found_in(getattr(row, column)):
                    found["other"].append(
                        {"table": model.__tablename__, "column": column}
                        | {"value": getattr(row, column)}
                    )
    return found
