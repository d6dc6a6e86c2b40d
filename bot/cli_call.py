"""`entraide call --phone …`: a phone call to the service, held in the terminal.

Registered on the `entraide` app by bot/cli.py. Imports stay inside the command, as there:
`entraide parse` must start fast.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from bot.cli_common import clock_at
from bot.cli_common import fail as _fail


def call(
    phone: Annotated[str, typer.Option(help="call as the person with this number")],
    at: Annotated[
        str | None, typer.Option(help="pretend it is this local time (YYYY-MM-DDTHH:MM)")
    ] = None,
) -> None:
    """Call the bot from the terminal: type what the caller says, or digits for keys."""
    from pathlib import Path

    from bot.channels import enabled_channels
    from bot.channels.console_call import ConsoleCall
    from bot.logs import configure
    from bot.runtime import open_runtime
    from bot.service import Service
    from models.phones import PhoneError, normalise

    try:
        number = normalise(phone)
    except PhoneError as exc:
        _fail(f"--phone: {exc}")
    rt = open_runtime(clock=clock_at(at))
    Path("var").mkdir(exist_ok=True)
    configure(rt.settings.log_level, filename="var/chat.log")  # the call is the output
    try:
        service = Service(rt, enabled_channels(rt.settings))
        interactive = sys.stdin.isatty()
        if interactive:
            typer.echo(
                f"Calling as {number}. Type what you say; digits are keys; an empty line is "
                "silence; start with ? for a doubtful transcription; Ctrl-D hangs up."
            )
        ConsoleCall(service, number).run(sys.stdin, interactive)
    finally:
        rt.close()


def register(app: typer.Typer) -> None:
    app.command("call")(call)
