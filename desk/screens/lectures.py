"""Lectures (issue 5): plan them, book people ahead, check the bookings at the door.

:class:`LecturesScreen` (Ctrl+G on the walk-in log): every lecture from two months back on,
soonest first, the cursor on the next one — starts, topic, booked, came. Enter opens its
bookings, ``n`` a new lecture, ``/`` searches, Esc goes back.

:class:`BookingsScreen`: one lecture's bookings — name, phone, who booked them, status
(booked, came, or no-show once the lecture's day is over). ``b`` books a person, ``a`` marks
the highlighted person arrived (their lecture_attendee visit through the walk-in data layer,
so the follow-up and everything else a door check-in sets off happens), ``x`` cancels a
booking (``y`` confirms), ``t`` the timeline, ``/`` searches, Esc back.

:class:`BookPersonDialog` finds the person as the walk-in form does (phone, name, pinyin);
an unknown person becomes a lead with a channel from the list. :class:`BookLeadDialog` books
one lead (Ctrl+G on the consult note form, while on the phone) for a lecture to come; it and
the new-lecture dialog live in desk.screens.dialogs.lectures.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from desk.dal import lectures as lectures_dal
from desk.dal import lookup as lookup_dal
from desk.errors import FieldError
from desk.i18n import language, t
from desk.phones import PhoneError, display, parse
from desk.rules.leads import CHANNELS
from desk.screens.base import DeskModal, DeskScreen
from desk.screens.dialogs.confirm import ConfirmDialog
from desk.screens.dialogs.lectures import LectureDialog, day_text, when_text
from desk.screens.phone_view import shown
from desk.widgets.filterable_table import FilterableTable
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.forms import error_text
from desk.widgets.header import DeskHeader
from desk.widgets.markup import literal
from desk.widgets.table import DeskTable

_DIGITS = set("0123456789 +-()（）")


# How a lecture's state and a booking's status look in the tables.
_STYLES = {"today": "bold", "past": "dim", "attended": "green", "no_show": "red"}


def _styled(key: str, value: str) -> Text:
    return Text(t(f"lectures.{key}_{value}"), style=_STYLES.get(value, ""))


def _rules_lang() -> str:
    return "zh" if language() == "zh_CN" else "en"


class _ListScreen(DeskScreen):
    """A table with a hidden search box: ``/`` opens it, Enter goes back to the table, Esc
    clears it first and leaves the screen second. Subclasses name the ids' prefix and the
    search box's placeholder, and define ``fill``."""

    PREFIX = ""  # "lec": the table is #lec-table, its search box #lec-search
    PLACEHOLDER = ""  # the catalog key of the search box's placeholder

    def __init__(self) -> None:
        super().__init__()
        self._table = DeskTable(id=f"{self.PREFIX}-table", cursor_type="row", zebra_stripes=True)
        self._filter = FilterableTable(self._table, placeholder=t(self.PLACEHOLDER), search_id=f"{self.PREFIX}-search",
                                       id=f"{self.PREFIX}-filter")

    def action_search(self) -> None:
        self._filter.open()

    def on_filterable_table_filtered(self) -> None:
        self.fill()

    def action_back(self) -> None:
        if self._filter.searching:
            self._filter.close()
            self.fill()
            focus_now(self._table)
            return
        self.dismiss()

    def on_screen_resume(self) -> None:
        self.fill()

    def current_key(self) -> str | None:
        table = self._table
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


class LecturesScreen(_ListScreen):
    BINDINGS = [
        Binding("n", "new", "lectures.k_new"),
        Binding("slash", "search", "lectures.k_search"),
        Binding("escape", "back", "lectures.k_back"),
    ]
    PREFIX = "lec"
    PLACEHOLDER = "lectures.search_placeholder"

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield Static(t("lectures.title"), classes="panel-title")
        yield self._filter
        yield Static("", id="lec-empty")
        yield DeskFooter()

    def on_mount(self) -> None:
        table = self._table
        for key in ("when", "topic", "booked", "attended", "state"):
            table.add_column(t(f"lectures.col_{key}"), key=key)
        self.fill()
        focus_now(table)

    def fill(self, select: int | None = None) -> None:
        text = self._filter.text.strip().lower()
        table = self._table
        keep = select if select is not None else self.current_key()
        table.clear()
        rows = lectures_dal.lectures(self.store)
        cursor = None
        for row in rows:
            when = day_text(self.store, row.starts_at)
            if text and text not in f"{when} {row.topic}".lower():
                continue
            table.add_row(when, row.topic, str(row.booked), str(row.attended), _styled("state", row.state), key=str(row.id))
            if cursor is None and row.state != "past":
                cursor = table.row_count - 1
            if keep is not None and str(keep) == str(row.id):
                cursor = table.row_count - 1
        if cursor is not None:
            table.move_cursor(row=cursor)
        elif table.row_count:
            table.move_cursor(row=table.row_count - 1)
        empty = self.query_one("#lec-empty", Static)
        empty.update("" if rows else t("lectures.none"))
        empty.display = not rows

    @on(DataTable.RowSelected, "#lec-table")
    def _open(self) -> None:
        key = self.current_key()
        if key is not None:
            self.app.push_screen(BookingsScreen(int(key)))

    def action_new(self) -> None:
        def made(lecture) -> None:
            if lecture is not None:
                self.fill(select=lecture.id)

        self.app.push_screen(LectureDialog(), made)


class BookingsScreen(_ListScreen):
    BINDINGS = [
        Binding("b", "book", "lectures.k_book"),
        Binding("a", "arrived", "lectures.k_arrived"),
        Binding("x", "cancel_booking", "lectures.k_cancel"),
        Binding("t", "timeline", "lectures.k_timeline"),
        Binding("slash", "search", "lectures.k_search"),
        Binding("escape", "back", "lectures.k_back"),
    ]
    PREFIX = "bk"
    PLACEHOLDER = "lectures.bookings_search"

    def __init__(self, lecture_id: int) -> None:
        super().__init__()
        self.lecture_id = lecture_id
        self._rows: dict[str, lectures_dal.BookingRow] = {}

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield Static("", id="bk-head")
        yield self._filter
        yield Static("", id="bk-status")
        yield DeskFooter()

    def on_mount(self) -> None:
        table = self._table
        for key in ("name", "phone", "by", "at", "status"):
            table.add_column(t(f"lectures.bcol_{key}"), key=key)
        self.fill()
        focus_now(table)

    def fill(self) -> None:
        self.lecture = lectures_dal.get(self.store, self.lecture_id)
        rows = lectures_dal.bookings(self.store, self.lecture_id)
        no_show = sum(1 for r in rows if r.status == "no_show")
        lec = self.lecture
        self.query_one("#bk-head", Static).update(t(
            "lectures.head", when=day_text(self.store, lec.starts_at), topic=literal(lec.topic),
            state=t(f"lectures.state_{lec.state}"), booked=lec.booked, attended=lec.attended,
            no_show=t("lectures.head_no_show", n=no_show) if no_show else "",
        ))
        text = self._filter.text.strip().lower()
        table = self._table
        keep = self.current_key()
        table.clear()
        self._rows = {}
        for row in rows:
            phone = shown(self.app, row.phone, row.owner_id, typed_by=row.booked_by_id)
            if text and text not in f"{row.name} {row.phone or ''} {phone} {row.booked_by or ''}".lower():
                continue
            self._rows[str(row.id)] = row
            table.add_row(row.name, phone, row.booked_by or "", when_text(self.store, row.booked_at) if row.booked_at else "",
                          _styled("status", row.status), key=str(row.id))
            if str(row.id) == keep:
                table.move_cursor(row=table.row_count - 1)
        if not rows:
            self._say(t("lectures.no_bookings"))

    def _say(self, text: str, error: bool = False) -> None:
        status = self.query_one("#bk-status", Static)
        status.update(text)
        status.set_class(error, "error")

    def _current(self) -> lectures_dal.BookingRow | None:
        key = self.current_key()
        row = self._rows.get(key) if key is not None else None
        if row is None:
            self._say(t("lectures.err_none_selected"), error=True)
        return row

    def action_book(self) -> None:
        if self.lecture.state == "past" or self.lecture.starts_at < self.store.now():
            self._say(t("lectures.err_past", when=when_text(self.store, self.lecture.starts_at)), error=True)
            return

        def done(result) -> None:
            if result is not None:
                self.fill()
                self._say(result)

        self.app.push_screen(BookPersonDialog(self.lecture_id), done)

    def action_arrived(self) -> None:
        row = self._current()
        if row is None:
            return
        try:
            lectures_dal.arrive(self.store, row.id, _rules_lang(), getattr(self.app, "config", None))
        except FieldError as err:
            self._say(error_text(err), error=True)
            return
        text = t("lectures.arrived", name=literal(row.name), topic=literal(self.lecture.topic))
        self.fill()
        self._say(text)
        self.app.notify(text, title=t("common.saved"))

    def action_cancel_booking(self) -> None:
        row = self._current()
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                lectures_dal.cancel(self.store, row.id)
            except FieldError as err:
                self._say(error_text(err), error=True)
                return
            self.fill()
            self._say(t("lectures.cancelled", name=literal(row.name)))

        self.app.push_screen(ConfirmDialog(t("lectures.confirm_cancel", name=literal(row.name), topic=literal(self.lecture.topic))), answered)

    def action_timeline(self) -> None:
        row = self._current()
        if row is not None:
            self.desk.open_timeline(row.lead_id)


class BookPersonDialog(DeskModal):
    """Book someone for one lecture: a known lead from the lookup, or a new person."""

    BINDINGS = [
        Binding("ctrl+s", "save", "lectures.k_save"),
        Binding("down", "to_hits", show=False),
        Binding("escape", "cancel", "lectures.k_close"),
    ]

    def __init__(self, lecture_id: int) -> None:
        super().__init__()
        self.lecture_id = lecture_id
        self.lead_id: int | None = None  # an exact phone match
        self._hits = []
        self._who_box = Input(placeholder=t("lectures.ph_who"), id="bp-who")
        self._who_note = Static("", id="bp-who-note")
        self._hits_list = OptionList(id="bp-hits")
        self._hits_list.display = False
        self._name_box = Input(id="bp-name")
        self._channels = OptionList(*(Option(f"{i + 1} {t(f'report.channels.{c}')}", id=c) for i, c in enumerate(CHANNELS)),
                                    id="bp-channel")
        self._errors = {name: Static("", id=f"bp-{name}-error", classes="field-error")
                        for name in ("lecture", "who", "name", "channel")}

    def compose(self) -> ComposeResult:
        lecture = lectures_dal.get(self.store, self.lecture_id)
        self.lecture = lecture
        with Vertical(id="bp-box", classes="dialog-box"):
            yield Static(t("lectures.book_title", when=when_text(self.store, lecture.starts_at), topic=literal(lecture.topic)), classes="panel-title")
            yield Static(t("lectures.book_help"))
            yield self._errors["lecture"]
            yield Label(t("lectures.f_who"))
            yield self._who_box
            yield self._who_note
            yield self._hits_list
            yield self._errors["who"]
            yield Label(t("lectures.f_name"))
            yield self._name_box
            yield self._errors["name"]
            yield Label(t("lectures.f_channel"))
            yield self._channels
            yield self._errors["channel"]
        yield DeskFooter()

    def on_mount(self) -> None:
        self._channels.highlighted = 0
        focus_now(self._who_box)

    def _who(self) -> str:
        return self._who_box.value.strip()

    @on(Input.Changed, "#bp-who")
    def _lookup(self, event: Input.Changed) -> None:
        """Look the person up as they are typed, in a thread (only the answer for what is in
        the field now is shown)."""
        self.lead_id = None
        typed, text, store = event.value, event.value.strip(), self.store
        if len(text) < 2:
            self._show_who(typed, [])
            return
        self.in_thread(
            lambda: [h for h in lookup_dal.lookup(store, text, limit=5) if h.kind != "staff"],
            lambda hits: self._show_who(typed, hits),
            group="booking-lookup",
            exclusive=True,
        )

    def _show_who(self, typed: str, hits: list) -> None:
        if typed != self._who_box.value:
            return
        text = typed.strip()
        hits_list = self._hits_list
        hits_list.clear_options()
        self._hits = hits
        note = ""
        digits = "".join(ch for ch in text if ch.isdigit())
        for hit in self._hits:
            if hit.phone is not None and len(digits) >= 7 and hit.phone.endswith(digits[-11:]):
                self.lead_id = hit.id
                note = t("lectures.known", name=literal(hit.name), owner=literal(hit.owner or t("common.none")))
        if self._hits and self.lead_id is None:
            note = t("lectures.maybe", names=literal(", ".join(h.name for h in self._hits)))
            hits_list.add_options(
                Option(f"{h.name} · {display(h.phone) if h.phone else ''} · {h.owner or t('common.none')}", id=str(h.id))
                for h in self._hits
            )
        elif text and not self._hits:
            note = t("lectures.new_person")
        hits_list.display = bool(hits_list.option_count)
        self._who_note.update(note)

    def action_to_hits(self) -> None:
        hits = self._hits_list
        if self.focused is self._who_box and hits.option_count:
            hits.highlighted = 0
            focus_now(hits)
        elif isinstance(self.focused, Input):
            self.focus_next()

    @on(OptionList.OptionSelected, "#bp-hits")
    def _hit_chosen(self, event: OptionList.OptionSelected) -> None:
        self._book(lead_id=int(event.option.id))

    @on(Input.Submitted, "#bp-who")
    def _who_done(self) -> None:
        if self.lead_id is not None:
            self._book(lead_id=self.lead_id)
            return
        text = self._who()
        name = self._name_box
        if text and not set(text) <= _DIGITS and not name.value.strip():
            name.value = text
        focus_now(name)

    @on(Input.Submitted, "#bp-name")
    def _name_done(self) -> None:
        focus_now(self._channels)

    @on(OptionList.OptionSelected, "#bp-channel")
    def _channel_chosen(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        hits = self._hits_list
        if self.focused is hits and hits.highlighted is not None:
            self._book(lead_id=int(hits.get_option_at_index(hits.highlighted).id))
        else:
            self._book(lead_id=self.lead_id)

    def _book(self, lead_id: int | None) -> None:
        for error in self._errors.values():
            error.update("")
        text = self._who()
        name = self._name_box.value
        channels = self._channels
        channel = channels.get_option_at_index(channels.highlighted).id if channels.highlighted is not None else ""
        try:
            phone = None
            if lead_id is None:
                if not text and not name.strip():
                    raise FieldError("who", "lectures.err_who_empty")
                if text and set(text) <= _DIGITS:
                    try:
                        phone = parse(text, self.app.config.center.phone_region).e164
                    except PhoneError:
                        raise FieldError("who", "lectures.err_phone") from None
                elif text and not name.strip():
                    name = text
            _booking, lead = lectures_dal.book(self.store, self.lecture_id, lead_id=lead_id, name=name, phone=phone, channel=channel)
        except FieldError as err:
            field = err.field if err.field in self._errors else "who"
            self._errors[field].update(error_text(err))
            target = {"who": self._who_box, "name": self._name_box, "channel": self._channels}.get(field)
            if target:
                focus_now(target)
            return
        text = t("lectures.booked", name=literal(lead.name or display(lead.phone or "")), topic=literal(self.lecture.topic),
                 when=when_text(self.store, self.lecture.starts_at))
        self.app.notify(text, title=t("common.saved"))
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
