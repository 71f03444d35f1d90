"""A key in the call form never waits on the classifier or a lookup: the caller's words are
classified, and callers looked up, by the triage screen in a thread once the typist pauses;
an answer about older words or an older number never replaces one about newer ones, however
late it comes (issue 16)."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import OptionList, Static

from desk.dal import lookup as lookup_dal
from desk.dal.lookup import CallerHit
from desk.rules import calls as calls_rules
from desk.widgets import call_panel
from desk.widgets import triage_script as script
from desk.widgets.call_panel import CLASSIFY_AT_ONCE
from tests.helpers import make_app, settle, type_text, until

SHORT = "how much is the Java class?"
# Longer than CLASSIFY_AT_ONCE: the longer pause, and Enter does not classify it at once.
LONG = "hello, how much is the Java weekend class and when does the next one start please? " * 2
assert len(SHORT) <= CLASSIFY_AT_ONCE < len(LONG)
COMPLAINT = "I want to complain about my teacher, this is a complaint"


async def open_call(pilot) -> None:
    await pilot.press("ctrl+n")
    await pilot.pause()
    await type_text(pilot, "13812345678")
    await settle(pilot)
    await pilot.press("enter")


def card(app) -> str:
    return str(app.screen.query_one("#suggestion", Static).render())


@pytest.mark.parametrize("older", [SHORT, LONG], ids=["short", "long"])
async def test_a_slow_classification_of_older_words_never_replaces_the_newer_one(desk_store, monkeypatch, older):
    real = calls_rules.classify
    gate = threading.Event()
    asked: list[str] = []

    def classify(words, staff=None, caller=None):
        asked.append(words)
        if words == older:  # the older words: slow, and (to tell it apart) a complaint
            gate.wait(30)
            return real(COMPLAINT, staff=staff, caller=caller)
        return real(words, staff=staff, caller=caller)

    monkeypatch.setattr(calls_rules, "classify", classify)
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_call(pilot)
        await type_text(pilot, older)
        assert await until(pilot, lambda: older in asked)  # its classification runs, held at the gate
        newer = older + "ok?"
        await type_text(pilot, "ok?")
        panel = app.screen.current
        assert await until(pilot, lambda: panel.suggested_for == newer)
        assert panel.suggestion.call_type.value != "complaint"
        gate.set()  # the older answer arrives last
        await settle(pilot)
        assert panel.suggested_for == newer and panel.draft.words == newer
        assert panel.suggestion.call_type.value != "complaint"
        assert script.type_label("complaint") not in card(app)
        assert script.type_label(panel.suggestion.call_type.value) in card(app)


async def test_an_older_classification_arriving_late_is_dropped_by_the_panel(desk_store):
    """The panel's own guard, whatever the thread does: an answer about other words than the
    ones typed, or about the same words before the caller was known, is not shown."""
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_call(pilot)
        await type_text(pilot, SHORT)
        await settle(pilot)
        panel = app.screen.current
        shown = card(app)
        stale = calls_rules.classify(COMPLAINT)
        panel.show_suggestion(SHORT[:-1], None, stale)  # older words
        panel.show_suggestion(SHORT, "lead", stale)  # a caller context that is not this call's
        await pilot.pause()
        assert panel.suggestion.call_type.value != "complaint" and card(app) == shown


async def test_the_words_are_classified_off_the_ui_thread_and_follow_the_last_key(desk_store, monkeypatch):
    real = calls_rules.classify
    threads: list[tuple[str, bool]] = []

    def classify(words, staff=None, caller=None):
        threads.append((words, threading.current_thread() is threading.main_thread()))
        return real(words, staff=staff, caller=caller)

    monkeypatch.setattr(calls_rules, "classify", classify)
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_call(pilot)
        await type_text(pilot, LONG)
        panel = app.screen.current
        assert await until(pilot, lambda: panel.suggested_for == LONG)
        await settle(pilot)
        assert script.type_label(panel.suggestion.call_type.value) in card(app)
    typed = [(words, on_ui) for words, on_ui in threads if words.strip()]
    assert typed and not any(on_ui for _, on_ui in typed), [w for w, on_ui in typed if on_ui][:3]


async def test_keys_within_the_pause_cost_one_classification_and_one_lookup(desk_store, monkeypatch):
    """A key typed before the pause is over replaces the request: only the last words (and
    the last number) are classified (looked up). The pause is made long here, so that a slow
    machine cannot make a pause between two of Pilot's keys."""
    real_classify, real_lookup = calls_rules.classify, lookup_dal.lookup
    classified: list[str] = []
    looked_up: list[str] = []

    def classify(words, staff=None, caller=None):
        classified.append(words)
        return real_classify(words, staff=staff, caller=caller)

    def lookup(store, query, limit=8):
        looked_up.append(query)
        return real_lookup(store, query, limit)

    monkeypatch.setattr(calls_rules, "classify", classify)
    monkeypatch.setattr(lookup_dal, "lookup", lookup)
    monkeypatch.setattr(call_panel, "KEY_PAUSE", 1.5)
    monkeypatch.setattr(call_panel, "LOOKUP_PAUSE", 1.5)
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_call(pilot)
        assert looked_up == ["13812345678"]
        await type_text(pilot, SHORT)
        await settle(pilot)
        panel = app.screen.current
        assert panel.suggested_for == SHORT
    # (desk's start-up warm-up classifies a sample text of its own, in its thread)
    assert [words for words in classified if words.strip() and SHORT.startswith(words)] == [SHORT]


async def test_enter_on_long_words_not_classified_yet_confirms_when_the_answer_comes(desk_store, monkeypatch):
    real = calls_rules.classify
    gate = threading.Event()
    on_ui: list[bool] = []

    def classify(words, staff=None, caller=None):
        if words.strip():  # nothing said is classified at once: there is nothing to classify
            on_ui.append(threading.current_thread() is threading.main_thread())
        if words == LONG:
            gate.wait(30)
        return real(words, staff=staff, caller=caller)

    monkeypatch.setattr(calls_rules, "classify", classify)
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_call(pilot)
        await type_text(pilot, LONG)
        await pilot.press("enter")  # before the answer: nothing is confirmed yet, no key waits
        await pilot.pause()
        panel = app.screen.current
        assert panel.draft.call_type is None
        gate.set()
        assert await until(pilot, lambda: panel.draft.call_type is not None)
        await settle(pilot)
        assert panel.draft.call_type == real(LONG).call_type.value
        assert script.type_label(panel.draft.call_type) in card(app)
    assert on_ui and not any(on_ui)


async def test_a_slow_lookup_of_an_older_number_never_replaces_the_newer_one(desk_store, monkeypatch):
    gate = threading.Event()
    asked: list[str] = []
    older, newer = "1381234", "13812345"

    def lookup(store, query, limit=8):
        asked.append(query)
        if query == older:
            gate.wait(30)
            return [CallerHit(kind="lead", id=901, name="STALE", phone=None)]
        return [CallerHit(kind="lead", id=902, name="NEWER", phone=None)] if query == newer else []

    monkeypatch.setattr(lookup_dal, "lookup", lookup)
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        await type_text(pilot, older)
        assert await until(pilot, lambda: older in asked)  # its lookup runs, held at the gate
        await type_text(pilot, newer[len(older):])
        hits = app.screen.query_one("#hits", OptionList)
        assert await until(pilot, lambda: hits.option_count == 1)
        gate.set()  # the older answer arrives last
        await settle(pilot)
        shown = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert len(shown) == 1 and "NEWER" in shown[0], shown


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


async def test_keys_in_the_number_lay_out_nothing_while_its_lines_stay_as_they_are(desk_store, monkeypatch):
    """Six digits: no error line yet, and no caller found. Each key used to set the (empty)
    error line and the (empty) hits list again, and each of those lays out the screen."""
    from textual.widget import Widget

    layouts: list[str] = []
    refresh = Widget.refresh

    def spy(self, *regions, layout=False, **kwargs):
        if layout and self.id in ("number-error", "hits", "caller"):
            layouts.append(self.id)
        return refresh(self, *regions, layout=layout, **kwargs)

    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await settle(pilot)
        monkeypatch.setattr(Widget, "refresh", spy)
        await type_text(pilot, "139876")
        await settle(pilot)
        assert app.screen.current.draft.number == "139876"
    assert layouts == []
