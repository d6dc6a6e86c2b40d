"""Dates as tenants write them, found in a message and then placed in the calendar.

Two steps, kept apart so each is testable:

- `scan` reads the tokens (after `noise` has claimed floors, times and ages) and returns what was
  written: a day, a range ("du 1er au 8 décembre"), an end ("jusqu'au 15"), a start ("à partir
  de lundi"), a return ("je rentre le 8"), weekdays said as a habit ("tous les mardis", "le
  vendredi"), or a vague time ("la semaine prochaine"). Only whole words that are dates in context
  count: "je" is never Thursday and "ma" never Tuesday; a bare number is a day only after "le",
  "the", "on", inside a range or next to a month.
- `resolve` turns a written day into a calendar date for a given today, and says what is wrong
  with it when something is (past, impossible, a weekday that does not match the number...).

Rules decided here (see the parser contract):
- a bare weekday is its next occurrence after today ("mardi" on a Tuesday is next week's);
  "ce mardi" on a Tuesday is today; "mardi prochain" is the next occurrence too, except when that
  is tomorrow, where speakers disagree, so the parser asks;
- "le 28" without a month is this month's 28th if it is still to come (today included), else next
  month's: "le 2" on 30 December is 2 January, "le 20" on the 24th is the 20th of next month;
- a day and month already gone by less than three months ago is in the past ("23/11" on the 24th),
  further back it is next year's ("le 5 janvier" in December); the year is chosen first, then the
  day checked, so "le 29 février" in 2027 is impossible, not moved to 2028;
- in a range the first day takes the month of the last ("du 15 au 20 novembre");
- two days offered as a choice ("le 5 ou le 6", "demain ou le lendemain") are one more Found of
  kind "alt": no single day is taken for sure;
- "le pain du mardi", "the Monday loaves", "le week-end" name a habit; "ce week-end", "at the
  weekend" and holiday periods ("les vacances de Noël", "over Easter") are vague;
- wishes are no dates ("Joyeux Noël !" is claimed by `noise` before dates are read).
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from handlers.nlu.calendar_words import (
    MONTHS,
    MONTHS_NEAR_NUMBER,
    RELATIVE_DAYS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAY_KEYS,
    WEEKDAYS,
    WEEKDAYS_PLURAL,
)
from handlers.nlu.lexicon import Lexicon
from handlers.nlu.message import Message, word_set
from handlers.nlu.numbers import cardinal, day_ordinal

DATE, VAGUE = "date", "vague"
PAST_LIMIT_DAYS = 92  # a day-and-month further back than this is next year's


@dataclass(frozen=True)
class Day:
    """A day as written, before it is placed in the calendar."""

    kind: str  # "rel", "abs", "wd", "holiday", "offset", "end_of_month", "nth" (of a month)
    offset: int = 0  # rel / offset: days from today
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None  # wd: the weekday; abs: the weekday written next to the number
    mode: str = "bare"  # wd: bare, this, next, week_after, last, def (le lundi), plural, attr
    # (attr: a weekday before what is delivered, "the Monday loaves": a habit to cancel, too weak
    # to start one)
    narrative: bool = False  # "hier", "ce matin", "lundi dernier": told, not asked for


@dataclass(frozen=True)
class Found:
    """One date expression in the message."""

    kind: str  # day, range, until, start, return, weekdays, except, vague
    first: Day | None = None
    second: Day | None = None
    days: frozenset[int] = frozenset()  # weekdays / except: weekday numbers
    habit: str = ""  # weekdays: "every" (tous les, chaque, plural), "def" (le lundi), "weekly"
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Placed:
    """A written day placed in the calendar, or the reason it cannot be."""

    date: date | None
    problem: str | None = None  # past, impossible, weekday_mismatch, vague
    alternative: date | None = None  # weekday_mismatch: the date the weekday alone would give


# Token codes: one character per token, so date grammar can be read off a short string.
_CODE_WORDS: dict[str, str] = {
    **dict.fromkeys(("le", "la", "l", "les", "the"), "L"),
    **dict.fromkeys(("pour", "for", "pr"), "G"),
    **dict.fromkeys(("on",), "o"),
    **dict.fromkeys(("ce", "cet", "cette", "this"), "C"),
    **dict.fromkeys(("prochain", "prochaine", "next", "suivant", "suivante", "coming"), "X"),
    **dict.fromkeys(("en",), "e"),
    **dict.fromkeys(("tous", "toutes", "tout", "chaque", "every", "each", "all"), "K"),
    **dict.fromkeys(("du", "de", "d"), "f"),
    **dict.fromkeys(("au", "a", "aux", "to"), "T"),
    **dict.fromkeys(("et", "and"), "E"),
    **dict.fromkeys(("ou", "or"), "q"),
    **dict.fromkeys(("sauf", "except", "excepte", "hors", "but"), "Z"),
    **dict.fromkeys(("dans", "in"), "I"),
    **dict.fromkeys(("jour", "jours", "day", "days"), "J"),
    **dict.fromkeys(("semaine", "semaines", "week", "weeks"), "Q"),
    **dict.fromkeys(("soir", "matin", "morning", "evening", "afternoon", "night", "midi"), "s"),
    **dict.fromkeys(("matins", "soirs", "mornings"), "s"),
    **dict.fromkeys(("entre", "between"), "b"),
    **dict.fromkeys(("dernier", "derniere", "last", "passe", "passee"), "D"),
    **dict.fromkeys(("of",), "v"),
}
_SLASH = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$")
# Words between a count and its item ("1 seule baguette", "2 grandes baguettes").
_LEFT_OVER = word_set("reste restera restait restent resteront restaient left over leftover")
_ALONE_COUNT = word_set(
    "seul seule seuls seules"
    # "avec chacune des deux livraisons", "les 2 jours", "3 fois", "both 2 deliveries": counted
    " livraisons commandes jours fois semaines deliveries orders days times weeks"
)
_COUNT_FILLERS = word_set(
    "seul seule seuls seules petit petite petits petites grand grande grands grandes gros grosse"
    " grosses big small"
)
_DASH_RANGE = re.compile(r"^(\d{1,2})-(\d{1,2})$")

# Months named in "à partir du mois de mai", "until the end of March": no day number beside them,
# and "march" / "may" are no verbs there.
_MONTH_NAMES = {**MONTHS, "march": 3, "may": 5}

# Multi-word expressions, found on the text and given one code (the rest of the span gets "_").
_SPECIALS: tuple[tuple[re.Pattern[str], str, object], ...] = tuple(
    (re.compile(p), code, payload)
    for p, code, payload in (
        (
            r"\b(?:apart\sfrom|other\sthan|except\sfor|except\son|with\sthe\sexception\sof|a\sl\s"
            r"exception\sd[eu]s?|en\sdehors\sd[eu]s?|a\spart)\b",
            "Z",
            None,
        ),
        (r"\b(?:apres\sdemain|(?:the\s)?day\safter\stomorrow)\b", "R", 2),
        (r"\b(?:avant\shier|(?:the\s)?day\sbefore\syesterday)\b", "R", -2),
        (r"\b(?:ce\s|cet\s)(?:soir|apres\smidi|aprem)\b|\bthis\s(?:evening|afternoon)\b", "R", 0),
        (r"\b(?:ce\smatin|this\smorning)\b", "R", "narrative"),
        (
            r"\b(?:la\s)?veille\sde\snoel\b|\bchristmas\seve\b|\breveillon\sde\snoel\b",
            "H",
            (12, 24),
        ),
        (r"\b(?:le\s)?(?:jour\sde\s)?noel\b|\bchristmas(?:\sday)?\b", "H", (12, 25)),
        (r"\b(?:le\s)?(?:jour\sde\sl\san|nouvel\san)\b|\bnew\syears?\s(?:s\s)?day\b", "H", (1, 1)),
        (r"\b(?:la\s)?saint\ssylvestre\b|\bnew\syears?\s(?:s\s)?eve\b", "H", (12, 31)),
        (  # "until the new year", "jusqu'au nouvel an": back in the new year, away to its eve
            r"\b(?:(?:jusqu\s(?:au|a\sla|a)|until|till|up\sto)\s(?:the\s)?(?:new\syear|nouvel\san"
            r"|nouvelle\sannee|fin\sd\s?annee|fin\sde\sl\s?annee|end\sof\sthe\syear))\b",
            "U",
            ("eoy", 12),
        ),
        (  # "à partir du mois prochain", "from next month": the first of next month
            r"\b(?:a\spartir\sdu\smois\sprochain|des\sle\smois\sprochain|(?:starting|from|as\sof)\s"
            r"(?:the\s(?:start|beginning)\sof\s)?next\smonth)\b",
            "V",
            "next",
        ),
        *(  # "à partir du mois de juin", "from the start of March": the first of that month
            (
                r"\b(?:a\spartir\s(?:du\smois\sd[e']?|de|d)|des\sle\sdebut\sd[eu]\s?(?:mois\sde\s)?"
                r"|(?:starting|from)\s(?:the\sstart\sof\s|the\sbeginning\sof\s)?|as\sof\s)\s?"
                rf"{name}\b",
                "V",
                number,
            )
            for name, number in _MONTH_NAMES.items()
        ),
        *(  # "jusqu'à la fin du mois de février", "until the end of March": that month's last day
            (
                r"\b(?:(?:jusqu\s(?:au|a\sla|a|aux|en)|until|till|through|up\sto)\s(?:la\s|the\s)?"
                rf"(?:fin|end)\s(?:du\smois\sde\s|du\smois\sd\s|de\s|d\s|of\s)?{name})\b",
                "U",
                ("eom", number),
            )
            for name, number in _MONTH_NAMES.items()
        ),
        (
            r"\b(?:(?:jusqu\s(?:au|a\sla|a|aux|en)|until|till|through|up\sto)\s(?:la\s|the\s)?"
            r"(?:fin|end)\s(?:du|de\sla|of\sthe|of)\s(?:mois|month))\b",
            "U",
            "eom",
        ),
        (
            r"\b(?:a\spartir\sd[eu]?|a\spartir\sde\sla|a\scompter\sd[eu]?|starting\s(?:from|on)"
            r"|starting|as\sfrom|as\sof|from"
            r"|des(?!\s(?:\d+|deux|trois|quatre)\s(?:jours|derniers|premiers|fois|semaines)))\b",
            "F",
            None,
        ),
        # "elle ne rentrera pas avant le 20", "she won't be back until the 30th": back that day
        (
            r"\b(?:(?:rentre|rentrera|revient|reviendra|rentrerai|reviendrai|rentrons|reviens)\spas\savant"
            r"|(?:de\s)?retour\spas\savant|back\s(?:until|till|before))\b",
            "k",
            None,
        ),
        (r"\b(?:jusqu\s(?:au|aux|a\sla|a|en)|jusqu|until|through|up\sto)\b", "U", None),
        (
            r"\b(?:de\sretour|je\srentre|rentre|rentrerai|rentrons|reviens|reviendrai|revenir"
            r"|rentrera|rentreront|reviendra|reviendront|sera\sde\sretour|sera\srentree?"
            r"|retour|back\s(?:on|home\son|home|from|by)|(?:i|we)\s(?:m|re|am|are|ll\sbe|will\sbe|ll\sget"
            r"|get|come|should\sbe|ll\sbe\sback)\sback|be\sback|coming\sback|returning|return\son"
            r"|return)\b",
            "k",
            None,
        ),
        (
            r"\b(?:en\ssemaine|(?<!tous\sles\s)jours?\sde\s(?:la\s)?semaine|week\s?days?|jours?\souvr\w*)\b",
            "g",
            5,
        ),
        (r"\b(?:(?:les?|the|every|chaque|tous\sles|on|at)\s)?week\s?ends?\b", "g", 2),
        # "ou le lendemain", "or the day after": a second day offered, so no day is sure
        (
            r"\b(?:ou|or|sinon|otherwise|voire)\s(?:bien\s|alors\s|maybe\s|perhaps\s|peut\setre\s)?"
            r"(?:the\s|le\s|un\s|an\s|a\s)?(?:lendemain|surlendemain|day\safter|next\sday"
            r"|following\sday|jour\ssuivant|jour\sd\sapres|jour\sapres|autre\sjour|other\sday"
            r"|another\sday|plus\stard|later|apres|after|any\sday|n\simporte\squel\sjour)\b",
            "A",
            None,
        ),
        (
            r"\b(?:everyday|daily|quotidien\w*|chaque\sjour|tou[st]?\sles\sjours?|(?:each\sand\s)?every"
            r"\s(?:single\s)?day(?:\sof\sthe\sweek)?|each\sday|jour\sapres\sjour|day\sin\sday\sout"
            r"|par\sjour|per\sday|(?:(?<=loaf\s)|(?<=bread\s)|(?<=water\s)|(?<=packs\s)|(?<=pack\s)|(?<=baguette\s)"
            r"|(?<=baguettes\s)|(?<=loaves\s))a\sday)\b",
            "g",
            7,
        ),
        (
            r"\b(?:tou[st]?\sles|toutes\sles|chaque|(?:each\sand\s)?every|each)\s(?:single\s)?(?:matins?"
            r"|soirs?|mornings?|evenings?)\b",
            "g",
            7,
        ),
    )
)
_NOT_A_DAY_AFTER_ORDINAL = frozenset(
    {"one", "ones", "loaf", "pack", "baguette", "une", "un", "planned", "time", "thing", "said"}
    | {"asked", "ordered", "booked", "fois"}
)
# Holiday periods have no fixed days: "pendant les vacances de Noël", "over Easter".
_HOLIDAY_PERIOD = re.compile(
    r"\b(?:(?:pendant|durant|pour|during|over|for)\s(?:les\s|mes\s|the\s|my\s)?)?(?:vacances|conges"
    r"|fetes)\s(?:de\s|d\s)?(?:noel|paques|fin\sd\s?annee|la\stoussaint|toussaint|fevrier|printemps"
    r"|ete|hiver|scolaires|la\spentecote)\b"
    r"|\b(?:(?:during|over|for)\s(?:the\s|my\s)?)?(?:christmas|easter|summer|school|half\sterm"
    r"|festive|bank|new\syears?|winter|spring)\s(?:holidays?|break|hols|period|season|time)\b"
    r"|\b(?:pendant|durant|during|over|around|for)\s(?:le\s|la\s|the\s)?(?:nouvel\san|new\syears?(?!\s(?:s\s)?(?:eve|day))"
    r"|reveillon(?!\sde\snoel)|fin\sd\s?annee|fetes\sde\sfin\sd\s?annee|period\sof|periode\sdes\sfetes)\b"
    r"|\b(?:pendant|durant|during|over|around|autour\sde|a|pour|for|at)\s(?:les\s)?(?:paques|easter"
    r"|the\sholidays|les\sfetes)\b|\b(?:paques|easter|half\sterm|pentecote|whitsun|toussaint|ascension"
    r"|carnaval|mardi\sgras)\b"
    r"|\b(?:pendant|durant|during|over)\s(?:noel|christmas)\b"
)
_VAGUE = re.compile(
    r"(?<!except\s)(?<!sauf\s)(?<!but\s)(?<!from\s)"
    r"\b(?:(?:at|on|over|for|during|this|next|coming)\s)?the\sweek\s?end\b(?!\ss\b)"
    r"|\b(?:this|next|coming|ce|cet)\sweek\s?end\b|\bweek\s?end\s(?:prochain|qui\svient"
    r"|suivant)\b"
    r"|\b(?:(?:la\s)?semaine\sprochaine|(?:la\s)?prochaine\ssemaine|next\sweek|(?:cette|this)\s"
    r"(?:semaine|week)|(?:ce|this)\s(?:week\s?end|we)|bientot|soon|prochainement|un\sde\sces\sjours"
    r"|one\sof\sthese\sdays|(?:dans|in)\s(?:quelques|a\sfew|few|several|plusieurs)\s(?:jours|days)"
    r"|plus\stard|later|sometime|un\sjour|le\smois\sprochain|next\smonth|ce\smois\sci|this\smonth"
    r"|(?<!jusqu\sa\sla\s)(?<!jusqu\sa\s)(?<!jusqu\sau\s)(?<!jusqu\sen\s)"
    r"(?:fin|debut|mi|milieu)\s(?:de\s|du\s)?(?:la\s)?(?:semaine|mois|janvier|fevrier|mars|avril"
    r"|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)|(?<!until\sthe\s)(?<!till\sthe\s)(?<!up\sto\sthe\s)"
    r"(?:end|beginning|start|middle)\sof\s(?:the\s)?(?:week|month|january|february|march|april|may|june|july|august|september"
    r"|october|november|december)|(?:en|in)\s(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout"
    r"|septembre|octobre|novembre|decembre|january|february|april|june|july|august|september"
    r"|october|november|december)|dans\sla\ssemaine|pendant\s(?:les|mes)\s(?:fetes|vacances)"
    r"|pendant\smon\sabsence|during\sthe\sholidays|over\s(?:christmas|the\sholidays))\b"
)
_DAY_PREFIX = frozenset("GoLCX")


# An end that is not a date: the pause is open-ended, so its last day must be asked.
_OPEN_END = re.compile(
    r"\b(?:jusqu\s(?:a|au)\snouvel\sordre|until\sfurther\snotice|indefiniment|indefinitely"
    r"|pour\sune\sduree\sindeterminee|jusqu\s(?:a|au)\smon\sretour|until\si\s(?:m|am)\sback"
    r"|until\smy\sreturn|until\si\s(?:get|come)\sback|until\si\sreturn|until\si\sm\sback"
    r"|jusqu\s(?:a|au)\sce\sque\sje\s(?:rentre|revienne)"
    r"|(?:je\s)?(?:ne\s)?(?:sais|sait|connais)\spas\s(?:encore\s)?quand\sj?e?\s?"
    r"(?:rentre|reviens|rentrerai|reviendrai|sors|sortirai|serai\sde\sretour|pourrai\srentrer)"
    r"|je\svous\s(?:ecrirai|dirai|previendrai|recontacterai|enverrai\sun\s(?:message|sms))"
    r"\squand\sje\s(?:rentre|reviens|rentrerai|reviendrai|sors|sortirai|serai)"
    r"|jusqu\s(?:a|au)\sma\ssortie|jusqu\s(?:a|au)\sce\sque\sje\ssorte"
    r"|(?:don\st|do\snot|dont)\sknow\s(?:yet\s)?(?:when|how\slong)"
    r"|i\s(?:ll|will)\s(?:text|tell|message|call|write\sto)\syou\s(?:when|once)"
    r"|i\s(?:ll|will)\slet\syou\sknow\s(?:when|once)"
    r"|until\si\s(?:m|am)\s(?:back\s)?(?:home|out)|until\si\sget\s(?:home|out))\b"
    r"(?!\s(?:(?:le|on|the|ce|this)\s){0,2}(?:\d|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|demain|tomorrow))"
)


class _Scanner:
    def __init__(self, msg: Message, lexicon: Lexicon) -> None:
        self.msg = msg
        self.lexicon = lexicon
        self.codes: list[str] = []
        self.values: list[Any] = []
        self.found: list[Found] = []

    def code(self, i: int) -> str:
        """The code of token i; "$" past either end (never a member of any code set)."""
        return self.codes[i] if 0 <= i < len(self.codes) else "$"

    # --- tagging ---------------------------------------------------------------------------

    def tag(self) -> None:
        msg = self.msg
        for i, j, _ in msg.find(_HOLIDAY_PERIOD):
            if msg.all_free(i, j):
                msg.mark(i, j, VAGUE)
                self.found.append(Found("vague", span=(i, j)))
        for i, j, _ in msg.find(_OPEN_END):
            if msg.all_free(i, j):
                msg.mark(i, j, DATE)
                self.found.append(Found("open", span=(i, j)))
        for i, j, _ in msg.find(_VAGUE):
            if msg.all_free(i, j):
                msg.mark(i, j, VAGUE)
                self.found.append(Found("vague", span=(i, j)))
        self.codes = ["#" if t is not None else "x" for t in msg.tags]
        self.values = [None] * len(msg)
        for pattern, code, payload in _SPECIALS:
            for i, j, _ in msg.find(pattern):
                if all(c == "x" for c in self.codes[i:j]):
                    self.codes[i] = code
                    self.values[i] = payload
                    for k in range(i + 1, j):
                        self.codes[k] = "_"
        for i, tok in enumerate(msg.toks):
            if self.codes[i] == "x":
                self.codes[i], self.values[i] = self._code_of(i, tok)

    def _code_of(self, i: int, tok: str) -> tuple[str, object]:
        if tok in RELATIVE_DAYS:
            return "R", RELATIVE_DAYS[tok]
        if tok in WEEKDAYS:
            if self.msg.tok(i - 1) in ("de", "du", "from") and self.msg.tok(i - 2) in _LEFT_OVER:
                return "x", None  # "il m'en restera de vendredi": Friday's bread, not a day asked
            return "W", WEEKDAYS[tok]
        if tok in WEEKDAYS_PLURAL:
            return "P", WEEKDAYS_PLURAL[tok]
        if tok in MONTHS:
            return "M", MONTHS[tok]
        if tok in MONTHS_NEAR_NUMBER:
            return "m", MONTHS_NEAR_NUMBER[tok]
        n = cardinal(tok)
        if n is not None:
            if 2020 <= n <= 2100:
                return "Y", n
            k = i + 2 if self.msg.tok(i + 1) in _COUNT_FILLERS else i + 1
            instead = self.msg.tok(i + 1) == "instead" or (
                (self.msg.tok(i + 1), self.msg.tok(i + 2)) == ("au", "lieu")
            )
            counted_before = any(cardinal(t) is not None for t in self.msg.toks[:i])
            after_weekday = self.msg.tok(i - 1) in WEEKDAYS  # "Wednesday 3 instead of 2"
            if self.msg.tok(i + 1) in _ALONE_COUNT or (
                instead and after_weekday and not counted_before
            ):
                return "x", None  # "le lundi 1 seul au lieu de 2", "Wednesday 3 instead of 2"
            if k < len(self.msg) and self.lexicon.match(self.msg.toks, k, self.msg.lang):
                return "x", None  # "jeudi 2 baguettes", "mercredi 1 seule baguette": a count
            return ("N", n) if len(tok) <= 2 else ("x", None)
        n = day_ordinal(tok)
        if n is not None:
            if self.msg.tok(i + 1) in _NOT_A_DAY_AFTER_ORDINAL:
                return "x", None  # "the third one on Thursday", "as first planned": no 3rd, 1st
            return "O", n
        if _DASH_RANGE.match(tok) and self.msg.tok(i + 1) in {**MONTHS, **MONTHS_NEAR_NUMBER}:
            a, b = _DASH_RANGE.match(tok).groups()
            return "r", (int(a), int(b))
        m = _SLASH.match(tok)
        if m:
            if i + 1 < len(self.msg) and self.lexicon.match(self.msg.toks, i + 1, self.msg.lang):
                return "x", None  # "2/3 baguettes": an amount in doubt, not the 2nd of March
            return "S", m.groups()
        if tok in WEEKDAY_ABBREVIATIONS and self._abbreviation_is_day(i):
            return "W", WEEKDAY_ABBREVIATIONS[tok]
        return _CODE_WORDS.get(tok, "x"), None

    def _abbreviation_is_day(self, i: int) -> bool:
        """An abbreviation ("mon" is "my", "mer" the sea) is a weekday only before a day
        number or after "every"/"on"; the English ones only in English."""
        tok, nxt, prev = self.msg.tok(i), self.msg.tok(i + 1), self.msg.tok(i - 1)
        if tok in ("mon", "wed", "sat", "sun") and self.msg.lang != "en":
            return False
        if nxt.isdigit() or day_ordinal(nxt) is not None:
            return True
        if prev in ("or", "and", "ou", "et", "to", "a", "au") and (
            self.msg.tok(i - 2) in WEEKDAYS or self.code(i - 2) == "W"
        ):
            return True  # "friday or sat", "lundi ou mar"
        if nxt in ("or", "and", "ou", "et", "to", "a", "au") and self.msg.tok(i + 2) in WEEKDAYS:
            return True  # "wed or thursday", "sam ou dimanche"
        if prev in ("cancel", "skip", "annule", "annulez") and self.msg.lang == "en":
            return True  # "cancel wed"
        if prev in ("it", "that") and self.msg.tok(i - 2) in ("make", "made", "change"):
            return True  # "make it sat"
        j = i + 1
        while j < len(self.msg.toks) and self.msg.toks[j] in _SIGN_OFF and j not in self.msg.breaks:
            j += 1
        last = j >= len(self.msg.toks) or j in self.msg.breaks  # "no bread Mon pls, my daughter…"
        if last and self.msg.lang == "en" and self.lexicon.match(self.msg.toks, i - 1, "en"):
            return True  # "no bread wed", "2 loaves sat pls": the last word, after the item
        return prev in ("every", "on", "next", "this", "each", "chaque", "to", "from", "for")

    # --- reading days ----------------------------------------------------------------------

    def day(self, i: int, loose: bool = False) -> tuple[Day, int] | None:
        """A day starting at token i, with its optional "pour le" / "on the" / "ce" in front."""
        code = self.code
        j = i
        prefix = ""
        while code(j) in _DAY_PREFIX and j < i + 3:
            prefix += code(j)
            j += 1
        c, v = code(j), self.values[j] if j < len(self.codes) else None
        end = j + 1
        while code(end) == "_":
            end += 1
        if c == "R":
            if v == "narrative":
                return Day("rel", 0, narrative=True), end
            offset = int(v)
            return Day("rel", offset, narrative=offset < 0), self._skip_time(end)
        if c == "H":
            month, dd = v
            month, dd = _shifted(self.msg.toks[max(0, i - 3) : i], month, dd)
            return Day("holiday", day=dd, month=month), end
        if c == "S":
            return self._slash(v, end)
        if c == "W":
            return self._weekday(int(v), j + 1, prefix)
        if c == "P":
            return Day("wd", weekday=int(v), mode="plural"), j + 1
        nth = self._nth_weekday(c, v, j)
        if nth is not None:  # "le premier lundi d'avril", "the first Tuesday of March"
            return nth
        if c in "NO":
            # "le 14", "on the 14th"; "la 14", "les 14" (a door, a flat) are no day
            article = any(
                self.code(k) == "o" or (self.code(k) == "L" and self.msg.tok(k) in ("le", "the"))
                for k in range(i, j)
            )
            return self._numbered(int(v), c, j + 1, loose or c == "O" or article)
        if c in "Mm" and code(j + 1) in ("N", "O"):
            return self._with_year(
                Day("abs", day=int(self.values[j + 1]), month=int(v)),
                j + 2,
            )
        if c == "D" and code(j + 1) == "W" and self.msg.tok(j) == "last":
            return Day("wd", weekday=int(self.values[j + 1]), mode="last", narrative=True), j + 2
        if c == "I":
            return self._offset(j + 1)
        if c == "U" and v == "eom":
            return Day("end_of_month"), end
        if c == "U" and isinstance(v, tuple):
            return Day("end_of_month", month=v[1]), end
        return None

    def _nth_weekday(self, c: str, v: Any, j: int) -> tuple[Day, int] | None:
        """ "le premier lundi d'avril", "le 2e mardi du mois", "the first Tuesday of March",
        "le dernier samedi de février": that weekday of that month (-1: the last)."""
        code, tok = self.code, self.msg.tok
        if c == "O" and int(v) <= 4:
            n = int(v)
        elif c == "D" and tok(j) in ("dernier", "derniere", "last"):
            n = -1
        else:
            return None
        if code(j + 1) != "W" or tok(j + 2) not in ("de", "d", "du", "of", "in"):
            return None
        k = j + 3
        if tok(k) in ("the", "la", "le") and tok(k + 1) in ("month", "mois"):
            k += 1
        if tok(k) in ("mois", "month"):
            return Day("nth", day=n, weekday=int(self.values[j + 1])), k + 1
        if code(k) in ("M", "m"):
            return Day(
                "nth", day=n, weekday=int(self.values[j + 1]), month=int(self.values[k])
            ), k + 1
        return None

    def _skip_time(self, k: int) -> int:
        return k + 1 if self.code(k) == "s" else k

    def _weekday(self, wd: int, k: int, prefix: str) -> tuple[Day, int] | None:
        code = self.code
        said_apart = k in self.msg.breaks and code(k + 1) not in ("M", "m")
        if code(k) in ("N", "O") and not said_apart:  # "Bread next monday, 2 please": a count
            return self._numbered(int(self.values[k]), code(k), k + 1, True, weekday=wd)
        if (  # "Wednesday the 8th of December", "mercredi le 8"
            self.msg.tok(k) in ("the", "le")
            and code(k + 1) in ("N", "O")
            and k + 1 not in self.msg.breaks
            and (code(k + 1) == "O" or code(k + 2) in ("M", "m", "v"))
        ):
            return self._numbered(int(self.values[k + 1]), code(k + 1), k + 2, True, weekday=wd)
        if code(k) == "X":
            return Day("wd", weekday=wd, mode="next"), k + 1
        if code(k) == "e" and self.msg.tok(k + 1) == "8":
            return Day("wd", weekday=wd, mode="week_after"), k + 2
        if self.msg.tok(k) == "week" and self.msg.lang == "en":
            return Day("wd", weekday=wd, mode="week_after"), k + 1
        if code(k) == "D":
            return Day("wd", weekday=wd, mode="last", narrative=True), k + 1
        if "X" in prefix:
            mode = "next"
        elif "C" in prefix:
            mode = "this"
        elif prefix.endswith("L") and "G" not in prefix and self.msg.tok(k - 2) != "la":
            mode = "def"  # "le vendredi"; "là vendredi" (accent lost) is no article
        elif (
            self.msg.lang == "en"
            and k not in self.msg.breaks
            and (
                self._plural_noun_after(k)
                or (
                    self.msg.tok(k - 2) in ("my", "the", "our", "her", "his", "their", "your")
                    and self._habit_noun(k)
                )
                or (k < len(self.msg) and self.lexicon.match(self.msg.toks, k, "en") is not None)
            )
        ):
            mode = "attr"  # "the Monday loaves", "my Friday water": a habit, said in passing
        else:
            mode = "bare"
        return Day("wd", weekday=wd, mode=mode), self._skip_time(k)

    def _numbered(
        self, n: int, c: str, k: int, loose: bool, weekday: int | None = None
    ) -> tuple[Day, int] | None:
        code = self.code
        if self.msg.tok(k) in ("of", "de") and code(k + 1) in ("M", "m") and c == "O":
            k += 1
        if code(k) in ("M", "m"):
            return self._with_year(
                Day("abs", day=n, month=int(self.values[k]), weekday=weekday), k + 1
            )
        if loose or weekday is not None:
            return Day("abs", day=n, weekday=weekday), k
        return None

    def _with_year(self, d: Day, k: int) -> tuple[Day, int]:
        if self.code(k) == "Y":
            return replace(d, year=int(self.values[k])), k + 1
        return d, k

    def _slash(self, groups: tuple[str, str, str | None], end: int) -> tuple[Day, int] | None:
        a, b, y = int(groups[0]), int(groups[1]), groups[2]
        if b > 12 and a <= 12 and self.msg.lang == "en":
            a, b = b, a  # "11/27" from an American keyboard
        year = None
        if y is not None:
            year = int(y) + (2000 if len(y) == 2 else 0)
        return Day("abs", day=a, month=b, year=year), end

    def _offset(self, k: int) -> tuple[Day, int] | None:
        tok = self.msg.tok(k)
        n = 1 if tok in ("un", "une", "a", "one") else cardinal(tok)
        if n is None or n > 60:
            return None
        unit = self.code(k + 1)
        if unit == "J":
            return Day("offset", offset=n), k + 2
        if unit == "Q":
            return Day("offset", offset=7 * n), k + 2
        return None

    # --- the scan ----------------------------------------------------------------------------

    def scan(self) -> list[Found]:
        self.tag()
        i, n = 0, len(self.codes)
        while i < n:
            got = self._at(i)
            if got is None:
                i += 1
                continue
            self.found.append(got)
            self.msg.mark(got.span[0], got.span[1], DATE)
            i = max(got.span[1], i + 1)
        self._inclusions()
        self._since()
        self._alternatives()
        self._occasion()
        return self.found

    def _occasion(self) -> None:
        """ "Pour Noël je voudrais 4 baguettes le 24 et 2 le 26": the feast is why, the days said
        are when (a feast said alone, "pour Noël", is still its day)."""
        feasts = [
            f
            for f in self.found
            if f.kind == "day"
            and f.first is not None
            and f.first.kind == "holiday"
            and {self.msg.tok(f.span[0]), self.msg.tok(f.span[0] - 1)} & {"pour", "for", "at"}
        ]
        others = [
            f
            for f in self.found
            if f.kind == "day" and f.first is not None and f.first.kind in ("abs", "wd")
        ]
        if feasts and others:
            self.found = [f for f in self.found if not any(f is g for g in feasts)]

    def _inclusions(self) -> None:
        """ "tous les jours, même le dimanche", "every day, weekends included": beside every day,
        a weekday said as included adds nothing and restricts nothing."""
        if not any(f.kind == "weekdays" and len(f.days) == 7 for f in self.found):
            return
        toks = self.msg.toks
        for n, f in enumerate(self.found):
            if f.kind not in ("weekdays", "day") or (f.kind == "weekdays" and len(f.days) == 7):
                continue
            if f.kind == "day" and (f.first is None or f.first.kind != "wd"):
                continue
            i, j = f.span
            before = " ".join(toks[max(0, i - 3) : i])
            after = " ".join(toks[j : j + 2])
            if (
                _INCLUDED_BEFORE.search(before) and toks[i] not in ("pour", "for")
            ) or _INCLUDED_AFTER.match(after):  # (not "et aussi pour mercredi et jeudi")
                days = f.days if f.kind == "weekdays" else frozenset({f.first.weekday or 0})
                self.found[n] = Found("weekdays", days=days, habit="also", span=f.span)

    def _since(self) -> None:
        """ "depuis vendredi", "since Monday", "since my fall on Monday", "depuis mon opération de
        mardi": a day told about, not one asked for."""
        toks = self.msg.toks
        for n, f in enumerate(self.found):
            if f.kind != "day" or f.first is None:
                continue
            i = f.span[0]
            gap = toks[max(0, i - 4) : i]
            if (
                len(gap) == 4
                and gap[0] in _SINCE
                and gap[1] in _POSSESSIVES
                and gap[3] in ("on", "de", "du", "d", "of", "last")
            ):
                self.found[n] = replace(f, first=replace(f.first, narrative=True))
                continue
            thanked = _THANKED.search(" ".join(toks[max(0, i - 6) : f.span[1] - 1]))
            if thanked and (thanked.group(1) or self.msg.tok(f.span[1]) == "s"):
                self.found[n] = replace(f, first=replace(f.first, narrative=True))
                continue  # "thanks for Tuesday's loaf", "merci pour le pain de mardi"
            before = self.msg.tok(f.span[0] - 1)
            aux = self.msg.tok(f.span[0] - 2)
            told = (
                before in _SINCE
                or (before == "ever" and aux == "since")
                or (before in _TOLD and aux in _AUXILIARIES)
            )
            told = told or _BEFALL.search(" ".join(toks[max(0, i - 5) : i])) is not None
            if told:
                self.found[n] = replace(f, first=replace(f.first, narrative=True))

    def _alternatives(self) -> None:
        """Two days offered as a choice, "le 5 ou le 6", "Monday or Tuesday", "from the 3rd or the
        4th": one more Found of kind "alt" over both, so no single day is taken for sure."""
        dated = sorted(
            (f for f in self.found if f.kind in ("day", "start", "range", "until", "return")),
            key=lambda f: f.span,
        )
        for a, b in pairwise(dated):
            gap = self.msg.toks[a.span[1] : b.span[0]]
            offered = 0 < len(gap) <= 4 and any(t in _OR_WORDS for t in gap)
            offered = offered and self.msg.same_sentence(a.span[0], b.span[0])
            if offered and all(t in _OR_WORDS or t in _OR_FILLERS for t in gap):
                self.found.append(Found("alt", a.first, b.first, span=(a.span[0], b.span[1])))

    def _at(self, i: int) -> Found | None:
        code = self.code
        c = code(i)
        if c == "#" or c == "_":
            return None
        if c == "g":
            if self.values[i] == 2 and code(i - 1) in ("G", "C"):
                return Found("vague", span=(i, self._end(i)))  # "pour le week-end": which day?
            days = {2: (5, 6), 5: (0, 1, 2, 3, 4), 7: tuple(range(7))}[self.values[i]]
            habit = "every" if self.values[i] == 7 or code(i - 1) == "K" else "def"
            return Found("weekdays", days=frozenset(days), habit=habit, span=(i, self._end(i)))
        if c == "A":
            return Found("alt", span=(i, self._end(i)))
        if c == "V" and self.values[i] == "next":
            return Found("start", Day("next_month"), span=(i, self._end(i)))
        if c == "V":  # "à partir du mois de juin": from the first
            return Found("start", Day("abs", day=1, month=self.values[i]), span=(i, self._end(i)))
        if c == "K":
            return self._every(i)
        if c == "Z":
            return self._except(i)
        if c == "r":
            a, b = self.values[i]
            month = int(self.values[i + 1])
            return Found(
                "range",
                Day("abs", day=a, month=month),
                Day("abs", day=b, month=month),
                span=(i, i + 2),
            )
        if c == "U":
            if self.values[i] == "eom":
                return Found("until", Day("end_of_month"), span=(i, self._end(i)))
            if isinstance(self.values[i], tuple):  # ("eom", month), ("eoy", 12)
                month = self.values[i][1]
                return Found("until", Day("end_of_month", month=month), span=(i, self._end(i)))
            got = self.day(self._end(i), loose=True)
            if got:
                return Found("until", got[0], span=(i, got[1]))
            return None
        if c == "k":
            j = self._end(i)
            if j in self.msg.breaks and self.msg.tok(i - 1) in ("mon", "notre", "my", "our"):
                return None  # "à partir de mon retour, le lundi une baguette": no return day
            got = self.day(j, loose=True)
            if got:
                return Found("return", got[0], span=(i, got[1]))
            return None
        prefix = c if c in "fFb" else ""
        j = self._end(i) if prefix else i
        loose_start = bool(prefix) or (c == "N" and code(i + 1) == "T")
        got = self.day(j, loose=loose_start)
        if got is None:
            return None
        first, k = got
        joiner = code(k)
        if joiner in ("T", "U") or (prefix == "b" and joiner == "E"):
            second = self.day(self._end(k), loose=True)
            ordinal = "O" in self.codes[i:k]  # "15th to 22nd", "the 20th to the 3rd"
            bare_number = (  # "le lundi à 2 c'est bon": two loaves, not "Monday to the 2nd"
                not prefix
                and self.msg.tok(k) in ("a", "at")
                and second is not None
                and second[0].kind == "abs"
                and second[0].month is None
            )
            if (
                second is not None
                and not bare_number
                and self._rangeable(first, second[0], bool(prefix) or ordinal)
            ):
                return Found("range", _month_from(first, second[0]), second[0], span=(i, second[1]))
        if prefix == "F":
            return Found("start", first, span=(i, k))
        if loose_start and not prefix:
            got = self.day(j, loose=False)
            if got is None:
                return None
            first, k = got
        elif prefix in ("f", "b"):
            strict = self.day(j, loose=self.msg.tok(i) == "du")  # "du 28" is "of the 28th"
            if strict is None:
                return None
            first, k = strict
            if (
                self.msg.tok(i) in ("du", "des")
                and first.kind == "wd"
                and first.mode == "bare"
                and self._habit_noun(i - 1)
            ):
                first = replace(first, mode="def")  # "le pain du mardi": every Tuesday's bread
        if first.kind == "wd" and first.mode in ("plural", "def", "attr"):
            days = [first.weekday]
            k = self._chain(k, days)
            habit = {"plural": "every", "def": "def", "attr": "attr"}[first.mode]
            return Found(
                "weekdays",
                days=frozenset(d for d in days if d is not None),
                habit=habit,
                span=(i, k),
            )
        return Found("day", first, span=(i, k))

    def _habit_noun(self, i: int) -> bool:
        """Token i names what is delivered: an item ("pain", "eau", "baguettes") or a delivery."""
        tok = self.msg.tok(i)
        if tok in _DELIVERY_NOUNS:
            return True
        return bool(tok) and self.lexicon.match(self.msg.toks, i, self.msg.lang) is not None

    def _plural_noun_after(self, k: int) -> bool:
        """ "the Monday loaves", "my Tuesday and Friday deliveries": weekdays naming a habit."""
        while self.code(k) in ("E", "W") or self.msg.tok(k) == "s":
            k += 1
        tok = self.msg.tok(k)
        if tok in _PLURAL_DELIVERY_NOUNS:
            return True
        entry = self.lexicon.match(self.msg.toks, k, self.msg.lang) if tok else None
        return entry is not None and entry.plural

    def _end(self, i: int) -> int:
        j = i + 1
        while self.code(j) == "_":
            j += 1
        return j

    @staticmethod
    def _rangeable(a: Day, b: Day, prefixed: bool) -> bool:
        """Two days make a range; without "du"/"from"/"entre" in front, only if a month or a
        weekday says they are days ("2 à 3 baguettes" is no range)."""
        kinds = ("abs", "wd", "rel", "holiday")
        if a.kind not in kinds or b.kind not in kinds:
            return False
        return prefixed or a.month is not None or b.month is not None or a.kind == "wd"

    def _chain(self, k: int, days: list[int | None]) -> int:
        """Weekdays listed: "mardis et vendredis", "le mardi et le vendredi"."""
        code = self.code
        while True:
            j = k
            joined = code(j) == "E" or self.msg.tok(j) in ("ni", "nor")
            if joined:
                j += 1
            pronoun = joined and self.msg.tok(j) in ("celle", "celui", "celles", "ceux", "those")
            if pronoun:
                j += 1
            if code(j) == "L" or (code(j) == "f" and joined):
                j += 1  # "le mardi et le jeudi", "du mardi et du jeudi", "ni celle du jeudi"
            if code(j) in ("W", "P"):
                days.append(int(self.values[j]))
                k = j + 1
                continue
            return k

    def _every(self, i: int) -> Found | None:
        """A habit: "tous les mardis", "chaque lundi", "every monday", "toutes les semaines"."""
        code = self.code
        if self.msg.tok(i) == "tout" and self.msg.tok(i - 1) in ("du", "rien", "pas"):
            return None  # "rien du tout vendredi": not at all, not every Friday
        if self.msg.tok(i) == "tout" and self.msg.tok(i + 1) != "les":
            return None  # "annulez tout jeudi": all of Thursday ("tout les jeudis" is a habit)
        j = i + 1
        if code(j) == "L":
            j += 1
        if code(j) in ("W", "P"):
            days: list[int | None] = [int(self.values[j])]
            k = self._chain(j + 1, days)
            while code(k) in ("E",) and code(k + 1) in ("K",) and code(k + 2) in ("W", "P"):
                days.append(int(self.values[k + 2]))
                k = self._chain(k + 3, days)
            return Found(
                "weekdays",
                days=frozenset(d for d in days if d is not None),
                habit="every",
                span=(i, k),
            )
        if code(j) == "Q":
            return Found("weekdays", habit="weekly", span=(i, j + 1))
        return None

    def _except(self, i: int) -> Found | None:
        code = self.code
        if self.msg.tok(i) == "but" and not any(code(k) in "gKP_" for k in range(i - 3, i)):
            return None  # "..., but Tuesday I'd like 2": a conjunction, not "every day but"
        j = self._end(i)
        while self.msg.tok(j) in _EXCEPT_FILLERS and j < i + 5:
            j += 1  # "sauf quand c'est dimanche", "except when it's Sunday"
        if code(j) in ("L", "o"):
            j += 1
        if code(j) in ("W", "P"):
            days: list[int | None] = [int(self.values[j])]
            k = self._chain(j + 1, days)
            return Found("except", days=frozenset(d for d in days if d is not None), span=(i, k))
        if code(j) == "g" and self.values[j] in (2, 5):
            days = (5, 6) if self.values[j] == 2 else (0, 1, 2, 3, 4)
            return Found("except", days=frozenset(days), span=(i, self._end(j)))
        return None


_OR_WORDS = word_set("ou or sinon otherwise voire")
_EXCEPT_FILLERS = word_set("not pas quand c est si when it s is if on")
_INCLUDED_BEFORE = re.compile(
    r"(?:\bmeme|\by\scompris|\bincluding|\beven|\baussi)(?:\s(?:le|les|la|on|the|at|en))?$"
)
_INCLUDED_AFTER = re.compile(
    r"(?:compris|inclus|included|too|aussi|as\swell|inclusive|egalement)\b"
)
# "depuis vendredi", "since Monday", "on a fêté Noël", "we spent Christmas": a day told about.
_SINCE = word_set("depuis since")
_THANKED = re.compile(
    r"\b(?:thanks?|thank\syou|merci|cheers|remercie\w*)\s(?:so\smuch\s|beaucoup\s|again\s|encore\s)?"
    r"(?:for|pour)((?:\s\w+){1,3})?$"
)
_POSSESSIVES = word_set("my ma mon mes the la le l son sa her his our notre")
# What happened that day: "I had a fall on Saturday", "je suis tombée samedi"
_BEFALL = re.compile(
    r"\b(?:(?:i|she|he)\s(?:had\sa\s(?:fall|fright|bad\sfall)|fell(?:\sover|\sdown)?|was\staken\sill)"
    r"|(?:je\ssuis|elle\sest|il\sest)\stombee?|(?:j\sai|elle\sa|il\sa)\sfait\sune\s(?:chute|mauvaise"
    r"\schute|malaise))(?:\s(?:on|le|ce|last))?$"
)
_TOLD = word_set("fete fetee fetes passe passee celebre celebrated spent enjoyed had")
_AUXILIARIES = word_set("a ai as avons avez ont we i they have has had ve")
_OR_FILLERS = word_set(
    "le la les the on bien alors peut etre maybe perhaps pour for du au en a sinon plutot"
)
_DELIVERY_NOUNS = word_set(
    "livraison livraisons commande commandes passage passages tournee visite visites"
)
_PLURAL_DELIVERY_NOUNS = word_set("deliveries orders drops rounds ones visits")


def _month_from(first: Day, second: Day) -> Day:
    """ "du 15 au 20 novembre": the first day takes the month (and year) of the last; the month
    before when its number is higher ("du 28 au 3 décembre")."""
    if first.kind != "abs" or first.month is not None or second.kind != "abs":
        return first
    if second.month is None or first.day is None or second.day is None:
        return first
    month, year = second.month, second.year
    if first.day > second.day:
        month -= 1
        if month == 0:
            month, year = 12, (year - 1 if year is not None else None)
    return replace(first, month=month, year=year)


def scan(msg: Message, lexicon: Lexicon) -> list[Found]:
    """Every date expression in the message, in order; their tokens are marked DATE."""
    return _Scanner(msg, lexicon).scan()


def weekdays_of(found: list[Found], plain: bool = False) -> tuple[str, ...]:
    """The weekdays of a habit ("tous les mardis et vendredis", "du lundi au vendredi", "tous les
    jours sauf le dimanche") as keys, "mon" first. `plain`: a weekday said alone ("lundi") counts
    too, as it does once something else says "regularly", or in the answer to "which days?"."""
    days: set[int] = set()
    named = any(
        (f.kind == "weekdays" and f.days and len(f.days) < 7 and f.habit != "also")
        or (f.kind == "range" and f.first is not None and f.first.kind == "wd")
        for f in found
    )
    for f in found:
        if f.kind == "weekdays" and not (named and len(f.days) == 7):
            days |= f.days
        elif f.kind == "range" and f.first is not None and f.second is not None:
            a, b = f.first.weekday, f.second.weekday
            if f.first.kind == f.second.kind == "wd" and a is not None and b is not None:
                days |= {(a + k) % 7 for k in range((b - a) % 7 + 1)}
    if plain:
        days |= {
            f.first.weekday
            for f in found
            if f.kind == "day"
            and f.first is not None
            and f.first.kind == "wd"
            and f.first.mode in ("bare", "def", "plural")
            and f.first.weekday is not None
        }
    for f in found:
        if f.kind == "except":
            days -= f.days
    return tuple(WEEKDAY_KEYS[d] for d in sorted(days))


def resolve(d: Day, today: date, after: date | None = None) -> Placed:
    """Place a written day in the calendar. `after`: the start of a range this day ends."""
    base = after or today
    if d.kind in ("rel", "offset"):
        got = today + timedelta(days=d.offset)
        return Placed(got, "past" if got < today else None)
    if d.kind == "next_month":
        return Placed((base.replace(day=1) + timedelta(days=32)).replace(day=1))
    if d.kind == "end_of_month" and d.month is not None:
        year = base.year + (d.month < base.month)
        return Placed(date(year, d.month, monthrange(year, d.month)[1]))
    if d.kind == "end_of_month":
        return Placed(base.replace(day=monthrange(base.year, base.month)[1]))
    if d.kind == "nth":
        assert d.weekday is not None and d.day is not None
        for months_ahead in range(0, 13):
            month = (base.month - 1 + months_ahead) % 12 + 1
            year = base.year + (base.month - 1 + months_ahead) // 12
            if d.month is not None and month != d.month:
                continue
            days = [
                date(year, month, k)
                for k in range(1, monthrange(year, month)[1] + 1)
                if date(year, month, k).weekday() == d.weekday
            ]
            got = days[d.day - 1] if d.day > 0 else days[-1]
            if got > today or (after is not None and got >= after):
                return Placed(got)
        return Placed(None, "impossible")
    if d.kind == "holiday":
        assert d.month is not None and d.day is not None
        got = date(today.year, d.month, d.day)
        if got < today:
            got = date(today.year + 1, d.month, d.day)
        return Placed(got)
    if d.kind == "wd":
        assert d.weekday is not None
        if d.mode == "last":
            back = (base.weekday() - d.weekday) % 7 or 7
            return Placed(base - timedelta(days=back), "past")
        ahead = (d.weekday - base.weekday()) % 7
        if ahead == 0 and not (d.mode == "this" and after is None):
            ahead = 7
        got = base + timedelta(days=ahead)
        if d.mode == "week_after":
            got += timedelta(days=7)
        if d.mode == "next" and after is None and ahead == 1:
            return Placed(got, "vague")  # "mardi prochain" said on a Monday: tomorrow or in 8 days?
        return Placed(got)
    return _absolute(d, today, after)


def _absolute(d: Day, today: date, after: date | None) -> Placed:
    assert d.day is not None
    if d.day < 1 or d.day > 31 or (d.month is not None and not 1 <= d.month <= 12):
        return Placed(None, "impossible")
    base = after or today
    if d.month is None:
        year, month = base.year, base.month
        if d.day < base.day:
            month += 1
            if month == 13:
                year, month = year + 1, 1
        if d.day > monthrange(year, month)[1]:
            return Placed(None, "impossible")
        got = date(year, month, d.day)
        problem = None
    else:
        year = d.year if d.year is not None else base.year
        if d.year is None and (d.month, d.day) < (base.month, base.day):
            gone = date(year, d.month, min(d.day, monthrange(year, d.month)[1]))
            if after is not None or (today - gone).days > PAST_LIMIT_DAYS:
                year += 1  # "le 5 janvier" said in December
        if d.day > monthrange(year, d.month)[1]:
            return Placed(None, "impossible")  # "31 avril", "29 février" in 2027
        got = date(year, d.month, d.day)
        problem = "past" if got < today else None
    if d.weekday is not None and got.weekday() != d.weekday:
        ahead = (d.weekday - today.weekday()) % 7 or 7
        return Placed(got, "weekday_mismatch", today + timedelta(days=ahead))
    return Placed(got, problem)


_SIGN_OFF = frozenset({"pls", "plz", "please", "thx", "thanks", "ty", "x", "xx", "?", "!"})
_DAY_AFTER = frozenset({"lendemain", "after"})
_DAY_BEFORE = frozenset({"veille", "reveillon", "eve"})


def _shifted(before: tuple[str, ...], month: int, dd: int) -> tuple[int, int]:
    """ "le lendemain de Noël" (the 26th), "le réveillon du nouvel an" (the 31st), "Christmas
    Eve": a holiday said with the day after or before it."""
    step = 1 if _DAY_AFTER & set(before) else -1 if _DAY_BEFORE & set(before) else 0
    if not step:
        return month, dd
    shifted = date(2001, month, dd) + timedelta(days=step)
    return shifted.month, shifted.day
