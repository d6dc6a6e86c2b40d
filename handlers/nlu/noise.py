"""Numbers that are not quantities: floors, flats, addresses, ages, times, phones, measures.

"C'est Mme Pouli du 3e, 2 baguettes" orders two, not three. Each pattern below claims its numbers
before the item reader looks for quantities, so none of them can ever be counted. Two passes:
`before_dates` runs first (nothing here can be a date), `after_dates` mops up what only makes sense
once dates have taken "dans 3 jours" (durations: "depuis 3 jours", "15 jours").
"""

from __future__ import annotations

import re

from handlers.nlu.lexicon import Lexicon
from handlers.nlu.message import Message

NOISE, FREQUENCY, DURATION, WISH = "noise", "frequency", "duration", "wish"

_ORD = r"(?:e|eme|emes|ieme|iem|em|er|ere|nd|st|rd|th)"
_BEFORE_DATES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        # floors
        rf"\b\d{{1,2}}{_ORD}?\s(?:etage|etages|floor)\b",
        r"\b(?:etage|floor|niveau)\s(?:numero\s|no\s|n\s)?\d{1,2}\b",
        r"\b\d{1,2}(?:e|eme|emes|ieme|iem|em)\b",
        # flats, doors, buildings
        r"\b(?:appartement|apartment|flat|logement|porte|chambre|room|batiment|building|bloc"
        r"|block|escalier|esc|entree|numero|num|no|nr|residence|maison|house|cave|boite|bal"
        r"|digicode|code|villa|pavillon|unit|door|box|tour|cage)\s(?:numero\s|no\s|n\s)?"
        r"(?:\d{1,4}[a-z]?|[a-z])\b",
        # street addresses
        r"\b\d{1,4}\s(?:bis\s|ter\s)?(?:rue|avenue|av|bd|boulevard|place|allee|chemin|impasse"
        r"|square|street|st|road|rd|lane|route|cite|quai|residence)\b",
        r"\b\d{1,4}(?:bis|ter)\b",
        # ages
        r"\b\d{1,3}\s(?:ans|an|annees|balais|printemps)\b",
        r"\b\d{1,3}\s(?:years?|yrs?)(?:\sold)?\b",
        r"\b(?:i\sm|i\sam|age|aged|agee|age\sde|agee\sde)\s\d{1,3}\b",
        r"\b(?:turned|turning|turn|turns|j\sai\seu|a\seu|fete\smes|fete\sses|fetera|fete\sles)\s"
        r"\d{2,3}(?:th)?\b",
        r"\b\d{2,3}(?:th|e|eme)?\s(?:anniversaire|birthday)\b",
        # times of day
        r"\b\d{1,2}h\d{0,2}\b",
        r"\b\d{1,2}\sh(?:\s\d{2})?\b",
        r"\b\d{1,2}\s(?:heures?|hrs?|o\sclock)(?:\s\d{2})?\b",
        r"\b\d{1,2}:\d{2}\b",
        r"\b\d{1,2}\s?(?:am|pm|a\sm|p\sm)\b",
        # phone numbers, postcodes, long references
        r"\b0\d(?:[\s.]\d{2}){4}\b",
        r"\b\d{5,}\b",
        r"\b1[89]\d\d\b",  # a birth year ("nee en 1938")
        # measures and money; litres only with a decimal ("1,5 l"), "2 litres d'eau" is an order
        r"\b\d+(?:[.,]\d+)?\s?(?:cl|ml|kg|gr|g|grammes?|grams?|cm|km|euros?|eur|centimes?"
        r"|pourcents?|percent|degres?|kilos?|pounds?|pence)\b",
        r"\b\d+[.,]\d+\s?(?:l|litres?|liters?)\b",
        r"\b\d+(?:[.,]\d+)?(?:cl|ml|kg|gr|l)\b",
        # pack sizes: "un pack de 6 (bouteilles)", "a 6 pack": only group n is claimed
        r"\b(?:packs?|paks?|pac|fardeaux?|cartons?|paquets?|lots?)(?:\sd\seau|\sof\swater)?"
        r"\s(?P<n>(?:de|d|of)\s\d{1,2}"
        r"(?:\s(?:bouteilles?|bottles?|x))?)\b",
        r"\b(?:a|un|1)\s(?P<n>6|8|12|24)\spack\b",
        # people counted, not loaves
        r"\b\d{1,2}\s(?:personnes?|people|persons?|enfants?|petits?\senfants?|adultes?|invites?"
        r"|guests?|kids?|children|chats?|chiens?|cats?|dogs?|voisins?|neighbou?rs?)\b",
        r"\b(?:nous\ssommes|on\sest|we\sare|we\sre)\s\d{1,2}\b",
    )
)
# "3 baguettes au lieu de 2": the replaced amount (and its item words) is not ordered.
_INSTEAD = re.compile(
    r"\b(?:au\slieu\sd|au\slieu\sde|instead\sof|plutot\sque)\s(?:\d{1,2}|un|une|one)\b"
)
# "instead of bread, water", "au lieu du pain": the item replaced is not ordered.
_INSTEAD_ITEM = re.compile(
    r"\b(?:au\slieu\s(?:du|des|de\sla|de\sl|de|d)|instead\sof(?:\s(?:the|my|some))?|plutot\sque"
    r"(?:\s(?:du|des|de\sla|de\sl|le|la|les|l))?|rather\sthan(?:\s(?:the|my|some))?)$"
)
_TIME_AFTER = re.compile(r"\b(?:vers|avant|apres|before|after|around|about|at|by)\s(\d{1,2})\b")
_NOT_TIME_AFTER = frozenset({"jours", "days", "jour", "day", "semaines", "weeks"})
_FREQUENCY = re.compile(
    r"\b(?:\d{1,2}|une|un|one|a)\s(?:fois|times?)(?:\s(?:par|a\sla|per|a|every|each|dans\sla)"
    r"\s(?:semaine|week|jour|day|mois|month))?\b|\b(?:once|twice)(?:\s(?:a|per|every)\s\w+)?\b"
    r"|\b(?:tous\sles|toutes\sles|every)\s\d{1,2}\s(?:jours|days|semaines|weeks)\b"
    r"|\b(?:un|1)\sjour\ssur\s(?:deux|2|trois|3)\b|\bevery\sother\sday\b"
)
_DURATION = re.compile(
    r"\b(?:(?:depuis|ca\sfait|cela\sfait|ya|il\sy\sa|for|pendant|during|since)\s)?"
    r"(?:\d{1,3}|une|un|a|one|deux|quelques|few|several|plusieurs)\s"
    r"(?:jours?|semaines?|mois|ans|heures?|minutes?|days?|weeks?|months?|years?|hours?"
    r"|nuits?|nights?)\b(?:\sago)?"
)


# Wishes and drinks shared are no dates and no orders: "Joyeux Noël ! 1 baguette pour le 26",
# "venir boire un café avec moi", "a cup of tea with me".
_WISHES = re.compile(
    r"\b(?:joyeux|joyeuse|joyeuses|bon|bonne|bonnes|merry|happy|heureux|heureuse|excellent|excellente"
    r"|belle|beau|bel|passez\sun|passe\sun|passez\sde|have\sa|enjoy\sthe|enjoy\syour)\s"
    r"(?:tres\s|petit\s|petite\s|bon\s|bonne\s|bonnes\s|joyeux\s|joyeuses\s|belle\s|beau\s|very\s"
    r"|lovely\s|wonderful\s|merry\s|happy\s|nice\s|good\s|great\s)?(?:noel|christmas|xmas|paques"
    r"|easter|annee|new\syear|nouvel\san|fetes?|reveillon|saint\ssylvestre|week\s?end|holidays?"
    r"|bank\sholidays?|fete\sdes\s(?:meres|peres|grands\smeres)|mothers\sday|fathers\sday"
    r"|fete\sde\sla\smusique|fete\snationale"
    r"|vacances|journee|soiree|semaine|anniversaire|birthday|14\sjuillet|fin\sde\ssemaine"
    r"|fin\sd\sannee|hanukkah|aid|eid|dimanche(?!\s(?:\d|une?\b|pour|for|on|je)))\b"
    r"|\bmeilleurs\svoeux\b|\bseason\s?s\sgreetings\b|\bcompliments\sof\sthe\sseason\b"
)
_DRINK = re.compile(
    r"\b(?:boire|prendre|partager|offrir|have|share|grab|drink|for|make)\s(?:un|une|le|la|a|an|un\spetit"
    r"|une\spetite)\s(?:petit\s|bon\s|nice\s|quick\s)?(?:cafe|the|tisane|verre|apero|coffee|tea|cuppa"
    r"|brew|cup\sof\s(?:tea|coffee)|cup|biscuit)\b|\bcup\sof\s(?:tea|coffee)\b|\bcuppa\b"
    r"|\b(?:cafe|the|coffee|tea)\savec\smoi\b|\b(?:coffee|tea)\swith\sme\b"
)


def before_dates(msg: Message, lexicon: Lexicon) -> None:
    """Claim numbers that can be neither a date nor a quantity."""
    for i, j, _ in msg.find(_WISHES):
        msg.mark(i, j, WISH)  # "happy bank holiday": no holiday of the tenant's
    for i, j, _ in msg.find(_DRINK):
        msg.mark(i, j, NOISE)
    for pattern in _BEFORE_DATES:
        group = "n" if "n" in pattern.groupindex else 0
        for m in pattern.finditer(msg.text):
            i, j = msg.span(m, group)
            a, b = msg.span(m)
            if any(a < k < b for k in msg.breaks):
                continue  # "no, 3": a word ending one clause and a number opening the next
            if msg.free(a):  # a claimed word starts no other claim
                msg.mark(i, j, NOISE)
    for i in range(1, len(msg)):
        entry = lexicon.match(msg.toks, i, msg.lang)
        if entry and msg.free(i) and _INSTEAD_ITEM.search(" ".join(msg.toks[max(0, i - 4) : i])):
            msg.mark(i, i + entry.size, NOISE)
    for _, j, _ in msg.find(_INSTEAD):
        msg.mark(j - 1, j, NOISE)
        entry = lexicon.match(msg.toks, j, msg.lang) if j < len(msg) else None
        if entry:
            msg.mark(j, j + entry.size, NOISE)
    for m in _TIME_AFTER.finditer(msg.text):
        i, j = msg.span(m, 1)
        after = msg.tok(j)
        if after and (after in _NOT_TIME_AFTER or lexicon.match(msg.toks, j, msg.lang)):
            continue
        msg.mark(i, j, NOISE)
    for i, j, _ in msg.find(_FREQUENCY):
        msg.mark(i, j, FREQUENCY)


def after_dates(msg: Message) -> None:
    """Durations ("depuis 3 jours", "pendant 15 jours"): a stay or a delay, never a quantity."""
    for i, j, _ in msg.find(_DURATION):
        if msg.all_free(i, j):
            msg.mark(i, j, DURATION)
