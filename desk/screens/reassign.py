"""The manager gives a lead to another consultant, with a reason (docs/domain.md §5.4).

``a`` on the lead timeline or on a follow-up queue row opens :class:`ReassignDialog` for a
manager or the principal; anyone else is told why not, so the key never silently does
nothing. The dialog shows the lead and its owner now, the active consultants with today's
load, and a reason field: ↑↓ picks, Tab (or Enter) moves to the reason, Ctrl+S saves, Esc
cancels. A refusal of the data layer is shown under its field and nothing typed is lost; a
reason typed when desk closed opens again on the follow-up queue (desk.widgets.keeper).
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from desk.dal import ownership
from desk.drafts import Draft
from desk.errors import FieldError
from desk.i18n import t
from desk.phones import display
from desk.screens.base import DeskModal
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.forms import error_text
from desk.widgets.keeper import KeepsDrafts, keeper
from desk.widgets.markup import literal


def open_reassign(screen: Screen, lead_id: int | None, saved: Callable[[], object]) -> None:
    """What the reassign key does on ``screen``: the dialog for a manager, else a notice why
    not; ``saved`` runs after a reassignment so the list that opened it shows it."""
    app = screen.app
    if not ownership.is_manager(getattr(app, "user", None)):
        app.notify(t("reassign.err_not_manager"), severity="warning")
        return
    if lead_id is None:
        app.notify(t("reassign.no_lead"), severity="warning")
        return

    def closed(result: ownership.Reassigned | None) -> None:
        if result is not None:
            saved()

    app.push_screen(ReassignDialog(lead_id), closed)


class ReassignDialog(KeepsDrafts, DeskModal):
    BINDINGS = [Binding("ctrl+s", "save", "reassign.k_save"), Binding("escape", "cancel", "keys.cancel")]

    def __init__(self, lead_id: int, restored: Draft | None = None) -> None:
        """``restored``: the reassignment was being typed when desk closed; this is its draft."""
        super().__init__()
        self.lead_id = lead_id
        self.restored = restored
        self._reason = Input(placeholder=t("reassign.ph_reason"), id="ra-reason")

    def compose(self) -> ComposeResult:
        lead = ownership.lead_owner(self.store, self.lead_id)
        self.lead = lead
        self.people = ownership.candidates(self.store)
        owner_id = lead.owner_id if lead else None
        mark = f" · {t('drafts.mark')}" if self.restored is not None else ""
        with Vertical(id="ra-box", classes="dialog-box"):
            yield Static(t("reassign.title", name=literal(lead.name or "?") if lead else "?", phone=display(lead.phone) if lead and lead.phone else "") + mark,
                         classes="panel-title")
            yield Static(t("reassign.now", owner=literal((lead.owner if lead else None) or t("reassign.no_owner")),
                           n=lead.open_follow_ups if lead else 0))
            yield Static("", id="ra-error", classes="field-error")
            yield Label(t("reassign.f_owner"))
            self._owners = OptionList(*(
                Option(t("reassign.option", name=p.name, state=t(f"common.states.{p.state}"), today=p.assigned_today,
                         open=p.open_follow_ups) + (f" {t('reassign.current')}" if p.id == owner_id else ""), id=str(p.id))
                for p in self.people
            ), id="ra-owners")
            yield self._owners
            yield Static("", id="ra-owner-error", classes="field-error")
            yield Label(t("reassign.f_reason"))
            yield self._reason
            yield Static("", id="ra-reason-error", classes="field-error")
            yield Static(t("reassign.hint"), classes="hint")
        yield DeskFooter()

    def on_mount(self) -> None:
        owners = self._owners
        owner_id = self.lead.owner_id if self.lead else None
        # The first consultant who is not the owner now: the pick is never "no change".
        owners.highlighted = next((i for i, p in enumerate(self.people) if p.id != owner_id), None)
        if self.restored is None:
            focus_now(owners)
            return
        keeper(self.app).adopt(self.restored)  # the pick and the reason as they were typed
        data = self.restored.data
        owners.highlighted = next((i for i, p in enumerate(self.people) if p.id == data["owner_id"]), owners.highlighted)
        self._reason.value = str(data["reason"])
        focus_now(self._reason)
        self._reason.call_after_refresh(self._reason.action_end)

    def drafts(self) -> list[Draft]:
        """Only a reason counts as typed: the pick alone is one key away."""
        if not self._reason.value.strip():
            return []
        picked = self._owners.highlighted
        return [Draft("reassign", {"lead_id": self.lead_id, "name": self.lead.name if self.lead else "?",
                                   "owner_id": self.people[picked].id if picked is not None else None, "reason": self._reason.value})]

    @on(OptionList.OptionSelected, "#ra-owners")
    def _picked(self) -> None:
        focus_now(self.query_one("#ra-reason", Input))

    @on(Input.Submitted, "#ra-reason")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        for target in ("#ra-error", "#ra-owner-error", "#ra-reason-error"):
            self.query_one(target, Static).update("")
        owners = self.query_one("#ra-owners", OptionList)
        picked = owners.highlighted
        new_owner = self.people[picked].id if picked is not None else None
        try:
            result = ownership.reassign(self.store, self.lead_id, new_owner, self.query_one("#ra-reason", Input).value)
        except FieldError as err:
            if err.field == "reason":
                self.query_one("#ra-reason-error", Static).update(error_text(err))
                focus_now(self.query_one("#ra-reason", Input))
            elif err.field == "owner":
                self.query_one("#ra-owner-error", Static).update(error_text(err))
                focus_now(owners)
            else:
                self.query_one("#ra-error", Static).update(error_text(err))
            return
        self.app.notify(t("reassign.done", name=literal(result.name), owner=literal(result.new_owner), n=result.moved), title=t("common.saved"))
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
