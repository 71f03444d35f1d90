"""Call triage: the receptionist's phone workstation (docs/domain.md §2).

A stack of open calls (a new call never loses the one on hold), the consultant board with
the rotation's queue, and today's calls, newest first — the phone register as it fills.
The calls open when desk last closed come back under the ones open now (desk.widgets.keeper).
"""

from __future__ import annotations

import asyncio

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, DataTable, Static

from desk.dal import calls as calls_dal
from desk.dal import staff as staff_dal
from desk.drafts import CallDraft
from desk.drafts import Draft, call_draft
from desk.i18n import t
from desk.phones import display
from desk.screens.base import DeskScreen
from desk.widgets.keeper import keeper
from desk.widgets.board import ConsultantBoard
from desk.widgets.markup import literal
from desk.widgets.table import DeskTable
from desk.widgets.call_panel import CallPanel
from desk.widgets.triage_script import type_label
from desk.widgets.focus import focus_now
from desk.widgets.header import DeskHeader
from desk.widgets.footer import DeskFooter


class TriageScreen(DeskScreen):
    BINDINGS = [
        Binding("f7", "next_call", "keys.next_call"),
        Binding("y", "tree(True)", "keys.yes", show=False),
        Binding("n", "tree(False)", "keys.no", show=False),
        Binding("backspace", "tree(None)", "keys.back", show=False),
        Binding("f10", "focus_board", "keys.board"),
        Binding("escape", "focus_call", "keys.to_call", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._serial = 0
        # Ctrl+N on arrival and the screen's own first call must not open two panels.
        self._opening = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield Static("", id="call-stack")
        with Horizontal(id="triage"):
            with Vertical(id="call-column"):
                # The first call is composed with the screen, so keys typed right after F3 /
                # Ctrl+N land in its number field instead of being lost while it mounts.
                self._serial = 1
                with ContentSwitcher(id="calls", initial="call-1"):
                    yield CallPanel(CallDraft(started_at=self.store.now()), self._roster(), id="call-1")
                yield Static("", id="last-saved")
            with Vertical(id="side-column"):
                yield ConsultantBoard(pools=("phone", "walk_in"), id="board")
                yield Static(t("triage.todays_calls"), classes="panel-title")
                yield DeskTable(id="todays-calls", cursor_type="row", zebra_stripes=True)
        yield DeskFooter()

    def on_mount(self) -> None:
        table = self.query_one("#todays-calls", DataTable)
        for key in ("time", "number", "type", "outcome", "to", "register"):
            table.add_column(t(f"triage.col_{key}"), key=key)
        self._show_calls(calls_dal.todays_calls(self.store))
        self._show_stack()
        self.current.focus_first()
        keeper(self.app).claim(self)

    # ----- the stack of open calls ------------------------------------------------------------
    @property
    def panels(self) -> list[CallPanel]:
        return list(self.query_one("#calls", ContentSwitcher).query(CallPanel))

    @property
    def current(self) -> CallPanel | None:
        switcher = self.query_one("#calls", ContentSwitcher)
        return next((panel for panel in self.panels if panel.id == switcher.current), None)

    def _roster(self) -> dict[str, str]:
        roster: dict[str, str] = {}
        for person in staff_dal.list_staff(self.store):
            roster[person.name] = person.role
            if person.english_name:
                roster[person.english_name] = person.role
        return roster

    async def new_call(self, number: str = "") -> CallPanel:
        """Open a new call on top of the stack; whatever is open stays as it was."""
        async with self._opening:
            return await self._new_call(number)

    async def _new_call(self, number: str) -> CallPanel:
        current = self.current
        if current is not None and not current.typed:
            if number:
                current.set_number(number)
            current.focus_first()
            return current
        self._serial += 1
        panel = CallPanel(CallDraft(started_at=self.store.now(), number=number), self._roster(), id=f"call-{self._serial}")
        switcher = self.query_one("#calls", ContentSwitcher)
        await switcher.mount(panel)
        switcher.current = panel.id
        self._show_stack()
        panel.focus_first()
        return panel

    def take_drafts(self) -> None:
        found = keeper(self.app).take("call")
        if found:
            self.call_later(self._restore_calls, found)

    async def _restore_calls(self, found: list[Draft]) -> None:
        """The calls open when desk closed go under the ones open now, each marked restored.
        When nothing is typed in the call on top (a phone not yet rung), the last of them
        takes its place, with the focus."""
        async with self._opening:
            switcher = self.query_one("#calls", ContentSwitcher)
            panels = []
            for draft in found:
                self._serial += 1
                panels.append(CallPanel(call_draft(draft.data), self._roster(), restored=draft, id=f"call-{self._serial}"))
            await switcher.mount_all(panels, before=0 if switcher.children else None)
            current = self.current
            if current is None or not current.typed:
                switcher.current = panels[-1].id
                if current is not None:
                    await current.remove()
                panels[-1].focus_first()
            self._show_stack()

    def action_next_call(self) -> None:
        panels = self.panels
        if len(panels) < 2:
            return
        current = self.current
        index = panels.index(current) if current in panels else -1
        nxt = panels[(index - 1) % len(panels)]
        self.query_one("#calls", ContentSwitcher).current = nxt.id
        self._show_stack()
        nxt.focus_first()

    def _show_stack(self) -> None:
        current = self.current
        parts = []
        for index, panel in enumerate(reversed(self.panels), start=1):
            label = f" {index}: {panel.title} "
            parts.append(f"[b reverse]{label}[/]" if panel is current else f"[dim]{label}[/dim]")
        hint = f"  [dim]{t('triage.stack_hint')}[/dim]" if len(parts) > 1 else ""
        self.query_one("#call-stack", Static).update(f"{t('triage.open_calls')}: " + " ".join(parts) + hint)

    @on(CallPanel.TitleChanged)
    def _title_changed(self) -> None:
        self._show_stack()

    @on(CallPanel.Recorded)
    async def _recorded(self, event: CallPanel.Recorded) -> None:
        self.query_one("#last-saved", Static).update(f"[b green]✔[/] {literal(event.summary)}")
        self.app.notify(literal(event.summary), title=t("common.saved"))
        switcher = self.query_one("#calls", ContentSwitcher)
        switcher.current = None
        await event.panel.remove()
        remaining = self.panels
        if remaining:
            switcher.current = remaining[-1].id
            remaining[-1].focus_first()
        else:
            await self.new_call()
        self._show_stack()
        self.reload()

    # ----- keys -------------------------------------------------------------------------------
    def action_tree(self, yes: bool | None) -> None:
        current = self.current
        if current is not None:
            current.tree_answer(yes)

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "tree":
            current = self.current
            walking = current is not None and current.tree_node is not None and self.focused is current.query_one("#tree")
            return walking
        return True

    def action_focus_board(self) -> None:
        focus_now(self.query_one("#board-table"))

    def action_focus_call(self) -> None:
        if self.current is not None:
            self.current.focus_first()

    def on_screen_resume(self) -> None:
        self.reload()

    def live_read(self):
        board, store = self.query_one(ConsultantBoard), self.store
        return lambda: (board.read(store), calls_dal.todays_calls(store))

    def show_read(self, data) -> None:
        board, calls = data
        self.query_one(ConsultantBoard).show(board)
        self._show_calls(calls)

    def _show_calls(self, calls) -> None:
        self.query_one("#todays-calls", DeskTable).sync([
            (str(row.id), (
                self.store.local(row.started_at).strftime("%H:%M"),
                display(row.number) or t("triage.withheld"),
                type_label(row.call_type),
                t(f"outcomes.{row.outcome}") if row.outcome else "",
                row.to_name or "",
                "✔" if row.register_complete else ("…" if row.outcome == "transferred" and row.call_type in calls_dal.INQUIRY_TYPES else ""),
            ))
            for row in calls
        ])
