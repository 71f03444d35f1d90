"""The manager's decision on one consultant's level (docs/domain.md §11.3), over the levels
screen: the proposed level is filled in, so Ctrl+S confirms it; typing another level (1–6),
choosing a status, ticking the criteria and a note override it. Esc cancels.

A refusal of the data layer is shown under its field and nothing typed is lost.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from desk.dal import grade
from desk.errors import DeskError, FieldError
from desk.i18n import t
from desk.models.grade import LEVEL_STATUSES
from desk.screens.base import DeskModal
from desk.widgets.checkbox import DeskCheckbox
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.forms import error_text
from desk.widgets.markup import literal

# The criteria's checkbox ids and catalog keys, in the order the dialog shows them.
_CRITERIA = {"exams_passed": "exams", "can_host_lectures": "lectures", "can_train": "train"}


def status_text(status: str) -> str:
    return t(f"levels.status_{status}")


def criteria_text(criteria: dict[str, bool]) -> str:
    """The ticked criteria in a few words, for a table cell or a history line."""
    return " ".join(t(f"levels.c_{short}") for key, short in _CRITERIA.items() if criteria.get(key))


class LevelDialog(DeskModal):
    BINDINGS = [Binding("ctrl+s", "save", "levels.k_save"), Binding("escape", "cancel", "keys.cancel")]

    def __init__(self, row: grade.LevelRow, consultants: int) -> None:
        super().__init__()
        self.row = row
        self.consultants = consultants

    def compose(self) -> ComposeResult:
        row, current = self.row, self.row.current
        with Vertical(id="ld-box", classes="dialog-box"):
            yield Static(t("levels.d_title", name=literal(row.name)), classes="panel-title")
            yield Static(t("levels.d_proposed", level=row.proposal.level, rank=row.proposal.rank, n=self.consultants,
                           sales=f"{row.proposal.sales:,.0f}"))
            if current is not None:
                yield Static(t("levels.d_current", level=current.level, status=status_text(current.status)))
            yield Static("", id="ld-error", classes="field-error")
            yield Label(t("levels.f_level"))
            yield Input(str(row.proposal.level), id="ld-level", restrict=r"[0-9]*", max_length=1, compact=True)
            yield Static("", id="ld-level-error", classes="field-error")
            yield Label(t("levels.f_status"))
            yield OptionList(*(Option(status_text(s), id=s) for s in LEVEL_STATUSES), id="ld-status", compact=True)
            for key, short in _CRITERIA.items():
                yield DeskCheckbox(t(f"levels.f_{short}"), current.criteria[key] if current else False, id=f"ld-{short}",
                                  compact=True)
            yield Label(t("levels.f_note"))
            yield Input(placeholder=t("levels.ph_note"), id="ld-note", compact=True)
            yield Static(t("levels.hint"), classes="hint")
        yield DeskFooter()

    def on_mount(self) -> None:
        status = self.row.current.status if self.row.current else "regular"
        self.query_one("#ld-status", OptionList).highlighted = LEVEL_STATUSES.index(status)
        level = self.query_one("#ld-level", Input)
        focus_now(level)
        level.call_after_refresh(level.action_select_all)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        for target in ("#ld-error", "#ld-level-error"):
            self.query_one(target, Static).update("")
        text = self.query_one("#ld-level", Input).value.strip()
        picked = self.query_one("#ld-status", OptionList).highlighted
        status = LEVEL_STATUSES[picked] if picked is not None else "regular"
        criteria = {key: self.query_one(f"#ld-{short}", DeskCheckbox).value for key, short in _CRITERIA.items()}
        note = self.query_one("#ld-note", Input).value
        store, staff_id = self.store, self.row.staff_id
        level = int(text) if text.isdigit() else 0  # the data layer says what a level may be
        self.in_thread(lambda: grade.record_level(store, staff_id, level, status, criteria, note),
                       self._saved, failed=self._failed, group="level-save")

    def _saved(self, record) -> None:
        self.app.notify(t("levels.saved", name=literal(self.row.name), level=record.level), title=t("common.saved"))
        self.dismiss(True)

    def _failed(self, err: Exception) -> None:
        if isinstance(err, FieldError) and err.field == "level":
            self.query_one("#ld-level-error", Static).update(error_text(err))
            focus_now(self.query_one("#ld-level", Input))
        elif isinstance(err, FieldError):
            self.query_one("#ld-error", Static).update(error_text(err))
        elif isinstance(err, DeskError):
            self.query_one("#ld-error", Static).update(literal(str(err)))

    def action_cancel(self) -> None:
        self.dismiss(None)
