"""The lead timeline: every call, visit, note, follow-up and payment of one person, newest
first. ``t`` on any list where a lead appears opens it; ``/`` filters; Esc goes back.

A call's or a note's recording reference is in its row (docs/domain.md §2.8): ``c`` copies
it for the phone system's player (desk plays nothing), ``r`` attaches one to the call or note
under the cursor (typed or picked from the recordings folder), since a recording often
arrives after the call was saved.

The lead's number is masked for a viewer who is neither its owner nor a manager (issue 14);
``v`` shows it in full for this lead, and the data layer puts the look on the audit trail."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from desk.dal import notes as notes_dal
from desk.dal import privacy as privacy_dal
from desk.dal import referrals as referrals_dal
from desk.dal import timeline as timeline_dal
from desk.i18n import t
from desk.phones import display
from desk.screens.base import DeskScreen
from desk.screens.phone_view import shown
from desk.widgets.filterable_table import FilterableTable
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.forms import yuan
from desk.widgets.header import DeskHeader
from desk.widgets.long_table import LongTable
from desk.widgets.markup import literal
from desk.widgets.verdict import verdict_text


def _referred_by(store, lead_id: int) -> str:
    """" · Referred by 老学员 (student)": the referrer is credited where the lead's history is read (§6.3)."""
    who = referrals_dal.referrer_of(store, lead_id)
    return f" · {t('registers.referred_by', name=literal(who.name), kind=t(f'registers.kind_{who.kind}'))}" if who else ""


def _summary(store, event) -> str:
    what = event.what
    kind = event.kind
    if kind == "call":
        call_type, outcome, words = what
        return " · ".join(p for p in (t(f"calltypes.{call_type}") if call_type else "", t(f"outcomes.{outcome}") if outcome else "", words) if p)
    if kind == "visit":
        return t(f"walkins.type_{what[0]}")
    if kind == "note":
        note_kind, intent, *said = what
        intent_text = t("timeline.intent", level=t(f"notes.intent_{intent}")) if intent else ""
        return " · ".join(p for p in (t(f"notes.kind_{note_kind}"), intent_text, *said) if p)
    if kind == "follow_up":
        follow_up_kind, due_at, note = what
        due = store.local(due_at).strftime("%m-%d %H:%M")
        return " · ".join(p for p in (t(f"followups.kind_{follow_up_kind}"), t("timeline.due", at=due), note) if p)
    if kind == "follow_up_done":
        follow_up_kind, result, note = what
        return " · ".join(p for p in (t(f"followups.kind_{follow_up_kind}"), t(f"followups.result_{result}"), note) if p)
    if kind == "trial":
        course, _booked_for, attended = what
        return " · ".join(p for p in (course, t("timeline.attended") if attended else "") if p)
    if kind == "enrollment":
        course, amount = what
        return f"{course} · {yuan(amount)}"
    if kind in ("payment", "refund"):
        _kind, amount, reason = what
        return " · ".join(p for p in (yuan(amount), reason) if p)
    return " · ".join(str(p) for p in what)


class TimelineScreen(DeskScreen):
    BINDINGS = [
        Binding("escape", "back", "timeline.k_back"),
        Binding("slash", "search", "timeline.k_search"),
        Binding("a", "reassign", "reassign.k_open"),
        Binding("m", "merge", "merge.k_open"),
        Binding("c", "copy_recording", "timeline.k_copy"),
        Binding("r", "attach_recording", "timeline.k_recording"),
        Binding("v", "reveal", "timeline.k_reveal"),
    ]

    def __init__(self, lead_id: int) -> None:
        super().__init__()
        self.lead_id = lead_id
        self._revealed: str | None = None  # the number in full once ``v`` asked for it
        self._head = Static("", id="tl-head")
        columns = [(key, t(f"timeline.col_{key}")) for key in ("when", "what", "who", "detail")]
        self._table = LongTable(columns, id="tl-table", cursor_type="row", zebra_stripes=True)
        self._filter = FilterableTable(self._table, placeholder=t("timeline.search_placeholder"), search_id="tl-search",
                                       id="tl-filter")

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield self._head
        yield self._filter
        yield DeskFooter()

    def on_mount(self) -> None:
        self._load()
        self.refresh_bindings()  # the reveal key shows only for a masked number
        focus_now(self._table)

    def _load(self) -> None:
        store = self.store
        self.lead, self.events = timeline_dal.events(store, self.lead_id)
        lead = self.lead
        if lead is not None:
            head = t("timeline.head", name=literal(lead.name or "?"), phone=self._phone(lead),
                     stage=t(f"timeline.stage_{lead.stage}"), n=len(self.events))
            self._head.update(head + _referred_by(store, lead.id) + "\n" + verdict_text(lead.valid, notes_dal.reasons(lead)))
        # Each row's text once: typing in the filter only picks rows.
        self._rows = []
        self._by_key = {}
        for event in self.events:
            what = t(f"timeline.kind_{event.kind}")
            detail = _summary(store, event)
            if event.recording:
                detail = " · ".join(p for p in (detail, t("timeline.recording", ref=event.recording)) if p)
            cells = (store.local(event.at).strftime("%Y-%m-%d %H:%M"), what, event.who or "", detail)
            key = f"{event.ref}:{event.kind}"
            self._by_key[key] = event
            self._rows.append((key, cells, f"{what} {cells[3]} {cells[2]}".lower()))
        self._fill()

    def _phone(self, lead) -> str:
        if self._revealed is not None:
            return display(self._revealed)
        return shown(self.app, lead.phone, lead.owner_id)

    def check_action(self, action: str, parameters) -> bool | None:
        """``v`` only while the number is masked: the footer offers no reveal of what is shown."""
        if action == "reveal":
            lead = getattr(self, "lead", None)
            return lead is not None and self._revealed is None and self._phone(lead) != display(lead.phone)
        return True

    def action_reveal(self) -> None:
        """The number in full for this lead, the look audited by the data layer."""

        def revealed(number: str) -> None:
            self._revealed = number
            self._load()
            self.refresh_bindings()

        self.in_thread(lambda: privacy_dal.reveal_phone(self.store, self.lead_id), revealed)

    def _fill(self) -> None:
        text = self._filter.text.strip().lower()
        self._table.show([(key, cells) for key, cells, words in self._rows if text in words])

    def action_search(self) -> None:
        self._filter.open()

    @on(FilterableTable.Filtered)
    def _changed(self) -> None:
        self._fill()

    def _current(self):
        """The event under the cursor, or None."""
        table = self._table
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._by_key.get(key)

    def action_copy_recording(self) -> None:
        """The recording's reference to the clipboard, for the phone system's player."""
        event = self._current()
        if event is None or not event.recording:
            self.app.notify(t("recordings.none_here"), severity="warning")
            return
        self.app.copy_to_clipboard(event.recording)
        self.app.notify(t("recordings.copied", ref=literal(event.recording)))

    def action_attach_recording(self) -> None:
        """Attach a recording to the call or the note under the cursor; the lead is re-checked
        and the timeline read again to show it."""
        from desk.screens.dialogs.recording import AttachRecordingDialog

        event = self._current()
        if event is None or event.kind not in ("call", "note"):
            self.app.notify(t("recordings.not_here"), severity="warning")
            return
        row_id = int(event.ref.split(":")[1])
        ids = {"call_id": row_id} if event.kind == "call" else {"note_id": row_id}
        key = f"{event.ref}:{event.kind}"

        def attached(done) -> None:
            if done is not None:
                self._load()
                if key in self._table.rows:
                    self._table.move_cursor(row=self._table.get_row_index(key))
            focus_now(self._table)

        self.app.push_screen(AttachRecordingDialog(**ids, current=event.recording), attached)

    def action_reassign(self) -> None:
        """The manager gives this lead to another consultant; a fresh timeline shows it."""
        from desk.screens.reassign import open_reassign

        open_reassign(self, self.lead_id, lambda: self.app.switch_screen(TimelineScreen(self.lead_id)))

    def action_merge(self) -> None:
        """Fold a duplicate of this person into this lead; a fresh timeline shows its history."""
        from desk.screens.dialogs.merge import MergeDialog

        def closed(done) -> None:
            if done is not None:
                self.app.switch_screen(TimelineScreen(self.lead_id))

        self.app.push_screen(MergeDialog(self.lead_id, self.lead.name if self.lead else ""), closed)

    def action_back(self) -> None:
        if self._filter.searching and self._filter.text:
            self._filter.close()
            focus_now(self._table)
            return
        self.dismiss()
