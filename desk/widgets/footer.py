"""The key footer of every desk screen, remounting its keys only when they changed.

Textual's Footer removes and remounts every key widget (and restyles each) on every
bindings signal: opening the lead timeline sends five in a row (focus, screen stack, ...),
and showing the follow-up queue again sends one although no key changed, ~20 ms each,
before the queue's fresh rows can be painted. This one compares what it would show with
what it shows and skips the remount when they are the same.
"""

from __future__ import annotations

from textual.widgets import Footer


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
        yield from super().compose()

    async def recompose(self) -> None:
        if self.is_attached and self._shown is not None and self._keys() == self._shown:
            return
        await super().recompose()
