"""What a message asks of the orders that already exist, beyond the contract's one intent.

The contract gives one intent, one day and the items of a new order. A conversation needs more
to change exactly what was asked and nothing else: the items a cancellation names ("pas d'eau
jeudi" keeps the bread), a move from one day to another ("c'est pour jeudi pas pour mercredi"),
a corrected quantity ("c'est 2 pas 3"), an item swapped for another, an addition ("rajoutez un
pack d'eau"), several days each with its own items, "comme d'habitude", and what a person must
see (a fall, a door code, "personne n'est passé", a question about the service).

Read from the same clues as the parse (tokens, item mentions and dates with their positions),
so nothing here reads the message a second time. Pure: no I/O, nothing of ours outside `nlu`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from handlers.nlu.calendar_words import WEEKDAY_KEYS, WEEKDAYS, WEEKDAYS_PLURAL
from handlers.nlu.cues import ASKING, FOR_TEAM, NEIGHBOUR_WORRY, WITH_IT
from handlers.nlu.dates import Found, Placed, resolve
from handlers.nlu.intents import Clues
from handlers.nlu.lexicon import PRODUCT, Lexicon
from handlers.nlu.message import Message, word_set
from handlers.nlu.vocabulary import (
    ACCESS,
    ADDING,
    ALERT_EN,
    ALERT_FR,
    DELIVERY_MISSED,
    FAQ_TOPICS,
    MOVE_VERBS,
    QUESTION_OPENERS,
    USUAL,
)


@dataclass(frozen=True)
class Frame:
    named: tuple[str, ...] = ()  # catalogue items named, wanted or refused, in order
    segments: tuple[tuple[date, tuple[tuple[str, int], ...]], ...] = ()  # several days' orders
    move: tuple[date, date] | None = None  # (from, to): "jeudi pas mercredi"
    to_day: date | None = None  # "je me suis trompée, c'est pour jeudi": the day of the last order
    quantity: tuple[int, int | None] | None = None  # (new, old): "c'est 2 pas 3", "finalement 3"
    swap: tuple[str, str] | None = None  # (new item, old item): "du pain à la place de l'eau"
    adding: bool = False  # "rajoutez", "aussi", "en plus", "also"
    usual: bool = False  # "comme d'habitude", "same as last week"
    alert: str | None = None  # "urgent" (health, safety), "missed" (nobody came), "access"
    faq: str | None = None  # a question about the service: "time", "cost", "days", "items"
    errand: bool = False  # milk, medicine, the chemist's: asked of us, not ours to deliver
    for_team: bool = False  # "Claire pourrait m'appeler", a new phone number: for a person
    negated_day: bool = False  # a day said with a refusal: "ne venez pas jeudi"
    days: tuple[date, ...] = ()  # every future day said, in order
    refused: tuple[str, ...] = ()  # items refused: "pas d'eau"
    asked: tuple[tuple[str, int | None], ...] = ()  # items wanted, with their number if said
    only: bool = False  # "juste le pain", "only one loaf", "je ne veux que l'eau"
    week: tuple[date, date] | None = None  # "la semaine prochaine": Monday to Sunday
    span: tuple[date, date] | None = None  # "de samedi à mardi": the days between, said once
    back: bool = False  # "je reviens le 27": the last day said is a return, not an absence
    removing: bool = False  # "enlevez une baguette", "one loaf less"
    correcting: bool = False  # "pardon", "non c'est", "actually": a correction of what was said
    refused_days: tuple[
        date, ...
    ] = ()  # days said with a refusal: "donc pas de livraison vendredi"
    weekday_names: tuple[str, ...] = ()  # weekdays named, as keys: "monday or tuesday" -> mon, tue
    before: date | None = None  # "pas de livraison avant lundi": nothing until the day before
    loose_move: tuple[date, date] | None = None  # "not Wednesday, Thursday": a move if the
    # refused day holds the order just made (the router knows)
    nothing_day: bool = False  # "lundi rien du tout": nothing that day
    exact: tuple[str, ...] = ()  # items said with "seule", "only": that number, not more
    total: bool = False  # "3 baguettes en tout", "3 in total": the number is the whole day's
    open_end: bool = False  # "jusqu'à nouvel ordre", "je vous écrirai quand je rentre"
    home: bool = False  # "je suis rentrée", "I'm back home": a pause ends
    returning: date | None = None  # "je rentre le jeudi 11", "back on the 11th": first day home
    weekly: bool = False  # "plus jamais", "tous les", "every week": about the habit, not a date
    until: date | None = None  # "jusqu'au 15", "until Friday": the last day said
    resume: date | None = None  # "vous pouvez reprendre dès demain": the first day delivered again
    kept_days: tuple[date, ...] = ()  # "vendredi gardez le pain", "jeudi livrez-moi normalement"
    plural_weekdays: tuple[str, ...] = ()  # "on Wednesdays", "les lundis": said as a habit
    kept_weekdays: tuple[str, ...] = ()  # "le samedi on garde l'eau", "Monday stays the same"
    loose: tuple[int, ...] = ()  # numbers said with no item: "non, 3 pour vendredi", "mettez-en 2"


_CORRECTION_CUES = re.compile(
    r"\b(?:trompe\w*|erreur|mistake|wrong|finalement|plutot|en fait|actually|instead|"
    r"correction|je voulais dire|i meant|c est pour|it s for|its for|mixed up|mix up|muddled"
    r"|ce n est pas (?:le|la|pour|ce)"
    r"|c est (?:ce|le) (?:lundi|mardi|mercredi|jeudi|vendredi|samedi))\b"
)
# A short message that opens on "no" or "sorry" and names one day: that day, not the one just
# booked ("non, vendredi", "sorry, Friday please").
_LEADING_NO = re.compile(r"(?:(?:non|no|nan|nn|pardon|sorry|oups|oops|ah|oh|euh)\b\W*)+")
_NEGATION = frozenset({"pas", "not", "ni", "jamais", "never", "sauf", "except", "neither"})
_FROM_MARKERS = re.compile(
    r"\b(?:au lieu(?: d\w*)?|instead of|plutot que|rather than|a la place(?: d\w*)?|in place of"
    r"|better than|mieux que)"
    r"(?: l| les?| la| the)?$"
)


def read_frame(clues: Clues, today: date, intent: str, lexicon: Lexicon) -> Frame:
    msg = clues.msg
    toks = msg.toks
    text = " ".join(toks)
    padded = f" {text} "
    named = tuple(
        dict.fromkeys(m.key for m in clues.reading.mentions if m.kind == "item" and m.key)
    )
    days = _days(clues, today)
    kept = kept_weekdays(clues.found, msg)  # "le mercredi et le vendredi ça suffit"
    if kept and len(days) > 1:  # "annulez mercredi seulement, lundi et vendredi c'est bon"
        days = [e for e in days if WEEKDAY_KEYS[e[1].weekday()] not in kept] or days
    week = _week(clues, today, text)
    if (
        week is not None
        and (_WEEK_HEADING.search(text) or _week_first(text, days) or _week_last(msg, text, days))
        and not _FROM_WEEK.search(text)  # "à partir de la semaine prochaine": a start, no plan
    ):
        # "pour la semaine prochaine : lundi…, samedi 3 baguettes": that week's days (those of
        # its sentence: "je change de numéro la semaine prochaine. Et 2 baguettes vendredi")
        said = _week_at(text)
        days = [
            (
                span,
                week[0] + timedelta(days=d.weekday())
                if _plain_weekday(toks, span) and (said is None or msg.same_sentence(said, span[0]))
                else d,
            )
            for span, d in days
        ]
    move, negated_day = _move(clues, days, text)
    span = _span(clues, today)
    if move is None and span is not None and _MOVE_PHRASE.search(text):
        move = span  # "mettre la livraison de vendredi au samedi": from one day to the other
        earlier = span[1] - timedelta(days=7)
        if earlier > today and abs((earlier - span[0]).days) < abs((span[1] - span[0]).days):
            move = (span[0], earlier)  # "passer mes baguettes du jeudi au mercredi": the day before
    segments = _segments(clues, days) if intent in ("order", "cancel", "other", "smalltalk") else ()
    if len(segments) > 1 and _WITH_EACH.search(text):
        segments = _with_each(segments)  # "…, et un pack d'eau avec chacune des deux livraisons"
    quantity = _quantity(clues)
    if segments and quantity is not None:
        move = None  # "Monday 3 loaves instead of 2, and cancel Wednesday": no day is moved
    to_day = None
    if (
        move is None
        and not negated_day
        and intent in ("order", "other", "smalltalk")
        and len({d for _, d in days}) == 1  # ("c'est ce samedi, le 22": one day)
        and not _kept(msg, days[0][0])  # "jeudi ça change pas"
        and quantity is None  # "and on Wednesday 3 instead of 2": a number, not a move
        and not _NUMBER_INSTEAD.search(text)  # "Also Tuesday 4 please, instead of the usual 2"
        and (
            _CORRECTION_CUES.search(text)
            or set(toks) & MOVE_VERBS  # "move it to Thursday"
            or (_LEADING_NO.match(text) and len(toks) <= 6)  # "non pardon, vendredi"
        )
    ):
        to_day = days[0][1]
    return Frame(
        named=named,
        segments=segments,
        move=move,
        to_day=to_day,
        quantity=quantity,
        swap=_swap(clues, text, lexicon),
        adding=(
            any(f" {w} " in _NOT_ADDING.sub(" ", padded) for w in ADDING)
            or WITH_IT.search(text) is not None
        )
        and not _SET_TO.search(text)
        and not _TOTAL.search(text),
        total=_TOTAL.search(text) is not None,
        exact=tuple(
            dict.fromkeys(
                m.key
                for m in clues.reading.mentions
                if m.key and set(toks[max(0, m.span[0] - 2) : m.span[1] + 1]) & _EXACT_WORDS
            )
        ),
        usual=any(f" {w} " in padded for w in USUAL),
        alert=_alert(clues, padded),
        errand=_errand(clues, padded),
        for_team=clues.cue(FOR_TEAM),
        faq=_faq(clues, padded, intent),
        negated_day=negated_day,
        days=tuple(dict.fromkeys(d for _, d in days)),
        refused=tuple(
            dict.fromkeys(
                m.key for m in clues.negated_items if m.key and not _besides(toks, m.span[0])
            )
        ),
        asked=_asked(clues),
        only=_ONLY.search(_ONE_ONLY.sub(" ", text)) is not None,
        week=week,
        span=span,
        back=_BACK.search(text) is not None,
        removing=_REMOVING.search(text) is not None,
        correcting=_CORRECTING.search(text) is not None,
        refused_days=_refused_days(msg, days),
        weekday_names=tuple(
            d
            for d in dict.fromkeys(WEEKDAY_KEYS[WEEKDAYS[t]] for t in toks if t in WEEKDAYS)
            if d not in kept
        ),
        before=_before(days, toks),
        loose_move=_loose_move(clues, days),
        nothing_day=bool(days) and _NOTHING.search(UNCHANGED.sub(" ", text)) is not None,
        weekly=_WEEKLY.search(text) is not None and _STILL.search(text) is None,
        open_end=any(f.kind == "open" for f in clues.found),
        home=(_HOME.search(text) is not None or _RESTART.search(text) is not None)
        and not any(  # "you can start my bread again": the pause that is on ends ("je suis
            f.first is None or not f.first.narrative for f in clues.found
        ),  # rentrée hier soir" too: that day is told)
        returning=_placed(clues, today, "return"),
        until=_placed(clues, today, "until"),
        resume=_resumed(text, days)
        or (
            _resumed(text, days, _DELIVER_AFTER_RETURN)
            if _placed(clues, today, "return") is not None
            else None
        ),
        kept_days=tuple(d for span, d in days if _kept(msg, span)),
        plural_weekdays=tuple(
            dict.fromkeys(WEEKDAY_KEYS[WEEKDAYS_PLURAL[t]] for t in toks if t in WEEKDAYS_PLURAL)
        ),
        kept_weekdays=tuple(
            sorted(kept_weekdays(clues.found, msg, keeping=True), key=WEEKDAY_KEYS.index)
        ),
        loose=tuple(n for _, n in clues.reading.loose_numbers if 0 < n <= 20)
        + tuple(
            n
            for f in clues.found
            if f.kind == "day" and f.first is not None
            for n in [_counted_weekday(f, resolve(f.first, today))]
            if n is not None
        ),
    )


def _counted_weekday(f: Found, placed: Placed) -> int | None:
    """ "et le samedi 2 pour ma petite fille": no Saturday is the 2nd this month, so the 2 counts
    loaves and the day is the coming Saturday."""
    d = f.first
    if placed.problem != "weekday_mismatch" or d is None or d.month is not None:
        return None
    return d.day if d.day is not None and 0 < d.day <= 6 else None


def _placed(clues: Clues, today: date, kind: str) -> date | None:
    """The date of the first expression of `kind` ("until": "jusqu'au 20"; "return": "je rentre
    le jeudi 11") that can be placed in the calendar."""
    for f in clues.found:
        if f.kind == kind and f.first is not None:
            placed = resolve(f.first, today)
            if placed.date is not None and not placed.problem:
                return placed.date
    return None


# "avec chacune des deux livraisons", "with each delivery", "pour chaque jour"
_WITH_EACH = re.compile(
    r"\b(?:avec|pour|a|with|for|on) (?:chacune?|chaque|each)(?: (?:des|de mes|of the|of my) "
    r"(?:\w+ )?(?:livraisons|commandes|jours|deliveries|orders|days)| (?:livraison|commande|jour"
    r"|delivery|order|day|one|fois))?\b|\b(?:a|to) (?:both|all) (?:of them|days|deliveries)\b"
)


def _with_each(
    segments: tuple[tuple[date, tuple[tuple[str, int], ...]], ...],
) -> tuple[tuple[date, tuple[tuple[str, int], ...]], ...]:
    """The items only the last day got, said "with each": every day gets them."""
    last = dict(segments[-1][1])
    others = {k for _, items in segments[:-1] for k, _ in items}
    each = {k: n for k, n in last.items() if k not in others and k != "*"}
    if not each:
        return segments
    return tuple((d, tuple(sorted({**dict(items), **each}.items()))) for d, items in segments)


# "passer à 2 baguettes le mardi aussi": the new number, not two more
_SET_TO = re.compile(
    r"\b(?:passer|passe|passez|monter|montez|augmenter|augmentez|go\sup|increase\sit|change\sit)"
    r"\s(?:a|au|to)\s\d+\b"
)
_EXACT_WORDS = frozenset({"seul", "seule", "seuls", "seules", "only", "just", "juste"})
# "two is too much for me", "it's too heavy": no addition
_NOT_ADDING = re.compile(r"\btoo (?:much|many|big|heavy|late|early|far|hard|expensive|long)\b")
_TOTAL = re.compile(
    r"\b(?:en tout|au total|in total|altogether|in all)\b"
    # "2 baguettes (une de plus que d'ordinaire)": the 2 is how many, the rest says why
    r"|\b(?:une?|1|one) (?:de plus|more) (?:que|than) (?:d habitude|d ordinaire|usual|normal)"
    r"|\b\d+ (?:baguettes?|pains?|packs?)(?: d eau)?(?: svp| stp)? (?:une?|1) de plus\b"
    # "rajoutez une baguette, donc 2 baguettes": the 2 is the new count
    r"|\b(?:donc|soit|ca fera|ca fait|so|that makes|making) \d+ "
    r"(?:baguettes?|pains?|packs?|loaf|loaves"
    r"|bread)\b"
    # "make tomorrow's water 2 packs", "back to one pack", "remettez 2 pains", "je réduis à 3":
    # a number the day should have, not one more
    r"|\bmake (?:[a-z]+ ){1,4}?(?:\d+|one|a single)\b(?! more| extra)"
    r"|\b(?:back to|go back to|revenir a|reviens a|revenez a|retour a|on revient a|repasser a"
    r"|repassez a)(?: (?:the|a|an|my|une?|la|le|les|mon|ma|mes))? (?:\d+|one|single|seule?)\b"
    r"|\bremet(?:s|tez|tre|te)? (?:[a-z]+ )?\d+\b(?! de plus| en plus| more)"
    r"|\b(?:redui\w*|reduc\w*|diminu\w*|baiss\w*|descend\w*|ramen\w*|reduce|cut|lower|bring)"
    r" (?:[a-z]+ ){0,4}?(?:a|au|to|down to) \d+\b"
    r"|\b(?:passer|passe|passez|monter|montez|augmenter|augmentez|go up|increase it|change it)"
    r" (?:a|au|to) \d+\b"
)
_NOTHING = re.compile(r"\b(?:rien|nothing)\b")
_WEEKLY = re.compile(
    r"\b(?:plus jamais|tous les|toutes les|chaque semaine|every week|each week|desormais|"
    r"dorenavant|from now on|any more|anymore|never again|for good|permanently|definitivement|"
    r"pour de bon|pour toujours)\b|\b(?:toujours|always)(?: svp| merci| please)?$"
)
# "… une baguette, pas de l'eau. Pour jeudi toujours": still that day, not every week
_STILL = re.compile(r"\bpour (?:le |la )?[a-z0-9]+ toujours(?: svp| merci)?$")


def _one_date(
    days: list[tuple[tuple[int, int], date]], toks: tuple[str, ...]
) -> list[tuple[tuple[int, int], date]]:
    """ "Tuesday the 15th", "mardi, le 15": a weekday right before a day number is that date."""
    out: list[tuple[tuple[int, int], date]] = []
    for k, (span, day) in enumerate(days):
        nxt = days[k + 1] if k + 1 < len(days) else None
        gap = toks[span[1] : nxt[0][0]] if nxt else ()
        if (
            nxt is not None
            and span[1] - span[0] == 1
            and toks[span[0]] in WEEKDAYS
            and len(gap) <= 1
            and all(t in ("the", "le", "on") for t in gap)
            and nxt[1].weekday() == WEEKDAYS[toks[span[0]]]
        ):
            continue  # the weekday says the same day as the number after it
        out.append((span, day))
    return out


_INSTEAD = re.compile(r"(?:a\sla\splace|instead|plutot|a\sla\splace\sde)\b")
_AWAY_AFTER = re.compile(
    r"^(?:\S+\s){0,2}(?:je\s(?:ne\s)?(?:suis|serai|serais)\s(?:pas\sla|absente?|pas\s(?:chez\smoi|a\sla\smaison))"
    r"|i\s(?:m|am|ll\sbe|will\sbe)\s(?:not\s(?:in|home|there)|away|out)|i\swon\st\sbe\s(?:in|home|there)"
    r"|je\s(?:vais|pars|serai)\s(?:chez|a|au|en)\s|i\s(?:m|am)\s(?:going|off)\sto\s"
    r"|je\s(?:suis|serai)\s(?:au|a\sla|chez|en)\s(?:marche|coiffeur|medecin|docteur|hopital|club"
    r"|kine|dentiste|mairie|ville|courses))"
)
# "ma livraison de mercredi, pouvez-vous la passer à mardi ?": a move said with a pronoun
_MOVE_PHRASE = re.compile(
    r"\b(?:la|le|les|l)\s(?:passer|mettre|faire|livrer|avoir|recevoir)\s(?:a|au|pour|plutot"
    r"|(?:le\s)?(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|demain))\b"
    r"|\b(?:passez|mettez|faites)\s(?:la|le|les)\s(?:a|au|pour|plutot)\b"
    r"|\b(?:mettre|mettez|passer|passez)\s(?:la|ma)\slivraison\s(?:de|du|d)\b"
    r"|\b(?:mettre|mettez|passer|passez|decalez|reportez)\s(?:\w+\s){1,4}(?:de|du)\s(?:lundi|mardi"
    r"|mercredi|jeudi|vendredi|samedi)\s(?:au|a)\s"
)


def _loose_move(clues: Clues, days: list[tuple[tuple[int, int], date]]) -> tuple[date, date] | None:
    toks = clues.msg.toks
    if len(days) > 2 and len({d for _, d in days}) == 2 and len(set(days[:2])) == 2:
        # "non pas mardi, mercredi. mardi je suis pas là": the reason names the day again
        first_sentence = clues.msg.sentence(days[0][0][0])
        if days[1][0][0] < first_sentence[1] <= days[2][0][0]:
            days = days[:2]
    if len(days) != 2 or days[0][1] == days[1][1]:
        return None
    refused = [
        k
        for k, (span, _) in enumerate(days)
        if _refused(toks, span[0], _floor(clues.msg, days, k))
        or _AWAY_AFTER.search(" ".join(toks[span[1] : clues.msg.clause(span[0])[1]]))
    ]  # "mettez-les pour samedi, vendredi je ne suis pas là": from Friday to Saturday
    if len(refused) != 1:
        return None
    k = refused[0]
    return days[k][1], days[1 - k][1]


def _before(days: list[tuple[tuple[int, int], date]], toks: tuple[str, ...]) -> date | None:
    """ "pas de livraison avant lundi", "nothing before Monday": the first day wanted again."""
    for (start, _), day in days:
        if (start and toks[start - 1] in ("avant", "before")) or (
            start > 1 and toks[start - 2] in ("avant", "before") and toks[start - 1] in ("le", "on")
        ):
            return day
    return None


_ONLY = re.compile(
    r"\b(?:juste|seulement|uniquement|seul|seule|only|just)\b|\b(?:ne|n)\s(?:\w+\s){1,2}(?:que|qu)\b"
    r"|\bqu\s(?:un|une|1|le|la|l|les|de|du|des)\b|\b(?:que|qu)\s(?:du|de|l|le|la|les)\s"
)
# "pour le reste rien ne change": said of the other days, no refusal
UNCHANGED = re.compile(
    r"\b(?:pour le reste |le reste )?(?:rien ne change|ne change rien|on ne change rien"
    r"|rien d autre|nothing else changes|the rest stays(?: the same| as it is)?)\b"
)
# "un seul pack", "one single loaf": the number of that item, not "nothing but that item"
_ONE_ONLY = re.compile(
    r"\b(?:un|une|1|one)\s(?:seule?|single)\b|\b(?:just|only|juste|seulement)\s(?:un|une|1|one)\s"
    r"|\b(?:juste|seulement|uniquement|just|only)\s(?:pour\s)?(?:cette\sfois|this\sonce|cette"
    r"\ssemaine|this\sweek|une\sfois)\b"
)  # "just one pack": a number, not the only item; "c'est juste pour cette fois": not an item
_BACK = re.compile(r"\b(?:reviens|revient|rentre|retour|rentrerai|reviendrai|back|return\w*)\b")
_HOME = re.compile(
    r"\b(?:je\s(?:suis|me\ssuis)\s(?:bien\s)?(?:rentree?|revenue?|de\sretour|sortie?\sde\sl\s?hopital)"
    r"|(?:me|nous)\svoila\s(?:de\sretour|rentree?s?)|nous\ssommes\s(?:rentres|de\sretour)"
    r"|(?<!when\s)(?<!once\s)(?<!until\s)(?<!till\s)(?<!after\s)i\s(?:m|am)\s(?:back|home"
    r"|out\sof\shospital)|(?:we\sre|we\sare)\sback|back\shome\snow)\b"
)
_KEEP_DAY = re.compile(
    r"\b(?:gardez|garder|je garde|on garde|keep|livrez(?: moi| me)? normal(?:ement)?"
    r"|livrez(?: moi| me)? comme prevu|deliver(?: me)? (?:normally|as planned)|comme prevu"
    r"|as planned|normalement"
    r"|(?<=di )normal|(?<=day )normal|(?<=day )as normal"
    r"|livre[rz]?(?: moi| me)?(?: \w+){0,2} comme d habitude|deliver(?: \w+){0,3} as usual"
    r"|laisse[rz]?(?: \w+){0,2} comme (?:d habitude|avant|prevu)"
    r"|leave(?: \w+){0,2} as (?:usual|before)"
    r"|je (?:le|la|les) (?:veux|voudrais|prends|garde)(?: bien)?"
    r"|remettez|remettre|put back|bring back|livre[rz]?(?: moi| me)? quand meme"
    r"|(?:deliver|bring)(?: \w+){0,3} (?:anyway|after all)"
    r"|i (?:do )?(?:want|need) (?:it|them)|i do (?:want|need)|je (?:le|la|les) veux bien"
    r"|i ll (?:take|keep) (?:it|them)|c est (?:bon|ok)$|ca (?:va|reste)(?: comme prevu)?$"
    r"|(?:is|are) (?:fine|ok|okay)$"
    r"|(?:ca |ce )?(?:ne )?change (?:pas|rien)|no change|(?:doesn t|does not|won t) change"
    r"|stays? the same|inchange|unchanged"
    r"|(?:reste|restent) (?:pareils?|comme (?:prevu|avant|d habitude)))\b"
)
_RESTART = re.compile(
    r"\b(?:reprendre|reprenez|recommencer|recommencez|reprise|redemarrer|relivrer|start\sagain"
    r"|remett\w*\s(?:\w+\s){0,3}a\spartir"
    r"|resume|restart|start\sdelivering|deliver\sagain|livre[rz]?(?:\smoi|\sme)?\s(?:[ad]e?\snouveau"
    r"\s)?(?:des|a\spartir)|(?:bring|deliver|start|send)\s(?:\w+\s){0,3}again)\b"
)
# Said with a return ("je rentre vendredi, vous pouvez livrer samedi"): the first day delivered.
_DELIVER_AFTER_RETURN = re.compile(
    r"\b(?:pouvez|pourrez|peux|pourriez)\s(?:me\s)?(?:re)?livrer|you\scan\s(?:start\s)?deliver(?:ing)?\b"
    r"|\blivrez(?:\smoi)?\b|\bdeliver\s(?:on|from)\b"
)


def _kept(msg: Message, span: tuple[int, int]) -> bool:
    """A day said with words of keeping it ("samedi livrez normalement", "lundi c'est bon"), with
    no refusal between them: in "samedi livrez normalement et annulez vendredi" Friday goes."""
    a, b = msg.clause(span[0])
    if {msg.tok(span[0] - 1), msg.tok(span[0] - 2)} & _CANCEL_WORDS:
        return False  # "Just cancel Monday and leave Tuesday as usual": Monday goes
    words = " ".join(msg.toks[a:b])
    for m in _KEEP_DAY.finditer(words):
        start = a + words[: m.start()].count(" ")
        end = a + words[: m.end()].count(" ") + 1
        between = msg.toks[end : span[0]] if span[0] >= end else msg.toks[span[1] : start]
        if not set(between) & _UNDOING:
            return True
    for m in _DELIVER_DAY.finditer(words):  # "mercredi vous pouvez livrer"; not "vous pouvez
        start = a + words[: m.start()].count(" ")  # me livrer jeudi à la place": a move
        if span[1] <= start and not set(msg.toks[span[1] : start]) & _UNDOING:
            return True
    return False


_AS_NORMAL = re.compile(
    r"\b(?:normal(?:ement)?|comme prevu|as planned|as usual|as normal|comme d habitude|normally)\b"
)
_DELIVER_DAY = re.compile(r"\b(?:vous )?pouvez (?:me )?livrer|you can deliver\b")
_UNDOING = word_set("annulez annuler annule supprimez cancel pas rien ne n no not nothing sauf")


def _resumed(
    text: str, days: list[tuple[tuple[int, int], date]], words: re.Pattern[str] | None = None
) -> date | None:
    """The first day delivered again: "vous pouvez livrer dès le jeudi 12", "bring my bread
    again from Tuesday the 20th" (the day said after the words of starting again)."""
    m = (words or _RESTART).search(text)
    if m is None or not days:
        return None
    at = text[: m.start()].count(" ")
    after = [d for span, d in days if span[0] >= at]
    if after:
        return after[0]
    return days[0][1] if len(days) == 1 else None


_REMOVING = re.compile(
    r"\b(?:enleve[rz]?|enlevez|retire[rz]?|retirez|supprime[rz]?|remove|take\soff|de\smoins|less"
    r"|take\s(?:the|my|that|those)\s(?:\w+\s){0,3}off|leave\sout\sthe|drop\sthe)\b"
)
_CORRECTING = re.compile(
    r"^(?:non|no|nan|pardon|sorry|oups|oops|en fait|actually|finalement|correction)\b"
    r"|\b(?:pardon|sorry|trompe\w*|erreur|mistake|je voulais dire|i meant|plutot|instead"
    r"|rectifi\w*|je corrige|i mean|my bad|scratch that|make that|make it|actually)\b"
)


def _besides(toks: tuple[str, ...], start: int) -> bool:
    """ "en plus du pain", "in addition to the bread", "avec le pain": named, not refused."""
    before = " ".join(toks[max(0, start - 4) : start])
    return re.search(r"\b(?:en plus d\w*|in addition to(?: the)?|avec(?: le| la| les| l| du)?|"
                     r"with(?: the| my)?)$", before) is not None  # fmt: skip


def _on_top_of(toks: tuple[str, ...], start: int) -> bool:
    """ "on top of my usual bread", "en plus de mon pain habituel": what is already there."""
    before = " ".join(toks[max(0, start - 5) : start])
    return _ON_TOP.search(before) is not None


_ON_TOP = re.compile(
    r"\b(?:en plus d\w*|on top of|in addition to|as well as|besides|avec|with)"
    r"(?: (?:the|my|mon|ma|mes|le|la|les|l|du|de|d))?(?: usual| regular| normal| habituel\w*)?$"
)


def _asked(clues: Clues) -> tuple[tuple[str, int | None], ...]:
    out: dict[str, int | None] = {}
    for m in clues.catalogue_items:
        if not m.key:
            continue
        qty = m.qty if m.qty is not None else (1 if m.how in ("one",) else None)
        if qty is not None:
            out[m.key] = (out.get(m.key) or 0) + qty
        else:
            out.setdefault(m.key, None)
    return tuple(out.items())


def _week(clues: Clues, today: date, text: str) -> tuple[date, date] | None:
    """ "la semaine prochaine", "next week": Monday to Sunday of the coming week; "la semaine du
    21": the week of that day."""
    if re.search(r"\b(?:semaine prochaine|prochaine semaine|next week|la semaine d apres)\b", text):
        monday = today + timedelta(days=7 - today.weekday())
        return monday, monday + timedelta(days=6)
    m = re.search(r"\b(?:semaine du|week of the|week of)\s(\d{1,2})\b", text)
    if m:
        day = today
        for _ in range(62):  # the next day with that number
            if day.day == int(m.group(1)):
                monday = day - timedelta(days=day.weekday())
                return monday, monday + timedelta(days=6)
            day += timedelta(days=1)
    return None


def _span(clues: Clues, today: date) -> tuple[date, date] | None:
    for f in clues.found:
        if f.kind == "range" and f.first is not None and f.second is not None:
            a = resolve(f.first, today)
            if a.date is None or a.problem:
                continue
            b = resolve(f.second, today, after=a.date)
            if b.date is not None and not b.problem and b.date >= a.date:
                return a.date, b.date
    return None


# "jeudi de la semaine prochaine", "Thursday of next week": that week's day, not this week's
OF_NEXT_WEEK = re.compile(
    r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|monday|tuesday|wednesday|thursday|friday"
    r"|saturday)\s(?:de\sla\s|of\s)(?:semaine\sprochaine|prochaine\ssemaine|next\sweek)\b"
)
_NUMBER_INSTEAD = re.compile(
    r"\b(?:instead of|au lieu d\w*|a la place d\w*|rather than)\s(?:the usual\s|my usual\s|the\s)?"
    r"(?:\d{1,2}|un|une|one|two|deux|trois|three)\b"
)
_FROM_WEEK = re.compile(
    r"\b(?:a partir de|des|starting|from|beginning|a compter de) (?:la )?(?:semaine prochaine"
    r"|prochaine semaine|next week)\b"
)
_WEEK_HEADING = re.compile(
    r"\b(?:pour|for)\s(?:la\s)?(?:semaine\sprochaine|prochaine\ssemaine|next\sweek)\b"
    rf"|{OF_NEXT_WEEK.pattern}"
    r"|\b(?:semaine\sprochaine|next\sweek)\s(?:le\s|on\s)?(?:lundi|mardi|mercredi|jeudi|vendredi"
    r"|samedi|monday|tuesday|wednesday|thursday|friday|saturday)\b"
)


def _week_first(text: str, days: list[tuple[tuple[int, int], date]]) -> bool:
    """ "la semaine prochaine je voudrais un pack d'eau lundi et un autre jeudi": the week is
    said before any day, so it holds them all."""
    m = re.search(r"\b(?:semaine prochaine|prochaine semaine|next week)\b", text)
    return m is not None and bool(days) and text[: m.start()].count(" ") < days[0][0][0]


_THIS_WEEK = re.compile(r"\b(?:cette semaine|this week)\b")


def _week_last(msg: Message, text: str, days: list[tuple[tuple[int, int], date]]) -> bool:
    """ "a loaf on Thursday and on Saturday next week", "jeudi et samedi la semaine prochaine":
    the week said right after a list of weekdays holds them all, not only the last."""
    at = _week_at(text)
    if at is None or len(days) < 2 or not 0 <= at - days[-1][0][1] <= 1:
        return False
    return all(_plain_weekday(msg.toks, span) for span, _ in days) and all(
        set(msg.toks[a[1] : b[0]]) <= _JOINED and msg.clause(b[0])[0] <= a[0]
        for (a, _), (b, _) in pairwise(days)
    )


def _week_at(text: str) -> int | None:
    """The token where "la semaine prochaine" is said."""
    m = re.search(r"\b(?:semaine prochaine|prochaine semaine|next week)\b", text)
    return None if m is None else text[: m.start()].count(" ")


def _plain_weekday(toks: tuple[str, ...], span: tuple[int, int]) -> bool:
    """A weekday said alone ("samedi"), not "samedi 12" nor "demain"."""
    said = toks[span[0] : span[1]]
    return any(t in WEEKDAYS for t in said) and not any(t.isdigit() for t in said)


def _day_of_what_is_had(clues: Clues, span: tuple[int, int]) -> bool:
    """A day said in a clause whose only item is one the tenant says they have."""
    start, end = clues.msg.clause(span[0])
    here = [m for m in clues.reading.mentions if m.kind == "item" and start <= m.span[0] < end]
    return bool(here) and all(id(m) in clues.possessed for m in here)


def _days(clues: Clues, today: date) -> list[tuple[tuple[int, int], date]]:
    """Future single days said, in order, with their token spans."""
    out: list[tuple[tuple[int, int], date]] = []
    covered: set[int] = set()
    for f in clues.found:
        covered.update(range(*f.span))
        if f.kind == "range" and f.first is not None and f.second is not None:
            if set(clues.msg.toks) & MOVE_VERBS:  # "move it from Tuesday to Wednesday"
                a, b = resolve(f.first, today), resolve(f.second, today)
                if a.date and b.date and not a.problem and not b.problem:
                    out += [
                        ((f.span[0], f.span[0] + 1), a.date),
                        ((f.span[1] - 1, f.span[1]), b.date),
                    ]
            continue
        if f.kind == "weekdays" and len(f.days) == 1 and f.habit in ("def", "attr"):
            after = " ".join(clues.msg.toks[f.span[1] : f.span[1] + 3])
            if _INSTEAD.match(after):  # "mettez le jeudi à la place": one Thursday, not all
                wd = next(iter(f.days))
                out.append((f.span, today + timedelta(days=(wd - today.weekday() - 1) % 7 + 1)))
            continue
        if f.kind not in ("day", "start") or f.first is None or f.first.narrative:
            continue
        if _day_of_what_is_had(clues, f.span):
            continue  # "today's pack will do": the day of what the tenant has, not of a request
        placed = resolve(f.first, today)
        if placed.date is not None and not placed.problem and placed.date >= today:
            out.append((f.span, placed.date))
        elif _counted_weekday(f, placed) is not None and placed.alternative is not None:
            out.append(((f.span[0], f.span[1] - 1), placed.alternative))
    out = _one_date(out, clues.msg.toks)
    for k, tok in enumerate(clues.msg.toks):  # "pas mercredi, jeudi": a refused bare weekday
        if k not in covered and tok in WEEKDAYS and clues.msg.tags[k] in ("date", "noise", None):
            ahead = (WEEKDAYS[tok] - today.weekday() - 1) % 7 + 1
            out.append(((k, k + 1), today + timedelta(days=ahead)))
    return sorted(out)


def _move(
    clues: Clues, days: list[tuple[tuple[int, int], date]], text: str
) -> tuple[tuple[date, date] | None, bool]:
    """Two days, one of them refused or replaced: the order goes from that one to the other.
    A plain weekday the order goes to is the one nearest the day it leaves ("plutôt vendredi
    que jeudi", said on a Thursday of the order for next Thursday: next Friday)."""
    move, negated = _move_days(clues, days, text)
    if move is not None:
        start, end = move
        toks = clues.msg.toks
        plain = any(d == end and _plain_weekday(toks, span) for span, d in days)
        later = end + timedelta(days=7)
        if (
            plain
            and end < start
            and later != start
            and abs((later - start).days) < abs((end - start).days)
        ):
            move = (start, later)  # the nearest such weekday to the day the order leaves
    return move, negated


def _move_days(
    clues: Clues, days: list[tuple[tuple[int, int], date]], text: str
) -> tuple[tuple[date, date] | None, bool]:
    toks = clues.msg.toks
    kept = kept_weekdays(clues.found, clues.msg)
    days = [  # "Lundi et jeudi on ne change rien", "Vendredi livrez normalement": no day of a move
        e
        for e in days
        if (WEEKDAY_KEYS[e[1].weekday()] not in kept or not _plain_weekday(toks, e[0]))
        and not (
            _kept(clues.msg, e[0])
            and _AS_NORMAL.search(" ".join(toks[slice(*clues.msg.clause(e[0][0]))]))
        )
    ]
    said_away = set(_refused_days(clues.msg, days)) | {
        d
        for span, d in days
        if _AWAY_AFTER.search(" ".join(toks[span[1] : clues.msg.clause(span[0])[1]]))
    }  # "déplacez ça à vendredi, mercredi je ne suis pas là": from Wednesday
    if len(days) > 2 and len({d for _, d in days}) == 2:
        # "ce sera mardi et pas lundi, tout décaler à mardi": the day wanted said again
        days = sorted({d: (span, d) for span, d in reversed(days)}.values(), key=lambda e: e[0])
    refused = [k for k, (_, d) in enumerate(days) if d in said_away]
    if len(days) != 2 or days[0][1] == days[1][1]:
        return None, bool(refused)
    if len(refused) == 1:  # "vendredi j'en veux 2 et samedi rien": a number for the other day
        a, b = clues.msg.clause(days[1 - refused[0]][0][0])
        if any(a <= k < b for k, _ in clues.reading.loose_numbers):
            return None, True
    phrase = _MOVE_PHRASE.search(text) is not None
    cue = bool(set(toks) & MOVE_VERBS) or phrase or _MOVE_CUES.search(text) is not None
    if len(refused) == 1 and cue:
        k = refused[0]
        return (days[k][1], days[1 - k][1]), True
    if refused:
        return None, True
    words = set(toks)
    if words & MOVE_VERBS or phrase or re.search(r"\b(?:instead|plutot|a la place)\b", text):
        # "changer mardi pour mercredi", "move Tuesday to Wednesday"; "jeudi plutôt" said of
        # the second day only when "plutôt"/"instead" stands right beside it
        first, second = days[0][1], days[1][1]
        word = re.escape(toks[days[1][0][0]])
        left = rf"\b(?:plutot qu\w*|rather than|instead of|au lieu d\w*) (?:le |the |on )?{word}\b"
        if re.search(left, text):
            return (second, first), False  # "la mettre vendredi plutôt que mercredi"
        after = toks[days[1][0][1] : days[1][0][1] + 1]
        e = days[0][0][1]  # "le mercredi 16 plutôt, le 17 j'ai la coiffeuse" (not "mercredi
        if clues.msg.tok(e) in ("plutot", "instead", "rather") and (  # plutôt samedi")
            e + 1 in clues.msg.breaks or days[1][0][0] > e + 2
        ):
            return (second, first), False  # "le mercredi 16 plutôt, le 17 j'ai la coiffeuse"
        before = toks[max(0, days[0][0][0] - 1) : days[0][0][0]]
        if any(t in ("plutot", "instead") for t in before) and not words & MOVE_VERBS:
            return (second, first), False
        if any(t in ("instead",) for t in after) and not words & MOVE_VERBS:
            return (first, second), False
        return (first, second), False
    return None, False


_MOVE_CUES = re.compile(
    r"\b(?:trompe\w*|erreur|mistake|wrong|plutot|instead|au lieu|a la place|mais|but|finalement|"
    r"en fait|actually|c est pour|c etait|it s for|mettez|mettre|put|sorry|pardon|meant|"
    r"voulais dire|excuse\w*)\b"
)


_LINKING = frozenset({"et", "and", "ni", "nor", "ou", "or"})
_JOINED = _LINKING | {",", "le", "on", "the"}


def _floor(msg: Message, days: list[tuple[tuple[int, int], date]], k: int) -> int:
    """Where a refusal of the k-th day may start: after the day before it, in its sentence
    ("…, plus jamais. Et vendredi 2 baguettes": the refusal was the other sentence's)."""
    return max(days[k - 1][0][1] if k else 0, msg.sentence(days[k][0][0])[0])


def _refused_days(msg: Message, days: list[tuple[tuple[int, int], date]]) -> tuple[date, ...]:
    """Days said with a refusal; one refusal covers the days joined to it ("je serai absent
    samedi et lundi", "not on Monday or Tuesday")."""
    toks = msg.toks
    out: list[date] = []
    gaps = [
        set(toks[days[k - 1][0][1] : span[0]]) if k else set() for k, (span, _) in enumerate(days)
    ]
    listed = set()  # "ne livrez rien jeudi, vendredi et samedi": a list closed by "et"
    for k in range(1, len(days)):
        if gaps[k] <= _JOINED and gaps[k] & _LINKING:
            j = k - 1
            while j > 0 and not (gaps[j] - {"le", "on", "the"}):
                listed.add(j)
                j -= 1
    for k, (span, d) in enumerate(days):
        between = gaps[k]
        joined = (  # "samedi et lundi", "pas lundi, ni mardi", "pas de pain mercredi jeudi
            # vendredi"; not "not Tuesday, Thursday instead"
            k > 0
            and days[k - 1][1] in out
            and between <= _JOINED
            and (
                bool(between & _LINKING)
                or (not between and msg.clause(span[0])[0] <= days[k - 1][0][0])
                or k in listed
            )
        )
        if joined or _refused(toks, span[0], _floor(msg, days, k)):
            out.append(d)
    for k, (span, d) in enumerate(days):  # "mercredi et vendredi rien", "Monday nothing"
        if msg.tok(span[1]) not in ("rien", "nothing", "none") or d in out:
            continue
        out.append(d)
        while k > 0 and set(toks[days[k - 1][0][1] : days[k][0][0]]) <= _JOINED:
            k -= 1
            if days[k][1] not in out:
                out.append(days[k][1])
    those = _THOSE_DAYS.search(msg.text)
    if those is not None:  # "…on Wednesday and Thursday, so nothing on those two days"
        k = msg.text[: those.start()].count(" ")
        out += [d for span, d in days if span[1] <= k and d not in out]
    return tuple(sorted(set(out), key=[d for _, d in days].index))


_THOSE_DAYS = re.compile(
    r"\b(?:nothing|none|no\sdeliver\w*|no\sbread|rien|pas\sde\slivraisons?|aucune\slivraison)"
    r"\s(?:on\s|for\s|pour\s|during\s)?(?:those|these|ces|les)\s(?:(?:two|2|deux|three|3|trois)\s)?"
    r"(?:days|jours)\b"
)


def _refused(toks: tuple[str, ...], start: int, floor: int) -> bool:
    """A refusal just before a day (after the day before it): "pas (pour) mercredi", "not on
    Tuesday", "au lieu de mardi"."""
    before = toks[max(floor, start - 4) : start]
    if "mind" in before:  # "Never mind, Friday then": no refusal of Friday
        before = before[before.index("mind") + 1 :]
    if _FROM_MARKERS.search(" ".join(before)):
        return True
    if _AWAY_BEFORE.search(" ".join(toks[max(floor, start - 6) : start])):
        return True  # "I won't be in on Monday", "je ne serai pas là le lundi"
    near = before[-3:]
    if [t for t in near if t not in ("on", "le", "for", "pour")][-1:] in (["rien"], ["nothing"]):
        return True  # "je veux rien mercredi", "nothing on Monday"
    return any(t in _NEGATION for t in near) and not any(t.isdigit() for t in near)


_AWAY_BEFORE = re.compile(
    r"(?:(?:won\st|will\snot|can\st|cannot|not)\sbe\s(?:in|home|there|here|around)"
    r"|(?:m|am)\snot\s(?:in|home|there|here|around)|(?:m|am|be)\saway"
    r"|(?:suis|serai|serais)\spas\s(?:la|chez\smoi|a\sla\smaison)|(?:suis|serai)\sabsente?)"
    r"(?:\s(?:on|le|this|next))?$"
)


def _segments(
    clues: Clues, days: list[tuple[tuple[int, int], date]]
) -> tuple[tuple[date, tuple[tuple[str, int], ...]], ...]:
    """ "deux baguettes lundi et deux packs d'eau mardi", "du pain lundi et mercredi", "jeudi 2
    baguettes, et vendredi pas de pain": each day with the items said beside it (0: refused;
    "*": nothing that day). Empty unless every day gets items and every item a day."""
    aside = [f.span for f in clues.told_aside]  # "…, parce que samedi j'ai mes petits-enfants"
    days = [e for e in days if not any(a <= e[0][0] < b for a, b in aside)]
    days = [  # "2 baguettes mardi. non mercredi pardon": the day taken back has no order
        e for e in days if not any(a <= e[0][0] < b for a, b in clues.msg.taken_back)
    ]
    toks = clues.msg.toks
    days = [  # "…, Wednesday as usual, …": that day stays as it is, it is no day of the change
        e
        for e in days
        if not _AS_USUAL.match(" ".join(toks[e[0][1] : clues.msg.clause(e[0][0])[1]]))
    ]
    for k in range(1, len(days) if len(days) >= 3 else 0):
        # "1 loaf on Monday, 1 on Wednesday and 2 packs on Friday": a week's plan, in that order
        # (two days, "mardi 1 baguette et samedi 2", are the next of each)
        span, day = days[k]
        same = clues.msg.same_sentence(days[k - 1][0][0], span[0])
        said = [d for _, d in days[:k] if d.weekday() == day.weekday()]
        if same and _plain_weekday(clues.msg.toks, span) and said:
            days[k] = (span, said[0])  # "…, et un pack d'eau lundi aussi": the Monday said before
            continue
        if (
            same
            and _plain_weekday(clues.msg.toks, span)
            and day < days[k - 1][1]
            and not _THIS_WEEK.search(" ".join(toks))  # "For this week: …, Tuesday"
        ):
            while day <= days[k - 1][1]:
                day += timedelta(days=7)
            days[k] = (span, day)
    days = [
        e
        for k, e in enumerate(days)
        if k == 0 or e[1] != days[k - 1][1] or e[0][0] - days[k - 1][0][1] > 2
    ]  # "demain vendredi": one day
    firsts = [
        f.first
        for f in clues.found
        if f.first is not None and any(f.span[0] <= sp[0] < f.span[1] for sp, _ in days)
    ]
    counted = any(d.kind == "offset" or (d.kind == "rel" and d.offset >= 7) for d in firsts)
    if counted and any(d.kind in ("abs", "wd", "holiday") for d in firsts):
        return ()  # "dans quinze jours, le mardi 22": one day said twice
    if len({d for _, d in days}) < 2:
        return ()
    mentions = [m for m in clues.reading.mentions if m.kind == "item" and m.key]
    nothing = [  # "et vendredi aucune", "and none on Tuesday"
        k
        for k, t in enumerate(clues.msg.toks)
        if t in ("rien", "nothing", "aucune", "aucun", "none")
    ]
    cancels = [
        k
        for k, t in enumerate(clues.msg.toks)
        if t in _CANCEL_WORDS
        or (t == "tomber" and clues.msg.tok(k - 1) in ("laissez", "laisser", "laisse"))
    ]  # ("vendredi laissez tomber", "forget Saturday")
    msg = clues.msg
    mentions = [
        m
        for m in mentions
        if m.how != "reference"
        or any(msg.clause(m.span[0]) == msg.clause(span[0]) for span, _ in days)
    ]  # "c'est vous qui passez avec le pain, il me faudrait…": bread talked of, not a day's
    mentions = [m for m in mentions if not _on_top_of(msg.toks, m.span[0])]
    first_day = min(span[0] for span, _ in days)
    mentions = [  # "some water too: one pack on Thursday and one on Saturday": a heading
        m
        for m in mentions
        if not (
            m.how not in ("number", "one")
            and m.span[1] <= first_day
            and msg.clause(m.span[0]) != msg.clause(first_day)
            and m not in clues.negated_items
            and any(o.key == m.key and o.how in ("number", "one") and o is not m for o in mentions)
        )
    ]
    if not mentions:
        return ()
    counted = frozenset(sp[1] for sp, _ in days if sp[1] < len(toks) and toks[sp[1]].isdigit()
                        and clues.msg.tags[sp[1]] == "date")  # fmt: skip
    mentions = sorted(mentions + _others(clues, mentions, counted), key=lambda m: m.span)
    groups = _by_clause(clues, days, mentions, nothing, cancels) or _by_order(
        days, mentions, nothing, cancels, clues
    )
    if groups is None:
        return ()
    return _wanted(groups)


def _by_clause(
    clues: Clues,
    days: list[tuple[tuple[int, int], date]],
    mentions: list[Any],
    nothing: list[int],
    cancels: list[int],
) -> list[tuple[list[date], list[Any]]] | None:
    """Each day in a clause of its own with its items ("Monday 3 loaves, no bread on Tuesday,
    and a pack of water on Thursday"), whichever comes first in each clause."""
    msg = clues.msg
    clauses = [msg.clause(span[0]) for span, _ in days]
    if len(set(clauses)) != len(days):
        return None
    groups: list[tuple[list[date], list[Any]]] = []
    for (_, day), (a, b) in zip(days, clauses, strict=True):
        items: list[Any] = [m for m in mentions if a <= m.span[0] < b]
        items += [None for k in nothing if a <= k < b] + ["cancel" for k in cancels if a <= k < b]
        if not items and groups and set(msg.toks[a:b]) & _SAME_AS_BEFORE:
            items = list(groups[-1][1])  # "vendredi 1 baguette et 1 pack d'eau, samedi pareil"
        if not items:
            return None
        groups.append(([day], items))
    if not all(any(a <= m.span[0] < b for a, b in clauses) for m in mentions):
        return None
    return groups


def _by_order(
    days: list[tuple[tuple[int, int], date]],
    mentions: list[Any],
    nothing: list[int],
    cancels: list[int],
    clues: Clues,
) -> list[tuple[list[date], list[Any]]] | None:
    """Days and items in the order they are said: "deux baguettes lundi et deux packs d'eau
    mardi", "lundi et mardi une baguette"."""
    events = sorted(
        [(span[0], "D", day) for span, day in days]
        + [(m.span[0], "I", m) for m in mentions]
        + [(k, "I", None) for k in nothing]
        + [(_cancel_at(k, days), "I", "cancel") for k in cancels],
        key=lambda e: e[0],
    )
    groups: list[tuple[list[date], list]] = []
    lead = events[0][1]
    for _, kind, value in events:
        if kind == lead and (not groups or (groups[-1][0] and groups[-1][1])):
            if lead == "I" and groups and _apposition(clues, groups[-1], value):
                # "bread on Tuesday, one loaf, and …": how many of the bread said for Tuesday
                groups[-1][1][:] = [
                    m for m in groups[-1][1] if getattr(m, "key", None) != value.key
                ] + [value]
                continue
            groups.append(([], []))
        (groups[-1][0] if kind == "D" else groups[-1][1]).append(value)
    for k in range(1, len(groups)):  # "le 24 4 baguettes et 2 packs d'eau et le 31 pareil"
        g_days, g_items = groups[k]
        if g_days and not g_items and _said_same(clues, days, g_days):
            g_items.extend(groups[k - 1][1])
    if any(not g_days or not g_items for g_days, g_items in groups):
        return None
    return groups


def _said_same(
    clues: Clues, days: list[tuple[tuple[int, int], date]], group_days: list[date]
) -> bool:
    """ "… et pour le 31 pareil": the word of sameness right after the group's last day."""
    ends = [span[1] for span, d in days if d == group_days[-1]]
    toks = clues.msg.toks
    return bool(ends) and bool(set(toks[ends[-1] : ends[-1] + 2]) & _SAME_AS_BEFORE)


def _wanted(
    groups: list[tuple[list[date], list[Any]]],
) -> tuple[tuple[date, tuple[tuple[str, int], ...]], ...]:
    out: list[tuple[date, tuple[tuple[str, int], ...]]] = []
    for g_days, g_items in groups:
        wanted: dict[str, int] = {}
        cancel = "cancel" in g_items
        g_items = [m for m in g_items if m != "cancel"]
        if cancel and not g_items:
            g_items = [None]  # "and cancel Wednesday": nothing that day
        for m in g_items:
            if m is None:
                wanted["*"] = 0
                continue
            if cancel:
                wanted[m.key] = 0  # "annulez le pain de mercredi"
                continue
            if m.negated:
                wanted[m.key] = 0
                continue
            qty = m.qty if m.qty is not None else (1 if m.how in ("one", "mass", "bare") else None)
            if qty is None:
                return ()  # "des baguettes lundi et mardi": how many is a question
            wanted[m.key] = wanted.get(m.key, 0) + qty
        for d in g_days:
            out.append((d, tuple(sorted(wanted.items()))))
    merged: dict[date, dict[str, int]] = {}
    for d, pairs in out:  # "1 baguette vendredi avec un pack d'eau le vendredi": one day
        day = merged.setdefault(d, {})
        if set(day) & {k for k, _ in pairs}:
            return ()  # the same item twice for one day: which number?
        day.update(pairs)
    if len(merged) < 2:
        return ()
    return tuple((d, tuple(sorted(items.items()))) for d, items in merged.items())


_AS_USUAL = re.compile(
    r"(?:(?:c\s)?est\s|is\s|stays?\s|reste\s|on\s(?:garde|laisse)\s)?(?:comme\sd\s?hab\w*"
    r"|comme\stoujours|as\susual|as\salways|like\salways|normal\w*"
    r"|ne\schange\spas|unchanged|doesn\st\schange|sans\schangement|(?:on\s)?(?:ne\s)?change\srien"
    r"|rien\sne\schange|no\schange|nothing\schanges)\b"
)
_EACH_TIME = re.compile(r"(?:chaque fois|chacun|chacune|par jour|each time|each|a day|per day)\b")
_SAME_AS_BEFORE = frozenset({"pareil", "idem", "same", "aussi", "too", "également", "egalement"})
_LINKS = frozenset({"et", "and", "puis", "then", "plus", "also", "aussi", "ensuite"})
_JUST = frozenset({"only", "just", "seulement", "juste"})


def _apposition(clues: Clues, group: tuple[list[date], list[Any]], m: Any) -> bool:
    """An item said again after its day, with its number and no "and" before it ("bread on
    Tuesday, one loaf, and …"): the number of that day's item, not the next day's first item."""
    if m is None or isinstance(m, str) or m.qty is None:
        return False
    each = _EACH_TIME.match(" ".join(clues.msg.toks[m.span[1] : m.span[1] + 3]))
    if len(group[0]) != 1 and not each:  # "…jeudi et vendredi, un pack chaque fois": both
        return False
    before = [o for o in group[1] if o is not None and not isinstance(o, str) and o.key == m.key]
    if not before or any(o.qty is not None for o in before):
        return False
    start = min(m.span[0], m.at if m.at is not None else m.span[0])
    return clues.msg.tok(start - 1) not in _LINKS  # "…, and two packs of water": the next day's


_ALONE = frozenset({"seule", "seul", "seules", "seuls", "only", "svp", "please", "merci"})


def _others(
    clues: Clues, mentions: list[Any], counted_days: frozenset[int] = frozenset()
) -> list[Any]:
    """ "une baguette mardi et puis une autre vendredi", "a loaf Monday and another on Friday":
    the item named before, again, for another day."""
    msg = clues.msg
    toks = msg.toks
    out = []
    for k, tok in enumerate(toks):
        if (
            (
                tok.isdigit()
                or (tok in ("une", "un", "one") and (k in msg.breaks or toks[k - 1] in _LINKS))
            )
            and msg.tags[k] is None
            and k + 1 < len(toks)
            and msg.tags[k + 1] == "date"
            and (
                toks[k - 1] in _LINKS
                or k in msg.breaks
                or (toks[k - 1] in _JUST and (toks[k - 2] in _LINKS or k - 1 in msg.breaks))
            )
            and (not tok.isdigit() or 0 < int(tok) <= 20)
        ):  # "une baguette demain et deux après-demain", "…and only 1 on Wednesday", "et une pour
            # vendredi"
            before = [m for m in mentions if m.span[1] <= k]
            if before:
                n = int(tok) if tok.isdigit() else 1  # "deux baguettes lundi, une mardi"
                out.append(replace(before[-1], span=(k, k + 1), qty=n, how="number"))
            continue
        if (
            tok.isdigit()
            and k > 0
            and toks[k - 1] in _NAMED_DAYS
            and (msg.tags[k] is None or k in counted_days)  # not "vendredi 5 mars"
            and (k + 1 == len(toks) or k + 1 in msg.breaks or toks[k + 1] in _ALONE)
            and 0 < int(tok) <= 20
        ):  # "jeudi pas de pain, vendredi 3", "lundi 3 baguettes, jeudi 1 seule": that item
            before = [m for m in mentions if m.span[1] <= k]
            if before:
                out.append(
                    replace(before[-1], span=(k, k + 1), qty=int(tok), how="number", negated=False)
                )
            continue
        if tok not in ("autre", "autres", "another"):
            continue
        before = [m for m in mentions if m.span[1] <= k]
        if not before or any(m.span[0] <= k < m.span[1] for m in mentions):
            continue
        prev = toks[k - 1] if k else ""
        n = 1 if tok == "another" or prev in ("une", "un") else int(prev) if prev.isdigit() else 0
        if n:
            out.append(replace(before[-1], span=(k, k + 1), qty=n, how="number", negated=False))
    return out


def _cancel_at(k: int, days: list[tuple[tuple[int, int], date]]) -> float:
    """ "and cancel Wednesday": a cancel verb right before a day belongs with that day."""
    for (start, end), _ in days:
        if 0 < start - k <= 2:
            return end - 0.5
    return k


_CANCEL_WORDS = frozenset(
    {"annuler", "annulez", "annule", "cancel", "supprimez", "supprimer", "forget", "oubliez",
     "drop", "skip", "scrap", "enlevez", "enlever"}
)  # fmt: skip

_PAIR = (
    (  # "3. non 2 pardon", "3, no 2 sorry": the number said again with an apology wins
        re.compile(
            r"\b(\d+|une?|one) (?:non|no|nan) (\d+|une?|one) (?:pardon|sorry|excusez moi|excuse moi"
            r"|desolee?|my mistake|je me suis trompee?|i mean)\b"
        ),
        2,
        1,
    ),
    (  # "4. Ah non 3 ça suffira", "deux, euh non, trois": said again, the second number wins
        re.compile(
            r"\b(\d+|une?|one)(?: [a-z#]+){0,3} (?:ah|oh|euh|heu|enfin|hmm) non (\d+|une?)\b"
        ),
        2,
        1,
    ),
    (
        re.compile(
            r"\b(\d+)(?: [a-z#]+){0,5} (?:et )?(?:pas|non|not) (?:de |d |les? )?"
            r"(?:juste |seulement |just |only )?(\d+|une?|one)\b"
        ),
        1,
        2,
    ),
    (
        re.compile(
            r"\b(\d+|une|one)(?: [a-z#]+){0,6} (?:au lieu de|au lieu des|au lieu d|a la place de|"
            r"a la place d|instead of|plutot que|plutot qu|rather than) (\d+|une?|one)\b"
        ),
        1,
        2,
    ),
    (re.compile(r"\b(?:pas|not) (\d+)(?: [a-z#]+){0,4} (?:mais|but) (\d+|une?|one)\b"), 2, 1),
    (  # "non pas 2, une seule", "not 3, just 2"
        re.compile(
            r"^(?:non |no |ah |oh |pardon |sorry |oups |oops |euh |zut |mince )*(?:pas|not) (\d+)"
            r"(?: [a-z]+){0,2} "
            r"(?:juste |only |just |seulement )?(\d+|une?|one)(?: seule?s?| only| just)?"
            r"(?: [a-z]+){0,3}$"
        ),
        2,
        1,
    ),
)
_SINGLE = re.compile(
    r"^(?:(?:non|no|nan|oups|pardon|sorry|ah|euh|oh|mais)\b ?)*(?:c est |it s |make it |mettez |"
    r"mets |finalement |plutot |en fait |actually |only |seulement |juste )+(\d+)(?: [a-z]+){0,3}$"
    r"|^(?:non|no|pardon|sorry|oups)\b (\d+)(?: [a-z]+){0,2}$"
)


_ONE = {"un": 1, "une": 1, "one": 1}


def _quantity(clues: Clues) -> tuple[int, int | None] | None:
    """A quantity corrected: "c'est 2 pas 3", "mettez 3 au lieu de 2", "non, 3", "finalement 3"."""
    msg = clues.msg
    toks = [  # "2 baguettes le jeudi 11 au lieu d'une": the 11 is a date, not the old number
        "#" if msg.tags[k] == "date" and t.isdigit() else t
        for k, t in enumerate(msg.toks)
        if t not in (",", ".", "!", "?")
    ]
    if any(f.kind in ("day", "start", "range", "until") for f in clues.found) and not any(
        t.isdigit() for t in toks
    ):
        return None
    text = " ".join(toks)
    for pattern, new, old in _PAIR:
        found = list(pattern.finditer(text))
        # "3 au lieu de 2, non pardon, 4 au lieu de 2": the last said, once corrected
        m = found[-1] if len(found) > 1 and _CORRECTING.search(text) else next(iter(found), None)
        if m:
            a, b = (_ONE.get(m.group(g)) or int(m.group(g)) for g in (new, old))
            counted = {x.qty for x in clues.reading.mentions if x.kind == "item" and x.qty}
            if len(counted) == 1 and a not in counted and _CORRECTING.search(text[m.end() :]):
                a = counted.pop()  # "3 loaves instead of 2, no wait make it 4": 4
            if a != b and a <= 20 and b <= 20:
                return a, b
    m = _SINGLE.search(text)
    if m:
        value = int(m.group(1) or m.group(2))
        return (value, None) if value <= 20 else None
    return None


_SWAP_MARK = re.compile(r"\b(?:instead of|a la place d\w*|au lieu d\w*|plutot que|rather than)\b")
_ARTICLES = frozenset({"l", "le", "la", "les", "de", "d", "du", "des", "the", "some", "my", "mon"})


_NOT_THIS_ONE = frozenset({"pas une", "pas un", "not a", "not one", "not the"})


def _swap(clues: Clues, text: str, lexicon: Lexicon) -> tuple[str, str] | None:
    """ "plutôt des baguettes à la place de l'eau", "bread instead of water": item for item."""
    ms = [m for m in clues.reading.mentions if m.kind == "item" and m.key]
    keys = list(dict.fromkeys(m.key for m in ms))
    toks = clues.msg.toks
    if len(keys) == 1 and _SWAP_MARK.search(text):
        # the item after "instead of" is often set aside as noise by the parser: look it up
        for k in range(len(toks)):
            if not _SWAP_MARK.search(" ".join(toks[max(0, k - 3) : k])):
                continue
            j = k
            while j < len(toks) and toks[j] in _ARTICLES:
                j += 1
            entry = lexicon.match(toks, j, clues.msg.lang) if j < len(toks) else None
            if entry is not None and entry.key and entry.key != keys[0]:
                return keys[0], entry.key
    if len(keys) != 2:
        return None
    for m in ms:  # "pas une baguette : un pack d'eau en plus", "not a loaf, a pack of water"
        if " ".join(toks[max(0, m.span[0] - 2) : m.span[0]]) in _NOT_THIS_ONE:
            later = [o for o in ms if o.key != m.key and o.span[0] > m.span[0]]
            if later:
                return later[0].key, m.key  # type: ignore[return-value]
    for m in ms:
        before = " ".join(toks[max(0, m.span[0] - 6) : m.span[0]])
        if _FROM_MARKERS.search(before) or re.search(r"\b(?:que|than)$", before):
            old = m.key
            new = next(k for k in keys if k != old)
            assert old is not None and new is not None
            return new, old
    if re.search(  # not "l'eau ça change pas": kept as it is
        r"\b(?:remplace\w*|replace|echange\w*|swap)\b|\bchange\w*\b(?! pas| pa\b| rien| nothing)",
        text,
    ):
        first, second = keys
        assert first is not None and second is not None
        return second, first  # "remplacer l'eau par du pain"
    return None


_ERRANDS = (
    " pharmacie ",
    " pharmacy ",
    " chemist ",
    " chemists ",
    " ordonnance ",
    " prescription ",
    " medicaments ",
    " medicament ",
    " medicines ",
    " medicine ",
    " paracetamol ",
    " doliprane ",
)


def _errand(clues: Clues, padded: str) -> bool:
    """Something asked for that we do not deliver ("vous pouvez m'apporter du lait ?", "pick up
    my prescription"): a coordinator may find someone; told, never refused in silence."""
    if not (clues.request or clues.msg.question):
        return False
    msg = clues.msg
    asked = [  # the sentences that ask something ("je ferai du pain perdu" asks nothing)
        msg.sentence(k)
        for k in range(len(msg))
        if k in msg.stops or k == 0
        if ASKING.search(" ".join(msg.toks[slice(*msg.sentence(k))]))
    ]
    for a, b in asked:
        part = f" {' '.join(msg.toks[a:b])} "
        if any(w in part for w in _ERRANDS):
            return True
        if any(
            m.kind == PRODUCT and m.how != "reference" and a <= m.span[0] < b
            for m in clues.reading.mentions
        ):
            return True
    return False


_NOT_HEALTH = re.compile(r" (?:be|being|such) a pain | a pain in ")


def _alert(clues: Clues, padded: str) -> str | None:
    words = ALERT_EN if clues.msg.lang == "en" else ALERT_FR
    padded = _NOT_HEALTH.sub(" ", padded)  # "sorry to be a pain": no pain
    if any(f" {w} " in padded for w in words) or clues.cue(NEIGHBOUR_WORRY):
        return "urgent"
    if clues.complaint or any(f" {w} " in padded for w in DELIVERY_MISSED):
        return "missed"
    if any(f" {w} " in padded for w in ACCESS):
        return "access"
    return None


def _faq(clues: Clues, padded: str, intent: str) -> str | None:
    """A question about how the service works, answered from the site's FAQ."""
    if intent not in ("help", "other", "smalltalk", "list", "order"):
        return None
    asking = clues.msg.question or any(f" {w} " in padded for w in QUESTION_OPENERS)
    if not asking:
        return None
    if intent == "order" and clues.explicit:
        return None  # "2 baguettes jeudi ?" is an order asked politely
    for topic, words in FAQ_TOPICS.items():
        if any(f" {w} " in padded for w in words):
            return topic
    return None


_NAMED_DAYS = {**WEEKDAYS, **WEEKDAYS_PLURAL}
_STAY = word_set("stay stays remain remains reste restent restera resteront")
_STAY_AFTER = word_set("the as same like pareil pareils comme inchange inchanges unchanged normal")
_CHANGE = word_set("change changent changera changeront")
_SUFFICE = word_set("suffit suffisent suffiront suffira suffisant suffisants suffiraient")
_ENOUGH_AFTER = word_set("are is be s re will")


def kept_weekdays(found: list[Found], msg: Message, keeping: bool = False) -> frozenset[str]:
    """Weekdays said to be enough ("arrêtez le jeudi, le mercredi et le vendredi ça suffit",
    "Monday and Wednesday are enough"): days a tenant keeps, never the ones cancelled.
    `keeping`: also the weekdays said to be kept as they are ("le samedi on garde l'eau")."""
    marks = [
        k
        for k, t in enumerate(msg.toks)
        if t in _SUFFICE
        or (t == "enough" and msg.tok(k - 1) in _ENOUGH_AFTER)
        or (t in _STAY and msg.tok(k + 1) in _STAY_AFTER)
        or (t in ("ne", "n") and msg.tok(k + 1) in _CHANGE)
        or (t in _CHANGE and msg.tok(k + 1) == "pas" and msg.tok(k - 1) in ("ca", "cela", "rien"))
        or (keeping and t == "garde" and msg.tok(k - 1) in ("on", "je"))
        or (t == "garde" and msg.tok(k - 1) in ("on", "je") and msg.tok(k + 1) in ("tout", "tous"))
        or (keeping and t == "gardez")
        or (t == "bon" and msg.tok(k - 1) == "est" and msg.tok(k - 2) == "c")
        or (t == "bon" and msg.tok(k - 1) == "toujours" and msg.tok(k - 2) == "est")
        or (t in ("fine", "ok", "okay", "good") and msg.tok(k - 1) in ("is", "s", "are", "still"))
        or (t in ("changement", "change") and msg.tok(k - 1) in ("de", "d", "no", "sans", "aucun"))
        or t in ("inchange", "unchanged")
    ]  # "… stay the same", "… ne changent pas", "Monday the 11th is still fine", "lundi pas de
    # changement"
    kept: set[str] = set()
    leads = [  # "j'en ai bien assez avec celle du jeudi et du vendredi": those days are enough
        k
        for k, t in enumerate(msg.toks)
        if (t in ("avec", "with") and msg.tok(k - 1) in _SUFFICE)
        or (t in ("avec", "with") and msg.tok(k - 1) in ("assez", "enough"))
    ]
    for f in found:
        if any(msg.clause(k) == msg.clause(f.span[0]) and k < f.span[0] for k in leads):
            kept |= {WEEKDAY_KEYS[_NAMED_DAYS[t]] for t in msg.toks[f.span[0] : f.span[1]]
                     if t in _NAMED_DAYS}  # fmt: skip
    for f in found:
        a, b = msg.clause(f.span[1] - 1)
        if not any(a <= k < b and k >= f.span[1] for k in marks):
            continue
        if any(msg.tags[k] == "item" for k in range(a, f.span[0])):
            continue  # "le pain du lundi reste pareil": the bread stays, not the whole day
        # "la livraison du jeudi, le mercredi et le vendredi ça suffit": one list to the eye,
        # two clauses to the tenant; only the days of the clause that says "enough" are kept
        kept |= {
            WEEKDAY_KEYS[_NAMED_DAYS[t]]
            for t in msg.toks[max(a, f.span[0]) : f.span[1]]
            if t in _NAMED_DAYS
        }
    return frozenset(kept)
