"""The conversation's words, one list each, all in the parser package.

Folded (lower case, no accents, punctuation as spaces), as `fold` and the parser's tokens give
them; multi-word entries are matched as whole words inside a padded folded text. The opt-out
words are the parser's own (`cues.OPT_OUT_WORDS`, `cues.RESUME_WORDS`): one list, read here.
"""

from __future__ import annotations

from handlers.nlu.cues import OPT_OUT_WORDS, RESUME_WORDS

# STOP and START said alone (Twilio's own keywords, and the French habits)
STOP_WORDS = OPT_OUT_WORDS
START_WORDS = RESUME_WORDS | {"reprendre", "reprise"}

# "english", "en français": the language to answer in
LANGUAGE_WORDS = {"english": "en", "anglais": "en", "in english": "en", "francais": "fr",
                  "french": "fr", "en francais": "fr", "in french": "fr"}  # fmt: skip

# "annuler tout", "cancel everything": every delivery, standing orders included
ALL_WORDS = ("tout", "toutes", "tous", "all", "everything")

# dropping the request in progress ("laisse tomber")
DROP_WORDS = ("laisse tomber", "oublie", "oubliez", "annule", "annuler", "annulez", "non merci",
              "rien", "never mind", "forget it", "cancel", "nothing", "no thanks",
              "pas la peine", "tant pis")  # fmt: skip

# erasing one's data (OUBLIER)
FORGET_WORDS = frozenset({"oublier", "oubliez moi", "oublie moi", "effacer mes donnees",
                          "supprimer mes donnees", "forget me", "delete my data",
                          "erase my data", "forget"})  # fmt: skip

# words that pick an offered choice besides its label, by choice value
CHOICE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "add": (
        "ajouter",
        "ajoute",
        "ajoutez",
        "ajout",
        "rajouter",
        "rajoutez",
        "en plus",
        "add",
        "more",
        "plus",
        "les deux",
        "both",
        "on top",
        "in addition",
        "as well",
        "extra",
        "aussi",
        "too",
        "avec celles",
        "avec ceux",
        "avec celle",
        "avec celui",
    ),
    "replace": (
        "remplacer",
        "remplace",
        "remplacez",
        "changer",
        "change",
        "replace",
        "instead",
        "a la place",
    ),
    "cancel": (
        "annuler",
        "annule",
        "annulez",
        "supprimer",
        "cancel",
        "remove",
        "delete",
        "non",
        "no",
    ),
    "keep": ("garder", "garde", "gardez", "conserver", "keep", "oui", "yes"),
}

# an addition to the order in progress or just made
ADDING = ("rajoute", "rajoutez", "rajouter", "ajoute", "ajoutez", "ajouter", "aussi", "en plus",
          "egalement", "also", "too", "as well", "add", "another", "extra", "en rab",
          "de plus")  # fmt: skip

# "comme d'habitude": last week's order again
USUAL = ("comme d habitude", "comme dhabitude", "comme d hab", "comme dhab", "comme toujours",
         "cmme dhab", "cmme d hab", "cm dhab", "cm d hab", "come dhab", "comme dab",
         "pareil que", "la meme chose",
         "meme chose que", "meme commande", "comme la semaine derniere", "same as last",
         "the usual", "as usual", "same again", "same as before", "my usual",
         "habituelle", "habituel")  # fmt: skip

# moving an order: "changer mardi pour mercredi"
MOVE_VERBS = frozenset({"changer", "changez", "change", "deplacer", "deplacez", "decaler",
                        "deplace", "deplacee", "decale", "decalee", "reporte", "reportee",
                        "decalez", "reporter", "reportez", "avancer", "avancez", "move",
                        "moving", "switch", "shift", "postpone", "bouger"})  # fmt: skip

# what a coordinator must see at once: health and safety
ALERT_FR = ("tombe", "tombee", "grippe", "covid", "chute", "hopital", "hospitalise", "hospitalisee",
            "urgence", "urgences", "samu", "pompiers", "ambulance", "malaise", "blesse",
            "blessee", "douleur", "douleurs", "mal au", "mal a la", "mal aux", "mal au dos",
            "du mal a", "malade", "fievre", "vertige", "vertiges", "operation", "operee",
            "opere", "infirmiere", "ne peux plus marcher", "peux plus bouger", "au secours",
            "aidez moi", "seule depuis", "personne ne vient", "sens pas bien", "suis pas bien",
            "vais pas bien", "sens pas tres bien", "patraque",
            "peux plus me lever", "alitee", "alite", "bronchite", "pneumonie")  # fmt: skip
ALERT_EN = ("fell", "fallen", "fall", "slipped", "sore", "bruised", "broke", "broken",
            "hospital", "flu", "covid", "ambulance", "emergency", "hurt", "injured",
            "pain", "sick", "ill", "unwell", "fever", "dizzy", "surgery", "operation",
            "can t walk", "cannot walk", "help me", "nurse", "poorly", "bad back",
            "can t get out of bed", "can t get up", "cannot get up", "bedridden",
            "under the weather", "not well", "not feeling well", "bad chest",
            "chest infection", "bronchitis", "pneumonia")  # fmt: skip
# a delivery that did not come
DELIVERY_MISSED = ("personne n est passe", "personne n est venu", "personne est passe",
                   "personne est venu", "pas ete livre", "pas ete livree", "rien recu",
                   "pas recu", "jamais recu", "jamais arrive", "oublie de passer",
                   "m avez oublie", "m avez oubliee", "nobody came", "no one came",
                   "didn t come", "did not come", "never came", "never arrived",
                   "not delivered", "didn t get", "did not get", "forgot me")  # fmt: skip
# access to the flat: kept on the person for the volunteers
ACCESS = ("code", "digicode", "interphone", "sonnette", "door code", "buzzer", "entry code",
          "gate code", "nouvelle adresse", "demenage", "demenagee", "new address",
          "moved to", "cle chez", "key with", "change d appartement", "changee d appartement",
          "nouvel appartement", "new flat", "changed flats", "moved flats")  # fmt: skip

# a question about the service (answered from the site's FAQ)
QUESTION_OPENERS = ("est ce que", "est ce qu", "combien", "quand", "quel", "quelle", "quels",
                    "quelles", "pourquoi", "comment", "do you", "does it", "is it", "is there",
                    "when", "what time", "how much", "which", "can i", "how do")  # fmt: skip
FAQ_TOPICS: dict[str, tuple[str, ...]] = {
    "cost": ("gratuit", "gratuite", "payer", "payant", "paye", "coute", "coutent", "prix",
             "tarif", "combien ca", "combien je dois", "free", "cost", "costs", "pay", "price",
             "charge", "how much is", "how much does"),
    "time": ("quelle heure", "a quelle heure", "quand passez", "quand vous passez",
             "quand est ce que vous passez", "heure de passage", "le matin", "l apres midi",
             "what time", "when do you come", "when will you come", "when will the",
             "what hour", "morning or", "what time do"),
    "days": ("quels jours", "quel jour vous", "le dimanche", "dimanche", "le week end",
             "tous les jours", "which days", "what days", "on sunday", "sunday", "sundays",
             "weekends", "every day"),
    "items": ("que peut on commander", "qu est ce que je peux commander", "quoi commander",
              "qu est ce qu on peut", "que proposez", "quels produits", "what can i order",
              "what do you deliver", "what can you bring", "what can i get"),
}  # fmt: skip
