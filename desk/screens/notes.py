"""Consult notes (docs/domain.md §7): the consultant's own queue first, the note form, outcomes,
the repeat / invalid check list.

The queue: calls transferred to them whose register row is incomplete, visitors handed to
them, callbacks due. ``/`` filters the queue and finds any lead by phone, name or pinyin.
Enter opens the note form (a screen on this mode's stack: switching away keeps what is
typed; Ctrl+R in it picks the consult's recording from the recordings folder). ``o``
outcomes, ``r`` / ``i`` mark repeat / invalid, ``t`` the lead's timeline.
A note or an outcome typed when desk closed opens again here, marked restored
(desk.widgets.keeper).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Label, Static

from desk.dal import leads as leads_dal
from desk.dal import lookup as lookup_dal
from desk.dal import notes as notes_dal
from desk.dal import recordings as recordings_dal
from desk.dal.notes import NoteInput
from desk.drafts import Draft
from desk.errors import FieldError
from desk.i18n import t
from desk.models.consult import INTENT_LEVELS
from desk.models.lead import EDUCATIONS
from desk.models.staff import MANAGER_ROLES
from desk.models.visit import VISITOR_TYPES
from desk.phones import display
from desk.screens.base import DeskScreen
from desk.screens.dialogs.outcome import OutcomeDialog
from desk.screens.dialogs.recording import RecordingPicker
from desk.screens.phone_view import shown
from desk.widgets.checkbox import DeskCheckbox
from desk.widgets.filterable_table import FilterableTable
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.forms import error_text, parse_age, parse_date, parse_when
from desk.widgets.header import DeskHeader
from desk.widgets.keeper import KeepsDrafts, keeper
from desk.widgets.markup import literal
from desk.widgets.table import DeskTable
from desk.widgets.verdict import reason_lines, verdict_text

_EDU_CHOICES = [e for e in EDUCATIONS if e != "unknown"]
_INTENT_KEYS = {"h": "high", "m": "medium", "l": "low", "n": "none"}


def parse_education(text: str) -> str:
    raw = text.strip().lower()
    if not raw:
        return "unknown"
    if raw.isdigit() and 1 <= int(raw) <= len(_EDU_CHOICES):
        return _EDU_CHOICES[int(raw) - 1]
    if raw in EDUCATIONS:
        return raw
    for code in EDUCATIONS:
        if t(f"notes.edu_{code}").lower() == raw:
            return code
    raise FieldError("education", "notes.err_education")


def parse_intent(text: str) -> str | None:
    raw = text.strip().lower()
    if not raw:
        return None
    if raw in _INTENT_KEYS:
        return _INTENT_KEYS[raw]
    if raw in INTENT_LEVELS:
        return raw
    raise FieldError("intent", "notes.err_intent")


_TEXT_FIELDS = ("name", "age", "education", "school", "course", "media", "asked", "objections", "intent",
                "promised", "callback", "next_step", "text", "recording")


_CHECKS = {"it": "it_related", "noncomp": "non_computer_only", "f2f": "face_to_face", "paid": "paid"}


class NoteForm(KeepsDrafts, DeskScreen):
    """The note of one consult, following docs/domain.md §7.1 (phone) / §7.2 (face to face).

    Its fields start from what desk knows of the lead; anything changed from that is typed,
    and kept on disk until it is saved (or the form is closed with Esc).
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "notes.k_save"),
        Binding("ctrl+o", "outcome", "notes.k_outcome"),
        Binding("ctrl+g", "book_lecture", "lectures.k_book_lead"),
        Binding("ctrl+r", "pick_recording", "recordings.k_pick"),
        Binding("escape", "close", "notes.k_back"),
    ]

    def __init__(self, lead_id: int, *, kind: str = "phone", call_id: int | None = None, visit_id: int | None = None,
                 follow_up_id: int | None = None, restored: Draft | None = None) -> None:
        """``restored``: the note was being typed when desk closed, and this is its draft."""
        super().__init__()
        self.lead_id = lead_id
        self.kind = kind
        self.call_id = call_id
        self.visit_id = visit_id
        self.follow_up_id = follow_up_id
        self.restored = restored
        self.saved = None
        self._inputs: dict[str, Input] = {}
        self._checks: dict[str, DeskCheckbox] = {}
        self._errors: dict[str, Static] = {}  # the line under each field
        self._untyped: dict = {}  # the fields as filled from the lead (or as last saved)

    def _phone(self, lead) -> str:
        """In full for a call, visitor or callback of the consultant's own queue (she is
        talking to them); for a lead found by search, as its owner decides (issue 14)."""
        user = self.app.user
        queued = user is not None and (self.call_id or self.visit_id or self.follow_up_id)
        return shown(self.app, lead.phone, user.id if queued else lead.owner_id)

    def compose(self) -> ComposeResult:
        lead = leads_dal.get_lead(self.store, self.lead_id)
        self.lead = lead
        yield DeskHeader()
        yield Static(t("notes.form_title", name=literal(lead.name or "?"), phone=self._phone(lead),
                       kind=t(f"notes.kind_{self.kind}")), classes="panel-title")
        with VerticalScroll(id="nf-scroll"):
            initial = {
                "name": lead.name or "", "age": str(lead.age) if lead.age is not None else "",
                "education": "" if lead.education == "unknown" else t(f"notes.edu_{lead.education}"), "school": lead.school_or_job or "",
                "course": lead.course_interest or "", "media": lead.media_source or "",
            }
            for name in _TEXT_FIELDS:
                yield Label(t(f"notes.f_{name}"), classes="field-label")
                self._inputs[name] = box = Input(initial.get(name, ""), placeholder=t(f"notes.ph_{name}"), id=f"nf-{name}")
                yield box
                if name == "education":  # all ten choices in view, wrapped at any width
                    yield Static(t("notes.edu_hint"), id="nf-education-hint", classes="hint")
                self._errors[name] = error = Static("", id=f"nf-{name}-error", classes="field-error")
                yield error
            checked = {"it": True, "noncomp": lead.non_computer_only, "f2f": self.kind == "face_to_face", "paid": False}
            for name, label in _CHECKS.items():
                self._checks[name] = box = DeskCheckbox(t(f"notes.f_{label}"), value=checked[name], id=f"nf-{name}")
                yield box
        self._verdict = Static(verdict_text(lead.valid, notes_dal.reasons(lead)), id="nf-verdict")
        yield self._verdict
        yield DeskFooter()

    def on_mount(self) -> None:
        self._untyped = self._values()
        box = self._inputs["name"]
        if self.restored is not None:
            keeper(self.app).adopt(self.restored)
            for name, value in self.restored.data["fields"].items():
                if name in self._inputs:
                    self._inputs[name].value = str(value)
            for name, value in self.restored.data["checks"].items():
                if name in self._checks:
                    self._checks[name].value = bool(value)
            self._verdict.update(t("drafts.restored_form"))
            box = next((b for b in self._inputs.values() if not b.value.strip()), box)
        focus_now(box)

    def _v(self, name: str) -> str:
        return self._inputs[name].value

    def _values(self) -> dict:
        return {
            "fields": {name: box.value for name, box in self._inputs.items()},
            "checks": {name: box.value for name, box in self._checks.items()},
        }

    def drafts(self) -> list[Draft]:
        values = self._values()
        if values == self._untyped:
            return []
        ids = {"lead_id": self.lead_id, "kind": self.kind, "call_id": self.call_id, "visit_id": self.visit_id,
               "follow_up_id": self.follow_up_id, "name": self.lead.name or ""}
        return [Draft("note", ids | values)]

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        self.focus_next()

    def collect(self) -> NoteInput:
        store = self.store
        face = self._checks["f2f"].value
        callback_text = self._v("callback")
        promised_text = self._v("promised")
        return NoteInput(
            lead_id=self.lead_id, kind="face_to_face" if face else "phone", call_id=self.call_id, visit_id=self.visit_id,
            follow_up_id=self.follow_up_id, name=self._v("name"), age=parse_age(self._v("age")),
            education=parse_education(self._v("education")), school_or_job=self._v("school"), course_interest=self._v("course"),
            it_related=self._checks["it"].value, non_computer_only=self._checks["noncomp"].value,
            media_source=self._v("media"), asked=self._v("asked"), objections=self._v("objections"),
            intent=parse_intent(self._v("intent")),
            promised_visit_on=parse_date(promised_text, store.today(), "promised") if promised_text.strip() else None,
            callback_at=parse_when(callback_text, store.now(), "callback") if callback_text.strip() else None,
            next_step=self._v("next_step"), text=self._v("text"), paid=self._checks["paid"].value,
            recording_ref=self._v("recording"),
        )

    def action_save(self) -> None:
        for error in self._errors.values():
            error.update("")
        user = getattr(self.app, "user", None)
        try:
            data = self.collect()
            self.saved = notes_dal.save_note(self.store, data, user.id if user else None, getattr(self.app, "config", None))
        except FieldError as err:
            field = {"school_or_job": "school", "course_interest": "course", "kind": "name"}.get(err.field, err.field)
            if field not in _TEXT_FIELDS:
                field = "name"
            self._errors[field].update(error_text(err))
            focus_now(self._inputs[field])
            return
        self._verdict.update(
            f"[b]{t('notes.saved')}[/]  " + verdict_text(self.saved.valid, self.saved.reasons)
        )
        self.app.notify(t("notes.saved"), title=t("common.saved"))
        # a second save would be a second note: start over for this lead
        self.call_id = None
        self.follow_up_id = None
        self._untyped = self._values()
        keeper(self.app).flush()  # saved: its draft leaves the disk at once

    def action_pick_recording(self) -> None:
        """The consult's recording from the recordings folder, by the lead's number and the
        call's time. Before saving it fills the field (saved with the note); picked for the
        note just saved, untouched since, it is attached to that note and the lead re-checked."""
        saved = self.saved.note.id if self.saved is not None and self._values() == self._untyped else None

        def picked(name: str | None) -> None:
            box = self._inputs["recording"]
            focus_now(box)
            if not name:
                return
            box.value = name
            if saved is not None:
                self._attach_recording(saved, name)

        self.app.push_screen(RecordingPicker(call_id=self.call_id, note_id=saved, lead_id=self.lead_id), picked)

    def _attach_recording(self, note_id: int, ref: str) -> None:
        store, user = self.store, getattr(self.app, "user", None)

        def done(attached: recordings_dal.Attached) -> None:
            self._untyped = self._values()
            if attached.verdict is not None:
                self._verdict.update(f"[b]{t('recordings.attached', ref=literal(attached.ref))}[/]  "
                                     + verdict_text(attached.verdict.valid, list(attached.verdict.reasons)))

        self.in_thread(lambda: recordings_dal.attach_recording(store, note_id=note_id, ref=ref, by=user.id if user else None), done)

    def action_outcome(self) -> None:
        self.app.push_screen(OutcomeDialog(self.lead_id, self.lead.name or ""))

    def action_book_lecture(self) -> None:
        """On the phone, the lead wants to come to a lecture: book them for one to come."""
        from desk.screens.dialogs.lectures import BookLeadDialog

        self.app.push_screen(BookLeadDialog(self.lead_id, self.lead.name or ""))

    def action_close(self) -> None:
        self.dismiss(self.saved)


class NotesScreen(DeskScreen):
    BINDINGS = [
        Binding("slash", "search", "notes.k_search"),
        Binding("o", "outcome", "notes.k_outcome"),
        Binding("r", "flag('repeat')", "notes.k_repeat"),
        Binding("i", "flag('invalid')", "notes.k_invalid"),
        Binding("u", "flag(None)", "notes.k_unflag", show=False),
        Binding("t", "timeline", "notes.k_timeline"),
        Binding("c", "checked", "notes.k_checked"),
        Binding("q", "app.open_qa", "qa.k_own"),
        Binding("escape", "clear_search", "keys.cancel", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[str, tuple] = {}
        self._flags: dict[str, str] = {}  # the check list's lead id -> its mark
        self._table = DeskTable(id="nq-table", cursor_type="row", zebra_stripes=True)
        self._check = DeskTable(id="nq-check", cursor_type="row", zebra_stripes=True)
        self._filter = FilterableTable(self._table, placeholder=t("notes.search_placeholder"), search_id="nq-search",
                                       id="nq-filter")

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        with Horizontal(id="nq"):
            with Vertical(id="nq-left"):
                yield Static(t("notes.queue_title"), classes="panel-title")
                yield self._filter
            with Vertical(id="nq-right"):
                yield Static(t("notes.check_title"), classes="panel-title")
                yield self._check
        yield DeskFooter()

    def on_mount(self) -> None:
        table, check = self._table, self._check
        for key in ("what", "time", "name", "phone", "detail"):
            table.add_column(t(f"notes.col_{key}"), key=key)
        for key in ("name", "flag", "verdict"):
            check.add_column(t(f"notes.check_col_{key}"), key=key)
        self.refresh_queue()
        focus_now(table)
        keeper(self.app).claim(self)

    def on_screen_resume(self) -> None:
        self.refresh_queue()
        self.take_drafts()

    def take_drafts(self) -> None:
        """A note and an outcome typed when desk closed: their form opens again over this
        screen (the note first, the outcome over it), once this screen is shown."""
        if not self.is_current:
            return
        store = keeper(self.app)
        for draft in sorted(store.take("note", "outcome"), key=lambda d: d.kind != "note"):
            data = draft.data
            if leads_dal.get_lead(self.store, data["lead_id"]) is None:
                store.adopt(draft)  # the lead is gone: nothing left to write the note on
            elif draft.kind == "note":
                self.app.push_screen(NoteForm(
                    data["lead_id"], kind=data["kind"], call_id=data["call_id"], visit_id=data["visit_id"],
                    follow_up_id=data["follow_up_id"], restored=draft,
                ), lambda _: self.refresh_queue())
            else:
                self.app.push_screen(OutcomeDialog(data["lead_id"], data["name"], restored=draft), lambda _: self.refresh_queue())

    def refresh_queue(self) -> None:
        """Read the queue again now (after this workstation's own change)."""
        self.reload()

    def live_read(self):
        """The queue (filtered as typed, with any lead the filter finds) and the check list:
        read in a thread on every change here or at another workstation."""
        user = getattr(self.app, "user", None)
        staff_id = None if user is None or user.role in MANAGER_ROLES else user.id
        text, store = self._filter.text.strip().lower(), self.store

        def read():
            queue = [item for item in notes_dal.my_queue(store, staff_id)
                     if not text or text in f"{item.name} {item.phone or ''} {item.detail}".lower()]
            seen = {item.lead_id for item in queue}
            found = [hit for hit in lookup_dal.lookup(store, text) if hit.kind != "staff" and hit.id not in seen] if text else []
            return queue, found, notes_dal.check_list(store)

        return read

    def show_read(self, data) -> None:
        queue, found, checks = data
        self._rows = {}
        rows = []
        for item in queue:
            key = f"{item.kind}:{item.ref_id}"
            self._rows[key] = (item.kind, item.ref_id, item.lead_id, item.name)
            # a visit's detail is its visitor type: a code, said in words (issue 12 §16)
            detail = t(f"walkins.type_{item.detail}") if item.kind == "visit" and item.detail in VISITOR_TYPES else item.detail
            # the queue is the viewer's own work (a manager's: everyone's), so its numbers are in full
            rows.append((key, (t(f"notes.q_{item.kind}"), self.store.local(item.at).strftime("%H:%M"), item.name,
                               display(item.phone) if item.phone else "", detail)))
        for hit in found:
            key = f"lead:{hit.id}"
            self._rows[key] = ("lead", hit.id, hit.id, hit.name)
            rows.append((key, (t("notes.q_lead"), "", hit.name, shown(self.app, hit.phone, hit.owner_id), hit.owner or "")))
        self._table.sync(rows)
        self._flags = {str(lead.id): lead.flag or "" for lead in checks}
        self._check.sync([
            (str(lead.id), (lead.name, t(f"notes.flag_{lead.flag}"),
                            t("notes.valid") if lead.valid else "; ".join(reason_lines(notes_dal.reasons(lead)))))
            for lead in checks
        ])

    def _current(self):
        table = self._table
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._rows.get(key)

    @on(DataTable.RowSelected, "#nq-table")
    def _open(self) -> None:
        row = self._current()
        if row is None:
            return
        kind, ref_id, lead_id, _ = row
        if lead_id is None:
            self.app.notify(t("notes.no_lead"), severity="warning")
            return
        form = NoteForm(
            lead_id, kind="face_to_face" if kind == "visit" else "phone", call_id=ref_id if kind == "call" else None,
            visit_id=ref_id if kind == "visit" else None, follow_up_id=ref_id if kind == "callback" else None,
        )
        self.app.push_screen(form, lambda _: self.refresh_queue())

    def action_outcome(self) -> None:
        row = self._current()
        if row is not None and row[2] is not None:
            self.app.push_screen(OutcomeDialog(row[2], row[3]), lambda _: self.refresh_queue())

    def action_flag(self, flag: str | None) -> None:
        row = self._current()
        if row is not None and row[2] is not None:
            notes_dal.mark_flag(self.store, row[2], flag)
            self.refresh_queue()

    def action_checked(self) -> None:
        """On the check list: check the marked lead (upheld or overruled, with reasons); once
        saved it leaves the list (desk.screens.dialogs.check)."""
        from desk.screens.dialogs.check import CheckDialog

        check = self._check
        if self.focused is not check or check.row_count == 0:
            return
        key = check.coordinate_to_cell_key(check.cursor_coordinate).row_key.value
        name, _mark, facts = check.get_row(key)
        self.app.push_screen(CheckDialog(int(key), str(name), self._flags.get(key, ""), str(facts)),
                             lambda _: self.refresh_queue())

    def action_timeline(self) -> None:
        row = self._current()
        if row is not None and row[2] is not None:
            self.desk.open_timeline(row[2])

    def action_search(self) -> None:
        self._filter.open()

    def action_clear_search(self) -> None:
        self._filter.close()
        focus_now(self._table)
        self.refresh_queue()

    @on(FilterableTable.Filtered)
    def _search_changed(self) -> None:
        self.read_in_thread()  # every key filters again: the lookup runs off the UI thread
