"""The audit trail for managers, read only: who changed what and when, newest first.

``a`` on the dashboard opens it (managers and the principal). A busy center's trail holds a
million rows, so it is read in pages of 500 in a thread: the newest first, older ones with
``m`` or when the cursor reaches the last row. ``/`` filters (who, action, table, changes,
reason: the database is asked, so a match among old rows is found too); Enter shows a row's
whole change JSON; ``v`` checks the hash chain and says whether it holds. Stored text is
shown as it is.
"""

from __future__ import annotations

import json

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from desk.dal import audit as audit_dal
from desk.i18n import t
from desk.screens.base import DeskModal, DeskScreen
from desk.widgets.filterable_table import FilterableTable
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.header import DeskHeader
from desk.widgets.long_table import LongTable
from desk.widgets.markup import literal

_COLUMNS = ("time", "who", "action", "what", "row", "changes")
_SUMMARY_WIDTH = 80


class AuditScreen(DeskScreen):
    BINDINGS = [
        Binding("escape", "back", "audit.k_back"),
        Binding("slash", "search", "audit.k_search"),
        # A priority key, so the footer names it over the table's own Enter.
        Binding("enter", "detail", "audit.k_detail", priority=True),
        Binding("m", "more", "audit.k_more"),
        Binding("v", "verify", "audit.k_verify"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._head = Static("", id="au-head")
        self._table = LongTable([(key, t(f"audit.col_{key}")) for key in _COLUMNS], id="au-table", cursor_type="row",
                                zebra_stripes=True)
        self._filter = FilterableTable(self._table, placeholder=t("audit.search_placeholder"), search_id="au-search",
                                       id="au-filter")
        self._rows: list[audit_dal.AuditRow] = []
        self._more = False  # whether older rows than the last shown match
        self._loading = False

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield Static(t("audit.title"), classes="panel-title")
        yield self._head
        yield self._filter
        yield DeskFooter()

    def on_mount(self) -> None:
        self._load(older=False)
        focus_now(self._table)

    def _load(self, older: bool) -> None:
        """Read a page in a thread: the newest rows that match (``older``: the ones after the
        last row shown). A newer read (a filter typed) drops an older one's result."""
        store = self.store
        where = audit_dal.AuditFilter(text=self._filter.text)
        before = self._rows[-1].id if older and self._rows else None
        self._loading = True
        self.in_thread(lambda: audit_dal.entries(store, where, before_id=before, limit=audit_dal.PAGE),
                       lambda page: self._show(page, older), group="audit", exclusive=True)

    def _show(self, page: list[audit_dal.AuditRow], older: bool) -> None:
        self._loading = False
        cursor = self._table.cursor_row if older else 0
        self._rows = [*self._rows, *page] if older else page
        self._more = len(page) == audit_dal.PAGE
        store = self.store
        self._table.show([
            (str(row.id), (store.local(row.at).strftime("%Y-%m-%d %H:%M"), row.actor or t("audit.desk_itself"),
                           row.action, row.table_name, "" if row.row_id is None else str(row.row_id),
                           audit_dal.summary(row, _SUMMARY_WIDTH)))
            for row in self._rows
        ], cursor_row=cursor)
        self._head.update(t("audit.shown_more" if self._more else "audit.shown", n=len(self._rows)))

    @on(FilterableTable.Filtered)
    def _filtered(self) -> None:
        self._load(older=False)

    @on(DataTable.RowHighlighted, "#au-table")
    def _at_row(self, event: DataTable.RowHighlighted) -> None:
        """Scrolling onto the last row reads the next page."""
        if event.cursor_row == len(self._rows) - 1:
            self.action_more()

    @on(DataTable.RowSelected, "#au-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        """A click on the highlighted row opens it too (the keyboard's Enter is the screen's)."""
        event.stop()
        self.action_detail()

    def action_more(self) -> None:
        if self._more and not self._loading:
            self._load(older=True)

    def action_detail(self) -> None:
        """The highlighted row's change JSON; Enter in the filter box goes back to the table."""
        if self.focused is self._filter.search:
            focus_now(self._table)
            return
        key = self._table.cursor_key
        row = next((r for r in self._rows if str(r.id) == key), None)
        if row is not None:
            self.app.push_screen(AuditDetail(row))

    def action_search(self) -> None:
        self._filter.open()

    def action_verify(self) -> None:
        """Recompute the chain in a thread (a million rows take a while) and say the result."""
        store = self.store
        self.notify(t("audit.verifying"))
        self.in_thread(lambda: audit_dal.verify_chain(store), self._verified, group="audit-verify", exclusive=True)

    def _verified(self, check: audit_dal.ChainCheck) -> None:
        if check.broken_id is None:
            self.notify(t("audit.intact", n=check.rows))
        elif check.after_id is None:
            self.notify(t("audit.broken_first", id=check.broken_id), severity="error", timeout=30)
        else:
            self.notify(t("audit.broken", id=check.broken_id, after=check.after_id), severity="error", timeout=30)

    def action_back(self) -> None:
        if self._filter.searching:
            self._filter.close()
            focus_now(self._table)
            return
        self.dismiss()


class AuditDetail(DeskModal):
    """One audit row's whole change JSON, indented, over the trail."""

    BINDINGS = [Binding("escape,enter,q", "dismiss", "audit.k_close")]

    def __init__(self, row: audit_dal.AuditRow) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        row = self.row
        try:
            text = json.dumps(json.loads(row.changes), ensure_ascii=False, indent=2)
        except ValueError:
            text = row.changes
        with Vertical(id="au-detail", classes="dialog-box"):
            yield Static(literal(t("audit.detail_title", id=row.id, action=row.action, table=row.table_name,
                                   row="" if row.row_id is None else row.row_id)), classes="panel-title")
            if row.reason:
                yield Static(t("audit.detail_reason", reason=literal(row.reason)))
            with VerticalScroll(id="au-json"):
                yield Static(literal(text), id="au-json-text")
        yield DeskFooter()
