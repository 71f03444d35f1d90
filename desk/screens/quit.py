"""Ctrl+Q: desk quits at once when nothing typed would be lost, and asks first otherwise."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from desk.i18n import t
from desk.screens.dialogs.confirm import ConfirmDialog
from desk.widgets.keeper import found_keeper, summary


class QuitDialog(ConfirmDialog):
    """Ctrl+Q with something typed: it names what would be lost; y quits, n or Esc goes back
    to the field being typed in, as it was."""

    BINDINGS = [
        Binding("y", "answer(True)", "drafts.k_yes_quit"),
        Binding("n", "answer(False)", "drafts.k_no_back"),
    ]


def quit_desk(app: App) -> None:
    """Ctrl+Q: quit at once when nothing typed would be lost, else ask first."""
    if isinstance(app.screen, QuitDialog):
        return
    found = found_keeper(app)
    at_stake = found.at_stake() if found is not None else []
    if not at_stake:
        if found is not None:
            found.discard()
        app.exit()
        return
    found.flush()

    def answered(yes: bool | None) -> None:
        if yes:
            found.discard()
            app.exit()

    # n or Esc: the dialog closes and the focus is back in the field, the cursor where it was.
    app.push_screen(QuitDialog(t("drafts.confirm_quit", what=summary(at_stake))), answered)
