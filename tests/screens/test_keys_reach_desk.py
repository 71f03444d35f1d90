"""Every key desk binds reaches desk in a terminal, under tmux and screen (issue 12, item 11).

A key that the terminal multiplexer takes (tmux's Ctrl+B, screen's Ctrl+A), that the
terminal sends as another key (Ctrl+H is Backspace, Ctrl+I Tab, Ctrl+J / Ctrl+M Enter,
Ctrl+[ Escape), that the tty or the shell reads as a signal (Ctrl+C, Ctrl+Z, Ctrl+\\, Ctrl+D)
or that a text field uses for editing (Ctrl+W, Ctrl+U, Ctrl+K, Ctrl+E, Ctrl+X, Ctrl+V,
Ctrl+Y) is never one of desk's keys. Ctrl+S and Ctrl+Q are allowed: Textual turns XON/XOFF
flow control off (``LinuxDriver._patch_iflag``), so they reach desk.
"""

from __future__ import annotations

import importlib
import pkgutil

import desk
from desk.app import DeskApp
from desk.i18n import t

FORBIDDEN = {
    "ctrl+a": "screen's prefix; start of line in a field",
    "ctrl+b": "tmux's prefix",
    "ctrl+c": "interrupt; copy in a field",
    "ctrl+z": "suspend; undo in a text area",
    "ctrl+backslash": "quit signal",
    "ctrl+d": "end of input; delete in a field",
    "ctrl+h": "sent by Backspace",
    "ctrl+i": "sent by Tab",
    "ctrl+j": "sent by Enter",
    "ctrl+m": "sent by Enter",
    "ctrl+left_square_bracket": "sent by Escape",
    "ctrl+w": "delete a word in a field",
    "ctrl+u": "delete to the start in a field",
    "ctrl+k": "delete to the end in a field",
    "ctrl+e": "end of line in a field",
    "ctrl+x": "cut in a field",
    "ctrl+v": "paste in a field",
    "ctrl+y": "redo in a text area",
}


def desk_bindings() -> list[tuple[str, str]]:
    """(class, key) of every binding declared by a class in the desk package."""
    for info in pkgutil.walk_packages(desk.__path__, "desk."):
        if ".migrations." in info.name or info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
    found = []
    seen = set()

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub in seen:
                continue
            seen.add(sub)
            if sub.__module__.startswith("desk."):
                for binding in sub.__dict__.get("BINDINGS", []):
                    keys = binding.key if hasattr(binding, "key") else binding[0]
                    found.extend((sub.__qualname__, key.strip()) for key in keys.split(","))
            walk(sub)

    from textual.dom import DOMNode

    walk(DOMNode)
    return found


def test_no_key_of_desk_is_taken_by_the_terminal_tmux_or_screen():
    bindings = desk_bindings()
    assert any(key == "ctrl+s" for _, key in bindings)  # the walk finds desk's keys
    bad = [f"{owner}: {key} ({FORBIDDEN[key]})" for owner, key in bindings if key in FORBIDDEN]
    assert bad == []


async def test_ctrl_c_says_how_to_quit_in_the_language_of_desk(desk_store):
    from tests.helpers import make_app

    app = make_app(desk_store, user="孙经理", lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        shown = [(n.title, n.message) for n in app._notifications]
        assert shown == [(t("keys.quit_title", "zh_CN"), t("keys.quit_how", "zh_CN"))]
        assert "Ctrl+Q" in shown[0][1] and "quit" not in shown[0][1].lower()
    assert isinstance(app, DeskApp)
