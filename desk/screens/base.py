"""What every desk screen shares: key descriptions from the catalog, the store, and
writing what is typed to disk when the screen is left (desk.screens.keeper)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from desk.i18n import t

if TYPE_CHECKING:
    from desk.app import DeskApp
    from desk.dal import Store


def translate_bindings(node: DOMNode) -> None:
    """Replace binding descriptions that are catalog keys ("keys.help") by their text.

    Bindings are declared on classes, before the language is known; this runs per instance.
    """
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(b, description=t(b.description)) if "." in b.description else b for b in bindings
        ]


class DeskScreen(Screen):
    """A full screen of desk."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    @property
    def desk(self) -> DeskApp:
        return self.app  # type: ignore[return-value]

    def on_screen_suspend(self) -> None:
        _left(self)

    @property
    def store(self) -> Store:
        return self.desk.store


class DeskModal(ModalScreen):
    """A dialog over a desk screen."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    @property
    def store(self) -> Store:
        return self.app.store  # type: ignore[attr-defined]

    def on_screen_suspend(self) -> None:
        _left(self)


def _left(screen: Screen) -> None:
    """Leaving the screen (for another mode, or a dialog over it): what is typed is written now."""
    from desk.screens.keeper import flush

    flush(screen.app)
