"""Texts for the ear: a reply written for a screen, turned into what a voice should say.

Replies are written once, in the catalogues, for reading; a phone call reads the same texts
aloud. A speech engine stumbles on "bât. C", "17 h 30", "1er" or quoted commands, and an old
person on a landline cannot re-read a sentence: here numbers become words (num2words, in the
listener's language), dates already spelled out by Babel keep their words, abbreviations are
said in full (the catalogue's `voice.ear.words`), and symbols and quotes go.
"""

from __future__ import annotations

import re
from functools import lru_cache

from num2words import num2words

from handlers.texts import catalogue, language, t

_TIME_FR = re.compile(r"\b(\d{1,2}) h(?: (\d{2}))?\b")
_TIME_EN = re.compile(r"\b(\d{1,2})(?::(\d{2}))? ?(am|pm)\b")
_ORDINAL = re.compile(r"\b(\d+)(er|re|e|ème|st|nd|rd|th)\b")
_NUMBER = re.compile(r"\d+(?:[ .,]\d{3})*")
_SYMBOLS = re.compile(r"[\"«»“”*_#/\\|<>\[\]{}]")
_SPACES = re.compile(r"\s+")
_INCLUSIVE = re.compile(r"\((?:e|s|es|x)\)")  # "prévu(s)": said as written, it is noise


def for_the_ear(text: str, lang: str | None) -> str:
    """What a voice reads for `text`: numbers and times in words, abbreviations in full."""
    lang = language(lang)
    out = _words(_INCLUSIVE.sub("", text), lang)
    out = _times(out, lang)
    out = _feminine(out, lang)
    out = _ORDINAL.sub(lambda m: _say(int(m.group(1)), lang, ordinal=True), out)
    out = _NUMBER.sub(lambda m: _say(int(re.sub(r"\D", "", m.group(0))), lang), out)
    out = _SPACES.sub(" ", _SYMBOLS.sub("", out).replace("’", "'")).strip()
    return out[:1].upper() + out[1:]  # "Trois baguettes…": a sentence, read as one


def _words(text: str, lang: str) -> str:
    for written, spoken in catalogue(lang)["voice.ear.words"]:
        text = re.sub(rf"(?<!\w){re.escape(written)}(?!\w)", spoken, text)
    return text


def _feminine(text: str, lang: str) -> str:
    """ "1 baguette" is "une baguette": num2words knows no nouns, the catalogue lists them."""
    words = catalogue(lang).get("voice.ear.feminine.words", ())
    one = catalogue(lang).get("voice.ear.feminine.one", "")
    return re.sub(
        r"(?<![\d,.])\b1 (\w+)",
        lambda m: f"{one} {m.group(1)}" if m.group(1) in words else m.group(0),
        text,
    )


def _times(text: str, lang: str) -> str:
    if lang == "fr":

        def fr(m: re.Match[str]) -> str:
            hour = int(m.group(1))
            words = _say(hour, lang)
            if words.endswith("un"):  # "vingt et une heures": une heure is feminine
                words += "e"
            said = f"{words} {t(lang, 'voice.ear.hour', n=hour)}"
            return said + (f" {_say(int(m.group(2)), lang)}" if m.group(2) else "")

        return _TIME_FR.sub(fr, text)

    def en(m: re.Match[str]) -> str:
        said = _say(int(m.group(1)), lang)
        minutes = int(m.group(2) or 0)
        if minutes:
            said += " " + (f"oh {_say(minutes, lang)}" if minutes < 10 else _say(minutes, lang))
        return f"{said} {' '.join(m.group(3))}"

    return _TIME_EN.sub(en, text)


@lru_cache(maxsize=512)
def _say(n: int, lang: str, *, ordinal: bool = False) -> str:
    if ordinal and lang == "fr" and n == 1:
        return "premier"
    return str(num2words(n, lang=lang, to="ordinal" if ordinal else "cardinal"))
