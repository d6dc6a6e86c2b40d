"""`parse()`: one message, today's date and maybe a language in; one `Parse` out.

The stages run in a fixed order, each claiming the tokens it understands so the next cannot
misread them: fold and tokenise (SMS and by-ear spellings included), correct misspellings, numbers
as digits, numbers that are not quantities (floors, times...), dates, items (compounds such as
"sac à pain" claimed as no item), then corrections ("2 baguettes... non 3": the last value wins).
Then the intent is chosen, and the fields of that intent are filled in here, with a question
whenever acting would be a guess. Days and negations told in a sentence of their own, beside the
order ("je rentre de l'hôpital demain. Une baguette samedi"), are set aside.
"""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from rapidfuzz.distance import OSA

from handlers.nlu import corrections, cues, dates, items, noise
from handlers.nlu.calendar_words import (
    MONTHS,
    RELATIVE_DAYS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAY_KEYS,
    WEEKDAYS,
    WEEKDAYS_PLURAL,
)
from handlers.nlu.dates import Day, Found, Placed, resolve, weekdays_of
from handlers.nlu.frames import kept_weekdays, read_frame
from handlers.nlu.intents import Clues, decide, item_habit, unexplained_negation
from handlers.nlu.items import Mention
from handlers.nlu.lang import KNOWN_WORDS, detect
from handlers.nlu.lexicon import PRODUCT, UNIT, Lexicon
from handlers.nlu.message import Message, word_set
from handlers.nlu.normalise import BREAK, STOP, Folded, tokens
from handlers.nlu.numbers import merge_words
from handlers.nlu.questions import question
from handlers.nlu.result import Parse
from handlers.nlu.spelling_stoplist import REAL_WORDS


def read(text: str, lang: str | None, lexicon: Lexicon, today: date | None = None) -> Clues:
    """Every stage up to the intent: what the message says, token by token.

    The last reading of this thread is kept: a message answering an open question is read by
    the router's `parse`, then by the answer's reader (`read_quantity`, `read_date`…), and the
    stages after folding run once. Nothing changes a `Clues` after reading but `today` (set by
    `parse_strict` before use) and its own memos, so sharing it is safe within one thread."""
    folded = tokens(text)
    reading_lang = detect(folded.tokens) if folded.tokens else (lang or "fr")
    last = getattr(_LAST, "reading", None)
    if (
        last is not None
        and last[0] is lexicon
        and last[1] == reading_lang
        and last[2] == folded
        and (today is None or last[3].today in (None, today))  # its memos may hold its day
    ):
        return last[3]
    clues = _read(folded, reading_lang, lexicon)
    _LAST.reading = (lexicon, reading_lang, folded, clues)
    return clues


_LAST = threading.local()  # per thread: the db worker pool reads messages in parallel


def _read(folded: Folded, reading_lang: str, lexicon: Lexicon) -> Clues:
    speller = lexicon.speller
    merged = merge_words(tuple(speller.correct(t) for t in folded.tokens))
    if reading_lang == "en":
        merged = _four_for(merged)
    toks = tuple(t for t in merged if t not in (BREAK, STOP))
    breaks, stops = _clause_starts(merged)
    msg = Message(toks, reading_lang, folded.question, breaks=breaks, stops=stops)
    noise.before_dates(msg, lexicon)
    found = dates.scan(msg, lexicon)
    noise.after_dates(msg)
    reading = items.read(msg, lexicon)
    found = corrections.apply(msg, found, reading)
    return Clues(msg, found, reading, symbols_only=folded.had_symbols, link=folded.had_link)


_DAY_AHEAD = frozenset(
    {*WEEKDAYS, *WEEKDAYS_PLURAL, *WEEKDAY_ABBREVIATIONS, *MONTHS, *RELATIVE_DAYS}
    | {"next", "this", "the", "tonight", "tmoz", "2moz", "weekend", "xmas", "christmas"}
)


def _four_for(toks: tuple[str, ...]) -> tuple[str, ...]:
    """ "some loaves 4 sunday", "one loaf 4 tmrw": in English SMS a "4" between a word and a day
    is "for", not four loaves ("2 loaves 4 tomorrow" keeps its 2)."""
    out = list(toks)
    for k in range(1, len(out) - 1):
        if out[k] != "4" or out[k + 1] not in _DAY_AHEAD:
            continue
        prev = out[k - 1]
        if prev in WEEKDAYS and out[k + 1] in MONTHS:
            continue  # "until Friday 4 June": the 4th
        if prev.isalpha() and prev not in ("x", "the", "le", "on", "and", "et"):
            out[k] = "for"
    return tuple(out)


def _clause_starts(merged: tuple[str, ...]) -> tuple[frozenset[int], frozenset[int]]:
    """Indices (in the tokens without marks) of the words that open a clause, and of those that
    open a sentence (after ".", "!", "?")."""
    clauses: set[int] = set()
    sentences: set[int] = set()
    k = 0
    for t in merged:
        if t in (BREAK, STOP):
            clauses.add(k)
            if t == STOP:
                sentences.add(k)
        else:
            k += 1
            if t == "?":
                clauses.add(k)
                sentences.add(k)
    return frozenset(clauses), frozenset(sentences)


def parse(
    text: str, today: date, lang: str | None = None, *, lexicon: Lexicon | None = None
) -> Parse:
    """The intent of one tenant's message, per the parser contract (DESIGN.md).

    Never raises: a message the stages cannot read (a bug of ours, never the tenant's) is
    passed to a person as `other`, which acts on nothing. Tests call `parse_strict` to see it."""
    try:
        return parse_strict(text, today, lang, lexicon=lexicon)
    except Exception:  # a tenant's message must never crash the conversation
        return Parse("other", lang=lang if lang in ("fr", "en") else "fr")


def parse_strict(
    text: str, today: date, lang: str | None = None, *, lexicon: Lexicon | None = None
) -> Parse:
    """`parse`, letting any error through (for tests and fuzzing)."""
    lexicon = lexicon or Lexicon.default()
    clues = read(text or "", lang, lexicon, today)
    clues.today = today
    reply_lang = lang if lang in ("fr", "en") else clues.msg.lang
    intent = decide(clues)
    fields = _Fields(clues, today, reply_lang, lexicon)
    if intent in ("order", "standing_order"):
        result = fields.order(intent)
    elif intent == "cancel":
        result = fields.cancel()
    elif intent == "pause":
        result = fields.pause()
    elif intent in ("list", "visit"):
        result = Parse(intent, date=fields.single_day(), lang=reply_lang)
    elif (
        intent == "help"
        and _asks_for_items(clues)
        and not (clues.cue(cues.IF_I_ORDER) and clues.cue(cues.ASKS_PRICE))
    ):
        result = fields.order("order")  # "est-ce que je peux avoir du pain vendredi ?"
    else:
        result = Parse(intent, lang=reply_lang)
    if result.intent == "standing_order" and _mostly_once(clues):
        # "1 baguette lundi, 1 baguette mercredi et 1 baguette vendredi avec un pack d'eau le
        # vendredi": days said plainly, each with its items; one "le vendredi" makes no habit
        said_once = [
            Found("day", Day("wd", weekday=next(iter(f.days))), span=f.span)
            if f.kind == "weekdays" and len(f.days) == 1
            else f
            for f in clues.found
        ]
        once = read_frame(replace(clues, found=said_once), today, "order", lexicon)
        if len(once.segments) > 1:
            first, pairs = once.segments[0]
            return Parse("order", items=dict(pairs), date=first, lang=reply_lang, frame=once)
    few = _next_few(clues, today) if intent in ("order", "standing_order") else ()
    totals = clues.reading.totals()
    if few and totals and all(q and q <= lexicon.item(k).limit for k, q in totals.items()):
        # "les deux prochains samedis une baguette": two Saturdays, not every Saturday
        items = {k: q for k, q in totals.items() if q}
        frame = replace(
            read_frame(clues, today, "order", lexicon),
            segments=tuple((d, tuple(items.items())) for d in few),
        )
        return Parse("order", items=items, date=few[0], lang=reply_lang, frame=frame)
    frame = read_frame(clues, today, result.intent, lexicon)
    if (
        result.date is not None
        and frame.week is not None
        and len(set(frame.days)) == 1
        and result.date < frame.week[0] <= frame.days[0] <= frame.week[1]
    ):  # "jeudi de la semaine prochaine": that week's Thursday, not this week's
        result = replace(result, date=frame.days[0])
    plain = [f for f in clues.found if f.kind == "day" and f.first is not None]
    if (
        result.intent in ("cancel", "standing_order")
        and result.date is not None
        and not result.weekdays
        and clues.cue(cues.STANDING)
        and len(plain) == 1
        and plain[0].first.kind == "wd"
        and plain[0].first.mode in ("bare", "def")
        and len(frame.weekday_names) == 1
    ):  # "Every week from now on, no bread on Wednesday": Wednesdays, not the next one
        result = replace(result, date=None, weekdays=frame.weekday_names)
        frame = replace(frame, days=())
    if (
        result.intent == "standing_order"
        and result.items
        and not result.clarify
        and len(set(frame.days)) == 1
        and _JUST_ONCE.search(" ".join(clues.msg.toks))
    ):  # "pour lundi qui vient exceptionnellement remettez-moi un pack d'eau. Après on reste
        # sans eau le lundi": that Monday, once
        result = replace(result, intent="order", date=frame.days[0], weekdays=())
    if result.intent == "standing_order" and set(result.weekdays) - set(frame.kept_weekdays):
        # "from now on only 1 on Tuesdays. Mondays and Wednesdays stay the same": Tuesday
        result = replace(
            result, weekdays=tuple(w for w in result.weekdays if w not in frame.kept_weekdays)
        )
    return replace(result, frame=frame)


_JUST_ONCE = re.compile(
    r"\b(?:exceptionnellement|juste\scette\sfois|pour\scette\sfois|just\sthis\sonce|only\sthis\sonce"
    r"|this\stime\sonly|just\sthis\stime|pour\sune\sfois|une\sfois\sn\sest\spas\scoutume)\b"
)
_FOR_MY_RETURN = re.compile(r"\b(?:pour|a|des|for|on) (?:mon|my|notre|our) (?:retour|return)\b")
_DURATION = re.compile(  # not "dans deux semaines", "il y a deux semaines", "in two weeks"
    r"(?<!\bdans )(?<!\by a )(?<!\bin )(?<!\bago )"
    r"\b(?:(?:pour|pendant|durant|for|absente?s?|away|partie?s?|vacances|holiday)\s)?"
    r"(?:(\d+)|une|un|a|one)\s(semaines?|jours|mois|weeks?|days|months?)\b(?!\s(?:ago|plus tard))"
)


# "2 of each", "deux de chaque", "2 chacun": that number of every item named
_OF_EACH = re.compile(r"\b(\d{1,2}) (?:of each|each|de chaque|de chacun|chacun|chacune)\b")


def _asking(c: Clues, m: Any) -> bool:
    """The product is asked for in a sentence that asks ("je voudrais du lait et 2 baguettes"):
    an errand for the team, beside the order ("une baguette et un croissant demain" is a doubt
    about the order: asked)."""
    a, b = c.msg.sentence(m.span[0])
    return cues.ASKING.search(" ".join(c.msg.toks[a:b])) is not None


def _mostly_once(c: Clues) -> bool:
    """A habit read only from "le <jour>" said beside plain weekdays ("lundi", "mercredi")."""
    if c.cue(cues.STANDING) or any(t in _EVERY for t in c.msg.toks):
        return False
    weekly = [f for f in c.found if f.kind == "weekdays"]
    plain = [
        f
        for f in c.found
        if f.kind == "day"
        and f.first
        and f.first.kind == "wd"
        and not _AS_BEFORE.match(" ".join(c.msg.toks[f.span[1] : c.msg.clause(f.span[0])[1]]))
    ]  # (not "Mardi et mercredi pareil qu'avant": no order)
    return bool(plain) and all(f.habit in ("def", "attr") for f in weekly)


_NEXT_WEEK = re.compile(
    r"^(?:(?!\b(?:du|from|a\spartir|jusqu|until|till)\b).)*"
    r"\b(?:(?:toute\s)?la\ssemaine\sprochaine|la\sprochaine\ssemaine|(?:all\s)?next\sweek)\b"
    r"(?!\s(?:\S+\s)?(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|monday|tuesday|wednesday|thursday"
    r"|friday|saturday))"
)
_AS_BEFORE = re.compile(
    r"^(?:(?:et|and|ou|or|le|the|on|lundi|mardi|mercredi|jeudi|vendredi|samedi|monday|tuesday"
    r"|wednesday|thursday|friday|saturday)\s)*(?:pareils?|comme\s(?:avant|d\s?habitude|d\shab)"
    r"|as\s(?:before|usual)|the\ssame|inchanges?|unchanged|ne\schangent?\spas|stay\sthe\ssame)\b"
)
_ON_TOP_OF = re.compile(
    r"\b(?:en plus (?:du|de la|de l|des|de mon|de ma|de mes)|on top of (?:the|my)"
    r"|in addition to (?:the|my))(?: usual| regular| normal| habituel\w*)?$"
)
_USUAL_WORDS = word_set("usual regular normal habituel habituelle")
_POSSESSIVE = word_set("my mon ma mes our notre nos")
_FEW = {"2": 2, "3": 3, "4": 4}
_NEXT_WORDS = word_set("prochains prochaines suivants suivantes next following coming")


def _next_few(c: Clues, today: date) -> tuple[date, ...]:
    """ "les deux prochains samedis", "the next two Saturdays", "the 3 coming Mondays": that many
    dates of one weekday, from the first one after today."""
    toks = c.msg.toks
    for k, tok in enumerate(toks):
        if tok not in WEEKDAYS_PLURAL:
            continue
        before = toks[max(0, k - 2) : k]
        if len(before) < 2 or (before[0] not in _FEW and before[1] not in _FEW):
            continue
        if not set(before) & _NEXT_WORDS:
            continue
        n = _FEW[before[0] if before[0] in _FEW else before[1]]
        first = today + timedelta(days=(WEEKDAYS_PLURAL[tok] - today.weekday() - 1) % 7 + 1)
        return tuple(first + timedelta(weeks=w) for w in range(n))
    return ()


_MAY_I = re.compile(
    r"\b(?:je\s(?:peux|pourrais|pourrai)|pourrais\sje|puis\sje|est\sce\sque\sje\speux)\s"
    r"(?:avoir|recevoir|commander|prendre)\b|\b(?:can|could|may)\si\s(?:have|get|order)\b"
)


def _asks_for_items(c: Clues) -> bool:
    """A polite question that is an order: items wanted, a day, "est-ce que je peux avoir"."""
    if _ASKING_WHAT.search(c.msg.text):
        return False  # "combien de baguettes je peux commander ?": a question about the rules
    return bool(c.catalogue_items) and not c.negated_items and _MAY_I.search(c.msg.text) is not None


_ASKING_WHAT = re.compile(r"\b(?:combien|quels?|quelles?|how\smany|how\smuch|which|what)\b")


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
        unnumbered = [m for m in c.catalogue_items if m.qty is None]
        after = max((m.span[1] for m in unnumbered), default=len(c.msg))
        loose = [
            n
            for k, n in c.reading.loose_numbers
            if k >= after and c.msg.tags[k] is None and 1 <= n <= 20
        ]
        if len(loose) == 1 and len(totals) == 1 and len(unnumbered) == len(c.catalogue_items):
            totals = {next(iter(totals)): loose[0]}  # "Bread next monday, 2 please"
        each = _OF_EACH.search(" ".join(c.msg.toks))
        if each and len(totals) > 1 and not any(m.qty for m in c.catalogue_items):
            totals = dict.fromkeys(totals, int(each.group(1)))  # "bread and water, 2 of each"
        in_all = cues.IN_ALL_N.search(" ".join(c.msg.toks))
        if in_all and len(totals) == 1:  # "make it 4 extra loaves instead of 3, so 6 in total"
            totals = dict.fromkeys(totals, int(in_all.group(1)))
        if any(n for n in totals.values()) and c.cue(cues.ADD_TO):
            # "ajouter un pack d'eau aux baguettes": the bread is what it goes with
            totals = {k: n for k, n in totals.items() if n is not None}
        had = {
            m.key
            for m in c.reading.mentions
            if m.qty is None
            and (
                c.msg.tok(m.span[0] - 1) in _POSSESSIVE
                or (  # "remettez-moi un pack d'eau avec le pain": the bread it goes with
                    c.msg.tok(m.span[0] - 1) in ("le", "la", "les", "l", "the")
                    and c.msg.tok(m.span[0] - 2) in ("avec", "with")
                )
                or (
                    c.msg.tok(m.span[0] - 1) in _USUAL_WORDS
                    and c.msg.tok(m.span[0] - 2) in _POSSESSIVE
                )
            )
        }
        beside = {  # "Monday then, with my usual bread": the bread is no new order
            m.key
            for m in c.reading.mentions
            if m.key in had
            and {"with", "avec"} & set(c.msg.toks[max(0, m.span[0] - 3) : m.span[0]])
        }
        if beside and not any(q for k, q in totals.items() if k not in had):
            counted = {m.key for m in c.reading.mentions if m.qty}
            totals = {k: q for k, q in totals.items() if k not in beside or k in counted}
        if had and any(q for k, q in totals.items() if k not in had):
            # "a pack of water with my (usual) bread on Tuesday": the bread is coming anyway
            counted = {m.key for m in c.reading.mentions if m.qty}
            totals = {k: q for k, q in totals.items() if k not in had or k in counted}
        on_top = {  # "vendredi alors, en plus du pain": what the day already has, no order
            m.key
            for m in c.catalogue_items
            if m.qty is None
            and _ON_TOP_OF.search(" ".join(c.msg.toks[max(0, m.span[0] - 4) : m.span[0]]))
        }
        if on_top and not any(m.qty for m in c.catalogue_items if m.key in on_top):
            totals = {k: q for k, q in totals.items() if k not in on_top}
        self.carry = {
            "items": {k: q for k, q in totals.items() if q and q <= self.lexicon.item(k).limit},
            "mentioned": tuple(dict.fromkeys(m.key for m in c.wanted if m.key)),
        }
        if intent == "standing_order":
            self.carry["weekdays"] = self.weekdays()
            when: date | Parse | None = self.start_day(intent)
            weekly = [f for f in c.found if f.kind == "weekdays"]
            if weekly and all(f.habit == "attr" for f in weekly) and not c.cue(cues.STANDING):
                self.carry["weekdays"] = ()
                return self.ask("order", "vague_date")  # "Friday bread please": once, or weekly?
        else:
            when = self.delivery_day(intent)
            if when is None and _unread_time(c):
                when = self.ask(intent, "vague_date")  # "2 loaves 4 tmoz": a day we cannot read
        if not isinstance(when, Parse):
            self.carry["date"] = when
        unknown = [m for m in c.wanted if m.kind in (UNIT, PRODUCT)]
        counted = [m for m in c.catalogue_items if m.qty]
        if counted:
            # "je ne peux plus porter les bouteilles, il me faudrait 2 packs d'eau": the bottles
            # are what the tenant talks about (referred to, or in another clause), the packs
            # what they ask for
            unknown = [m for m in unknown if m.how != "reference" and _beside(c, m, counted)]
            # "du lait et 2 baguettes pour jeudi", "2 packs d'eau lundi et aussi des médicaments":
            # ours are booked, the rest goes to the team (frames.errand)
            unknown = [m for m in unknown if m.kind == UNIT or not _asking(c, m)]
        if unknown:
            first = unknown[0]
            if first.kind == UNIT:
                return self.ask(
                    intent, "unknown_unit", **({"item": first.key} if first.key else {})
                )
            return self.ask(intent, "unknown_item")
        if not totals and c.negated_items and intent == "order":
            span = self._stay()
            if span is not None:  # "on holiday from the 21st to the 29th, no bread or water"
                return Parse("pause", date=span[0], until=span[1], lang=self.lang)
        if not totals:
            missing = next((m.key for m in c.negated_items if m.key), None)
            if missing and c.cue(cues.STATE_NEGATION) and not c.request:
                self.carry["mentioned"] = (missing,)  # "je n'ai plus de pain": bread is meant
                return self.ask("order", "order_unsure", item=missing)
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
            plain = tuple(dict.fromkeys(
                WEEKDAY_KEYS[f.first.weekday] for f in c.found
                if f.kind == "day" and f.first is not None and f.first.kind == "wd"
                and f.first.weekday is not None
            ))  # fmt: skip
            if len(plain) != 1:
                return self.ask(intent, "weekdays_missing")
            self.carry["weekdays"] = plain  # "add Thursday, 2 loaves, every week"
        unsure = c.cue(cues.UNSURE) and not c.cue(cues.REFUSAL)
        negation = unexplained_negation(c, c.ordered_times)
        if (c.question and not c.request and not c.explicit) or negation or unsure:
            # "du pain lundi ?": an order, or a question about one? A negation the reading could
            # not place: perhaps the opposite of an order. Asked, never assumed.
            return self.ask(intent, "order_unsure", item=next(iter(totals)))
        return Parse(intent, lang=self.lang, **self.carry)

    def _counted_twice(self, key: str) -> bool:
        """Two numbers for one item: "3 baguettes, non pardon, 2 baguettes"."""
        counted = [m for m in self.c.wanted if m.key == key and m.how == "number"]
        return len(counted) > 1

    def delivery_day(self, intent: str = "order") -> date | Parse | None:
        """The one day an order (or a cancellation) is for, or the question that settles it."""
        c = self.c
        found = c.found
        if intent in ("order", "standing_order"):
            found = c.ordered_times
        spans = [f for f in found if f.kind in ("range", "until", "return")]
        days = [f for f in found if f.kind in ("day", "start") and f.first is not None]
        back = [f for f in spans if f.kind == "return" and f.first is not None]
        if (
            intent == "order"
            and not days
            and len(spans) == 1
            and back
            and c.wanted
            and _FOR_MY_RETURN.search(c.msg.text)
        ):
            # "pour mon retour le lundi 21 : 2 baguettes": the day of the return is the order's
            days, spans = [Found("day", back[0].first, span=back[0].span)], []
        told = [f for f in days if f.first is not None and not f.first.narrative]
        if told:
            days = told
        days = _aside(days, c.msg)
        placed = [resolve(f.first, self.today) for f in days if f.first is not None]
        alternative = self._alternative(intent, placed)
        if alternative is not None:
            return alternative
        if spans:  # a period where one day is wanted: ask which
            span = spans[0]
            if span.first is not None and span.second is not None:
                first = resolve(span.first, self.today)
                second = resolve(span.second, self.today, after=first.date)
                if first.date is not None and second.date is not None:
                    return self.ask(intent, "two_dates", first=first.date, second=second.date)
            return self.ask(intent, "vague_date")
        if not placed:
            if any(f.kind == "vague" for f in found):
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

    def _alternative(self, intent: str, placed: list[Placed]) -> Parse | None:
        """Days offered as a choice ("demain ou après-demain", "le 5 ou le 6"): ask which."""
        if not any(f.kind == "alt" for f in self.c.found):
            return None
        known = sorted({p.date for p in placed if p.date is not None})
        if len(known) > 1:
            return self.ask(intent, "two_dates", first=known[0], second=known[1])
        return self.ask(intent, "vague_date")

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
        return weekdays_of(self.c.ordered_times, plain=not strict and self.c.habit)

    # --- cancel and pause --------------------------------------------------------------------

    def cancel(self) -> Parse:
        span = self._stay()
        if span is not None:  # "de samedi à mardi, ne passez pas": a stay away, said once
            return Parse("pause", date=span[0], until=span[1], lang=self.lang)
        attached = item_habit(self.c)  # "le pain du samedi": that habit, not "tous les week-ends"
        habitual = weekdays_of(attached) if attached else self.weekdays(strict=True)
        kept = kept_weekdays(self.c.found, self.c.msg)
        habitual = tuple(d for d in habitual if d not in kept)
        if habitual:
            return Parse("cancel", weekdays=habitual, lang=self.lang)
        when = self.delivery_day("cancel")
        if isinstance(when, Parse):
            return when
        if when is None and (self.c.cue(cues.TIME_WORDS) or _unread_time(self.c)):
            return self.ask("cancel", "vague_date")  # a time the reader could not place
        return Parse("cancel", date=when, lang=self.lang)

    def _stay(self) -> tuple[date, date] | None:
        """A range of days ("de samedi à mardi", "from the 21st to the 29th") with no word of a
        weekly habit: the days of one absence, not those weekdays every week."""
        c = self.c
        if c.cue(cues.STANDING) or any(t in _EVERY for t in c.msg.toks):
            return None
        for f in c.found:
            if f.kind == "range" and f.first is not None and f.second is not None:
                first = resolve(f.first, self.today)
                if first.date is None or first.problem:
                    return None
                second = resolve(f.second, self.today, after=first.date)
                if second.date is None or second.problem or second.date < first.date:
                    return None
                return first.date, second.date
        return None

    def pause(self) -> Parse:
        c = self.c
        start: date | None = None
        until: date | None = None
        returned = False
        alternatives = [f for f in c.found if f.kind == "alt"]
        if alternatives:  # "je pars le 5 ou le 6, jusqu'au 20": which first day?
            alt = alternatives[0]
            return self._two_days("pause", [Found("day", alt.first), Found("day", alt.second)])
        for f in c.found:
            if f.kind == "range" and f.first is not None and f.second is not None:
                first = resolve(f.first, self.today)
                if first.date is None or first.problem:
                    return self._problem("pause", first) or self.ask("pause", "impossible_date")
                second = resolve(f.second, self.today, after=first.date)
                if second.date is None or second.problem:
                    return self._problem("pause", second) or self.ask("pause", "impossible_date")
                start, until = first.date, second.date
            elif (
                f.kind in ("until", "return")
                and f.first is not None
                and (until is None or (f.kind == "until" and returned))
            ):
                # "je rentre le 12, donc jusqu'au vendredi 12": the "until" said is the end
                placed = resolve(f.first, self.today, after=start)
                problem = self._problem("pause", placed)
                if problem is not None or placed.date is None:
                    return problem or self.ask("pause", "impossible_date")
                returned = f.kind == "return"
                until = placed.date - timedelta(days=1) if returned else placed.date
            elif f.kind == "start" and f.first is not None and start is None:
                placed = resolve(f.first, self.today)
                problem = self._problem("pause", placed)
                if problem is not None:
                    return problem
                start = placed.date
        if start is None:
            days = [f for f in c.found if f.kind == "day" and f.first and not f.first.narrative]
            if until is not None:  # "jusqu'au 14 mars inclus, on reprend le 15": the day after
                after = until + timedelta(days=1)
                days = [f for f in days if f.first and resolve(f.first, self.today).date != after]
            if len(days) == 1 and days[0].first is not None:
                placed = resolve(days[0].first, self.today)
                problem = self._problem("pause", placed)
                if problem is not None:
                    return problem
                open_end = any(f.kind == "open" for f in c.found)
                if until is None and not open_end and (c.cue(cues.NOT_THERE) or _cancel_words(c)):
                    return Parse("cancel", date=placed.date, lang=self.lang)
                start = placed.date
            elif len(days) > 1:
                return self._two_days("pause", days)
        away = c.cue(cues.NOT_THERE) or _cancel_words(c) or "away" in c.msg.toks
        if until is None and start is None and away and _NEXT_WEEK.search(c.msg.text):
            monday = self.today + timedelta(days=7 - self.today.weekday())  # "away next week"
            return Parse("pause", date=monday, until=monday + timedelta(days=6), lang=self.lang)
        lasting = _DURATION.search(c.msg.text) if until is None and start is not None else None
        if lasting is not None and start is not None:  # "à partir du lundi 15 pour 3 semaines"
            first = start
            count = int(lasting.group(1)) if lasting.group(1) else 1
            unit = lasting.group(2)
            length = count * (7 if unit.startswith(("semaine", "week")) else 30 if unit in (
                "mois", "month", "months") else 1)  # fmt: skip
            if count == 15 and unit == "jours":
                length = 14  # "quinze jours" is two weeks
            if 0 < length <= 120:
                start, until = first, first + timedelta(days=length - 1)
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

    def _two_days(self, intent: str, days: list[Found]) -> Parse:
        """The question for two days where one is wanted, naming them when both can be placed."""
        first = resolve(days[0].first, self.today) if days[0].first else None
        second = resolve(days[1].first, self.today) if days[1].first else None
        if first and second and first.date and second.date and first.date != second.date:
            a, b = sorted((first.date, second.date))
            return self.ask(intent, "two_dates", first=a, second=b)
        return self.ask(intent, "vague_date")

    def single_day(self) -> date | None:
        days = [f for f in self.c.found if f.kind == "day" and f.first is not None]
        if len(days) != 1 or days[0].first is None:
            return None
        return resolve(days[0].first, self.today).date


_EVERY = frozenset(
    {"tous", "toutes", "chaque", "every", "each", "lundis", "mardis", "mercredis", "jeudis",
     "vendredis", "samedis", "mondays", "tuesdays", "wednesdays", "thursdays", "fridays",
     "saturdays", "desormais", "dorenavant"}
)  # fmt: skip


def _beside(c: Clues, m: Mention, counted: list[Mention]) -> bool:
    """A mention with its own number, or in the same clause as an item asked for."""
    if m.qty:
        return True
    return any(c.msg.same_clause(*sorted((m.span[0], k.span[0]))) for k in counted)


_JOINING = word_set("et ou and or sinon puis then voire")


def _aside(days: list[Found], msg: Message) -> list[Found]:
    """ "Today" said in passing ("j'ai 90 ans aujourd'hui", "clocks go back tonight") beside the
    day asked for is no second date; "aujourd'hui ou demain", "today and tomorrow" still are."""
    today_words = [
        f
        for f in days
        if f.first is not None
        and f.first.kind == "rel"
        and f.first.offset == 0
        and not f.first.narrative
    ]
    others = [f for f in days if f not in today_words]
    same = msg.same_sentence
    if not today_words or not others:
        return days
    kept = list(others)
    for f in today_words:
        for o in others:
            lo, hi = sorted((f.span, o.span))
            gap = msg.toks[lo[1] : hi[0]]
            if len(gap) <= 3 and any(t in _JOINING for t in gap) and same(lo[0], hi[0]):
                kept.append(f)
                break
    return sorted(kept, key=lambda f: f.span)


# Days spelt beyond what the speller dares to mend: "tmoz", "2moz", "dmn", "satdy", "mercrdi".
_DAY_WORDS = [
    "demain",
    "tomorrow",
    "aujourdhui",
    "today",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
]
_SMS_DAY = re.compile(r"^(?:[2td]m[a-z0-9]{0,5}|tmr\w*|2mo\w*|tom[ao]\w*|demai\w*|dmai\w*|2dai?)$")
_DAY_ABBREVIATIONS = word_set("lun mar mer jeu ven sam dim mon tue tues wed thu thur fri sat sun")


def _unread_time(c: Clues) -> bool:
    """A word left unread that looks like a day: asked, never taken as "no day said"."""
    msg = c.msg
    for tok, tag in zip(msg.toks, msg.tags, strict=True):
        if tag is not None or tok in KNOWN_WORDS or tok in REAL_WORDS or not tok.isalnum():
            continue
        if _SMS_DAY.match(tok) or tok in _DAY_ABBREVIATIONS:
            return True
        limit = 1 if len(tok) <= 6 else 2
        if len(tok) >= 5 and any(
            OSA.distance(tok, w, score_cutoff=limit) <= limit for w in _DAY_WORDS
        ):
            return True
    return False


def _cancel_words(c: Clues) -> bool:
    return c.cue(cues.CANCEL) or c.cue(cues.CANCEL_VERB)
