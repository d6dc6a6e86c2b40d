"""Names of days and months, French and English, as folded tokens.

Hand-written rather than read from Babel's locale data: tenants write plurals ("mardis"), typos
the speller brings back here, and abbreviations that are ordinary words elsewhere ("mon" is "my",
"mar" is the sea, "may" is a verb); each needs its own rule, which a locale table does not carry.
"""

from __future__ import annotations

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

WEEKDAYS: dict[str, int] = {
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
WEEKDAYS_PLURAL: dict[str, int] = {
    **{f"{name}s": wd for name, wd in WEEKDAYS.items()},
}
# Abbreviations that are ordinary words too: a weekday only next to a day number or after
# "every", "on", "next"... (decided in dates.py).
WEEKDAY_ABBREVIATIONS: dict[str, int] = {
    "lun": 0,
    "mar": 1,
    "mer": 2,
    "jeu": 3,
    "ven": 4,
    "sam": 5,
    "dim": 6,
    "mon": 0,
    "wed": 2,
    "sat": 5,
    "sun": 6,
}

MONTHS: dict[str, int] = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
    "january": 1,
    "february": 2,
    "april": 4,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
# Month words that only mean a month next to a day number ("march" is also a verb, "may" too).
MONTHS_NEAR_NUMBER: dict[str, int] = {
    "jan": 1,
    "janv": 1,
    "fev": 2,
    "fevr": 2,
    "feb": 2,
    "march": 3,
    "avr": 4,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "juil": 7,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "decemb": 12,
    "novemb": 11,
}

# Days relative to today.
RELATIVE_DAYS: dict[str, int] = {
    "aujourdhui": 0,
    "today": 0,
    "tonight": 0,
    "tantot": 0,
    "demain": 1,
    "tomorrow": 1,
    "hier": -1,
    "yesterday": -1,
}
