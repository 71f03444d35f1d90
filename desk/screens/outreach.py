"""Outdoor promotion (docs/domain.md §6.2, §7.5): record a street promotion, campus talk, job fair or
event, and type the contacts collected there one after another.

Top: the activity — kind (a number or a name), day, place, who ran it; Enter moves on and
Enter in the last field saves it (Ctrl+S anywhere). Then the contact row — name, phone,
course, collector: Enter adds the contact and puts the cursor back in the name, the collector
stays for the next one. A phone desk already knows is linked, not duplicated. Below: the
contacts of the activity with each runner's count against the target, and the recent
activities (Ctrl+L; Enter goes on with one). Ctrl+O starts another activity; Esc goes back.

A contact row typed for one activity never becomes a contact of another. Ctrl+O with a row
typed and not added asks first: y adds it to the activity it was typed for, then starts the
new one; n or Esc goes back to it as typed. The new activity's contact row starts empty.

Esc keeps what is typed and not yet saved — an activity not saved, or a contact row not yet
added — and the next opening of the screen puts it back, on its activity, with the cursor in
the field it was in: Esc is "back" in one key, even in a hurry, and nothing typed is lost.
It is kept on disk like every draft (desk.widgets.keeper), so the next opening after desk
closed — Esc or not — puts it back too.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Static

from desk.dal import outreach as outreach_dal
from desk.dal.outreach import ContactInput
from desk.drafts import Draft
from desk.errors import FieldError
from desk.i18n import t
from desk.models.outreach import OUTREACH_KINDS
from desk.phones import display
from desk.screens.base import DeskScreen
from desk.screens.dialogs.confirm import ConfirmDialog
from desk.screens.phone_view import shown
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.forms import error_text, parse_date
from desk.widgets.header import DeskHeader
from desk.widgets.keeper import KeepsDrafts, keeper
from desk.widgets.markup import literal
from desk.widgets.table import DeskTable

ACTIVITY_FIELDS = ("kind", "day", "place", "staff")
CONTACT_FIELDS = ("name", "phone", "course", "collector")
RECENT_DAYS = 30


def tally_text(tallies) -> str:
    """Each runner's count against the target: green when met."""
    parts = []
    for tally in tallies:
        style = "green" if tally.met else "yellow"
        parts.append(t("outreach.tally", name=literal(tally.name), n=f"[{style}]{tally.count}[/]", target=tally.target))
    return " · ".join(parts) or t("common.none")


class NewActivityDialog(ConfirmDialog):
    """Ctrl+O over a contact row typed and not added: y adds it where it was typed, then the
    new activity; n or Esc back to the row as it is. No answer drops it or moves it."""

    BINDINGS = [
        Binding("y", "answer(True)", "outreach.k_yes_add"),
        Binding("n", "answer(False)", "outreach.k_no_back"),
    ]


class OutreachScreen(KeepsDrafts, DeskScreen):
    BINDINGS = [
        Binding("ctrl+s", "save_activity", "outreach.k_save"),
        Binding("ctrl+o", "new_activity", "outreach.k_new"),
        Binding("ctrl+l", "to_list", "outreach.k_list"),
        Binding("escape", "close", "outreach.k_close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.activity = None  # the outreach_dal.Activity being recorded
        self._blank: dict[str, str] = {}  # the fields as the form filled them: typed = differs
        self._inputs: dict[str, Input] = {}
        self._left = False  # Esc: what is typed is the keeper's to keep now
        # The field being typed in: read when desk closes, the focus wandering off by then.
        self._cursor = ""

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield Static(t("outreach.title"), classes="panel-title")
        with Horizontal(classes="or-row"):
            for name in ACTIVITY_FIELDS:
                width = "narrow" if name in ("kind", "day") else ("wide" if name == "place" else "")
                with Vertical(classes=f"or-field {width}"):
                    yield Label(t(f"outreach.f_{name}"))
                    self._inputs[name] = box = Input(placeholder=t(f"outreach.ph_{name}"), id=f"or-{name}")
                    yield box
                    yield Static("", id=f"or-{name}-error", classes="field-error")
        yield Static("", id="or-activity-status")
        yield Static(t("outreach.contacts_title"), classes="panel-title")
        with Horizontal(classes="or-row"):
            for name in CONTACT_FIELDS:
                with Vertical(classes=f"or-field {'wide' if name == 'course' else ''}"):
                    yield Label(t(f"outreach.f_{name}"))
                    self._inputs[name] = box = Input(placeholder=t(f"outreach.ph_{name}"), id=f"or-{name}")
                    yield box
                    yield Static("", id=f"or-{name}-error", classes="field-error")
        yield Static("", id="or-contact-status")
        yield Static("", id="or-tallies")
        yield DeskTable(id="or-contacts", cursor_type="row", zebra_stripes=True)
        yield Static(t("outreach.list_title", days=RECENT_DAYS), classes="panel-title")
        yield DeskTable(id="or-list", cursor_type="row", zebra_stripes=True)
        yield DeskFooter()

    def on_mount(self) -> None:
        contacts = self.query_one("#or-contacts", DataTable)
        for key in ("n", "name", "phone", "course", "collector", "lead"):
            contacts.add_column(t(f"outreach.col_{key}"), key=key)
        recent = self.query_one("#or-list", DataTable)
        for key in ("day", "kind", "place", "staff", "new", "known", "tallies"):
            recent.add_column(t(f"outreach.lcol_{key}"), key=key)
        self._fill_new()
        self.refresh_list()
        keeper(self.app).claim(self)

    # ----- the activity -------------------------------------------------------------------------
    def _input(self, name: str) -> Input:
        return self._inputs[name]

    def _fill_new(self, keep: bool = False) -> None:
        """An empty activity form: today, a street promotion, the user if they collect leads."""
        self.activity = None
        user = getattr(self.app, "user", None)
        if not keep:
            self._input("kind").value = "1"
            self._input("day").value = self.store.today().isoformat()
            self._input("staff").value = user.name if user is not None and user.role == "consultant" else ""
        self._input("place").value = ""
        for name in CONTACT_FIELDS:  # nothing of the last activity's row in the locked fields
            self._input(name).value = ""
        self._blank = {name: self._input(name).value for name in ACTIVITY_FIELDS}
        for name in ACTIVITY_FIELDS:
            self._input(name).disabled = False
        self._lock_contacts(True)
        self._clear_errors()
        self.query_one("#or-activity-status", Static).update(self._new_status())
        self.query_one("#or-contact-status", Static).update("")
        self.query_one("#or-tallies", Static).update("")
        self.query_one("#or-contacts", DataTable).clear()
        focus_now(self._input("place"))

    @staticmethod
    def _new_status() -> str:
        kinds = " · ".join(f"{i} {t(f'outreach.kind_{kind}')}" for i, kind in enumerate(OUTREACH_KINDS, start=1))
        return t("outreach.status_new", kinds=kinds)

    def _lock_contacts(self, locked: bool) -> None:
        for name in CONTACT_FIELDS:
            self._input(name).disabled = locked

    def _clear_errors(self, names=ACTIVITY_FIELDS + CONTACT_FIELDS) -> None:
        for name in names:
            self.query_one(f"#or-{name}-error", Static).update("")

    @on(Input.Changed)
    def _typed_in(self, event: Input.Changed) -> None:
        if event.input is self.focused:
            self._cursor = (event.input.id or "").removeprefix("or-")

    @on(Input.Changed, "#or-kind")
    def _kind_typed(self, event: Input.Changed) -> None:
        if self.activity is not None:
            return
        try:
            kind = outreach_dal.parse_kind(event.value)
        except FieldError:
            self.query_one("#or-kind-error", Static).update("")
            return
        self.query_one("#or-kind-error", Static).update(f"[dim]{t(f'outreach.kind_{kind}')}[/dim]")

    def action_save_activity(self) -> None:
        """Save the activity typed at the top, then on to the contacts."""
        if self.activity is not None:
            focus_now(self._input("name"))
            return
        self._clear_errors(ACTIVITY_FIELDS)
        try:
            kind = outreach_dal.parse_kind(self._input("kind").value)
            day = parse_date(self._input("day").value, self.store.today(), "day")
            people = outreach_dal.find_people(self.store, self._input("staff").value)
            saved = outreach_dal.record(self.store, kind, day, self._input("place").value, [p.id for p in people])
        except FieldError as err:
            field = err.field if err.field in ACTIVITY_FIELDS else "place"
            self.query_one(f"#or-{field}-error", Static).update(error_text(err))
            focus_now(self._input(field))
            return
        self._show(outreach_dal.activity(self.store, saved.id, self._config()))
        self.app.notify(t("outreach.saved", kind=t(f"outreach.kind_{kind}"), place=literal(saved.place)), title=t("common.saved"))
        self.refresh_list()
        keeper(self.app).flush()  # saved: the activity form leaves the disk at once

    def _config(self):
        return getattr(self.app, "config", None)

    def _show(self, activity, collector: str | None = None) -> None:
        """Make ``activity`` the one being recorded: the form shows it, contacts go to it."""
        self.activity = activity
        values = {
            "kind": t(f"outreach.kind_{activity.kind}"), "day": activity.day.isoformat(), "place": activity.place,
            "staff": ", ".join(p.name for p in activity.staff),
        }
        for name, value in values.items():
            self._input(name).value = value
            self._input(name).disabled = True
        self._clear_errors()
        self._lock_contacts(False)
        if collector is None:
            user = getattr(self.app, "user", None)
            mine = next((p for p in activity.staff if user is not None and p.id == user.id), None)
            collector = (mine or activity.staff[0]).name if activity.staff else ""
        self._input("collector").value = collector
        self._blank = {"name": "", "phone": "", "course": "", "collector": collector}
        self.query_one("#or-activity-status", Static).update(
            t("outreach.status_recording", kind=literal(values["kind"]), day=values["day"], place=literal(activity.place), staff=literal(values["staff"]))
        )
        self._refresh_contacts()
        focus_now(self._input("name"))

    def action_new_activity(self) -> None:
        """Ctrl+O: another activity. A contact row typed for this one and not added is asked
        about first (y adds it here, n or Esc goes back to it), never carried over: at a
        fair's stand the row most often is a contact whose Enter was forgotten, and it
        belongs to the activity it was typed for, not to the next one."""
        typed = [self._input(name).value.strip() for name in ("name", "phone", "course")]
        if self.activity is None or not any(typed):
            self._fill_new(keep=True)
            return
        where = f"{t(f'outreach.kind_{self.activity.kind}')} · {self.activity.place}"

        def answered(add: bool | None) -> None:
            if add and (status := self.add_contact()) is not None:
                self._fill_new(keep=True)
                self.app.notify(status, title=where)

        row = literal(" · ".join(value for value in typed if value))
        self.app.push_screen(NewActivityDialog(t("outreach.confirm_new", row=row, activity=literal(where))), answered)

    # ----- the contacts -------------------------------------------------------------------------
    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        name = (event.input.id or "").removeprefix("or-")
        if name in ACTIVITY_FIELDS:
            index = ACTIVITY_FIELDS.index(name)
            if index < len(ACTIVITY_FIELDS) - 1:
                focus_now(self._input(ACTIVITY_FIELDS[index + 1]))
            else:
                self.action_save_activity()
        elif name in CONTACT_FIELDS:
            if name == "name" and not self._input("phone").value.strip():
                focus_now(self._input("phone"))  # name first, then the number: Enter moves on
                return
            self.add_contact()

    def add_contact(self) -> str | None:
        """Add the contact row to the activity: the status line saying so, or None when
        nothing was added (the message is at the field, the row as typed)."""
        if self.activity is None:  # the contact row opens once the activity is saved
            return None
        self._clear_errors(CONTACT_FIELDS)
        collector_text = self._input("collector").value.strip()
        collector = next(
            (p for p in self.activity.staff if collector_text in (p.name, p.english_name) or collector_text.casefold() == (p.english_name or "").casefold()),
            None,
        )
        try:
            if collector_text and collector is None:
                raise FieldError("collector", "outreach.err_collector")
            contact = ContactInput(
                phone=self._input("phone").value, name=self._input("name").value, course=self._input("course").value,
                collector_id=collector.id if collector else None,
            )
            region = self._config().center.phone_region if self._config() else "CN"
            added = outreach_dal.add_contacts(self.store, self.activity.id, [contact], region=region)[0]
        except FieldError as err:
            field = err.field if err.field in CONTACT_FIELDS else "phone"
            self.query_one(f"#or-{field}-error", Static).update(error_text(err))
            focus_now(self._input(field))
            return None
        for name in ("name", "phone", "course"):
            self._input(name).value = ""
        who = added.name or display(added.phone)
        if added.new_lead:
            status = t("outreach.added_new", name=literal(who), owner=literal(added.owner or t("common.none")))
        else:
            status = t("outreach.added_known", name=literal(who), owner=literal(added.owner or t("common.none")))
        self.query_one("#or-contact-status", Static).update(status)
        self.activity = outreach_dal.activity(self.store, self.activity.id, self._config())
        self._refresh_contacts()
        self.refresh_list()
        focus_now(self._input("name"))
        keeper(self.app).flush()  # added: the row leaves the disk at once
        return status

    def _refresh_contacts(self) -> None:
        table = self.query_one("#or-contacts", DataTable)
        table.clear()
        if self.activity is None:
            return
        rows = outreach_dal.contacts(self.store, self.activity.id)
        for i, row in enumerate(rows, start=1):
            lead = t("outreach.lead_new") if row.new_lead else t("outreach.lead_known", owner=row.owner or t("common.none"))
            phone = shown(self.app, row.phone, row.owner_id, typed_by=row.collector_id)
            table.add_row(str(i), row.name, phone, row.course or "", row.collector, lead, key=str(row.lead_id))
        if table.row_count:
            table.move_cursor(row=table.row_count - 1)
        what = t("outreach.target_contacts" if self.activity.kind == "street_promotion" else "outreach.target_forms")
        totals = t("outreach.totals", new=self.activity.new_leads, known=self.activity.known)
        self.query_one("#or-tallies", Static).update(
            t("outreach.tallies_line", what=what, tallies=tally_text(self.activity.tallies), totals=totals)
        )

    # ----- recent activities --------------------------------------------------------------------
    def refresh_list(self) -> None:
        from datetime import timedelta

        table = self.query_one("#or-list", DataTable)
        table.clear()
        today = self.store.today()
        self._recent = {}
        for item in outreach_dal.activities(self.store, first=today - timedelta(days=RECENT_DAYS), config=self._config()):
            self._recent[str(item.id)] = item
            table.add_row(
                item.day.strftime("%m-%d"), t(f"outreach.kind_{item.kind}"), item.place,
                ", ".join(p.name for p in item.staff), str(item.new_leads), str(item.known), Text.from_markup(tally_text(item.tallies)),
                key=str(item.id),
            )

    def action_to_list(self) -> None:
        table = self.query_one("#or-list", DataTable)
        if table.row_count:
            focus_now(table)

    @on(DataTable.RowSelected, "#or-list")
    def _continue(self, event: DataTable.RowSelected) -> None:
        item = self._recent.get(event.row_key.value)
        if item is not None:
            self._show(item)

    def drafts(self) -> list[Draft]:
        """What is typed and not saved: the activity it belongs to (None: the activity form
        itself), the fields of that part of the form, and the field that has the cursor."""
        if self._left:
            return []
        fields = CONTACT_FIELDS if self.activity is not None else ACTIVITY_FIELDS
        values = {name: self._input(name).value for name in fields}
        if all(value == self._blank.get(name, "") for name, value in values.items()):
            return []
        if self.app.is_running and self.focused is not None:
            self._cursor = (self.focused.id or "").removeprefix("or-")
        focus = self._cursor if self._cursor in fields else next((n for n in fields if not values[n].strip()), fields[0])
        activity_id = self.activity.id if self.activity is not None else None
        return [Draft("outreach", {"activity_id": activity_id, "values": values, "focus": focus})]

    def action_close(self) -> None:
        """Back, keeping what is typed and not saved for the next opening (see the module)."""
        for draft in self.drafts():
            keeper(self.app).keep(draft)
        self._left = True
        self.dismiss()

    def take_drafts(self) -> None:
        """Put back what was left typed (the last, should there be more than one)."""
        found = keeper(self.app).take("outreach")
        for draft in found:
            keeper(self.app).adopt(draft)
        if found:
            self._restore(found[-1].data)

    def _restore(self, kept: dict) -> None:
        if kept["activity_id"] is not None:
            activity = outreach_dal.activity(self.store, kept["activity_id"], self._config())
            if activity is None:
                return
            self._show(activity, collector=kept["values"].get("collector", ""))
        for name, value in kept["values"].items():
            if name in self._inputs:
                self._input(name).value = str(value)
        if kept["activity_id"] is not None:
            self.query_one("#or-contact-status", Static).update(t("outreach.kept"))
        else:
            self.query_one("#or-activity-status", Static).update(f"{t('outreach.kept')}\n{self._new_status()}")
        self._cursor = kept["focus"] if kept.get("focus") in self._inputs else "name"
        box = self._input(self._cursor)
        focus_now(box)
        # An Input selects all its text on focus, so the next key would replace what was kept:
        # once the focus is in, the cursor goes to the end of the text instead.
        box.call_after_refresh(box.action_end)
