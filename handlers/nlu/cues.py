"""The phrases that tell one intent from another, French and English, as regular expressions.

They run on the folded text (lower-case ASCII, apostrophes and hyphens turned into spaces: "j'ai"
is "j ai", "don't" is "don t"), so every pattern is written in that form. Each cue is a fact about
the message; `intents.decide` weighs them. Keeping them here, apart from the decisions, lets a
reader check a phrase list without reading control flow.
"""

from __future__ import annotations

import re


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


# --- opting out (STOP) -----------------------------------------------------------------------

# Twilio acts on these exact words itself; "arret" is the French habit. Politeness may follow.
# "cancel" is one of them, but "please cancel" is about an order: politeness goes with the others.
OPT_OUT_WORDS = frozenset(
    {
        "stop",
        "stopall",
        "unsubscribe",
        "end",
        "quit",
        "revoke",
        "optout",
        "cancel",
        "arret",
        "arrete",
        "arreter",
        "arretez",
        "desinscription",
        "desabonnement",
    }
)
OPT_OUT_PAIRS = frozenset(
    {
        ("opt", "out"),
        ("stop", "all"),
        ("stop", "sms"),
        ("stop", "messages"),
        ("stop", "message"),
        ("stop", "msg"),
        ("stop", "textos"),
        ("stop", "texto"),
        ("stop", "texts"),
        ("stop", "notifications"),
        ("arret", "sms"),
        ("stop", "tout"),
        ("arret", "messages"),
    }
)
RESUME_WORDS = frozenset({"start", "unstop", "restart", "resume"})
POLITENESS = frozenset(
    {
        "merci",
        "svp",
        "stp",
        "please",
        "thanks",
        "thank",
        "you",
        "s",
        "il",
        "vous",
        "plait",
        "te",
        "beaucoup",
        "?",
    }
)
STOP = _rx(
    r"\b(?:desinscri\w*|desabonn\w*|unsubscri\w*|unsuscribe|opt\sout|optout)\b",
    r"\b(?:plus|pas)\s(?:jamais\s)?(?:recevoir|avoir)\s(?:de|d|vos|les|des|ces|aucun)\s"
    r"(?:\w+\s)?(?:messages?|sms|textos?|notifications?|alertes?|nouvelles)\b",
    r"\b(?:arret\w*|stop\w*|cess\w*)\s(?:de\s|d\s)?(?:m\s|me\s|nous\s)?(?:envoyer|ecrire|contacter"
    r"|harceler|spammer|les\smessages|vos\smessages|les\ssms|vos\ssms|messages?|sms|textos?)\b",
    r"\bne\s(?:m|me)\s(?:envoyez|ecrivez|contactez|textez)\splus\b",
    r"\b(?:stop|quit|don\st|do\snot|no\smore|never)\s(?:sending|texting|messaging|text|message"
    r"|contact|send)\w*\b",
    r"\b(?:remove|delete|take)\sme\s(?:from|off)\s(?:the\s|this\s|your\s)?(?:list|service|system|register"
    r"|database|texts?|messages?|mailing)\b|\b(?:remove|delete|take)\sme\s(?:from|off)(?:\s\w+)?$",
    r"\b(?:ne\s|n\s)?(?:veux|voudrais|souhaite|desire|ai)\s(?:plus|pas)\s(?:besoin\s(?:de|du|d)\s)?"
    r"(?:de\s|d\s)?(?:du\s|de\s|d\s|votre\s|vos\s|le\s|ce\s|ton\s|cette\s)?(?:service|services"
    r"|inscription|association)\b",
    r"\b(?:arret\w*|quitt\w*)\s(?:le|ce|votre)\sservice\b|\bplus\sfaire\spartie\b",
    r"\b(?:veux|voudrais|souhaite|desire)\s(?:plus|pas)\s(?:de\s|d\s)?(?:vos\s|ces\s|les\s|tous\sces\s)?"
    r"(?:messages?|sms|textos?|notifications?)\b",
    r"\b(?:don\st|do\snot)\s(?:want|need)\s(?:these|your|the|any|more|those)\s(?:\w+\s)?(?:texts?"
    r"|messages?|sms)\b",
    r"\b(?:don\st|do\snot)\s(?:want|need)\s(?:the|this|your)\sservice\b",
    r"\b(?:stop|cancel|end|quit)\s(?:the|this|my|your)\s(?:service|subscription|messages?|texts?)\b",
    r"\bstop\s(?:all\s|these\s|those\s)(?:\w+\s)?(?:messages?|texts?|sms|notifications?)\b",
    # (not "je ne veux plus être livré le samedi": that weekday only)
    r"\bne\s(?:veux|souhaite|desire)\splus\s(?:etre\s)(?:livree?s?|servie?s?|inscrite?s?|aidee?s?)\b"
    r"(?!\s(?:le|les|la|ce|cette|du|de|pendant|jusqu|lundi|mardi|mercredi|jeudi|vendredi|samedi|demain)\b)"
    r"|\bno\slonger\s(?:want|wish)\sto\sbe\s(?:delivered|on\sthe\slist|signed\sup)\b"
    r"(?!\s(?:on|this|next|until|during|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?)\b)",
    # taken off the lists, for good: "retirez-moi de la liste", "ne me livrez plus jamais"
    r"\b(?:retire[rz]?|retirez|rayez|enleve[rz]?|supprime[rz]?|effacez)\s(?:moi|me)\s(?:de|des|du)\s"
    r"(?:la\s|vos\s|votre\s|les\s)?(?:liste|listes|fichier|service|livraisons?)\b",
    r"\bne\s(?:me\s|m\s)?(?:livrez|apportez)\splus\s(?:jamais|rien|du\stout)\b(?!\s(?:le|les|la|l|ce|"
    r"cette|demain|jusqu|avant|pendant|du|au|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche))"
    r"|\bplus\sjamais\sde\slivraisons?\b(?!\s(?:le|les|du|pour\sle|the|on)?\s?(?:lundi|mardi|mercredi"
    r"|jeudi|vendredi|samedi))",
    r"\b(?:arret\w*|stop\w*)\smes\slivraisons\set\s(?:les\s|mes\s)?(?:messages?|sms)\b",
    r"\bne\s(?:veux|souhaite|desire)\splus\srien\srecevoir\b|\bne\splus\srien\srecevoir\b"
    r"|\b(?:don\st|do\snot)\swant\sto\sreceive\sanything\b",
    r"\bplus\sbesoin\sde\s(?:vous|vos\sservices?|votre\sservice|vos\slivraisons)\b(?!\s(?:le|les|la|l|ce"
    r"|cette|demain|jusqu|avant|pendant|du|au|pour|lundi|mardi|mercredi|jeudi|vendredi|samedi))"
    r"|\b(?:no\slonger|don\st|do\snot)\sneed\s(?:you|your\sservice|the\sservice|your\sdeliveries)"
    r"(?:\sany\s?more)?\b(?!\s(?:on|for|until|this|next|tomorrow|monday|tuesday|wednesday|thursday"
    r"|friday|saturday))",
    r"\b(?:arret\w*|stop\w*)\s(?:mes\s|les\s)livraisons\s(?:definitivement|pour\stoujours|pour\sde\sbon)\b",
    r"\b(?:me|m|la|le|nous|l)\s(?:retirer|enlever|supprimer|rayer|desinscrire)\s(?:de|des|du)\s"
    r"(?:la\s|vos\s|votre\s|les\s|cette\s)?(?:liste|listes|fichier|service|livraisons?)\b",
    r"\b(?:retirez|enlevez|supprimez|rayez|effacez)\s(?:mon|son|notre)\snom\b"
    r"|\b(?:veux|souhaite|voudrais)\splus\s(?:participer|en\sfaire\spartie)\b",
    r"\b(?:remove|delete|take)\s(?:me|her|him|us|my\sname|my\smother|my\sfather)\s(?:from|off)\s"
    r"(?:\w+\s){0,3}(?:list|lists|service|register|rota)\b",
    r"\b(?:stop|cancel|end)\s(?:all\s)?(?:my\s)?deliveries\s(?:for\sgood|permanently|and\s(?:the\s)?"
    r"(?:messages?|texts?))\b|\bnever\sdeliver\b|\bdon\st\sdeliver\s(?:anymore|any\smore)\b",
)

# "arrêtez tout": STOP, unless a day or an absence says it is a pause ("… à partir de demain,
# je pars en voyage")
HALT_ALL = _rx(r"\b(?:arret\w*|stop\w*)\stout\b")

# --- complaints and problems (the coordinator must see them) ---------------------------------

COMPLAINT = _rx(
    r"\b(?:pas|jamais|toujours\spas|rien)\s(?:ete\s)?(?:recu|recue|recus|eu|eue|livre|livree"
    r"|livres|arrive|arrivee|vu(?!\s(?:votre|vos|le|les|ton|tes|your)\s(?:message|messages|sms|texto"
    r"|question|reponse)))\b",
    r"\b(?:est|etait|sont|etaient|a)\s(?:pas|jamais)\s(?:ete\s)?(?:venu|venue|venus|passe|passee"
    r"|passes|arrive|arrivee|arrives|livre|livree|la(?!\speine)|venue)\b",
    r"\bpersonne\s(?:n\s)?(?:est|a)\s(?:venu|passe|sonne|livre|apporte|depose|amene)\b",
    r"\b(?:vous\savez|avez\svous|on\sm\sa|il\sa|elle\sa|ils\sont|livreur\sa|benevole\sa"
    r"|vous\sm\savez|a\sete|m\sa)\s(?:encore\s|completement\s)?oubli\w*\b",
    r"\boubli(?:e|ee|es|ees)\s(?:mon|ma|mes|de\sme\slivrer|de\spasser|de\sm\sapporter)\b",
    r"\bmanqu(?:ait|aient|e\sune|e\sun|e\s\d)\b|\bil\s(?:me\s|m\s|nous\s)?manqu\w*\s(?:encore\s)?(?:le|la"
    r"|les|l|un|une|mon|ma|mes|\d)\b",
    r"\b(?:n\s)?(?:etait|etaient|est|sont)\spas\s(?:dans|devant|sur|a\sla|a\sma)\b"
    r"|\b(?:wasn\st|was\snot|weren\st|were\snot|isn\st|is\snot)\s(?:in|at|on|outside)\b",
    r"\bn\sy\savait\s(?:pas|plus|rien)\b|\bthere\s(?:was|were)\s(?:no|nothing)\b"
    r"|\bthere\s(?:wasn|weren)\st\b",
    r"\b(?:etait|etaient|est|sont|arrive|arrivee|arrives)\s(?:tout\s|toute\s|toutes\s|tres\s"
    r"|trop\s|un\speu\s|completement\s|encore\s)*(?:rassis|rassise|dur|dure|durs|mouille|mouillee"
    r"|mouilles|trempe|trempee|abime|abimee|abimes|casse|cassee|casses|ecrase|ecrasee|sale|sales"
    r"|perce|percee|ouvert|ouverte|froid|brule|brulee|moisi|moisie|pas\sbon|pas\sbonne|pas\sfrais"
    r"|eclate|eclatee|dechire|dechiree|fendu|fendue|renverse|renversee|troue|trouee|enfonce|enfoncee"
    r"|pas\sfraiche|immangeable|mauvais|mauvaise|degoutant|vide|tombe|vole|volee|trop\scuit\w*"
    r"|pas\sassez\scuit\w*)\b(?!\s(?:a|de)\s[a-z]+er\b)",
    r"(?<!fait\sune\s)\berreur\b|(?<!me\ssuis\s)(?<!\bme\s)(?<!\bm\s)\btrompe\w*\b|\bpas\sle\sbon\b|\bpas\sla\sbonne\b"
    r"|\bplainte\b|\breclam\w*\b|\bpas\scontente?\b|\bmecontent\w*\b|\binadmissible\b"
    r"|\bscandal\w*\b|\binacceptable\b",
    r"\bsonne\w*\s(?:trop\stot|trop\stard|a\s\d)\b|\breveill(?:e|ee|er|ez|ait|es)\b",
    r"\b(?:recu|recus|eu|livre|livres|apporte|donne|avait|received|got|delivered|brought|there"
    r"\swas|there\swere)\b.*"
    r"\b(?:au\slieu\sd|au\slieu\sde|instead\sof)\b",
    r"\b(?:didn\st|did\snot|haven\st|have\snot|hasn\st|has\snot|never|not|wasn\st|weren\st)\s"
    r"(?:had\s(?:any|my|the|a)|get|got|receive|received|come|came|arrive|arrived|been\sdelivered|delivered|turn\sup"
    r"|turned\sup|show\sup|showed\sup)\b",
    r"\b(?:no\sone|nobody|noone)\s(?:has\s|had\s)?(?:came|come|been|delivered|brought|showed|turned|rang"
    r"|dropped|left|knocked)\b(?!\s(?:\w+\s)?(?:to\s)?(?:visit|see|talk|chat))",
    r"\b(?:you|they|he|she|volunteer|driver|someone)\s(?:\w+\s)?forg[oe]t\w*\b",
    r"\bmissing\b|\ba\s(?:encore\s)?oublie\w*\s(?:de|le|la|l|les|mon|ma|mes)\b(?!\s(?:dire|preciser|demander"
    r"|mentionner|ajouter|vous\sdire))|\bforgot\s(?:the|my|to|our)\b(?!\s(?:say|mention|tell|ask|add))",
    r"\b(?:there\s(?:was|were)|il\sy\s(?:avait|a\seu)|i\s(?:got|had|received|found)|j\sai\s(?:eu|recu|trouve)"
    r"|on\sm\sa\s(?:livre|apporte|laisse|mis))\s(?:\w+\s){0,3}(?:extra|en\strop|de\strop|too\smany|one\smore"
    r"\sthan)\b|\b(?:en|de)\strop\sdans\b",
    r"\b(?:livre|livree|livres|arrive|arrivee|recu|recue|delivered|arrived)\s(?:\w+\s)?(?:perce|percee|casse"
    r"|cassee|abime|abimee|ouvert|ouverte|ecrase|ecrasee|mouille|mouillee|dechire|dechiree|eclate|eclatee"
    r"|rassis|rassise|dur|dure|broken|damaged|split|burst|open|squashed|wet|stale)\b",
    r"\b(?:didn\st|did\snot|never|haven\st|have\snot|hadn\st)\s(?:order|ordered|ask\sfor|asked\sfor"
    r"|want|wanted)\b|\b(?:n\s)?(?:ai|avais)\s(?:pas|jamais|rien)\s(?:commande|demande)\b",
    r"\b(?:was|were|is|are|arrived|came)\s(?:all\s|very\s|too\s|completely\s|a\sbit\s)*(?:stale"
    r"|wet|soaked|broken|damaged|hard|opened|burnt|burned|mouldy|moldy|squashed|crushed|cold"
    r"|empty|late|wrong|leaking|torn|ripped|stolen|not\sthere|split|burst|bust|punctured|dented|leaked"
    r"|smashed|dropped|squished|open|soggy|mouldy|flat)\b",
    r"\b(?:wrong|mistake|complain\w*|not\shappy|unhappy|unacceptable)\b",
)
# Still waiting: "où est mon pain ?", "toujours rien", "still nothing", "not here yet".
WAITING = _rx(
    r"\bwhere\s(?:has|have|did|d)\s(?:my|the|our)\b|\bgot\sto\s?\?|"
    r"\b(?:ou\s(?:est|sont)|where\s(?:is|s|are|re)|whereabouts\sis)\s(?:donc\s|passe\w*\s)?"
    r"(?:mon|ma|mes|le|la|les|l|my|the|our)\b",
    r"\bque\sse\spasse\s(?:t\s)?il\b|\bwhat\s(?:s|is)\s(?:happening|going\son)\b|\bwhat\shappened\b"
    r"|(?<!lundi\s)(?<!mardi\s)(?<!mercredi\s)(?<!jeudi\s)(?<!vendredi\s)(?<!samedi\s)(?<!mais\s)"
    r"\btoujours\s(?:pas|rien|personne)\b(?!\s(?:jusqu|pendant|until|till))"
    # (nor "remettez mes baguettes jeudi, mais toujours pas d'eau": the change kept)
    # (but "toujours pas d'eau le samedi": a change kept, for the days to come)
    r"(?!\s(?:de\s|d\s)?(?:\w+\s){0,2}(?:le|les)\s(?:lundi|mardi|mercredi|jeudi|vendredi|samedi)s?\b)"
    r"|\bstill\s(?!no\s(?:\w+\s){0,2}on\s(?:mondays?|tuesdays?|wednesdays?|thursdays?|fridays?"
    r"|saturdays?)\b)(?:no|nothing|not|nobody|no\sone|waiting"
    r"|hasn\st|haven\st|isn\st|aren\st)\b",
    r"\b(?:j\s|on\s)?attends?\s(?:toujours|encore|depuis)\b|\bwaiting\s(?:for|since)\s(?:my|the|our"
    r"|\d)",
    r"\bpas\sencore\s(?:arrive\w*|la|recu\w*|livre\w*|venu\w*|passe\w*)\b",
    r"\b(?:not|isn\st|hasn\st|haven\st|aren\st|has\snot|have\snot|is\snot)\s(?:\w+\s)?(?:here"
    r"|arrived|come|turned\sup|been)\syet\b",
    r"\b(?:et|and)\s(?:toujours\s|still\s)?(?:rien|nothing|personne|nobody|no\sone)\b(?!\s(?:at\sall\s|du\stout\s)?(?:d\sautre"
    r"|else|de\splus|pour|for|on|le|la|demain|tomorrow|lundi|mardi|mercredi|jeudi|vendredi|samedi"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|ce|cette|this|next))",
)
# Another tenant's delivery, or the wrong door: "I got someone else's order".
MISDELIVERED = _rx(
    r"\b(?:someone|somebody|quelqu\sun)\s(?:else\s?s?|d\sautre)\b|\bune\sautre\spersonne\b"
    r"|\bun\sautre\snom\b|\banother\s(?:name|person\s?s?)\b",
    r"\b(?:n\s)?(?:est|etait|c\sest)\spas\s(?:ma|mon|mes|a\smoi|pour\smoi|la\smienne|le\smien)\b"
    r"|\b(?:isn\st|wasn\st|not)\s(?:mine|my\sorder|for\sme|my\sbread|my\swater)\b",
    r"\bbelongs?\sto\b|\bappartient\sa\b|\bmeant\sfor\s(?:flat|number|someone|another|my|the)\b"
    r"|\bneighbou?rs?\s(?:s\s)?(?:order|bread|water|loaf|loaves|delivery|shopping)\b"
    r"|\b(?:commande|pain|eau|baguettes?|livraison|packs?|sac)\s(?:du|de\sla|de\sma|de\smon|d\sun|d\sune"
    r"|de\smes|des)\s(?:voisin\w*|autres?\s(?:dame|monsieur|personne|locataire))\b",
)
# An order compared with what came: "j'ai reçu 2 packs mais j'en avais commandé un".
ORDERED_EARLIER = _rx(
    r"\b(?:avais|aviez|had|i\sd)\s(?:\w+\s){0,2}(?:commande|demande|ordered|asked\sfor|voulu)\b",
    r"\b(?:en\s)?voulais\s(?:que\s|qu\s|seulement\s|juste\s)?(?:\d|un|une)\b|\bwanted\s(?:only\s)?(?:\d"
    r"|one|two|three)\b",
)
ORDERED_BEFORE = _rx(
    r"\b(?:ai|j\sai|i|i\sve|i\shave)\s(?:\w+\s)?(?:commande|demande|ordered|asked\sfor)\b",
    r"\b(?:en\s)?voulais\s(?:qu\s|que\s)?(?:un|une|1|\d)\b|\bonly\s(?:wanted|ordered|asked\sfor)\b",
)
RECEIVED = _rx(
    r"\b(?:recu|recue|recus|eu|eue|livre|livree|livres|apporte|apportee|apportes|amene|depose"
    r"|got|received|delivered|brought|came|left|sent|envoye|envoyee|envoyes)\b",
)
# Ordered, then received: "I ordered 2 packs and got 3" (a thank-you says "bien reçu" instead).
ORDERED_THEN_RECEIVED = _rx(
    r"\b(?:commande|demande|ordered|asked\sfor)\b.*\b(?:(?:and|et|but|mais)\s(?:i\s|j\sai\s|j\sen\sai\s"
    r"|on\sm\sa\s|only\s|got\sonly\s)?(?:got|received|recu|eu|livre|apporte))\b"
)
# A refusal said of one item beside another asked for: "une baguette, l'eau c'est pas la peine".
REFUSAL = _rx(
    r"\bnon\smerci\b|\bno\sthank(?:s|\syou)\b|\bj\sen\sai(?!\s(?:besoin|plus|pas|eu|recu))\b"
    r"|\bi\s(?:ve\s|have\s)?(?:got|have)\s(?:some|enough|plenty)\b|\b(?:s|is|are)\s(?:fine|ok|okay)\b"
    r"|\bca\s(?:va|ira)\b|\bc\sest\sbon\spour\b|\bsuffit\b|\bi\sm\s(?:fine|ok|good|set)\sfor\b"
    r"|\bon\sverra\b|\bwe\s(?:ll|will)\ssee\b|\bplus\stard\b|\bune\sautre\sfois\b|\bpas\spour\sl\sinstant\b"
    r"|\bpas\smaintenant\b|\bnot\s(?:yet|now|for\snow)\b|\blater\b|\b(?:non|no)$"
    r"|\b(?:i\sm|i\sam|we\sre|we\sare)\s(?:\w+\s)?(?:fine|ok|okay|alright|all\sright|good|set|covered|sorted)"
    r"\s(?:for|on|with)\b|\bleave\sout\b|\bwithout\b|\benough\b|\bsuffi\w*\b"
)
CONTRAST = _rx(r"\b(?:mais|but|alors\sque|whereas|while|yet|instead|au\slieu|seulement|only)\b")
# A remark on how the delivery is made, for next time: "trop lourd", "montez-le jusqu'à la
# cuisine", "leave it inside the door". The coordinator reads it; nothing is ordered.
HANDLING = _rx(
    r"\btrop\s(?:lourd\w*|gros|grosse|encombrant\w*)\b|\btoo\s(?:heavy|big|bulky)\b"
    r"|\b(?:est|sont|is|are|c\sest)\s(?:\w+\s)?(?:lourde?s?|heavy)\b",
    r"\brentrer\s(?:\w+\s){0,2}dans\b|\bmonter\s(?:\w+\s){0,2}(?:jusqu|a\sl|au\s\d|chez)\b"
    r"|\b(?:bring|take|carry)\s(?:\w+\s){0,2}up\s(?:to|the|stairs)\b|\bup\sto\s(?:the|my)\s(?:flat"
    r"|door|kitchen)\b|\bdownstairs\b|\ben\sbas\sde\sl\simmeuble\b|\bau\srez\sde\schaussee\b",
    r"\bjusqu\s(?:a|dans|en)\s(?:la\s|ma\s|l\s|mon\s|le\s)?(?:cuisine|entree|porte|appartement"
    r"|salon|haut|chez\smoi|etage)\b|\bdans\s(?:la|ma|l|mon)\s(?:cuisine|entree|salon|couloir)\b",
    r"\bdans\sle\ssac\b|\bsur\sle\s(?:palier|paillasson|pas\sde\sla\sporte)\b|\bdevant\sla"
    r"\sporte\b|\ba\sl\sinterieur\b|\bchez\s(?:la|le|ma|mon)\s(?:voisin\w*|gardien\w*|concierge)\b"
    r"|\bla\sprochaine\sfois\b|\bnext\stime\b",
    r"\b(?:plutot\sque\sde|sans)\ssonner\b|\bne\spas\ssonner\b|\bsonnez\spas\b",
    r"\b(?:inside|indoors|upstairs)\b|\b(?:in|into|to)\s(?:the|my)\s(?:kitchen|hall|hallway|bag"
    r"|flat|lounge)\b|\bon\sthe\s(?:doorstep|landing|step|mat)\b|\b(?:by|at|outside)\sthe\sdoor\b"
    r"|\bwith\s(?:the|my)\sneighbou?r\b|\bnext\sdoor\b|\bletter\s?box\b|\bporch\b|\bdoor\shandle\b"
    r"|\bboite\saux\slettres\b|\ben\sbas\b|\bau\slieu\sde\sl[ae]s?\s(?:laisser|poser|deposer|mettre)\b"
    r"|\bthrough\sthe\s(?:door|window)\b",
    r"\b(?:don\st|do\snot|no\sneed\sto)\sring\b|\binstead\sof\sringing\b",
)
# A slip of one's own, not a complaint: "I made a mistake, cancel that order".
SELF_MISTAKE = _rx(
    r"\b(?:i|j)\s(?:\w+\s)?(?:made|ai\sfait|have\smade|ve\smade)\s(?:a|une)\s(?:\w+\s)?"
    r"(?:mistake|erreur|boulette|betise)\b",
    r"\bmy\s(?:mistake|bad|error|fault)\b|\berreur\sde\sma\spart\b|\bma\sfaute\b"
    r"|\bme\ssuis\s(?:\w+\s)?trompe\w*\b|\bi\s(?:got\sit|got\sthat|was|typed\sit)\swrong\b"
    r"|\bi\s(?:got|had|put|gave|wrote)\sthe\s(?:date|day|days|dates|number)\swrong\b"
    r"|\bwrong\s(?:date|day)\b|\bmauvaise\s(?:date|jour)\b|\btrompee?\sde\s(?:date|jour)\b"
    r"|\b(?:got|put|have|had|did)\s(?:them|it|those|the\sdays|that)\s(?:\w+\s)?(?:the\s)?wrong\sway"
    r"|\bmixed\s(?:them|it|those|the\sdays)\sup\b"
    r"|\bwrong\s(?:button|key|number\sof|message|text|conversation|chat)\b|\bpar\serreur\b"
    r"|\bby\smistake\b|\bsent\s(?:it|this|that|the\smessage)\s(?:by\s(?:mistake|accident|error)|too\searly|twice)\b|\bmauvais\s(?:message|bouton|numero)\b",
    r"\b(?:oops|oups|sorry|desolee?s?|pardon|excusez\smoi|my\sapologies)\s(?:\w+\s){0,2}(?:wrong|mistake"
    r"|erreur|trompe\w*)\b",
    # "non c'était une erreur, je voulais dire samedi", "that was a mistake, I meant Friday"
    r"\b(?:non|no|pardon|sorry|oups|oops)\s(?:\w+\s)?(?:c\s(?:etait|est)|that\s(?:was|is)|it\swas)"
    r"\s(?:une|a)\s(?:erreur|mistake)\b",
    r"\b(?:c\s(?:etait|est)|that\s(?:was|is)|it\swas)\s(?:une|a)\s(?:erreur|mistake)\b(?=.*\b(?:je\svoulais"
    r"\sdire|je\sveux\sdire|i\smeant|i\smean|plutot|rather|c\sest\spour|it\sis\sfor)\b)",
)
# Someone else asks through the tenant: "ma voisine aimerait aussi du pain" (not the account's).
THIRD_PARTY = _rx(
    r"\b(?:ma|mon|my|une|un|a|our|notre)\s(?:voisine?s?|neighbou?rs?|amie?s?|friends?|copines?|copains?"
    r"|connaissances?)\s(?:\w+\s)?(?:aimerait|aimeraient|voudrait|voudraient|souhaite\w*|veut|veulent"
    r"|would\slike|wants?|would\slove|needs?|a\sbesoin|ont\sbesoin|demande)\b",
)
# The tenant asks for themself: "je voudrais", "I'd like", "pour moi".
FIRST_PERSON_REQUEST = _rx(
    r"\b(?:je|j)\s(?:voudrais|veux|souhaite|aimerais|prendrai|prends)\b|\bpour\smoi\b"
    r"|\bi\s(?:d\slike|would\slike|want|need|ll\stake)\b|\bfor\sme\b|\bme\s(?:too|aussi)\b"
    r"|\bmoi\saussi\b",
)
# Deliveries to start again: "vous pouvez reprendre les livraisons", "I'm back, start again".
RESUME = _rx(
    r"\breprendre\s(?:les\s|mes\s|la\s|ma\s)?(?:livraisons?|commandes?)\b|\brecommencer\s(?:les|mes|a)\b"
    r"|\breprise\sdes\slivraisons\b|\b(?:start|restart|resume|turn\son)\s(?:my\s|the\s)?(?:deliveries"
    r"|delivery|bread|water|orders?)\b|\bstart\s(?:again|back\sup)\b|\bcan\srestart\b"
    r"|\b(?:continuer|recommencer)\sa\s(?:recevoir|etre\slivree?)\b|\btrompee?\sde\stouche\b"
    r"|\b(?:livraisons?|commandes?)\s(?:de\s\w+\s(?:et\s(?:d\s)?\w+\s)?)?(?:recommencent|reprennent)\b"
    r"|\bchanged\smy\smind\b|\bkeep\s(?:getting|receiving)\b",
)
# Changing an order already placed: "I meant water not bread, can you change it?" (the coordinator
# does it; read as a new order it would add one).
MODIFY = _rx(
    r"\b(?:change|changer|changez|modifier|modifiez|modify|amend|swap|remplacer|remplacez)\s(?:\w+\s)?"
    r"(?:it|ma|mon|mes|my|la|le|l|the|order|commande|cela|ca)\b|\bi\smeant\b|\bje\svoulais\sdire\b",
)
# A volunteer writing about their own round: for the team, not a tenant's request.
VOLUNTEER_SELF = _rx(
    r"\b(?:je\ssuis|j\ssuis|suis)\s(?:une?\s)?benevole\b|\b(?:ma|notre)\stournee\b"
    r"|\bvolunteer\shere\b|\bi\s(?:m|am)\sa\svolunteer\b|\bmy\s(?:delivery\s)?(?:round|rounds)\b",
)
# Not our business: moving house, and messages from robots (parcels, prizes, accounts).
MOVING = _rx(
    r"\bmoving\s(?:in)?to\s(?:a|an|the)\s(?:care\shome|home|nursing\shome|retirement|new|flat|house)\b"
    r"|\b(?:going|go)\sinto\s(?:a\s)?(?:care|nursing)\shome\b|\b(?:entre|entrer|part|partir|aller|vais)\s(?:en|dans"
    r"\sun)\s(?:ehpad|maison\sde\sretraite)\b|"
    r"\bdemenag\w*\b|\bmoving\s(?:house|out|home|flat|away|in\swith|to\sa\snew|to\sanother)\b"
    r"|\bmove\s(?:house|out|in\swith|to\sa\snew|to\sanother)\b|\bnew\saddress\b"
    r"|\b(?:moving|relocating)\s(?:back\s)?to\s(?!(?:see|visit|the|a\sday|another|next|tomorrow|monday"
    r"|tuesday|wednesday|thursday|friday|saturday|sunday)\b)[a-z]+\b"
    r"|\b(?:vivre|habiter|m\sinstaller|s\sinstaller)\s(?:chez|avec|dans\sune|en\smaison)\b"
    r"|\b(?:go\sand\s)?live\swith\s(?:my|her|his)\b|\bgoing\sto\slive\b"
    r"|\bnouvelle\sadresse\b|\bchang\w*\sd\sadresse\b|\bquitt\w*\s(?:la\sresidence|l\simmeuble"
    r"|mon\sappartement|le\slogement)\b|\bleaving\sthe\s(?:residence|building|flat)\b",
)
SPAM = _rx(
    r"\b(?:colis|parcel|votre\spaquet|your\spackage)\b",
    r"\b(?:felicitations|congratulations|vous\savez\sete\sselectionne\w*|you\s(?:have|ve)\s(?:won"
    r"|been\sselected)|vous\savez\sgagne|gagnant|winner|prize)\b",
    r"\b(?:cliquez|cliquer|click|tap)\s(?:ici|sur|here|on|the)\b|\b(?:confirmez|confirm|verifiez"
    r"|verify|validez|mettez\sa\sjour|update)\s(?:vos|your)\s(?:informations|coordonnees|details"
    r"|identifiants|account|compte|donnees)\b",
    r"\b(?:votre|your)\s(?:compte|account|carte\svitale|carte\sbancaire|bank|banque|cpf|ameli"
    r"|dossier\scaf)\s(?:\w+\s){0,3}(?:suspendu|bloque|expire|mis\sa\sjour|suspended|blocked"
    r"|locked|expired|updated|verifie|doit)\w*\b",
    r"\bfrais\sde\s(?:livraison|port|douane|reexpedition)\b|\b(?:delivery|customs|redelivery)\sfee\b",
)

# Words of trouble: with them a greeting is no longer small talk.
TROUBLE = _rx(
    r"\b(?:fuit|fuite|panne|cass\w*|tombee?|malade|douleur|mal|urgent\w*|urgence|probleme"
    r"|problemes|souci|soucis|inquiet\w*|peur|bless(?:e|ee|es|ees|ure|ures)|pompiers?|police|cambriol\w*|bruit"
    r"|proprio|bailleur|loyer|chauffage|radiateur|ascenseur|electricite|serrure|clef|cle|chute"
    r"|leak|broken|fell|fallen|sick|hurt|emergency|problem|worried|heating|lift|elevator|noise"
    r"|rent|stuck|lost|partout|everywhere|inond\w*|flood\w*|degats?|fuites?|leaking|ambulance"
    r"|samu|hopital\sen\surgence)\b",
    r"\b(?:ne\s|n\s)?(?:marche|marchent|fonctionne|fonctionnent|s\sallume)\s(?:plus|pas)\b"
    r"|\b(?:doesn\st|don\st|isn\st|won\st|not)\s(?:work|working|turn\son)\b|\bout\sof\sorder\b"
    r"|\bhors\sservice\b",
    r"\b(?:digicode|interphone|intercom|sonnette|doorbell|door\scode|key\ssafe|boite\sa\scles?)\b"
    r"|\bcode\s(?:de\sla\sporte|d\sentree|porte|du\shall)\b|\b(?:a|ont|has|have)\s(?:ete\s)?change\w*\b"
    r"|\bnouveau\s(?:numero|code|portable)\b|\bnew\s(?:phone\s|mobile\s)?(?:number|code)\b"
    r"|\bchange\w*\s(?:de\s|d\s|my\s)?(?:numero|telephone|portable|adresse|number|phone|mobile|address)\b",
)

# --- help ------------------------------------------------------------------------------------

HELP = _rx(
    r"^(?:aide|help|info|infos|information|informations|menu|options|renseignements?|\?+)"
    r"(?:\s(?:svp|stp|please|moi|me|\?))*$",
    r"(?<!m\s)(?<!l\s)\baidez?\s(?:moi|nous)\b|\ba\sl\saide\b|\bbesoin\sd\saide\b|\bhelp\sme\b",
    r"\bcomment\s(?:ca|cela|c)\s(?:marche|fonctionne|se\spasse)\b",
    r"\bcomment\s(?:on\s|je\s|j\s)?(?:faire|fait|fais|dois|doit|peux|peut|puis|commande\w*|annul\w*"
    r"|arret\w*|suspend\w*|proceder|s\sinscrire|m\sinscrire|utilis\w*|marche|fonctionne|faut)\b",
    r"\b(?:je\s|j\s)?(?:ne\s|n\s)?(?:comprends|comprend|pige)\s(?:pas|rien|plus)\b",
    r"\bj\sai\s(?:pas|rien)\scompris\b|\bje\ssuis\sperdue?\b",
    r"\b(?:ne\s)?sais\spas\s(?:comment|me\sservir|utiliser|quoi\sfaire|faire|ce\sque\sje\sdois)\b",
    r"\bc\sest\squoi\s(?:ce|votre|le|cette)\s(?:service|numero|truc|message|programme|association)\b",
    r"\ba\squoi\s(?:ca\s|cela\s)?sert\b|\bwhat\s(?:is|s)\s(?:this|it)\s(?:number\s|service\s)?for\b",
    r"\bqu\sest\sce\sque\sc\sest\b|\bqui\setes\svous\b|\bvous\setes\squi\b|\bc\sest\squi\b"
    r"|\bqui\sest\sce\b(?!\s(?:monsieur|mr|homme|type|gars|jeune|dame|madame|femme|personne|livreur"
    r"|benevole|qui\s(?:a|m\sa|est\svenu|sonne)))|\bwho\s(?:is|s)\s(?:this|that|it)\b(?!\s(?:man|woman|lady"
    r"|guy|person|chap|bloke|fellow|who))",
    r"\bc\sest\scomment\b|\bcomment\sc\sest\b|\bcomment\spour\s(?:commander|annuler|faire)\b",
    r"\b(?:quels?|quelles?)\s(?:jours?|heures?|horaires?)\b|\ba\squelle\sheure\b|\bhoraires?\b",
    r"\bquelle\sheure\s(?:passe|passez|arrive|vient|venez)\b",
    r"\b(?:c\sest|est\sce)\s(?:gratuit|payant)\b|\bgratuit\b|\bpayant\b|\bcombien\s(?:ca|cela|c)"
    r"\s(?:coute|coutent)\b|\bcoute\scombien\b|\bfaut\sil\spayer\b",
    r"\bcombien\sde\s\w+\s(?:on|je)\s(?:peut|peux)\b|\bcombien\s(?:on|je)\s(?:peut|peux)\b"
    r"|\bmaximum\b|\bau\smaximum\b",
    r"\b(?:qu\sest\sce\squ?e?|que|qu)\s(?:je|j|on|il)\s(?:\w+\s)?(?:peux|peut|puis|doit|dois|faut)\s"
    r"(?:vous\s)?(?:commander|avoir|demander|ecrire|envoyer|taper|mettre|dire|recevoir|faire)\b",
    r"\b(?:c\sest\s(?:bien|ici)\s|est\sce\sici\s|is\sthis\s(?:the\s)?(?:right\s)?(?:number|place)\s)"
    r"(?:pour|to|for)\s(?:commander|order\w*|annuler|cancel\w*)\b(?=.*\?)",
    r"\bque\s(?:peut|puis|dois|doit)\s(?:on|je)\s(?:commander|demander|avoir|ecrire|envoyer|faire)\b|"
    r"\b(?:que|qu\sest\sce\squ)\s(?:il\s)?faut\s(?:il\s)?(?:ecrire|envoyer|taper|dire|mettre)\b"
    r"|\bquoi\s(?:ecrire|envoyer|taper|dire|mettre)\b|\b(?:ecrire|envoyer|taper|repondre|dire)\squoi\b",
    r"\b(?:quels?|quelles?|c\sest\squoi|c\squoi|ce\ssont\squoi)\s(?:sont\s)?(?:les\s|vos\s)?(?:mots|commandes"
    r"|options|produits|articles|choix|mots\scles|codes?)\b(?!\s(?:que\sj|j\sai|prevue?s|en\scours))",
    r"\bles\smots\sa\s(?:envoyer|ecrire|taper|utiliser)\b|\bliste\sdes\s(?:mots|options"
    r"|produits|commandes\spossibles)\b",
    r"\b(?:je|on)\s(?:peux|peut|pourrais|pourrait)\s(?:commander|demander|avoir|recevoir)\s(?:quoi|autre"
    r"\schose|d\sautres?)\b|\bautre\schose\s(?:que|qu)\b|\b(?:anything|something)\s(?:else|other)\sthan\b"
    r"|\bdo\syou\s(?:also\s)?(?:do|sell|have|supply|stock)\b|\bvous\s(?:faites|avez|vendez|livrez|proposez)"
    r"\s(?:aussi|egalement)\b|\blimite?s?\b|\blimit\w*\b"
    r"|\bquoi\scomme\s(?:produits?|choses?|articles?)\b|"
    r"\bvous\s(?:livrez|apportez|proposez|faites|vendez|distribuez)\squoi\b|\bqu\sest\sce\sque\s"
    r"(?:vous\s)?(?:livrez|proposez|distribuez)\b",
    r"\b(?:est\sce\sque|est\sce\squ)\s(?:vous\s)?(?:livrez|passez|venez|travaillez)\b",
    r"\bvous\s(?:livrez|passez|venez|travaillez)\s(?:aussi\s|le\s|les\s|quel|a\squelle|tous"
    r"|pendant|chaque|\?)",
    r"\blivrez\svous\b|\bpassez\svous\b",
    r"\bvous\s(?:livrez|passez|venez|travaillez)\s(?:toujours|encore|bien|aussi|meme)\s(?:le|les)\s",
    r"\bdo\syou\s(?:still|also|ever)\s(?:deliver|come|work)\b|\b(?:pay|paying)\sfor\b|\bhow\smuch\b"
    r"|\b(?:payer|tarifs?|prix|price|cost|costs|charge)\b",
    r"\bhelp\b",
    r"\bhow\s(?:does|do)\s(?:it|this|that|the\sservice|you)\swork\b|\bhow\sdo\si\b|\bhow\scan\si\b"
    r"|\bhow\si\s(?:can|do|must|should)\b"
    r"|\bhow\sto\b",
    r"\bwhat\s(?:can|could|should|do|must)\si\s(?:\w+\s){0,2}(?:order|get|ask|type|send|text|write|say"
    r"|put|use)\b|\bwhat\s(?:do|can)\syou\s(?:deliver|offer|do|bring)\b",
    r"\bon\soffer\b|\bwhat\sdo\syou\s(?:have|sell|provide)\b|\bqu\sest\sce\sque\svous\s(?:offrez|avez)\b",
    r"\bwhat\s(?:sort|sorts|kind|kinds|type|types)\sof\s(?:\w+\s){0,2}(?:can|could|do|should)\s(?:i|we"
    r"|you)\b",
    r"\bwhat\s(?:are\s|s\s|is\s)?(?:the\s|your\s|my\s)?(?:commands|options|keywords|key\swords|words"
    r"|codes|choices)\b|\bwhat\swords?\s(?:do|can|should)\b|\bwhich\swords?\b",
    r"\bi\s(?:don\st|do\snot|dont)\s(?:understand|get\sit|know\show)\b|\bconfused\b",
    r"\bwhat\sis\sthis\b|\bwho\sare\syou\b|\bwhat\s(?:days|time|times)\b",
    r"\bwhen\sdo\syou\s(?:deliver|come)\b|\bdo\syou\s(?:deliver|come)\b",
    r"\bis\s(?:it|this|the\sservice)\sfree\b|\bhow\smuch\s(?:does|is|do)\b",
)

# "How do I...": a question on how the service works, even about stopping or cancelling.
HOW_TO = _rx(
    r"^(?:\w+\s){0,3}?(?:how\s(?:do|can|should|would)\s(?:i|we|you)|how\sto|comment\s(?:je|j|on|faire"
    r"|fait|dois|peut|peux|puis)|que\sdois\sje\sfaire|qu\sest\sce\sque\s(?:je|j)\s(?:dois|peux)\sfaire)\b",
    r"\b(?:je|j|on)\s(?:fais|fait|dois\sfaire|peux\sfaire)\scomment\b|\bcomment\sca\smarche\b"
    r"|\bhow\sdoes\s(?:it|this|one)\b",
)

# --- what did I order ------------------------------------------------------------------------

LIST = _rx(
    r"\bqu\sest\sce\sque\sj\sai\s(?:commande|demande|reserve)\b|\bqu\sai\sje\s(?:commande|demande)\b"
    r"|\bce\sque\sj\sai\s(?:commande|demande|reserve)\b|\bj\sai\s(?:commande|demande)\squoi\b",
    r"\b(?:est\sce\sque\sj\sai|ai\sje)\s(?:bien\s)?(?:une|des|deja\sune)\s(?:commandes?|livraisons?)\b"
    r"|\bj\sai\s(?:bien\s|deja\s|toujours\s)?(?:une|des|un)\s(?:commandes?|livraisons?|passage|abonnement"
    r"|commande\sreguliere)\b(?=.*\?)"
    r"|\bdo\si\shave\s(?:an?\s|any\s)(?:order|delivery|deliveries)\b"
    r"|\bwhat\s(?:is|s|am\si|will\si)\s(?:being\s|be\s)?(?:delivered|coming|getting|get)\b",
    r"\b(?:ma|mes)\s(?:prochaine\s|derniere\s)?(?:commandes?|livraisons?)\b|\bmon\sabonnement\b",
    r"\bqu\sest\sce\sque\s(?:je|j)\s(?:vais\s)?(?:recevoir|recois|aurai|ai\sde\sprevu|avoir)\b",
    r"\bqu\sest\sce\squi\s(?:est\sprevu|arrive|vient)\b|\brecapitul\w*\b|\brecap\b",
    r"\bquand\s(?:est|sera|arrive|passe|vient)\s(?:ma|la|le|mon)\s(?:prochaine\s)?(?:livraison"
    r"|commande)\b|\bprochaine\slivraison\b",
    r"\b(?:vous\savez|avez\svous)\s(?:bien\s)?(?:recu|eu|note|pris|enregistre)\s(?:ma|mon|mes)\s"
    r"(?:commande|message|demande)\b",
    r"^(?:liste|list|commandes|orders?|status)$",
    r"\bwhat\s(?:did|have)\si\s(?:order|ordered|got|get|booked)\b|\bwhat\si\s(?:have\s|did\s)?order\w*\b",
    r"\bwhat\s(?:s|is|are)\s(?:my|the)\s(?:order|orders|next\sdelivery|delivery)\b",
    r"\bmy\s(?:next\s|standing\s|regular\s|weekly\s|usual\s)?(?:order|orders|delivery|deliveries"
    r"|subscription)\b",
    r"\bwhat\s(?:am\si|will\si\sbe)\s(?:getting|receiving)\b|\bwhat\s(?:s|is)\scoming\b",
    r"\bwhen\s(?:is|s|will)\s(?:my|the)\s(?:next\s)?(?:delivery|order)\b|\bnext\sdelivery\b",
    r"\b(?:did|have)\syou\s(?:get|got|received?)\smy\s(?:order|message|request)\b",
    r"\bis\smy\sorder\s(?:confirmed|ok|okay|booked|in|registered)\b|\bcheck\smy\sorders?\b",
    r"\bshow\s(?:me\s)?my\sorders?\b|\border\sstatus\b",
    r"\bmy\s(?:\w+\s)?(?:order|orders|delivery|deliveries)\s(?:still\s)?(?:on|coming|booked|happening"
    r"|going\sahead|confirmed|in\splace|running)\b",
)
# Asking what is booked, in the tenant's own words: "vous m'apportez quoi vendredi ?", "combien
# de baguettes j'ai commandé ?", "remind me what I've got coming". Read only in a question, or
# with a verb of remembering or knowing.
LIST_ASK = _rx(
    # "les jours où vous m'apportez l'eau", "the days you bring me bread"
    r"\b(?:jours?|dates?)\s(?:ou|que)\s(?:vous\s|on\s|il\s|elle\s)?(?:m|me)\s(?:apportez|livrez|amenez|apporte"
    r"|livre|amene)\b|\b(?:jours?|days?)\s(?:ou|when|that)\s(?:je|j|i)\s(?:recois|ai|get|have|m\sgetting)\b"
    r"|\bdays\s(?:you|they)\s(?:bring|deliver|drop)\s(?:me|my)\b",
    # "c'était combien pour samedi déjà ?", "did I say 2 or 3 loaves?"
    r"\bc\setait\s(?:combien|quoi|quel\w*|pour\squand)\b|\b(?:did\si\ssay|what\sdid\si\ssay|ai\sje\sdit"
    r"|j\sai\sdit\s(?:combien|quoi)|qu\sest\sce\sque\sj\sai\sdit)\b",
    # the tenant's own days: "which days do I get bread?", "quels jours vous m'apportez l'eau ?"
    r"\b(?:which|what)\s(?:days?|day\sof\sthe\sweek)\s(?:\w+\s){0,2}(?:i|we)\s(?:get|have|receive"
    r"|m\sgetting|am\sgetting|ve\sgot|ordered|booked|asked)\b|\b(?:which|what)\sdays?\s(?:do|will|are)\s"
    r"(?:you|they|the\svolunteers?)\s(?:\w+\s)?(?:bring|deliver|drop|come|bringing|delivering)\w*\s"
    r"(?:\w+\s){0,2}(?:me|my|to\sme|mine)\b",
    r"\bquels?\sjours?\s(?:est\sce\sque\s|que\s)?(?:je|j|vous\sm|vous\sme|on\sm|on\sme|ma|mon|mes"
    r"|il\sme|elle\sme)\b|\b(?:c\sest\s|c\s)quel\sjour\s(?:mon|ma|mes|que\sje|que\sj|que\svous)\b"
    r"|\b(?:je|j)\s(?:recois|ai|aurai)\s(?:\w+\s){0,3}quels?\sjours?\b",
    # "what's my standing order", "c'est quoi mes commandes", "les commandes de mamie en cours"
    r"\bwhat\s(?:s|is|are|were)\s(?:my|our|her|his|mum\s?s|mom\s?s|dad\s?s)\s(?:\w+\s){0,2}(?:order|orders"
    r"|deliveries|delivery|subscription|days|standing\sorder)\b",
    r"\b(?:c\sest\squoi|c\squoi|quelles?\ssont|qu\sest\sce\sque\sc\sest\sque)\s(?:mes|ma|mon|ses|sa|son)"
    r"\s(?:\w+\s)?(?:commandes?|livraisons?|abonnements?|jours)\b",
    r"\b(?:livraisons?|commandes?|abonnements?)\s(?:de\s|d\s)(?:\w+\s){1,2}(?:prevue?s?|en\scours|a\svenir"
    r"|programmee?s?)\b",
    r"\b(?:ma|mes|mon|sa|ses|son)\s(?:jours?|dates?)\sde\slivraison\b|\b(?:jours?|dates?)\sde\slivraison\s"
    r"(?:de\s|d\s)(?:ma|mon|mes|sa|son|mamie|papi|maman|papa)\b|\b(?:my|her|his|mum\s?s|dad\s?s)\s"
    r"(?:delivery|order)\sdays\b",
    r"\b(?:vous\s|on\s|il\s|elle\s)?(?:m|me)\s(?:apportez|livrez|amenez|apporterez|livrerez|deposez"
    r"|apporte|livre|amene)\s(?:\w+\s)?quoi\b|\bqu\sest\sce\sque\s(?:vous|on|il|elle)\s(?:m|me)\s"
    r"(?:apport|livr|amen|depos)\w*\b|\bque\sm\s(?:apportez|livrez|amenez)\b",
    r"\b(?:j\sai|j\savais|ai\sje|avais\sje|est\sce\sque\sj\sai)\s(?:bien\s|deja\s|toujours\s)?"
    r"(?:commande|demande|reserve|pris)\b",
    r"\bdid\si\s(?:\w+\s)?(?:order|book|ask\sfor)\b|\b(?:i|i\sve|i\shave|have\si|had\si|i\shad|i\sd)"
    r"\s(?:already\s|actually\s|just\s)?(?:ordered|booked|asked\sfor)\b",
    r"\b(?:livraisons?|commandes?)\s(?:de\s)?(?:prevue?s?|en\scours|a\svenir|programmee?s?)\b"
    r"|\bj\sai\scomme\s(?:livraisons?|commandes?)\b|\b(?:qu\sest\sce\squi|ce\squi|quoi)\s(?:est\s)?"
    r"(?:de\s)?prevu\b|\bquelles?\s(?:livraisons?|commandes?)\b",
    r"\bwhat\s(?:s|is|are)\s(?:\w+\s)?(?:booked|planned|coming|scheduled|due|arriving)\b"
    r"|\bwhat\s(?:ve|have|has)\s(?:i|we)\s(?:got|booked|ordered)\b|\bwhat\s(?:i|we)\s(?:ve|have)"
    r"\s(?:got|booked|ordered)\b|\bwhat\s(?:are|will)\syou\s(?:be\s)?(?:bringing|delivering|bring"
    r"|deliver)\s(?:me|on|tomorrow|this|next|for)\b|\banything\s(?:coming|booked|planned|due)\b",
    r"\b(?:have|has|did|is|are|do)\s(?:i|we|it|they|my\s\w+)\s(?:\w+\s){0,4}(?:booked|scheduled|ordered"
    r"|planned)\b|\bhave\s(?:i|we)\sgot\s(?:\w+\s){0,3}(?:coming|booked|due|on\sorder)\b|"
    r"\bwhat\s(?:\w+\s){0,2}(?:i|we)\s(?:have|ve\sgot|ve|got|m\sgetting|am\sgetting)\s(?:coming"
    r"|booked|ordered|got\scoming)\b|\b(?:deliveries|orders)\s(?:i|we)\s(?:have|ve\sgot|got)\b",
    r"\b(?:is|are)\s(?:my|the|our)\s(?:\w+\s){0,4}(?:still\s)?(?:on|coming|booked|happening|due"
    r"|going\sahead|confirmed|arriving|running|active|going|in\splace|set\sup)\b|\bstill\s(?:on|coming|booked|happening|due)\b",
    r"\b(?:am|are)\s(?:i|we)\s(?:still\s)?(?:getting|having|booked|down\sfor|due)\b",
    r"\b(?:are|will)\syou\s(?:be\s)?(?:bringing|delivering|coming|dropping)\s(?:\w+\s)?(?:anything"
    r"|something|me|round|by|to\sme|my)\b|\banything\s(?:for\sme|on\sthe\sway)\b"
    r"|\bany\s(?:\w+\s)?(?:booked|coming|planned|scheduled|due|on\sorder)\b",
    r"\b(?:vous\s|on\s)?(?:m|me)\s(?:apportez|livrez|amenez|deposez|apporte|livre|passez|venez)\s"
    r"(?:toujours|encore|bien|combien|quelque\schose)\b(?!\s(?:le|les)\s)|\b(?:est|sont)\s(?:toujours|bien|encore)\s(?:prevue?s?|notee?s?"
    r"|enregistree?s?|confirmee?s?|d\saccord|ok|valable)\b|\btoujours\sprevue?s?\b|\byou\sstill\s(?:bring|deliver|coming|bringing|delivering)\s(?:me|my|to\sme)\b|\bj\sai\squoi\b"
    r"|\bquoi\scomme\s(?:commandes?|livraisons?)\b|\bqu\sest\sce\sque\sj\sai\s(?:comme|de\sprevu|pour)\b"
    r"|\b(?:vous|on)\s(?:passez|venez|passe|vient|livrez|livre)\sbien\b(?!\s(?:le|les)\s)|"
    r"\bprevue?s?\b|\bil\sy\sa\sbien\b|\by\sa\st\sil\s(?:\w+\s){0,4}pour\smoi\b|\b(?:is|are)\sthere\s"
    r"(?:\w+\s){0,3}(?:coming|booked|due|for\sme|planned|on\sorder)\b|\bon\sorder\sfor\sme\b"
    r"|\bwhat\s(?:s|is)\s(?:on\sorder|ordered|booked|for\sme)\b|\bc\sest\s(?:toujours|bien)\s(?:bon|ok"
    r"|d\saccord|prevu|note|valable)\b|\bvous\s(?:venez|passez|viendrez|passerez)\s(?:\w+\s){0,2}"
    r"(?:avec|chez\smoi)\b|\bcombien\s(?:de\s(?:\w+\s){1,3})?(?:vous\s)?(?:m|me)\s(?:apportez|livrez"
    r"|amenez|deposez)\b|"
    r"\bil\s(?:me|nous)\sreste\s(?:des|une|un|encore\sdes)\s(?:livraisons?|commandes?)\b|\ben\scommande\b|"
    r"\b(?:arrive|arrivent|vient|viennent|passe|passez|sera\sla)\s(?:bien|toujours)\b|\b(?:mon|ma|mes|my)\s"
    r"(?:\w+\s){0,2}(?:arrive|arrivent|vient|viennent|sera|coming|arriving)\b|\b(?:j\sai|ai\sje)\scombien\b"
    r"|\bsi\sj\sai\s(?:bien\s|toujours\s)?(?:du|de|des|une?|\d|quelque)\b|\bif\si\s(?:have|ve\sgot|am\sgetting)\b|"
    r"\b(?:je\ssuis|suis\sje)\s(?:bien\s|toujours\s)?(?:inscrite?|notee?|prevue?|sur\sla\sliste)\b"
    r"|\bam\si\s(?:still\s)?(?:on\sthe\slist|down|signed\sup|registered)\b|\bconfirm\w*\b"
    r"|\b(?:i\sve|i\shave|i)\sgot\s(?:\w+\s){0,3}(?:coming|booked|due)\b|\bwhat\s(?:i\sm|i\sam|we\sre)\s"
    r"(?:getting|having|receiving)\b|\b(?:j\sai|ai\sje)\squelque\schose\b|\b(?:have\si\sgot|do\si\shave)"
    r"\sanything\b|"
    r"\bil\sy\sa\s(?:\w+\s){0,2}pour\smoi\b|\by\sa\st\sil\s(?:\w+\s){0,2}pour\smoi\b|"
    r"\bquelque\schose\s(?:de\sprevu|pour\smoi)\b|\bprevue?s?\spour\smoi\b|\bde\sprevue?s?\b",
    r"\b(?:vous\s)?(?:passez|passerez|venez|viendrez|livrez|livrerez)\s(?:\w+\s){0,2}chez\smoi\b",
    r"\b(?:je\s|j\s)(?:recois|recevrai|vais\srecevoir|aurai|vais\savoir)\s(?:\w+\s){0,3}(?:combien|quoi)\b"
    r"|\bcombien\s(?:de\s\w+\s)?(?:\w+\s)?(?:je\s|j\s)(?:recois|recevrai|vais\srecevoir|aurai)\b"
    r"|\bcombien\s(?:de\s\w+\s)?(?:\w+\s)?j\sai\s(?!droit)"
    r"|\bwhat\syou\s(?:re|are|will\sbe|ll\sbe)\s(?:bringing|delivering|sending|dropping)\b"
    r"|\bce\sque\s(?:je|j)\s(?:recois|vais\srecevoir|recevrai|aurai|ai\sde\sprevu|vais\savoir)\b"
    r"|\bce\sque\s(?:vous\s)?(?:m|me)\s(?:apportez|livrez|amenez|apporterez|livrerez)\b",
    r"\bhow\smany\s(?:\w+\s){0,3}(?:am\si|will\si|do\si|have\si|i\sve|i\shave|i\sm|did\si|is|are)\s"
    r"(?:\w+\s)?(?:getting|get|got|receive|receiving|coming|ordered|order|booked|due)\b",
)
# Remembering or knowing: a list request even without a question mark.
RECALL = _rx(
    r"\bremind\sme\b|\b(?:me\s|nous\s)(?:rappeler|redire|rappelez|redites|dire)\b"
    r"|\b(?:rappelez|rappelle|redites|redis|dites|dis)\s(?:moi|nous)\b|\bne\sme\s"
    r"souviens\s(?:plus|pas)\b|\bj\sai\soublie\b|\bforgot(?:ten)?\b|\bcan\st\sremember\b"
    r"|\bdon\st\sremember\b|\b(?:voudrais|veux|aimerais|voulais)\s(?:savoir|verifier|connaitre)\b"
    r"|\b(?:tell|let)\sme\s(?:know\s)?(?:what|which|when|how|if)\b|\bcheck\s(?:what|which|if)\b"
    r"|\bchecking\b|\bverifier\b|\bconfirm\w*\b|\betre\ssure?\b|\bmake\ssure\b"
    r"|\bvous\ssavez\ssi\b|\bdo\syou\sknow\sif\b|\bwondering\b|\bje\sme\sdemand\w*\b|\bpour\ssavoir\b"
    r"|\bagain\s?\??$|\bdeja\s?\??$|\bremember\b|\bsouviens\b|\brappelle\s(?:plus|pas)\b|\bje\ssais\splus\b"
    r"|\bi\sforget\b|\bj\soublie\b|\bsais\splus\b|\bne\ssais\spas\s(?:quel|quels|quand)\b",
)

# Asking to confirm what is booked: "j'ai bien une baguette demain ?", "is it still on?"
CONFIRM = _rx(
    r"\b(?:j\sai|ai\sje|est\sce\sque\sj\sai)\s(?:bien|toujours|encore)\b|\bc\sest\sbien\s(?:note|prevu|enregistre"
    r"|confirme|pour)\b|\bdo\si\s(?:still\s)?(?:have|get|receive)\b|\bc\sest\sbien\b|\bis\sit\s(?:still\s)?(?:on|booked|confirmed)\b"
    r"|\bam\si\s(?:still\s)?(?:getting|booked)\b",
)

# --- visits ----------------------------------------------------------------------------------

VISIT = _rx(
    r"\bvisite\w*\b|\bvisit\w*\b",
    r"\b(?:re)?(?:passer|venir|passe|passes|vienne|viennent|venez|passez|vient|passiez|veniez"
    r"|revenir|revienne|reviennent|revenez)\s(?:jamais\s|plus\s|pas\s|un\sjour\s|un\speu\s"
    r"|bientot\s|un\sde\sces\sjours\s|de\stemps\sen\stemps\s)?"
    r"(?:me\s|m\s|nous\s|la\s|le\s|les\s|lui\s)?(?:voir|rendre\svisite"
    r"|dire\sbonjour|discuter|bavarder|papoter|causer|parler|faire\sun\scoucou|boire\sun|boire\sle"
    r"|prendre\sun|prendre\sle|tenir\scompagnie|faire\sla\scausette)\b",
    r"\b(?:re)?(?:passer|venir|passe|vienne|revienne|revenir)\s(?:\w+\s){0,3}pour\s(?:discuter|bavarder"
    r"|papoter|causer|parler|faire\sla\scausette|un\scafe|le\scafe|un\sthe|le\sthe|me\stenir)\b",
    r"\b(?:pourrait|pourraient|pourriez|peut|pouvez|could|can|would)\s(?:\w+\s)?(?:revenir|repasser"
    r"|come\sback|come\sagain|pop\sback|call\sagain|visit\sagain)\b",
    r"\b(?:envoyer|envoyez|send)\s(?:\w+\s)?(?:quelqu\sun|un\sbenevole|une\sbenevole|someone|somebody"
    r"|a\svolunteer)\s(?:pour|to|for)\s(?:discuter|papoter|bavarder|parler|causer|me\svoir|chat|talk|see|visit"
    r"|a\schat|keep)\b|"
    r"\bcheck\s(?:in\s)?on\sme\b|\bkeep\san\seye\son\sme\b|\bprendre\sde\smes\snouvelles\b"
    r"|\b(?:passer|venir)\svoir\ssi\sje\svais\sbien\b|"
    r"\bcausette\b|\bpapoter\b|\bbavarder\b|\bcompagnie\b(?!\sd\w*\seaux?)",
    r"\bme\srendre\svisite\b|\btenir\scompagnie\b|\bde\sla\scompagnie\b",
    r"\b(?:je\sme\ssens|me\ssens|je\ssuis|suis)\s(?:tres\s|un\speu\s|bien\s|si\s|tellement\s"
    r"|trop\s|toute\s|tout\s)*(?:seule?|isolee?|triste)\b",
    r"\b(?:envie|besoin)\sde\s(?:parler|discuter|voir\squelqu|compagnie|voir\sdu\smonde|voir\sdes\sgens"
    r"|causer|papoter|une\svisite|visite)\b|\bvoir\squelqu\sun\b|\bvoir\sdu\smonde\b",
    r"\b(?:coming|come)\sto\s(?:see|visit)\sme\b|\bsee\s(?:someone|somebody|a\sfriendly\sface)\b",
    r"\b(?:discuter|parler|bavarder|papoter)\s(?:un\speu\s|un\smoment\s|un\sbrin\s)?avec\s"
    r"(?:quelqu\sun|un\sbenevole|une\sbenevole|vous|moi)\b",
    r"\bquelqu\sun\s(?:pour|a\squi|avec\squi)\s(?:parler|discuter|papoter|bavarder|causer)\b"
    r"|\bavec\smoi\b",
    r"\bcome\s(?:and\s|to\s)?(?:see|visit)\sme\b|\b(?:pop|come|drop)\s(?:in|by|round|over"
    r"|around)\b",
    r"\b(?:a|have\sa|for\sa)\s(?:chat|natter|cuppa|cup\sof\stea|cup\sof\scoffee|coffee|tea|catch\sup"
    r"|gossip|natter|visit)\b|\bnatter\b",
    r"\b(?:someone|somebody|anyone|anybody|a\svolunteer)\s(?:to\s|who\scould\s|could\s)?(?:talk"
    r"|chat|natter|sit)\s(?:to|with)\b|\bchat\swith\s(?:someone|somebody|a\svolunteer|you)\b"
    r"|\bmiss\s(?:having\s)?(?:visitors|company|a\schat|the\svisits|seeing\speople)\b",
    r"\bne\svois\s(?:plus\s|jamais\s)?personne\b|\bne\ssors\s(?:plus|jamais)\b|\b(?:je\sm|elle\ss|il\ss)"
    r"\sennuie\b"
    r"|\b(?:don\st|never)\ssee\s(?:anyone|anybody|many\speople|a\ssoul)\b|\bno\sone\sto\stalk\sto\b|"
    r"\b(?:lonely|isolated|on\smy\sown|all\salone|alone)\b|\bcompany\b|\bsomeone\sto\stalk\sto\b"
    r"|\btalk\sto\s(?:someone|somebody)\b|\bwith\sme\b",
)
VISIT_THANKS = _rx(
    r"\bmerci\s(?:\w+\s){0,3}(?:pour|de)\s(?:la|votre|ta|cette|sa|leur)\s(?:\w+\s)?visite\b",
    r"\bthank\w*\s(?:\w+\s){0,4}for\s(?:the|your|this|her|his|their)\s(?:\w+\s)?visit\b"
    r"|\bthank\w*\s(?:\w+\s){0,2}for\ssending\s\w+\s(?:round|over|by)\b",
    r"\bvisite\s(?:de\s\w+\s|d\s\w+\s)?(?:etait|a\sete)\b",
)

# --- pauses, cancellations ------------------------------------------------------------------

PAUSE = _rx(
    r"\babsente?s?\b|\babsence\b",
    r"\bje\s(?:pars|partirai|m\sen\svais|serai\spartie?)\b|\bpars\b",
    r"\b(?:vais|va|dois|doit|allons|vas)\spartir\b|\bpartir\s(?:en|chez|a|au|quelques|pour)\b",
    r"\ben\s(?:vacances|voyage|deplacement|cure|convalescence|reeducation)\b|\bvacances\b",
    r"\bhopital\b|\bhospitalise\w*\b|\bclinique\b|\bcure\b|\bmaison\sde\s(?:repos|retraite)\b",
    r"\b(?:serai|suis|sera|serons|vais\setre|serais)\s(?:pas|plus)\s(?:la|chez\smoi|a\sla\smaison"
    r"|presente?|disponible)\b",
    r"\b(?:vais|vas|va|allons|pourrai|pourrais)\s(?:pas|plus)\s(?:etre|y\setre)\s(?:la|chez\smoi"
    r"|a\sla\smaison|presente?|disponible)\b",
    r"\bchez\s(?:ma|mon|mes)\s(?:fille|fils|soeur|frere|enfants|petite?\sfille|petits?\senfants"
    r"|mere|cousine?|amie?|famille|neveu|niece)\b|\bchez\s(?:des|de\sla)\s(?:amis|famille)\b",
    r"\bsuspend\w*\b|\bpause\b|\binterromp\w*\b|\ben\sattente\b",
    r"\b(?:away|holiday|holidays|vacation|travelling|traveling|hospital|hospitalised"
    r"|hospitalized|clinic|respite|rehab)\b",
    r"\bnot\s(?:at\s)?home\b|\b(?:won\st|will\snot|not)\sbe\s(?:home|here|in|around|there)\b",
    r"\b(?:staying|stay|going|be|go)\s(?:with|at|to)\s(?:my\s)?(?:daughter|son|sister|brother"
    r"|family|friend|mum|mother|children|kids)\w*\b",
    r"\bhold\b|\bgoing\saway\b|\bleaving\b|\bi\sm\soff\b",
)
# Holding deliveries: with a period it is a pause, whatever items are named ("hold my bread and
# water from the 20th to the 2nd").
HOLD = _rx(
    r"\b(?:hold|holding|suspend\w*|pause|pauses|interromp\w*|on\shold|en\spause|en\sattente"
    r"|mettre\sde\scote|stop\w*|arret\w*|cess\w*)\b"
)
# Pause words that only say "not there": with a single day they cancel that day.
NOT_THERE = _rx(
    r"\b(?:serai|suis|sera|serons|vais\setre|serais)\s(?:pas|plus)\s(?:la|chez\smoi|a\sla\smaison"
    r"|presente?|disponible)\b",
    r"\b(?:vais|vas|va|allons|pourrai|pourrais)\s(?:pas|plus)\s(?:etre|y\setre)\s(?:la|chez\smoi"
    r"|a\sla\smaison|presente?|disponible)\b",
    r"\babsente?s?\b|\bnot\s(?:at\s)?home\b|\b(?:won\st|will\snot|not)\sbe\s(?:home|here|in"
    r"|around|there)\b|\baway\son\b",
)
# An explicit cancellation verb: enough on its own ("annuler", "cancel my order").
CANCEL_VERB = _rx(
    # not said of what was done: "remettez ce que j'ai annulé", "the one I cancelled"
    r"(?<!\bai\s)(?<!\bavais\s)(?<!\bavez\s)(?<!\bavait\s)(?<!\bete\s)"
    r"\b(?:annul\w*|anul\w*|decommand\w*|supprim\w*|retire[rz]?\b|enlev\w*)",
    r"\boubli\w*\sma\scommande\b|\bforget\s(?:my|the|about\smy)\s(?:order|delivery|bread|water)\b",
    r"(?<!had\sto\s)\bcancel(?!l?ed\b)\w*\b"  # (not "my son has had to cancel")
    r"|(?<!\bi\s)(?<!\bwe\s)(?<!\bve\s)(?<!\bhad\s)(?<!\byou\s)(?<!\bbeen\s)(?<!\bwas\s)(?<!\bhas\s)(?<!\bhave\s)(?<!\bhas\sjust\s)\bcancell?ed\b|\bskip\b|\bscrap\b|\bcall\soff\b|\bscratch\s(?:that(?=\s*$)|my|the|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|tomorrow)\b",
    r"\blaisse[rz]?\stomber\b",  # "laissez tomber le pack en plus de vendredi"
    r"\bdrop\s(?:(?:the|my|your)\s)?(?:monday|tuesday|wednesday|thursday|friday|saturday|tomorrow"
    r"|order|delivery|bread|loaf|loaves|water|baguettes?)\b",
    # "forget Thursday", "oubliez jeudi": that day's delivery
    r"\b(?:forget(?:\sabout)?|oubliez|oublie[rz]?)\s(?:(?:the|le|pour|for|on)\s)?(?:monday|tuesday"
    r"|wednesday|thursday|friday|saturday|tomorrow|lundi|mardi|mercredi|jeudi|vendredi|samedi|demain)\b",
    # "je voudrais arrêter le samedi", "stop my Mondays": a weekday's delivery, not the service
    r"\b(?:arret\w*|stop\w*|cess\w*)\s(?:(?:la\slivraison|les\slivraisons|the\sdelivery|the"
    r"\sdeliveries)\s(?:du|de|on)\s|le\s|les\s|mes\s|my\s|the\s|on\s)?(?:lundi|mardi|mercredi"
    r"|jeudi|vendredi|samedi|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?)s?\b",
)
# A refusal: a cancellation only when it is about an item, a delivery or a day.
CANCEL = _rx(
    r"\bbesoin\sde\srien\b|\bneed\snothing\b|\b(?:don\st|do\snot|won\st)\sneed\sanything\b"
    r"|\b(?:pas|plus)\s(?:avoir\s|eu\s|vraiment\s|du\stout\s|trop\s)?besoin\b"
    r"|\bnot\s(?:going\sto\s|gonna\s|really\s)?(?:need|needing)\b|\b(?:pas|plus)\sla\speine\b|\binutile\sd[e']?\b"
    r"|\bpas\snecessaire\b",
    r"\bnot\s(?:needing|wanting)\b|\b(?:won\st|will\snot|shan\st|shall\snot)\s(?:be\s)?(?:needing"
    r"|need|want|wanting)\b|\bno\slonger\s(?:needing|need|needed|wanted)\b",
    r"\b(?:ne\s|n\s)(?:en\s)?(?:veux|voudrais|souhaite|desire|veut|voulons)\s(?:pas|plus)\b(?!\squ"
    r"|\s(?:abuser|exagerer|deranger|embeter|ennuyer|gaspiller|vous\s(?:deranger|embeter|ennuyer|deborder"
    r"|surcharger|deranger)|etre\sun\sfardeau|en\sdemander\strop|trop\sen\sdemander)\b)",
    r"\b(?:j\s)?en\s(?:veux|voudrais|prends|prendrai)\splus\b|\bj\sen\sai\splus\sbesoin\b|"
    r"\bpasse\smon\stour\b|\bskip\smy\sturn\b|\bje\ssaute\b|\btake\sme\soff\sfor\b|"
    r"\b(?:i\sm|i\sam|we\sre|we\sare)\s(?:\w+\s)?(?:fine|ok|okay|alright|all\sright|set|covered|sorted)\s(?:for|on)"
    r"\b|"
    r"\bno\slonger\s(?:want|need)\b|\b(?:don\st|do\snot)\s(?:want|need)\b.*\banymore\b",
    r"\b(?:can\st|cannot|can\snot|won\st\sbe\sable\sto|unable\sto)\s(?:take|have|receive|get|accept)\b",
    r"\b(?:ne\s|n\s)(?:peux|pourrai|pourrais|pourra)\spas\s(?:prendre|recevoir|avoir|etre\sla)\b",
    r"\bne\s(?:m\s|me\s)?(?:apportez|amenez|livrez|mettez|montez|deposez|apporte|amene|passez|venez"
    r")\s(?:rien|pas|plus)\b|\bne\s(?:m\s|me\s)(?:passe|vient)\s(?:rien|pas|plus)\b",
    r"\b(?:apportez|amenez|livrez)\s(?:rien|pas|plus)\b",
    r"\b(?:faut|faudra)\s(?:pas|plus|rien)\s(?:m\s|me\s)?(?:apporter|amener|livrer|mettre|monter)\b",
    r"\b(?:pas|plus|aucune?)\s(?:jamais\s)?(?:de\s|d\s)?(?:livraisons?|commandes?)\b",
    r"\b(?:donc|alors|so|then)\s(?:rien|nothing)\b|"
    r"\brien\s(?:pour\s|du\stout\s)?(?:demain|aujourdhui|ce|cette|le|la|lundi|mardi|mercredi|jeudi"
    r"|vendredi|samedi|dimanche|apres\sdemain)\b",
    # "et demain rien du tout", "samedi rien", "tomorrow nothing" (not "rien d'autre")
    r"\b(?:demain|aujourdhui|lundi|mardi|mercredi|jeudi|vendredi|samedi|tomorrow|today|monday|tuesday"
    r"|wednesday|thursday|friday|saturday)(?:\s\d{1,2})?\s(?:rien|nothing)\b(?!\s(?:d\sautre|de\splus|else"
    r"|a\s(?:signaler|dire)|de\sspecial|de\sneuf|ne\schange))",
    r"\b(?:don\st|do\snot|dont|won\st|will\snot|doesn\st|does\snot|didn\st)\s(?:need|want|bring|send"
    r"|deliver)\b",
    r"\bno\s(?:need|more)\b|\bnot\sneeded\b|\bno\s(?:delivery|deliveries|order)\b",
    r"\bnothing\s(?:over|during|until|till|from|at|while)\b|\brien\s(?:pendant|durant|jusqu|a\spartir)\b|"
    r"\bdon\st\s(?:bother|come)\b|\bnothing\s(?:at\sall\s)?(?:for\s|needed\s|wanted\s)?(?:tomorrow|today|on|this|next"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
)
# Having, not asking: "il me reste 3 baguettes", "I've still got 2 loaves".
POSSESSION = _rx(
    r"\b(?:j\sai|j\sen\sai|il\sme\sreste|il\sm\sen\sreste|il\sen\sreste|me\sreste|i\s(?:ve\s)?"
    r"(?:still\s)?(?:have|got)|i\shave|we\shave|we\sve\sgot|on\sa|nous\savons|ai\sencore"
    r"|en\strop|left\sover|spare)\b"
)
# Still having an item: "I've still got water", "j'ai encore du pain" (not "can I have").
STILL_HAVE = _rx(
    r"\b(?:j\sai|j\sen\sai|nous\savons|on\sa)\s(?:encore|toujours|deja|assez|plein)\b|\bil\s(?:me|m\sen"
    r"|nous|en)\sreste\b(?!\s(?:plus|pas|rien))|(?<!could\s)(?<!can\s)(?<!may\s)\b(?:i|we)\s(?:ve\s|have\s)?"
    r"still\s(?:got|have)\b"
    r"|\b(?:i|we)\s(?:ve|have)\s(?:got\s)?(?:plenty|enough|loads|lots)\b|\bgot\s(?:plenty|enough|loads)\b"
)
# Someone else brings it: "my son is bringing water", "mon petit-fils m'en monte le week-end",
# "ma fille me ramène du pain": what follows is had, not asked of the service.
RELATIVE_BRINGS = _rx(
    r"\b(?:my|mon|ma|mes|our|notre|nos|la|le|the)\s(?:\w+\s){0,2}?(?:son|daughter|grandson|granddaughter"
    r"|neighbou?r"
    r"|husband|wife|sister|brother|family|kids|children|carer|fils|fille|petit\sfils|petite\sfille"
    r"|voisine?|mari|femme|soeur|frere|famille|enfants|aide\smenagere|aide\ssoignante|auxiliaire)"
    r"\s(?:\w+\s){0,2}?(?:is\sbringing|brings|will\sbring|ll\sbring|is\sgetting|gets|will\sget"
    r"|is\sbuying|buys|will\sbuy|m\sapporte\w*|m\sen\sapporte\w*|me\sramene\w*|m\sen\sramene\w*"
    r"|m\sen\smonte\w*|me\smonte\w*|m\sachete\w*|m\sen\sachete\w*|va\sm\sapporter|va\sme\sramener"
    r"|va\sm\sen\s(?:apporter|monter|ramener)|qui\s(?:me\s|m\s|m\sen\s|nous\s)?(?:ramene|apporte|monte"
    r"|achete|fait)\w*|who\s(?:is\sbringing|brings|will\sbring|ll\sbring|gets|buys)"
    r"|m\sen\sa\s(?:donne|apporte|ramene|monte|achete|laisse|gardee?)\w*|m\sa\s(?:donne|apporte|ramene"
    r"|monte|achete|laisse)\w*|(?:gave|brought|got)\sme)\b"
)
# Negations that change nothing in an order: "une de plus", "pas trop cuite", "je n'arrive plus à
# porter les packs", "don't forget", "rien d'autre", "ne ... que" (only). Any other negation in a
# message read as an order makes it a question (`intents.unexplained_negation`).
NEGATION_WORD = _rx(
    r"\b(?:pas|plus|not|jamais|rien|sans|ni|never|nothing|nobody|personne|aucune?|nor|none)\b"
    r"|\b(?:don|won|can|isn|didn|doesn|wasn|haven|hasn|shouldn|wouldn|couldn|aren|weren|shan)\st\b"
    r"|\bno\b(?!\s\d)"
)
HARMLESS_NEGATION = _rx(
    # a courtesy: "je ne veux pas abuser", "je ne voudrais pas vous déranger"
    r"\b(?:ne\s|n\s)(?:veux|voudrais|souhaite)\spas\s(?:abuser|exagerer|deranger|embeter|ennuyer"
    r"|vous\s(?:deranger|embeter|ennuyer)|en\sdemander\strop|trop\sen\sdemander)\b"
    r"|\b(?:don\st|do\snot)\swant\sto\s(?:bother|trouble|impose|be\sa\snuisance)\b",
    # what someone else did not bring: "ma voisine m'a rien ramené", "my son didn't bring any"
    r"\b(?:ne\s|n\s)?(?:m|nous)\s(?:a|ont)\s(?:rien|pas)\s(?:\w+\s)?(?:ramene|apporte|monte|donne"
    r"|achete|pris|rapporte)\w*\b|\b(?:didn\st|did\snot|couldn\st|could\snot)\s(?:bring|get|fetch)\b",
    # a relative's news: "ma fille ne vient plus déjeuner le jeudi", "my son isn't coming"
    r"\b(?:ma|mon|mes|my|sa|son|ses|his|her)\s(?:\w+\s){0,2}(?:ne\s|n\s)(?:\w+\s)?(?:vient|viennent"
    r"|viendra|viendront|mange|mangent|dejeune|dejeunent|peut|peuvent|sera|seront|est|sont|pourra)"
    r"\s(?:plus|pas)\b"
    r"|\b(?:my|his|her)\s(?:\w+\s){0,2}(?:isn\st|aren\st|won\st|doesn\st|don\st|can\st|is\snot"
    r"|will\snot)\s(?:be\s)?(?:coming|come|eating|staying|visiting|able)\b",
    r"\b(?:je\s)?(?:ne\s|n\s)?sais\spas\s(?:trop\s|bien\s|tres\sbien\s)?(?:comment|me\sservir|utiliser)\b"
    r"|\b(?:don\st|do\snot)\sknow\show\b|\bnot\sused\sto\b|\bpas\shabitue\w*\s(?:a|aux)\b",
    r"\b(?:pas|not)\s(?:le\s|on\s|the\s|pour\s|for\s|ce\s|this\s)?(?:lundi|mardi|mercredi|jeudi|vendredi"
    r"|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday|demain|tomorrow"
    r"|aujourdhui|today|\d{1,2}(?:er|st|nd|rd|th)?)\s(?:mais|but|plutot|rather)\b",
    r"\b(?:si\s)?(?:cela|ca|ce|c)\sne\svous\s(?:derange|ennuie|embete|gene|pose)\s(?:pas|point)\b"
    r"|\bsans\svous\s(?:deranger|importuner|commander)\b|\bne\s(?:plus|pas)\svous\s(?:importuner|deranger"
    r"|embeter|ennuyer|deranger)\b|\bn\shesitez\spas\b|\bsi\sce\sn\sest\spas\strop\b|\bsans\sexception\b"
    r"|\b(?:if\s)?(?:it\s(?:s|is)\s|it\s(?:s|is)\snot\s|that\s(?:s|is)\s)?(?:no|not\stoo\smuch)\s(?:bother"
    r"|trouble)\b|\bif\syou\s(?:don\st|do\snot)\smind\b|\bnot\sa\sproblem\b|\bno\sproblem\b",
    r"\b(?:c\sest|ce\sserait|ca\sserait|ca\sest|est|sera|serait|it\s(?:s|is|would\sbe))\s(?:beaucoup\s)?"
    r"(?:plus|more)\s(?:simple|facile|pratique|rapide|leger|commode|easy|easier|simple|practical|convenient)\b"
    r"|\bsans\s(?:ascenseur|voiture|aide|personne|famille|lift|elevator)\b|\bwithout\s(?:a\s)?(?:lift"
    r"|elevator|car|help)\b|\bmange\s(?:pas|plus)\s(?:beaucoup|grand\schose|autant|tant|trop)\b"
    r"|\bdon\st\seat\s(?:much|a\slot|as\smuch)\b",
    r"\b(?:de|en)\splus\b|\bplus\s(?:tard|\d|une?|tot|rapide\w*|vite)\b|\b(?:\d|une?)\splus\b"
    r"|\bpas\strop\b|\bnot\stoo\b|\bpas\smal\b",
    r"\b(?:n\s|ne\s)?(?:y\s)?(?:arrive|arrivons|peux|peut|pouvons|supporte|porte|souleve|descends|descend"
    r"|sors|sort|marche|bouge|vois|entends)\s(?:plus|pas)\b|\b(?:can\st|cannot|can\snot|couldn\st)\s(?:\w+\s)?"
    r"(?:manage|carry|lift|get|walk|go|make|do|reach|see|hear|cope)\b",
    r"\bdon\st\sforget\b|\bn\soubliez\spas\b|\b(?:isn|aren|wasn)\st\sit\b|\bn\sest\sce\spas\b",
    r"\brien\sd\sautre\b|\bnothing\selse\b|\bnon\spas\b|\bnot\s\d\b|\bpas\s\d\b",
    # "de l'eau demain, je n'en ai plus", "j'en ai plus", "I've none left": why they order
    r"\b(?:je\s|j\s)?(?:n\s)?en\s(?:ai|a|avons)\s(?:plus|pas|presque\splus)(?:\sdu\stout)?\b"
    r"|\b(?:i\s(?:ve|have)\s)?(?:none|nothing)\sleft\b|\bi\s(?:ve|have)\s(?:run\s)?out\b",
    r"\b(?:ne|n)\s(?:\w+\s){1,2}qu(?:e)?\b",
    r"\bpas\sde\s(?:souci|probleme|soucis)\b|\bno\s(?:worries|problem|rush|hurry)\b|\bpas\spresse\b"
    r"|\bpas\s(?:facile|evident|simple)\b|\bnot\s(?:easy|simple)\b",
    r"\bn\s(?:ai|a|avons)\s(?:plus|pas)\sd\w*\b|\bhave\sno\b|\b(?:run|ran)\sout\b|\bno\s\w+\sleft\b",
    r"\bpas\sencore\scommande\w*\b|\bn\sai\spas\sencore\b",
    r"\b(?:pas|no)\s(?:besoin|need)\s(?:de|d|to)\s(?:sonner|ring|knock|frapper|monter|come\sup|call|appeler"
    r"|wake|reveiller)\b|\bsans\s(?:sonner|frapper)\b|\bne\spas\s(?:sonner|frapper)\b|\bdon\st\s(?:ring|knock)\b",
)
# "je ne sais pas trop comment ça marche": unsure how the service works, not about the order.
_NOT_HOW = (
    r"(?!\s(?:trop\s|bien\s|tres\sbien\s)?(?:comment|faire|utiliser|me\sservir|si\sc\sest\sle\sbon"
    r"|si\sje\sfais\sbien|a\squi|ou\s))"
)
# The tenant is not sure: "je ne sais pas si j'aurai besoin de pain", "not sure I need water",
# "maybe a loaf on Friday". An order read from it is asked, never assumed.
UNSURE = _rx(
    r"\b(?:ne\s|n\s)?(?:crois|pense)\s(?:pas|plus)\b|\b(?:don\st|do\snot)\sthink\b|\bi\sdoubt\b",
    r"\b(?:ne\s|n\s)?sais\s(?:pas|plus)\s(?:encore\s)?(?:si|trop|bien|quand|combien)\b"
    + _NOT_HOW
    + r"|\bje\ssais\spas\b"
    + _NOT_HOW
    + r"|\bpas\ssure?s?\b|\bnot\s(?:sure|certain)\b|\bunsure\b"
    r"|\b(?:don\st|do\snot)\sknow\s(?:if|whether|yet)\b"
    r"|\bpeut\setre\b|\bmaybe\b|\bperhaps\b|\bje\sverrai\b|\bon\sverra\b|\bi\sll\ssee\b|\bpossibly\b"
    r"|\bje\sne\ssais\spas\b"
    + _NOT_HOW
    + r"|\bi\sdon\st\sknow\b(?!\s(?:how|if\sthis|if\si\sm\sdoing))",
)
# "je n'ai plus de pain" says what is missing at home; it is not "no more bread".
STATE_NEGATION = _rx(
    r"\b(?:n\s)?(?:ai|a|avons|have)\s(?:plus|pas|no)\s(?!besoin|need)(?:de|d|du|any|more)?\b",
    r"\b(?:run|ran|running)\sout\b|\b(?:i\sm|i\sam|we\sre|we\sare)\s(?:\w+\s)?out\sof\b|\ba\scourt\sd"
    r"|\b(?:me|nous|en)\sreste\s(?:plus|pas|rien)\b|\by\sa\s(?:plus|pas)\sd|\bno\s\w+\s(?:left|at\shome"
    r"|in\sthe\s(?:house|flat|cupboard))\b|\bplus\sd\w*\s\w+\s(?:a\sla\smaison|chez\smoi)\b",
)
# Told in the past tense: "j'étais absente du 1er au 5", "I was away from the 3rd to the 8th".
PAST_TENSE = _rx(
    r"\b(?:j\setais|etais|etait|etions|j\sai\sete|avons\sete|ai\sete|suis\spartie?|suis\srentree?"
    r"|sommes\spartis|sommes\srentres|i\swas|we\swere|i\swent|we\swent|was\saway|were\saway"
    r"|i\shave\sbeen|i\sve\sbeen|had\sbeen|came\sback|got\sback|returned)\b"
)
# One order or delivery, named as such: "annule la commande de la semaine prochaine" cancels it.
ONE_ORDER = _rx(
    r"\b(?:week|weeks|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today)\ss\s"
    r"(?:order|delivery|bread|loaf|loaves|water|pack|baguette)\b",
    r"\b(?:la|ma|cette|une|the|my|that|this)\s(?:derniere\s|last\s|next\s|prochaine\s)?(?:commande"
    r"|livraison|order|delivery)\b",
)
STOP_WORDS = _rx(r"\b(?:stop\w*|arret\w*|cess\w*)\b")
DELIVERY_WORDS = _rx(r"\b(?:livraisons?|deliver\w*|commandes?|orders?)\b")

# --- orders ----------------------------------------------------------------------------------

REQUEST = _rx(
    r"\b(?:voudrais|voudrait|voudrions|voulais|veux|veut|voulons|aimerais|aimerait|aimerions"
    r"|souhaite|souhaiterais|souhaiterait|desire|desirerais|prendrai|prendrais|prends"
    r"|commander|faut|faudrait|faudra|besoin|apport\w*|amen\w*|ramen\w*|livrer|livrez|montez"
    r"|monter|mettez|mettre|mets|deposez|deposer|reserv\w*|gardez|garder|pourrais|pourriez"
    r"|pouvez|pourrait|peux|puis|possible|svp|stp|plait|ya\smoyen|y\sa\smoyen)\b"
    r"|\b(?:d|par|a\sl)\savance\b",
    r"\b(?:ce\sserait|c\sest|ca\sserait)\spour\b|\baurais\svoulu\b",
    r"\b(?:je|j|on|nous)\s(?:vous\s)?(?:re)?commande\b|^commande\b",
    r"\b(?:want|wants|would\slike|d\slike|like\sto|need|needs|can\si|could\si|may\si|please"
    r"|bring|send|deliver|(?<!of\s)order|get\sme|give\sme|i\sd\slove|can\syou|could\syou|would\syou"
    r"|i\sll\s(?:have|take)|i\swill\s(?:have|take))\b",
)
# Words of wanting that ask nothing: "je voulais vous dire", "I just wanted to say".
NOT_A_REQUEST = _rx(
    r"\b(?:voulais|voulait|voudrais|tenais\sa|souhaitais|souhaite|aimerais)\s(?:juste\s|simplement\s|seulement\s)?"
    r"(?:vous\s|te\s)?(?:dire|remercier|signaler|informer|prevenir|savoir|demander\ssi|verifier|feliciter)\b",
    r"\b(?:just\s)?(?:wanted|want|wanna|would\slike|d\slike)\sto\s(?:say|thank|let\syou\sknow|tell|check|know"
    r"|ask\sif|make\ssure|mention)\b",
    r"\b(?:vous|te|leur|lui)\ssouhaite\b|\bsouhaite\sa\s(?:tous|toutes|vous|tout\sle\smonde|l\sequipe)\b"
    r"|\b(?:wish|wishing)\s(?:you|everyone|all)\b",
)
# The request is negated: "je ne veux pas de pain", "I don't want".
NEGATED_REQUEST = _rx(
    r"\b(?:ne\s|n\s)(?:en\s)?(?:veux|voudrais|souhaite|veut|faut|peux|peut|pourrai|pourrais|arrive"
    r"|sais)\s(?:pas|plus)\b(?!\s(?:abuser|exagerer|deranger|embeter|ennuyer|vous\s(?:deranger|embeter"
    r"|ennuyer)|en\sdemander\strop|trop\sen\sdemander)\b)",
    r"\b(?:can\st|cannot|can\snot|couldn\st)\b",
    r"\b(?:don\st|do\snot|dont)\s(?:want|need)\b|\bno\slonger\s(?:want|need)\b",
)
# Words of time the date reader could not place: a cancellation then asks which day.
TIME_WORDS = _rx(
    r"\b(?:pendant|durant|during|jusqu\w*|until|semaine|week|mois|month|fetes|vacances|holidays?"
    r"|noel|christmas|absence|retour|back|over|period|periode|new\syear|nouvel\san|reveillon"
    r"|fin\sd\s?annee|easter|paques|half\sterm|summer|ete|hiver|winter|toussaint|weekend|week\send"
    r"|fortnight|quinzaine|time|moment|temps)\b"
)
ORDER_WORDS = _rx(r"\bcommand\w*\b|\blivraison\b|(?<!of\s)\border\b|\bdelivery\b")
# "As usual": an order whose items the parser cannot know.
USUAL = _rx(
    r"\bcomme\sd\shabitude\b|\bcomme\s(?:la\s)?derniere\sfois\b|\bla\smeme\schose\b"
    r"|\bpareil\b|\bthe\susual\b|\bsame\sas\s(?:usual|last\s(?:time|week)|before|always)\b"
    r"|\bsame\sagain\b|\bcomme\s(?:la\ssemaine|le\smois)\sderniere?\b|\bcomme\sd\sab\b"
    r"|\bcomme\sd\shab\b|\bcomme\sto(?:u|)jours\b|\bas\susual\b"
)
# The tenant corrects themself: with two numbers for one item, which one is meant?
CORRECTION = _rx(
    r"\b(?:non|pardon|plutot|en\sfait|je\sveux\sdire|enfin|euh|sorry|i\smean|actually|rather"
    r"|correction|oups|oops)\b"
)
# Signs the standing order is meant even without weekdays: "désormais", "toutes les semaines".
STANDING = _rx(
    r"\b(?:desormais|dorenavant|regulierement|a\sl\savenir|a\spartir\sde\smaintenant|chaque"
    r"\ssemaine|toutes\sles\ssemaines|hebdomadaire|from\snow\son|regularly|every\sweek|weekly"
    r"|each\sweek|in\sfuture|going\sforward)\b",
    # "… au lieu d'un, toujours", "…, always": said last, of the habit (not "j'ai toujours du pain")
    # ("pour jeudi toujours" is still that day)
    r"(?<!pour\slundi)(?<!pour\smardi)(?<!pour\smercredi)(?<!pour\sjeudi)(?<!pour\svendredi)"
    r"(?<!pour\ssamedi)(?<!pour\sdemain)"
    r"(?:^|\s)(?:,\s|et\s|and\s)?(?:toujours|always|tout\sle\stemps)(?:\s(?:svp|merci|please))?\s?\.?$",
)

# --- small talk ------------------------------------------------------------------------------

SMALLTALK = _rx(
    r"\b(?:bonjour|bonsoir|salut|coucou|hello|hi|hey|hiya|allo|good\s(?:morning|afternoon|evening"
    r"|night|day))\b",
    r"\b(?:merci|thanks|thank|cheers|remercie\w*|gracias)\b",
    r"\b(?:ok|d\saccord|entendu|parfait|super|genial|top|cool|nickel|tres\sbien|bien\srecu|recu"
    r"|note|great|perfect|lovely|brilliant|fine|noted|got\sit|understood|alright|oui|non|yes|no"
    r"|yep|nope|ouais|voila|marche)\b",
    r"\b(?:bonne\s(?:journee|soiree|nuit|semaine|fin\sde\sjournee|annee|fete|fetes|continuation"
    r"|sante)|bon\s(?:week\send|weekend|dimanche|appetit|courage|noel|apres\smidi)|joyeux\s"
    r"(?:noel|anniversaire|paques)|meilleurs\svoeux|a\sbientot|a\sdemain|au\srevoir|bises|bisous"
    r"|a\splus|have\sa\s(?:nice|good|lovely|great)|merry\schristmas|happy\s(?:new\syear|christmas"
    r"|easter|birthday)|see\syou|take\scare|bye|goodbye|regards|best\swishes)\b",
    r"\b(?:bonne\sfin\sde\s(?:semaine|journee|soiree|week\send)|joyeuses?\sfetes|bonnes\sfetes"
    r"|a\s(?:la\s)?(?:semaine\sprochaine|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|tout\sa\sl\sheure|plus\stard|la\sprochaine)|je\svous\sembrasse|embrasse\w*|bless\w*"
    r"|love\syou|lots\sof\slove|xx+)\b",
    r"\b(?:etait|etaient|est|was|were|is)\s(?:tres\s|vraiment\s|super\s|really\s|very\s|so\s)*"
    r"(?:bon|bonne|bons|delicieux|delicieuse|excellent|excellente|parfait|parfaite|frais|fraiche"
    r"|croustillant|top|super|lovely|delicious|great|nice|good|fresh|perfect|tasty)\b",
    r"\b(?:comment\s(?:allez\svous|vas\stu|ca\sva)|ca\sva|how\sare\syou|how\s(?:s|is)\sit\sgoing"
    r"|je\svais\sbien|i\sm\s(?:fine|ok|well|good))\b",
    r"\b(?:mdr|lol|haha\w*|hihi\w*|tkt|bisous|gentil\w*|adorable|sympa|kind|bravo|chapeau)\b",
    r"\b(?:c\sest|moi\sc\sest|this\sis|it\s(?:s|is))\s(?:moi|mme|madame|monsieur|mr|mrs|ms|miss"
    r"|mamie|papi|\w+)\b",
)
# Thanks, praise and family news said at length: small talk however many words they take.
SOCIAL = _rx(
    r"\b(?:please\s)?thank\s(?:the|her|him|them|everyone|everybody|all|your|our)\b|\bremerciez\b"
    r"|\bdites\s(?:merci|bonjour)\b|\bpassez\s(?:le\s|mon\s)?bonjour\b|\bsay\s(?:thanks|thank\syou|hello"
    r"|hi)\sto\b|\b(?:give|send)\s(?:my\s)?(?:love|regards|best)\sto\b|\bbisous?\sa\b|\bun\sregal\b"
    r"|\b(?:says|dit|disent)\s(?:hello|hi|bonjour|merci|thanks|thank\syou)\b",
    r"\bremerci\w*\b|\bmerci\s(?:infiniment|mille\sfois|beaucoup|encore|pour\stout|a\s(?:vous|tous"
    r"|toute|toi|lui|elle|eux)|du\sfond|pour\sce\sque)\b|\b(?:un\s)?(?:grand|gros|immense)\smerci\b"
    r"|\bmille\smercis?\b|\bthank\s(?:you|u)\b|\bthanks\b|\bcheers\b|\b(?:much|really|greatly)"
    r"\sappreciated\b|\bgrateful\b|\breconnaissante?s?\b|\bappreciate\b",
    r"\bmerci\sde\s(?:vous\s|bien\s)?(?:occuper|prendre\ssoin|veiller|tout|votre|passer\svoir|penser)\b"
    r"|\bthank\w*\s(?:\w+\s){0,3}for\s(?:looking\safter|taking\scare|everything|all)\b",
    r"\b(?:viens\sd\savoir|vient\sd\savoir|je\sfete|feter\smes|fete\smes|just\sturned)\s\d{2,3}\b"
    r"|\b\d{2,3}\s(?:ans|years?\sold|today)\s?(?:aujourdhui|today|demain|tomorrow|hier|yesterday)?\b(?=\s*$)"
    r"|\b\d{2,3}\s(?:ans|years?\sold)\s(?:aujourdhui|today|demain|tomorrow|hier|yesterday)\b|"
    r"\banniversaire\b|\bbirthday\b|\b(?:j\sai|i\sm|i\sam|i\sturned|i\sturn|j\sai\seu|je\sfete"
    r"|fete|turned|turning)\s(?:mes\s)?\d{2,3}(?:th)?\s?(?:ans|today|aujourdhui|years|yesterday|hier"
    r"|demain|tomorrow)?\b",
    r"\b(?:est|sont|etes|etait|etaient|is|are|was|were|re|s)\s(?:\w+\s){0,2}(?:adorable|adorables"
    r"|charmante?s?|gentil\w*|serviable\w*|formidable\w*|genial\w*|aimable\w*|souriante?s?"
    r"|attentionne\w*|devoue\w*|merveilleu\w*|extraordinaire\w*|un\sange|une\sperle|des\sanges"
    r"|un\samour|a\sstar|stars|an\sangel|angels|a\sgem|wonderful|so\skind|very\skind|so\snice|lovely"
    r"|amazing|fantastic|brilliant|marvellous|marvelous|helpful|a\streasure|great|polie?s?|courtois\w*"
    r"|sympathiques?|sympas?|agreables?|chaleureu\w*|polite|courteous|sweet|cheerful|friendly|charming"
    r"|kind|nice|gentle|patient|gem|star|angel|treasure|diamond|saint|perle|ange|tresor|amour"
    r"|delight|darling|sweetheart|en\sor|au\stop|genial|parfaite?|a\scredit|a\sblessing|a\sgodsend"
    r"|a\slifesaver|une\sbenediction)\b",
    r"\b(?:ca|cela)\sfait\s(?:tellement\s|vraiment\s|du\s)?(?:plaisir|chaud\sau\scoeur|du\sbien)\b"
    r"|\b(?:travail|boulot|job|work)\s(?:\w+\s)?(?:formidable|genial|super|extraordinaire|remarquable"
    r"|magnifique|incroyable|fantastique|wonderful|amazing|great|fantastic|brilliant|marvellous)\b"
    r"|\b(?:formidable|super|great|wonderful|amazing|fantastic|brilliant|beau|magnifique)\s(?:travail|boulot"
    r"|job|work)\b|\bbravo\b|\bchapeau\b|\bkeep\sup\sthe\sgood\swork\b|\bcontinuez\scomme\sca\b"
    r"|\b(?:vais|va|sens|commence\sa\saller)\s(?:\w+\s)?mieux\b|\bfeel\w*\s(?:\w+\s)?better\b"
    r"|\b(?:un|une|a|such\sa)\s(?:vrai\s|real\s|grand\s|great\s)?(?:plaisir|pleasure|joie|treat)\b"
    r"|\bprenez\s(?:bien\s)?soin\sde\svous\b|\bportez\svous\sbien\b|\b(?:je|on)\spense\sa\svous\b"
    r"|\bthinking\sof\syou\b|\bstay\s(?:warm|safe|well)\b|\bkeep\s(?:well|warm|safe)\b"
    r"|\bwhat\sa\s(?:lovely|wonderful|great|kind)\b|\bquel(?:le)?\s(?:gentillesse|plaisir|service)\b",
)
# Told, not asked: "j'ai bien reçu le pain", "merci pour l'eau", "the bread was lovely".
ACKNOWLEDGED = _rx(
    r"\b(?:recu|recue|recus|eu|arrive|arrivee|etait|etaient|a\sete|got|received|was|were|came"
    r"|arrived|mange|ate|eaten|delicieu\w*|excellent\w*|trouve|trouvee|jete|jetee|found|threw"
    r"|thrown|vu|saw|seen)\b",
    r"\bmerci\s(?:\w+\s){0,3}(?:pour|de|du|des)\b|\bthank\w*\s(?:\w+\s){0,5}for\b"
    r"|\bremerci\w*\s(?:\w+\s){0,2}(?:pour|de|du|des)\b",
)
# Praise of what came: "très bonne baguette", "lovely bread". A remark unless a number is given.
FEEDBACK = _rx(
    r"\b(?:tres|super|vraiment|trop|si|tellement)\s(?:bon|bonne|bons|bonnes|delicieux|delicieuse"
    r"|croustillant\w*|frais|fraiche)\b",
    r"\b(?:delicieu\w*|excellent\w*|lovely|delicious|great|tasty|fantastic|wonderful|yummy"
    r"|gorgeous)\s(?:\w+\s)?(?:bread|loaf|loaves|baguettes?|pain|pains|water|eau)\b",
    r"\b(?:as\salways|comme\stoujours)\b",
    r"\b(?:aussi|toujours|si|tres|trop|vraiment|really|so|very|always)\s(?:bon|bonne|bons|good"
    r"|nice|lovely|delicieu\w*|delicious|tasty|frais|fresh)\b",
)
NAME_INTRO = _rx(
    r"\b(?:mme|madame|monsieur|mr|mrs|ms|miss|mlle|mademoiselle|m)\s\w+\b",
    r"\b(?:c\sest|moi\sc\sest|this\sis|it\ss|je\ssuis|i\sam|my\sname\sis|je\sm\sappelle)\s\w+\b",
)

# --- round 3: status questions, problems, volunteering, news --------------------------------

# Whether an order already sent went through: "did my order for 2 loaves go through?", "ma
# commande de jeudi est bien passée ?". A question about what is booked, whatever it names.
ORDER_STATUS = _rx(
    r"\b(?:did|has|have|was|is)\s(?:my|our|the|her|his)\s(?:\w+\s){0,7}?(?:order|request|message"
    r"|booking|text)\s(?:\w+\s){0,7}?(?:go|gone|get|got|come|been|went)\s(?:through|in|received|booked"
    r"|registered|noted|taken|processed|accepted|recorded|ok)\b",
    r"\b(?:checking|check|confirm|make\ssure)\s(?:that\s)?you\s(?:got|received|have|ve\sgot|noted|booked)\s"
    r"(?:my|our|her|his)\s(?:\w+\s){0,2}(?:order|request|message|text)\b",
    r"\b(?:did|have|has)\syou\s(?:\w+\s)?(?:get|got|receive|received|see|seen|note|noted|book|booked"
    r"|take|taken|register|registered)\s(?:my|our|the|her|his)\s(?:\w+\s){0,3}(?:order|request|message"
    r"|text|booking)\b",
    r"\ba\s(?:t\s(?:il|elle)\s)?(?:bien\s)?(?:passe|envoye|fait|pris|donne)\s(?:la|ma|sa|une|mes|les)\s"
    r"(?:commandes?|demandes?)\b",
    r"\b(?:ma|mon|la|sa|son)\s(?:\w+\s){0,2}(?:commande|demande|message|reservation)\s(?:\w+\s){0,8}?"
    r"(?:est|a\sete|a\sbien\sete|est\sbien|etait)\s(?:bien\s)?(?:passee?|enregistree?|recue?|prise?"
    r"|notee?|arrivee?|partie?|validee?|confirmee?|prise\sen\scompte)\b",
    r"\b(?:ma|mon|my)\s(?:\w+\s){0,2}(?:commande|demande|order|request)\b(?=.*\b(?:c\sest\sbon|c\sest\sok|ca\smarche"
    r"|c\sest\snote|c\sest\sbien\snote|is\sthat\s(?:ok|okay|alright|right|fine)|all\s(?:ok|good|fine|set))\s?\?)",
    r"\b(?:avez\svous|aviez\svous|auriez\svous|vous\savez|vous\saviez|vous\sauriez)\s(?:bien\s)?(?:recu|eu"
    r"|note|enregistre|pris|vu)\s(?:ma|mon|mes|sa|son)\b",
)
# Which days one's deliveries come, asked while remembering: "je ne me souviens plus quels jours".
WHICH_DAYS = _rx(r"\b(?:which|what)\sdays?\b|\bquels?\sjours?\b|\bquel\sjour\b")

# A problem, a risk or a piece of logistics for the team: what is not small talk even without a
# request or a question ("j'ai glissé dans l'escalier", "ma fille va vous appeler").
PROBLEM = _rx(
    # bills and money troubles
    r"\b(?:factures?|bills?|impayee?s?|dettes?|debts?|huissier|expulsion|eviction)\b",
    # lost, stolen, gone
    r"\b(?:perdu\w*|egare\w*|disparu\w*|volee?s?|lost|misplaced|stolen|disappeared|gone\smissing"
    r"|(?:can\st|cannot|couldn\st|can\snot)\s(?:seem\sto\s)?find|(?:re)?trouve\s(?:plus|pas)"
    r"|(?:arrive|arrivons)\s(?:pas|plus)\sa\s(?:trouver|retrouver|remettre\sla\smain)|echappee?s?"
    r"|escaped|ran\saway|run\soff|fugue|nicked|pinched|swiped|piquee?s?|embarquee?s?)\b"
    r"|\b(?:is|s|has|have|are)\s(?:\w+\s)?gone\b(?!\s(?:to|out|up|down|through|by|off|well|past|into|in|on"
    r"|back|home|for|with|away|quiet))",
    # a stranger, a scam
    r"\b(?:inconnu\w*|strangers?|suspicious|suspect\w*|louche|arnaque\w*|scam\w*|escroc\w*|faisait\spasser"
    r"|pretend\w*|claim(?:ing|ed)|pretendait|disait\s(?:venir|etre)|de\svotre\spart|said\s(?:he|she|they)"
    r"\s(?:was|were|came)\sfrom|sonne\w*\sa\stoutes|knock\w*\son\s(?:every|all))\b",
    # health and falls
    r"\b(?:tombee?s?|chute|glisse\w*|fall|fell|fallen|slipped|tripped|pas\sbien|unwell|poorly|dizzy"
    r"|vertiges?|malaise|faint\w*|blesse\w*|injur\w*|hurt|bleeding|saigne\w*|fievre|fever|grippe|flu"
    r"|covid|hospitalis\w*|ambulance|aches?|aching|sore|pain\sin\s(?:my|the|her|his)|(?:back|chest|neck"
    r"|knee|hip|stomach|joint|tooth|leg|arm)\s?(?:pain|ache)|i\s(?:have|ve\sgot|m\sin|am\sin)\s(?:\w+\s)?"
    r"pain)\b",
    # logistics for the team: a call, someone fetching, an appointment, a carer
    r"\b(?:vous\s(?:appeler|appellera|telephoner|rappeler|contacter)|(?:call|ring|phone)\syou|rappelez\smoi"
    r"|appelez\smoi|call\sme|ring\sme|phone\sme|(?:viendra|passera|passe|vient)\s(?:le\s|la\s|les\s)?(?:chercher"
    r"|prendre|recuperer)|vous\s(?:rappelle|appelle|telephone)\w*|i\s?ll\s(?:call|ring|phone)|en\sretard"
    r"|restee?s?\souverte?s?|left\sopen|(?:froid|chaud|cold|hot|freezing)\s(?:\w+\s)?(?:chez\smoi|dans\s(?:mon"
    r"|l)\s(?:appartement|logement)|in\s(?:my|the)\s(?:flat|house|home|room))"
    r"|vient\s(?:chercher|recuperer)|(?:pick|collect|fetch)\w*\s(?:it|them|up|the|my)|recuperer"
    r"|rendez\svous|appointment|medecin|docteur|doctor|infirmi\w*|nurse|kine|dentist\w*|aide\ssoignante?"
    r"|carers?|auxiliaire\sde\svie)\b",
    # wrong number, robots
    r"\b(?:mauvais\snumero|wrong\snumber|sondage|survey|gagnez|vote|bon\sd\sachat|voucher|text\s(?:yes|win)"
    r"|offre\sspeciale|promo\w*|abonnez\svous)\b",
    # a delivery gone wrong: woken, rung early, waiting, left in the rain, for another flat
    r"\b(?:reveill\w*|woke|woken|wake\sme|attend\w*|waiting|waitin|wait\sfor|no\ssign\sof|pas\sde\snouvelles"
    r"|left\s(?:\w+\s)?(?:outside|in\sthe\srain|on\sthe\s(?:step|floor|ground))|(?:was|were|etait|etaient)"
    r"\spour\s(?:le|la|l)\s(?:\d+|numero|voisin\w*|appartement)|was\sfor\s(?:number|flat|no|\d+|my\sneighbou?r)"
    r"|(?:didn\st|did\snot|doesn\st|never|n\sa\spas|n\sont\spas)\s(?:ring|knock|sonne|frappe)\w*"
    r"|sonne\w*\s(?:a\s)?\d+\s?h|rang\s(?:at\s)?\d+)\b",
    # a theft from the door, a stranger who said who he was
    r"\b(?:took|taken|nicked|pinched|piquee?|prise?|enlevee?|arrachee?)\s(?:\w+\s){0,4}(?:off|from|de|sur)\s"
    r"(?:my|the|ma|la|mon|sa|his|her)\s(?:door|porte)\b|\bsaying\s(?:he|she|they)\s(?:was|were|is|are)"
    r"\s(?:from|with)\b|\b(?:didn\st|did\snot|don\st)\sknow\s(?:him|her|them)\b|\b(?:man|woman|lady"
    r"|guy|bloke)\si\s(?:didn\st|did\snot|don\st)\sknow\b|\ben\sdisant\squ\s(?:il|elle)\b|\bse\sdisant\b"
    r"|\bpretendant\b",
    # out for a while: the delivery may find nobody
    r"\b(?:je\ssuis\s(?:sortie?|partie?)\s(?:\w+\s)?(?:faire|pour|a|au|chez)|je\srentre\s(?:vers|a|dans)"
    r"|rentre\s(?:vers|dans)\s(?:\d|une|un|midi)|back\sin\s(?:\w+\s){0,3}(?:minutes?|hours?|hour)|i\sm\sout"
    r"|i\sm\sat\sthe\s\w+|not\sin\s(?:until|till|before))\b",
    # danger: gas, smoke, fire, a break-in, someone prowling
    r"\b(?:odeur|smell\w*|fumee|smoke|feu|fire|incendie|alarme|alarm|essaye\w*\sd\s?(?:ouvrir|entrer|forcer)"
    r"|tried\sto\s(?:open|get\sin|break)|forc\w*\s(?:la|ma|the|my)\s(?:porte|serrure|door|lock)|break\s?in"
    r"|broke\sin|burglar\w*|strange\s(?:man|woman|person|people|guy|men|car|noise)|hanging\saround|rode\w*"
    r"|trainent|traine\sdans|(?:dame|femme|homme|monsieur|type|gars|personne|jeune|man|woman|lady|guy|person"
    r"|bloke|chap)\s(?:bizarre|louche|etrange|inconnue?|strange|odd|weird|suspicious|unknown)|demarch\w*"
    r"|porte\sa\sporte|door\sto\sdoor|colporteur\w*|vendre\sdes|selling)\b",
    # a thing of the door come loose: "le sac à pain n'est plus accroché", "has come off"
    r"\b(?:(?:n\s)?(?:est|sont)\s(?:plus|pas)\s(?:accroch\w*|fixe\w*|en\splace|a\ssa\splace)|decroch\w*"
    r"|(?:has|have|s)\s(?:come|fallen)\s(?:off|down|loose))\b",
    # water where it should not be
    r"\b(?:coming\s(?:in\s)?through|comes\sthrough|leak\w*\sthrough|qui\scoule|coule\s(?:du|de\sla|par|sous"
    r"|dans))\b",
    # someone at the door in the night
    r"\b(?:(?:ring|ringing|rang|knock\w*|sonne\w*|frappe\w*)\s(?:\w+\s){0,3}(?:at\snight|in\sthe\snight"
    r"|and\srun\w*|and\sran|la\snuit|en\spleine\snuit)|running\soff|ran\soff|s\senfui\w*)\b",
    # wet through: the bag or the bread soaked
    r"\b(?:plein\sd\s?eau|pleine\sd\s?eau|full\sof\swater|soaked|soaking|sodden|trempee?s?|mouillee?s?"
    r"|detrempee?s?)\b",
    # the building: a fault, pests, no hot water, water cut off, a drip
    r"\b(?:ferme\s(?:plus|pas|mal)|s\souvre\s(?:plus|pas)|bloquee?s?|coincee?s?|jammed|(?:won\st|doesn\st"
    r"|will\snot|does\snot)\s(?:open|close|lock|shut)|coule|leaking|leaks?|fuites?|degats?|chauffe\seau"
    r"|eau\schaude|hot\swater|heater|boiler|chaudiere|coupure|power\scut|cafards?|souris|rats?|punaises?"
    r"|cockroach\w*|mice|moisissure|humidite|damp|mould|mold|flicker\w*|clignot\w*|gresill\w*"
    r"|code\s(?:de\sl\s|du\s|de\sla\s)?(?:immeuble"
    r"|batiment|residence|entree|porte|hall|portail)|(?:door|gate|key|entry)\scode)\b",
    r"\b(?:coupee?s?|cut\soff|turned\soff|shut\soff)\s(?:\w+\s){0,2}(?:eau|electricite|courant|gaz"
    r"|chauffage|water|electricity|power|gas|heating)\b|\b(?:eau|electricite|courant|gaz|chauffage|water"
    r"|electricity|power|gas|heating)\s(?:\w+\s){0,2}(?:coupee?s?|cut\soff|off|est\scoupee?)\b"
    r"|\b(?:drip\w*|gouttes?|goutte|ruisselle\w*|suinte\w*|infiltrations?|fissures?|cracks?|cracked"
    r"|plafond|ceiling|inond\w*|flood\w*)\b",
)
# Asking the team to tell a relative: "prévenez ma fille que je suis à l'hôpital".
PASS_ON = _rx(
    r"\b(?:prevenir|prevenez|avertir|avertissez|appeler|appelez|telephoner\sa|dire\sa|dites\sa|tell|inform"
    r"|call|ring|phone|contact|contacter|contactez)\s(?:ma|mon|mes|my)\s(?:\w+\s)?(?:fille|fils|enfants?"
    r"|famille|soeur|frere|mari|femme|voisine?|daughter|son|children|kids|family|sister|brother|husband"
    r"|wife|neighbou?r|niece|nephew|niece|neveu)\b|\blet\smy\s\w+\sknow\b",
)
# Offering to help, not asking for it: "je voudrais devenir bénévole", "I'd like to help out".
VOLUNTEERING = _rx(
    r"\b(?:devenir|etre|become|be|join\s(?:you\s)?as)\s(?:\w+\s)?(?:benevole|volunteer)s?\b"
    r"|\bcomme\sbenevole\b|\bas\sa\svolunteer\b|\bbenevolat\b|\bvolunteering\b|\bto\svolunteer\b"
    r"|\bhelp\sout\b|\bhappy\sto\shelp\b|\bheureuse?\sd\saider\b|\bif\syou\sneed\s(?:drivers|volunteers"
    r"|a\shand|an\sextra\spair|more\shelp)\b|\bsi\svous\savez\sbesoin\sd\s(?:aide|benevoles|bras|chauffeurs?"
    r"|un\scoup\sde\smain)\b"
    r"|\bi\s(?:could|can|would|d|will|ll)\svolunteer\b",
    r"\b(?:je|j|i|i\sd|i\swould|can\si|could\si|je\speux|je\spourrais|je\svoudrais|j\saimerais|i\sd\slove"
    r"|i\sd\slike\sto)\s(?:\w+\s){0,3}(?:vous\saider|aider\s(?:a\s(?:livrer|distribuer|porter)|l\sassociation"
    r"|les\sautres|pour\sles\slivraisons|aux\slivraisons)|help\sout|help\swith\sthe\s(?:deliveries|rounds"
    r"|round)|lend\sa\shand|donner\sun\scoup\sde\smain|help\s(?:you\s)?deliver|help\sdelivering"
    r"|faire\sdes\slivraisons|do\s(?:some\s)?deliveries|help\s(?:you|others|other\speople))\b",
    r"\b(?:c\sest|it\s(?:s|is))\s(?:pour|about)\s(?:etre|devenir|becoming|being)\s(?:\w+\s)?(?:benevole|volunteer)",
)
# Help with something the service does not do: a form, a letter, carrying, the computer.
ASSIST = _rx(
    r"\b(?:help\s(?:me\s)?(?:to\s)?|m\saider\sa|aidez\smoi\sa|aide\spour|help\swith)\s?(?:fill|write|read"
    r"|carry|move|change|fix|sort|find|do|remplir|ecrire|lire|porter|changer|reparer|trouver|faire|my|mon"
    r"|ma|mes)\w*\b|\b(?:formulaire|form|papiers?|paperwork|dossier|courrier|letter|lettres?|caf|impots?|tax"
    r"|demarches?|administrati\w*"
    r"|ordinateur|computer|internet|ampoule|light\sbulb|shopping|courses|menage)\b",
)
# Words about the service itself: with them, a request for help is about using it.
SERVICE_WORDS = _rx(
    r"\b(?:command\w*|annul\w*|livr\w*|pain|eau|baguettes?|bread|water|loaf|loaves|orders?|cancel\w*"
    r"|deliver\w*|textos?|sms|messages?|stop|service|abonnement|subscription)\b"
)
# Someone else's trouble: "my neighbour has had a fall and is in hospital" (no pause of ours).
NEIGHBOUR_NEWS = _rx(
    r"\b(?:ma|mon|my|our|notre|the|la|le)\s(?:voisine?s?|neighbou?rs?|amie?s?|friends?|copine|concierge"
    r"|gardien\w*)\s(?:\w+\s){0,4}(?:est|a|has|is|was|had|s|ete)\s(?:\w+\s){0,3}(?:hopital|hospital"
    r"|tombee?|fall|fell|malade|ill|sick|partie?|away|decede\w*|died|passed|hospitalise\w*|clinique)\b",
)
# "lundi alors. et une baguette avec": the item goes with the order asked about
# "ajoutez un pack d'eau aux baguettes", "add a pack of water to the bread": what it goes with
ADD_TO = _rx(
    r"\b(?:ajout\w*|rajout\w*|add|adding)\b.*\b(?:aux|au|a la|a ma|a mes|a mon|to the|to my)\s"
    r"(?:baguettes?|pains?|packs?|eau|bread|loaf|loaves|water|commande|order)\b"
)
WITH_IT = _rx(
    r"\b(?:avec|with\sit)\W*$|\bavec\s(?:ca|cela)\b"
    r"|\bwith\s(?:it|them|those|that|the\s(?:bread|loaves|baguettes|loaf|water))\b(?!\s(?:on|for))"
)
# Worry about a neighbour: "je ne l'ai pas vue depuis 3 jours", "ses volets restent fermés".
NEIGHBOUR_WORRY = _rx(
    r"\b(?:voisine?s?|neighbou?rs?|next\sdoor|d\sa\scote|d\sen\sface)\b(?:\s\S+){0,14}?\s(?:pas\s(?:vue?s?"
    r"|entendue?s?)|plus\s(?:vue?s?|entendue?s?)|volets?\s(?:restent\s|sont\s)?(?:fermes?|clos)|not\sseen"
    r"|haven\st\sseen|hasn\st\s(?:been|answered)|curtains?\s(?:are\s|still\s)*(?:closed|drawn)"
    r"|m\sinquiete|inquiet\w*|worried|worrying|ne\srepond|n\sa\spas\srepondu|isn\st\sanswering)",
    r"\b(?:i\sm|i\sam)\s(?:very\s|really\s|a\sbit\s|quite\s)?(?:worried|concerned)\sabout\s(?:him|her"
    r"|them|my\sneighbou?r|mr|mrs|ms|madame|monsieur)\b|\bje\sm\sinquiete\spour\s(?:lui|elle|ma\svoisine"
    r"|mon\svoisin|madame|monsieur|m|mme)\b",
)
# For a person of the team, beside whatever else the message asks: "est-ce que Claire pourrait
# m'appeler", "call me back", "mon nouveau numéro c'est le 06…".
FOR_TEAM = _rx(
    r"\b(?:pourrait|pourriez|peut|pouvez|pourrais|voudrais|aimerais)\s(?:\w+\s){0,2}(?:m\sappeler|me"
    r"\sappeler|me\srappeler|me\stelephoner|m\stelephoner)\b|\b(?:rappelez|appelez)\smoi\b"
    r"|\b(?:could|can|would)\s(?:\w+\s){0,3}(?:call|ring|phone)\sme\b|\bcall\sme\sback\b",
    r"\b(?:nouveau|new)\s(?:numero|number|portable|mobile)\b|\bchange\w*\sde\s(?:numero|portable"
    r"|telephone)\b|\bchang\w*\s(?:my\s)?(?:phone\s|mobile\s)?number\b",
    # a person to talk to, about something of their own ("un souci avec mon propriétaire")
    r"\b(?:parler|discuter)\s(?:a|avec)\s(?:quelqu\s?un|une\spersonne|un\sresponsable|la\s"
    r"coordinat\w*|l\sequipe|l\sassociation)\b|\b(?:speak|talk)\s(?:to|with)\s(?:someone|somebody"
    r"|a\sperson|the\scoordinator|the\steam)\b",
    # a death in the family: the team wants to know, whatever else the message asks
    r"\b(?:decede\w*|deces|obseques|enterrement|passed\saway|funeral|(?:has|had|just)\sdied)\b",
)
# Laughter and jokes: a question answered in the same message is a riddle, not a question.
LAUGH = _rx(
    r"\b(?:haha\w*|hihi\w*|hehe\w*|mdr|lol|ptdr|xd|blague|joke|devinette|riddle|rigol\w*|funny)\b"
)
# Questions asked to be friendly: "comment allez-vous ?", "did you have a nice weekend?"
SOCIAL_QUESTION = _rx(
    r"\b(?:comment\s(?:allez\svous|vas\stu|ca\sva|va\s(?:la\sfamille|le\sbebe|votre|ta|ton))|ca\sva|how\s(?:are"
    r"|re)\syou|how\s(?:s|is|was|were)\s(?:it\sgoing|your|the\sfamily|life|things)|how\syou\sdoing"
    r"|(?:did|have)\syou\s(?:had|have)\sa\s(?:nice|good|lovely|great)|(?:vous\savez|avez\svous|as\stu)"
    r"\s(?:passe|eu)\sun\s(?:bon|beau|agreable|bonne)|vous\sallez\sbien|tu\svas\sbien|you\sok|you\salright"
    r"|savez\svous\spourquoi|vous\ssavez\spourquoi|do\syou\sknow\swhy|guess\swhat|devinez"
    r"|(?:savez\svous|vous\ssavez|tu\ssais|sais\stu)\sce\squ?i?|do\syou\sknow\swhat|what\sdo\syou\scall"
    r"|quel\sest\sle\scomble|c\sest\sl\shistoire)\b"
)
# Someone of the family visits: news, not a visit asked of the service.
VISIT_NEWS = _rx(
    r"\b(?:my|ma|mon|mes|his|her|our|notre|nos)\s(?:\w+\s)?(?:grandsons?|granddaughters?|grandchildren"
    r"|grandkids|sons?|daughters?|sisters?|brothers?|family|kids|children|friends?|niece|nephew|cousins?"
    r"|petits?\s?fils|petites?\s?filles?|petits?\s?enfants|fils|filles?|soeurs?|freres?|famille|enfants"
    r"|amie?s?|neveu|niece|cousine?s?|belle\s?fille|gendre|mari|femme|husband|wife)\s(?:\w+\s){0,2}"
    r"(?:is|are|was|were|will\sbe|came|comes|come|coming|visited|vient|viennent|est\svenue?s?|sont\svenue?s?"
    r"|arrive|arrivent|arrives|arriving|arrived|est\sarrivee?|sont\sarrive\w*"
    r"|va\svenir|vont\svenir|viendra|viendront|passe|passent|est\spasse\w*|m\sa\srendu|m\sont\srendu"
    r"|me\srend|me\srendent|sera|seront)\b",
)
# Cancelling all deliveries of a period, not one order: "annule tout la semaine prochaine".
ALL_DELIVERIES = _rx(
    r"\b(?:everything|all|tout|toutes?\s(?:les|mes)|deliveries|livraisons|orders|commandes)\b"
)
# Asking for something the bot cannot do, in words the order cues leave out.
WISH = _rx(
    r"\b(?:je\scherche|cherche\squelqu\sun|looking\sfor|j\sai\sbesoin|i\sneed|m\saider|help\sme|aidez\smoi"
    r"|could\ssomeone|can\ssomeone|est\sce\sque\squelqu\sun|quelqu\sun\s(?:pourrait|peut)|anyone\s(?:could"
    r"|can))\b"
)
# An absence that is over: "je suis rentrée de vacances", "back from hospital".
BACK_NOW = _rx(
    r"\b(?:suis|sommes|est)\s(?:bien\s)?(?:rentree?s?|revenue?s?|de\sretour)\b|\bback\sfrom\b"
    r"|\b(?:came|got|i\sm|i\sam|we\sre|just\sgot)\sback\b|\bjust\sreturned\b|\bje\sviens\sde\srentrer\b"
)
# A death in the family: the coordinator must know, nothing is to be done by the bot.
BEREAVEMENT = _rx(
    r"\b(?:decede\w*|deces|mort(?!e?s?\sde\s(?:rire|fatigue|peur|froid))|morte(?!\sde\s(?:rire|fatigue|peur"
    r"|froid))|disparu\w*\sla\ssemaine|obseques|enterrement|funerailles|passed"
    r"\saway|died|funeral|bereave\w*|lost\smy\s(?:husband|wife|son|daughter|mum|mother|dad|father"
    r"|brother|sister))\b"
)
# Someone else will handle the orders from now on: "ma fille s'occupera de mes commandes".
DELEGATE = _rx(
    r"\b(?:s\soccuper\w*|s\soccupe|gere\w*|gerer\w*|fera|feront|passera|passeront|take\sover|will\s(?:handle"
    r"|do|manage|look\safter|take\scare\sof)|handles?|manages?|looks\safter)\s(?:\w+\s)?(?:de\s|d\s)?(?:mes"
    r"|ses|my|her|his|les|the)\s(?:\w+\s)?(?:commandes|livraisons|orders|deliveries)\b",
)
# Instructions with no asking verb at all: "laissez", "posez", "leave", "put".
HANDLING_ONLY = _rx(r"\b(?:laissez|laisser|laisse|posez|poser|deposez\sle|leave|put|hang)\b")
# Asking for a person of the team: "je voudrais parler à la coordinatrice", "can I speak to someone
# in charge?".
SPEAK_TO = _rx(
    r"\b(?:speak|talk)\s(?:to|with)\s(?:someone\sin\scharge|somebody\sin\scharge|a\sperson|a\shuman|a\sreal"
    r"\sperson|the\s(?:coordinator|manager|organi[sz]er|boss|person\sin\scharge|office|team))\b"
    r"|\bparler\s(?:a|avec)\s(?:la\s|le\s|un\s|une\s)?(?:coordinat\w*|responsable|humain|vraie\spersonne"
    r"|directeur|directrice|organisat\w*|quelqu\sun\sde\sl\sassociation|president\w*)\b",
)
# Something the tenant made or bought, told: "j'ai fait une tarte", "I baked a cake".
MADE = _rx(
    r"\b(?:j\sai|on\sa|nous\savons|i|we|i\sve|we\sve|i\shave|we\shave)\s(?:\w+\s)?(?:fait|prepare|cuisine"
    r"|achete|mange|cuit|recu|made|baked|cooked|bought|ate|had|got)\b"
)
# Someone else fetches the delivery: "mon fils passera chercher le pain", "my grandson will collect
# the bread": for the volunteers, not an order.
PICKUP = _rx(
    r"\b(?:viendra|viendront|passera|passeront|vient|va\spasser|va\svenir)\s(?:le\s|la\s|les\s)?(?:chercher"
    r"|prendre|recuperer)\b|\b(?:will|ll|is\sgoing\sto|can|could)\s(?:pick|collect|fetch|get)\w*\s(?:up\s)?"
    r"(?:the|my|her|his|it|them|mine)\b|\ba\sma\splace\b|\bon\smy\sbehalf\b"
)
# The tenant (not a relative) goes away: "je pars", "je serai chez ma fille", "I'll be away".
FIRST_PERSON_AWAY = _rx(
    r"\b(?:je|j|i|we|nous|on)\s(?:\w+\s)?(?:pars|partirai|serai|serons|suis|sommes|vais|allons|m\sen\svais"
    r"|rentre|am|m|will|ll|won\st|going|leave|leaving|be|away)\b"
)


# --- items pointed at, not named -------------------------------------------------------------

# "vous pouvez m'en mettre 2 samedi ?", "Can I have it on Thursday?", "mettez-les vendredi": the
# item is the one of the sentence or message before.
ITEM_PRONOUN = _rx(
    r"\bm en (?:mettre|mettez|apporter|apportez|livrer|livrez|faut|faudrait|donner|donnez|rajouter"
    r"|rajoutez|ajouter|ajoutez|prendre|garder|gardez)\b",
    r"\bj en (?:veux|voudrais|voudrai|prendrai|prends|aimerais|ai besoin|voudrais bien)\b",
    r"\b(?:vous pouvez|pouvez vous|pourriez vous|vous pourriez) (?:m |me )?en\b",
    r"\ben (?:mettre|avoir|apporter|livrer|ajouter|rajouter|prendre|veux|voudrais|faut|faudrait"
    r"|mettez|apportez|livrez|rajoutez|ajoutez)\b",
    r"\b(?:mettez|apportez|livrez|mettre|apporter|livrer) les\b",
    r"\b(?:mettez|mets|mettre|apportez|rajoutez|ajoutez) en (?:\d+|une?|deux|trois|quatre|cinq"
    r"|six)\b",
    r"\b(?:have|bring|get|deliver|send) (?:it|them)\b",  # not "move it", "make it 3": changes
    r"\b(?:mettez|apportez|livrez|rajoutez|ajoutez|donnez|mets|amenez) m en\b",  # "mettez-m'en 2"
)

# "et celle de lundi aussi", "and Friday too", "same for Thursday", "And none on Tuesday", "rien
# non plus mardi": the request just made, again for another day.
AGAIN = _rx(
    r"\b(?:aussi|egalement|too|as well|either|non plus|pareil|idem|la meme chose|same)\b",
    r"^(?:\w+ )?(?:celle|celui|celles|ceux|the one|the ones) (?:de|du|d|on|for|of)\b",
)
NONE_OF_IT = _rx(r"\b(?:none|nothing|rien|aucune?)\b")

# "ma livraison de jeudi, vous pouvez la mettre mercredi ?", "jeudi mes 2 baguettes mettez-les
# vendredi", "could you put it on Friday": the order of one day, taken to another.
MOVE_PRONOUN = _rx(
    r"\b(?:la|les|le) (?:mettre|passer|deplacer|decaler|livrer|apporter|avoir|reporter|recevoir)\b",
    r"\b(?:mettez|passez|livrez|apportez|deplacez|decalez|reportez) (?:la|les|le)\b",
    r"\b(?:put|move|bring|have|deliver|send|shift) (?:it|them)\b",
    r"\b(?:mettez|mettre|livrez|regroupez|put|move|bring|deliver) (?:tout|everything|it all)\b",
    r"\b(?:apporter|mettre|livrer|passer|deplacer|decaler|bring|move|put|deliver|have)"
    r" (?:ma|mes|la|les|my|the) (?:commande|livraison|baguettes?|pain|eau|order|delivery|bread"
    r"|water|loaf|loaves)s? (?:de|du|d|of|for|from|on|to)\b",
)
_DAY = (
    r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|monday|tuesday|wednesday|thursday|friday"
    r"|saturday)"
)
# The day whose order is meant: "ma commande de samedi", "jeudi mes 2 baguettes", "Thursday's bread"
OWNED_DAY = _rx(
    r"\b(?:commande|livraison|pain|baguettes?|eau|packs?|order|delivery|bread|water|loaf|loaves)"
    rf" (?:de|du|d|of|for|on|from) (?:ce |this )?{_DAY}\b",
    rf"\b{_DAY} (?:s )?(?:mes|ma|mon|bread|order|delivery|water|loaf|loaves)\b",
)
# "en plus de celle du vendredi", "on top of Friday's": the order moved adds to the other day's
ON_TOP = _rx(
    r"\b(?:en plus|on top|in addition|as well as|avec cel\w+|with (?:the|my) (?:one|other))\b"
)

# "donc 3 en tout", "so 4 in total": the number is the day's total for that item
IN_ALL_N = re.compile(r"\b(\d+) (?:en tout|au total|in total|in all|altogether)\b")
IN_ALL = re.compile(r"\b(?:en tout|au total|in total|in all|altogether)\b")

# A sentence that asks something of us: "pouvez-vous m'apporter…", "je voudrais…", "could you…"
ASKING = re.compile(
    r"\b(?:pouvez|pourriez|pourrait|peut|peux|apporter|apportez|ramener|chercher|acheter"
    r"|voudrais|voudrait|faudrait|aimerais|could|can|would|bring|pick|get|need|want)\b"
)
# A price asked of an order not made: "si je prends une baguette de plus, ça coûte combien ?"
IF_I_ORDER = _rx(
    r"\bsi\s(?:je|j)\s(?:en\s)?(?:prends|commande|demande|veux|voulais|prenais|commandais|rajoute)\b"
    r"|\bif\si\s(?:order|take|get|want|ask\sfor|have|add)\b"
)
ASKS_PRICE = _rx(
    r"\b(?:combien|coute\w*|cout|payer|payant|gratuit|prix|tarif|how\smuch|cost\w*|pay|free"
    r"|charge\w*|extra\scharge)\b"
)
