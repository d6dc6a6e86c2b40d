"""The plain-language parser: text, today's date and language in, one structured intent out.

Pure and deterministic: no I/O, no database, no clock. See `../shared/DESIGN.md`, "Parser contract".
"""

from handlers.nlu.result import Parse, parse

__all__ = ["Parse", "parse"]
