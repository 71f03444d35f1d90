"""The lead timeline: every call, visit, note, follow-up and payment of one person, newest
first. ``t`` on any list where a lead appears opens it; ``/`` filters; Esc goes back."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Static

from desk.dal import notes as notes_dal
from desk.dal import timeline as timeline_dal
from desk.i18n import t
from desk.phones import display
from desk.screens.base import DeskScreen
from desk.widgets.forms import translate_keys, yuan


def open_timeline(app, lead_id: int) -> None:
    app.push_screen(TimelineScreen(lead_id))


def _summary(store, event) -> str:
    parts = event.what.split("|")
    kind = event.kind
    if kind == "call":
        return " · ".join(p for p in (t(f"calltypes.{parts[0]}") if parts[0] else "", t(f"outcomes.{parts[1]}") if parts[1] else "", parts[2]) if p)
    if kind == "visit":
        return t(f"walkins.type_{parts[0]}")
    if kind == "note":
        return " · ".join(p for p in (t(f"notes.kind_{parts[0]}"), *parts[1:]) if p)
    if kind == "follow_up":
        due = store.local(__import__("datetime").datetime.fromisoformat(parts[1])).strftime("%m-%d %H:%M")
        return " · ".join(p for p in (t(f"followups.kind_{parts[0]}"), t("timeline.due", at=due), parts[2]) if p)
    if kind == "follow_up_done":
        return " · ".join(p for p in (t(f"followups.kind_{parts[0]}"), t(f"followups.result_{parts[1]}"), parts[2]) if p)
    if kind == "trial":
        return " · ".join(p for p in (parts[0], t("timeline.attended") if parts[2] == "True" else "") if p)
    if kind == "enrollment":
        return f"{parts[0]} · {yuan(int(parts[1]))}"
    if kind in ("payment", "refund"):
        return " · ".join(p for p in (yuan(int(parts[1])), parts[2]) if p)
    return event.what


class TimelineScreen(DeskScreen):
    DEFAULT_CSS = """
    #tl-head { height: auto; padding: 0 1; background: $boost; }
    #tl-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "timeline.k_back"),
        Binding("slash", "search", "timeline.k_search"),
    ]

    def __init__(self, lead_id: int) -> None:
        super().__init__()
        translate_keys(self)
        self.lead_id = lead_id

    def compose(self) -> ComposeResult:
        yield Header(show_clock=True)
        yield Static("", id="tl-head")
        search = Input(placeholder=t("timeline.search_placeholder"), id="tl-search")
        search.display = False
        yield search
        yield DataTable(id="tl-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#tl-table", DataTable)
        for key in ("when", "what", "who", "detail"):
            table.add_column(t(f"timeline.col_{key}"), key=key)
        self.lead, self.events = timeline_dal.events(self.store, self.lead_id)
        lead = self.lead
        if lead is not None:
            from desk.screens.notes import verdict_text

            head = t("timeline.head", name=lead.name or "?", phone=display(lead.phone) if lead.phone else "",
                     stage=t(f"timeline.stage_{lead.stage}"), n=len(self.events))
            self.query_one("#tl-head", Static).update(head + "\n" + verdict_text(lead.valid, notes_dal.reasons(lead)))
        self._fill()
        table.focus()

    def _fill(self) -> None:
        text = self.query_one("#tl-search", Input).value.strip().lower()
        table = self.query_one("#tl-table", DataTable)
        table.clear()
        for event in self.events:
            summary = _summary(self.store, event)
            what = t(f"timeline.kind_{event.kind}")
            if text and text not in f"{what} {summary} {event.who or ''}".lower():
                continue
            table.add_row(self.store.local(event.at).strftime("%Y-%m-%d %H:%M"), what, event.who or "", summary, key=f"{event.ref}:{event.kind}")

    def action_search(self) -> None:
        box = self.query_one("#tl-search", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#tl-search")
    def _changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#tl-search")
    def _done(self) -> None:
        self.query_one("#tl-table", DataTable).focus()

    def action_back(self) -> None:
        box = self.query_one("#tl-search", Input)
        if box.display and box.value:
            box.value = ""
            box.display = False
            self.query_one("#tl-table", DataTable).focus()
            return
        self.dismiss()
