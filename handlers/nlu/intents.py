"""Which of the ten intents a message carries, from the cues, dates and items found in it.

The order of the checks is the policy, and it leans one way: when a message could be an action
or a remark, it is a remark (a wrong silent action is worse than a question or a reply). So
messages that are not ours (a link, a parcel robot, moving house, a neighbour's wish, a change to
an order already placed) and complaints ("où est mon pain ?", "j'en avais commandé un") come
before everything actionable; a question about what is booked is list and a question about how
the service works is help, even when it names an item, a day or a number; a mention of bread is
an order only when something asks for it (a verb, a number, a day). Last comes the rule for the
rest: a problem (lost keys, a stranger at the door, a fall, a leak), a request the bot cannot act
on or a question for the team is other; a message with none of these (news, a photo, the weather,
a joke, thanks) is small talk.

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
from handlers.nlu.lang import KNOWN_WORDS
from handlers.nlu.lexicon import ITEM, PRODUCT, UNIT
from handlers.nlu.message import Message, word_set
from handlers.nlu.noise import DURATION, FREQUENCY

# Words that say nothing about what is wanted; what is left is the message's content.
STOPWORDS = word_set(
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
# "Quel beau ciel !", "what a lovely day": exclaimed, not asked (no question mark).
# "est-ce que" anywhere, or an inversion opening a later sentence: a question all the same.
_MID_QUESTION = re.compile(
    r"\best\sce\squ|\b(?:ai\sje|as\stu|avez\svous|a\st\sil|a\st\selle)\b(?!\s(?:dit|fait|eu))"
)
_EXCLAMATIVE = re.compile(
    r"^(?:(?:quel|quelle|quels|quelles)\s(?:beau|belle|beaux|belles|joli|jolie|bonne|bon|magnifique"
    r"|superbe|plaisir|chance|bonheur|horreur|dommage|temps|soleil|journee|surprise|joie|merveille"
    r"|honte|galere|froid|chaleur)|what\sa|what\san)\b"
)
_SERVICE_TOPIC = re.compile(
    r"\b(?:livr\w*|passe[zr]?|vien\w*|service|benevole\w*|livreur\w*|gratuit|heure|heures"
    r"|jours?|commander|deliver\w*|volunteer\w*|free|time|days?|order\w*|come)\b"
)


_TIMED = frozenset({"day", "start", "range", "until", "return", "vague", "weekdays"})
_ELLIPSIS = word_set(
    "aussi also too et and puis then ? ah oh euh hmm non no zut oups oops pardon sorry plutot "
    "finalement actually wait le la les l pour for on the a au de du d ce cette this svp please "
    "merci thanks ok bon alors enfin pareil idem same"
)
_CHOICE = word_set("ou or sinon otherwise else voire plutot rather")
_KEPT = re.compile(
    r"(?:\S+\s){0,3}(?:ca\sva|c\sest\sbon|je\s(?:le|la|les)\sgarde|je\sgarde|on\sgarde"
    r"|(?:is|s)\s(?:fine|ok|okay)|i\s(?:ll\s)?keep|stays?|reste|pareil|idem|the\ssame|as\sbefore"
    r"|comme\savant|inchange|unchanged|as\susual|as\snormal|comme\sd\s?hab\w*|normal|normalement"
    r"|like\snormal)\b"
    # "le pain du lundi et le reste ne changent pas", "the bread on Monday doesn't change"
    r"|(?:\S+\s){0,5}(?:ne\s|n\s)?change\w*\spas\b|(?:\S+\s){0,5}(?:doesn\st|don\st|won\st)\schange\b"
    # "le pain on ne touche à rien", "don't touch the bread"
    r"|(?:\S+\s){0,3}(?:ne\s|n\s)?touche[rz]?\s(?:a\srien|pas|rien)\b"
)
_NOT_WANTED_AFTER = re.compile(
    r"(?:qu|que|dont)\s(?:je|j)\s(?:ne\s|n\s)?(?:veux|voudrais|souhaite|ai)\s(?:pas|plus)\b"
    r"(?!\s(?:de|d|du|des|besoin)\b)"
    r"|(?:that\s|which\s)?i\s(?:don\st|do\snot|no\slonger)\s(?:want|need)\b"
)
# What stays as it is now, said after a one-off: "après on reste sans eau le lundi", "les autres
# semaines toujours sans eau", "otherwise still no water on Mondays"
_AS_NOW = re.compile(
    r"\b(?:toujours|les\sautres\ssemaines|the\sother\sweeks|after\sthat|apres\sca|ensuite|apres"
    r"|otherwise|sinon)\b(?:\s\S+){0,4}?\s(?:sans|without|no|pas)$"
)
# "pas d'eau samedi, le pain oui": the bread stays as it is
_YES_AFTER = re.compile(r"(?:oui|yes|ok|ca\soui)\b")
_DEFINITE_BEFORE = re.compile(r"\b(?:le|la|l|les|the|mon|ma|mes|my)$")
# "mais gardez l'eau", "keep the bread": the item said after a verb of keeping
_KEPT_BEFORE = re.compile(
    r"(?:\b(?:gardez|garder|garde|gardes|conservez|conserver|maintenez|keep|leave)"
    r"(?:\s(?:moi|me|bien|quand\smeme|still|just))?|\ben\splus\sd[eu]?|\bin\saddition\sto"
    r"|\bon\stop\sof|\bas\swell\sas)(?:\s(?:l|le|la|les|mon|ma|mes|the|my))?$"
)
# the opt-out words that stay STOP with a reason after them ("cancel, …" or "arrêtez, je pars"
# may be about one order or an absence)
# words before an opt-out word that leave it first: "non finalement STOP, …"
_LEAD_IN = frozenset(
    {"non", "no", "finalement", "bon", "ok", "alors", "oh", "actually", "en", "fait"}
)
_STOP_FIRST = frozenset({"stop", "stopall", "arret", "unsubscribe", "desinscription"})
_INSTEAD_OF = re.compile(r"\b(?:au lieu d\w*|instead of|rather than|plutot que)\b")
_ABOUT_MESSAGES = re.compile(
    r"\b(?:messages?|sms|textos?|texts?|notifications?|ecrire|envoyer|contacter)\b"
)
_HAVE_AFTER = re.compile(
    r"(?:(?:c\s)?est\s(?:bon|ok)\s)?(?:j\sen\sai|on\sen\sa|il\sm\sen\sreste|i\s(?:ve|have)\s(?:got\s)?)"
    r"\s?(?:encore|assez|plein|toujours|deja|beaucoup|enough|plenty|loads|some\sleft)\b"
    # "today's pack will do", "celui d'aujourd'hui suffira": what comes already is enough
    r"|(?:will|ll|should|would)\s(?:do|be\senough|last|be\splenty)\b|(?:me\s)?suffira\b|(?:me\s)?suffit\b"
    r"|fera\s(?:l\saffaire|bien)\b"
)
_BESIDES = re.compile(
    r"(?:\ben\splus\sd[eu]?|\bin\saddition\sto|\bas\swell\sas)(?:\s(?:mes|mon|ma|my))?$"
    # "un pack d'eau tous les vendredis avec mes 2 baguettes": the two are those already coming
    r"|\b(?:avec|with|along\swith|on\stop\sof|besides?|a\scote\sde)\s(?:mes|mon|ma|my)(?:\s(?:usual|habituel\w*))?$"
)
# "mon fils m'a installé une", "ma fille m'a acheté 2": given to the tenant, not asked of us
_GIVEN_BEFORE = re.compile(
    r"\b(?:m|nous|me|us)\s(?:a|ont|avez|has|have)\s(?:\w+\s)?(?:\w+(?:e|ee|es|ees|i|is|it|ert|erte)"
    r"|given|bought|brought|installed|got|livre|livree|apporte|apportee)"
    r"(?:\s(?:une?|des|deux|trois|du|de\sl|a|an|some|two))?\s*$"
)
# What the service does, told: "ma voisine m'a dit que vous apportiez le pain", "you deliver bread"
_SERVICE_TOLD = re.compile(
    r"\b(?:que\svous|vous|you)\s(?:apportiez|apportez|livriez|livrez|distribuez|distribuiez"
    r"|montez|montiez|bring|deliver|take\sround)\s(?:le|la|les|du|de\sl|des|the)?\s*$"
)
_WEEKDAY_NAMES = word_set(
    "lundi mardi mercredi jeudi vendredi samedi monday tuesday wednesday thursday friday saturday"
    " lundis mardis mercredis jeudis vendredis samedis mondays tuesdays wednesdays thursdays"
    " fridays saturdays"
)
# "on top of my usual bread", "en plus de mon pain habituel": what comes anyway
_BESIDE_MY_WORDS = (
    r"\b(?:on\stop\sof|in\saddition\sto|as\swell\sas|with|besides|en\splus\sd[eu]?|avec|a\scote\sde)"
    r"\s(?:my|mon|ma|mes|the)"
)
_BESIDE_MY = re.compile(_BESIDE_MY_WORDS + "$")
_USUAL_BEFORE = re.compile(_BESIDE_MY_WORDS + r"\s(?:usual|regular|normal|habituel\w*)$")
_USUAL_AFTER = re.compile(r"(?:habituel\w*|d\shabitude)\b")
_ONLY_KEPT = re.compile(r"\b(?:juste|seulement|just|only)(?:\s(?:l|le|la|les|the|my|mon|ma|mes))?$")
# Said right after an item: it came ("Bread arrived, thanks", "le pain est bien arrivé").
_ARRIVED = word_set("arrived came arrive arrivee arrives")
_BUT_MISSING = word_set("no not pas but mais sans without rien nothing")
_FORGET = word_set("forget oubliez oublie skip scrap drop remove")
_LEAVE_OUT = {("leave", "out"), ("leave", "off"), ("take", "off"), ("take", "out"), ("cut", "out")}
_BECAUSE = word_set("parce car because since puisque vu")
# An absence taken back: "I won't be away after all", "je ne pars plus", "finalement je ne serai
# pas absente". Words of absence there say the tenant stays.
_NOT_AWAY = re.compile(
    r"\b(?:won t|will not|not|no longer|not going to) (?:be )?(?:going )?(?:away|travelling"
    r"|leaving|going away)\b"
    r"|\b(?:ne|n) (?:pars|partirai) (?:plus|pas)\b"
    r"|\b(?:ne|n) (?:vais|serai|serais) (?:plus|pas) (?:partir|etre absente?|absente?|partie?)\b"
    r"|\b(?:trip|holiday|voyage|depart|sejour) (?:is |est )?(?:cancelled|canceled|annule\w*)\b"
)
_NO_MORE_ON = re.compile(
    r"\b(?:plus de|plus d|no more|no longer any) (?:livraisons?|pain|eau|baguettes?|deliver\w*"
    r"|bread|water|loaves) (?:le|les|on|the) (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|monday"
    r"|tuesday|wednesday|thursday|friday|saturday)s?\b"
)
_ABSENCE_CUES = (cues.PAUSE, cues.TIME_WORDS, cues.NOT_THERE, cues.HOLD)
_HAVE_BRIDGE = word_set(
    """
    du de d des l la le les some any plenty of enough assez beaucoup encore still loads lots
    tout toute tous toutes all the half moitie un une
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
        self._settle_kept()
        self._settle_possessions()
        self._settle_refusals()

    def _settle_kept(self) -> None:
        """ "Plus d'eau le samedi, le pain ça va / le pain du samedi je le garde": an item said
        to stay as it is is neither asked for nor refused; the message is about the others."""
        msg = self.msg
        items = [m for m in self.reading.mentions if m.kind == ITEM]
        usual = [  # "on top of my usual bread", "en plus de mon pain habituel": what comes anyway
            m
            for m in items
            if m.qty is None
            and not m.negated
            and (
                _USUAL_BEFORE.search(" ".join(msg.toks[max(0, m.span[0] - 6) : m.span[0]]))
                or (
                    _USUAL_AFTER.match(" ".join(msg.toks[m.span[1] : m.span[1] + 2]))
                    and _BESIDE_MY.search(" ".join(msg.toks[max(0, m.span[0] - 5) : m.span[0]]))
                )
            )
        ]
        if usual:
            self.reading.mentions = [m for m in self.reading.mentions if m not in usual]
            items = [m for m in items if m not in usual]
        as_now = [  # "…un pack d'eau ce lundi. Après on reste sans eau le lundi": as it is now
            m
            for m in items
            if m.negated
            and any(o.key == m.key and not o.negated for o in items)
            and _AS_NOW.search(" ".join(msg.toks[msg.sentence(m.span[0])[0] : m.span[0]]))
        ]
        if as_now:
            self.reading.mentions = [m for m in self.reading.mentions if m not in as_now]
            items = [m for m in items if m not in as_now]
        if len(items) < 2:
            return
        kept = []
        for m in items:
            if m.negated:
                continue
            start, end = msg.clause(m.span[0])
            rest = " ".join(msg.toks[m.span[1] : end])
            said = " ".join(
                msg.toks[start : min(m.span[0], m.at if m.at is not None else m.span[0])]
            )
            if m.qty is not None:  # "en plus de mes 2 baguettes, un pack d'eau": those stay
                if (
                    _BESIDES.search(said) and any(o.key != m.key for o in items)
                ) or (  # "Les 2 baguettes ne changent pas", "les 2 packs je les garde"
                    _DEFINITE_BEFORE.search(said)
                    and _KEPT.match(rest)
                    and any(o.key != m.key for o in items)
                ):
                    kept.append(m)
                continue
            kept_here = (
                _KEPT.match(rest)
                or (_YES_AFTER.match(rest) and _DEFINITE_BEFORE.search(said))  # "le pain oui"
                or _KEPT_BEFORE.search(said)
                or (
                    _ONLY_KEPT.search(said)
                    and m.qty is None
                    and (
                        self.cue(cues.CANCEL_VERB)
                        or any(o.negated and o.key != m.key for o in items)
                    )
                )
            )  # "cancel the water, just the bread", "seulement le pain, pas d'eau": bread stays
            if kept_here and any(o.key != m.key for o in items):
                kept.append(m)
        if kept:
            self.reading.mentions = [m for m in self.reading.mentions if m not in kept]

    def cue(self, pattern: re.Pattern[str]) -> bool:
        """Whether the message says `pattern` (each cue is searched once per message). Words of
        absence are not read inside a wish: "happy bank holiday" is no holiday of the tenant's."""
        key = id(pattern)
        seen = self._cues
        if key not in seen:
            if pattern in _ABSENCE_CUES:
                seen[key] = pattern.search(self._unwished) is not None
            else:
                seen[key] = self.msg.has(pattern)
        return seen[key]

    @cached_property
    def _unwished(self) -> str:
        msg = self.msg
        return _NOT_AWAY.sub(
            "_",
            " ".join(
                "_" if tag == "wish" else tok for tok, tag in zip(msg.toks, msg.tags, strict=True)
            ),
        )

    def _settle_possessions(self) -> None:
        """ "I've still got water", "j'ai encore du pain", "l'eau j'en ai assez": an item the
        tenant has is not wanted."""
        msg = self.msg
        for m in self.reading.mentions:  # the item first, then "j'en ai assez/encore"
            if m.kind != ITEM or m.negated or m.qty is not None:
                continue
            rest = " ".join(msg.toks[m.span[1] : msg.clause(m.span[0])[1]])
            if _HAVE_AFTER.match(rest):
                m.negated = True
                self.possessed.add(id(m))
        for m in self.reading.mentions:  # "mon fils m'a installé une carafe filtrante", "ma
            if m.negated or m.kind not in (ITEM, UNIT, PRODUCT):  # voisine m'a fait une brioche"
                continue
            start = msg.clause(m.span[0])[0]
            said = " ".join(msg.toks[start : m.at if m.at is not None else m.span[0]])
            if _GIVEN_BEFORE.search(said) or (m.how == "reference" and _SERVICE_TOLD.search(said)):
                m.negated = True
                self.possessed.add(id(m))
        for m in self.reading.mentions:  # "Bread arrived, thank you so much. Could I also…"
            if m.negated or m.kind != ITEM or m.qty is not None:
                continue
            a, b = msg.clause(m.span[0])
            rest = msg.toks[m.span[1] : b]
            if (
                rest[:1]
                and rest[0] in _ARRIVED
                and "date" not in msg.tags[a:b]
                and not set(msg.toks) & _BUT_MISSING  # "the water came but no bread"
            ):
                m.negated = True
                self.possessed.add(id(m))
        for _i, j, _m in msg.find(cues.RELATIVE_BRINGS):
            end = msg.clause(j)[1] if j < len(msg.toks) else j
            for m in self.reading.mentions:
                if m.kind == ITEM and not m.negated and j <= m.span[0] < end:
                    m.negated = True  # "my son is bringing water": had, not wanted
                    self.possessed.add(id(m))
        for i, j, _m in msg.find(cues.STILL_HAVE):
            # "j'en ai encore 2 packs", "il me reste 3 packs", "I've still got 2": home's count
            counted_at_home = bool({"en", "reste", "still", "got", "encore"} & set(msg.toks[i:j]))
            for m in self.reading.mentions:
                if m.kind not in (ITEM, UNIT) or m.negated:
                    continue
                if m.how in ("number", "one") and not counted_at_home and m.kind == ITEM:
                    continue  # (but "j'ai encore 3 bouteilles": bottles at home)
                between = [t for k, t in enumerate(msg.toks[j : m.span[0]], j) if k != m.at]
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
            if m.kind == ITEM and _NOT_WANTED_AFTER.match(" ".join(msg.toks[after : after + 7])):
                m.negated = True  # "c'est juste l'eau que je ne veux pas", "the water I don't need"
            if (
                m.kind == ITEM
                and msg.tok(m.span[0] - 2) in _FORGET
                and msg.tok(m.span[0] - 1) in ("the", "l", "le", "la", "les", "about")
            ):
                m.negated = True  # "forget the water, just 1 extra loaf": the water is dropped
            if (
                m.kind == ITEM
                and msg.tok(m.span[0] - 1) in ("the", "l", "le", "la", "les")
                and (msg.tok(m.span[0] - 3), msg.tok(m.span[0] - 2)) in _LEAVE_OUT
            ):
                m.negated = True  # "leave out the water, just the bread"
        if not (self.cue(cues.CANCEL) or self.cue(cues.REFUSAL)) or self.cue(cues.CANCEL_VERB):
            return
        mentions = [m for m in self.reading.mentions if m.kind == ITEM and not m.negated]
        counted = {  # "j'en ai encore 2 packs" counts what is at home, not what is wanted
            m.key for m in mentions if m.how in ("number", "one") and id(m) not in self.possessed
        }
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
    def told_aside(self) -> list[Found]:
        """Times told in a sentence (or clause) of their own, beside the one that orders: "je
        rentre de l'hôpital demain. Est-ce que je peux avoir une baguette samedi ?", "my carer
        comes on Mondays so Tuesday would be best". A part with no item, no word of asking and
        no refusal only tells; its time is not the delivery's, as long as the order has a time
        of its own. A day offered as another choice ("..., or else Saturday") stays."""
        timed = [f for f in self.found if f.kind in _TIMED]
        if len(timed) < 2 or any(f.kind == "alt" for f in self.found):
            return []
        msg = self.msg
        for unit in (msg.sentence, msg.clause, msg.loose_clause):
            side = [f for f in timed if not self._orders_here(*unit(f.span[0]))]
            kept = [f for f in timed if not any(f is g for g in side)]
            if side and any(f.kind in ("day", "start", "weekdays") for f in kept):
                if any(msg.toks[unit(f.span[0])[0]] in _CHOICE for f in side):
                    return []  # "..., sinon samedi": a second choice, not a remark
                return side
        return []

    @cached_property
    def ordered_times(self) -> list[Found]:
        """The times found, less those told aside."""
        return [f for f in self.found if not any(f is g for g in self.told_aside)]

    def _orders_here(self, a: int, b: int) -> bool:
        """Tokens [a, b) name an item, ask for something or refuse something; or say nothing
        but a time ("Mardi aussi.", "Et jeudi ?"), which then belongs with the order."""
        msg = self.msg
        if msg.tok(a) in _BECAUSE and a > 0:
            return False  # "…, parce que le mercredi l'aide ménagère m'en ramène": a reason
        if any(a <= m.span[0] < b for m in self.reading.mentions):
            return True
        told = [t for k, t in enumerate(msg.toks[a:b]) if msg.tags[a + k] is None]
        if all(t in _ELLIPSIS for t in told):
            return True
        if {"rien", "nothing"} & set(told) and not {"change", "changes", "changer"} & set(told):
            return True  # "…, et samedi rien du tout": that day's order is nothing
        if (
            any(  # "1 baguette mercredi, 2 vendredi et 3 samedi", "…, une mardi": counts of the
                (t in ("un", "une", "one") or (t.isdigit() and 0 < int(t) <= 20))  # item before
                and msg.tags[a + k] is None
                and (
                    msg.tok(a + k + 1) in _WEEKDAY_NAMES
                    or (  # "1 pain le lundi, 2 le mardi"
                        msg.tok(a + k + 1) in ("le", "on", "the")
                        and msg.tok(a + k + 2) in _WEEKDAY_NAMES
                    )
                )
                for k, t in enumerate(msg.toks[a:b])
            )
            and any(m.span[1] <= a and m.kind == ITEM for m in self.reading.mentions)
        ):
            return True
        part = cues.HARMLESS_NEGATION.sub(" ", " ".join(msg.toks[a:b]))  # "I can't get out"
        return any(
            p.search(part) for p in (cues.REQUEST, cues.CANCEL, cues.CANCEL_VERB, cues.STOP_WORDS)
        )

    @cached_property
    def habit(self) -> bool:
        """Something says "regularly": weekdays as a habit, "désormais", "une fois par semaine"."""
        if any(f.kind == "weekdays" for f in self.ordered_times):
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
    def known_words(self) -> bool:
        """Some word of French or English, a date or an item: something the parser could read."""
        msg = self.msg
        return any(t in KNOWN_WORDS for t in msg.toks) or any(t is not None for t in msg.tags)

    @cached_property
    def question(self) -> bool:
        """A question mark, an interrogative opening the message, or "est-ce que" anywhere
        ("bonjour c'est madame Dufour ... est-ce que j'ai bien du pain demain")."""
        if self.msg.question:
            return True
        text = self.msg.text
        if _INTERROGATIVE.match(text) and not _EXCLAMATIVE.match(text):
            return True
        return _MID_QUESTION.search(text) is not None

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
            if not covered[k] and tok not in STOPWORDS and tok != "?"
        ]


_STOP_REASON = re.compile(
    r"(?:je|j|i)\s(?:ne\s|n\s)?(?:veux|voudrais|souhaite|ai|don\st|do\snot|no\slonger|want|need)\s"
    r"(?:\w+\s)?(?:plus|besoin|rien|more|any|anything|nothing)\b|(?:plus|no\smore|nothing)\b"
)


_PLEASE = frozenset({"svp", "stp", "please", "s", "il", "vous", "te", "plait", "merci", "thanks"})


def _polite_end(msg: Message, k: int) -> int:
    """The first token from `k` that is not a "please" ("ARRET s'il vous plait, …")."""
    while k < len(msg.toks) and msg.toks[k] in _PLEASE and k not in msg.breaks:
        k += 1
    return k


def decide(c: Clues) -> str:
    """The intent of the message; see the module docstring for the order of the checks."""
    msg = c.msg
    toks = [t for t in msg.toks if t not in cues.POLITENESS or t in ("?",)]
    words = [t for t in msg.toks if t not in cues.POLITENESS]
    if not msg.toks:
        return "smalltalk" if c.symbols_only else "other"
    if _opt_out(words) and (words[0] != "cancel" or len(msg.toks) == len(words)):
        return "stop"
    lead = next((k for k, w in enumerate(msg.toks) if w not in _LEAD_IN), len(msg.toks))
    if (
        lead < len(msg.toks)
        and msg.toks[lead] in _STOP_FIRST
        and not c.cue(cues.PAUSE)
        and (
            _polite_end(msg, lead + 1) in msg.breaks
            or _polite_end(msg, lead + 1) == len(msg.toks)
            or _STOP_REASON.match(" ".join(msg.toks[lead + 1 :]))
        )
        and not (c.found or c.reading.mentions)
    ):  # "STOP, je n'ai plus besoin de vous", "ARRET, merci pour tout", "STOP je ne veux plus
        # de livraison": the word, then why
        return "stop"
    if words and all(w in cues.RESUME_WORDS for w in words):
        return "other"
    if c.link or c.cue(cues.SPAM):
        return "other"  # a parcel, a prize, an account to confirm: a robot, never a tenant's order
    if c.cue(cues.VOLUNTEERING):
        return "other"  # "je voudrais devenir bénévole", "how can I become a volunteer?"
    if c.question and c.cue(cues.IF_I_ORDER) and c.cue(cues.ASKS_PRICE):
        return "help"  # "si je prends une baguette de plus, ça me coûte combien ?": asked
    if c.question and c.cue(cues.HOW_TO):
        return "help"  # "how do I stop the texts?": asked, not done
    if c.cue(cues.STOP) and not (c.date_span and not c.cue(_ABOUT_MESSAGES)):
        return "stop"  # "arrêtez tout jusqu'au 25 janvier" has an end: a pause, read below
    if c.cue(cues.HALT_ALL) and (c.cue(cues.MOVING) or not (c.found or c.cue(cues.PAUSE))):
        return "stop"  # "arrêtez tout à partir de demain, je pars en voyage": a pause, below
    if msg_starts(c, _WHY) and c.question and not c.explicit:
        return "help" if c.cue(_SERVICE_TOPIC) else "other"  # "pourquoi vous ne livrez pas..."
    if (c.cue(cues.MOVING) or c.cue(cues.DELEGATE)) and not (
        c.explicit and c.catalogue_items and c.future and not c.negated_items
    ):  # "j'ai déménagé au bâtiment C, 2 baguettes lundi svp": the move for the team, the order
        return "other"  # moving house, a relative taking over the orders: for the coordinator
    if c.cue(cues.BEREAVEMENT) and not (c.request or c.question or c.wanted):
        return "other"  # "my husband passed away on Sunday": no absence, no cancellation
    if c.cue(cues.THIRD_PARTY) and not c.cue(cues.FIRST_PERSON_REQUEST):
        if c.cue(cues.VISIT) and not c.wanted:
            return "visit"  # "ma voisine aimerait qu'on passe la voir": a visit, asked for her
        return "other"  # "ma voisine aimerait aussi du pain": not this tenant's order
    if c.cue(cues.VOLUNTEER_SELF) and not c.explicit:
        return "other"  # "je suis bénévole, je ne pourrai pas faire ma tournée jeudi": the team's
    if c.cue(cues.MODIFY) and not c.cue(cues.CANCEL_VERB) and not c.explicit:
        return "other"  # "I meant water, not bread: can you change it?": for the coordinator
    if c.cue(cues.RESUME) and not c.explicit:
        return "other"  # deliveries to start again after a pause: the coordinator does it
    if c.complaint:
        return "other"
    if c.cue(cues.PICKUP) and not c.explicit and not c.negated_items:
        return "other"  # "mon petit-fils passera chercher le pain samedi": for the volunteers
    if (
        (c.date_span or c.cue(cues.PAUSE))
        and c.cue(cues.PAST_TENSE)
        and not c.request
        and _all_past(c)
    ):
        return "other"  # "j'étais absente du 1er au 5 octobre": a story, nothing to change
    if c.question and c.cue(cues.CONFIRM) and not c.request:
        return "list"  # "j'ai bien une baguette demain ?": what is booked, not a new order
    if (c.question or c.cue(cues.RECALL)) and c.cue(cues.ORDER_STATUS):
        return "list"  # "did my order for 2 loaves go through?": asked about, not placed again
    if c.cue(cues.WHICH_DAYS) and (c.cue(cues.RECALL) or c.cue(cues.LIST)) and not _new_request(c):
        return "list"  # "remind me which days", "je ne me souviens plus quels jours"
    firm_order = bool(c.wanted) and c.explicit and (c.request or c.future or not c.question)
    if c.cue(cues.LIST_ASK) and (c.question or c.cue(cues.RECALL)) and not _new_request(c):
        return "list"  # "vous m'apportez quoi vendredi ?", "remind me what I ordered"
    if c.cue(cues.SPEAK_TO) and not firm_order:
        return "other"  # "can I speak to someone in charge?": a person answers
    wants_help = c.request or c.question or c.cue(cues.WISH)
    wants_help = wants_help or c.cue(cues.HELP)  # "une lettre que je ne comprends pas"
    refusing_days = c.cue(cues.CANCEL) and bool(c.found)  # "le samedi je n'ai plus besoin de
    # rien, mon fils me fait les courses": a day refused, the shopping is the reason
    if (
        c.cue(cues.ASSIST)
        and wants_help
        and not c.cue(cues.SERVICE_WORDS)
        and not firm_order
        and not refusing_days
    ):
        return "other"  # "can someone help me fill in a form?": not how the service works
    if c.cue(cues.HELP) and not firm_order:
        return "help"
    praise = c.cue(cues.SOCIAL) and not c.request  # "il a porté mes courses jusqu'en haut, bravo"
    if (
        c.cue(cues.HANDLING)
        and not c.specified
        and not praise
        and not _cancelling(c)
        and not _asks_day(c)
    ):
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
        if item_habit(c):
            return "cancel"  # "arrêtez le pain du samedi, je vais chez ma fille le week-end"
        if c.date_span and not _weekday_range_only(c):
            return "pause"
        vague = any(f.kind == "vague" for f in c.found)
        one_order = c.cue(cues.ONE_ORDER) or (
            c.cue(cues.CANCEL_VERB) and not c.cue(cues.ALL_DELIVERIES) and not c.cue(cues.PAUSE)
        )  # "cancel next week's order", "annule le pain la semaine prochaine": which day?
        if (
            (c.cue(cues.PAUSE) or (vague and not one_order))
            and not c.cue(cues.NOT_THERE)
            and not _NO_MORE_ON.search(c.msg.text)  # "plus de livraison le lundi, je déjeune
            # chez mon fils": a weekday given up
            and not _one_day(c)
            and not (vague and not c.cue(cues.PAUSE) and c.explicit)  # "pour la semaine
        ):  # prochaine, 2 baguettes lundi, rien mercredi…": that week's plan
            return "pause"  # "no deliveries next week, I'm in hospital"
        if (
            c.cue(cues.PAUSE)
            and any(f.kind == "start" for f in c.found)
            and DURATION in c.msg.tags
            and not item_habit(c)
        ):  # "je m'absente une semaine à partir du samedi 20, pas de pain pendant ce temps"
            return "pause"
        return "cancel"
    if c.cue(cues.NEIGHBOUR_NEWS) and not c.wanted and not c.cue(cues.NOT_THERE):
        return "other"  # "my neighbour has had a fall and is in hospital": not our absence
    if c.cue(cues.PASS_ON) and not c.date_span and not c.wanted:
        return "other"  # "pouvez-vous prévenir ma fille que je suis à l'hôpital ?"
    if (
        c.cue(cues.PAUSE)
        and not (c.specified and c.request)
        and not (c.explicit and _INSTEAD_OF.search(c.msg.text))  # "une seule au lieu de deux,
        # je suis invitée chez ma soeur": the number of that day, and why
        and not _back_already(c)
        and not (c.cue(cues.VISIT_NEWS) and not c.cue(cues.FIRST_PERSON_AWAY))
        and not (_NO_MORE_ON.search(c.msg.text) and not c.date_span)  # "plus de livraison le
        # lundi, je déjeune chez mon fils le lundi": a weekday given up, not an absence
    ):
        return "pause"
    if c.date_span and not c.specified and not c.habit and not _building_trouble(c):
        return "pause"
    if c.cue(cues.LIST) and not firm_order:
        return "list"
    if c.wanted and _asks_for_items(c):
        units = any(m.kind == UNIT for m in c.wanted)  # "half a loaf, I live alone": an order
        if not c.catalogue_items and c.cue(cues.VISIT) and not c.explicit and not units:
            return "visit"
        return "standing_order" if c.habit else "order"
    family_news = c.cue(cues.VISIT_NEWS) and not (c.request or c.question)
    if c.cue(cues.VISIT) and not c.cue(cues.VISIT_THANKS) and not family_news:
        return "visit"  # not "my grandson is visiting from Dover": news, told
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
    if c.question and (c.cue(cues.LAUGH) or _answered(c)):
        return "smalltalk"  # a riddle told: "Savez-vous pourquoi... ? Parce que..."
    if c.cue(cues.PROBLEM):
        return "other"  # lost keys, a stranger at the door, a fall, a leak, a call to expect
    if c.question and c.cue(_SERVICE_TOPIC):
        return "help"
    if c.cue(cues.TROUBLE):
        return "other"
    if c.cue(cues.SOCIAL) or c.cue(cues.VISIT_THANKS):
        return "smalltalk"  # thanks, praise, a birthday: however long
    if toks and all(t == "?" for t in toks):
        return "help"
    if c.question and c.cue(cues.SOCIAL_QUESTION):
        return "smalltalk"  # "comment allez-vous ?", "did you have a nice weekend?"
    if (c.question or c.request or c.cue(cues.WISH)) and c.content:
        return "other"  # a question or a request we cannot act on: the coordinator answers
    if not c.known_words and not c.cue(cues.SMALLTALK):
        return "other"  # nothing we can read: a person reads it
    return "smalltalk"  # no request, no problem, no question: news, a photo, the weather


def _building_trouble(c: Clues) -> bool:
    """A fault in the building told with a span ("une fuite, ça coule jusqu'au 1er"): the span is
    the water's, not an absence."""
    return c.cue(cues.TROUBLE) and c.cue(cues.PROBLEM) and not c.cue(cues.PAUSE)


def _asks_day(c: Clues) -> bool:
    """A day named together with a word of asking for a delivery: "le pain dans le sac jeudi" is
    an instruction, "apportez-moi le pain jeudi, dans le sac" an order."""
    return c.day_given and c.request and not c.cue(cues.HANDLING_ONLY)


def _back_already(c: Clues) -> bool:
    """ "je suis rentrée de vacances", "back from my holiday": an absence over, no day to come."""
    return c.cue(cues.BACK_NOW) and not c.future and not c.request and not c.negated_items


def _answered(c: Clues) -> bool:
    """A question answered in the same message ("Savez-vous pourquoi... ? Parce que..."): a
    riddle told, not a question put to the team."""
    toks = c.msg.toks
    if "?" not in toks:
        return False
    after = toks[toks.index("?") + 1 :]
    return bool(after) and after[0] in ("parce", "because", "car", "cause", "answer", "reponse")


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


def unexplained_negation(c: Clues, found: list[Found] | None = None) -> bool:
    """A negation the reading did not place: no item refused, no harmless turn of phrase. An
    order read from such a message may be its opposite ("je ne pense pas avoir besoin de pain").

    Only a negation in a clause that carries the order counts (an item, a day or a word of
    asking): "je suis au 5e sans ascenseur, pourriez-vous me monter 2 packs", "si cela ne vous
    dérange pas" between commas, "c'est plus simple pour lui" are remarks beside the order.
    `found`: the times that belong to the order (a day told aside, "lundi je suis pas là, mettez
    mardi", carries no order)."""
    if c.negated_items or c.possessed:
        return False
    msg = c.msg
    harmless = [m.span() for m in cues.HARMLESS_NEGATION.finditer(msg.text)]
    anchors = [m.span[0] for m in c.wanted]
    anchors += [f.span[0] for f in (c.found if found is None else found) if f.kind != "vague"]
    anchors += [msg.span(m)[0] for m in cues.REQUEST.finditer(msg.text)]
    for m in cues.NEGATION_WORD.finditer(msg.text):
        if any(a <= m.start() < b for a, b in harmless):
            continue
        if m.group(0) == "plus" and msg.lang == "en":
            continue  # "…, plus a pack of water on Thursdays": and
        k = msg.span(m)[0]
        if any(a <= k < b for a, b in msg.corrections):
            continue  # "two loaves, no wait, three": the "no" took back the two
        start, end = msg.clause(k)
        if any(start <= anchor < end for anchor in anchors):
            return True
    return False


def _one_day(c: Clues) -> bool:
    """Exactly one day is named (said once or twice: "le 25, pour Noël"), and it is no narration."""
    days = [f.first for f in c.found if f.kind == "day" and f.first and not f.first.narrative]
    if len(days) <= 1 or c.today is None:
        return len(days) == 1
    return len({resolve(d, c.today).date for d in days}) == 1


def item_habit(c: Clues) -> list[Found]:
    """Weekdays said as the habit of an item: "le pain du samedi", "l'eau du jeudi", "the Friday
    water", "my Monday loaves". Cancelling names these days, whatever else the message says."""
    out = []
    for f in c.found:
        if f.kind != "weekdays" or f.habit not in ("def", "attr"):
            continue
        i, j = f.span
        for m in c.reading.mentions:
            if m.kind == ITEM and (m.span[1] == i or (f.habit == "attr" and m.span[0] == j)):
                out.append(f)
                break
    return out


def _opt_out(words: list[str]) -> bool:
    """The bare opt-out words Twilio acts on (any case, repeated, politeness allowed), ARRÊT."""
    if words and len(set(words)) == 1:
        return words[0] in cues.OPT_OUT_WORDS
    if len(words) == 2:
        return (words[0], words[1]) in cues.OPT_OUT_PAIRS
    return False


def _cancelling(c: Clues) -> bool:
    if c.msg.corrections and c.explicit and not c.negated_items:
        return False  # "one loaf Saturday, scratch that, two loaves": corrected, still wanted
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
        if any(msg.tags[k] not in (None, "noise", "wish") for k in range(i, j)):
            return True  # the refusal names it: "no more Saturday loaves"
        k = j
        while k < len(msg) and msg.toks[k] in _LINKS and msg.tags[k] is None:
            k += 1
        if k < len(msg) and (
            msg.tags[k] not in (None, "noise", "wish") or msg.toks[k] in _DELIVERY_VERBS
        ):
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


_WHY = word_set("pourquoi why")
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
    if c.cue(cues.MADE) and not c.request and not c.catalogue_items:
        return False  # "j'ai fait une tarte, je la partagerai jeudi": told, not ordered
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
