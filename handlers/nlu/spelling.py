"""Misspellings of the words that matter ("bagette", "vendredie", "tommorow") brought back to them.

Only a word the parser would act on is a target (items, days, months, a few verbs), only unknown
tokens of five letters or more are corrected, the first letter must agree and the best target must
be unique. Real words close to a target ("mari" is not "mardi", "comment" is not "commande") are
listed in `spelling_stoplist.py`, generated from French and English word lists by
`tests/nlu/make_stoplist.py`, so they are never "corrected".
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from rapidfuzz.distance import OSA

from handlers.nlu.message import word_set
from handlers.nlu.spelling_stoplist import REAL_WORDS

CORE_TARGETS: frozenset[str] = word_set(
    """
    lundi mardi mercredi jeudi vendredi samedi dimanche lundis mardis mercredis jeudis
    vendredis samedis dimanches monday tuesday wednesday thursday friday saturday sunday
    mondays tuesdays wednesdays thursdays fridays saturdays sundays janvier fevrier avril
    juillet septembre octobre novembre decembre january february april august september
    october november december demain aujourdhui tomorrow today yesterday prochain prochaine
    semaine weekend quatre douze treize quatorze quinze three seven eight annuler annulez
    annulation commande commander commandes livraison livraisons livrer voudrais aimerais
    souhaiterais souhaite apporter cancel delivery deliveries please thanks merci bonjour
    bonsoir vacances hopital absente jusqu until chaque every besoin rappelez rappeler remind
    remember actually except including included finalement plutot abonnement benevole volunteer
    toujours combien pourriez pouvez souviens arretez arreter suspendre visite quotidien
    subscription standing
    """
)


# Short words worth recovering from doubled letters ("stoop", "ouii"); too short for edit distance.
SHORT_WORDS: frozenset[str] = word_set(
    """
    stop oui non svp stp pain eau pack help aide yes no ok merci
    """
)


def max_distance(length: int) -> int:
    """How many edits a word of this length may carry and still be recognised."""
    return 1 if length <= 6 else 2


class Speller:
    """Corrects tokens towards a fixed set of targets; one per lexicon (its words are targets)."""

    def __init__(
        self, extra_targets: frozenset[str], meanings: Mapping[str, str] | None = None
    ) -> None:
        # `meanings`: targets that mean the same ("loaves", "loafs": bread); a tie between them
        # is no guess
        self._meanings = dict(meanings or {})
        targets = {t for t in CORE_TARGETS | extra_targets if len(t) >= 5}
        self._targets = frozenset(targets)
        self._by_first: dict[str, tuple[str, ...]] = {}
        for t in sorted(targets):
            self._by_first[t[0]] = (*self._by_first.get(t[0], ()), t)
        self.correct = lru_cache(maxsize=4096)(self._correct)

    def _correct(self, tok: str) -> str:
        if tok in self._targets or tok in REAL_WORDS or not tok.isalpha():
            return tok
        single = "".join(c for k, c in enumerate(tok) if k == 0 or c != tok[k - 1])
        if single != tok and (single in self._targets or single in SHORT_WORDS):
            return single  # "mercii", "stoop", "baguettte"
        if len(tok) < 5:
            return tok
        limit = max_distance(len(tok))
        best: list[tuple[int, str]] = []
        for target in self._by_first.get(tok[0], ()):
            if abs(len(target) - len(tok)) > limit:
                continue
            d = OSA.distance(tok, target, score_cutoff=limit)
            if d <= limit:
                best.append((d, target))
        if not best:
            return tok
        best.sort()
        tied = {t for d, t in best if d == best[0][0]}
        if len({self._meanings.get(t, t.rstrip("s")) for t in tied}) > 1:
            return tok  # two different words equally close: a guess, so no correction
        return min(tied, key=len)  # "mercredie": "mercredi" rather than "mercredis"
