"""Focus that keeps up with a fast typist."""

from __future__ import annotations

from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    """Focus ``widget`` before the next key already waiting in the queue is handled.

    ``Widget.focus`` defers to the app's message queue (the widget might not be mounted
    yet), so keys typed meanwhile — Enter then the next field at once, a paste, digits right
    after Ctrl+N — would land in the field that had focus before, or nowhere. Every widget
    desk passes here is already mounted.
    """
    widget.screen.set_focus(widget)
