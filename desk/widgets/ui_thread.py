"""Handing a worker thread's result back to the UI thread, for the app, screens and widgets."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App


def deliver(app: App, callback: Callable[..., object], *args: object) -> None:
    """``callback(*args)`` on the UI thread; nothing when desk closed meanwhile (Textual
    raises RuntimeError once the app no longer runs: nobody is left to show it to)."""
    try:
        app.call_from_thread(callback, *args)
    except RuntimeError:
        pass
