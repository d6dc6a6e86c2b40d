"""A reply as plain text: for SMS, the console, and (soon) speech.

Choices become numbers: "Répondez 1 pour ajouter, 2 pour remplacer." — or, for a yes/no
question, "Répondez OUI ou NON." The core reads "1", "oui" and the label alike.
"""

from __future__ import annotations

from handlers.texts import t
from handlers.types import Reply


def plain(reply: Reply) -> str:
    if not reply.choices:
        return reply.text
    values = [c.value for c in reply.choices]
    if values == ["yes", "no"]:
        return f"{reply.text} {t(reply.lang, 'sms.yes_no')}"
    options = ", ".join(
        t(reply.lang, "sms.choice", n=i, label=c.label.lower())
        for i, c in enumerate(reply.choices, 1)
    )
    return f"{reply.text} {t(reply.lang, 'sms.choices', options=options)}"
