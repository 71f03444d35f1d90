"""The check of a lead a consultant marked repeat or invalid (docs/domain.md §4.5).

The receptionist or the manager hears the recording where needed and says whether the mark
stands: upheld or overruled, with the reasons in her words if she likes. The verdict decides
whether the lead counts as valid, and the day and month reports list every check.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from desk.dal import notes as notes_dal
from desk.errors import FieldError
from desk.i18n import t
from desk.screens.base import DeskModal
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.forms import error_text
from desk.widgets.markup import literal


class CheckDialog(DeskModal):
    """↑↓ Enter: upheld or overruled; then the reasons (optional); Enter or Ctrl+S saves.
    Dismissed with True once saved, None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "notes.k_save_check"),
        Binding("escape", "cancel", "keys.cancel"),
    ]

    def __init__(self, lead_id: int, name: str, flag: str, facts: str) -> None:
        """``facts``: what the rules say of the lead now (valid, or its failed reasons)."""
        super().__init__()
        self.lead_id = lead_id
        self.lead_name = name
        self.flag = flag
        self.facts = facts
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="ck-box", classes="dialog-box"):
            yield Static(t("notes.check_dialog_title", name=literal(self.lead_name), flag=t(f"notes.flag_{self.flag}")),
                         classes="panel-title")
            yield Static(literal(self.facts), classes="hint")
            yield OptionList(*(Option(t(f"notes.verdict_{v}"), id=v) for v in notes_dal.VERDICTS), id="ck-verdict")
            yield Label(t("notes.check_reasons"))
            yield Input(id="ck-note", placeholder=t("notes.check_reasons_placeholder"))
            yield Static("", id="ck-error", classes="field-error")
        yield DeskFooter()

    def on_mount(self) -> None:
        verdicts = self.query_one("#ck-verdict", OptionList)
        verdicts.highlighted = 0
        focus_now(verdicts)

    @on(OptionList.OptionSelected, "#ck-verdict")
    def _chosen(self) -> None:
        focus_now(self.query_one("#ck-note", Input))

    @on(Input.Submitted, "#ck-note")
    def _note_done(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        if self.saving:
            return
        verdicts = self.query_one("#ck-verdict", OptionList)
        index = verdicts.highlighted
        verdict = notes_dal.VERDICTS[index] if index is not None else ""
        note = self.query_one("#ck-note", Input).value
        store, lead_id = self.store, self.lead_id
        self.saving = True
        self.in_thread(lambda: notes_dal.confirm_checked(store, lead_id, verdict, note), lambda _lead: self.dismiss(True),
                       failed=self._not_saved, group="check")

    def _not_saved(self, err: Exception) -> None:
        self.saving = False
        if isinstance(err, FieldError):
            self.query_one("#ck-error", Static).update(error_text(err))

    def action_cancel(self) -> None:
        self.dismiss(None)
