"""The receptionist's home: who is on duty now and the keys to every workstation screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from desk.i18n import t
from desk.screens.base import DeskScreen
from desk.widgets.footer import DeskFooter
from desk.widgets.header import DeskHeader
from desk.widgets.live import update_text
from desk.widgets.table import DeskTable

_SCREEN_KEYS = (
    ("F3", "screens.triage"),
    ("F4", "screens.walkins"),
    ("F5", "screens.notes"),
    ("F6", "screens.followups"),
    ("F12", "screens.dashboard"),
    ("F9", "keys.switch_user"),
    ("F1 ?", "keys.help"),
)


class HomeScreen(DeskScreen):
    BINDINGS = [("r", "refresh", "keys.refresh")]

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        with Horizontal(id="home"):
            with Vertical(id="duty-panel"):
                yield Static(id="today", classes="panel-title")
                yield DeskTable(id="duty", cursor_type="row", zebra_stripes=True)
            with Vertical(id="go-panel"):
                yield Static(t("home.go_to"), classes="panel-title")
                yield Static(self._keys_text(), id="go-keys")
        yield DeskFooter()

    def _keys_text(self) -> str:
        return "\n".join(f"[b reverse] {key} [/] {t(label)}" for key, label in _SCREEN_KEYS)

    def on_mount(self) -> None:
        table = self.query_one("#duty", DataTable)
        table.add_columns(t("home.col_name"), t("home.col_role"), t("home.col_ext"), t("home.col_state"))
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self.reload()

    def live_read(self):
        return self._on_duty

    def show_read(self, people: list) -> None:
        today = self.desk.today()
        update_text(self.query_one("#today", Static), t("home.on_duty", date=today.isoformat(), weekday=t(f"home.weekday_{today.isoweekday()}")))
        rows = []
        for person in people:
            state = t(f"common.states.{person.state}") if person.role == "consultant" else ""
            rows.append((str(person.id), (person.name, t(f"common.roles.{person.role}"), person.extension or "", state)))
        self.query_one("#duty", DeskTable).sync(rows or [("nobody", (t("home.nobody_on_duty"), "", "", ""))])

    def _on_duty(self) -> list:
        """Read through the store once it is open; before that, the roster read at start-up."""
        if not self.desk.store_open and self.desk.first_paint is not None:
            return self.desk.first_paint.duty
        from desk.dal import staff as staff_dal

        return staff_dal.on_duty(self.store)
