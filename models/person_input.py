"""What a name or a free text typed by someone else may hold before we keep it.

Names end up in spreadsheets (the landlord's ledger), in volunteers' rounds and in commands
coordinators type (`/locataire NOM`): a name that starts with `=` is a formula in Excel, one
that starts with `/` reads as a command, a NUL byte is refused by PostgreSQL, and 5,000
characters break every message they appear in. Pure: used by the import and a coordinator's
`/ajouter` (which refuse the row with the reason) and by registration (which asks again). A
reason is a catalogue key under `rows.` and its values: each reader gets it in their language.
"""

from __future__ import annotations

import re
import unicodedata

NAME_MAX = 80
# a letter first, then letters, spaces, apostrophes, hyphens and dots ("Mme Marie-Thé O'Neil")
PLAIN_NAME = re.compile(r"[^\W\d_](?:[^\W\d_]|[ '’.\-])*")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Problem = tuple[str, dict[str, object]]  # a `rows.` catalogue key and its values


def control_character(text: str) -> bool:
    """NUL, escape, bell…: nothing a person types on purpose (tabs and new lines aside)."""
    return any(unicodedata.category(c) == "Cc" and c not in "\t\n" for c in text)


def name_problem(name: str) -> Problem | None:
    """Why this cannot be a person's name, or None when it can."""
    if control_character(name):
        return "control", {}
    if len(name) > NAME_MAX:
        return "too_long", {"n": len(name), "limit": NAME_MAX}
    if name.startswith(FORMULA_STARTS):
        return "formula", {"char": repr(name[0])}
    if name.startswith("/"):
        return "slash", {}
    if not PLAIN_NAME.fullmatch(name):
        return "letters", {}
    return None


def text_problem(value: str, limit: int, *, formula: bool = True) -> Problem | None:
    """Why a free text (notes, a building) cannot be kept as it is, or None."""
    if control_character(value):
        return "control", {}
    if len(value) > limit:
        return "too_long", {"n": len(value), "limit": limit}
    if formula and value.startswith(FORMULA_STARTS[:4]) and not re.fullmatch(r"-?\d+", value):
        return "formula", {"char": repr(value[0])}
    return None
