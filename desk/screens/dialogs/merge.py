"""Merge a duplicate into the lead on the timeline (docs/domain.md §4.1; desk.dal.merge).

``m`` on the lead timeline opens :class:`MergeDialog`: the user types the duplicate's phone
or name and sees the leads it finds (leads flagged ``repeat`` first, and listed before
anything is typed, since they are the usual duplicates); ↓ or Enter goes to the list, Enter
picks one, and a yes / no question says what will move (n calls, n visits...) before
anything is written. Every read and the merge run off the UI thread; a refusal (not the
owner of either lead, nor a manager) is said in the dialog and nothing changes.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from desk.dal import merge as merge_dal
from desk.errors import DeskError
from desk.i18n import t
from desk.phones import display
from desk.screens.base import DeskModal
from desk.screens.dialogs.confirm import ConfirmDialog
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.markup import literal


class MergeDialog(DeskModal):
    """Find the duplicate, confirm what moves, merge; dismissed with the result (or None)."""

    BINDINGS = [Binding("escape", "cancel", "merge.k_cancel"), Binding("down", "to_list", "merge.k_pick", show=False)]

    def __init__(self, lead_id: int, name: str) -> None:
        super().__init__()
        self.lead_id = lead_id
        self.lead_name = name
        self._query = Input(placeholder=t("merge.query"), id="mg-query")
        self._hits = OptionList(id="mg-hits")
        self._note = Static("", id="mg-note", classes="field-error")

    def compose(self) -> ComposeResult:
        with Vertical(id="mg-box", classes="dialog-box"):
            yield Static(t("merge.title", name=literal(self.lead_name or "?")), classes="panel-title")
            yield Static(t("merge.hint"))
            yield self._query
            yield self._hits
            yield self._note
        yield DeskFooter()

    def on_mount(self) -> None:
        self._search("")
        focus_now(self._query)

    @on(Input.Changed, "#mg-query")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def _search(self, query: str) -> None:
        self.in_thread(lambda: merge_dal.candidates(self.store, self.lead_id, query), self._show,
                       group="merge-search", exclusive=True)

    def _show(self, hits) -> None:
        self._hits.clear_options()
        self._hits.add_options(
            Option(" · ".join(part for part in (
                f"#{hit.id}", literal(hit.name or "?"), display(hit.phone) if hit.phone else "",
                literal(hit.owner or ""), t("merge.repeat") if repeat else "",
            ) if part), id=str(hit.id))
            for hit, repeat in hits
        )  # fmt: skip
        self._note.update("" if hits else t("merge.none"))
        if hits:
            self._hits.highlighted = 0

    @on(Input.Submitted, "#mg-query")
    def action_to_list(self) -> None:
        if self._hits.option_count:
            focus_now(self._hits)

    @on(OptionList.OptionSelected, "#mg-hits")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        drop_id = int(event.option.id or 0)
        self.in_thread(lambda: merge_dal.plan(self.store, self.lead_id, drop_id), self._confirm, failed=self._refused)

    def _confirm(self, plan: merge_dal.MergePlan) -> None:
        question = t("merge.confirm", drop=plan.drop.id, drop_name=literal(plan.drop.name or "?"),
                     drop_phone=display(plan.drop.phone) if plan.drop.phone else "", keep=plan.keep.id,
                     keep_name=literal(plan.keep.name or "?"), keep_phone=display(plan.keep.phone) if plan.keep.phone else "",
                     moves=merge_dal.moves_text(plan.counts))

        def answered(yes: bool | None) -> None:
            if yes:
                user = self.app.user  # type: ignore[attr-defined]  # DeskApp's person at the keyboard
                self.in_thread(lambda: merge_dal.merge_leads(self.store, plan.keep.id, plan.drop.id, user), self._merged,
                               failed=self._refused)
            else:
                focus_now(self._hits)

        self.app.push_screen(ConfirmDialog(question), answered)

    def _merged(self, done: merge_dal.Merged) -> None:
        text = t("merge.done", drop=done.drop_id, keep=done.keep_id, moves=merge_dal.moves_text(done.counts))
        if done.other_phone:
            text += "\n" + t("merge.other_phone", phone=display(done.other_phone))
        self.app.notify(text, title=t("common.saved"))
        self.dismiss(done)

    def _refused(self, err: Exception) -> None:
        if isinstance(err, DeskError):
            self._note.update(literal(str(err)))
        focus_now(self._hits)

    def action_cancel(self) -> None:
        self.dismiss(None)
