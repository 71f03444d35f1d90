"""Who is at the keyboard: picked at start (remembered per workstation), F9 to switch.

In a center with PINs, picking a person asks for their PIN in the same dialog (the data
layer checks it, audits it and backs off after three wrong ones); Esc goes back to the list.

At start-up it is desk's first paint: the people come from the roster read without
SQLAlchemy (desk.dal.first_paint) and the store opens while the PIN is typed; the PIN is
checked once it is open (a typed PIN waits for it, a fraction of a second at most).

It opens on the last person at this workstation, so a shift starts with Enter. Typing
filters the list as desk's caller lookup does: part of the name, pinyin initials ("ln"),
full pinyin ("lina") or the extension ("800"), so anyone is two or three keys away on a
center of twenty. The list scrolls inside the dialog at 80x24; ↑↓ move the highlight over
the list while the typing stays in the filter.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from desk.i18n import t
from desk.screens.base import DeskModal
from desk.widgets.focus import focus_now


def staff_matches(query: str, name: str, extension: str | None, english_name: str | None,
                  readings: tuple[tuple[str, str], ...]) -> bool:
    """Whether ``query`` (as typed) names this person: part of the name, the start of an
    extension, of an English name, of the full pinyin or the initials of either reading."""
    text = query.strip().lower()
    if not text:
        return True
    key = "".join(ch for ch in text if ch.isalnum())
    return (
        text in name.lower()
        or bool(extension and extension.startswith(text))
        or bool(english_name and english_name.lower().startswith(text))
        or any(full.startswith(key) or initials.startswith(key) for full, initials in readings if key)
    )


class PickUserScreen(DeskModal):
    BINDINGS = [
        Binding("escape", "cancel", "keys.cancel"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("pageup", "move(-10)", show=False),
    ]

    def __init__(self, *, require_pin: bool = False, only: int | None = None, cancel: bool = True,
                 people: list | None = None) -> None:
        """``require_pin``: the center has PINs. ``only``: the one person who may answer (the
        lock screen's). ``cancel``: Esc may close the dialog (not before anyone signed in).
        ``people``: who may sign in, read at start-up (else the store lists them)."""
        super().__init__(classes="locked" if only is not None else None)
        self._given = people
        self.require_pin = require_pin
        self.only = only
        self.can_cancel = cancel
        self._chosen = None

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-user-box", classes="dialog-box"):
            yield Static(t("pick_user.locked") if self.only is not None else t("pick_user.title"), classes="panel-title")
            yield Input(placeholder=t("pick_user.filter"), id="pick-user-filter")
            yield OptionList(id="pick-user")
            yield Static("", id="pin-for", classes="pin-step")
            yield Input(password=True, placeholder=t("pick_user.pin"), id="pin", classes="pin-step")
            yield Static(t("pick_user.hint"), id="pick-user-hint", classes="hint")

    def on_mount(self) -> None:
        from desk.workstation import remembered_user

        if self._given is not None:
            people = self._given
        else:
            from desk.dal import staff as staff_dal

            people = staff_dal.list_staff(self.store)
        self._people = {str(p.id): p for p in people if self.only is None or p.id == self.only}
        self._readings: dict[str, tuple[tuple[str, str], ...]] = {}
        user = getattr(self.app, "user", None)
        # The person at the keyboard, else the one desk was started for (the last one here).
        last = user.id if user is not None else (getattr(self.app, "initial_user", None)
                                                 or remembered_user(getattr(self.app, "database", "")))
        self._show(start=str(last) if last is not None else None)
        if not self._people:
            self.query_one(".hint", Static).update(t("pick_user.no_staff"))
        focus_now(self.query_one("#pick-user-filter", Input))
        if self.only is not None and self._people:
            self._chose(next(iter(self._people.values())))
        people = [(key, p.name) for key, p in self._people.items()]
        # Once painted (at start-up, the first paint: a thread loading pypinyin meanwhile
        # would hold it up): the names' pinyin keys, and the highlighted person's working
        # screen, built behind while they type.
        self.call_after_refresh(self.in_thread, lambda: _readings_of(people), self._readings_ready)
        self.call_after_refresh(lambda: self.app.prepare_for(self.person_at_hand()))  # type: ignore[attr-defined]

    def _readings_ready(self, readings: dict[str, tuple[tuple[str, str], ...]]) -> None:
        """Pinyin keys arrive from a thread (pypinyin loads in ~0.3 s the first time): what is
        typed by then is filtered again with them."""
        self._readings = readings
        if self.query_one(Input).value:
            self._show()

    def _show(self, start: str | None = None) -> None:
        """List the people the filter matches, highlighting ``start`` (else the first)."""
        options = self.query_one(OptionList)
        query = self.query_one(Input).value
        shown = [
            (key, p) for key, p in self._people.items()
            if staff_matches(query, p.name, p.extension, p.english_name, self._readings.get(key, ()))
        ]
        options.clear_options()
        options.add_options(
            Option(f"{p.name}  {t('common.roles.' + p.role)}" + (f"  #{p.extension}" if p.extension else ""), id=key)
            for key, p in shown
        )
        if shown:
            keys = [key for key, _ in shown]
            options.highlighted = keys.index(start) if start in keys else 0
            options.scroll_to_highlight()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id == "pick-user-filter":
            self._show()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "pin":
            self._check_pin(event.value)
        else:
            self._pick()

    def action_move(self, rows: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else 0
            options.highlighted = max(0, min(options.option_count - 1, current + rows))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._chose(self._people[event.option.id])

    def _pick(self) -> None:
        person = self.person_at_hand()
        if person is not None:
            self._chose(person)

    def person_at_hand(self):
        """The person chosen (typing their PIN), else the one highlighted, else None."""
        if self._chosen is not None:
            return self._chosen
        options = self.query_one(OptionList)
        if options.highlighted is None or not options.option_count:
            return None
        return self._people[options.get_option_at_index(options.highlighted).id]

    def _chose(self, person) -> None:
        if not self.require_pin:
            self.dismiss(person)
            return
        self._chosen = person
        self.app.prepare_for(person)  # type: ignore[attr-defined]
        self.add_class("asking-pin")
        self.query_one("#pin-for", Static).update(t("pick_user.pin_for", name=person.name))
        self.query_one("#pick-user-hint", Static).update(t("pick_user.pin_hint"))
        focus_now(self.query_one("#pin", Input))

    def _check_pin(self, pin: str) -> None:
        person = self._chosen
        if person is None or not pin:
            return
        self.query_one("#pin", Input).value = ""

        def check():
            # Imported here, in the thread: at start-up the store (and SQLAlchemy) may still
            # be loading, and the UI thread must not stop for it. ``self.store`` waits for it.
            from desk.dal import identity

            return identity.sign_in(self.store, person.id, pin)

        self.in_thread(check, self._signed_in)

    def _signed_in(self, result) -> None:
        if result.staff is not None:
            self.dismiss(result.staff)
            return
        hint = self.query_one("#pick-user-hint", Static)
        hint.update(t("access.wait", seconds=result.wait_seconds) if result.wait_seconds else t("access.wrong_pin"))
        hint.add_class("field-error")

    def action_cancel(self) -> None:
        if self._chosen is not None and self.only is None:
            self._chosen = None  # back from the PIN to the list
            self.remove_class("asking-pin")
            hint = self.query_one("#pick-user-hint", Static)
            hint.update(t("pick_user.hint"))
            hint.remove_class("field-error")
            focus_now(self.query_one("#pick-user-filter", Input))
        elif self.can_cancel:
            self.dismiss(None)


def _readings_of(people: list[tuple[str, str]]) -> dict[str, tuple[tuple[str, str], ...]]:
    from desk.search_keys import name_readings

    return {key: name_readings(name) for key, name in people}
