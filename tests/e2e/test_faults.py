"""Faults: providers down or throttling, a process killed mid-send, a database connection lost
mid-transaction, two processes on one PostgreSQL. Nothing lost, nothing sent twice."""

from __future__ import annotations

import concurrent.futures
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from handlers.notify import tell
from handlers.types import Reply
from models import InboundMessage, Order, Person
from models.base import OutboxStatus, Role
from models.clock import FrozenClock
from models.db import Database
from models.messages import OutboxMessage
from tests.builders import residence
from tests.fakes.fixtures import free_port
from tests.fakes.twilio_webhooks import inbound_params, signed_headers
from tests.harness import (
    BOT_NUMBER,
    PUBLIC_URL,
    ROOT,
    WEBHOOK_SECRET,
    RunningBot,
    settings_for,
    twiml_messages,
    wait_until,
)

EXE = str(Path(sys.executable).parent / "entraide")


def _people(db_url: str, config, clock, n_sms: int = 3, n_tg: int = 3) -> None:
    db = Database(db_url)
    res = residence(db, config, clock)
    for i in range(n_sms):
        res.add(f"+3361000{i:04d}", f"Sms {i}", {Role.TENANT})
    for i in range(n_tg):
        res.add(f"+3362000{i:04d}", f"Tg {i}", {Role.TENANT}, telegram_id=9000 + i)
    res.add("+33630000001", "Claire", {Role.COORDINATOR})
    db.dispose()


def _queue(bot: RunningBot, phones: list[str], per_person: int) -> None:
    with bot.rt.db.transaction() as s:
        for phone in phones:
            person = s.scalar(sa.select(Person).where(Person.phone == phone))
            for k in range(per_person):
                tell(
                    s,
                    bot.bot.service.ctx,
                    person,
                    f"fault:{phone}:{k}",
                    Reply(f"Message {k}", "fr"),
                )


def _count(bot: RunningBot, *where: object) -> int:
    with bot.rt.db.transaction() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(*where)) or 0


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))


@pytest.mark.parametrize("fault", ["down", "throttled"])
def test_after_an_outage_every_message_arrives_once_and_in_order(
    db_url, config, clock, fake_telegram, fake_twilio, fault: str
) -> None:
    _people(db_url, config, clock)
    sms = [f"+3361000{i:04d}" for i in range(3)]
    tg = [f"+3362000{i:04d}" for i in range(3)]
    if fault == "down":
        fake_telegram.go_down()
        fake_twilio.go_down()
    else:
        fake_telegram.rate_limit(4, retry_after=1)
        fake_twilio.fail(4, status=500)
    settings = settings_for(db_url, telegram=fake_telegram, twilio=fake_twilio)
    with RunningBot(settings, clock) as bot:
        _queue(bot, sms + tg, per_person=3)
        bot.bot.dispatcher.wake.set()
        assert wait_until(lambda: _count(bot, OutboxMessage.attempts >= 1) >= 2)
        if fault == "down":
            time.sleep(1)
            fake_telegram.come_back()
            fake_twilio.come_back()
        for _ in range(10):  # each round: the providers' wait and our backoff pass
            clock.advance(timedelta(minutes=6))
            bot.bot.dispatcher.wake.set()
            if wait_until(lambda: _count(bot, OutboxMessage.status == OutboxStatus.SENT) == 18, 3):
                break
        assert _count(bot, OutboxMessage.status == OutboxStatus.SENT) == 18
    for phone in sms:
        assert [m.body for m in fake_twilio.messages_to(phone)] == [
            "Message 0",
            "Message 1",
            "Message 2",
        ]
    for uid in range(9000, 9003):
        assert [m.text for m in fake_telegram.messages_to(uid)] == [
            "Message 0",
            "Message 1",
            "Message 2",
        ]


def test_killed_in_the_middle_of_the_evening_send(
    db_url, config, fake_telegram, fake_twilio, tmp_path
) -> None:
    """SIGKILL while rounds are leaving; the next run finishes: each volunteer has theirs once."""
    clock = FrozenClock(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))
    db = Database(db_url)
    res = residence(db, config, clock)
    day = date(2026, 11, 25)
    for i in range(80):
        res.add(
            f"+3361000{i:04d}",
            f"Tenant {i}",
            {Role.TENANT},
            tenant={"building": "ABCD"[i % 4], "floor": i % 5},
        )
        res.order(f"+3361000{i:04d}", day, {"bread": 1})
    volunteers = []
    for i in range(40):
        phone = f"+3362000{i:04d}"
        res.add(
            phone, f"Volunteer {i}", {Role.VOLUNTEER}, telegram_id=(7100 + i) if i % 2 else None
        )
        volunteers.append((phone, 7100 + i if i % 2 else None))
    # a coordinator, to be told of a round whose call the kill cut (without one, nobody could
    # be: the test failed whenever a Telegram call was in flight at the kill)
    res.add("+33630000001", "Claire Coord", {Role.COORDINATOR})
    db.dispose()
    fake_telegram.answer_delay = fake_twilio.answer_delay = 0.25
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTRAIDE_")}
    env.update(
        {
            "ENTRAIDE_DATABASE_URL": db_url,
            "ENTRAIDE_CONFIG": str(ROOT / "entraide.example.toml"),
            "ENTRAIDE_TELEGRAM_TOKEN": fake_telegram.token,
            "ENTRAIDE_TELEGRAM_API_URL": fake_telegram.base_url,
            "ENTRAIDE_TWILIO_ACCOUNT_SID": fake_twilio.account_sid,
            "ENTRAIDE_TWILIO_AUTH_TOKEN": fake_twilio.auth_token,
            "ENTRAIDE_TWILIO_FROM": BOT_NUMBER,
            "ENTRAIDE_TWILIO_API_URL": fake_twilio.base_url,
        }
    )

    def rounds_arrived() -> int:
        tg = sum(1 for m in fake_telegram.sent if m.text.startswith("Tournée"))
        sms = sum(1 for m in fake_twilio.messages if m.body.startswith("Tournée"))
        return tg + sms

    first = subprocess.Popen(
        [EXE, "rounds", "send", "--date", str(day), "--at", "2026-11-24T18:30"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert wait_until(lambda: rounds_arrived() >= 10, timeout=60)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert rounds_arrived() < 40
    second = subprocess.run(
        [EXE, "rounds", "send", "--date", str(day), "--at", "2026-11-24T18:45"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert second.returncode == 0, second.stdout + second.stderr
    assert "already ran" in second.stdout
    db = Database(db_url)
    with db.transaction() as s:
        doubt = {  # Telegram cannot be asked whether a call cut by the kill arrived
            row.address: row.id
            for row in s.scalars(
                sa.select(OutboxMessage).where(
                    OutboxMessage.kind == "round",
                    OutboxMessage.last_error.like("interrupted during the call%"),
                )
            )
        }
        told = set(
            s.scalars(
                sa.select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "coordinator")
            )
        )
    db.dispose()
    for phone, tg in volunteers:
        if tg:
            got = [m for m in fake_telegram.messages_to(tg) if m.text.startswith("Tournée")]
        else:
            got = [m for m in fake_twilio.messages_to(phone) if m.body.startswith("Tournée")]
        if tg and not got and str(tg) in doubt:
            # the one case the design allows: the call had begun when the process was killed
            # (counted as sent, never twice), and the coordinators are told to check
            assert any(k.startswith(f"uncertain:{doubt[str(tg)]}:") for k in told), tg
            continue
        assert len(got) == 1, (phone, tg, len(got))


@pytest.fixture
def pg_url(db_url: str) -> str:
    if not db_url.startswith("postgresql"):
        pytest.skip("connection drops and concurrent processes are PostgreSQL matters")
    return db_url


def test_a_connection_lost_mid_transaction_is_handled_on_the_retry(
    pg_url, config, clock, fake_twilio, fake_telegram
) -> None:
    _people(pg_url, config, clock, n_sms=1, n_tg=1)
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    settings = settings_for(
        pg_url, twilio=fake_twilio, telegram=fake_telegram, telegram_mode="webhook"
    )
    with RunningBot(settings, clock) as bot, admin.connect() as locker, admin.connect() as killer:
        for kind in ("sms", "telegram"):
            locker.execute(sa.text("BEGIN"))
            locker.execute(sa.text("LOCK TABLE inbound_messages IN ACCESS EXCLUSIVE MODE"))
            params = inbound_params("+33610000000", "2 baguettes pour demain", to=BOT_NUMBER)
            update = fake_telegram.make_update(9000, "1 baguette jeudi")
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                if kind == "sms":
                    call = pool.submit(bot.post_signed, "/sms/inbound", params)
                else:
                    call = pool.submit(
                        bot.http.post,
                        "/telegram/webhook",
                        json=update,
                        headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
                    )
                waiting = wait_until(
                    lambda: (
                        killer.execute(
                            sa.text(
                                "select pid from pg_stat_activity "
                                "where datname = current_database() and wait_event_type = 'Lock'"
                            )
                        )
                        .scalars()
                        .all()
                    ),
                    timeout=10,
                )
                assert waiting, "the request never reached the database"
                for pid in waiting:
                    killer.execute(sa.text("select pg_terminate_backend(:p)"), {"p": pid})
                first = call.result(timeout=30)
            locker.execute(sa.text("ROLLBACK"))
            assert first.status_code == 503
            retry = (
                bot.post_signed("/sms/inbound", params)
                if kind == "sms"
                else bot.http.post(
                    "/telegram/webhook",
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
                )
            )
            assert retry.status_code == 200
            if kind == "sms":
                assert "mercredi 25 novembre" in twiml_messages(retry.text)[0]
        assert wait_until(lambda: fake_telegram.messages_to(9000))
        with bot.rt.db.transaction() as s:
            assert s.scalar(sa.select(sa.func.count()).select_from(InboundMessage)) == 2
            assert s.scalar(sa.select(sa.func.count()).select_from(Order)) == 2
    admin.dispose()


def test_two_processes_share_webhooks_and_the_outbox(
    pg_url, config, clock, fake_twilio, tmp_path
) -> None:
    n_people = 40
    _people(pg_url, config, clock, n_sms=n_people, n_tg=0)
    env = _env(pg_url, fake_twilio)
    ports = [free_port(), free_port()]
    procs = [
        subprocess.Popen(
            [EXE, "run", "--no-scheduler", "--port", str(p)],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        for p in ports
    ]
    import httpx

    try:
        clients = [httpx.Client(base_url=f"http://127.0.0.1:{p}", timeout=30) for p in ports]
        assert wait_until(lambda: all(_up(c) for c in clients), timeout=30)
        token = fake_twilio.auth_token

        def post(client: httpx.Client, params: dict[str, str]) -> httpx.Response:
            headers = signed_headers(token, PUBLIC_URL + "/sms/inbound", params)
            return client.post("/sms/inbound", data=params, headers=headers)

        # The processes run on the real clock: order for a delivery day well ahead of it.
        day = date.today() + timedelta(days=10)
        day += timedelta(days=1) if day.weekday() == 6 else timedelta(0)
        jobs = []
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            for i in range(n_people):
                text = f"{1 + i % 3} baguettes pour le {day.day}/{day.month}"
                params = inbound_params(f"+3361000{i:04d}", text, to=BOT_NUMBER)
                # each message twice, to both processes at once: a retried webhook racing itself
                jobs.append(
                    (pool.submit(post, clients[0], params), pool.submit(post, clients[1], params))
                )
            answers = [(a.result(), b.result()) for a, b in jobs]
        for a, b in answers:
            assert a.status_code == b.status_code == 200
            assert twiml_messages(a.text) == twiml_messages(b.text) != []
        db = Database(pg_url)
        try:
            with db.transaction() as s:
                assert s.scalar(sa.select(sa.func.count()).select_from(InboundMessage)) == n_people
                assert s.scalar(sa.select(sa.func.count()).select_from(Order)) == n_people
            ctx_clock = FrozenClock(datetime.now(UTC))
            res = residence(db, config, ctx_clock, frozenset({"sms"}))
            with db.transaction() as s:
                for i in range(n_people):
                    person = s.scalar(sa.select(Person).where(Person.phone == f"+3361000{i:04d}"))
                    for k in range(3):
                        # kind "reply": not held by quiet hours, whatever the real time
                        tell(
                            s,
                            res.ctx,
                            person,
                            f"both:{i}:{k}",
                            Reply(f"Note {k}", "fr"),
                            kind="reply",
                        )
        finally:
            db.dispose()
        total = 3 * n_people
        assert wait_until(
            lambda: sum(1 for m in fake_twilio.messages if m.body.startswith("Note")) >= total,
            timeout=60,
        )
        time.sleep(1.5)  # anything sent twice would have arrived by now
        for i in range(n_people):
            bodies = [
                m.body
                for m in fake_twilio.messages_to(f"+3361000{i:04d}")
                if m.body.startswith("Note")
            ]
            assert bodies == ["Note 0", "Note 1", "Note 2"]
    finally:
        for c in clients:
            c.close()
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(30)


def _env(db_url: str, fake_twilio) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTRAIDE_")}
    env.update(
        {
            "ENTRAIDE_DATABASE_URL": db_url,
            "ENTRAIDE_CONFIG": str(ROOT / "entraide.example.toml"),
            "ENTRAIDE_TWILIO_ACCOUNT_SID": fake_twilio.account_sid,
            "ENTRAIDE_TWILIO_AUTH_TOKEN": fake_twilio.auth_token,
            "ENTRAIDE_TWILIO_FROM": BOT_NUMBER,
            "ENTRAIDE_TWILIO_API_URL": fake_twilio.base_url,
            "ENTRAIDE_PUBLIC_URL": PUBLIC_URL,
            "ENTRAIDE_LOG_LEVEL": "WARNING",
        }
    )
    return env


def test_several_web_workers_and_one_scheduler(pg_url, config, clock, fake_twilio, tmp_path):
    """`entraide run --workers 2`: both workers answer webhooks, the one scheduler process sends
    the outbox and is started again when killed, and stopping the parent stops them all."""
    import httpx

    n_people = 12
    _people(pg_url, config, clock, n_sms=n_people, n_tg=0)
    port = free_port()
    proc = subprocess.Popen(
        [EXE, "run", "--workers", "2", "--port", str(port)],
        env=_env(pg_url, fake_twilio),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            assert wait_until(lambda: _up(client), timeout=60)
            day = date.today() + timedelta(days=10)
            day += timedelta(days=1) if day.weekday() == 6 else timedelta(0)
            for i in range(n_people):
                params = inbound_params(
                    f"+3361000{i:04d}", f"2 baguettes pour le {day.day}/{day.month}"
                )
                headers = signed_headers(
                    fake_twilio.auth_token, PUBLIC_URL + "/sms/inbound", params
                )
                answer = client.post("/sms/inbound", data=params, headers=headers)
                assert answer.status_code == 200
                assert any("2" in m for m in twiml_messages(answer.text)), answer.text
        db = Database(pg_url)
        try:
            with db.transaction() as s:
                assert s.scalar(sa.select(sa.func.count()).select_from(Order)) == n_people
                person = s.scalar(sa.select(Person).where(Person.phone == "+33610000000"))
                res = residence(db, config, FrozenClock(datetime.now(UTC)), frozenset({"sms"}))
                tell(s, res.ctx, person, "workers:note", Reply("Note du soir", "fr"), kind="reply")
        finally:
            db.dispose()
        assert wait_until(lambda: fake_twilio.messages_to("+33610000000"), timeout=30)
        assert [m.body for m in fake_twilio.messages_to("+33610000000")] == ["Note du soir"]
        # the scheduler process killed: it is started again, and the outbox goes on
        [dead] = wait_until(lambda: _schedulers(proc.pid), timeout=30)
        os.kill(dead, signal.SIGKILL)
        assert wait_until(lambda: _schedulers(proc.pid) not in ([], [dead]), timeout=30)
        db = Database(pg_url)
        try:
            with db.transaction() as s:
                person = s.scalar(sa.select(Person).where(Person.phone == "+33610000000"))
                res = residence(db, config, FrozenClock(datetime.now(UTC)), frozenset({"sms"}))
                tell(s, res.ctx, person, "workers:again", Reply("Encore", "fr"), kind="reply")
        finally:
            db.dispose()
        assert wait_until(lambda: len(fake_twilio.messages_to("+33610000000")) == 2, timeout=30)
        assert [m.body for m in fake_twilio.messages_to("+33610000000")][1] == "Encore"
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=40)
    assert "web workers: 2" in out
    # nothing of the process group is left running
    # (a dead child re-parented to a container's pid 1 may stay a zombie: it runs nothing)
    # (a child still on its way out at the instant the parent is reaped shows as "R … [python3]",
    # its arguments already gone: this test's one flaky failure under load; what counts is that
    # nothing is left once the group has had a few seconds to exit)
    ps = ["ps", "-o", "stat=,pid=,args=", "-g", str(proc.pid)]

    def running() -> list[str]:
        lines = subprocess.run(ps, capture_output=True, text=True).stdout.splitlines()
        return [line for line in lines if not line.startswith("Z")]

    wait_until(lambda: not running(), timeout=10)
    assert running() == [], out


def _schedulers(parent: int) -> list[int]:
    """The pids of the scheduler processes `entraide run --workers` started."""
    ps = subprocess.run(
        ["ps", "-o", "pid=,stat=,args=", "--ppid", str(parent)], capture_output=True, text=True
    )
    return [
        int(line.split()[0])
        for line in ps.stdout.splitlines()
        if "scheduler" in line and not line.split()[1].startswith("Z")
    ]


def test_several_workers_refused_on_sqlite(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTRAIDE_")}
    env["ENTRAIDE_DATABASE_URL"] = f"sqlite:///{tmp_path / 'w.db'}"
    env["ENTRAIDE_CONFIG"] = str(ROOT / "entraide.example.toml")
    subprocess.run([EXE, "db", "upgrade"], env=env, cwd=tmp_path, check=True, capture_output=True)
    done = subprocess.run(
        [EXE, "run", "--workers", "3"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "--workers needs PostgreSQL" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def _up(client: object) -> bool:
    try:
        return client.get("/healthz").status_code == 200  # type: ignore[attr-defined]
    except Exception:
        return False


def test_threads_do_not_leak(fake_twilio) -> None:
    assert threading.active_count() < 50


def test_after_kill_9_every_acknowledged_update_is_answered_within_a_minute(
    db_url, fake_telegram, tmp_path
) -> None:
    """The issue's case: updates acknowledged (200), answers still waiting to leave, SIGKILL.
    The restarted process sees the old one's pid gone and sends what it owed at once (no
    ten-minute grace): every acknowledged update is answered, none more than twice."""
    import httpx

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTRAIDE_")}
    env.update(
        {
            "ENTRAIDE_DATABASE_URL": db_url,
            "ENTRAIDE_CONFIG": str(ROOT / "entraide.example.toml"),
            "ENTRAIDE_TELEGRAM_TOKEN": fake_telegram.token,
            "ENTRAIDE_TELEGRAM_API_URL": fake_telegram.base_url,
            "ENTRAIDE_TELEGRAM_MODE": "webhook",
            "ENTRAIDE_TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "ENTRAIDE_PUBLIC_URL": PUBLIC_URL,
            "ENTRAIDE_PORT": str(port),
            "ENTRAIDE_LOG_LEVEL": "WARNING",
            "ENTRAIDE_BACKUP_KEEP": "0",
        }
    )

    def start(rate: str, port: int) -> subprocess.Popen[bytes]:
        # each start gets its own port: the killed one's may be taken meanwhile by any socket
        log = tmp_path / f"run-{rate}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [EXE, "run"],
                env=env | {"ENTRAIDE_TELEGRAM_RATE": rate, "ENTRAIDE_PORT": str(port)},
                cwd=tmp_path,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            up = wait_until(lambda: _up(client) or proc.poll() is not None, timeout=60)
            assert up and proc.poll() is None, log.read_text(errors="replace")[-3000:]
        assert wait_until(lambda: fake_telegram.calls_to("setWebhook"), timeout=30)
        return proc

    # One answer a second leaves: the answers of the updates acknowledged wait to go out.
    first = start(rate="1", port=port)
    chats = list(range(8000, 8040))
    acknowledged: list[int] = []

    def post(uid: int) -> None:
        update = fake_telegram.make_update(uid, "/start")
        headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        try:
            answer = httpx.post(
                f"http://127.0.0.1:{port}/telegram/webhook", json=update, headers=headers,
                timeout=30,
            )  # fmt: skip
        except httpx.HTTPError:
            return  # never acknowledged: Telegram would send it again
        if answer.status_code == 200:
            acknowledged.append(uid)

    pool = concurrent.futures.ThreadPoolExecutor(len(chats))
    try:
        for uid in chats:
            pool.submit(post, uid)
        assert wait_until(lambda: len(acknowledged) >= 16, timeout=60)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        pool.shutdown(wait=True)
    owed = [uid for uid in acknowledged if not fake_telegram.messages_to(uid)]
    assert len(owed) >= 5, "the kill came after the answers had left: nothing tested"

    restarted_at = time.monotonic()
    second = start(rate="30", port=free_port())
    try:
        answered = wait_until(
            lambda: all(fake_telegram.messages_to(uid) for uid in acknowledged), timeout=60
        )
        took = time.monotonic() - restarted_at
        time.sleep(1.5)  # anything sent twice more would have arrived by now
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)
    missing = [uid for uid in acknowledged if not fake_telegram.messages_to(uid)]
    assert answered, f"{len(missing)} of {len(acknowledged)} acknowledged updates unanswered"
    assert took < 60
    for uid in acknowledged:
        got = fake_telegram.messages_to(uid)
        assert 1 <= len(got) <= 2, (uid, [m.text for m in got])
        assert "Partager mon numéro" in got[0].text or "Bonjour" in got[0].text
