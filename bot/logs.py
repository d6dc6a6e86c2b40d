"""Logging for every entraide process: our loggers at ENTRAIDE_LOG_LEVEL, the libraries'
never below INFO (some never below WARNING), whatever that level says.

At DEBUG python-telegram-bot logs every Bot API call with its parameters (each text we send:
addresses, health flags), httpx and httpcore log each request, and twilio logs its request
parameters even at INFO (the number, the body). Our own loggers mask numbers and never log a
message body; a library's do not know to.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from time import monotonic
from typing import Any

from models.phones import mask

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# the library, and the lowest level its records may have
FLOORS = {
    "telegram": logging.INFO,
    "telegram.ext": logging.INFO,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "hpack": logging.WARNING,
    "apscheduler": logging.WARNING,
    "twilio": logging.WARNING,
    "twilio.http_client": logging.WARNING,
    "urllib3": logging.WARNING,  # twilio's transport: a query string can hold a number
    "sqlalchemy": logging.WARNING,
    "aiosqlite": logging.INFO,
    "asyncio": logging.INFO,
    "uvicorn": logging.INFO,
    "uvicorn.error": logging.INFO,
    "multipart": logging.INFO,
    "matplotlib": logging.WARNING,
    "PIL": logging.INFO,
}


# A phone number or a Telegram id written into a message by a library or a careless format:
# 8 digits or more, optionally after "+", with spaces or dots between them ("06 12 34 56 78");
# never a dash, so an ISO date (2026-11-25) stays readable.
NUMBER = re.compile(r"(?<![\w•])\+?\d(?:[ .]?\d){7,}(?!\w)")


def mask_numbers(text: str) -> str:
    """Every number long enough to dial, masked as our own loggers mask them."""
    return NUMBER.sub(lambda m: mask(re.sub(r"[ .]", "", m.group())), text)


class Masked(logging.Formatter):
    """The text format, with numbers masked in what the record says (not in its time)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = mask_numbers(record.message)
        return super().formatMessage(record)

    def formatException(self, ei: Any) -> str:
        return mask_numbers(super().formatException(ei))


class JsonLines(logging.Formatter):
    """One JSON object a line (`ENTRAIDE_LOG_FORMAT=json`), for journald or a log shipper:
    time (UTC, ISO 8601), level, logger, message, and the traceback when there is one; numbers
    masked there too."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_numbers(record.getMessage()),
        }
        if record.exc_info:
            entry["exception"] = mask_numbers(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str, filename: str | None = None, fmt: str = "text") -> None:
    """Set up the root handler at `level`, in `fmt` (text or json), and hold the libraries at
    their floors."""
    logging.basicConfig(level=level, format=FORMAT, filename=filename)
    root = logging.getLogger()
    root.setLevel(level)
    formatter = JsonLines() if fmt == "json" else Masked(FORMAT)
    for handler in root.handlers:
        if type(handler) in (logging.StreamHandler, logging.FileHandler):  # ours, not a test's
            handler.setFormatter(formatter)
    hold_libraries(level)


def hold_libraries(level: str | int) -> None:
    wanted = logging.getLevelName(level) if isinstance(level, str) else level
    for name, floor in FLOORS.items():
        logging.getLogger(name).setLevel(max(floor, int(wanted)))


class Throttled:
    """One warning per `every` seconds for a kind of event, with how many were held back.

    Forged webhook requests (a wrong Twilio signature, a wrong Telegram secret) are worth a
    line, but a flood of them must not fill the disk or bury everything else."""

    def __init__(
        self, logger: logging.Logger, every: float = 60.0, clock: Callable[[], float] = monotonic
    ) -> None:
        self.logger, self.every, self.clock = logger, every, clock
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def warning(self, kind: str, message: str, *args: object) -> bool:
        """Log now, or count it for the next line; whether it was logged."""
        now = self.clock()
        last = self._last.get(kind)
        if last is not None and now - last < self.every:
            self._held[kind] = self._held.get(kind, 0) + 1
            return False
        held = self._held.pop(kind, 0)
        self._last[kind] = now
        suffix = f" ({held} more like it in the last {self.every:.0f} s)" if held else ""
        self.logger.warning(message + suffix, *args)
        return True
