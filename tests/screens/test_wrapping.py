"""No label on the working screens wraps inside a word or a key name at 80x24 (issue 12 §14,
§16): a line that ends in a letter or digit is not followed by one that goes on with the same
word."""

from __future__ import annotations

import re

import pytest

from tests.helpers import make_app

SCREENS = {"home": [], "triage": ["f3"], "walkins": ["f4"], "notes": ["f5"], "followups": ["f6"], "dashboard": ["f12"]}


def _broken_words(widget) -> list[str]:
    """Words (Latin letters, digits, key names such as Ctrl+S) of the label that no drawn line
    holds whole, though they are narrower than the label."""
    text = str(widget.render())
    lines = [strip.text for strip in widget.render_lines(widget.size.region)]
    words = set(re.findall(r"[A-Za-z0-9][A-Za-z0-9+'.-]*[A-Za-z0-9]", text))
    return sorted(w for w in words if len(w) < widget.size.width - 2 and not any(w in line for line in lines))


def _needed(widget) -> int:
    """Lines the label needs at its width: a label cut at the bottom is another matter."""
    return widget.get_content_height(widget.size, widget.size, widget.content_region.width) + widget.styles.gutter.height


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("screen", list(SCREENS))
async def test_no_label_wraps_inside_a_word_at_80x24(demo_store, screen, lang):
    app = make_app(demo_store, user="孙丽" if screen in ("triage", "walkins") else "王芳", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        if SCREENS[screen]:
            await pilot.press(*SCREENS[screen])
        await pilot.pause()
        await pilot.pause()
        found = {}
        for widget in app.screen.query("Static"):
            if widget.display and widget.size.width and widget.size.height > 1 and widget.size.height >= _needed(widget):
                broken = _broken_words(widget)
                if broken:
                    found[str(widget)] = broken
        assert not found, found
