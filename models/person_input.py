"""What a name or a free text typed by someone else may hold before we keep it.

Names end up in spreadsheets (the landlord's ledger), in volunteers' rounds and in commands
coordinators type (`/locataire NOM`): a name that starts with `=` is a formula in Excel, one
that starts with `/` reads as a command, a NUL byte is refused by PostgreSQL, and 5,000
characters break every message they appear in. Pure: used by the import (which refuses the
row with the reason) and by registration (which asks again).
"""

from __future__ import annotations

import re
import unicodedata

NAME_MAX = 80
# a letter first, then letters, spaces, apostrophes, hyphens and dots ("Mme Marie-Thé O'Neil")
PLAIN_NAME = re.compile(r"[^\W\d_](?:[^\W\d_]|[ '’.\-])*")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def control_character(text: str) -> bool:
    """NUL, escape, bell…: nothing a person types on purpose (tabs and new lines aside)."""
    return any(unicodedata.category(c) == "Cc" and c not in "\t\n" for c in text)


def name_problem(name: str) -> str | None:
    """Why this cannot be a person's name, or None when it can."""
    if control_character(name):
        return "contains a control character (NUL or similar)"
    if len(name) > NAME_MAX:
        return f"{len(name)} characters, at most {NAME_MAX}"
    if name.startswith(FORMULA_STARTS):
        return f"starts with {name[0]!r}: a spreadsheet would run it as a formula"
    if name.startswith("/"):
        return "starts with '/': it would read as a command"
    if not PLAIN_NAME.fullmatch(name):
        return "only letters, spaces, apostrophes, hyphens and dots, starting with a letter"
    return None


def text_problem(value: str, limit: int, *, formula: bool = True) -> str | None:
    """Why a free text (notes, a building) cannot be kept as it is, or None."""
    if control_character(value):
        return "contains a control character (NUL or similar)"
    if len(value) > limit:
        return f"{len(value)} characters, at most {limit}"
    if formula and value.startswith(FORMULA_STARTS[:4]) and not re.fullmatch(r"-?\d+", value):
        return f"starts with {value[0]!r}: a spreadsheet would run it as a formula"
    return None
