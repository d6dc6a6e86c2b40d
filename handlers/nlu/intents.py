"""Which of the ten intents a message carries, from the cues, dates and items found in it.

The order of the checks is the policy, and it leans one way: when a message could be an action
or a remark, it is a remark (a wrong silent action is worse than a question or a reply). So
messages that are not ours (a link, a parcel robot, moving house, a neighbour's wish, a change to
an order already placed) and complaints ("où est mon pain ?", "j'en avais commandé un") come
before everything actionable; a question about what is booked is list and a question about how
the service works is help, even when it names an item, a day or a number; a mention of bread is
an order only when something asks for it (a verb, a number, a day).

Before the checks, `Clues` settles which items are wanted: an item refused beside another asked
for ("pas d'eau, seulement 2 baguettes", "une baguette, l'eau non merci") or one the tenant still
has ("I've still got water") is not part of the order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from handlers.nlu import cues
from handlers.nlu.dates import Found, resolve
from handlers.nlu.items import Mention, Reading
from handlers.nlu.lexicon import ITEM
from handlers.nlu.message import Message, word_set
from handlers.nlu.noise import FREQUENCY

# Words that say nothing about what is wanted; what is left is the message's content.
_STOPWORDS = word_set(
    """
    je j tu il elle on nous vous ils elles me m moi te t se s mon ma mes ton ta tes son sa
    ses notre votre vos leur le la les l un une des du de d au aux a et ou est c ce cet
    cette ces qu que qui en y pour par avec sur dans pas ne n plus tres bien tout toute tous
    toutes ai as avez avons ont suis es sommes etes sont etait ete fait beaucoup aussi
    encore deja vraiment alors donc voila bon ben euh oui non si juste simplement voulais
    voulait dire petit petite message mot i you he she it we they me my your his her our
    their the a an and or is are was were be am of to for on at in with so much very really
    just also all lot lots do did have has had svp stp please merci thanks thank plait
    """
)
_INTERROGATIVE = re.compile(
    r"^(?:est\sce|comment|pourquoi|quand|quel|quelle|quels|quelles|combien|qui|ou"
    r"|que(?!\s(?:du|de|d|des|la|le|les|l|un|une|\d+)\b)|qu(?!\s(?:un|une|\d+)\b)"
    r"|do|does|did|is|are|can|could|will|would|how|what|when|where|why|which|who)\b"
)
_SERVICE_TOPIC = re.compile(
    r"\b(?:livr\w*|passe[zr]?|vien\w*|service|benevole\w*|livreur\w*|gratuit|heure|heures"
    r"|jours?|commander|deliver\w*|volunteer\w*|free|time|days?|order\w*|come)\b"
)


_HAVE_BRIDGE = word_set(
    """
    du de d des l la le les some any plenty of enough assez beaucoup encore still loads lots
    """
)


@dataclass
class Clues:
    """Everything known about a message before the intent is chosen."""

    msg: Message
    found: list[Found]
    reading: Reading
    symbols_only: bool
    link: bool = False  # a web address was cut from the message
    today: date | None = None  # set by `parse`, to tell days gone by from days to come

    def __post_init__(self) -> None:
        self._cues: dict[int, bool] = {}
        self.possessed: set[int] = set()
        self._settle_possessions()
        self._settle_refusals()

    def cue(self, pattern: re.Pattern[str]) -> bool:
        """Whether the message says `pattern` (each cue is searched once per message)."""
        key = id(pattern)
        seen = self._cues
        if key not in seen:
            seen[key] = self.msg.has(pattern)
        return seen[key]

    def _settle_possessions(self) -> None:
        """ "I've still got water", "j'ai encore du pain": an item the tenant has is not wanted."""
        msg = self.msg
        for _, j, _m in msg.find(cues.STILL_HAVE):
            for m in self.reading.mentions:
                if m.kind != ITEM or m.negated or m.how in ("number", "one"):
                    continue
                between = msg.toks[j : m.span[0]]
                if m.span[0] >= j and len(between) <= 3 and all(t in _HAVE_BRIDGE for t in between):
                    m.negated = True
                    self.possessed.add(id(m))

    def _settle_refusals(self) -> None:
        """ "Pour mercredi une baguette, l'eau c'est pas la peine": the refusal is the water's.
        With a refusal and no cancelling verb, an item only named beside another given a number
        is the one refused."""
        msg = self.msg
        for m in self.reading.mentions:
            after = m.span[1]
            if (
                m.kind == ITEM
                and msg.tok(after) in ("non", "no", "pas")
                and (after + 1 >= len(msg) or after + 1 in msg.breaks)
            ):
                m.negated = True  # "bread yes, water no"
        if not (self.cue(cues.CANCEL) or self.cue(cues.REFUSAL)) or self.cue(cues.CANCEL_VERB):
            return
        mentions = [m for m in self.reading.mentions if m.kind == ITEM and not m.negated]
        counted = {m.key for m in mentions if m.how in ("number", "one")}
        named = [m for m in mentions if m.key not in counted and m.how != "plural"]
        if counted and named:
            for m in named:
                m.negated = True

    @cached_property
    def wanted(self) -> list[Mention]:
        """Items, units and products named and not negated."""
        return [m for m in self.reading.mentions if not m.negated]

    @cached_property
    def catalogue_items(self) -> list[Mention]:
        return [m for m in self.wanted if m.kind == ITEM]

    @cached_property
    def negated_items(self) -> list[Mention]:
        """Items refused ("pas de pain"); items the tenant still has are not refusals."""
        return [m for m in self.reading.mentions if m.negated and id(m) not in self.possessed]

    @cached_property
    def specified(self) -> list[Mention]:
        """Wanted items said with an amount or an article of their own ("du pain", "2 baguettes",
        "des packs"), not only referred to ("le pain", "the water", "mes baguettes")."""
        return [m for m in self.wanted if m.how != "reference"]

    @cached_property
    def complaint(self) -> bool:
        """Something went wrong with a delivery: the coordinator must see it."""
        own_slip = cues.SELF_MISTAKE.sub(" ", self.msg.text)
        if cues.COMPLAINT.search(own_slip):
            return True
        if self.cue(cues.WAITING) or self.cue(cues.MISDELIVERED):
            return True
        if self.cue(cues.RECEIVED) and self.negated_items and not self.future and not self.request:
            return True  # "the water came but no bread"
        # "j'ai reçu 2 packs mais j'en avais commandé un"
        return self.cue(cues.RECEIVED) and (
            self.cue(cues.ORDERED_EARLIER)
            or (self.cue(cues.ORDERED_BEFORE) and self.cue(cues.CONTRAST))
            or self.cue(cues.ORDERED_THEN_RECEIVED)
        )

    @cached_property
    def day_given(self) -> bool:
        """A day, a range or weekdays are named (narrations included)."""
        return any(f.kind != "vague" for f in self.found)

    @cached_property
    def explicit(self) -> bool:
        return any(m.how in ("number", "one") for m in self.wanted)

    @cached_property
    def request(self) -> bool:
        """Something is asked for; "je ne peux pas descendre" asks nothing, but "je ne peux pas
        descendre, pouvez-vous m'apporter du pain" does."""
        unnegated = cues.NEGATED_REQUEST.sub(" ", cues.NOT_A_REQUEST.sub(" ", self.msg.text))
        return cues.REQUEST.search(unnegated) is not None

    @cached_property
    def future(self) -> bool:
        """A day that is not a narration ("hier", "ce matin") was given."""
        for f in self.found:
            if f.kind in ("day", "start") and f.first is not None and not f.first.narrative:
                return True
            if f.kind in ("range", "until", "weekdays", "vague", "alt"):
                return True
        return False

    @cached_property
    def habit(self) -> bool:
        """Something says "regularly": weekdays as a habit, "désormais", "une fois par semaine"."""
        if any(f.kind == "weekdays" for f in self.found):
            return True
        if any(
            f.kind == "range"
            and f.first is not None
            and f.second is not None
            and f.first.kind == "wd"
            and f.second.kind == "wd"
            for f in self.found
        ):
            return True
        return self.cue(cues.STANDING) or FREQUENCY in self.msg.tags

    @cached_property
    def date_span(self) -> bool:
        """A period: "du 1er au 8", "jusqu'au 15", "je rentre le 8", "jusqu'à nouvel ordre"."""
        return any(f.kind in ("range", "until", "return", "open") for f in self.found)

    @cached_property
    def question(self) -> bool:
        return self.msg.question or bool(_INTERROGATIVE.match(self.msg.text))

    @cached_property
    def content(self) -> list[str]:
        """Words left once small talk, names, items, dates and filler words are set aside."""
        msg = self.msg
        covered = [t is not None for t in msg.tags]
        for pattern in (cues.SMALLTALK, cues.NAME_INTRO, cues.ACKNOWLEDGED):
            for i, j, _ in msg.find(pattern):
                for k in range(i, j):
                    covered[k] = True
        return [
            tok
            for k, tok in enumerate(msg.toks)
            if not covered[k] and tok not in _STOPWORDS and tok != "?"
        ]


def decide(c: Clues) -> str:
    """The intent of the message; see the module docstring for the order of the checks."""
    msg = c.msg
    toks = [t for t in msg.toks if t not in cues.POLITENESS or t in ("?",)]
    words = [t for t in msg.toks if t not in cues.POLITENESS]
    if not msg.toks:
        return "smalltalk" if c.symbols_only else "other"
    if _opt_out(words) and (words[0] != "cancel" or len(msg.toks) == len(words)):
        return "stop"
    if words and all(w in cues.RESUME_WORDS for w in words):
        return "other"
    if c.link or c.cue(cues.SPAM):
        return "other"  # a parcel, a prize, an account to confirm: a robot, never a tenant's order
    if c.question and c.cue(cues.HOW_TO):
        return "help"  # "how do I stop the texts?": asked, not done
    if c.cue(cues.STOP):
        return "stop"
    if c.cue(cues.MOVING):
        return "other"  # moving house is for the coordinator, not a pause
    if c.cue(cues.THIRD_PARTY) and not c.cue(cues.FIRST_PERSON_REQUEST):
        return "other"  # "ma voisine aimerait aussi du pain": not this tenant's order
    if c.cue(cues.MODIFY) and not c.cue(cues.CANCEL_VERB) and not c.explicit:
        return "other"  # "I meant water, not bread: can you change it?": for the coordinator
    if c.cue(cues.RESUME) and not c.explicit:
        return "other"  # deliveries to start again after a pause: the coordinator does it
    if c.complaint:
        return "other"
    if (
        (c.date_span or c.cue(cues.PAUSE))
        and c.cue(cues.PAST_TENSE)
        and not c.request
        and _all_past(c)
    ):
        return "other"  # "j'étais absente du 1er au 5 octobre": a story, nothing to change
    if c.question and c.cue(cues.CONFIRM) and not c.request:
        return "list"  # "j'ai bien une baguette demain ?": what is booked, not a new order
    firm_order = bool(c.wanted) and c.explicit and (c.request or c.future or not c.question)
    if c.cue(cues.LIST_ASK) and (c.question or c.cue(cues.RECALL)) and not _new_request(c):
        return "list"  # "vous m'apportez quoi vendredi ?", "remind me what I ordered"
    if c.cue(cues.HELP) and not firm_order:
        return "help"
    if c.cue(cues.HANDLING) and not c.specified and not c.day_given and not _cancelling(c):
        return "other"  # "le pack est trop lourd, montez-le jusqu'à la cuisine la prochaine fois"
    if (
        (c.negated_items or c.cue(cues.CANCEL))
        and _narrated_only(c)
        and not c.cue(cues.CANCEL_VERB)
    ):
        return "other"  # "pas de pain ce matin dans le sac": a delivery that did not come
    if c.date_span and c.cue(cues.HOLD) and not c.explicit and not _weekday_range_only(c):
        return "pause"  # "hold my bread and water from the 20th to the 2nd"
    if _cancelling(c):
        if c.date_span and not _weekday_range_only(c):
            return "pause"
        vague = any(f.kind == "vague" for f in c.found)
        if (
            (c.cue(cues.PAUSE) or (vague and not c.cue(cues.ONE_ORDER)))
            and not c.cue(cues.NOT_THERE)
            and not _one_day(c)
        ):
            return "pause"  # "no deliveries next week, I'm in hospital"
        return "cancel"
    if c.cue(cues.PAUSE) and not (c.specified and c.request):
        return "pause"
    if c.date_span and not c.specified and not c.habit:
        return "pause"
    if c.cue(cues.LIST) and not firm_order:
        return "list"
    if c.wanted and _asks_for_items(c):
        if not c.catalogue_items and c.cue(cues.VISIT) and not c.explicit:
            return "visit"
        return "standing_order" if c.habit else "order"
    if c.cue(cues.VISIT) and not c.cue(cues.VISIT_THANKS):
        return "visit"
    counts = [n for _, n in c.reading.loose_numbers if n <= 12]  # "95 !" is an age, not an amount
    asking = c.request or c.cue(cues.USUAL) or (bool(counts) and c.future)
    if (
        asking
        and not _narrated_only(c)
        and (c.future or counts or c.cue(cues.ORDER_WORDS) or c.cue(cues.USUAL))
    ):
        return "standing_order" if c.habit and c.future else "order"
    if c.negated_items and c.cue(cues.STATE_NEGATION) and not c.question:
        return "order"  # "je n'ai plus de pain": asked as a question, not acted on
    if c.question and c.cue(_SERVICE_TOPIC):
        return "help"
    if c.cue(cues.TROUBLE):
        return "other"
    if c.cue(cues.SOCIAL) or c.cue(cues.VISIT_THANKS):
        return "smalltalk"  # thanks, praise, a birthday: however long
    if c.cue(cues.SMALLTALK) or (c.wanted and (c.cue(cues.ACKNOWLEDGED) or c.cue(cues.FEEDBACK))):
        return "smalltalk" if len(c.content) <= 2 else "other"
    if toks and all(t == "?" for t in toks):
        return "help"
    return "other"


def _new_request(c: Clues) -> bool:
    """Next to a question about what is booked, a new order: items with a number, asked for."""
    return bool(c.specified) and c.explicit and c.request and not c.cue(cues.RECALL)


def _all_past(c: Clues) -> bool:
    """Every day named is gone by (only known once `parse` has set today)."""
    if c.today is None:
        return False
    firsts = [f.first for f in c.found if f.first is not None]
    if not firsts or len(firsts) != len(c.found):
        return False
    for d in firsts:
        placed = resolve(d, c.today)
        if placed.problem != "past" and not d.narrative:
            return False
    return True


def unexplained_negation(c: Clues) -> bool:
    """A negation the reading did not place: no item refused, no harmless turn of phrase. An
    order read from such a message may be its opposite ("je ne pense pas avoir besoin de pain")."""
    if c.negated_items or c.possessed:
        return False
    text = cues.HARMLESS_NEGATION.sub(" ", c.msg.text)
    return cues.NEGATION_WORD.search(text) is not None


def _one_day(c: Clues) -> bool:
    """Exactly one day is named, and it is no narration."""
    days = [f for f in c.found if f.kind == "day" and f.first and not f.first.narrative]
    return len(days) == 1


def _opt_out(words: list[str]) -> bool:
    """The bare opt-out words Twilio acts on (any case, repeated, politeness allowed), ARRÊT."""
    if words and len(set(words)) == 1:
        return words[0] in cues.OPT_OUT_WORDS
    if len(words) == 2:
        return (words[0], words[1]) in cues.OPT_OUT_PAIRS
    return False


def _cancelling(c: Clues) -> bool:
    if c.negated_items and c.catalogue_items and c.explicit and not c.cue(cues.ONE_ORDER):
        return False  # "pas d'eau cette fois, seulement 2 baguettes": the refusal is one item's
    if c.cue(cues.CANCEL_VERB):
        return True
    about = bool(c.reading.mentions) or c.cue(cues.DELIVERY_WORDS) or bool(c.found)
    if c.cue(cues.CANCEL) and about:
        # "du pain demain svp, pas besoin de sonner": the refusal is about something else
        return not (c.specified and c.request and not c.negated_items and not _refusal_reaches(c))
    if c.negated_items and not c.cue(cues.STATE_NEGATION) and not c.wanted:
        return True
    return c.cue(cues.STOP_WORDS) and (bool(c.reading.mentions) or c.cue(cues.DELIVERY_WORDS))


_DELIVERY_VERBS = word_set(
    """
    apporter apportez amener amenez ramener livrer livrez monter montez passer passez venir venez
    deposer deposez mettre mettez commander bring deliver send drop come leave order bringing
    delivering sending coming
    """
)


_LINKS = word_set("de d du des la le l les m me moi to of for any the my a pour en vous nous y")


def _refusal_reaches(c: Clues) -> bool:
    """A refusal ("pas besoin", "no need") governs an item, a day or a delivery within a few
    words: "pas la peine de m'apporter du pain", "no need to bring water", "no more Saturday
    loaves"; not "pas besoin de sonner"."""
    msg = c.msg
    for i, j, _ in msg.find(cues.CANCEL):
        if any(msg.tags[k] not in (None, "noise") for k in range(i, j)):
            return True  # the refusal names it: "no more Saturday loaves"
        k = j
        while k < len(msg) and msg.toks[k] in _LINKS and msg.tags[k] is None:
            k += 1
        if k < len(msg) and (msg.tags[k] not in (None, "noise") or msg.toks[k] in _DELIVERY_VERBS):
            return True
    return False


def _narrated_only(c: Clues) -> bool:
    """Every day named is a narration ("ce matin", "hier"): the message tells what happened."""
    days = [f for f in c.found if f.kind in ("day", "start", "range", "until", "weekdays")]
    return bool(days) and all(f.kind == "day" and f.first and f.first.narrative for f in days)


def _weekday_range_only(c: Clues) -> bool:
    """Weekdays of a standing order ("annule le pain du lundi au vendredi"), not a period ("je ne
    serai pas là de jeudi à dimanche")."""
    if (c.cue(cues.NOT_THERE) or c.cue(cues.PAUSE)) and not any(
        f.kind == "weekdays" for f in c.found
    ):
        return False
    spans = [f for f in c.found if f.kind in ("range", "until", "return")]
    return (
        all(
            f.kind == "range"
            and f.first is not None
            and f.second is not None
            and f.first.kind == "wd"
            and f.second.kind == "wd"
            and (c.habit or "plus" in c.msg.toks)
            for f in spans
        )
        and bool(spans)
        and c.habit
    )


_YES_NO_EN = word_set("is are was were has have had did does am isn aren wasn hasn")


def msg_starts(c: Clues, words: frozenset[str]) -> bool:
    """The message's first word (greetings aside) is one of `words`."""
    for tok in c.msg.toks:
        if tok in ("hi", "hello", "hey", "morning", "bonjour", "sorry", "excuse", "me", "please"):
            continue
        return tok in words
    return False


def _asks_for_items(c: Clues) -> bool:
    """Is the bread mentioned asked for, or only talked about?"""
    if c.cue(cues.ACKNOWLEDGED) and not (c.request or (c.future and c.explicit)):
        return False
    if c.cue(cues.FEEDBACK) and not c.explicit and not c.request:
        return False
    if c.cue(cues.TROUBLE) and not c.request and not c.future:
        return False  # "j'ai trouvé une baguette cassée"
    if c.question and not (c.request or c.explicit or c.future):
        return False
    if c.question and msg_starts(c, _YES_NO_EN):
        return False  # "Is my standing order for bread still running?": asked, not ordered
    if c.request or c.future or c.habit:
        return True
    if c.explicit and not c.question and not c.cue(cues.POSSESSION):
        return True  # "15 pains pour la fête des voisins": a number of items, said plainly
    plain = all(m.how in ("bare", "mass", "one", "plural", "number") for m in c.wanted)
    limit = 1 if c.explicit else 2  # "2 baguettes", "pain", "bonjour, de l'eau"
    return plain and len(c.content) <= limit
