"""Toasts that keep their Chinese characters whole (issue 12 §16: "已保" for 已保存).

Textual (8.x, upstream issue #6357) composes each screen line in "chops" between the edges of
every widget on that line, including widgets hidden under a toast. A chop edge that falls
inside a double-width character splits it, and both halves become blanks: the toast loses the
characters that sit over an edge of the screen below. A toast is opaque, so the edges of what
lies under it on its lines serve nothing; :func:`install` drops them, and each toast line is
then one chop, drawn whole.
"""

from __future__ import annotations

from textual._compositor import Compositor
from textual.widgets._toast import Toast

_installed = False


def install() -> None:
    """Patch ``Compositor.cuts`` once per process (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    original = Compositor.cuts.fget
    assert original is not None

    def cuts(self: Compositor) -> list[list[int]]:
        fresh = self._cuts is None
        lines = original(self)
        if not fresh:
            return lines
        for widget, (region, clip) in self.visible_widgets.items():
            if not isinstance(widget, Toast):
                continue
            x, y, width, height = region.intersection(clip)
            right = x + width
            for line in range(y, min(y + height, len(lines))):
                lines[line] = [cut for cut in lines[line] if not x < cut < right]
        return lines

    Compositor.cuts = property(cuts)  # type: ignore[method-assign, assignment]
