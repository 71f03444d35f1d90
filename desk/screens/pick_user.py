"""Who is at the keyboard: picked at start (remembered per workstation), F9 to switch.

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

from desk.dal import staff as staff_dal
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

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-user-box", classes="dialog-box"):
            yield Static(t("pick_user.title"), classes="panel-title")
            yield Input(placeholder=t("pick_user.filter"), id="pick-user-filter")
            yield OptionList(id="pick-user")
            yield Static(t("pick_user.hint"), classes="hint")

    def on_mount(self) -> None:
        from desk.workstation import remembered_user

        self._people = {str(p.id): p for p in staff_dal.list_staff(self.store)}
        self._readings: dict[str, tuple[tuple[str, str], ...]] = {}
        user = getattr(self.app, "user", None)
        last = user.id if user is not None else remembered_user(getattr(self.app, "database", ""))
        self._show(start=str(last) if last is not None else None)
        if not self._people:
            self.query_one(".hint", Static).update(t("pick_user.no_staff"))
        focus_now(self.query_one(Input))
        people = [(key, p.name) for key, p in self._people.items()]
        self.in_thread(lambda: _readings_of(people), self._readings_ready)

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
        self._show()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._pick()

    def action_move(self, rows: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else 0
            options.highlighted = max(0, min(options.option_count - 1, current + rows))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._people[event.option.id])

    def _pick(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(self._people[options.get_option_at_index(options.highlighted).id])

    def action_cancel(self) -> None:
        self.dismiss(None)


def _readings_of(people: list[tuple[str, str]]) -> dict[str, tuple[tuple[str, str], ...]]:
    from desk.search_keys import name_readings

    return {key: name_readings(name) for key, name in people}
