"""Logging for every entraide process: our loggers at ENTRAIDE_LOG_LEVEL, the libraries'
never below INFO (some never below WARNING), whatever that level says.

At DEBUG python-telegram-bot logs every Bot API call with its parameters (each text we send:
addresses, health flags), httpx and httpcore log each request, and twilio logs its request
parameters even at INFO (the number, the body). Our own loggers mask numbers and never log a
message body; a library's do not know to.
"""

from __future__ import annotations

import logging

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


def configure(level: str, filename: str | None = None) -> None:
    """Set up the root handler at `level` and hold the libraries at their floors."""
    logging.basicConfig(level=level, format=FORMAT, filename=filename)
    logging.getLogger().setLevel(level)
    hold_libraries(level)


def hold_libraries(level: str | int) -> None:
    wanted = logging.getLevelName(level) if isinstance(level, str) else level
    for name, floor in FLOORS.items():
        logging.getLogger(name).setLevel(max(floor, int(wanted)))
