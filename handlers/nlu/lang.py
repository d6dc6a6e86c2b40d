"""Which language a message is written in, French or English, from its words alone.

Messages are a handful of words, often misspelt: a statistical detector has too little to go on
and costs a model load at start. Counting words that only one of the two languages uses is
enough here, and French (the default language of the service) wins every tie.
"""

from __future__ import annotations

from handlers.nlu.message import word_set

_FRENCH = word_set(
    """
    je j tu il elle nous vous ils moi me m mon ma mes ton ta le la les l un une des du de d
    au aux et ou est c qu que qui quoi pour par avec sans sur dans pas ne n plus tres bien
    oui non merci bonjour bonsoir salut coucou svp stp plait voudrais veux aimerais souhaite
    besoin faut pain baguette baguettes pains eau flute tradition demain aujourdhui hier
    apres semaine prochain prochaine lundi mardi mercredi jeudi vendredi samedi dimanche
    janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
    annuler annule annulez commande commander livraison livraisons jusqu chaque tous toutes
    aide comment pourquoi quand ai suis serai vais etait avoir etre fait ca cette ce mais
    donc alors encore deja madame monsieur mme fille fils chez absent absente vacances
    hopital rien quelqu personne matin soir jour jours
    """
)
_ENGLISH = word_set(
    """
    i you he she we they my your the an and or is are was were be been am of to for at in
    with without not no yes please thanks thank hello hi hey bread loaf loaves water
    tomorrow today yesterday next week monday tuesday wednesday thursday friday saturday
    sunday january february april june july august september october november december want
    would like need can could some every each cancel order delivery deliveries until from
    away holiday help what how when where why who this that it t ll don didn won isn morning
    evening day days get got have has had will just also only more any one two three four
    five anymore send bring
    """
)


def detect(tokens: tuple[str, ...]) -> str:
    """The language code, "fr" or "en"; French when the words do not settle it."""
    fr = sum(tok in _FRENCH for tok in tokens)
    en = sum(tok in _ENGLISH for tok in tokens)
    return "en" if en > fr else "fr"


# Words of either language: a message with none of them is not read, only passed on.
KNOWN_WORDS = _FRENCH | _ENGLISH
