"""From a raw SMS to a list of plain tokens the rest of the parser can compare with `==`.

Tenants type on small keyboards: accents optional, capitals random, apostrophes curly or missing,
letters doubled, digits glued to words ("3pains", "2main"). Every later stage stays simple because
this one folds all of that into lower-case ASCII tokens. Order matters and is spelled out in
`tokens()`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from handlers.nlu.message import word_set

# Emojis that carry meaning for this service; every other symbol is dropped.
_EMOJI_WORDS = {
    "🥖": "baguette",
    "🍞": "pain",
    "💧": "eau",
    "🚰": "eau",
    "👍": "ok",
    "👌": "ok",
    "🙏": "merci",
    **dict.fromkeys("😂🤣😄😆😁😀😅😹😝😜😛", "haha"),
}
_MEANINGFUL_RUN = re.compile("(" + "|".join(map(re.escape, _EMOJI_WORDS)) + r")(\s*\1)*")

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "‛": "'", "′": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "€": " euros ", "&": " et "})

# Punctuation kept inside numbers ("27/11", "9:30", "1,5") and the question mark (it tells a
# question from an order); everything else becomes a space.
_TOKEN = re.compile(r"\d+(?:[./:,h-]\d+)*[a-z]*|[a-z]+\d*[a-z]*|\?|[,;.!:]")
# Where one clause ends and the next begins ("je ne sors plus, du pain demain"): a comma is a
# BREAK, a full stop (or "!", ";") a STOP. Kept as tokens until the parser sets the boundaries
# aside (`Message.breaks`, `Message.stops`); no pattern ever sees them.
BREAK, STOP = ",", "."
_GLUED = re.compile(r"^(\d+)([a-z]{2,})$")
_GLUED_AFTER = re.compile(r"^([a-z]{2,})(\d+)$")
# What may follow digits in one token without being a separate word: ordinals, hours, units,
# apartment letters, multipliers.
_NUMBER_SUFFIXES = word_set(
    """
    e eme emes ieme iem em er ere eres nd st rd th h am pm x cl ml kg gr bis ter
    """
)

# SMS and keyboard shorthand, one token to one or more tokens. Only unambiguous forms: "c" or
# "u" alone would be a guess in the other language.
_SHORTHAND: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("bjr", "bj", "bonjours", "bonjoure"), ("bonjour",)),
    **dict.fromkeys(("bsr", "bonsoire"), ("bonsoir",)),
    **dict.fromkeys(("slt",), ("salut",)),
    **dict.fromkeys(("mrc", "mrci", "mci", "mr6", "merki", "mercie", "mercy", "mrcii"), ("merci",)),
    **dict.fromkeys(("svpl", "svpp", "silvouplait", "sivouplait", "svv"), ("svp",)),
    **dict.fromkeys(("stpl",), ("stp",)),
    **dict.fromkeys(("pr",), ("pour",)),
    **dict.fromkeys(
        ("dmain", "dmin", "demin", "2main", "2m1", "dem1", "dmn", "demian", "deamin", "demai"),
        ("demain",),
    ),
    **dict.fromkeys(
        ("ajd", "auj", "ajourdhui", "aujourdui", "aujourdhi", "aujourd", "ojourdhui", "aujord"),
        ("aujourdhui",),
    ),
    **dict.fromkeys(("qd", "kan", "kand"), ("quand",)),
    **dict.fromkeys(("qqn", "qqun", "quelquun"), ("quelqu", "un")),
    **dict.fromkeys(("bcp", "bcq"), ("beaucoup",)),
    **dict.fromkeys(("tjs", "tjrs"), ("toujours",)),
    **dict.fromkeys(("ds",), ("dans",)),
    **dict.fromkeys(("tt", "ts"), ("tous",)),
    **dict.fromkeys(("jv", "jve", "jveu", "jveux", "jvx"), ("je", "veux")),
    **dict.fromkeys(("jvoudrais", "jvoudrai", "jvoudré"), ("je", "voudrais")),
    **dict.fromkeys(
        ("voudrai", "voudré", "voudrez", "vourais", "voudais", "voudrias"), ("voudrais",)
    ),
    **dict.fromkeys(("jpeux", "jpe", "jpx"), ("je", "peux")),
    **dict.fromkeys(("jsuis", "chui", "chuis", "jsui", "jsuiss"), ("je", "suis")),
    **dict.fromkeys(("jsp",), ("je", "sais", "pas")),
    **dict.fromkeys(("jai",), ("j", "ai")),
    **dict.fromkeys(("jaimerais",), ("j", "aimerais")),
    **dict.fromkeys(("cest",), ("c", "est")),
    **dict.fromkeys(("pk", "pq", "pourkoi"), ("pourquoi",)),
    **dict.fromkeys(("koi",), ("quoi",)),
    **dict.fromkeys(("okay", "oki", "okk", "okey", "oke", "okai", "kk"), ("ok",)),
    **dict.fromkeys(("dac", "dacc", "dak", "daccord", "dacor", "dacord"), ("d", "accord")),
    **dict.fromkeys(("bsx", "biz", "bizou", "bizous", "bisou", "bizz"), ("bisous",)),
    **dict.fromkeys(("deau",), ("d", "eau")),
    **dict.fromkeys(("leau",), ("l", "eau")),
    **dict.fromkeys(("jusquau",), ("jusqu", "au")),
    **dict.fromkeys(("jusqua",), ("jusqu", "a")),
    **dict.fromkeys(("quil",), ("qu", "il")),
    **dict.fromkeys(("quon",), ("qu", "on")),
    **dict.fromkeys(("nai",), ("n", "ai")),
    **dict.fromkeys(("jen",), ("j", "en")),
    **dict.fromkeys(("pa",), ("pas",)),
    **dict.fromkeys(("qqch", "qqc", "qqchose", "kkchose"), ("quelque", "chose")),
    **dict.fromkeys(("sem", "smn"), ("semaine",)),
    **dict.fromkeys(("plu",), ("plus",)),
    **dict.fromkeys(("eune", "ene"), ("une",)),
    **dict.fromkeys(("voudros", "voudro", "voudrot"), ("voudrais",)),
    **dict.fromkeys(("jvoudros",), ("je", "voudrais")),
    **dict.fromkeys(("tradi", "trad", "tradis", "trads"), ("tradition",)),
    **dict.fromkeys(("rdv",), ("rendez", "vous")),
    **dict.fromkeys(("apt", "appt", "appart", "app"), ("appartement",)),
    **dict.fromkeys(("bat", "bât", "batt"), ("batiment",)),
    **dict.fromkeys(("etg", "etges"), ("etage",)),
    # English
    **dict.fromkeys(
        ("pls", "plz", "pleas", "plse", "pleez", "pleeze", "pleaze", "plez"), ("please",)
    ),
    **dict.fromkeys(("thx", "thnx", "thanx", "thnks", "thks", "tnx", "ty"), ("thanks",)),
    **dict.fromkeys(
        (
            "tmrw",
            "tmr",
            "tmrow",
            "tomoz",
            "2moro",
            "2morrow",
            "2mrw",
            "2morow",
            "tmw",
            "tomoro",
            "tomorro",
            "tmorrow",
            "tommorow",
            "tomorow",
            "tommorrow",
            "tomorroe",
            "2mro",
            "tmoz",
            "2moz",
            "tomora",
            "tmoro",
        ),
        ("tomorrow",),
    ),
    **dict.fromkeys(("2day", "tday"), ("today",)),
    **dict.fromkeys(("2nite", "tonite", "2night"), ("tonight",)),
    **dict.fromkeys(("im",), ("i", "m")),
    **dict.fromkeys(("ive",), ("i", "ve")),
    **dict.fromkeys(("cant",), ("can", "t")),
    **dict.fromkeys(("wont",), ("won", "t")),
    **dict.fromkeys(("didnt",), ("didn", "t")),
    **dict.fromkeys(("doesnt",), ("doesn", "t")),
    **dict.fromkeys(("isnt",), ("isn", "t")),
    **dict.fromkeys(("wasnt",), ("wasn", "t")),
    **dict.fromkeys(("havent",), ("haven", "t")),
    **dict.fromkeys(("hasnt",), ("hasn", "t")),
    **dict.fromkeys(("wanna",), ("want", "to")),
    **dict.fromkeys(("gonna",), ("going", "to")),
    **dict.fromkeys(("til", "till", "untill", "untl"), ("until",)),
    **dict.fromkeys(("thru",), ("through",)),
    **dict.fromkeys(("xmas",), ("christmas",)),
    **dict.fromkeys(("tues", "tue"), ("tuesday",)),
    **dict.fromkeys(("weds",), ("wednesday",)),
    **dict.fromkeys(("thurs", "thur", "thu"), ("thursday",)),
    **dict.fromkeys(("fri",), ("friday",)),
    **dict.fromkeys(("nxt",), ("next",)),
    **dict.fromkeys(("wat", "wot", "wht"), ("what",)),
    **dict.fromkeys(("wats", "wots", "whats"), ("what", "s")),
    **dict.fromkeys(("cud",), ("could",)),
    **dict.fromkeys(("sum1", "some1"), ("someone",)),
    # Phonetic and SMS spellings (round 3): units, numbers, days, politeness, question words
    **dict.fromkeys(("dm1", "dmai1", "deumain", "dmaint", "demaim", "dem1n"), ("demain",)),
    **dict.fromkeys(("tou", "touss"), ("tous",)),
    **dict.fromkeys(("sof", "sauff", "sau", "exepte", "excepter"), ("sauf",)),
    **dict.fromkeys(("chake", "chak", "chac", "chaq", "chaques"), ("chaque",)),
    **dict.fromkeys(("lof", "lofe"), ("loaf",)),
    **dict.fromkeys(("lofs", "lofes", "loafes", "lovs", "loafz", "loavz", "lovz"), ("loafs",)),
    **dict.fromkeys(("vou", "vouz", "vs"), ("vous",)),
    **dict.fromkeys(("plai", "plais", "plaie", "plaît"), ("plait",)),
    **dict.fromkeys(("veu", "veut", "veus"), ("veux",)),
    **dict.fromkeys(("voudre", "voudrè", "voudrer", "voudrait"), ("voudrais",)),
    **dict.fromkeys(("jvoudre",), ("je", "voudrais")),
    **dict.fromkeys(("kel", "kels", "kell", "kelle", "kelles"), ("quel",)),
    **dict.fromkeys(("ki",), ("qui",)),
    **dict.fromkeys(("ke",), ("que",)),
    **dict.fromkeys(("komen", "koment", "komment"), ("comment",)),
    **dict.fromkeys(("kom", "kome", "comm"), ("comme",)),
    **dict.fromkeys(("dlo", "dl0"), ("de", "l", "eau")),
    **dict.fromkeys(("apre", "aprè", "apré"), ("apres",)),
    **dict.fromkeys(("ojd", "ojourd", "ojourdui", "aujourdui", "aujourdh"), ("aujourdhui",)),
    **dict.fromkeys(("pouve", "pouvé", "pouver"), ("pouvez",)),
    **dict.fromkeys(("pourié", "pourier", "pouriez", "pourri"), ("pourriez",)),
    **dict.fromkeys(("jrs",), ("jours",)),
    **dict.fromkeys(("jr",), ("jour",)),
    **dict.fromkeys(("tlj", "tljs"), ("tous", "les", "jours")),
    **dict.fromkeys(("bocou", "bcoup", "boucoup"), ("beaucoup",)),
    **dict.fromkeys(("mersi", "mrcc", "merciii"), ("merci",)),
    **dict.fromkeys(("cc", "kikou", "coucouu"), ("coucou",)),
    **dict.fromkeys(("joyeu", "joyeus", "joyeuxx"), ("joyeux",)),
    **dict.fromkeys(("aprem", "aprèm", "aprm"), ("apres", "midi")),
    **dict.fromkeys(("bagete", "bagette", "baget", "baguet", "baguete", "bagett"), ("baguette",)),
    **dict.fromkeys(
        ("bagetes", "bagettes", "bagets", "baguets", "baguetes", "bagetts"), ("baguettes",)
    ),
    **dict.fromkeys(("u",), ("you",)),
    **dict.fromkeys(("ur",), ("your",)),
    **dict.fromkeys(("wud",), ("would",)),
    **dict.fromkeys(("luv",), ("love",)),
    **dict.fromkeys(("gr8",), ("great",)),
    **dict.fromkeys(("b4",), ("before",)),
    **dict.fromkeys(("watr", "wtr", "watter", "wather", "wataer"), ("water",)),
    **dict.fromkeys(("brd", "bred", "braed"), ("bread",)),
    **dict.fromkeys(("jen",), ("j", "en")),
    **dict.fromkeys(("encor", "encors", "enkore"), ("encore",)),
    **dict.fromkeys(("bgt", "bgte", "bguette"), ("baguette",)),
    **dict.fromkeys(("bgts", "bgtes"), ("baguettes",)),
    **dict.fromkeys(("evry", "evrey", "everey"), ("every",)),
    **dict.fromkeys(("wich", "whitch", "wick", "witch"), ("which",)),
    **dict.fromkeys(("xcept", "excep", "exept", "excpt", "exsept"), ("except",)),
    **dict.fromkeys(("satday", "satdy", "saterday", "sataday", "saturdy"), ("saturday",)),
    **dict.fromkeys(("tusday", "tuseday", "teusday", "tuesdy"), ("tuesday",)),
    **dict.fromkeys(("wensday", "wendsday", "wednsday", "wedensday", "wednesdy"), ("wednesday",)),
    **dict.fromkeys(("thrusday", "thursdy", "thirsday", "thurday"), ("thursday",)),
    **dict.fromkeys(("firday", "fridy", "frday"), ("friday",)),
    **dict.fromkeys(("evryday", "everyda"), ("everyday",)),
    # round 4: more SMS forms, and the Picard ("ch'ti") spoken in the residences of the Nord
    **dict.fromkeys(("cb", "cmb", "cbn", "combi1", "conbien"), ("combien",)),
    **dict.fromkeys(("hv", "hav"), ("have",)),
    **dict.fromkeys(("dunno", "dunnno", "donno"), ("don", "t", "know")),
    **dict.fromkeys(("wen",), ("when",)),
    **dict.fromkeys(("pourrot", "pourrote", "pourro"), ("pourrait",)),
    **dict.fromkeys(("voudrot",), ("voudrait",)),
    **dict.fromkeys(("serot",), ("serait",)),
    **dict.fromkeys(("etot",), ("etait",)),
    **dict.fromkeys(("avot",), ("avait",)),
    **dict.fromkeys(("faudrot",), ("faudrait",)),
}
# Keys are looked up on folded tokens: written with accents above for the reader, stored folded.
_SHORTHAND = {
    "".join(ch for ch in unicodedata.normalize("NFD", key) if not unicodedata.combining(ch)): value
    for key, value in _SHORTHAND.items()
}
# Words a unit is written as by ear: "2 paque d'eau", "un pak d'o". Read as "pack" only before
# "d'eau" (so "joyeuses Pâques" stays Easter).
_PACK_SOUNDS = word_set("paque paques paquet paquets packe packes pake pakes pqck")
_WATER_AFTER = (("d", "eau"), ("de", "l", "eau"), ("d", "o"), ("deau",), ("de", "flotte"))


# Web addresses: tenants do not send links; a message carrying one is spam or phishing
# ("Votre colis est en attente, confirmez sur http://..."). The link is cut before tokenising.
_LINK = re.compile(
    r"(?:https?://|www\.)\S*|\b[a-z][\w-]+(?:\.[\w-]+)*\.(?:com|fr|net|org|info|co|ly|io|uk"
    r"|biz|xyz|eu|online)(?:/\S*)?(?=[\s.,;!?)]|$)",
    re.IGNORECASE,
)
# "cé" for "c'est" (read before accents are folded away: "ce" is a word of its own).
_CE = re.compile(r"(?<![\w'’])[cC][éÉèÈ](?![\w'’])")
# "No. 14", "no 3" in an address: a number, not a refusal.
_NUMBER_ABBREVIATION = re.compile(r"\b[Nn][oº]\.\s?(?=\d)|\bnº\s?(?=\d)")
# "7/7", "7j/7", "7 jours sur 7", "24/7": every day, not the 7th of July.
_EVERY_DAY = re.compile(
    r"\b(?:7\s?j?\s?/\s?7|(?:7|sept)\s?jours?\s?sur\s?(?:7|sept)|24\s?/\s?7|(?:7|seven)\s?days?\s?(?:a|per"
    r"|every)\s?week)\b"
)
# "2m1", "2 m1": "demain" spelt by sound, which the tokeniser would cut after the first digit.
_DIGIT_SHORTHAND = re.compile(r"\b2\s?m\s?1n?\b")
# Regional and phonetic spellings of "demain": "d'main" (Picard / ch'ti), "d'min".
_DEMAIN = re.compile(r"\bd\s*'\s*m(?:ain|in|ai)\b")
# Punctuation said aloud to a phone's dictation ("deux baguettes pour jeudi point merci",
# "two loaves for Friday full stop thank you"): a mark, never STOP or a word of the message.
_DICTATED = (
    (
        re.compile(
            r"\b(?:question\smark|point\s?d\s?'?\s?interrogation)\b",
        ),
        " ? ",
    ),
    (
        re.compile(
            r"\b(?:full\s?stop|exclamation\s(?:mark|point)|new\s(?:line|paragraph)|point\sfinal"
            r"|point\s?d\s?'?\s?exclamation|(?:point\s)?a\sla\sligne|nouveau\sparagraphe)\b"
        ),
        " . ",
    ),
    (re.compile(r"\b(?:virgule|comma)\b"), " , "),
    # a bare "point" between two sentences ("... jeudi point merci"), not "à point", "le point",
    # "point de vue", "sur le point de"
    (
        re.compile(
            r"(?<!\ba\s)(?<!\bau\s)(?<!\ble\s)(?<!\bun\s)(?<!\bce\s)(?<!\bdu\s)(?<!\bmon\s)"
            r"(?<=[a-z0-9]\s)point(?=\s*$|\s(?:merci|bonne|bon|bonjour|cordialement|au\srevoir|a\sbientot"
            r"|bises|bisous|je|j\s?'|et\s|il|elle|c\s?'\s?est|signe|salutations|amities)\b)"
        ),
        " . ",
    ),
)
# "pro" is "prochain(e)" only after a week, a month or a weekday: "la semaine pro", "lundi pro".
_PRO_AFTER = word_set("semaine mois week lundi mardi mercredi jeudi vendredi samedi dimanche")


_DAY_NAMES = (
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday"
    "|saturday|sunday"
)
_DAY_SHORT = {
    "mon": "monday",
    "tue": "tuesday",
    "tues": "tuesday",
    "wed": "wednesday",
    "thu": "thursday",
    "thur": "thursday",
    "thurs": "thursday",
    "fri": "friday",
    "sat": "saturday",
    "sun": "sunday",
    "lun": "lundi",
    "mar": "mardi",
    "mer": "mercredi",
    "jeu": "jeudi",
    "ven": "vendredi",
    "sam": "samedi",
    "dim": "dimanche",
}
_WEEKDAY_SPAN = re.compile(
    rf"\b({_DAY_NAMES}|{'|'.join(_DAY_SHORT)})\.?\s*-\s*({_DAY_NAMES}|{'|'.join(_DAY_SHORT)})\b"
)


_ORDINAL_SPAN = re.compile(r"\b(\d{1,2}(?:st|nd|rd|th|er|ere)?)\s*-\s*(\d{1,2}(?:st|nd|rd|th)?)\b")


def _ordinal_span(m: re.Match[str]) -> str:
    first, last = m.groups()
    if first.isdigit() and last.isdigit():
        return m.group(0)  # "2-3 baguettes", "27-11": not days said as ordinals
    return f"{first} au {last}"


def _weekday_span(m: re.Match[str]) -> str:
    first, last = (_DAY_SHORT.get(g, g) for g in m.groups())
    return f"{first} a {last}"


_BESOIN = word_set("besoin bsoin besoins")
# "2mai" is the 2nd of May, "2min" two minutes: not "2moro".
_NOT_TOMORROW = word_set("mai mars may march mar min mins minute minutes mn mois month months")
_PAS_TYPOS = word_set("ps pqs pzs paq oas pa pas")


@dataclass(frozen=True)
class Folded:
    """A message folded to tokens, plus what folding alone can tell (emojis, question, link)."""

    tokens: tuple[str, ...]
    had_symbols: bool  # emojis or other pictographs were present
    question: bool  # the message asked something ("?")
    had_link: bool = False  # a web address was present (and cut)


@lru_cache(maxsize=1024)
def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces: how the conversation compares
    answers and word lists ("Arrêt !" and "arret" are one). The parser's own folding, so the
    conversation and the parser never fold a word two ways.

    Cached: the router and the handlers fold the same message a dozen times while answering it
    (issue 17), and word lists fold the same words on every message. A pure function of a str
    returning a str, so a cached answer is the answer; the bound keeps memory flat."""
    folded, _ = fold_marks(text)
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


def fold_marks(text: str) -> tuple[str, bool]:
    """Lower-case ASCII text; the flag says whether pictographs were dropped."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    text = _MEANINGFUL_RUN.sub(_emoji_words, text)
    text = text.lower().translate(_LIGATURES)
    text = re.sub(r"\bn\s*°\s*", " numero ", text)
    text = re.sub(r"(\d)\s*°", r"\1e", text)
    had_symbols = False
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            continue
        if ch.isascii():
            out.append(ch)
        elif unicodedata.category(ch)[0] in "LN":
            out.append(ch)  # a letter outside ASCII: kept, it is no symbol
        else:
            had_symbols = True
            out.append(" ")
    return "".join(out), had_symbols


def _emoji_words(m: re.Match[str]) -> str:
    """A run of the same meaningful emoji counts: "🥖🥖" is two baguettes."""
    word = _EMOJI_WORDS[m.group(1)]
    count = m.group(0).count(m.group(1))
    if word == "haha":
        return " haha "  # laughter counts nothing
    return f" {word} " if count == 1 else f" {count} {word}s "


@lru_cache(maxsize=256)
def tokens(text: str) -> Folded:
    """Fold, split and expand shorthand, in that order (shorthand is looked up on clean tokens).

    Cached: a message of several sentences is read whole and sentence by sentence, and the
    lexicon folds its phrases through here. `Folded` is frozen and holds a tuple, so sharing
    one answer between callers is safe."""
    text, links = _LINK.subn(" ", text or "")
    text = _CE.sub("c'est", text)
    text = _NUMBER_ABBREVIATION.sub(" numero ", text)
    folded, had_symbols = fold_marks(text)
    for pattern, mark in _DICTATED:
        folded = pattern.sub(mark, folded)
    folded = re.sub(r"aujourd\s*'?\s*hui", "aujourdhui", folded)
    folded = _DEMAIN.sub("demain", folded)
    folded = _EVERY_DAY.sub(" tous les jours ", folded)
    folded = _DIGIT_SHORTHAND.sub(" demain ", folded)
    folded = re.sub(r"([a-z])\1{2,}", r"\1\1", folded)  # "merciii" -> "mercii"
    folded = _WEEKDAY_SPAN.sub(_weekday_span, folded)  # "lundi-vendredi", "Mon-Fri": a range
    folded = _ORDINAL_SPAN.sub(_ordinal_span, folded)  # "10th-14th March": a range
    folded = re.sub(r"(?<=[a-z])-|-(?=[a-z])", " ", folded)  # "apres-demain", not "27-11"
    folded = folded.replace("'", " ")
    out: list[str] = []
    for raw in _TOKEN.findall(folded):
        if raw in ",;.!:":
            mark = STOP if raw in ".!;" else BREAK
            if out and out[-1] in (BREAK, STOP):
                out[-1] = STOP if STOP in (mark, out[-1]) else BREAK
            elif out:
                out.append(mark)
            continue
        out.extend(_expand(raw))
    if out and out[-1] in (BREAK, STOP):
        out.pop()
    out = _by_ear(out)
    for k in range(1, len(out)):
        if out[k] == "pro" and out[k - 1] in _PRO_AFTER:
            out[k] = "prochaine" if out[k - 1] == "semaine" else "prochain"
        if out[k] in _BESOIN and out[k - 1] in _PAS_TYPOS:
            out[k - 1] = "pas"  # "ps besoin", "pzs besoin": a slip of the thumb on "pas"
    return Folded(tuple(out), had_symbols, "?" in out, links > 0)


# English verbs written as spoken, "-in'" for "-ing": "wot hv i got comin", "bringin".
_DROPPED_G = word_set(
    """
    comin gettin bringin deliverin waitin goin doin havin sayin askin lookin thinkin droppin
    sendin orderin wonderin checkin hopin nothin somethin anythin mornin evenin runnin takin
    makin puttin leavin stayin fetchin lettin callin ringin textin
    """
)
# Scots and Northern English "the morn", "the morra": tomorrow.
_MORN = word_set("morn morra marra morrow moarn")
# "g" for "j'ai" in French SMS ("cb g commandé", "g besoin"), before a word only.
_G_BEFORE = word_set(
    """
    commande commandee commandes besoin pas plus rien bien deja recu eu fait oublie pris demande
    envie mal froid faim reserve une un des du de le la les toujours encore
    """
)


def _by_ear(out: list[str]) -> list[str]:
    """Context-bound spellings: a pack written by ear before "d'eau", "d'o" for "d'eau", "c" and
    "cé" for "c'est" before a name or an article, "s il vous plé"; "comin'", "the morn", "g"
    for "j'ai", the Picard "ch'est", "v'nir", "quéqu'un"."""
    res: list[str] = []
    for k, tok in enumerate(out):
        after = tuple(out[k + 1 : k + 4])
        nxt = after[0] if after else ""
        if tok in _DROPPED_G:
            res.append(tok + "g")
            continue
        if tok in _MORN and res and res[-1] == "the":
            res[-1] = "tomorrow"  # "bring me a loaf the morn"
            continue
        if tok == "g" and nxt in _G_BEFORE and (not res or res[-1] not in ("x", "vitamine")):
            res.extend(("j", "ai"))
            continue
        if tok == "ch" and nxt in ("est", "etait", "tot"):
            res.append("c")
            continue
        if tok == "v" and nxt == "nir":
            res.append("venir")
            continue
        if tok == "nir" and res and res[-1] == "venir":
            continue
        if tok in ("queq", "quequ", "quequ") and nxt == "un":
            res.append("quelqu")
            continue
        if tok in _PACK_SOUNDS and any(after[: len(w)] == w for w in _WATER_AFTER):
            res.append("packs" if tok.endswith("s") else "pack")
            continue
        if tok == "o" and res and res[-1] == "d":
            res.append("eau")
            continue
        if tok in ("ple", "pl") and res and res[-1] == "vous":
            res.append("plait")
            continue
        res.append(tok)
    return res


def _expand(tok: str) -> tuple[str, ...]:
    if tok in _SHORTHAND:
        return _SHORTHAND[tok]
    glued = _GLUED.match(tok)
    if (
        glued
        and glued.group(1) == "2"
        and glued.group(2).startswith("m")
        and glued.group(2) not in _NOT_TOMORROW
    ):
        return (tok,)  # "2mrrw", "2moro": tomorrow by sound, for the reader of days to judge
    if glued and glued.group(2) not in _NUMBER_SUFFIXES:
        rest = glued.group(2)
        return (glued.group(1), *_SHORTHAND.get(rest, (rest,)))
    glued = _GLUED_AFTER.match(tok)
    if glued and glued.group(1) != "x":
        first = glued.group(1)
        return (*_SHORTHAND.get(first, (first,)), glued.group(2))
    return (tok,)
