"""The walk-in log (docs/domain.md §3): register a visitor in a few keys and route them.

Left: the visitor form — type (↑↓ Enter), phone or name (digits are a phone; anything else
looks the visitor up as call triage does, ↓ Enter picks one; a known lead is a repeat visitor
and goes to the owner, an unknown name moves to the name field), name, companions, group
size, the channel partner (any visitor; a channel proxy must name one), course, the person
they came for, the lecture. Ctrl+S registers; Ctrl+R clears the form (asking first when
something is typed). Right: the consultant board with the walk-in rotation first, the
waiting list (minutes waited first, so it fits 80 columns) and the offer to the first
consultant to free up (Ctrl+T), and today's face-to-face table
(一日当面咨询表, laid out for its width: see DayTable); ``/`` searches it, ``t`` opens a timeline.
Ctrl+L creates a lecture; Ctrl+G opens the lectures and their bookings (desk.screens.lectures).
A lecture attendee checks in against one of today's lectures: their booking is marked attended.
The form as typed is kept on disk until it is registered or cleared, and comes back marked
restored after desk closed (desk.widgets.keeper).
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from desk.dal import lectures as lectures_dal
from desk.dal import lookup as lookup_dal
from desk.dal import partners as partners_dal
from desk.dal import staff as staff_dal
from desk.dal import visits as visits_dal
from desk.dal.visits import DayRow, VisitInput
from desk.drafts import Draft
from desk.errors import FieldError
from desk.i18n import language, t
from desk.models.visit import VISITOR_TYPES
from desk.phones import PhoneError, parse
from desk.screens.base import DeskScreen
from desk.screens.board_host import HostsBoard
from desk.screens.dialogs.confirm import ConfirmDialog
from desk.screens.dialogs.lectures import LectureDialog
from desk.screens.lectures import LecturesScreen
from desk.widgets import triage_script as script
from desk.widgets.board import ConsultantBoard
from desk.widgets.filterable_table import FilterableTable
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.forms import error_text
from desk.widgets.header import DeskHeader
from desk.widgets.keeper import KeepsDrafts, keeper
from desk.widgets.live import update_text
from desk.widgets.markup import literal
from desk.widgets.table import DeskTable

_FIELDS = ("phone", "name", "companions", "group_size", "course", "partner", "came_for", "lecture")


def _rules_lang() -> str:
    return "zh" if language() == "zh_CN" else "en"


def _is_phone(text: str) -> bool:
    """Digits (with spaces, dashes, +, brackets) are a phone; a letter of any script makes a name."""
    return not any(ch.isalpha() for ch in text)


class ClearDialog(ConfirmDialog):
    """Clearing the form asks first when something is typed: one stray key must not throw
    away a visitor half registered. y clears, n or Esc keeps everything as it was."""

    BINDINGS = [
        Binding("y", "answer(True)", "walkins.k_yes_clear"),
        Binding("n", "answer(False)", "walkins.k_no_keep"),
    ]


_DAY_COLUMNS = ("time", "name", "type", "to", "waited")
_SHORT_HEADERS = ("to", "waited")  # the others are short in every language already
_CUT = (1, 3)  # name and received-by: free text, so these are the columns trimmed to fit
_NARROWEST = 4  # a trimmed column keeps at least this many cells, … included


def _cut(text: str, width: int | None) -> str:
    """``text`` in at most ``width`` terminal cells (a Chinese character takes two), ending
    in … when it had to be trimmed."""
    if width is None or cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)).rstrip() + "…"


class DayTable(DeskTable):
    """Today's face-to-face table (一日当面咨询表): time in, who came, what type, who received
    them, how long they waited — every column on screen at any width from 80 columns up.

    When the full type labels and headers fit (160 columns), they are shown. When they do not
    (80 columns: in English they push "Received by" and "Waited" off the edge), it uses the short
    types of the waiting list, short headers and minutes, and trims the name and received-by
    columns with … to the room left: the register must show every column of every row; a
    name cut short is still found with / and read in full on the timeline (t). A group's size
    stands beside the name ("周小明等4人"), not in a column that reads 1 on nearly every row.
    The vertical scrollbar's room is always kept, so the columns do not shift when the day's
    rows outgrow the table, and a new width (a resized terminal) lays the table out again.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._shown: list[tuple[str, DayRow]] = []
        self._room = 0
        self._columns: tuple[list[str], list[int]] | None = None  # headers and widths laid out

    def show(self, rows: list[tuple[str, DayRow]]) -> None:
        """Today's rows, each with its time in as the center reads it ("09:40"); the same rows
        again (a refresh when another list changed) touch nothing."""
        if rows != self._shown or self._columns is None:
            self._shown = rows
            self._lay_out()

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._room:
            self._lay_out()

    def _lay_out(self) -> None:
        self._room = room = self.scrollable_content_region.width
        padding = 2 * self.cell_padding * len(_DAY_COLUMNS)
        for compact in (False, True):
            headers, cells = self._cells(compact)
            widths = [max(cell_len(text) for text in column) for column in zip(headers, *cells, strict=True)]
            if not room or sum(widths) + padding <= room:  # no room yet: the first Resize lays out again
                break
        else:  # short labels and still too wide: trim the name and received-by, the wider first
            over = sum(widths) + padding - room
            while over > 0 and max(widths[i] for i in _CUT) > _NARROWEST:
                widths[max(_CUT, key=lambda i: widths[i])] -= 1
                over -= 1
            cells = [self._row_cells(row, when, True, widths[1], widths[3]) for when, row in self._shown]
        if self._columns == (headers, widths):  # the same columns: change only the rows that differ
            self.sync([(str(row.visit_id), texts) for (_, row), texts in zip(self._shown, cells, strict=True)])
            return
        self._columns = (headers, widths)
        keep = self.cursor_key  # so a refresh does not move the cursor away
        self.clear(columns=True)
        for key, header, width in zip(_DAY_COLUMNS, headers, widths, strict=True):
            # Widths set here, not measured by the table when idle: the first frame after a
            # new width is already the right one.
            self.add_column(header, width=width, key=key)
        for (_, row), texts in zip(self._shown, cells, strict=True):
            self.add_row(*texts, key=str(row.visit_id))
            if str(row.visit_id) == keep:
                self.move_cursor(row=self.row_count - 1)

    def _cells(self, compact: bool) -> tuple[list[str], list[list[str]]]:
        headers = [t(f"walkins.col_{key}_short" if compact and key in _SHORT_HEADERS else f"walkins.col_{key}")
                   for key in _DAY_COLUMNS]
        return headers, [self._row_cells(row, when, compact) for when, row in self._shown]

    @staticmethod
    def _row_cells(row: DayRow, when: str, compact: bool, name_width: int | None = None,
                   to_width: int | None = None) -> list[str]:
        name = _cut(row.name, name_width)
        if row.group_size > 1:
            room = None if name_width is None else name_width - cell_len(t("walkins.group_name", name="", n=row.group_size))
            name = t("walkins.group_name", name=_cut(row.name, room), n=row.group_size)
        to = row.received_by or (t("walkins.waiting") if row.waited_minutes is not None else (row.came_for or ""))
        minutes = "walkins.minutes_short" if compact else "walkins.minutes"
        waited = t(minutes, n=row.waited_minutes) if row.waited_minutes is not None else ""
        vtype = t(f"walkins.short_{row.visitor_type}" if compact else f"walkins.type_{row.visitor_type}")
        return [when, name, vtype, _cut(to, to_width), waited]


def roster_pick(roster, typed: str):
    """The person a business visitor or interviewee came for, picked from the roster: their
    name, English name or extension as typed, or the one name that starts with what was typed.
    Anyone else is refused at the field with the names that come closest (issue 12 §4), so a
    visitor is never sent to a person who does not exist."""
    text = typed.strip()
    low = text.casefold()
    for person in roster:
        if low in (person.name.casefold(), (person.english_name or "").casefold(), (person.extension or "").casefold()):
            return person
    near = [p for p in roster if p.name.startswith(text) or (p.english_name or "").casefold().startswith(low)]
    if len(near) == 1:
        return near[0]
    near = near or [p for p in roster if any(ch in p.name for ch in text)]
    names = ", ".join(p.name for p in (near or roster)[:6])
    raise FieldError("came_for", "walkins.err_came_for_unknown", name=text, names=names)


class WalkInsScreen(HostsBoard, KeepsDrafts, DeskScreen):
    BINDINGS = [
        Binding("ctrl+s", "register", "walkins.k_register"),
        Binding("ctrl+t", "take_offer", "walkins.k_take"),
        Binding("ctrl+l", "new_lecture", "walkins.k_lecture"),
        Binding("ctrl+g", "lectures", "lectures.k_lectures"),
        # Not Ctrl+E: a focused Input takes it for end-of-line. Ctrl+R is free in Input,
        # OptionList and DataTable (Textual 8.2.8), the widgets of this screen.
        Binding("ctrl+r", "clear_form", "walkins.k_clear"),
        Binding("slash", "search", "walkins.k_search"),
        Binding("t", "timeline", "walkins.k_timeline"),
        Binding("escape", "to_form", "walkins.k_form", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.visitor_type = "consult_walk_in"
        self.lead_id: int | None = None
        self._lectures = []
        self._offer = None
        self._hits = {}
        self._inputs: dict[str, Input] = {}  # the form's fields, by name
        self._errors: dict[str, Static] = {}  # the line under each field
        self._type = OptionList(*(Option(f"{i + 1:>2} {t(f'walkins.type_{v}')}", id=v) for i, v in enumerate(VISITOR_TYPES)), id="wk-type")
        self._hits_list = OptionList(id="wk-hits")
        self._result = Static("", id="wk-result")
        self._chosen = Static("", id="wk-type-chosen")
        self._lecture_list = Static("", id="wk-lectures")
        self._offer_line = Static("", id="wk-offer")
        self._board = ConsultantBoard(pools=("walk_in", "phone"), id="wk-board")
        self._waiting = DeskTable(id="wk-waiting", cursor_type="row", zebra_stripes=True)
        self._day_table = DayTable(id="wk-day")
        self._filter = FilterableTable(self._day_table, placeholder=t("walkins.search_placeholder"), search_id="wk-search",
                                       id="wk-day-filter")

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        with Horizontal(id="wk"):
            with VerticalScroll(id="wk-form"):
                yield Static(t("walkins.form_title"), classes="panel-title")
                yield self._type
                yield self._chosen
                for name in _FIELDS:
                    yield Label(t(f"walkins.f_{name}"), id=f"wk-{name}-label")
                    self._inputs[name] = box = Input(placeholder=t(f"walkins.ph_{name}"), id=f"wk-{name}",
                                                     max_length=partners_dal.NAME_MAX if name == "partner" else 0)
                    yield box
                    self._errors[name] = error = Static("", id=f"wk-{name}-error", classes="field-error")
                    yield error
                    if name == "phone":
                        yield self._hits_list
                yield self._lecture_list
                yield self._result
            with Vertical(id="wk-side"):
                yield self._board
                yield Static(t("walkins.waiting_title"), classes="panel-title")
                yield self._offer_line
                yield self._waiting
                yield Static(t("walkins.day_title"), classes="panel-title")
                yield self._filter
        yield DeskFooter()

    def on_mount(self) -> None:
        for key in ("minutes", "name", "type", "since"):
            self._waiting.add_column(t(f"walkins.wcol_{key}"), key=key)
        self._hits_list.display = False
        self._show_type()
        self.refresh_lists()
        self.set_interval(30, self.refresh_lists)
        self.in_thread(lambda: staff_dal.list_staff(self.store), self._roster_read)
        self._read_partners()
        focus_now(self._type)
        keeper(self.app).claim(self)

    def on_screen_resume(self) -> None:
        self.refresh_lists()

    def _roster_read(self, roster) -> None:
        """The came-for field completes staff names as they are typed (→ takes the name)."""
        self._inputs["came_for"].suggester = SuggestFromList([p.name for p in roster], case_sensitive=False)

    def _read_partners(self) -> None:
        """The partner field completes the names on the list (→ takes one), read again after
        each visitor: a name typed for one is suggested for the next."""
        store = self.store
        self.in_thread(lambda: partners_dal.partner_names(store), self._partners_read)

    def _partners_read(self, names: list[str]) -> None:
        self._inputs["partner"].suggester = SuggestFromList(names, case_sensitive=False)

    # ----- the form ---------------------------------------------------------------------------------
    def _show_type(self) -> None:
        vtype = self.visitor_type
        self._chosen.update(t("walkins.chosen", type=t(f"walkins.type_{vtype}")))
        shown = {
            "companions": vtype in ("accompanied", "group", "consult_walk_in"),
            "group_size": vtype == "group",
            "course": vtype not in ("business_visitor", "interviewee", "refund_student"),
            # who a partner sends: prospects, a channel proxy (who must name it), lecture guests
            "partner": vtype not in ("business_visitor", "interviewee", "refund_student", "enrolling_student"),
            "came_for": vtype in visits_dal.PERSON_TYPES,
            "lecture": vtype == "lecture_attendee",
        }
        for name in _FIELDS:
            on = shown.get(name, True)
            for suffix in ("-label", "", "-error"):
                self.query_one(f"#wk-{name}{suffix}").display = on
        lectures = self._lecture_list
        lectures.display = vtype == "lecture_attendee"
        if vtype == "lecture_attendee":
            self._lectures = lectures_dal.today(self.store)
            lines = [f"{i + 1} · {self.store.local(lec.starts_at).strftime('%H:%M')} · {literal(lec.topic)} · {t('walkins.lecture_counts', booked=lec.booked, came=lec.attended)}"
                     for i, lec in enumerate(self._lectures)]
            lectures.update("\n".join(lines) or t("walkins.no_lectures"))

    @on(OptionList.OptionSelected, "#wk-type")
    def _type_chosen(self, event: OptionList.OptionSelected) -> None:
        self.visitor_type = event.option.id
        self._show_type()
        focus_now(self._inputs["phone"])

    @on(Input.Changed, "#wk-phone")
    def _phone_changed(self, event: Input.Changed) -> None:
        self._look_up(event.value)

    def _look_up(self, typed: str) -> None:
        """Digits: a known number is a repeat visitor, part of one suggests names (one line).
        Letters: the lookup's hits in a list to pick from (↓ Enter), or the note that Enter
        takes it as a new visitor's name. The lookup runs in a thread (every key asks again;
        only the answer for what is in the field now is shown)."""
        self.lead_id = None
        text = typed.strip()
        phone = _is_phone(text)
        if (not phone and len(text) < 2) or (phone and len(text) < 3):
            self._show_hits([])
            self._errors["phone"].update("")
            return
        store = self.store
        self.in_thread(
            lambda: [h for h in lookup_dal.lookup(store, text, limit=3 if phone else 5) if h.kind != "staff"],
            lambda hits: self._looked_up(typed, hits),
            group="walkin-lookup",
            exclusive=True,
        )

    def _looked_up(self, typed: str, hits: list) -> None:
        """Show what the lookup of ``typed`` found, unless the field changed since."""
        if typed != self._inputs["phone"].value:
            return
        text = typed.strip()
        note = ""
        if not _is_phone(text):
            note = t("walkins.name_hits") if hits else t("walkins.name_new")
        elif hits:
            hit = hits[0]
            digits = "".join(ch for ch in text if ch.isdigit())
            exact = hit.phone is not None and len(digits) >= 7 and hit.phone.endswith(digits[-11:])
            if exact:
                self.lead_id = hit.id
                name_box = self._inputs["name"]
                if not name_box.value:
                    name_box.value = hit.name
                note = t("walkins.known_lead", name=literal(hit.name), owner=literal(hit.owner or t("common.none")))
            else:
                note = t("walkins.maybe", names=literal(", ".join(h.name for h in hits)))
            hits = []
        self._show_hits(hits)
        self._errors["phone"].update(note)

    def _show_hits(self, hits) -> None:
        options = self._hits_list
        options.clear_options()
        self._hits = {str(i): hit for i, hit in enumerate(hits)}
        options.add_options(Option(script.hit_line(hit), id=key) for key, hit in self._hits.items())
        options.display = bool(hits)
        if hits:  # at 80x24 the list opens below the fold: bring it up under the field
            self.call_after_refresh(options.scroll_visible, animate=False)

    def on_key(self, event) -> None:
        """↓ in the phone field goes down into the lookup's list, as in call triage."""
        options = self._hits_list
        if event.key == "down" and options.display and self.focused is self._inputs["phone"]:
            focus_now(options)
            options.highlighted = 0
            event.stop()

    @on(OptionList.OptionSelected, "#wk-hits")
    def _hit_picked(self, event: OptionList.OptionSelected) -> None:
        """The visitor is this lead: a repeat visitor for their owner. Focus goes to the first
        field still empty after the name (the name is filled from the lead)."""
        hit = self._hits[event.option.id]
        self.lead_id = hit.id
        name_box = self._inputs["name"]
        if not name_box.value.strip():
            name_box.value = hit.name
        self._show_hits([])
        self._errors["phone"].update(t("walkins.known_lead", name=hit.name, owner=hit.owner or t("common.none")))
        visible = self._visible()
        after = visible[visible.index("name") + 1:]
        focus_now(self._inputs[next((n for n in after if not self._v(n).strip()), "name")])

    def _visible(self) -> list[str]:
        return [n for n in _FIELDS if self._inputs[n].display]

    def _name_in_phone(self) -> str:
        """Letters typed in the phone field and no lead picked from the list: a name, or ''."""
        text = self._v("phone").strip()
        return "" if self.lead_id is not None or _is_phone(text) else text

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        current = (event.input.id or "").removeprefix("wk-")
        name = self._name_in_phone()
        if current == "phone" and name:
            name_box = self._inputs["name"]
            if not name_box.value.strip():  # nobody picked: a new visitor of that name
                name_box.value = name
                self._inputs["phone"].value = ""
            elif name_box.value.strip() != name:
                self._errors["phone"].update(t("walkins.err_lookup_left"))
                return
            focus_now(name_box)
            return
        visible = self._visible()
        if current in visible and visible.index(current) < len(visible) - 1:
            focus_now(self._inputs[visible[visible.index(current) + 1]])
        else:
            self.action_register()

    def _v(self, name: str) -> str:
        return self._inputs[name].value

    # ----- kept on disk until registered or cleared ---------------------------------------------------
    def drafts(self) -> list[Draft]:
        values = {name: box.value for name, box in self._inputs.items()}
        if not any(value.strip() for value in values.values()):
            return []
        return [Draft("walkin", {"visitor_type": self.visitor_type, "lead_id": self.lead_id, "fields": values})]

    def take_drafts(self) -> None:
        """The form as typed before desk closed, marked restored; the cursor in its first
        field still empty."""
        found = keeper(self.app).take("walkin")
        if not found:
            return
        for draft in found:
            keeper(self.app).adopt(draft)
        data = found[-1].data
        self.visitor_type = data["visitor_type"] if data.get("visitor_type") in VISITOR_TYPES else "consult_walk_in"
        self._type.highlighted = VISITOR_TYPES.index(self.visitor_type)
        self._show_type()
        with self.prevent(Input.Changed):
            for name, box in self._inputs.items():
                box.value = str(data["fields"].get(name, ""))
        self._look_up(self._v("phone"))
        self.lead_id = data.get("lead_id")  # picked from the list by name: no lookup finds it again
        self._result.update(t("drafts.restored_form"))
        visible = self._visible()
        box = self._inputs[next((name for name in visible if not self._v(name).strip()), visible[-1])]
        focus_now(box)
        box.call_after_refresh(box.action_end)

    def collect(self) -> VisitInput:
        phone_text = self._v("phone").strip()
        phone = None
        name = self._v("name")
        typed_name = self._name_in_phone()
        if typed_name:
            if not name.strip():
                name = typed_name
            elif name.strip() != typed_name:
                raise FieldError("phone", "walkins.err_lookup_left")
        elif phone_text and self.lead_id is None:
            try:
                phone = parse(phone_text, self.desk.config.center.phone_region).e164
            except PhoneError:
                raise FieldError("phone", "walkins.err_phone") from None
        size_text = self._v("group_size").strip()
        if size_text and not size_text.isdigit():
            raise FieldError("group_size", "walkins.err_group_size")
        size = int(size_text) if size_text else (2 if self.visitor_type == "group" else 1)
        lecture_id = None
        if self.visitor_type == "lecture_attendee":
            text = self._v("lecture").strip() or ("1" if len(self._lectures) == 1 else "")
            if not text.isdigit() or not 1 <= int(text) <= len(self._lectures):
                raise FieldError("lecture", "walkins.err_lecture")
            lecture_id = self._lectures[int(text) - 1].id
        came_for_id, came_for = None, self._v("came_for").strip()
        if came_for and self.visitor_type in visits_dal.PERSON_TYPES:
            person = roster_pick(staff_dal.list_staff(self.store), came_for)
            came_for_id, came_for = person.id, person.name
        return VisitInput(
            visitor_type=self.visitor_type, name=name, phone=phone, lead_id=self.lead_id,
            companions=self._v("companions"), group_size=size,
            partner=self._v("partner") if self._inputs["partner"].display else "",
            course_interest=self._v("course"), lecture_id=lecture_id, came_for_id=came_for_id, came_for=came_for,
        )

    def action_register(self) -> None:
        for name in _FIELDS:
            if name != "phone":
                self._errors[name].update("")
        try:
            data = self.collect()
            done = visits_dal.register(self.store, data, _rules_lang(), getattr(self.app, "config", None))
        except FieldError as err:
            field = err.field if err.field in _FIELDS else "phone"
            self._errors[field].update(error_text(err))
            focus_now(self._inputs[field])
            return
        who = done.visit.visitor_name or t("walkins.visitor")
        if done.rule == "lecture":
            topic = next((lec.topic for lec in self._lectures if lec.id == done.visit.lecture_id), "")
            text = t("lectures.arrived", name=literal(who), topic=literal(topic))
        elif done.to is not None:
            text = t(f"walkins.to_{done.rule}", name=literal(who), to=literal(done.to.name))
        else:
            text = t(f"walkins.to_{done.rule}", name=literal(who), to="")
        if done.reason and done.rule in ("rotation", "waiting"):
            text += f"\n[dim]{literal(done.reason)}[/dim]"
        self._result.update(text)
        self.app.notify(text.split("\n")[0], title=t("common.saved"))
        self._clear(keep_result=True)
        self.refresh_lists()
        self._read_partners()

    def action_clear_form(self) -> None:
        """Ctrl+R: an empty form for the next visitor. Typed text is only dropped after y."""
        typed = [self._v(name).strip() for name in _FIELDS if self._v(name).strip()]
        if not typed:
            self._clear()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._clear()

        self.app.push_screen(ClearDialog(t("walkins.confirm_clear", typed=literal(" · ".join(typed)))), answered)

    def _clear(self, keep_result: bool = False) -> None:
        for name in _FIELDS:
            self._inputs[name].value = ""
            self._errors[name].update("")
        if not keep_result:
            self._result.update("")
        self.lead_id = None
        self._show_hits([])
        focus_now(self._type)
        keeper(self.app).flush()  # registered or cleared: its draft leaves the disk at once

    # ----- the lists --------------------------------------------------------------------------------
    def refresh_lists(self) -> None:
        self.reload()

    def live_read(self):
        board, store = self.board_read(), self.store
        search = self._filter.text
        return lambda: (board(), visits_dal.waiting_list(store), visits_dal.offer(store), visits_dal.day_table(store, search))

    def show_read(self, data) -> None:
        board, waiting, self._offer, rows = data
        self._board.show(board)
        self._waiting.sync([
            (str(w.visit_id), (t("walkins.minutes", n=w.minutes), w.name, t(f"walkins.short_{w.visitor_type}"), self.store.local(w.since).strftime("%H:%M")))
            for w in waiting
        ])
        offer = self._offer
        update_text(self._offer_line, t(
            "walkins.offer", to=literal(offer.staff_name), name=literal(offer.waiting.name or t("walkins.visitor")), n=offer.waiting.minutes,
        ) if offer else "")
        self._day = {str(row.visit_id): row for row in rows}
        self._day_table.show([(self.store.local(row.arrived_at).strftime("%H:%M"), row) for row in rows])

    def action_take_offer(self) -> None:
        self._offer = visits_dal.offer(self.store)
        if self._offer is None:
            self.app.notify(t("walkins.no_offer"), severity="warning")
            return
        visits_dal.take_waiting(self.store, self._offer.waiting.visit_id, self._offer.staff_id)
        self._result.update(t("walkins.taken", to=literal(self._offer.staff_name), name=literal(self._offer.waiting.name)))
        self.refresh_lists()

    def action_new_lecture(self) -> None:
        def made(lecture) -> None:
            if lecture is not None:
                self._show_type()

        self.app.push_screen(LectureDialog(), made)

    def action_lectures(self) -> None:
        self.app.push_screen(LecturesScreen(), lambda _: self._show_type())

    def action_search(self) -> None:
        self._filter.open()

    @on(FilterableTable.Filtered)
    def _search_changed(self) -> None:
        self.refresh_lists()

    def action_to_form(self) -> None:
        if self._filter.searching:
            self._filter.close()
            self.refresh_lists()
        focus_now(self._type)

    def action_timeline(self) -> None:
        table = self._day_table
        if self.focused is not table or table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        row = self._day.get(key)
        if row is not None and row.lead_id is not None:
            self.desk.open_timeline(row.lead_id)
