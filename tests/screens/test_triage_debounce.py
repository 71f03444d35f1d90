"""Long caller's words are classified after the typist pauses, in a thread, and an answer
about older words never replaces one about newer words (issue 16)."""

from __future__ import annotations

import threading

from textual.widgets import Static

from desk.rules import calls as calls_rules
from desk.widgets import triage_script as script
from desk.widgets.call_panel import CLASSIFY_AT_ONCE
from tests.helpers import make_app, settle, type_text

# Longer than what is classified at every key, so the debounced path is taken.
LONG = "hello, how much is the Java weekend class and when does the next one start please? " * 2
assert len(LONG) > CLASSIFY_AT_ONCE


async def wait_until(pilot, done, tries: int = 400) -> None:
    """Let the app run until ``done()`` holds (not a timing assertion: it waits as long as
    the machine needs, up to a bound that only catches a hang)."""
    for _ in range(tries):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


async def open_call(pilot) -> None:
    await pilot.press("ctrl+n")
    await pilot.pause()
    await type_text(pilot, "13812345678")
    await settle(pilot)
    await pilot.press("enter")


async def test_a_slow_classification_of_older_words_never_replaces_the_newer_one(desk_store, monkeypatch):
    real = calls_rules.classify
    gate = threading.Event()
    asked: list[str] = []

    def classify(words, staff=None, caller=None):
        asked.append(words)
        if words == LONG:  # the older words: slow, and (to tell it apart) a complaint
            gate.wait(30)
            return real("I want to complain about my teacher, this is a complaint", staff=staff, caller=caller)
        return real(words, staff=staff, caller=caller)

    monkeypatch.setattr(calls_rules, "classify", classify)
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_call(pilot)
        await type_text(pilot, LONG)
        await wait_until(pilot, lambda: LONG in asked)  # its classification runs, held at the gate
        newer = LONG + "ok?"
        await type_text(pilot, "ok?")
        panel = app.screen.current
        await wait_until(pilot, lambda: panel.suggested_for == newer)
        assert panel.suggestion.call_type.value != "complaint"
        gate.set()  # the older answer arrives last
        await settle(pilot)
        assert panel.suggested_for == newer and panel.draft.words == newer
        assert panel.suggestion.call_type.value != "complaint"
        card = str(app.screen.query_one("#suggestion", Static).render())
        assert script.type_label("complaint") not in card
        assert script.type_label(panel.suggestion.call_type.value) in card


async def test_long_words_are_classified_off_the_ui_thread_and_follow_the_last_key(desk_store, monkeypatch):
    real = calls_rules.classify
    threads: list[tuple[int, bool]] = []

    def classify(words, staff=None, caller=None):
        threads.append((len(words), threading.current_thread() is threading.main_thread()))
        return real(words, staff=staff, caller=caller)

    monkeypatch.setattr(calls_rules, "classify", classify)
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_call(pilot)
        await type_text(pilot, LONG)
        panel = app.screen.current
        await wait_until(pilot, lambda: panel.suggested_for == LONG)
        await settle(pilot)
    long_ones = [on_ui for length, on_ui in threads if length > CLASSIFY_AT_ONCE]
    assert long_ones and not any(long_ones)
    # Short words (the first keys) are still classified at once, on the UI thread: ~1 ms.
    assert any(on_ui for length, on_ui in threads if 0 < length <= CLASSIFY_AT_ONCE)


async def test_a_key_in_the_words_repaints_the_field_without_laying_out_the_screen(desk_store, monkeypatch):
    from textual.widget import Widget

    from desk.widgets.call_panel import WordsInput

    layouts: list[str] = []
    refresh = Widget.refresh

    def spy(self, *regions, layout=False, **kwargs):
        if layout and isinstance(self, WordsInput):
            layouts.append(self.value)
        return refresh(self, *regions, layout=layout, **kwargs)

    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_call(pilot)
        monkeypatch.setattr(Widget, "refresh", spy)
        await type_text(pilot, LONG[:60])  # past the field's width: it scrolls along
        await settle(pilot)
        words = app.screen.query_one("#words", WordsInput)
        assert words.value == LONG[:60] and words.scroll_x > 0  # the cursor stays in view
    # Textual's Input asked for one at every key (60 here); the field's own style changes
    # still may, once or twice.
    assert len(layouts) <= 3, layouts
