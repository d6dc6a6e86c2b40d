"""`entraide converse --batch`: whole conversations in, what will really be delivered out.

The conversation contract (README, "Conversations"): each scenario runs on its own fresh copy
of the demo residence, in a throw-away SQLite file, never on the configured database. Turns go
through the same core as an SMS (`inbound.handle_safely`), at the local times the scenario
gives, on a frozen clock. What is reported is what the service will do afterwards, not what it
said: every delivery of each person in the 21 days after the last turn's local date (from the
day after it), one-off and standing orders merged, with pauses, cancellations, closures and STOP
applied, computed by the same rule the evening job applies (`models.orders.upcoming`).

The demo is built once per batch (migrations and all) and copied per scenario: a file copy is
what makes several hundred scenarios take seconds. The copy always lands at the same path, under
one engine kept for the whole batch, so SQLAlchemy's statement cache (per engine) is not rebuilt
for every scenario: compiling the same statements again was a third of a scenario's time.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.settings import Settings
from handlers import inbound
from handlers.types import Inbound
from models.base import Channel, PersonStatus
from models.clock import FrozenClock
from models.config import ServiceConfig
from models.context import Context
from models.db import Database
from models.messages import OutboxMessage
from models.orders import closed_dates, upcoming
from models.people import by_phone
from models.phones import PhoneError, sender
from models.rules import delivers

log = logging.getLogger("entraide.converse")

WINDOW_DAYS = 21
TURN_GAP = timedelta(minutes=1)
CHANNEL = Channel.SMS.value  # scenarios come from phone numbers: the SMS rules apply


class ScenarioError(ValueError):
    """A scenario line the contract cannot run (said in the output line, the batch goes on)."""


@dataclass(frozen=True)
class Turn:
    phone: str
    text: str
    at: datetime  # aware, UTC


class Demo:
    """A migrated SQLite file holding the demo residence, copied afresh for every scenario."""

    def __init__(self, config: ServiceConfig, folder: Path) -> None:
        from bot.demo import load_demo
        from models.migrate import upgrade
        from models.sync import sync_config

        self.config, self.folder = config, folder
        self.template = folder / "demo.db"
        upgrade(f"sqlite:///{self.template}")
        clock = FrozenClock(datetime(2026, 1, 1, 9, 0).astimezone())
        db = Database(f"sqlite:///{self.template}")
        try:
            with db.transaction() as session:
                self.site_ids = sync_config(session, config, clock)
                load_demo(session, config, self.site_ids, clock)
        finally:
            db.dispose()
        self.path = folder / "scenario.db"
        self.db = Database(f"sqlite:///{self.path}")

    def fresh(self) -> Database:
        """The scenario database back to the demo as built: connections closed, files replaced."""
        self.db.engine.dispose()
        for leftover in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(self.template, self.path)
        return self.db

    def close(self) -> None:
        self.db.dispose()


def turns_of(scenario: dict[str, Any], config: ServiceConfig) -> list[Turn]:
    zone = config.sites[0].zone
    if not isinstance(scenario.get("turns"), list) or not scenario["turns"]:
        raise ScenarioError("'turns' must be a non-empty list")
    at = _local(scenario.get("start"), zone, "start") if scenario.get("start") else None
    out: list[Turn] = []
    for k, turn in enumerate(scenario["turns"], 1):
        if not isinstance(turn, dict) or not isinstance(turn.get("text"), str):
            raise ScenarioError(f"turn {k}: needs 'from' and 'text'")
        try:
            phone = sender(str(turn.get("from", "")))
        except PhoneError as exc:
            raise ScenarioError(f"turn {k}: 'from': {exc}") from None
        if turn.get("at"):
            at = _local(turn["at"], zone, f"turn {k} 'at'")
        elif at is None:
            raise ScenarioError("a 'start' or the first turn's 'at' is needed")
        else:
            at = at + TURN_GAP if out else at
        out.append(Turn(phone, turn["text"], at))
    return out


def _local(value: Any, zone: Any, what: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise ScenarioError(f"{what}: not a local time YYYY-MM-DDTHH:MM: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def run(scenario: dict[str, Any], demo: Demo, settings: Settings) -> dict[str, Any]:
    """One scenario on its own copy of the demo; the contract's output line."""
    config = demo.config
    turns = turns_of(scenario, config)
    db = demo.fresh()
    clock = FrozenClock(turns[0].at)
    try:
        with db.transaction() as session:
            first_outbox = session.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0
        ctx = Context(config, clock, dict(demo.site_ids), frozenset({CHANNEL}))
        replies: list[list[str]] = []
        for turn in turns:
            clock.set(turn.at)
            msg = Inbound(
                channel=CHANNEL,
                external_id=f"SM{uuid.uuid4().hex}",
                address=turn.phone,
                phone=turn.phone,
                text=turn.text,
                received_at=turn.at,
            )
            outcome = inbound.handle_safely(db.call, ctx, msg)
            replies.append([r.text for r in outcome.replies])
        last = turns[-1].at.astimezone(config.sites[0].zone).date()
        with db.transaction() as session:
            people = {
                phone: person_outcome(session, ctx, phone, last)
                for phone in dict.fromkeys(t.phone for t in turns)
            }
            told = coordinator_texts(session, first_outbox)
        return {
            "id": scenario.get("id"),
            "replies": replies,
            "people": people,
            "to_coordinators": told,
        }
    finally:
        db.engine.dispose()


def person_outcome(session: Any, ctx: Context, phone: str, last: date) -> dict[str, Any]:
    person = by_phone(session, phone)
    if person is None or person.erased_at is not None:
        return {"status": "unknown", "name": None, "upcoming": {}}
    if person.opted_out_at is not None or person.status is PersonStatus.REFUSED:
        status = "stopped"
    else:
        status = person.status.value
    out: dict[str, Any] = {"status": status, "name": person.name, "upcoming": {}}
    if status != "active" or not person.is_tenant or person.site_id is None:
        return out
    site = ctx.site(person.site_id)
    end = last + timedelta(days=WINDOW_DAYS)
    closed = closed_dates(session, person.site_id, last, end)
    days = {
        last + timedelta(days=i)
        for i in range(WINDOW_DAYS + 1)
        if delivers(site, last + timedelta(days=i), closed)
    }
    for u in upcoming(session, person.id, last + timedelta(days=1), WINDOW_DAYS - 1, days):
        out["upcoming"][u.day.isoformat()] = dict(sorted(u.items.items()))
    return out


def coordinator_texts(session: Any, after: int) -> list[str]:
    rows = session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.id > after, OutboxMessage.kind == "coordinator")
        .order_by(OutboxMessage.id)
    )
    return [row.payload.get("text", "") for row in rows]


def batch(lines: Iterable[str], config: ServiceConfig, settings: Settings) -> Iterator[str]:
    """One output line per input line, in order; a bad line gets an error line."""
    with tempfile.TemporaryDirectory(prefix="entraide-converse-") as folder:
        demo = Demo(config, Path(folder))
        try:
            yield from _lines(lines, demo, settings)
        finally:
            demo.close()


def _lines(lines: Iterable[str], demo: Demo, settings: Settings) -> Iterator[str]:
    for line in lines:
        if not line.strip():
            continue
        scenario_id: Any = None
        try:
            scenario = json.loads(line)
            if not isinstance(scenario, dict):
                raise ScenarioError("a scenario is a JSON object")
            scenario_id = scenario.get("id")
            result = run(scenario, demo, settings)
        except json.JSONDecodeError as exc:
            result = {"id": None, "error": f"not JSON: {exc.msg} (column {exc.colno})"}
        except ScenarioError as exc:
            result = {"id": scenario_id, "error": str(exc)}
        except Exception as exc:  # one broken scenario never stops the batch
            log.exception("scenario %s failed", scenario_id)
            result = {"id": scenario_id, "error": f"internal error: {type(exc).__name__}"}
        yield json.dumps(result, ensure_ascii=False)
