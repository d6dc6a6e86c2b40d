"""`ENTRAIDE_PROFILE_DIR`: a cProfile of every thread of `entraide run`, for benchmarks only.

`python -m cProfile` sees the event loop's thread alone, but the core runs in the database
worker threads (models/db.py), and there goes most of a request's time. Here the main thread
is profiled from the start and every thread started afterwards gets its own profiler (through
`threading.setprofile`); each is written at exit as `<pid>-<thread name>.prof`, for pstats or
`python bench/profile_run.py --show DIR`. Profiling slows everything down ~2x: compare the
shares of time, not the absolute figures.
"""

from __future__ import annotations

import contextlib
import cProfile
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any


@contextlib.contextmanager
def profiled(folder: Path | None) -> Iterator[None]:
    """Profile every thread while the block runs (nothing at all when `folder` is None)."""
    if folder is None:
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    profiles: list[tuple[str, cProfile.Profile]] = []
    lock = threading.Lock()

    def start_thread(*_: Any) -> None:
        # called once, on the thread's first event: the profiler then replaces this hook
        profile = cProfile.Profile()
        with lock:
            profiles.append((threading.current_thread().name, profile))
        profile.enable()

    # uvicorn raises the SIGTERM it caught again once it has shut down: by default that ends
    # the process before any `finally` runs; here it unwinds the stack instead.
    previous = signal.signal(signal.SIGTERM, _exit)
    main = cProfile.Profile()
    profiles.append(("main", main))
    threading.setprofile(start_thread)
    main.enable()
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        main.disable()
        threading.setprofile(None)  # type: ignore[arg-type]
        dump(folder, profiles)


def _exit(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


def dump(folder: Path, profiles: list[tuple[str, cProfile.Profile]]) -> None:
    import os

    pid = os.getpid()
    for i, (name, profile) in enumerate(profiles):
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
        profile.dump_stats(folder / f"{pid}-{i:02d}-{safe}.prof")
