"""The plain-language parser: text, today's date and language in, one structured intent out.

Pure and deterministic: no I/O, no database, no clock. See `../shared/DESIGN.md`, "Parser contract".
`parse` reads a whole message; `read_quantity`, `read_date`, `read_weekdays` and `read_yes_no` read
the answer to a question the conversation asked.
"""

from handlers.nlu.answers import read_date, read_quantity, read_weekdays, read_yes_no
from handlers.nlu.lexicon import Lexicon
from handlers.nlu.parser import parse
from handlers.nlu.result import Parse

__all__ = [
    "Lexicon",
    "Parse",
    "parse",
    "read_date",
    "read_quantity",
    "read_weekdays",
    "read_yes_no",
]
