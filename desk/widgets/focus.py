"""Focus that keeps up with a fast typist."""

from __future__ import annotations

from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    """Focus ``widget`` before the next key already waiting in the queue is handled.

    ``Widget.focus`` defers to the app's message queue (the widget might not be mounted
    yet), so keys typed meanwhile — digits right after Ctrl+N, Enter then the next field —
    would land in the field that had focus before, or nowhere. A widget not mounted yet (a
    screen's table inside a container that mounts it a moment later) takes the deferred path:
    no key can reach it before then anyway. Scrolling it into view waits for the layout: a
    screen that has just mounted has no sizes yet, and scrolling then would open it scrolled
    past its title.
    """
    if not widget.is_attached:
        widget.focus(scroll_visible=False)
        return
    widget.screen.set_focus(widget, scroll_visible=False)
    widget.call_after_refresh(widget.scroll_visible, animate=False)
