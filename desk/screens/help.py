"""F1 / ?: every key that works here, the screen's own first, then desk's."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from desk.i18n import t
from desk.screens.base import DeskModal


class HelpScreen(DeskModal):
    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "keys.close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="dialog-box"):
            yield Static(t("help.title"), classes="panel-title")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(t("help.close_hint"), classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(t("help.col_key"), t("help.col_action"))
        seen: set[tuple[str, str]] = set()
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else self.app.screen
        for node in (*_focus_chain(below), below, self.app):
            own = _desk_keys(node)
            for key, bindings in node._bindings.key_to_bindings.items():
                if key not in own:
                    continue
                for binding in bindings:
                    if not binding.description:
                        continue
                    display = binding.key_display or self.app.get_key_display(binding)
                    row = (display, binding.description)
                    if row not in seen:
                        seen.add(row)
                        table.add_row(*row)


def _desk_keys(node) -> set[str]:
    """The keys desk's own classes bind on ``node``. Textual's widget keys (cursor moves, text
    editing, scrolling) work the same everywhere, have no translation, and would push desk's
    keys off the first page of this list."""
    keys: set[str] = set()
    for cls in type(node).__mro__:
        if cls.__module__.startswith("desk."):
            for binding in cls.__dict__.get("BINDINGS", ()):
                spec = binding.key if isinstance(binding, Binding) else binding[0]
                keys.update(part.strip() for part in spec.split(","))
    return keys


def _focus_chain(screen):
    focused = screen.focused
    nodes = []
    while focused is not None and focused is not screen:
        nodes.append(focused)
        focused = focused.parent
    return nodes
