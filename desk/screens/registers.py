"""The referral and internal registers (F11, docs/domain.md §6.3): today's rows, and a form to add one.

The form (name, phone, course, age, education, referrer, notes) adds a row to the register
whose tab is showing (Ctrl+T switches between "Referrals" and "Internal"). The referrer is
typed as a name or phone: staff and students that match are offered below the field (↓ then
Enter picks one); a name typed in full is found on save. Ctrl+S saves, and the row appears
in the tab's table with its owner (the referring student's fee-collecting consultant, or
nobody until the supervisor assigns one) and its validity. Reads and saves run off the UI
thread (``DeskScreen.in_thread``); another workstation's rows appear as they are saved.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from desk.dal import referrals as referrals_dal
from desk.errors import FieldError
from desk.i18n import t
from desk.phones import display
from desk.screens.base import DeskScreen
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.forms import error_text, parse_age
from desk.widgets.header import DeskHeader
from desk.widgets.markup import literal
from desk.widgets.table import DeskTable
from desk.widgets.verdict import reason_lines

_FIELDS = ("name", "phone", "course", "age", "education", "referrer", "notes")
# Who owns each row and whether it counts come first: at 80 columns the phone and course scroll.
_COLUMNS = ("time", "name", "referrer", "kind", "owner", "valid", "phone", "course")


class RegistersScreen(DeskScreen):
    BINDINGS = [
        Binding("ctrl+s", "save", "registers.k_save"),
        Binding("ctrl+t", "switch_register", "registers.k_switch"),
        Binding("ctrl+r", "clear_form", "registers.k_clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        # compact (one line each): the whole form fits beside the table at 80x24
        self._inputs = {name: Input(placeholder=t(f"registers.ph_{name}"), id=f"rg-{name}", compact=True) for name in _FIELDS}
        self._errors = {name: Static("", id=f"rg-{name}-error", classes="field-error") for name in (*_FIELDS, "channel")}
        self._hits = OptionList(id="rg-hits")
        self._suggested: dict[str, referrals_dal.Referrer] = {}
        self._picked: referrals_dal.Referrer | None = None
        self._tables = {channel: DeskTable(id=f"rg-table-{channel}", cursor_type="row", zebra_stripes=True)
                        for channel in referrals_dal.CHANNELS}
        self._saving = False

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        with Horizontal(id="rg"):
            with VerticalScroll(id="rg-form"):
                yield Static("", id="rg-form-title", classes="panel-title")
                yield Static("", id="rg-result")
                for name in _FIELDS:
                    with Horizontal(classes="rg-field"):
                        yield Label(t(f"registers.f_{name}"))
                        yield self._inputs[name]
                    if name == "referrer":
                        yield self._hits
                    yield self._errors[name]
                yield self._errors["channel"]
            with TabbedContent(id="rg-tabs", initial="referral"):
                for channel in referrals_dal.CHANNELS:
                    with TabPane(t(f"registers.tab_{channel}"), id=channel):
                        yield self._tables[channel]
        yield DeskFooter()

    def on_mount(self) -> None:
        for table in self._tables.values():
            for key in _COLUMNS:
                table.add_column(t(f"registers.col_{key}"), key=key)
        self._hits.display = False
        self._clear_errors()
        self._show_channel()
        focus_now(self._inputs["name"])

    def on_screen_resume(self) -> None:
        self.read_in_thread()

    # ----- the registers ------------------------------------------------------------------------
    @property
    def channel(self) -> str:
        return self.query_one(TabbedContent).active or "referral"

    def live_read(self):
        store = self.store
        today = store.today()
        return lambda: (referrals_dal.referral_register(store, today), referrals_dal.internal_register(store, today))

    def show_read(self, data) -> None:
        for channel, rows in zip(referrals_dal.CHANNELS, data, strict=True):
            self._tables[channel].sync([(str(row.lead_id), self._cells(row)) for row in rows])

    def _cells(self, row: referrals_dal.RegisterRow) -> tuple:
        valid = "" if row.valid is None else t("registers.valid_yes" if row.valid else "registers.valid_no")
        return (self.store.local(row.at).strftime("%H:%M"), row.name, row.referrer or "",
                t(f"registers.kind_{row.referrer_kind}") if row.referrer_kind else "", row.owner or t("registers.unowned"),
                valid, display(row.phone) if row.phone else "", row.course or "")

    def action_switch_register(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "internal" if self.channel == "referral" else "referral"

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self._show_channel()

    def _show_channel(self) -> None:
        self.query_one("#rg-form-title", Static).update(t("registers.form_title", register=t(f"registers.tab_{self.channel}")))

    # ----- the referrer -------------------------------------------------------------------------
    @on(Input.Changed, "#rg-referrer")
    def _referrer_typed(self, event: Input.Changed) -> None:
        """Offer staff and students matching what is typed, read in a thread (the newest wins)."""
        if self._picked is not None and event.value == self._picked.name:
            return  # the pick itself filled the field
        self._picked = None
        typed, store = event.value, self.store
        if not typed.strip():
            self._show_hits(typed, [])
            return
        self.in_thread(lambda: referrals_dal.suggest_referrers(store, typed), lambda hits: self._show_hits(typed, hits),
                       group="referrer", exclusive=True)

    def _show_hits(self, typed: str, hits: list[referrals_dal.Referrer]) -> None:
        if typed != self._inputs["referrer"].value:
            return
        self._hits.clear_options()
        self._suggested = {f"{hit.kind}:{hit.id}": hit for hit in hits}
        self._hits.add_options(Option(self._hit_text(hit), id=key) for key, hit in self._suggested.items())
        self._hits.display = bool(hits)
        if hits:  # at 80x24 the list may open below the fold: bring it up under the field
            self.call_after_refresh(self._hits.scroll_visible, animate=False)

    @staticmethod
    def _hit_text(hit: referrals_dal.Referrer) -> str:
        phone = f" · {display(hit.phone)}" if hit.phone else ""
        return f"{literal(hit.name)} · {t(f'registers.kind_{hit.kind}')}{phone}"

    def on_key(self, event) -> None:
        """↓ in the referrer field goes down into the suggestions (the form's scroll would take it)."""
        if event.key == "down" and self._hits.display and self.focused is self._inputs["referrer"]:
            focus_now(self._hits)
            self._hits.highlighted = 0
            event.stop()

    @on(OptionList.OptionSelected, "#rg-hits")
    def _hit_chosen(self, event: OptionList.OptionSelected) -> None:
        self._picked = self._suggested[str(event.option.id)]
        self._inputs["referrer"].value = self._picked.name
        self._hits.display = False
        focus_now(self._inputs["notes"])

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last one it saves."""
        if event.input is self._inputs["notes"]:
            self.action_save()
        else:
            self.focus_next()

    # ----- saving -------------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.query_one("#rg-result", Static).update(text)

    def action_save(self) -> None:
        if self._saving:
            return
        self._clear_errors()
        self._say("")
        values = {name: box.value for name, box in self._inputs.items()}
        try:
            age = parse_age(values["age"])
        except FieldError as err:
            self._refused(err)
            return
        store, channel, picked = self.store, self.channel, self._picked
        region = self.desk.config.center.phone_region

        def save() -> referrals_dal.Added:
            who = picked or referrals_dal.resolve_referrer(store, values["referrer"], region)
            return referrals_dal.add_referral(
                store, channel=channel, name=values["name"], phone=values["phone"], course_interest=values["course"],
                age=age, education=values["education"], notes=values["notes"], region=region,
                referrer_lead_id=None if who.is_staff else who.id, referrer_staff_id=who.id if who.is_staff else None,
            )

        self._saving = True
        self.in_thread(save, self._saved, failed=self._failed, group="save")

    def _failed(self, err: Exception) -> None:
        self._saving = False
        if isinstance(err, FieldError):
            self._refused(err)

    def _refused(self, err: FieldError) -> None:
        field = err.field if err.field in self._errors else "name"
        self._errors[field].update(error_text(err))
        self._errors[field].display = True
        if field in self._inputs:
            focus_now(self._inputs[field])

    def _saved(self, added: referrals_dal.Added) -> None:
        self._saving = False
        owner = t("registers.owner", name=literal(added.owner)) if added.owner else t("registers.unowned_long")
        valid = t("registers.valid_yes") if added.valid else t("registers.valid_no") + ": " + "; ".join(reason_lines(list(added.reasons)))
        key = "registers.saved" if added.new_lead else "registers.saved_known"
        text = t(key, name=literal(added.name), phone=display(added.phone), owner=owner, valid=valid)
        self.action_clear_form()
        self._say(text)
        self.app.notify(text, title=t("common.saved"))
        self.read_in_thread()

    def _clear_errors(self) -> None:
        """An error line takes room only while it says something: the form fits at 80x24."""
        for error in self._errors.values():
            error.update("")
            error.display = False

    def action_clear_form(self) -> None:
        for box in self._inputs.values():
            box.value = ""
        self._clear_errors()
        self._picked = None
        self._hits.display = False
        self._say("")
        focus_now(self._inputs["name"])
