"""The outcome dialog: visited, trial booked / attended, enrolled, balance paid, refund.

What is typed in it is kept on disk until it is saved or the dialog closed, and opens again
on the notes screen after desk closed (desk.widgets.keeper).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from desk.dal import outcomes as oc_dal
from desk.drafts import Draft
from desk.errors import FieldError
from desk.i18n import t
from desk.screens.base import DeskModal
from desk.widgets.focus import focus_now
from desk.widgets.forms import error_text, parse_date, parse_money, parse_when, yuan
from desk.widgets.keeper import KeepsDrafts, keeper
from desk.widgets.markup import literal

OUTCOMES = ("visited", "trial_booked", "trial_attended", "enrolled", "balance_paid", "refund")
FIELDS = {
    "visited": (),
    "trial_booked": ("course", "when"),  # as drawn: Enter goes down (issue 12 §15)
    "trial_attended": (),
    "enrolled": ("course", "amount", "paid", "due"),
    "balance_paid": ("amount",),
    "refund": ("amount", "reason"),
}
ALL_FIELDS = ("course", "amount", "paid", "due", "when", "reason")


class OutcomeDialog(KeepsDrafts, DeskModal):
    BINDINGS = [Binding("escape", "cancel", "keys.cancel")]

    def __init__(self, lead_id: int, lead_name: str, restored: Draft | None = None) -> None:
        """``restored``: the outcome was being typed when desk closed, and this is its draft."""
        super().__init__()
        self.lead_id = lead_id
        self.lead_name = lead_name
        self.restored = restored
        self.choice: str | None = None
        self._inputs: dict[str, Input] = {}
        self._errors: dict[str, Static] = {}  # the line under each field
        self._kind = OptionList(*(Option(t(f"notes.oc_{k}"), id=k) for k in OUTCOMES), id="oc-kind")
        self._status = Static("", id="oc-status")
        self._error = Static("", id="oc-error", classes="field-error")

    def compose(self) -> ComposeResult:
        with Vertical(id="oc-box", classes="dialog-box"):
            mark = f" · {t('drafts.mark')}" if self.restored is not None else ""
            yield Static(t("notes.outcome_title", name=literal(self.lead_name)) + mark, classes="panel-title")
            yield self._status
            yield self._kind
            for name in ALL_FIELDS:
                yield Label(t(f"notes.oc_field_{name}"), id=f"oc-{name}-label")
                self._inputs[name] = box = Input(id=f"oc-{name}", placeholder=t(f"notes.oc_ph_{name}"))
                yield box
                self._errors[name] = error = Static("", id=f"oc-{name}-error", classes="field-error")
                yield error
            yield self._error
            yield Static(t("notes.oc_hint"), classes="hint")

    def on_mount(self) -> None:
        self._show_fields(())
        rows = oc_dal.enrollments(self.store, self.lead_id)
        if rows:
            e, paid, refunded = rows[0]
            self._status.update(
                t("notes.oc_status", course=e.course, amount=yuan(e.amount_fen), paid=yuan(paid),
                  balance=yuan(e.amount_fen - paid), refunded=yuan(refunded))
            )
        if self.restored is not None:
            keeper(self.app).adopt(self.restored)
        if self.restored is not None and FIELDS.get(self.restored.data.get("choice"), ()):
            self._restore(self.restored.data)
        else:
            focus_now(self._kind)

    def drafts(self) -> list[Draft]:
        fields = {name: box.value for name, box in self._inputs.items()}
        if not any(value.strip() for value in fields.values()):
            return []
        return [Draft("outcome", {"lead_id": self.lead_id, "name": self.lead_name, "choice": self.choice, "fields": fields})]

    def _restore(self, data: dict) -> None:
        self.choice = data["choice"]
        self._kind.highlighted = OUTCOMES.index(self.choice)
        names = FIELDS[self.choice]
        self._show_fields(names)
        for name, box in self._inputs.items():
            box.value = str(data["fields"].get(name, ""))
        box = next((self._inputs[n] for n in names if not self._inputs[n].value.strip()), self._inputs[names[-1]])
        focus_now(box)
        box.call_after_refresh(box.action_end)

    def _show_fields(self, names) -> None:
        for name in ALL_FIELDS:
            shown = name in names
            for suffix in ("-label", "", "-error"):
                self.query_one(f"#oc-{name}{suffix}").display = shown

    @on(OptionList.OptionSelected, "#oc-kind")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.choice = event.option.id
        names = FIELDS[self.choice]
        self._show_fields(names)
        if names:
            focus_now(self._inputs[names[0]])
        else:
            self._save()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        names = FIELDS.get(self.choice or "", ())
        current = (event.input.id or "").removeprefix("oc-")
        if current in names and names.index(current) < len(names) - 1:
            focus_now(self._inputs[names[names.index(current) + 1]])
            return
        self._save()

    def _value(self, name: str) -> str:
        return self._inputs[name].value

    def _save(self) -> None:
        for error in self._errors.values():
            error.update("")
        self._error.update("")
        user = getattr(self.app, "user", None)
        staff_id = user.id if user else None
        try:
            self._apply(staff_id)
        except FieldError as err:
            target = err.field if err.field in ALL_FIELDS else None
            if target:
                self._errors[target].update(error_text(err))
                focus_now(self._inputs[target])
            else:
                self._error.update(error_text(err))
            return
        self.dismiss(self.choice)

    def _enrollment_id(self) -> int:
        rows = oc_dal.enrollments(self.store, self.lead_id)
        if not rows:
            raise FieldError("outcome", "notes.err_no_enrollment")
        return rows[0][0].id

    def _apply(self, staff_id: int | None) -> None:
        store = self.store
        choice = self.choice
        if choice == "visited":
            oc_dal.mark_visited(store, self.lead_id, staff_id)
        elif choice == "trial_booked":
            when = parse_when(self._value("when"), store.now(), "when")
            oc_dal.book_trial(store, self.lead_id, when, self._value("course"), staff_id)
        elif choice == "trial_attended":
            trial = oc_dal.open_trial(store, self.lead_id)
            if trial is None:
                raise FieldError("outcome", "notes.err_no_trial")
            oc_dal.attend_trial(store, trial.id)
        elif choice == "enrolled":
            amount = parse_money(self._value("amount"), "amount", allow_zero=False)
            paid = parse_money(self._value("paid") or "0", "paid")
            due_text = self._value("due")
            due = parse_date(due_text, store.today(), "due") if due_text.strip() else None
            oc_dal.enroll(store, self.lead_id, course=self._value("course"), amount_fen=amount, paid_fen_now=paid,
                          due_on=due, staff_id=staff_id, config=getattr(self.app, "config", None))
        elif choice == "balance_paid":
            enrollment_id = self._enrollment_id()
            oc_dal.pay_balance(store, enrollment_id, parse_money(self._value("amount"), "amount", allow_zero=False))
        elif choice == "refund":
            enrollment_id = self._enrollment_id()
            amount = parse_money(self._value("amount"), "amount", allow_zero=False)
            oc_dal.refund(store, enrollment_id, amount, self._value("reason"))

    def action_cancel(self) -> None:
        self.dismiss(None)
