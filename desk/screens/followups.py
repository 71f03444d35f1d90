"""The follow-up queue (回访, docs/domain.md §7.4): the consultant's own, the manager's everyone's.

Overdue first in red with how late, then due today, then upcoming. Done only with a result
(``d``), reschedule with one key and a time (``s``), filter by kind (``k``) and consultant
(``o``), ``/`` searches, ``t`` opens the lead's timeline. Promised visits that passed are
swept into the queue when it opens and every minute. A result or a reassignment being
typed when desk closed opens again here, marked restored (desk.widgets.keeper).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from desk.dal import followups as fu_dal
from desk.dal import staff as staff_dal
from desk.drafts import Draft
from desk.errors import FieldError
from desk.i18n import t
from desk.models.followup import FOLLOW_UP_KINDS
from desk.models.staff import MANAGER_ROLES
from desk.screens.base import DeskModal, DeskScreen
from desk.screens.phone_view import shown
from desk.widgets.filterable_table import FilterableTable
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.forms import error_text, parse_when
from desk.widgets.header import DeskHeader
from desk.widgets.keeper import KeepsDrafts, keeper
from desk.widgets.live import update_text
from desk.widgets.long_table import LongTable
from desk.widgets.markup import literal

_BUCKET_STYLE = {"overdue": "bold red", "today": "yellow", "upcoming": ""}
_RESULTS = ("reached", "not_reached", "rescheduled", "closed")


def late_text(minutes: int) -> str:
    if minutes >= 1440:
        return t("followups.late_days", n=minutes // 1440)
    if minutes >= 60:
        return t("followups.late_hours", n=minutes // 60)
    return t("followups.late_minutes", n=minutes)


def outreach_line(counts: fu_dal.DayCounts) -> str:
    """Outdoor promotion today against the targets: contacts per street promotion, forms per
    event, one figure per activity run (green when the target is met)."""
    from desk.rules.outreach import meets

    def figures(values: tuple[int, ...], target: int) -> str:
        return ", ".join(f"[{'green' if meets(n, target) else 'yellow'}]{n}[/]" for n in values) or "—"

    return t("outreach.day_line", street=figures(counts.street_contacts, counts.street_target), st=counts.street_target,
             forms=figures(counts.event_forms, counts.event_target), et=counts.event_target)


class ResultDialog(KeepsDrafts, DeskModal):
    """Finish one follow-up: reached / not reached / rescheduled to <time> / closed with reason."""

    BINDINGS = [Binding("escape", "cancel", "keys.cancel")]

    def __init__(self, follow_up_id: int, title: str, reschedule: bool = False, restored: Draft | None = None) -> None:
        """``restored``: the result was being typed when desk closed, and this is its draft."""
        super().__init__()
        self.follow_up_id = follow_up_id
        self.title_text = title
        self.start_rescheduling = reschedule
        self.restored = restored
        self.choice: str | None = None
        self._when = Input(placeholder=t("followups.when_placeholder"), id="fu-when")
        self._note = Input(placeholder=t("followups.note_placeholder"), id="fu-note")
        self._results = OptionList(*(Option(t(f"followups.result_{r}"), id=r) for r in _RESULTS), id="fu-results")

    def compose(self) -> ComposeResult:
        mark = f" · {t('drafts.mark')}" if self.restored is not None else ""
        with Vertical(id="fu-result-box", classes="dialog-box"):
            yield Static(self.title_text + mark, classes="panel-title")
            yield self._results
            yield self._when
            yield Static("", id="fu-when-error", classes="field-error")
            yield self._note
            yield Static("", id="fu-note-error", classes="field-error")
            yield Static(t("followups.result_hint"), classes="hint")

    def drafts(self) -> list[Draft]:
        if not (self._when.value.strip() or self._note.value.strip()):
            return []
        return [Draft("result", {"follow_up_id": self.follow_up_id, "title": self.title_text,
                                 "name": Text.from_markup(self.title_text).plain,
                                 "choice": self.choice, "when": self._when.value, "note": self._note.value})]

    def on_mount(self) -> None:
        if self.restored is not None:
            keeper(self.app).adopt(self.restored)
            data = self.restored.data
            self.choice = data["choice"] if data.get("choice") in _RESULTS else None
            self._when.value, self._note.value = str(data["when"]), str(data["note"])
            if self.choice is not None:
                self._results.highlighted = _RESULTS.index(self.choice)
            box = self._when if self.choice == "rescheduled" else self._note
            focus_now(box)
            box.call_after_refresh(box.action_end)
        elif self.start_rescheduling:
            self.choice = "rescheduled"
            self._results.highlighted = 2
            focus_now(self._when)
        else:
            focus_now(self._results)

    @on(OptionList.OptionSelected, "#fu-results")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.choice = event.option.id
        if self.choice == "rescheduled":
            focus_now(self._when)
        elif self.choice in ("closed", "not_reached") and not self._note.value.strip():
            # Not reached is not a quiet Enter: the note says what happened (no answer,
            # switched off) so the next attempt knows; Rescheduled sets that attempt's time.
            if self.choice == "not_reached":
                self.query_one("#fu-note-error", Static).update(t("followups.err_not_reached_note"))
            focus_now(self._note)
        else:
            self._save()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if self.choice is None:
            self.choice = "reached"
        self._save()

    def _save(self) -> None:
        when_input = self._when
        note = self._note.value
        for target in ("#fu-when-error", "#fu-note-error"):
            self.query_one(target, Static).update("")
        try:
            if self.choice == "not_reached" and not note.strip():
                raise FieldError("note", "followups.err_not_reached_note")
            when = parse_when(when_input.value, self.store.now()) if self.choice == "rescheduled" else None
            fu_dal.complete(self.store, self.follow_up_id, self.choice or "reached", note=note, reschedule_to=when)
        except FieldError as err:
            target = "#fu-note" if err.field == "note" else "#fu-when"
            if err.key == "followups.err_done_by":
                # Finished first on another workstation: both results stay in view, theirs
                # in this line and this person's still typed below it.
                first = t(f"followups.result_{err.values['result']}") + (f" · {err.values['note']}" if err.values["note"] else "")
                text = t(err.key, name=literal(err.values["name"]), at=err.values["at"], result=literal(first))
            else:
                text = error_text(err)
            self.query_one(f"{target}-error", Static).update(text)
            focus_now(self.query_one(target, Input))
            return
        self.dismiss(self.choice)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FollowUpsScreen(DeskScreen):
    BINDINGS = [
        Binding("d", "done", "followups.k_done"),
        Binding("s", "reschedule", "followups.k_reschedule"),
        Binding("k", "next_kind", "followups.k_kind"),
        Binding("o", "next_owner", "followups.k_owner"),
        Binding("slash", "search", "followups.k_search"),
        Binding("t", "timeline", "followups.k_timeline"),
        Binding("p", "outreach", "outreach.k_open"),
        Binding("a", "reassign", "reassign.k_open"),
        Binding("escape", "clear_search", "keys.cancel", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kind: str | None = None
        self.owner_id: int | None = None
        self._owner_set = False
        # Refilled when shown again: Textual resumes a mode's screen twice on its first
        # show, and each refill of 500 rows is a fifth of the key-to-painted budget.
        self._stale = True
        self._shown = False
        self._counts = Static("", id="fu-counts")
        self._filter_line = Static("", id="fu-filter")
        columns = [(key, t(f"followups.col_{key}")) for key in ("due", "late", "kind", "lead", "phone", "owner", "note")]
        self._table = LongTable(columns, id="fu-table", cursor_type="row", zebra_stripes=True)
        self._filter = FilterableTable(self._table, placeholder=t("followups.search_placeholder"), search_id="fu-search",
                                       id="fu-table-filter")

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield self._counts
        yield self._filter_line
        yield self._filter
        yield DeskFooter()

    def on_mount(self) -> None:
        self.set_interval(60, self._tick)
        self.app.screen_change_signal.subscribe(self, self._screen_changed, immediate=True)
        focus_now(self._table)
        keeper(self.app).claim(self)

    def _tick(self) -> None:
        """Every minute while shown; a screen not shown is refilled when it is shown again."""
        if self.is_current:
            self.refresh_queue()

    def _screen_changed(self, screen) -> None:
        """The first F6 to this screen built behind home: refill now, inside the mode switch,
        before it lays out and paints the screen (never laid out, it paints at once), so the
        first frame has the rows (resuming comes after that paint: an empty table, then the
        rows, ~120 ms more). Later showings refill on resume: refilling inside the switch
        then delays their frame by ~40 ms (measured, bench/queue.py)."""
        if screen is self and not self._shown:
            self._refill_if_stale()

    def on_screen_resume(self) -> None:
        self._refill_if_stale()
        self.take_drafts()

    def take_drafts(self) -> None:
        """A result or a reassignment typed when desk closed opens again over the queue, once
        it is shown (a reassignment for a manager only: the next manager at this desk gets it)."""
        if not self.is_current:
            return
        from desk.screens.reassign import ReassignDialog

        for draft in keeper(self.app).take("result", *(("reassign",) if self.is_manager else ())):
            data = draft.data
            if draft.kind == "result":
                self.app.push_screen(ResultDialog(data["follow_up_id"], data["title"], restored=draft), self._finished)
            else:
                self.app.push_screen(ReassignDialog(data["lead_id"], restored=draft), lambda _: self.refresh_queue())

    def _refill_if_stale(self) -> None:
        """Shown (first or again): sweep and refill, once per showing. desk builds this screen
        behind the others after start-up (DeskApp._build_followups), and Textual resumes it
        then too: that is no showing, and the rows are read when it is really shown."""
        if self._stale and self.is_current:
            self._stale = False
            self._shown = True
            self.refresh_queue(sweep=True)

    def on_screen_suspend(self) -> None:
        self._stale = True

    @property
    def is_manager(self) -> bool:
        user = getattr(self.app, "user", None)
        return user is not None and user.role in MANAGER_ROLES

    def _default_owner(self) -> None:
        if self._owner_set:
            return
        user = getattr(self.app, "user", None)
        if user is None:
            return
        self._owner_set = True
        self.owner_id = None if user.role in MANAGER_ROLES else user.id
        config = getattr(self.app, "config", None)
        if user.role in MANAGER_ROLES and config is not None:
            # The manager sets the targets: a table that names no one is theirs to fix.
            from desk.dal import targets as targets_dal

            for problem in targets_dal.problems(self.store, config):
                self.app.notify(problem, title=t("targets.check_title"), severity="warning", timeout=20)

    def refresh_queue(self, sweep: bool = False) -> None:
        if sweep:
            fu_dal.sweep(self.store, getattr(self.app, "config", None))
        self._default_owner()
        self.reload()

    def live_read(self):
        store, config = self.store, getattr(self.app, "config", None)
        owner_id, kind, search = self.owner_id, self.kind, self._filter.text

        def read():
            queue = fu_dal.queue(store, owner_id=owner_id, kind=kind, search=search)
            counts = fu_dal.day_counts(store, owner_id, config)
            owner = staff_dal.get_staff(store, owner_id) if owner_id is not None else None
            return queue, counts, owner, search

        return read

    def show_read(self, data) -> None:
        q, counts, person, search = data
        store, today, rows = self.store, self.store.today(), []
        for item in q.items:
            style = _BUCKET_STYLE[item.bucket]
            due = store.local(item.due_at)
            due_text = due.strftime("%H:%M") if due.date() == today else due.strftime("%m-%d %H:%M")
            rows.append((str(item.id), (
                Text(due_text, style=style),
                Text(late_text(item.late_minutes), style=style) if item.bucket == "overdue" else Text(t(f"followups.bucket_{item.bucket}"), style=style),
                t(f"followups.kind_{item.kind}"),
                item.lead_name or "",
                shown(self.app, item.phone, item.owner_id),
                item.owner or Text(t("followups.no_owner"), style="bold yellow"),
                (item.note or "")[:40],
            )))
        self._table.sync(rows)
        self._items = {str(i.id): i for i in q.items}
        update_text(self._counts,
            t("followups.counts", overdue=q.overdue, today=q.today, upcoming=q.upcoming)
            + "   "
            + t("followups.targets", done=counts.done_today, reached=counts.reached_today,
                inv=counts.invitations_today, lo=counts.invitation_min, hi=counts.invitation_max)
            + " · "
            + outreach_line(counts)
        )
        owner = t("followups.everyone")
        if self.owner_id is not None:
            owner = literal(person.name) if person else "?"
        kind = t(f"followups.kind_{self.kind}") if self.kind else t("followups.all_kinds")
        update_text(self._filter_line, t("followups.filter", kind=kind, owner=owner, search=literal(search) or "—"))

    # ----- keys -----------------------------------------------------------------------------------
    def _current(self):
        table = self._table
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._items.get(key)

    def action_done(self, reschedule: bool = False) -> None:
        if self.focused is self._filter.search:
            focus_now(self._table)
            return
        item = self._current()
        if item is None:
            return
        title = f"{t(f'followups.kind_{item.kind}')} · {literal(item.lead_name or '')}"
        self.app.push_screen(ResultDialog(item.id, title, reschedule=reschedule), self._finished)

    def _finished(self, result: str | None) -> None:
        self.refresh_queue()
        if result:
            self.app.notify(t(f"followups.result_{result}"), title=t("common.saved"))

    def action_reschedule(self) -> None:
        self.action_done(reschedule=True)

    def action_next_kind(self) -> None:
        kinds = [None, *FOLLOW_UP_KINDS]
        self.kind = kinds[(kinds.index(self.kind) + 1) % len(kinds)]
        self.refresh_queue()

    def action_next_owner(self) -> None:
        """A manager cycles everyone -> each consultant; a consultant toggles own / everyone."""
        user = getattr(self.app, "user", None)
        if self.is_manager:
            ids = [None, *(p.id for p in staff_dal.consultants(self.store))]
        else:
            ids = [user.id if user else None, None]
        self.owner_id = ids[(ids.index(self.owner_id) + 1) % len(ids)] if self.owner_id in ids else ids[0]
        self.refresh_queue()

    def action_search(self) -> None:
        self._filter.open()

    def action_clear_search(self) -> None:
        self._filter.close()
        focus_now(self._table)
        self.refresh_queue()

    @on(DataTable.RowSelected, "#fu-table")
    def _row_selected(self) -> None:
        self.action_done()

    @on(FilterableTable.Filtered)
    def _search_changed(self) -> None:
        self.refresh_queue()

    def action_outreach(self) -> None:
        """Record a street promotion, talk, fair or event and its contacts (docs/domain.md §6.2)."""
        from desk.screens.outreach import OutreachScreen

        self.app.push_screen(OutreachScreen())

    def action_reassign(self) -> None:
        """The manager gives the highlighted row's lead to another consultant (docs/domain.md §5.4)."""
        from desk.screens.reassign import open_reassign

        item = self._current()
        if item is not None:
            open_reassign(self, item.lead_id, self.refresh_queue)

    def action_timeline(self) -> None:
        item = self._current()
        if item is not None and item.lead_id is not None:
            self.desk.open_timeline(item.lead_id)
