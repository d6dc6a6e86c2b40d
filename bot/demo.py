"""A believable demo residence for trials and volunteer training (`entraide demo`).

Deterministic (seeded), so a trainer's handout stays true: the same names, numbers and floors on
every machine. Phone numbers are in +33 6 00 00 …, a block no real subscriber has here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.base import Role
from models.clock import Clock
from models.config import WEEKDAYS, ServiceConfig
from models.orders import StandingOrder
from models.people import Person, PersonData, by_phone, upsert

SURNAMES = [
    "Pouli", "Martin", "Lefebvre", "Dubois", "Lambert", "Caron", "Lemaire", "Delattre",
    "Fournier", "Vasseur", "Leroy", "Dupont", "Boulanger", "Carpentier", "Ducrocq", "Fontaine",
    "Hennequin", "Lebrun", "Marchand", "Noël", "Petit", "Roussel", "Sauvage", "Thellier",
    "Vandamme", "Wimet", "Benali", "Haddad", "Mendes", "Ferreira", "Kaya", "Diallo",
    "Merlin", "Coquelle", "Baillet", "Gressier", "Ledez", "Parenty",
]  # fmt: skip
FIRST = [
    "Jeanne", "Marcel", "Odette", "Lucien", "Yvette", "Fatima", "Simone", "André", "Paulette",
    "Ginette", "Rachid", "Colette", "Bernard", "Huguette", "Malika", "Roger", "Denise", "Michel",
    "Monique", "Gérard", "Josiane", "René", "Raymonde", "Jacques",
]  # fmt: skip
MEN = {
    "Marcel",
    "Lucien",
    "André",
    "Rachid",
    "Bernard",
    "Roger",
    "Michel",
    "Gérard",
    "René",
    "Jacques",
}
ENGLISH = [("Margaret", "Hughes"), ("Peter", "Collins")]
VOLUNTEERS = [
    ("Gilles", "Morel", None), ("Sophie", "Bacquet", 4), ("Karim", "Belkacem", 6),
    ("Nathalie", "Dumont", 2), ("Thomas", "Lecat", 8), ("Emma", "Wright", 4),
]  # fmt: skip
BUILDINGS = [("A", ("1", "2"), 5), ("B", ("1",), 4), ("C", ("1", "2"), 3)]


@dataclass(frozen=True)
class DemoPeople:
    tenant: str
    english_tenant: str
    volunteer: str
    coordinator: str
    newcomer: str
    bakery: str
    grocery: str


DEMO = DemoPeople(
    tenant="+33600000101",
    english_tenant="+33600000139",
    volunteer="+33600000201",
    coordinator="+33600000301",
    newcomer="+33600000999",
    bakery="+33600000401",
    grocery="+33600000402",
)


def is_empty(session: Session) -> bool:
    return not session.scalar(sa.select(sa.func.count()).select_from(Person))


def load_demo(
    session: Session, config: ServiceConfig, site_ids: dict[str, int], clock: Clock
) -> dict[str, int]:
    """Fill the first site with about 40 tenants in 3 buildings, 6 volunteers, a coordinator,
    a bakery and a grocery; returns how many of each were written."""
    rng = random.Random(2026)
    site = config.sites[0]
    site_id = site_ids[site.slug]
    keys = list(config.catalogue)
    bread = "bread" if "bread" in keys else keys[0]
    water = "water" if "water" in keys else keys[-1]
    counts = {"tenants": 0, "volunteers": 0, "coordinators": 0, "suppliers": 0}

    homes = [
        (b, e, floor, f"{floor}{chr(65 + k)}" if floor else f"0{chr(65 + k)}")
        for b, entrances, floors in BUILDINGS
        for e in entrances
        for floor in range(floors + 1)
        for k in range(2)
    ]
    rng.shuffle(homes)
    names = [("Jeanne", "Pouli")] + [(rng.choice(FIRST), s) for s in SURNAMES[1:]] + ENGLISH
    for i, (first, last) in enumerate(names):
        building, entrance, floor, apartment = homes[i]
        english = (first, last) in ENGLISH
        isolated = i % 7 == 3
        health = i % 5 == 0
        profile = {
            "building": building,
            "entrance": entrance,
            "floor": floor,
            "apartment": apartment,
            "bread_bag": i % 3 == 0,
            "notes": "sonner deux fois" if i % 11 == 4 else "",
            "time_need": "avant 9 h (rendez-vous médecin le mardi)" if i == 6 else None,
            "reduced_mobility": health,
            "elderly": health or isolated,
            "isolated": isolated,
            "ill": False,
            "consent_on": clock.now().date() if health or isolated else None,
            "visit_rhythm_days": 7 if isolated else None,
        }
        title = "" if english else ("M. " if first in MEN else "Mme ")
        upsert(
            session,
            PersonData(
                name=f"{title}{first} {last}",
                phone=f"+336000001{i + 1:02d}",
                site_id=site_id,
                language="en" if english else "fr",
                roles={Role.TENANT},
                tenant=profile,
            ),
            clock,
        )
        counts["tenants"] += 1
    for i, (first, last, max_packs) in enumerate(VOLUNTEERS):
        days = [d for j, d in enumerate(site.delivery_weekdays) if (i + j) % 3 != 2]
        upsert(
            session,
            PersonData(
                name=f"{first} {last}",
                phone=f"+336000002{i + 1:02d}",
                site_id=site_id,
                language="en" if last == "Wright" else "fr",
                roles={Role.VOLUNTEER},
                volunteer={"weekdays": ",".join(days), "max_packs": max_packs},
            ),
            clock,
        )
        counts["volunteers"] += 1
    upsert(
        session,
        PersonData(
            name="Claire Vasseur (coordinatrice)",
            phone=DEMO.coordinator,
            site_id=site_id,
            roles={Role.COORDINATOR},
        ),
        clock,
    )
    counts["coordinators"] += 1
    for phone, key in ((DEMO.bakery, "bakery"), (DEMO.grocery, "grocery")):
        if key in config.suppliers:
            upsert(
                session,
                PersonData(
                    name=config.suppliers[key].name,
                    phone=phone,
                    site_id=site_id,
                    roles={Role.SUPPLIER},
                    supplier_key=key,
                ),
                clock,
            )
            counts["suppliers"] += 1
    # A third of the tenants have standing orders, so tomorrow's round is never empty.
    for i in range(0, len(names), 3):
        person = by_phone(session, f"+336000001{i + 1:02d}")
        assert person is not None
        days = rng.sample(list(site.delivery_weekdays), k=min(3, len(site.delivery_weekdays)))
        for day in sorted(days, key=WEEKDAYS.index):
            session.add(
                StandingOrder(
                    person_id=person.id,
                    weekday=day,
                    item_key=bread,
                    quantity=rng.choice((1, 1, 2)),
                    created_at=clock.now(),
                )
            )
            if i % 2 == 0:
                session.add(
                    StandingOrder(
                        person_id=person.id,
                        weekday=day,
                        item_key=water,
                        quantity=1,
                        created_at=clock.now(),
                    )
                )
    session.flush()
    return counts


def how_to_talk(exe: str = "entraide") -> list[str]:
    return [
        "Talk to the bot from another terminal, as one of the demo people:",
        f"  tenant (Mme Pouli):      {exe} chat --phone {DEMO.tenant}",
        f"  tenant (English):        {exe} chat --phone {DEMO.english_tenant}",
        f"  volunteer (Gilles):      {exe} chat --phone {DEMO.volunteer}",
        f"  coordinator (Claire):    {exe} chat --phone {DEMO.coordinator}",
        f"  newcomer (unknown):      {exe} chat --phone {DEMO.newcomer}",
        f"  everyone: {exe} people list",
    ]
