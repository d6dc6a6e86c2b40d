"""What identifies or describes one person inside any text: their number in every way people
write it, their Telegram id, their name, their flat, and the words they wrote themselves.

Erasure has to find the person in other people's messages too (a coordinator's `/locataire`
answer, a volunteer's round, a visit report, a forwarded question), where no foreign key
points at them: only the text does. Pure: no database, no I/O.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import phonenumbers

ERASED = "(effacé)"
MIN_WORDS = 3  # a name or address shorter than this would match everything
MIN_QUOTE = 12  # a text the person wrote, shorter than this ("oui", "merci"), is no trace
QUOTE_PREFIX = 40  # quotes are often cut: the start of a long text is a trace of its own
# digits, possibly split by spaces, dots, dashes or slashes ("06 11 11 11 11", "06.11…")
DIGIT_RUN = re.compile(r"\+?\d(?:[\s.\-/]{0,2}\d)*")
TITLES = ("mme", "madame", "mlle", "m.", "monsieur", "mr", "mrs", "ms", "miss", "dr")


def phone_digits(e164: str) -> list[str]:
    """Every run of digits a person may write for this number: +33611111111 gives
    33611111111, 0033611111111, 0611111111 and 611111111."""
    number = phonenumbers.parse(e164, None)
    national = str(number.national_number)
    prefix = phonenumbers.ndd_prefix_for_region(
        phonenumbers.region_code_for_number(number) or "", True
    )
    forms = {e164.lstrip("+"), "00" + e164.lstrip("+"), national}
    if prefix:
        forms.add(prefix + national)
    return sorted(forms, key=len, reverse=True)


def name_forms(name: str) -> list[str]:
    """The name as given, without its title, and the title with the surname ("Mme Pouli")."""
    words = name.split()
    forms = {name.strip()}
    if len(words) >= 2 and words[0].lower().rstrip(".") in {t.rstrip(".") for t in TITLES}:
        forms.add(" ".join(words[1:]))
        if len(words) >= 3:
            forms.add(f"{words[0]} {words[-1]}")
    return [f for f in forms if len(f) >= MIN_WORDS]


def quote_forms(text: str) -> list[str]:
    """A text the person wrote, and its first words when quotes may have cut it."""
    text = " ".join(text.split())
    if len(text) < MIN_QUOTE:
        return []
    forms = [text]
    if len(text) > QUOTE_PREFIX:
        forms.append(text[:QUOTE_PREFIX].rstrip())
    return forms


@dataclass
class Traces:
    """One person's traces; `found` says whether a text holds one, `redact` replaces each."""

    phones: list[str] = field(default_factory=list)  # digit runs (see phone_digits)
    ids: list[str] = field(default_factory=list)  # whole digit runs only (Telegram id)
    words: list[str] = field(default_factory=list)  # literal, any case, any spacing
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False)

    def add_phone(self, e164: str | None) -> None:
        if e164:
            self.phones.extend(d for d in phone_digits(e164) if d not in self.phones)

    def add_words(self, values: Iterable[str | None]) -> None:
        for value in values:
            value = " ".join((value or "").split())
            if len(value) < MIN_WORDS:
                continue
            for form in (value, html.escape(value)):  # printed round sheets are HTML
                if form not in self.words:
                    self.words.append(form)
        self._pattern = None

    @property
    def pattern(self) -> re.Pattern[str] | None:
        if self._pattern is None and self.words:
            parts = [
                r"\s+".join(re.escape(w) for w in word.split())
                for word in sorted(self.words, key=len, reverse=True)
            ]
            self._pattern = re.compile("|".join(parts), re.IGNORECASE)
        return self._pattern

    def spans(self, text: str) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        if self.pattern is not None:
            found += [m.span() for m in self.pattern.finditer(text)]
        for run in DIGIT_RUN.finditer(text):
            found += self._digit_spans(run)
        return sorted(found)

    def _digit_spans(self, run: re.Match[str]) -> list[tuple[int, int]]:
        where = [run.start() + i for i, c in enumerate(run.group()) if c.isdigit()]
        digits = "".join(c for c in run.group() if c.isdigit())
        if digits in self.ids:
            return [run.span()]
        out = []
        for form in self.phones:
            at = digits.find(form)
            while at >= 0:
                start = where[at] - (1 if where[at] > 0 and run.string[where[at] - 1] == "+" else 0)
                out.append((start, where[at + len(form) - 1] + 1))
                at = digits.find(form, at + len(form))
        return out

    def found(self, text: str | None) -> bool:
        return bool(text) and bool(self.spans(text))  # type: ignore[arg-type]

    def redact(self, text: str) -> str:
        """Each trace replaced by "(effacé)"; the rest of the text stays."""
        out, last = [], 0
        for start, end in self.spans(text):
            if start < last:  # overlapping: the first one already covers it
                continue
            out += [text[last:start], ERASED]
            last = end
        return "".join(out) + text[last:]

    def found_in(self, value: Any) -> bool:
        """Whether a JSON value (any depth) holds a trace."""
        if isinstance(value, str):
            return self.found(value)
        if isinstance(value, dict):
            return any(self.found_in(k) or self.found_in(v) for k, v in value.items())
        if isinstance(value, list | tuple):
            return any(self.found_in(v) for v in value)
        return False

    def redact_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {k: self.redact_value(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.redact_value(v) for v in value]
        return value
