"""Who is asking, and what they may see: the actor of a coordinator command, its sites, refusals.

A coordinator with no site covers every site; one with a site covers only that one (that is how a
coordinator is "limited to some sites"). The CLI acts as a coordinator of every site, or of the
one given with --site: whoever runs it holds the machine and its database anyway. Every refusal
is answered politely and written to the audit log, like every action.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from handlers.people_admin import audit
from handlers.replies import fold
from models.context import Context
from models.people import Person
from models.site import Site

CLI = "cli"


@dataclass(frozen=True)
class Actor:
    """A coordinator command's author: a person on a channel, or the command line."""

    name: str
    lang: str
    channel: str  # "telegram", "sms", "console", or "cli"
    person: Person | None = None
    site_id: int | None = None  # None: every site

    @classmethod
    def of(cls, person: Person, channel: str) -> Actor:
        return cls(person.name, person.language, channel, person, person.site_id)

    @property
    def who(self) -> Person | str:
        """What the audit log records as the actor."""
        return self.person if self.person is not None else self.name

    @property
    def files(self) -> bool:
        """Whether a reply can carry a file: Telegram sends it, the CLI prints its path; an SMS
        cannot."""
        return self.channel in ("telegram", CLI)

    def covers(self, site_id: int | None) -> bool:
        return self.site_id is None or site_id == self.site_id


def site_ids(ctx: Context, actor: Actor) -> list[int]:
    """The sites an actor's figures and lists cover when they name none."""
    if actor.site_id is not None:
        return [actor.site_id]
    return [ctx.site_ids[s.slug] for s in ctx.config.sites if s.slug in ctx.site_ids]


def find_site(ctx: Context, word: str) -> int | None:
    """A site named by its slug or its name ("moulin", "Résidence du Moulin")."""
    folded = fold(word)
    if not folded:
        return None
    for site in ctx.config.sites:
        if folded in (fold(site.slug), fold(site.name)) and site.slug in ctx.site_ids:
            return ctx.site_ids[site.slug]
    return None


def take_site(
    ctx: Context, words: Sequence[str], *, first_only: bool = False
) -> tuple[int | None, list[str]]:
    """Pick a site name out of a command's words: (site id or None, the other words). Where the
    rest is free text (a message, a reason, a name), only its first words may name the site:
    "/diffuser Le moulin est fermé" keeps its "moulin"."""
    rest = list(words)
    starts = range(1) if first_only else range(len(rest))
    for i in starts:
        for j in range(len(rest), i, -1):
            found = find_site(ctx, " ".join(rest[i:j]))
            if found is not None:
                return found, rest[:i] + rest[j:]
    return None, rest


def site_name(session: Session, ctx: Context, site_id: int) -> str:
    site = session.get(Site, site_id)
    return site.name if site is not None else ctx.site(site_id).name


def deny(
    session: Session, ctx: Context, actor: Actor, command: str, why: str, **details: object
) -> None:
    """Write a refused command to the audit log: who tried what, on which channel, and why."""
    audit(
        session,
        ctx,
        actor.who,
        "denied",
        f"command:{command}",
        why=why,
        channel=actor.channel,
        **details,
    )
