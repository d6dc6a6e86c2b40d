"""One message being parsed: its tokens, and which stage has claimed which token.

Stages run in a fixed order (numbers that are not quantities, dates, items) and each marks the
tokens it consumed, so a floor number can never become a quantity and a day number never becomes
a baguette count. Patterns are regular expressions over the tokens joined by single spaces; a
match is turned back into a token span.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Message:
    toks: tuple[str, ...]
    lang: str  # the language the words are read in (not necessarily the reply language)
    question: bool = False
    tags: list[str | None] = field(default_factory=list)
    text: str = ""
    starts: list[int] = field(default_factory=list)
    breaks: frozenset[int] = frozenset()  # tokens that open a clause (after ",", ".", "?"...)
    stops: frozenset[int] = frozenset()  # tokens that open a sentence (after ".", "!", "?")
    # words that took back a value said before ("non, 3"): no negation, no cancellation
    corrections: list[tuple[int, int]] = field(default_factory=list)
    # days a correction set aside ("2 baguettes mardi. non mercredi"): no order of their own
    taken_back: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.tags = [None] * len(self.toks)
        self.text = " ".join(self.toks)
        pos, starts = 0, []
        for tok in self.toks:
            starts.append(pos)
            pos += len(tok) + 1
        self.starts = starts

    def __len__(self) -> int:
        return len(self.toks)

    def span(self, m: re.Match[str], group: int | str = 0) -> tuple[int, int]:
        """Token range [i, j) covered by a match (or one of its groups)."""
        start, end = m.span(group)
        i = bisect_right(self.starts, start) - 1
        j = bisect_right(self.starts, max(start, end - 1))
        return i, j

    def find(self, pattern: re.Pattern[str]) -> Iterator[tuple[int, int, re.Match[str]]]:
        for m in pattern.finditer(self.text):
            i, j = self.span(m)
            yield i, j, m

    def has(self, pattern: re.Pattern[str]) -> bool:
        return pattern.search(self.text) is not None

    def free(self, i: int) -> bool:
        return 0 <= i < len(self.toks) and self.tags[i] is None

    def all_free(self, i: int, j: int) -> bool:
        return all(self.tags[k] is None for k in range(i, j))

    def mark(self, i: int, j: int, tag: str) -> None:
        for k in range(i, j):
            if self.tags[k] is None:
                self.tags[k] = tag

    def same_clause(self, i: int, j: int) -> bool:
        """Tokens i < j are in one clause: no punctuation between them."""
        return not any(i < b <= j for b in self.breaks)

    def same_sentence(self, i: int, j: int) -> bool:
        """Tokens i < j are in one sentence: no full stop between them."""
        return not any(i < b <= j for b in self.stops)

    def clause(self, i: int) -> tuple[int, int]:
        """The token range [a, b) of the clause holding token i."""
        a = max((b for b in self.breaks if b <= i), default=0)
        b = min((b for b in self.breaks if b > i), default=len(self.toks))
        return a, b

    def loose_clause(self, i: int) -> tuple[int, int]:
        """The clause holding token i, cut also at words that join two clauses ("so", "donc",
        "parce que", "mais"): "I've got the doctor on Monday so could I have a loaf on Tuesday"."""
        cuts = self.breaks | {k for k, t in enumerate(self.toks) if t in _JOINERS}
        cuts |= {  # "2 baguettes svp elle reste le week end": what follows the "please" tells
            k + 1 for k, t in enumerate(self.toks[:-1]) if t in _POLITE_END
        }
        a = max((b for b in cuts if b <= i), default=0)
        b = min((b for b in cuts if b > i), default=len(self.toks))
        return a, b

    def sentence(self, i: int) -> tuple[int, int]:
        """The token range [a, b) of the sentence holding token i."""
        a = max((b for b in self.stops if b <= i), default=0)
        b = min((b for b in self.stops if b > i), default=len(self.toks))
        return a, b

    def tok(self, i: int) -> str:
        return self.toks[i] if 0 <= i < len(self.toks) else ""


def word_set(spec: str) -> frozenset[str]:
    """A set of words written as one space-separated string (long lists stay readable)."""
    return frozenset(spec.split())


_JOINERS = word_set("so donc alors because parce car mais but since puisque coup")
_POLITE_END = word_set("svp stp please")


def words(spec: str) -> str:
    """A regex alternation from a space-separated word list (longest first, escaped)."""
    return "|".join(sorted(map(re.escape, spec.split()), key=len, reverse=True))
