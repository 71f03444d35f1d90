"""The key footer of every desk screen, remounting its keys only when they changed.

Textual's Footer removes and remounts every key widget (and restyles each) on every
bindings signal: opening the lead timeline sends five in a row (focus, screen stack, ...),
and showing the follow-up queue again sends one although no key changed, ~20 ms each,
before the queue's fresh rows can be painted. This one compares what it would show with
what it shows and skips the remount when they are the same.

At 80 columns a footer of eleven keys was cut after F6, hiding F12 (issue 12 §14). The keys
are shown in the order a user needs them: the screen's own first, then the screens (F2–F12),
then the other function keys (help, switch user), then the rest; and compact (no padding) below 120
columns, so the home screen's keys up to F12 fit at 80.
"""

from __future__ import annotations

import re

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

WIDE = 120  # columns from which the keys get their padding back


class DeskFooter(Footer):
    _shown: tuple | None = None

    def _keys(self) -> tuple:
        """Everything the footer's keys are made from (nothing until the screen's bindings are
        ready: asking a screen still composing for them runs its check_action too early)."""
        if not self._bindings_ready:
            return (False,)
        return (
            True,
            self.compact,
            self.show_command_palette,
            tuple(
                (binding.key, binding.key_display, binding.description, binding.action, binding.group, enabled, tooltip)
                for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
                if binding.show
            ),
        )

    def compose(self):
        self._shown = self._keys()
        widgets = list(super().compose())
        if not self._bindings_ready:  # nothing to order, and the screen may be composing
            yield from widgets
            return
        app_keys = set(self.app._bindings.key_to_bindings)
        screen_keys = {binding.key for node, binding, _e, _t in self.screen.active_bindings.values() if node is not self.app}

        def rank(position: int) -> tuple:
            widget = widgets[position]
            key = widget.key if isinstance(widget, FooterKey) else ""
            action = widget.action if isinstance(widget, FooterKey) else ""
            if key in screen_keys and key not in app_keys:
                return (0, position)
            if action.startswith("switch_mode("):
                return (1, position)
            if re.fullmatch(r"f\d+", key):
                return (2, position)
            return (3, position)

        for position in sorted(range(len(widgets)), key=rank):
            yield widgets[position]

    def on_resize(self) -> None:
        self.compact = self.size.width < WIDE

    async def recompose(self) -> None:
        if self.is_attached and self._shown is not None and self._keys() == self._shown:
            return
        await super().recompose()
