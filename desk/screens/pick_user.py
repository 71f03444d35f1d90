"""Who is at the keyboard: picked at start (remembered per workstation), F9 to switch."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from desk.dal import staff as staff_dal
from desk.i18n import t
from desk.screens.base import DeskModal
from desk.widgets.focus import focus_now


class PickUserScreen(DeskModal):
    BINDINGS = [Binding("escape", "cancel", "keys.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-user-box", classes="dialog-box"):
            yield Static(t("pick_user.title"), classes="panel-title")
            yield OptionList(id="pick-user")
            yield Static(t("pick_user.hint"), classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        self._people = {str(p.id): p for p in staff_dal.list_staff(self.store)}
        for person in self._people.values():
            label = f"{person.name}  {t('common.roles.' + person.role)}" + (f"  #{person.extension}" if person.extension else "")
            options.add_option(Option(label, id=str(person.id)))
        if not self._people:
            self.query_one(".hint", Static).update(t("pick_user.no_staff"))
        focus_now(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._people[event.option.id])

    def action_cancel(self) -> None:
        self.dismiss(None)
