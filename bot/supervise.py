"""Keep the scheduler process of `entraide run --workers N` alive.

Web workers are uvicorn's to restart; the scheduler process beside them (jobs, the outbox,
Telegram polling) is ours. Without it nothing is sent: no rounds, no answers, no alerts. It is
started again when it dies (killed, crashed, the database away at its start), after 1 s, then
2, 4… up to 30 s while it keeps dying young, so a scheduler that cannot start does not spin.

A scheduler that is alive but stuck (its lease, models/leases.py, not renewed for a minute: its
event loop blocked) is killed, then started again like a dead one.

A scheduler that exits with code 0 was asked to stop (SIGTERM or Ctrl-C, handled): the service
manager or the person at the terminal is stopping everything, and a scheduler restarted under
their feet would outlive them. It is said in the log and left stopped.
"""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import Callable, Sequence

log = logging.getLogger("entraide.supervise")

FIRST_DELAY = 1.0
MAX_DELAY = 30.0
SETTLED = 60.0  # seconds alive after which a death is a new incident, not a crash loop
CHECK_EVERY = 15.0  # seconds between two looks at whether it is stuck


class Supervisor:
    def __init__(
        self,
        argv: Sequence[str],
        name: str = "scheduler",
        *,
        stuck: Callable[[int], bool] | None = None,
        check_every: float = CHECK_EVERY,
    ) -> None:
        """`stuck(pid)`: whether the running child is alive but no longer working."""
        self.argv, self.name = list(argv), name
        self.stuck, self.check_every = stuck, check_every
        self.proc: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._watcher: threading.Thread | None = None

    def start(self) -> None:
        self._spawn()
        self._watcher = threading.Thread(target=self._watch, name=f"{self.name}-watch", daemon=True)
        self._watcher.start()

    def _spawn(self) -> None:
        self.proc = subprocess.Popen(self.argv)
        self._started = time.monotonic()

    def _watch(self) -> None:
        delay = FIRST_DELAY
        while True:
            proc = self.proc
            assert proc is not None
            code = self._wait(proc)
            if self._stopping.is_set():
                return
            if code == 0:
                log.warning("%s process stopped (asked to): not restarted", self.name)
                return
            if time.monotonic() - self._started > SETTLED:
                delay = FIRST_DELAY
            how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
            log.error("%s process died (%s): restarting in %.0f s", self.name, how, delay)
            if self._stopping.wait(delay):
                return
            with self._lock:
                if self._stopping.is_set():
                    return
                self._spawn()
                self.restarts += 1
            delay = min(delay * 2, MAX_DELAY)

    def _wait(self, proc: subprocess.Popen[bytes]) -> int:
        """Until it exits; killing it if it is found stuck meanwhile."""
        while True:
            try:
                return proc.wait(self.check_every if self.stuck else None)
            except subprocess.TimeoutExpired:
                pass
            if self._stopping.is_set():
                return proc.wait()
            try:
                stuck = self.stuck is not None and self.stuck(proc.pid)
            except Exception as exc:  # the database away: nobody can tell; leave it be
                log.warning("could not tell whether the %s is stuck (%s)", self.name, exc)
                stuck = False
            if stuck:
                log.error("%s process stuck (its lease not renewed): killed", self.name)
                proc.kill()

    def stop(self, timeout: float = 15.0) -> None:
        """Stop it for good: SIGTERM (it finishes what it is sending), SIGKILL after `timeout`."""
        with self._lock:
            self._stopping.set()
            proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._watcher is not None:
            self._watcher.join(timeout)
