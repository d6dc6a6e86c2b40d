"""`parse()`: one message, today's date and maybe a language in; one `Parse` out.

The stages run in a fixed order, each claiming the tokens it understands so the next cannot
misread them: fold and tokenise, correct misspellings, numbers as digits, numbers that are not
quantities (floors, times...), dates, items. Then the intent is chosen, and the fields of that
intent are filled in here, with a question whenever acting would be a guess.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from handlers.nlu import cues, dates, items, noise
from handlers.nlu.dates import Placed, resolve, weekdays_of
from handlers.nlu.intents import Clues, decide
from handlers.nlu.lang import detect
from handlers.nlu.lexicon import PRODUCT, UNIT, Lexicon
from handlers.nlu.message import Message
from handlers.nlu.normalise import tokens
from handlers.nlu.numbers import merge_words
from handlers.nlu.questions import question
from handlers.nlu.result import Parse


def read(text: str, lang: str | None, lexicon: Lexicon) -> Clues:
    """Every stage up to the intent: what the message says, token by token."""
    folded = tokens(text)
    reading_lang = detect(folded.tokens) if folded.tokens else (lang or "fr")
    speller = lexicon.speller
    toks = merge_words(tuple(speller.correct(t) for t in folded.tokens))
    msg = Message(toks, reading_lang, question=folded.question)
    noise.before_dates(msg, lexicon)
    found = dates.scan(msg, lexicon)
    noise.after_dates(msg)
    reading = items.read(msg, lexicon)
    return Clues(msg, found, reading, symbols_only=folded.had_symbols)


def parse(
    text: str, today: date, lang: str | None = None, *, lexicon: Lexicon | None = None
) -> Parse:
    """The intent of one tenant's message, per the parser contract (DESIGN.md)."""
    lexicon = lexicon or Lexicon.default()
    clues = read(text or "", lang, lexicon)
    reply_lang = lang if lang in ("fr", "en") else clues.msg.lang
    intent = decide(clues)
    fields = _Fields(clues, today, reply_lang, lexicon)
    if intent in ("order", "standing_order"):
        return fields.order(intent)
    if intent == "cancel":
        return fields.cancel()
    if intent == "pause":
        return fields.pause()
    if intent in ("list", "visit"):
        return Parse(intent, date=fields.single_day(), lang=reply_lang)
    return Parse(intent, lang=reply_lang)


class _Fields:
    """Fills an intent's fields, and the question when one of them would be a guess.

    `carry` holds what is already known (valid items, the day, the weekdays, the items named):
    a question's `Parse` keeps it, so the conversation only asks for what is missing.
    """

    def __init__(self, clues: Clues, today: date, lang: str, lexicon: Lexicon) -> None:
        self.c = clues
        self.today = today
        self.lang = lang
        self.lexicon = lexicon
        self.carry: dict[str, Any] = {}

    def ask(self, intent: str, reason: str, **facts: Any) -> Parse:
        """A question for `reason`; `facts` fill its blanks (item, date, first, second)."""
        text = question(reason, self.lang, self.lexicon, self.today, **facts)
        return Parse(
            intent, clarify=True, question=text, lang=self.lang, reason=reason, **self.carry
        )

    # --- orders ------------------------------------------------------------------------------

    def order(self, intent: str) -> Parse:
        c = self.c
        totals = c.reading.totals()
        self.carry = {
            "items": {k: q for k, q in totals.items() if q and q <= self.lexicon.item(k).limit},
            "mentioned": tuple(dict.fromkeys(m.key for m in c.wanted if m.key)),
        }
        if intent == "standing_order":
            self.carry["weekdays"] = self.weekdays()
            when: date | Parse | None = self.start_day(intent)
        else:
            when = self.delivery_day(intent)
        if not isinstance(when, Parse):
            self.carry["date"] = when
        unknown = [m for m in c.wanted if m.kind in (UNIT, PRODUCT)]
        if unknown:
            first = unknown[0]
            if first.kind == UNIT:
                return self.ask(
                    intent, "unknown_unit", **({"item": first.key} if first.key else {})
                )
            return self.ask(intent, "unknown_item")
        if not totals:
            if c.negated_items and c.cue(cues.STATE_NEGATION) and not c.request:
                return self.ask("order", "order_unsure", item=c.negated_items[0].key)
            return self.ask(intent, "item_missing")
        for key, qty in totals.items():
            if not qty or (self._counted_twice(key) and c.cue(cues.CORRECTION)):
                return self.ask(intent, "quantity_missing", item=key)
        for key, qty in totals.items():
            assert qty is not None
            if qty > self.lexicon.item(key).limit:
                return self.ask(intent, "over_limit", item=key)
        if isinstance(when, Parse):
            return when
        if intent == "standing_order" and not self.carry["weekdays"]:
            return self.ask(intent, "weekdays_missing")
        return Parse(intent, lang=self.lang, **self.carry)

    def _counted_twice(self, key: str) -> bool:
        """Two numbers for one item: "3 baguettes, non pardon, 2 baguettes"."""
        counted = [m for m in self.c.wanted if m.key == key and m.how == "number"]
        return len(counted) > 1

    def delivery_day(self, intent: str = "order") -> date | Parse | None:
        """The one day an order (or a cancellation) is for, or the question that settles it."""
        c = self.c
        spans = [f for f in c.found if f.kind in ("range", "until", "return")]
        days = [f for f in c.found if f.kind in ("day", "start") and f.first is not None]
        told = [f for f in days if f.first is not None and not f.first.narrative]
        if told:
            days = told
        placed = [resolve(f.first, self.today) for f in days if f.first is not None]
        if spans:  # a period where one day is wanted: ask which
            span = spans[0]
            if span.first is not None and span.second is not None:
                first = resolve(span.first, self.today)
                second = resolve(span.second, self.today, after=first.date)
                if first.date is not None and second.date is not None:
                    return self.ask(intent, "two_dates", first=first.date, second=second.date)
            return self.ask(intent, "vague_date")
        if not placed:
            if any(f.kind == "vague" for f in c.found):
                return self.ask(intent, "vague_date")
            return None
        for p in placed:
            problem = self._problem(intent, p)
            if problem is not None:
                return problem
        distinct = sorted({p.date for p in placed if p.date is not None})
        if len(distinct) > 1:
            return self.ask(intent, "two_dates", first=distinct[0], second=distinct[1])
        return distinct[0] if distinct else None

    def _problem(self, intent: str, p: Placed) -> Parse | None:
        if p.problem == "weekday_mismatch":
            first, second = sorted((p.alternative, p.date))
            return self.ask(intent, "weekday_mismatch", first=first, second=second)
        if p.problem == "past":
            return self.ask(intent, "past_date", date=p.date)
        if p.problem == "impossible":
            return self.ask(intent, "impossible_date")
        if p.problem == "vague":
            return self.ask(intent, "vague_date")
        return None

    def start_day(self, intent: str) -> date | Parse | None:
        """The first day of a standing order, when one is given ("à partir de lundi")."""
        start = None
        for f in self.c.found:
            if f.kind == "start" and f.first is not None:
                placed = resolve(f.first, self.today)
                problem = self._problem(intent, placed)
                if problem is not None:
                    return problem
                start = placed.date
        return start

    def weekdays(self, strict: bool = False) -> tuple[str, ...]:
        """The weekdays of a habit; `strict`: only days said as a habit ("le vendredi")."""
        return weekdays_of(self.c.found, plain=not strict and self.c.habit)

    # --- cancel and pause --------------------------------------------------------------------

    def cancel(self) -> Parse:
        habitual = self.weekdays(strict=True)
        if habitual:
            return Parse("cancel", weekdays=habitual, lang=self.lang)
        when = self.delivery_day("cancel")
        if isinstance(when, Parse):
            return when
        if when is None and self.c.cue(cues.TIME_WORDS):
            return self.ask("cancel", "vague_date")  # a time the reader could not place
        return Parse("cancel", date=when, lang=self.lang)

    def pause(self) -> Parse:
        c = self.c
        start: date | None = None
        until: date | None = None
        for f in c.found:
            if f.kind == "range" and f.first is not None and f.second is not None:
                first = resolve(f.first, self.today)
                if first.date is None or first.problem:
                    return self._problem("pause", first) or self.ask("pause", "impossible_date")
                second = resolve(f.second, self.today, after=first.date)
                if second.date is None or second.problem:
                    return self._problem("pause", second) or self.ask("pause", "impossible_date")
                start, until = first.date, second.date
            elif f.kind in ("until", "return") and f.first is not None and until is None:
                placed = resolve(f.first, self.today, after=start)
                problem = self._problem("pause", placed)
                if problem is not None or placed.date is None:
                    return problem or self.ask("pause", "impossible_date")
                until = placed.date - timedelta(days=1) if f.kind == "return" else placed.date
            elif f.kind == "start" and f.first is not None and start is None:
                placed = resolve(f.first, self.today)
                problem = self._problem("pause", placed)
                if problem is not None:
                    return problem
                start = placed.date
        if start is None:
            days = [f for f in c.found if f.kind == "day" and f.first and not f.first.narrative]
            if len(days) == 1 and days[0].first is not None:
                placed = resolve(days[0].first, self.today)
                problem = self._problem("pause", placed)
                if problem is not None:
                    return problem
                if until is None and (c.cue(cues.NOT_THERE) or _cancel_words(c)):
                    return Parse("cancel", date=placed.date, lang=self.lang)
                start = placed.date
            elif len(days) > 1 and until is None:
                return self.ask("pause", "two_dates")
        if until is None:
            self.carry = {"date": start}
            if any(f.kind == "vague" for f in c.found):
                return self.ask("pause", "vague_date")
            return self.ask("pause", "until_missing")
        if until < self.today:
            return self.ask("pause", "past_date", date=until)
        if start is not None and until < start:
            return self.ask("pause", "bad_range")
        return Parse("pause", date=start, until=until, lang=self.lang)

    def single_day(self) -> date | None:
        days = [f for f in self.c.found if f.kind == "day" and f.first is not None]
        if len(days) != 1 or days[0].first is None:
            return None
        return resolve(days[0].first, self.today).date


def _cancel_words(c: Clues) -> bool:
    return c.cue(cues.CANCEL) or c.cue(cues.CANCEL_VERB)
