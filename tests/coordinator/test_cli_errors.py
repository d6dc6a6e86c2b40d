"""The command line says what it did, names its own commands, and fails (one line on stderr,
exit code 2) whenever nothing was done: a script running it can tell."""

from __future__ import annotations

import typer

from models.base import PersonStatus
from tests.coordinator.test_cli import cli, run  # noqa: F401  (the fixture)
from tests.coordinator.world import World

FAILURES = [
    (("stats", "bientôt"), 'entraide: Je ne comprends pas la période "bientôt"'),
    (("stats", "--site", "nulle-part"), "entraide: Site inconnu : nulle-part."),
    (("tomorrow", "--site", "nulle-part"), "entraide: Site inconnu : nulle-part."),
    (("tenant", "Personne"), 'entraide: Aucun locataire ne correspond à "Personne".'),
    (("tenant", "Pouli"), "entraide: 2 locataires correspondent"),
    (("pause", "Personne", "--until", "2026-11-30"), "entraide: Aucun locataire"),
    (("pause", "Jeanne", "--until", "2026-11-20"), "entraide: La fin (vendredi 20 novembre)"),
    (("people", "refuse", "9999"), "entraide: Je ne trouve personne avec le numéro 9999."),
    (("export", "bientôt"), 'entraide: Je ne comprends pas la période "bientôt"'),
]


def test_every_failure_exits_non_zero_in_one_line(
    cli: tuple[World, typer.Typer],  # noqa: F811
) -> None:
    _, app = cli
    for args, said in FAILURES:
        code, out = run(app, *args)
        assert code == 2, (args, out)
        assert out.startswith(said), (args, out)
        assert len(out.strip().splitlines()) == 1 and "Traceback" not in out


def test_refusing_someone_not_waiting_fails_and_changes_nothing(
    cli: tuple[World, typer.Typer],  # noqa: F811
) -> None:
    w, app = cli
    code, out = run(app, "people", "refuse", str(w.ids["jeanne"]))
    assert code == 2 and "n'est pas en attente : actif" in out, out
    with w.db.transaction() as s:
        from models.people import Person

        jeanne = s.get(Person, w.ids["jeanne"])
        assert jeanne is not None and jeanne.status is PersonStatus.ACTIVE


def test_pending_names_the_cli_commands(cli: tuple[World, typer.Typer]) -> None:  # noqa: F811
    w, app = cli
    code, out = run(app, "pending")
    assert code == 0, out
    assert "Fatima Benali" in out
    assert out.rstrip().endswith(
        "Pour valider : entraide people approve N. Pour refuser : entraide people refuse N."
    )
    assert "/valider" not in out
    code, out = run(app, "pending", "--lang", "en")
    assert out.rstrip().endswith(
        "To approve: entraide people approve N. To refuse: entraide people refuse N."
    )
    code, out = run(app, "people", "refuse", str(w.ids["newcomer"]))
    assert code == 0 and out.startswith("C'est fait"), out
