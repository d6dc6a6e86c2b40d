"""The scheduler process beside web workers is started again when it dies, never when it was
asked to stop, and stopping the service stops it for good (bot/supervise.py)."""

from __future__ import annotations

import signal
import sys

from bot.supervise import Supervisor
from tests.harness import wait_until

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def test_a_killed_process_is_started_again_and_stop_ends_it_for_good() -> None:
    sup = Supervisor(SLEEPER)
    sup.start()
    try:
        first = sup.proc
        assert first is not None
        first.send_signal(signal.SIGKILL)
        assert wait_until(lambda: sup.restarts == 1 and sup.proc is not first, timeout=10)
        second = sup.proc
        assert second is not None and second.poll() is None
    finally:
        sup.stop(timeout=5)
    assert second.poll() is not None  # stopped, and not started again
    assert sup.restarts == 1 and sup.proc is second


def test_a_process_that_exits_cleanly_was_asked_to_stop_and_stays_stopped() -> None:
    sup = Supervisor([sys.executable, "-c", "pass"])
    sup.start()
    try:
        assert wait_until(lambda: sup.proc is not None and sup.proc.poll() == 0, timeout=10)
        assert sup._watcher is not None
        sup._watcher.join(5)
        assert not sup._watcher.is_alive() and sup.restarts == 0
    finally:
        sup.stop(timeout=5)


def test_a_crash_loop_is_slowed_down() -> None:
    sup = Supervisor([sys.executable, "-c", "raise SystemExit(3)"])
    sup.start()
    try:
        assert wait_until(lambda: sup.restarts >= 2, timeout=10)  # after 1 s, then 2 s
        assert sup.restarts == 2  # the third wait is 4 s
    finally:
        sup.stop(timeout=5)
    assert sup.proc is not None and sup.proc.poll() is not None


def test_a_stuck_process_is_killed_and_started_again() -> None:
    stuck: set[int] = set()
    sup = Supervisor(SLEEPER, stuck=lambda pid: pid in stuck, check_every=0.1)
    sup.start()
    try:
        first = sup.proc
        assert first is not None
        stuck.add(first.pid)  # alive, but its lease no longer renewed
        assert wait_until(lambda: sup.restarts == 1, timeout=10)
        assert first.returncode == -signal.SIGKILL
        assert sup.proc is not None and sup.proc.poll() is None
    finally:
        sup.stop(timeout=5)


def test_a_lease_not_renewed_for_a_minute_is_a_stuck_process(db) -> None:
    from datetime import timedelta

    from models.leases import TTL, ProcessLease, host_key, silent, wall

    now = wall()
    with db.transaction() as s:
        for pid, age in ((4001, TTL * 2 + timedelta(seconds=1)), (4002, TTL)):
            s.add(
                ProcessLease(
                    id=f"lease{pid}", role="scheduler", host=host_key(), pid=pid,
                    started_at=now, beat_at=now - age,
                )
            )  # fmt: skip
    with db.transaction() as s:
        assert silent(s, 4001) and not silent(s, 4002) and not silent(s, 4003)
