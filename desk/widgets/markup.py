"""Typed text (names, notes, places, topics) put into a Textual markup string.

Static, Label, Option prompts and notifications parse their string with Textual's markup, so
a name like ``张[/]伟`` raises a MarkupError at render time and ``[VIP] Tom`` loses its
``[VIP]`` (read as a style). ``rich.markup.escape`` (and Textual's own ``escape``) only
escape brackets that look like tags to Rich ("[a-z#/@"): ``[VIP]`` stays unescaped and is
still dropped. Escaping every "[" is what Textual's parser reads back as the text typed.
"""

from __future__ import annotations


def literal(text: str | None) -> str:
    """``text`` to interpolate into Textual markup: shown exactly as typed (None: nothing)."""
    return (text or "").replace("[", "\\[")
