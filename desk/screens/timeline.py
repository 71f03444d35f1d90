"""The lead timeline: every call, visit, note, follow-up and payment of one person, newest
first. ``t`` on any list where a lead appears opens it; ``/`` filters; Esc goes back."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from desk.dal import notes as notes_dal
from desk.dal import referrals as referrals_dal
from desk.dal import timeline as timeline_dal
from desk.i18n import t
from desk.phones import display
from desk.screens.base import DeskScreen
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
    ]

    def __init__(self, lead_id: int) -> None:
        super().__init__()
        self.lead_id = lead_id
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
        store = self.store
        self.lead, self.events = timeline_dal.events(store, self.lead_id)
        lead = self.lead
        if lead is not None:
            head = t("timeline.head", name=literal(lead.name or "?"), phone=display(lead.phone) if lead.phone else "",
                     stage=t(f"timeline.stage_{lead.stage}"), n=len(self.events))
            self._head.update(head + _referred_by(store, lead.id) + "\n" + verdict_text(lead.valid, notes_dal.reasons(lead)))
        # Each row's text once: typing in the filter only picks rows.
        self._rows = []
        for event in self.events:
            what = t(f"timeline.kind_{event.kind}")
            cells = (store.local(event.at).strftime("%Y-%m-%d %H:%M"), what, event.who or "", _summary(store, event))
            self._rows.append((f"{event.ref}:{event.kind}", cells, f"{what} {cells[3]} {cells[2]}".lower()))
        self._fill()
        focus_now(self._table)

    def _fill(self) -> None:
        text = self._filter.text.strip().lower()
        self._table.show([(key, cells) for key, cells, words in self._rows if text in words])

    def action_search(self) -> None:
        self._filter.open()

    @on(FilterableTable.Filtered)
    def _changed(self) -> None:
        self._fill()

    def action_reassign(self) -> None:
        """The manager gives this lead to another consultant; a fresh timeline shows it."""
        from desk.screens.reassign import open_reassign

        open_reassign(self, self.lead_id, lambda: self.app.switch_screen(TimelineScreen(self.lead_id)))

    def action_back(self) -> None:
        if self._filter.searching and self._filter.text:
            self._filter.close()
            focus_now(self._table)
            return
        self.dismiss()
