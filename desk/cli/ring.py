"""``desk ring NUMBER``: tell a running desk that the phone is ringing (a file it polls for).

The ring goes to the database the options name, by the rule every command follows
(:func:`desk.db.resolve`): ``desk --demo ring N`` for ``desk --demo``. It is posted only for
a desk database that is there (a missing one, a directory or a text file is refused as every
command refuses it), so a ring never waits in a folder no desk polls.

``--recording REF``: the phone system's reference of the call's recording; the call the ring
opens carries it and saves it (docs/domain.md §2.8), so a phone lead is valid without anyone
typing it.
"""

from __future__ import annotations

import typer

from desk.cli.common import env_of, help_text, naming_the_source, runtime_exit
from desk.errors import DeskError
from desk.i18n import t


def ring_cmd(
    ctx: typer.Context,
    number: str = typer.Argument(..., metavar="NUMBER", help=help_text("ring.number")),
    recording: str | None = typer.Option(None, "--recording", metavar="REF", help=help_text("ring.recording")),
) -> None:
    env = env_of(ctx)
    env.language()
    number = number.strip()
    if not any(ch.isdigit() for ch in number):
        raise typer.BadParameter(t("cli.bad_number", value=number), param_hint="NUMBER")
    if recording is not None:
        from desk.rules.recordings import MAX_REF

        recording = recording.strip()
        if not recording or len(recording) > MAX_REF:
            raise typer.BadParameter(t("cli.bad_recording", max=MAX_REF), param_hint="--recording")
    target = env.target  # refuses a database that is not there
    from desk.db import checked_sqlite_file
    from desk.ring import post_ring, rings_home

    with naming_the_source(target):
        checked_sqlite_file(target)  # a directory, a text file, a foreign or newer database
    try:
        written = post_ring(rings_home(target), number, recording=recording)
    except OSError as err:  # the folder is there but cannot be written: not a usage error
        raise runtime_exit(DeskError(f"{err.filename or rings_home(target)}: {err.strerror or err}")) from None
    print(t("cli.ring_posted", number=number, folder=written.parent))
