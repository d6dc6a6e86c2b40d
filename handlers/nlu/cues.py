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
    r"\b(?:remove|delete|take)\sme\s(?:from|off)\b",
    r"\b(?:ne\s|n\s)?(?:veux|voudrais|souhaite|desire|ai)\s(?:plus|pas)\s(?:besoin\s(?:de|du|d)\s)?"
    r"(?:du\s|de\s|d\s|votre\s|vos\s|le\s|ce\s|ton\s)?(?:service|services|inscription)\b",
    r"\b(?:arret\w*|quitt\w*)\s(?:le|ce|votre)\sservice\b|\bplus\sfaire\spartie\b",
    r"\b(?:veux|voudrais|souhaite|desire)\s(?:plus|pas)\s(?:de\s|d\s)?(?:vos\s|ces\s|les\s|tous\sces\s)?"
    r"(?:messages?|sms|textos?|notifications?)\b",
    r"\b(?:don\st|do\snot)\s(?:want|need)\s(?:these|your|the|any|more|those)\s(?:\w+\s)?(?:texts?"
    r"|messages?|sms)\b",
    r"\b(?:don\st|do\snot)\s(?:want|need)\s(?:the|this|your)\sservice\b",
    r"\b(?:stop|cancel|end|quit)\s(?:the|this|my|your)\s(?:service|subscription|messages?|texts?)\b",
)

# --- complaints and problems (the coordinator must see them) ---------------------------------

COMPLAINT = _rx(
    r"\b(?:pas|jamais|toujours\spas|rien)\s(?:ete\s)?(?:recu|recue|recus|eu|eue|livre|livree"
    r"|livres|arrive|arrivee|vu)\b",
    r"\b(?:est|etait|sont|etaient|a)\s(?:pas|jamais)\s(?:ete\s)?(?:venu|venue|venus|passe|passee"
    r"|passes|arrive|arrivee|arrives|livre|livree|la|venue)\b",
    r"\bpersonne\s(?:n\s)?(?:est|a)\s(?:venu|passe|sonne|livre)\b",
    r"\b(?:vous\savez|avez\svous|on\sm\sa|il\sa|elle\sa|ils\sont|livreur\sa|benevole\sa"
    r"|vous\sm\savez|a\sete|m\sa)\s(?:encore\s|completement\s)?oubli\w*\b",
    r"\boubli(?:e|ee|es|ees)\s(?:mon|ma|mes|de\sme\slivrer|de\spasser|de\sm\sapporter)\b",
    r"\bmanqu(?:ait|aient|e\sune|e\sun|e\s\d)\b|\bil\smanqu\w*\s(?:le|la|les|l|un|une|mon|ma|mes"
    r"|\d)\b",
    r"\b(?:n\s)?(?:etait|etaient|est|sont)\spas\s(?:dans|devant|sur|a\sla|a\sma)\b"
    r"|\b(?:wasn\st|was\snot|weren\st|were\snot|isn\st|is\snot)\s(?:in|at|on|outside)\b",
    r"\bn\sy\savait\s(?:pas|plus|rien)\b|\bthere\s(?:was|were)\s(?:no|nothing)\b"
    r"|\bthere\s(?:wasn|weren)\st\b",
    r"\b(?:etait|etaient|est|sont|arrive|arrivee|arrives)\s(?:tout\s|toute\s|toutes\s|tres\s"
    r"|trop\s|un\speu\s|completement\s|encore\s)*(?:rassis|rassise|dur|dure|durs|mouille|mouillee"
    r"|mouilles|trempe|trempee|abime|abimee|abimes|casse|cassee|casses|ecrase|ecrasee|sale|sales"
    r"|perce|percee|ouvert|ouverte|froid|brule|brulee|moisi|moisie|pas\sbon|pas\sbonne|pas\sfrais"
    r"|pas\sfraiche|immangeable|mauvais|mauvaise|degoutant|vide|tombe|vole|volee|trop\scuit\w*"
    r"|pas\sassez\scuit\w*)\b",
    r"(?<!fait\sune\s)\berreur\b|(?<!me\ssuis\s)\btrompe\w*\b|\bpas\sle\sbon\b|\bpas\sla\sbonne\b"
    r"|\bplainte\b|\breclam\w*\b|\bpas\scontente?\b|\bmecontent\w*\b|\binadmissible\b"
    r"|\bscandal\w*\b|\binacceptable\b",
    r"\bsonne\w*\s(?:trop\stot|trop\stard|a\s\d)\b|\breveill(?:e|ee|er|ez|ait|es)\b",
    r"\b(?:recu|recus|eu|livre|livres|apporte|donne|avait|received|got|delivered|brought|there"
    r"\swas|there\swere)\b.*"
    r"\b(?:au\slieu\sd|au\slieu\sde|instead\sof)\b",
    r"\b(?:didn\st|did\snot|haven\st|have\snot|hasn\st|has\snot|never|not|wasn\st|weren\st)\s"
    r"(?:get|got|receive|received|come|came|arrive|arrived|been\sdelivered|delivered|turn\sup"
    r"|turned\sup|show\sup|showed\sup)\b",
    r"\b(?:no\sone|nobody|noone)\s(?:came|delivered|showed|turned|rang)\b",
    r"\b(?:you|they|he|she|volunteer|driver|someone)\s(?:\w+\s)?forg[oe]t\w*\b",
    r"\bmissing\b",
    r"\b(?:was|were|is|are|arrived|came)\s(?:all\s|very\s|too\s|completely\s|a\sbit\s)*(?:stale"
    r"|wet|soaked|broken|damaged|hard|opened|burnt|burned|mouldy|moldy|squashed|crushed|cold"
    r"|empty|late|wrong|leaking|torn|ripped|stolen|not\sthere)\b",
    r"\b(?:wrong|mistake|complain\w*|not\shappy|unhappy|unacceptable)\b",
)
# Words of trouble: with them a greeting is no longer small talk.
TROUBLE = _rx(
    r"\b(?:fuit|fuite|panne|cass\w*|tombee?|malade|douleur|mal|urgent\w*|urgence|probleme"
    r"|problemes|souci|soucis|inquiet\w*|peur|bless(?:e|ee|es|ees|ure|ures)|pompiers?|police|cambriol\w*|bruit"
    r"|proprio|bailleur|loyer|chauffage|radiateur|ascenseur|electricite|serrure|clef|cle|chute"
    r"|leak|broken|fell|fallen|sick|hurt|emergency|problem|worried|heating|lift|elevator|noise"
    r"|rent|stuck|lost)\b"
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
    r"\bqu\sest\sce\sque\sc\sest\b|\bqui\setes\svous\b|\bvous\setes\squi\b|\bc\sest\squi\b"
    r"|\bqui\sest\sce\b|\bwho\s(?:is|s)\s(?:this|that|it)\b",
    r"\bc\sest\scomment\b|\bcomment\sc\sest\b|\bcomment\spour\s(?:commander|annuler|faire)\b",
    r"\b(?:quels?|quelles?)\s(?:jours?|heures?|horaires?)\b|\ba\squelle\sheure\b|\bhoraires?\b",
    r"\bquelle\sheure\s(?:passe|passez|arrive|vient|venez)\b",
    r"\b(?:c\sest|est\sce)\s(?:gratuit|payant)\b|\bgratuit\b|\bpayant\b|\bcombien\s(?:ca|cela|c)"
    r"\s(?:coute|coutent)\b|\bcoute\scombien\b|\bfaut\sil\spayer\b",
    r"\bcombien\sde\s\w+\s(?:on|je)\s(?:peut|peux)\b|\bcombien\s(?:on|je)\s(?:peut|peux)\b"
    r"|\bmaximum\b|\bau\smaximum\b",
    r"\b(?:qu\sest\sce\sque|que)\s(?:je|j|on)\s(?:peux|peut|puis)\s(?:commander|avoir|demander)\b",
    r"\b(?:est\sce\sque|est\sce\squ)\s(?:vous\s)?(?:livrez|passez|venez|travaillez)\b",
    r"\bvous\s(?:livrez|passez|venez|travaillez)\s(?:aussi\s|le\s|les\s|quel|a\squelle|tous"
    r"|pendant|chaque|\?)",
    r"\blivrez\svous\b|\bpassez\svous\b",
    r"\bhelp\b",
    r"\bhow\s(?:does|do)\s(?:it|this|that|the\sservice|you)\swork\b|\bhow\sdo\si\b|\bhow\scan\si\b"
    r"|\bhow\si\s(?:can|do|must|should)\b"
    r"|\bhow\sto\b",
    r"\bwhat\scan\si\s(?:order|get|ask)\b|\bwhat\sdo\syou\s(?:deliver|offer|do)\b",
    r"\bi\s(?:don\st|do\snot|dont)\s(?:understand|get\sit|know\show)\b|\bconfused\b",
    r"\bwhat\sis\sthis\b|\bwho\sare\syou\b|\bwhat\s(?:days|time|times)\b",
    r"\bwhen\sdo\syou\s(?:deliver|come)\b|\bdo\syou\s(?:deliver|come)\b",
    r"\bis\s(?:it|this|the\sservice)\sfree\b|\bhow\smuch\s(?:does|is|do)\b",
)

# --- what did I order ------------------------------------------------------------------------

LIST = _rx(
    r"\bqu\sest\sce\sque\sj\sai\s(?:commande|demande|reserve)\b|\bqu\sai\sje\s(?:commande|demande)\b"
    r"|\bce\sque\sj\sai\s(?:commande|demande|reserve)\b|\bj\sai\s(?:commande|demande)\squoi\b",
    r"\b(?:est\sce\sque\sj\sai|ai\sje)\s(?:bien\s)?(?:une|des|deja\sune)\s(?:commandes?|livraisons?)\b"
    r"|\bdo\si\shave\s(?:an?\s|any\s)(?:order|delivery|deliveries)\b",
    r"\b(?:ma|mes)\s(?:prochaine\s|derniere\s)?(?:commandes?|livraisons?)\b",
    r"\bqu\sest\sce\sque\s(?:je|j)\s(?:vais\s)?(?:recevoir|recois|aurai|ai\sde\sprevu|avoir)\b",
    r"\bqu\sest\sce\squi\s(?:est\sprevu|arrive|vient)\b|\brecapitul\w*\b|\brecap\b",
    r"\bquand\s(?:est|sera|arrive|passe|vient)\s(?:ma|la|le|mon)\s(?:prochaine\s)?(?:livraison"
    r"|commande)\b|\bprochaine\slivraison\b",
    r"\b(?:vous\savez|avez\svous)\s(?:bien\s)?(?:recu|eu|note|pris|enregistre)\s(?:ma|mon|mes)\s"
    r"(?:commande|message|demande)\b",
    r"^(?:liste|list|commandes|orders?|status)$",
    r"\bwhat\s(?:did|have)\si\s(?:order|ordered|got|get|booked)\b|\bwhat\si\s(?:have\s|did\s)?order\w*\b",
    r"\bwhat\s(?:s|is|are)\s(?:my|the)\s(?:order|orders|next\sdelivery|delivery)\b",
    r"\bmy\s(?:next\s)?(?:order|orders|delivery|deliveries)\b",
    r"\bwhat\s(?:am\si|will\si\sbe)\s(?:getting|receiving)\b|\bwhat\s(?:s|is)\scoming\b",
    r"\bwhen\s(?:is|s|will)\s(?:my|the)\s(?:next\s)?(?:delivery|order)\b|\bnext\sdelivery\b",
    r"\b(?:did|have)\syou\s(?:get|got|received?)\smy\s(?:order|message|request)\b",
    r"\bis\smy\sorder\s(?:confirmed|ok|okay|booked|in|registered)\b|\bcheck\smy\sorders?\b",
    r"\bshow\s(?:me\s)?my\sorders?\b|\border\sstatus\b",
)

# Asking to confirm what is booked: "j'ai bien une baguette demain ?", "is it still on?"
CONFIRM = _rx(
    r"\b(?:j\sai|ai\sje|est\sce\sque\sj\sai)\sbien\b|\bc\sest\sbien\s(?:note|prevu|enregistre"
    r"|confirme|pour)\b|\bdo\si\s(?:still\s)?have\b|\bis\sit\s(?:still\s)?(?:on|booked|confirmed)\b"
    r"|\bam\si\s(?:still\s)?(?:getting|booked)\b",
)

# --- visits ----------------------------------------------------------------------------------

VISIT = _rx(
    r"\bvisite\w*\b|\bvisit\w*\b",
    r"\b(?:passer|venir|passe|vienne|viennent|venez|passez|vient)\s(?:jamais\s|plus\s|pas\s)?"
    r"(?:me\s|m\s)?(?:voir|rendre\svisite"
    r"|dire\sbonjour|discuter|bavarder|papoter|parler|faire\sun\scoucou|boire\sun|prendre\sun"
    r"|tenir\scompagnie)\b",
    r"\bme\srendre\svisite\b|\btenir\scompagnie\b|\bde\sla\scompagnie\b",
    r"\b(?:je\sme\ssens|me\ssens|je\ssuis|suis)\s(?:tres\s|un\speu\s|bien\s|si\s|tellement\s"
    r"|trop\s|toute\s|tout\s)*(?:seule?|isolee?|triste)\b",
    r"\b(?:envie|besoin)\sde\s(?:parler|discuter|voir\squelqu|compagnie)\b|\bvoir\squelqu\sun\b",
    r"\b(?:coming|come)\sto\s(?:see|visit)\sme\b|\bsee\s(?:someone|somebody|a\sfriendly\sface)\b",
    r"\b(?:discuter|parler|bavarder|papoter)\s(?:un\speu\s|un\smoment\s|un\sbrin\s)?avec\s"
    r"(?:quelqu\sun|un\sbenevole|une\sbenevole|vous|moi)\b",
    r"\bquelqu\sun\s(?:pour|a\squi|avec\squi)\s(?:parler|discuter)\b|\bavec\smoi\b",
    r"\bcome\s(?:and\s|to\s)?(?:see|visit)\sme\b|\b(?:pop|come|drop)\s(?:in|by|round|over"
    r"|around)\b",
    r"\b(?:a|have\sa|for\sa)\s(?:chat|natter|cuppa|cup\sof\stea|cup\sof\scoffee)\b",
    r"\b(?:lonely|isolated|on\smy\sown|all\salone|alone)\b|\bcompany\b|\bsomeone\sto\stalk\sto\b"
    r"|\btalk\sto\s(?:someone|somebody)\b|\bwith\sme\b",
)
VISIT_THANKS = _rx(
    r"\bmerci\s(?:pour|de)\s(?:la|votre|ta|cette)\s(?:\w+\s)?visite\b",
    r"\bthank\w*\s(?:you\s)?for\s(?:the|your|this)\s(?:\w+\s)?visit\b",
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
# Pause words that only say "not there": with a single day they cancel that day.
NOT_THERE = _rx(
    r"\b(?:serai|suis|sera|serons|vais\setre|serais)\s(?:pas|plus)\s(?:la|chez\smoi|a\sla\smaison"
    r"|presente?|disponible)\b",
    r"\babsente?s?\b|\bnot\s(?:at\s)?home\b|\b(?:won\st|will\snot|not)\sbe\s(?:home|here|in"
    r"|around|there)\b|\baway\son\b",
)
# An explicit cancellation verb: enough on its own ("annuler", "cancel my order").
CANCEL_VERB = _rx(
    r"\b(?:annul\w*|anul\w*|decommand\w*|supprim\w*|retire[rz]?\b|enlev\w*)",
    r"\boubli\w*\sma\scommande\b|\bforget\s(?:my|the|about\smy)\s(?:order|delivery|bread|water)\b",
    r"\bcancel\w*\b|\bskip\b",
)
# A refusal: a cancellation only when it is about an item, a delivery or a day.
CANCEL = _rx(
    r"\b(?:pas|plus)\sbesoin\b",
    r"\b(?:ne\s|n\s)(?:en\s)?(?:veux|voudrais|souhaite|desire|veut|voulons)\s(?:pas|plus)\b",
    r"\bno\slonger\s(?:want|need)\b|\b(?:don\st|do\snot)\s(?:want|need)\b.*\banymore\b",
    r"\b(?:can\st|cannot|can\snot|won\st\sbe\sable\sto|unable\sto)\s(?:take|have|receive|get|accept)\b",
    r"\b(?:ne\s|n\s)(?:peux|pourrai|pourrais|pourra)\spas\s(?:prendre|recevoir|avoir|etre\sla)\b",
    r"\bne\s(?:m\s|me\s)?(?:apportez|amenez|livrez|mettez|montez|deposez|apporte|amene)\s"
    r"(?:rien|pas|plus)\b",
    r"\b(?:apportez|amenez|livrez)\s(?:rien|pas|plus)\b",
    r"\b(?:faut|faudra)\s(?:pas|plus|rien)\s(?:m\s|me\s)?(?:apporter|amener|livrer|mettre|monter)\b",
    r"\b(?:pas|plus|aucune?)\s(?:de\s|d\s)?(?:livraisons?|commandes?)\b",
    r"\brien\s(?:pour\s)?(?:demain|aujourdhui|ce|cette|le|la|ce)\b",
    r"\b(?:don\st|do\snot|dont|won\st|will\snot)\s(?:need|want|bring|send|deliver)\b",
    r"\bno\s(?:need|more)\b|\bnot\sneeded\b|\bno\s(?:delivery|deliveries|order)\b",
    r"\bdon\st\s(?:bother|come)\b|\bnothing\s(?:for\s)?(?:tomorrow|today|on|this|next)\b",
)
# "je n'ai plus de pain" says what is missing at home; it is not "no more bread".
STATE_NEGATION = _rx(r"\b(?:n\s)?(?:ai|a|avons|have)\s(?:plus|pas|no)\s(?:de|d|du|any|more)?\b")
STOP_WORDS = _rx(r"\b(?:stop\w*|arret\w*|cess\w*)\b")
DELIVERY_WORDS = _rx(r"\b(?:livraisons?|deliver\w*|commandes?|orders?)\b")

# --- orders ----------------------------------------------------------------------------------

REQUEST = _rx(
    r"\b(?:voudrais|voudrait|voudrions|voulais|veux|veut|voulons|aimerais|aimerait|aimerions"
    r"|souhaite|souhaiterais|souhaiterait|desire|desirerais|prendrai|prendrais|prends|commande"
    r"|commander|faut|faudrait|faudra|besoin|apport\w*|amen\w*|ramen\w*|livrer|livrez|montez"
    r"|monter|mettez|mettre|mets|deposez|deposer|reserv\w*|gardez|garder|pourrais|pourriez"
    r"|pouvez|pourrait|peux|puis|possible|svp|stp|plait|avance|ya\smoyen|y\sa\smoyen)\b",
    r"\b(?:ce\sserait|c\sest|ca\sserait)\spour\b|\baurais\svoulu\b",
    r"\b(?:want|wants|would\slike|d\slike|like\sto|need|needs|can\si|could\si|may\si|please"
    r"|bring|send|deliver|order|get\sme|give\sme|i\sd\slove|can\syou|could\syou|would\syou"
    r"|i\sll\s(?:have|take)|i\swill\s(?:have|take))\b",
)
# The request is negated: "je ne veux pas de pain", "I don't want".
NEGATED_REQUEST = _rx(
    r"\b(?:ne\s|n\s)(?:en\s)?(?:veux|voudrais|souhaite|veut|faut|peux|peut|pourrai|pourrais|arrive"
    r"|sais)\s(?:pas|plus)\b",
    r"\b(?:can\st|cannot|can\snot|couldn\st)\b",
    r"\b(?:don\st|do\snot|dont)\s(?:want|need)\b|\bno\slonger\s(?:want|need)\b",
)
# Words of time the date reader could not place: a cancellation then asks which day.
TIME_WORDS = _rx(
    r"\b(?:pendant|durant|during|jusqu\w*|until|semaine|week|mois|month|fetes|vacances|holidays?"
    r"|noel|christmas|absence|retour|back)\b"
)
ORDER_WORDS = _rx(r"\bcommand\w*\b|\blivraison\b|\border\b|\bdelivery\b")
# "As usual": an order whose items the parser cannot know.
USUAL = _rx(
    r"\bcomme\sd\shabitude\b|\bcomme\s(?:la\s)?derniere\sfois\b|\bla\smeme\schose\b"
    r"|\bpareil\b|\bthe\susual\b|\bsame\sas\s(?:usual|last\stime|before)\b|\bcomme\sd\sab\b"
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
    r"|each\sweek|in\sfuture|going\sforward)\b"
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
# Told, not asked: "j'ai bien reçu le pain", "merci pour l'eau", "the bread was lovely".
ACKNOWLEDGED = _rx(
    r"\b(?:recu|recue|recus|eu|arrive|arrivee|etait|etaient|a\sete|got|received|was|were|came"
    r"|arrived|mange|ate|eaten|delicieu\w*|excellent\w*|trouve|trouvee|jete|jetee|found|threw"
    r"|thrown|vu|saw|seen)\b",
    r"\bmerci\s(?:pour|de|du|des)\b|\bthanks?\s(?:you\s)?for\b",
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
