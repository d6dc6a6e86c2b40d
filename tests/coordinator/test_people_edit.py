"""People without a CSV: `/ajouter` and `/modifier` in the chat, `entraide people add|set` on the
command line; the import's rules, the audit log, a landline reached by a phone call."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
import typer

from bot.importer import import_file
from models.base import Channel
from models.people import Person, by_phone
from tests.coordinator.conftest import Talk
from tests.coordinator.test_cli import cli, run  # noqa: F401  (the CLI fixture)
from tests.coordinator.world import World

LANDLINE = "+33321000000"  # a French fixed line (Pas-de-Calais)


def _person(talk_or_world: Talk | World, phone: str) -> Person | None:
    w = talk_or_world.w if isinstance(talk_or_world, Talk) else talk_or_world
    with w.db.transaction() as s:
        person = by_phone(s, phone)
        if person is not None:
            _ = person.tenant, person.volunteer
            s.expunge_all()
        return person


def test_a_tenant_added_from_the_chat_with_a_landline_is_called(talk: Talk) -> None:
    said = talk(
        "marc",
        "/ajouter locataire nom: Mme Rose Lefebvre; tel: 03 21 00 00 00; bat: B; étage: 2; "
        "apt: 12; besoins: isolé, pmr; consentement: 2026-11-20; porte: sonner fort; sac: oui",
    )
    rose = _person(talk, LANDLINE)
    assert rose is not None and rose.tenant is not None
    assert said.startswith(f"Ajouté(e) : Mme Rose Lefebvre (n°{rose.id}), joignable par appel")
    assert "bât. B" in said and "isolé(e)" in said  # the tenant's card follows
    assert rose.preferred_channel is Channel.VOICE
    assert rose.site_id == talk.w.site("moulin") and rose.is_tenant and rose.active
    p = rose.tenant
    assert (p.building, p.floor, p.apartment, p.notes) == ("B", 2, "12", "sonner fort")
    assert p.isolated and p.reduced_mobility and p.bread_bag
    assert p.consent_on == date(2026, 11, 20)
    [entry] = talk.audit("person_add")
    assert entry.actor == "Marc Leroy" and entry.target == f"person:{rose.id}"
    assert "needs" in entry.details["fields"] and "needs" not in entry.details["values"]
    assert entry.details["values"]["building"] == "B"


def test_the_chat_refuses_what_the_csv_import_refuses(talk: Talk, tmp_path: Path) -> None:
    talk.w.person("ann", "moulin", coordinator=True, name="Ann Smith", lang="en", telegram_id=9010)
    row = {"name": "Rose Lefebvre", "phone": "06 98 76 54 32", "building": "B", "needs": "ill"}
    fields = "; ".join(f"{k}: {v}" for k, v in row.items())
    said = talk("ann", "/add tenant " + fields)
    csv = tmp_path / "tenants.csv"
    csv.write_text(";".join(row) + "\n" + ";".join(row.values()) + "\n", encoding="utf-8")
    report = import_file(talk.w.db, talk.w.config, talk.w.site_ids, talk.w.clock, csv, "tenants")
    [(_, why)] = report.errors
    assert why.startswith("needs about health given without consent_on")
    assert said == f"Nothing is saved: {why}."  # the import's reason, word for word
    assert talk("marc", "/ajouter locataire " + fields) == (  # the same, in Marc's language
        "Rien n'est enregistré : besoins de santé sans date de consentement "
        "(le jour où la personne a accepté qu'on les garde)."
    )
    assert _person(talk, "+33698765432") is None
    assert talk("marc", "/ajouter locataire nom: =HYPERLINK(1); tel: 0698765432; bat: B") == (
        "Rien n'est enregistré : name : commence par '=' : un tableur le lirait comme une formule."
    )
    assert talk("marc", "/ajouter locataire nom: Rose; tel: 0698765432").endswith(
        "le bâtiment est vide."
    )
    assert _person(talk, "+33698765432") is None
    assert talk.audit("person_add") == []


def test_bad_fields_and_known_phones_get_a_clear_answer(talk: Talk) -> None:
    assert talk("marc", "/ajouter").startswith("Écrivez par exemple : /ajouter locataire")
    assert talk("marc", "/ajouter locataire couleur: bleu").startswith(
        'Champ inconnu ou impossible ici : "couleur". Champs possibles :'
    )
    assert 'impossible ici : "jours"' in talk(
        "marc", "/ajouter locataire nom: Rose; jours: lun; tel: 0698765432; bat: B"
    )
    odette = talk.w.phone("odette")
    said = talk("marc", f"/ajouter locataire nom: Odile; tel: {odette}; bat: B")
    assert said.startswith("Ce téléphone est déjà celui de Mme Odette Martin")
    # a coordinator of every site must say which one
    assert talk("claire", "/ajouter benevole nom: Paul Henry; tel: 0698765432").startswith(
        "Pour quel site ? Ajoutez site: suivi de l'un de : moulin, phare."
    )


def test_changing_a_tenant_door_notes_phone_and_needs(talk: Talk) -> None:
    pid = talk.w.ids["odette"]
    said = talk("marc", f"/modifier {pid} étage: 3; porte: code 4512B; tel: 06 98 76 54 32")
    assert said.startswith(f"Fiche de Mme Odette Martin (n°{pid}) modifiée")
    odette = _person(talk, "+33698765432")
    assert odette is not None and odette.id == pid and odette.tenant is not None
    assert (odette.tenant.floor, odette.tenant.notes) == (3, "code 4512B")
    [entry] = talk.audit("person_change")
    assert entry.target == f"person:{pid}"
    assert set(entry.details["changed"]) == {"phone", "floor", "notes"}
    # a health need without a consent date: refused as the import refuses it, nothing changed
    refused = talk("marc", f"/modifier {pid} besoins: malade")
    assert refused.startswith("Rien n'est enregistré : besoins de santé sans date de consentement")
    # the needs field is the whole list, as in a CSV row
    said = talk("marc", f"/modifier {pid} besoins: isolé, malade; consentement: 24/11/2026")
    assert said.startswith("Fiche de") and "isolé(e), visites de courtoisie, santé fragile" in said
    odette = _person(talk, "+33698765432")
    assert odette is not None and odette.tenant is not None
    assert odette.tenant.ill and odette.tenant.consent_on == date(2026, 11, 24)
    assert odette.tenant.isolated and not odette.tenant.reduced_mobility
    assert talk("marc", f"/modifier {pid} étage: 3").startswith("Rien à changer")
    assert talk("marc", f"/modifier {pid} canal: voix").startswith("Fiche de")
    odette = _person(talk, "+33698765432")
    assert odette is not None and odette.preferred_channel is Channel.VOICE


def test_english_a_volunteer_and_another_sites_person(talk: Talk) -> None:
    talk.w.person("ann", "moulin", coordinator=True, name="Ann Smith", lang="en", telegram_id=9010)
    said = talk("ann", "/add volunteer name: Paul Henry; phone: 06 98 76 54 32; days: mon tue")
    assert said.startswith("Added: Paul Henry (no. ") and said.endswith("where they write from.")
    paul = _person(talk, "+33698765432")
    assert paul is not None and paul.volunteer is not None and paul.is_volunteer
    assert paul.volunteer.weekdays == "mon,tue" and paul.preferred_channel is None
    assert talk("ann", f"/edit {paul.id} packs: 3").startswith("Details of Paul Henry")
    paul = _person(talk, "+33698765432")
    assert paul is not None and paul.volunteer is not None and paul.volunteer.max_packs == 3
    marcel = talk.w.ids["marcel"]  # Résidence du Phare: not Ann's
    assert talk("ann", f"/edit {marcel} floor: 2") == f'Nobody has the number or phone "{marcel}".'
    assert [e.details["why"] for e in talk.audit("denied")] == ["other site"]


def test_the_command_line_adds_and_changes_with_the_same_rules(
    cli: tuple[World, typer.Typer],  # noqa: F811
) -> None:
    w, app = cli
    code, out = run(
        app, "people", "add", "tenant", "name=Rose Lefebvre", "phone=03 21 00 00 00",
        "building=B", "floor=2", "site=moulin",
    )  # fmt: skip
    assert code == 0, out
    rose = _person(w, LANDLINE)
    assert rose is not None and rose.preferred_channel is Channel.VOICE
    assert out.startswith(f"Ajouté(e) : Rose Lefebvre (n°{rose.id}), joignable par appel")
    code, out = run(app, "people", "set", str(rose.id), "notes=code 4512B", "phone=0698765432")
    assert code == 0 and "modifiée ; joignable par appel" in out, out  # kept until said otherwise
    code, out = run(app, "people", "set", str(rose.id), "channel=sms")
    assert code == 0 and "modifiée ; joignable par SMS" in out, out
    code, out = run(app, "people", "set", "0698765432", "phone=03 21 00 00 01")
    assert code == 0 and "modifiée ; joignable par appel" in out, out  # a landline again
    code, out = run(app, "people", "set", str(rose.id), "needs=ill")
    assert code == 2
    assert "besoins de santé sans date de consentement" in out
    code, out = run(app, "people", "set", str(rose.id), "needs=ill", "--lang", "en")
    assert code == 2 and "needs about health given without consent_on" in out
    code, out = run(app, "people", "add", "tenant", "name=Rose", "phone=0321000001", "building=C")
    assert code == 2 and "déjà celui de Rose Lefebvre" in out
    with w.db.transaction() as s:
        actions = list(
            s.scalars(sa.text("select action from audit_log where action like 'person_%'"))
        )
    assert actions == ["person_add", "person_change", "person_change", "person_change"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("999", 'Personne n\'a le numéro ou le téléphone "999".'), ("", "Écrivez /modifier")],
)
def test_changing_nobody(talk: Talk, who: str, expected: str) -> None:
    assert talk("marc", f"/modifier {who} étage: 2").startswith(expected)
