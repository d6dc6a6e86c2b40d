"""Which of the ten intents a message carries, from the cues, dates and items found in it.

The order of the checks is the policy, and it leans one way: when a message could be an action
or a remark, it is a remark (a wrong silent action is worse than a question or a reply). So
complaints come before everything actionable, a mention of bread is an order only when something
asks for it (a verb, a number, a day), and a question about the service is help, not an order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from handlers.nlu import cues
from handlers.nlu.dates import Found
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
    r"^(?:est\sce|comment|pourquoi|quand|quel|quelle|quels|quelles|combien|qui|ou|que|qu"
    r"|do|does|did|is|are|can|could|will|would|how|what|when|where|why|which|who)\b"
)
_SERVICE_TOPIC = re.compile(
    r"\b(?:livr\w*|passe[zr]?|vien\w*|service|benevole\w*|livreur\w*|gratuit|heure|heures"
    r"|jours?|commander|deliver\w*|volunteer\w*|free|time|days?|order\w*|come)\b"
)


@dataclass
class Clues:
    """Everything known about a message before the intent is chosen."""

    msg: Message
    found: list[Found]
    reading: Reading
    symbols_only: bool

    def cue(self, pattern: re.Pattern[str]) -> bool:
        return self.msg.has(pattern)

    @cached_property
    def wanted(self) -> list[Mention]:
        """Items, units and products named and not negated."""
        return [m for m in self.reading.mentions if not m.negated]

    @cached_property
    def catalogue_items(self) -> list[Mention]:
        return [m for m in self.wanted if m.kind == ITEM]

    @cached_property
    def negated_items(self) -> list[Mention]:
        return [m for m in self.reading.mentions if m.negated]

    @cached_property
    def explicit(self) -> bool:
        return any(m.how in ("number", "one") for m in self.wanted)

    @cached_property
    def request(self) -> bool:
        """Something is asked for; "je ne peux pas descendre" asks nothing, but "je ne peux pas
        descendre, pouvez-vous m'apporter du pain" does."""
        unnegated = cues.NEGATED_REQUEST.sub(" ", self.msg.text)
        return cues.REQUEST.search(unnegated) is not None

    @cached_property
    def future(self) -> bool:
        """A day that is not a narration ("hier", "ce matin") was given."""
        for f in self.found:
            if f.kind in ("day", "start") and f.first is not None and not f.first.narrative:
                return True
            if f.kind in ("range", "until", "weekdays", "vague"):
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
    if c.cue(cues.STOP):
        return "stop"
    if c.cue(cues.COMPLAINT):
        return "other"
    if c.question and c.cue(cues.CONFIRM) and not c.request:
        return "list"  # "j'ai bien une baguette demain ?": what is booked, not a new order
    firm_order = bool(c.wanted) and c.explicit and (c.request or c.future)
    if c.cue(cues.HELP) and not firm_order:
        return "help"
    if c.negated_items and _narrated_only(c) and not c.cue(cues.CANCEL_VERB):
        return "other"  # "pas de pain ce matin dans le sac": a delivery that did not come
    if _cancelling(c):
        if c.date_span and not _weekday_range_only(c):
            return "pause"
        vague = any(f.kind == "vague" for f in c.found)
        if (c.cue(cues.PAUSE) or vague) and not c.cue(cues.NOT_THERE) and not _one_day(c):
            return "pause"  # "no deliveries next week, I'm in hospital"
        return "cancel"
    if c.cue(cues.PAUSE) and not (c.wanted and c.request):
        return "pause"
    if c.date_span and not c.wanted and not c.habit:
        return "pause"
    if c.cue(cues.LIST) and not firm_order:
        return "list"
    if c.wanted and _asks_for_items(c):
        if not c.catalogue_items and c.cue(cues.VISIT) and not c.explicit:
            return "visit"
        return "standing_order" if c.habit else "order"
    if c.cue(cues.VISIT) and not c.cue(cues.VISIT_THANKS):
        return "visit"
    asking = c.request or c.cue(cues.USUAL) or (bool(c.reading.loose_numbers) and c.future)
    if (
        asking
        and not _narrated_only(c)
        and (c.future or c.reading.loose_numbers or c.cue(cues.ORDER_WORDS))
    ):
        return "standing_order" if c.habit and c.future else "order"
    if c.negated_items and c.cue(cues.STATE_NEGATION) and not c.question:
        return "order"  # "je n'ai plus de pain": asked as a question, not acted on
    if c.question and c.cue(_SERVICE_TOPIC):
        return "help"
    if c.cue(cues.TROUBLE):
        return "other"
    if c.cue(cues.SMALLTALK) or (c.wanted and (c.cue(cues.ACKNOWLEDGED) or c.cue(cues.FEEDBACK))):
        return "smalltalk" if len(c.content) <= 2 else "other"
    if toks and all(t == "?" for t in toks):
        return "help"
    return "other"


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
    if c.cue(cues.CANCEL_VERB):
        return True
    about = bool(c.reading.mentions) or c.cue(cues.DELIVERY_WORDS) or bool(c.found)
    if c.cue(cues.CANCEL) and about:
        return True
    if c.negated_items and not c.cue(cues.STATE_NEGATION) and not c.wanted:
        return True
    return c.cue(cues.STOP_WORDS) and (bool(c.reading.mentions) or c.cue(cues.DELIVERY_WORDS))


def _narrated_only(c: Clues) -> bool:
    """Every day named is a narration ("ce matin", "hier"): the message tells what happened."""
    days = [f for f in c.found if f.kind in ("day", "start", "range", "until", "weekdays")]
    return bool(days) and all(f.kind == "day" and f.first and f.first.narrative for f in days)


def _weekday_range_only(c: Clues) -> bool:
    """Weekdays of a standing order ("annule le pain du lundi au vendredi"), not a period."""
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
    if c.request or c.future or c.habit:
        return True
    plain = all(m.how in ("bare", "mass", "one", "plural", "number") for m in c.wanted)
    limit = 1 if c.explicit else 2  # "2 baguettes", "pain", "bonjour, de l'eau"
    return plain and len(c.content) <= limit
