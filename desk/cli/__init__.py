"""desk's command line (Typer): ``desk`` starts the TUI; the commands manage a center.

One module per command or group of commands, assembled here; what they share is in
:mod:`desk.cli.common` (help texts, the global options' ``Env``, one-line errors and exit
codes) and :mod:`desk.cli.values` (reading typed values). Imports are lazy: ``desk
--version``, ``desk config`` and ``desk staff list`` never import Textual, and the database
layer is only imported by commands that use it. The console script is :mod:`desk.entry`,
which starts the TUI without loading Typer when that is all it is asked to do.

The help texts come from the catalog when the command modules are imported (Typer takes
them as strings), so :func:`main` reads ``--lang`` from the command line before it builds
the app: ``desk --lang zh_CN --help`` is in Chinese, as is ``desk --help`` in a Chinese
locale. ``app`` is built on first use, in the language of that moment.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer


@cache
def build() -> typer.Typer:
    """The Typer app with every command, its help texts in the help language of this moment."""
    import typer

    from desk.cli import (
        audit,
        backup,
        config,
        demo,
        imports,
        init,
        lead,
        outreach,
        partner,
        report,
        ring,
        root,
        serve,
        staff,
    )
    from desk.cli.common import DeskGroup, help_text

    def completion_arguments():
        """Typer's ``--install-completion`` / ``--show-completion``, with desk's help texts
        (in the user's language, like every other option's)."""
        install, show = typer_completion_arguments()
        install.help = help_text("root.install_completion")
        show.help = help_text("root.show_completion")
        return install, show

    typer_completion_arguments = typer.main.get_install_completion_arguments
    typer.main.get_install_completion_arguments = completion_arguments

    # Shell completion: `desk --install-completion` (or `--show-completion SHELL`); the shell
    # asks through _DESK_COMPLETE, which desk.entry sends here, past the fast start of the TUI.
    app = typer.Typer(
        cls=DeskGroup,
        help=help_text("root.help"),
        add_completion=True,
        no_args_is_help=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback(invoke_without_command=True)(root.root)
    # Typer lists the commands in the order they are added, then the groups.
    app.command("init", help=help_text("init.help"))(init.init_cmd)
    app.command("demo", help=help_text("demo.help"))(demo.demo_cmd)
    app.command("config", help=help_text("config.help"))(config.config_cmd)
    app.command("ring", help=help_text("ring.help"))(ring.ring_cmd)
    app.command("import", help=help_text("import.help"))(imports.import_cmd)
    app.command("backup", help=help_text("backup.help"))(backup.backup_cmd)
    app.command("restore", help=help_text("restore.help"))(backup.restore_cmd)
    app.command("check", help=help_text("check.help"))(backup.check_cmd)
    app.command("serve", help=help_text("serve.help"))(serve.serve_cmd)
    app.add_typer(staff.staff_app, name="staff")
    app.add_typer(report.report_app, name="report")
    app.add_typer(outreach.outreach_app, name="outreach")
    app.add_typer(lead.lead_app, name="lead")
    app.add_typer(partner.partner_app, name="partner")
    app.add_typer(audit.audit_app, name="audit")
    return app


def __getattr__(name: str):
    if name == "app":
        return build()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: list[str] | None = None) -> None:
    """Run the command line on ``argv`` (default: the process's arguments)."""
    from desk.cli.common import set_help_language

    args = sys.argv[1:] if argv is None else list(argv)
    set_help_language(args)
    build()(args=args, prog_name="desk")
