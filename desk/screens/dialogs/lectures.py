"""The lecture dialogs other screens open: a new lecture (the walk-in log, the lectures
list, the booking dialog) and booking one lead for a lecture to come (the consult note form,
on the phone). They live here, not with the lectures screens, so a screen that only opens
them does not import those screens.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from desk.dal import lectures as lectures_dal
from desk.dal.followups import FieldError
from desk.i18n import t
from desk.screens.base import DeskModal
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.forms import error_text, parse_when
from desk.widgets.markup import literal


def when_text(store, moment) -> str:
    return store.local(moment).strftime("%m-%d %H:%M")


def day_text(store, moment) -> str:
    """Date, weekday (in the screen's language: lectures are planned by weekday) and time."""
    local = store.local(moment)
    return f"{local:%Y-%m-%d} {t(f'lectures.wd_{local.weekday()}')} {local:%H:%M}"


class LectureDialog(DeskModal):
    """A new lecture: when it starts, its topic. Enter moves on, then creates it."""

    BINDINGS = [Binding("ctrl+s", "save", "lectures.k_new"), Binding("escape", "cancel", "keys.cancel")]

    def __init__(self) -> None:
        super().__init__()
        self._inputs = {"when": Input(placeholder=t("walkins.lecture_when_ph"), id="lec-when"), "topic": Input(id="lec-topic")}
        self._errors = {name: Static("", id=f"lec-{name}-error", classes="field-error") for name in self._inputs}

    def compose(self) -> ComposeResult:
        with Vertical(id="lec-box", classes="dialog-box"):
            yield Static(t("walkins.lecture_new"), classes="panel-title")
            for name in ("when", "topic"):
                yield Label(t(f"walkins.lecture_{name}"))
                yield self._inputs[name]
                yield self._errors[name]

    def on_mount(self) -> None:
        focus_now(self._inputs["when"])

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input is self._inputs["when"]:
            focus_now(self._inputs["topic"])
            return
        self.action_save()

    def action_save(self) -> None:
        for error in self._errors.values():
            error.update("")
        try:
            when = parse_when(self._inputs["when"].value, self.store.now())
            lecture = lectures_dal.create_lecture(self.store, when, self._inputs["topic"].value)
        except FieldError as err:
            field = "topic" if err.field == "topic" else "when"
            self._errors[field].update(error_text(err))
            focus_now(self._inputs[field])
            return
        self.app.notify(t("walkins.lecture_made", topic=literal(lecture.topic)), title=t("common.saved"))
        self.dismiss(lecture)

    def action_cancel(self) -> None:
        self.dismiss(None)


class BookLeadDialog(DeskModal):
    """Book one lead for a lecture to come (from the consult note form, on the phone)."""

    BINDINGS = [
        Binding("n", "new", "lectures.k_new"),
        Binding("escape", "cancel", "lectures.k_close"),
    ]

    def __init__(self, lead_id: int, name: str) -> None:
        super().__init__()
        self.lead_id = lead_id
        self.lead_name = name
        self._lectures = OptionList(id="bl-lectures")
        self._error = Static("", id="bl-lecture-error", classes="field-error")

    def compose(self) -> ComposeResult:
        with Vertical(id="bl-box", classes="dialog-box"):
            yield Static(t("lectures.book_lead_title", name=literal(self.lead_name or "?")), classes="panel-title")
            yield self._lectures
            yield self._error
        yield DeskFooter()

    def on_mount(self) -> None:
        self._fill()
        focus_now(self._lectures)

    def _fill(self, select: int | None = None) -> None:
        options = self._lectures
        options.clear_options()
        now = self.store.now()
        rows = [r for r in lectures_dal.lectures(self.store, upcoming_only=True) if r.starts_at >= now]
        mine = lectures_dal.booked_for(self.store, self.lead_id)
        options.add_options(
            Option(t("lectures.option", when=day_text(self.store, r.starts_at), topic=literal(r.topic), booked=r.booked)
                   + (t("lectures.option_mine") if r.id in mine else ""), id=str(r.id))
            for r in rows
        )
        self._error.update("" if rows else t("lectures.no_upcoming"))
        if rows:
            ids = [r.id for r in rows]
            options.highlighted = ids.index(select) if select in ids else 0

    @on(OptionList.OptionSelected, "#bl-lectures")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        try:
            _, lead = lectures_dal.book(self.store, int(event.option.id), lead_id=self.lead_id)
        except FieldError as err:
            self._error.update(error_text(err))
            return
        lecture = lectures_dal.get(self.store, int(event.option.id))
        text = t("lectures.booked", name=literal(lead.name), topic=literal(lecture.topic), when=when_text(self.store, lecture.starts_at))
        self.app.notify(text, title=t("common.saved"))
        self.dismiss(text)

    def action_new(self) -> None:
        def made(lecture) -> None:
            if lecture is not None:
                self._fill(select=lecture.id)
                focus_now(self._lectures)

        self.app.push_screen(LectureDialog(), made)

    def action_cancel(self) -> None:
        self.dismiss(None)
