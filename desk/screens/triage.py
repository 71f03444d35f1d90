"""Call triage: the receptionist's phone workstation (docs/domain.md §2).

A stack of open calls (a new call never loses the one on hold), the consultant board with
the rotation's queue, and today's calls, newest first — the phone register as it fills.
The calls open when desk last closed come back under the ones open now (desk.widgets.keeper).

The screen is where a call meets the database: the panels post what they need, and the
screen looks callers up, classifies what they say and saves calls in worker threads
(``in_thread``), so typing never waits on a query or the classifier; who can take a call is
read with the board and handed to every panel.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, DataTable, Static
from textual.worker import get_current_worker

from desk.dal import calls as calls_dal
from desk.dal import lookup as lookup_dal
from desk.dal import partners as partners_dal
from desk.dal import triage as triage_dal
from desk.drafts import CallDraft, Draft, call_draft
from desk.errors import PickChanged
from desk.i18n import language, t
from desk.phones import display
from desk.rules import calls as calls_rules
from desk.rules.calls import NEW_INQUIRY_TYPES
from desk.screens.base import DeskScreen
from desk.screens.board_host import HostsBoard
from desk.widgets.board import ConsultantBoard
from desk.widgets.call_panel import CallContext, CallPanel
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.header import DeskHeader
from desk.widgets.keeper import keeper
from desk.widgets.markup import literal
from desk.widgets.table import DeskTable
from desk.widgets.triage_script import type_label

T = TypeVar("T")


def after_pause(seconds: float, work: Callable[[], T]) -> Callable[[], T | None]:
    """``work`` run in its thread once ``seconds`` pass with no newer request of its group:
    each key's request (a lookup, a classification) starts its thread at once, and a key
    typed meanwhile cancels it (``in_thread``'s exclusive groups) before it has cost anything
    but the wait, which it leaves within ~10 ms. The debounce lives in the thread, not in a
    timer on the UI thread, so that waiting for the app's workers waits for it too."""

    def run() -> T | None:
        worker = get_current_worker()
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if worker.is_cancelled:
                return None  # in_thread hands nothing back from a cancelled worker
            time.sleep(min(left, 0.01))
        return None if worker.is_cancelled else work()

    return run


class TriageScreen(HostsBoard, DeskScreen):
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
        self.partner_names: list[str] = []  # the channel partners the call panels suggest
        # Ctrl+N on arrival and the screen's own first call must not open two panels.
        self._opening = asyncio.Lock()

    def compose(self) -> ComposeResult:
        # Who can take a call: read with the board, handed to every panel (CallPanel.people).
        self.people = triage_dal.triage_people(self.store)
        config = self.desk.config
        self.call_context = CallContext(
            now=self.store.now,
            local=self.store.local,
            phone_region=config.center.phone_region,
            directions=config.directions(language()),
            centers={lang: config.center_name_for(lang) for lang in ("zh", "en")},
            greetings={lang: config.greeting(lang) for lang in ("zh", "en")},
        )
        yield DeskHeader()
        yield Static("", id="call-stack")
        with Horizontal(id="triage"):
            with Vertical(id="call-column"):
                # The first call is composed with the screen, so keys typed right after F3 /
                # Ctrl+N land in its number field instead of being lost while it mounts.
                self._serial = 1
                with ContentSwitcher(id="calls", initial="call-1"):
                    yield self._panel(CallDraft(started_at=self.store.now()), id="call-1")
                yield Static("", id="last-saved")
            with Vertical(id="side-column"):
                yield ConsultantBoard(pools=("phone", "walk_in"), id="board")
                # Register rows still incomplete 10 minutes after the consultant's call:
                # she reminds the consultant (§2.7). Shown only while there are some.
                yield Static(t("triage.reminders_title"), id="reminders-title", classes="panel-title")
                yield DeskTable(id="reminders", cursor_type="row")
                yield Static(t("triage.todays_calls"), classes="panel-title")
                yield DeskTable(id="todays-calls", cursor_type="row", zebra_stripes=True)
        yield DeskFooter()

    def on_mount(self) -> None:
        table = self.query_one("#todays-calls", DataTable)
        for key in ("time", "number", "type", "outcome", "to", "register"):
            table.add_column(t(f"triage.col_{key}"), key=key)
        reminders = self.query_one("#reminders", DataTable)
        for key in ("late", "consultant", "caller"):
            reminders.add_column(t(f"triage.reminder_{key}"), key=key)
        self._show_reminders([])
        self.reload()
        self._show_stack()
        self.current.focus_first()
        keeper(self.app).claim(self)
        self.call_later(self._take_pending_rings)

    async def _take_pending_rings(self) -> None:
        """Rings that came before this screen existed (the receptionist typing elsewhere)."""
        pending = getattr(self.app, "pending_rings", [])
        while pending:
            await self.ring_waiting(*pending.pop(0))

    # ----- the stack of open calls ------------------------------------------------------------
    @property
    def _switcher(self) -> ContentSwitcher | None:
        """The stack of open calls; None while the screen is being taken down (a ring's
        poll can ask then)."""
        found = self.query("#calls")
        return found.first(ContentSwitcher) if found else None

    @property
    def panels(self) -> list[CallPanel]:
        switcher = self._switcher
        return list(switcher.query(CallPanel)) if switcher is not None else []

    @property
    def current(self) -> CallPanel | None:
        switcher = self._switcher
        return next((panel for panel in self.panels if panel.id == switcher.current), None) if switcher else None

    def _panel(self, draft: CallDraft, **kwargs) -> CallPanel:
        panel = CallPanel(draft, self.people, self.call_context, **kwargs)
        panel.show_partner_names(self.partner_names)
        return panel

    async def new_call(self, number: str = "", recording: str | None = None) -> CallPanel | None:
        """Open a new call on top of the stack; whatever is open stays as it was. With no
        number and a call ringing (one that came while the receptionist was typing), that
        call is the one opened: Ctrl+N answers the phone. ``recording``: the ring's reference
        of the call's recording, saved with the call. Asked before the screen has composed
        its stack (a ring as desk starts), the ring waits for it: None."""
        if self._switcher is None:  # not composed yet (a ring as desk starts): it waits on the stack
            if number:
                self.app.pending_rings.append((number, recording))  # type: ignore[attr-defined]
            return None
        async with self._opening:
            waiting = self.waiting_panels
            if not number and waiting:
                return self._show_panel(waiting[0])
            pending = getattr(self.app, "pending_rings", [])
            if not number and pending:
                number, recording = pending.pop(0)
            return await self._new_call(number, recording)

    @property
    def busy(self) -> bool:
        """The receptionist is on a call typed into: a ring must not take its place."""
        current = self.current
        return current is not None and current.typed and not current.recorded

    @property
    def waiting_panels(self) -> list[CallPanel]:
        """Rings not answered yet, the oldest first."""
        return [panel for panel in self.panels if panel.waiting]

    async def ring_waiting(self, number: str, recording: str | None = None) -> None:
        """A ring while the receptionist is typing: on the stack (marked ☎) and in the header,
        not on screen; Ctrl+N or F7 takes it, and it comes up by itself once she is not in
        the middle of a call or a field (desk.app)."""
        async with self._opening:
            self._serial += 1
            panel = self._panel(CallDraft(started_at=self.store.now(), number=number, recording_ref=recording),
                                id=f"call-{self._serial}")
            panel.waiting = True
            panel.other_open = self.busy
            panel.display = False
            await self.query_one("#calls", ContentSwitcher).mount(panel)
            self._show_stack()

    def _show_panel(self, panel: CallPanel) -> CallPanel:
        panel.waiting = False
        self.query_one("#calls", ContentSwitcher).current = panel.id
        self._show_stack()
        panel.focus_first()
        self._rings_changed()
        return panel

    def _rings_changed(self) -> None:
        show = getattr(self.app, "show_ringing", None)
        if show is not None:
            show()

    async def _new_call(self, number: str, recording: str | None = None) -> CallPanel:
        current = self.current
        if current is not None and not current.typed:
            if number:
                current.set_number(number)
                current.draft.recording_ref = recording
            current.focus_first()
            return current
        self._serial += 1
        panel = self._panel(CallDraft(started_at=self.store.now(), number=number, recording_ref=recording),
                            id=f"call-{self._serial}")
        panel.other_open = self.busy
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
                panels.append(self._panel(call_draft(draft.data), restored=draft, id=f"call-{self._serial}"))
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
        self._show_panel(panels[(index - 1) % len(panels)])

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

    # ----- what the panels ask of the database ---------------------------------------------------
    # Each panel's requests are a group of their own: a ring's lookup in a call on hold
    # never cancels the one typed into the call on screen.
    @on(CallPanel.LookupRequested)
    def _lookup(self, event: CallPanel.LookupRequested) -> None:
        store, panel, query = self.store, event.panel, event.query
        self.in_thread(after_pause(event.pause, lambda: lookup_dal.lookup(store, query)),
                       lambda hits: panel.show_hits(query, hits), group=f"lookup-{panel.id}", exclusive=True)

    @on(CallPanel.RepeatLookupRequested)
    def _repeat_lookup(self, event: CallPanel.RepeatLookupRequested) -> None:
        store, panel, name, around = self.store, event.panel, event.name, event.around
        self.in_thread(after_pause(event.pause, lambda: lookup_dal.find_leads_by_name_and_date(store, name, around)),
                       lambda hits: panel.show_repeat_hits(name, hits), group=f"repeat-lookup-{panel.id}", exclusive=True)

    @on(CallPanel.ClassifyRequested)
    def _classify(self, event: CallPanel.ClassifyRequested) -> None:
        """The caller's words classified in a thread (rules, no database: the pure
        ``rules.calls.classify``), after the typist's pause; the panel drops an answer about
        words it no longer holds."""
        panel, words, staff, caller = event.panel, event.words, event.staff, event.caller
        self.in_thread(after_pause(event.pause, lambda: calls_rules.classify(words, staff=staff, caller=caller)),
                       lambda suggestion: panel.show_suggestion(words, caller, suggestion),
                       group=f"classify-{panel.id}", exclusive=True)

    @on(CallPanel.RecordRequested)
    def _record(self, event: CallPanel.RecordRequested) -> None:
        store, panel, draft = self.store, event.panel, event.draft

        def record():
            call = calls_dal.record_call(store, draft)
            return call, self.people.by_id(call.to_staff_id) if call.to_staff_id else None

        self.in_thread(record, lambda done: panel.saved(*done), failed=lambda err: self._not_saved(panel, err), group="record")

    def _not_saved(self, panel: CallPanel, err: Exception) -> None:
        """The pick changed at another desk: the panel is built again from who is free now."""
        if not isinstance(err, PickChanged):
            panel.not_saved(err)
            return
        store = self.store

        def show(people: triage_dal.TriagePeople) -> None:
            self._show_people(people)
            panel.not_saved(err)

        self.in_thread(lambda: triage_dal.triage_people(store), show, failed=panel.not_saved, group="record")

    @on(CallPanel.Recorded)
    async def _recorded(self, event: CallPanel.Recorded) -> None:
        self.query_one("#last-saved", Static).update(f"[b green]✔[/] {literal(event.summary)}")
        self.app.notify(literal(event.summary), title=t("common.saved"))
        switcher = self.query_one("#calls", ContentSwitcher)
        switcher.current = None
        await event.panel.remove()
        remaining = self.panels
        if remaining:
            # A call ringing meanwhile comes up first; else the one on top of the stack.
            waiting = self.waiting_panels
            self._show_panel(waiting[0] if waiting else remaining[-1])
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
        """F10: the board; F10 again: the registers to remind, when there are some (F11 is
        the registers screen's, app-wide)."""
        board = self.query_one("#board-table")
        reminders = self.query_one("#reminders", DeskTable)
        if self.focused is board and reminders.row_count:
            focus_now(reminders)
        else:
            focus_now(board)

    @on(DataTable.RowSelected, "#reminders")
    def _reminded(self, event: DataTable.RowSelected) -> None:
        """Enter on a reminder: she has reminded the consultant. Done if the row is complete
        by now; else it comes back in 10 minutes."""
        store, follow_up_id = self.store, int(str(event.row_key.value))

        def said(again) -> None:
            text = t("triage.reminder_again", at=self.store.local(again).strftime("%H:%M")) if again else t("triage.reminder_done")
            self.app.notify(text)
            self.reload()
            self.action_focus_call()

        self.in_thread(lambda: calls_dal.reminded(store, follow_up_id), said, group="record")

    def action_focus_call(self) -> None:
        if self.current is not None:
            self.current.focus_first()

    def on_screen_resume(self) -> None:
        self.reload()

    def live_read(self):
        board, store = self.board_read(), self.store
        return lambda: (board(), calls_dal.todays_calls(store), triage_dal.triage_people(store),
                        partners_dal.partner_names(store), calls_dal.register_reminders(store))

    def show_read(self, data) -> None:
        board, calls, people, partners, reminders = data
        self.query_one(ConsultantBoard).show(board)
        self._show_calls(calls)
        self._show_people(people)
        self.partner_names = partners
        for panel in self.panels:
            panel.show_partner_names(partners)
        self._show_reminders(reminders)

    def _show_reminders(self, reminders: list[calls_dal.RegisterReminder]) -> None:
        now = self.store.now()
        table = self.query_one("#reminders", DeskTable)
        table.sync([
            (str(r.follow_up_id), (
                t("triage.reminder_minutes", n=max(0, int((now - r.due_at).total_seconds() // 60))),
                r.consultant or "",
                f"{r.caller or display(r.number) or t('triage.withheld')} {self.store.local(r.started_at).strftime('%H:%M')}",
            ))
            for r in reminders
        ])
        table.display = bool(reminders)
        self.query_one("#reminders-title", Static).display = bool(reminders)
        if not reminders and self.focused is table:
            self.action_focus_call()

    def _show_people(self, people: triage_dal.TriagePeople) -> None:
        self.people = people
        for panel in self.panels:
            panel.people = people

    def _show_calls(self, calls) -> None:
        self.query_one("#todays-calls", DeskTable).sync([
            (str(row.id), (
                self.store.local(row.started_at).strftime("%H:%M"),
                display(row.number) or t("triage.withheld"),
                type_label(row.call_type),
                t(f"outcomes.{row.outcome}") if row.outcome else "",
                row.to_name or "",
                "✔" if row.register_complete else ("…" if row.outcome == "transferred" and row.call_type in NEW_INQUIRY_TYPES else ""),
            ))
            for row in calls
        ])
