"""/diffuser: how many it will reach, a confirmation, STOP respected, the outbox, the audit."""

from __future__ import annotations

from models.base import OutboxStatus
from tests.coordinator.conftest import Talk

HEATWAVE = "/diffuser moulin isolés Canicule : buvez de l'eau. || Heatwave: drink water."


def test_shows_the_reach_then_sends_on_yes(talk: Talk) -> None:
    w = talk.w
    question = talk.replies("claire", HEATWAVE)
    assert question[0].text == (
        "Ce message partira à 2 personnes (les locataires isolés, Résidence du Moulin) : "
        '"Canicule : buvez de l\'eau." Envoyer ? '
        "(1 personne a demandé STOP : elle ne le recevra pas.)"
    )
    assert [c.value for c in question[0].choices] == ["yes", "no"]
    assert _broadcasts(talk) == []  # nothing leaves before the coordinator says yes
    assert talk.press("claire", "yes") == "C'est parti : 2 messages en route."
    rows = _broadcasts(talk)
    assert sorted(rows) == sorted(
        [
            (w.ids["odette"], "Canicule : buvez de l'eau."),
            (w.ids["peter"], "Heatwave: drink water."),
        ]
    )
    entry = talk.audit("broadcast")[-1]
    assert (entry.actor, entry.target, entry.details["reached"]) == (
        "Claire Vasseur",
        "audience:isolated",
        2,
    )
    assert entry.details["text"] == "Canicule : buvez de l'eau."
    # a second "oui" has nothing left to confirm: nothing is sent twice
    talk("claire", "oui")
    assert len(_broadcasts(talk)) == 2


def test_no_sends_nothing(talk: Talk) -> None:
    talk("claire", "/diffuser moulin Réunion des locataires jeudi à 18 h.")
    assert talk("claire", "non") == "D'accord, rien n'a été fait."
    assert _broadcasts(talk) == [] and talk.audit("broadcast") == []


def test_every_tenant_by_default_and_a_word_answer(talk: Talk) -> None:
    """Active tenants of the site: not the one who said STOP, not the newcomer not yet approved."""
    question = talk("marc", "/diffuser Coupure d'eau demain matin.")
    assert question.startswith(
        "Ce message partira à 3 personnes (tous les locataires, Résidence du Moulin)"
    )
    assert "1 personne lit l'anglais" in question
    assert talk("marc", "oui") == "C'est parti : 3 messages en route."
    ids = talk.w.ids
    assert {p for p, _ in _broadcasts(talk)} == {ids["jeanne"], ids["odette"], ids["peter"]}


def test_volunteers_and_an_unclear_answer(talk: Talk) -> None:
    question = talk("marc", "/diffuser bénévoles Merci pour cette semaine !")
    assert question.startswith("Ce message partira à 2 personnes (les bénévoles")
    assert talk("marc", "peut-être").startswith("Je n'ai pas compris. Ce message partira")
    assert talk("marc", "bof") == "D'accord, je laisse tomber : rien n'a été fait."
    assert _broadcasts(talk) == []


def test_a_new_command_drops_the_question(talk: Talk) -> None:
    talk("marc", "/diffuser Bonjour")
    assert talk("marc", "/attente").startswith("1 inscription en attente")
    assert talk("marc", "oui") != "C'est parti : 4 messages en route."
    assert _broadcasts(talk) == []


def test_needs_a_text_and_a_site(talk: Talk) -> None:
    assert talk("marc", "/diffuser").startswith("Écrivez /diffuser suivi du message")
    assert talk("marc", "/diffuser isolés").startswith("Écrivez /diffuser suivi du message")
    assert talk("claire", "/diffuser Bonjour").startswith("Pour quel site ?")


def _broadcasts(talk: Talk) -> list[tuple[int, str]]:
    import sqlalchemy as sa

    from models.messages import OutboxMessage

    with talk.w.db.transaction() as s:
        rows = s.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "broadcast")).all()
        assert all(r.status is OutboxStatus.PENDING for r in rows)
        return [(r.person_id, r.payload["text"]) for r in rows]


def test_a_site_name_inside_the_text_stays_in_the_text(talk: Talk) -> None:
    question = talk("marc", "/diffuser Le moulin à café de la salle commune est réparé.")
    assert '"Le moulin à café de la salle commune est réparé."' in question
