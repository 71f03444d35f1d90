"""One open call on the triage screen: number, who it is, what they said, what to do.

Each open call is its own panel holding its own ``CallDraft``, so a second call can be taken
while the first one waits with everything typed intact. The panel is what desk keeps on disk
of the call until it is saved (desk.widgets.keeper): a call put back after desk closed says
so in its title.

The panel never reaches the database, and a key in it never waits on a query or on the
classifier: it posts what it needs (``LookupRequested``, ``RepeatLookupRequested``,
``ClassifyRequested``, ``RecordRequested``) and the triage screen answers, after the typist's
pause and off the UI thread, through :meth:`CallPanel.show_hits`,
:meth:`CallPanel.show_repeat_hits`, :meth:`CallPanel.show_suggestion`, :meth:`CallPanel.saved`
and :meth:`CallPanel.not_saved`; an answer about what is no longer typed is dropped. Who can
take a call comes down from the screen as one snapshot (``people``) with the board's data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from desk.drafts import CallDraft, Draft, call_data
from desk.errors import PickChanged
from desk.i18n import t, translate_bindings
from desk.phones import PhoneError, display, parse
from desk.rules.calls import Handling, handling
from desk.rules.script import IF_NEEDED, Moment, lines_for
from desk.widgets import triage_script as script
from desk.widgets.focus import focus_now
from desk.widgets.guard import DatabaseGuard, is_database_error
from desk.widgets.keeper import KeepsDrafts, keeper
from desk.widgets.markup import literal

if TYPE_CHECKING:
    from desk.dal.lookup import CallerHit
    from desk.dal.triage import TriagePeople

# The type list (↓ in the caller's words) and the number key that picks each type in it.
# Digits and ↓ reach desk in every terminal; Alt+letter did not (issue 12: inside a text
# field Alt+P typed "p", and Alt+F / Alt+B arrived as Ctrl+Right / Ctrl+Left).
TYPE_KEYS = {
    "first_inquiry": "1",
    "proxy_inquiry": "2",
    "repeat_inquiry": "3",
    "student": "4",
    "directions": "5",
    "business": "6",
    "screened": "7",
    "complaint": "8",
    "other": "9",
}

# People who are not at work now: never the highlighted default, and choosing one asks first.
NOT_HERE = ("away", "off_duty")

# Seconds after the last key before what it asks for is done (in a thread, by the screen):
# a key typed within them replaces the request, so a burst of keys costs one lookup or one
# classification, not one per key (issue 16). Short: the suggestion and the caller still
# follow a typist's every pause at once (a key every ~0.1-0.2 s is a pause for them).
KEY_PAUSE = 0.05
# A lookup's answer lays out the screen (the hits list) and at 1M leads costs its thread
# 15 ms to over 0.5 s (bench/typing_keys.py --lookup-db): a number typed at a typist's pace
# is looked up once, as it stands when she pauses.
LOOKUP_PAUSE = 0.15
# Up to this many characters, classifying costs ~1 ms (bench/rules.py); beyond it, it grows
# with the text (~25 µs a character, holding the interpreter): such words wait for a longer
# pause (issue 12), and Enter asks for them in a thread instead of classifying them at once.
CLASSIFY_AT_ONCE = 120
LONG_PAUSE = 0.12


@dataclass(frozen=True)
class CallContext:
    """What a panel needs of the center besides its people: its clock and time zone, its
    phone region, the directions line in the reader's language, and per call language
    (``zh``, ``en``) the center's name and greeting for the receptionist's lines."""

    now: Callable[[], datetime]
    local: Callable[[datetime], datetime]
    phone_region: str
    directions: str
    centers: Mapping[str, str] = dataclasses.field(default_factory=dict)
    greetings: Mapping[str, str] = dataclasses.field(default_factory=dict)


class Field(Input):
    """A one-line field of the call form whose keys repaint the field, not the screen.

    Textual's Input sets its scrollable width to the text's width at every key, and that
    value is declared to re-lay out the whole screen (board, today's calls, the panel):
    about 8 ms a key at 80x24 on the development machine, whatever the field (issue 16,
    bench/typing_keys.py). A field's own size never depends on its text (one line, its width
    from the style sheet), so here the scrollable width only repaints the field; scrolling
    to the cursor reads it directly (``max_scroll_x``)."""

    virtual_size = Reactive(Size(0, 0), repaint=True)

    def watch_scroll_x(self, old_value: float, new_value: float) -> None:
        """Scrolling along the text moves the field's horizontal scrollbar too, which Input
        never draws (``scrollbar-size-horizontal: 0``): a widget refreshed while off the
        screen's map makes Textual rebuild the map of the whole screen, another ~4 ms a key
        once the text is wider than the field. Only the field is repainted then."""
        if self.styles.scrollbar_size_horizontal:
            super().watch_scroll_x(old_value, new_value)
        elif round(old_value) != round(new_value):
            self.refresh(self.size.region)


class NumberInput(Field):
    """The caller's number. Enter moves on to the caller's words in the Enter key's own turn:
    a priority binding runs as the app takes the key, before it hands on the next one, so
    words typed straight after Enter (a fast typist, a busy machine) land in the words field.
    Input.Submitted would reach the panel a turn later, after those keys went to the number."""

    BINDINGS = [Binding("enter", "to_words", show=False, priority=True)]

    def action_to_words(self) -> None:
        self.query_ancestor(CallPanel).number_done()


def _error_line(id: str) -> Static:
    """A line that says what is wrong at a field; it takes no room while it says nothing,
    so the form at 80x24 keeps its rows."""
    line = Static("", id=id, classes="field-error")
    line.display = False
    return line


def _show(widget: Static, content: str) -> None:
    """``widget`` shows ``content``; the same content again is not an update: an update lays
    out the whole screen, and the card and lines are re-made at keys that leave them as they
    were (issue 16)."""
    if widget.content != content:
        widget.update(content)


def _say(line: Static, text: str) -> None:
    _show(line, text)
    line.display = bool(text)


class WordsInput(Field):
    """What the caller says. ↓ opens the list of call types (to choose another type than
    the suggested one): a key every terminal sends as it is."""

    BINDINGS = [Binding("down", "type_list", "keys.type_list")]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    def action_type_list(self) -> None:
        self.query_ancestor(CallPanel).open_type_list()


class PartnerRow(Horizontal):
    """The channel partner (渠道) a caller came through, on one line under who is calling: the
    call form must keep its rows at 80x24 (docs/domain.md §6.4). Optional; → takes the name
    suggested from the partners already on the list, and a new name joins the list on saving."""

    DEFAULT_CSS = """
    PartnerRow { height: 1; }
    PartnerRow > Label { width: auto; padding: 0 1 0 0; }
    PartnerRow > Input { width: 1fr; }
    """


# Partner.name's length (desk.models.partner): the field takes no more, so saving never fails on it.
PARTNER_MAX = 100


class TypeList(OptionList):
    """The call types, numbered: a number key chooses at once, ↑↓ Enter too; Esc goes back
    to the caller's words."""

    DEFAULT_CSS = """
    TypeList {
        height: auto;
        max-height: 11;
        border: none;
        padding: 0;
    }
    TypeList:focus {
        border: none;
    }
    """

    BINDINGS = [
        *(Binding(key, f"choose('{ctype}')", f"keys.type_{ctype}", show=False) for ctype, key in TYPE_KEYS.items()),
        Binding("escape", "close", "keys.back"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    def action_choose(self, call_type: str) -> None:
        self.query_ancestor(CallPanel).type_chosen(call_type)

    def action_close(self) -> None:
        self.query_ancestor(CallPanel).close_type_list()


class CallPanel(DatabaseGuard, KeepsDrafts, VerticalScroll):
    """The form of one call. Posts ``Recorded`` when the call is saved."""

    BINDINGS = [
        Binding("f8", "silent", "keys.silent"),
        Binding("ctrl+s", "record", "keys.record"),
        Binding("ctrl+t", "take_message", "keys.take_message"),
        Binding("ctrl+r", "refused", "keys.refused", show=False),
        Binding("ctrl+p", "partner", "partners.k_partner"),
    ]

    call_type: reactive[str | None] = reactive(None, init=False)

    class LookupRequested(Message):
        """Who has the number (or name) typed so far? Answered by :meth:`show_hits`."""

        def __init__(self, panel: CallPanel, query: str) -> None:
            super().__init__()
            self.panel = panel
            self.query = query
            self.pause = LOOKUP_PAUSE

    class ClassifyRequested(Message):
        """Which call type do these words suggest? Answered by :meth:`show_suggestion`.
        ``pause``: seconds to wait first, in the thread, in case another key replaces it."""

        def __init__(self, panel: CallPanel, words: str, staff: Mapping[str, str], caller: str | None,
                     pause: float) -> None:
            super().__init__()
            self.panel = panel
            self.words = words
            self.staff = staff
            self.caller = caller
            self.pause = pause

    class RepeatLookupRequested(Message):
        """A repeat caller by name and first-call date; answered by :meth:`show_repeat_hits`."""

        def __init__(self, panel: CallPanel, name: str, around: date | None) -> None:
            super().__init__()
            self.panel = panel
            self.name = name
            self.around = around
            self.pause = LOOKUP_PAUSE

    class RecordRequested(Message):
        """Save the call; answered by :meth:`saved` or :meth:`not_saved`."""

        def __init__(self, panel: CallPanel, draft: CallDraft) -> None:
            super().__init__()
            self.panel = panel
            self.draft = draft

    class Recorded(Message):
        def __init__(self, panel: CallPanel, call, summary: str) -> None:
            super().__init__()
            self.panel = panel
            self.call = call
            self.summary = summary

    def __init__(
        self,
        draft: CallDraft,
        people: TriagePeople,
        context: CallContext,
        restored: Draft | None = None,
        **kwargs,
    ) -> None:
        """``restored``: the call was open when desk closed, and this is its draft on disk."""
        super().__init__(**kwargs)
        translate_bindings(self)
        self.draft = draft
        self.people = people
        self.context = context
        self.restored = restored
        self.recorded = False
        self.saving = False  # asked to be saved, no answer yet: a second Enter waits
        self.hit: CallerHit | None = None
        self._hits: dict[str, CallerHit] = {}
        self._hit_lines: list[str] = []  # what the hits list shows
        self.suggestion = None
        self.tree_node = None
        self.tree_path: list = []
        self._started = bool(draft.number) or restored is not None
        self.suggested_for: str | None = None  # the words ``suggestion`` was made from
        self._suggested_caller: str | None = None  # and who the caller was known to be then
        # Enter came before the classification of the words typed: it confirms on arrival.
        self._confirm_on_arrival = False
        self._number_letters = False  # the number field holds letters: nothing is saved
        self._confirming: int | None = None  # a person not here, chosen: y transfers anyway
        self._default_target = 0
        self.typed_by_questions = False  # the type came from the yes/no questions
        # A ring that came while the receptionist was typing elsewhere: on the stack and in
        # the header until she takes it (Ctrl+N) or stops typing (desk.app._take_rings).
        self.waiting = False
        # The partners' names to suggest, handed down by the screen (show_partner_names).
        self.partner_names: list[str] = []
        # Another call was open when this one came in: its first line is "please hold".
        self.other_open = False

    # ----- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="say-open", classes="say")
        yield Label(t("triage.number"), classes="field-label")
        # Focus does not select what is typed (Textual's default): coming back to a call on
        # hold or restored, the next key goes on with the text instead of replacing it.
        yield NumberInput(self.draft.number, placeholder=t("triage.number_placeholder"), id="number", select_on_focus=False)
        yield Static("", id="number-error", classes="field-error")
        yield OptionList(id="hits")
        yield Static("", id="caller")
        with PartnerRow():
            yield Label(t("partners.field"), classes="field-label")
            yield Field(self.draft.partner, placeholder=t("partners.placeholder"), id="partner", max_length=PARTNER_MAX,
                        select_on_focus=False, suggester=self._partner_suggester())
        yield Label(t("triage.words"), classes="field-label")
        yield WordsInput(self.draft.words, placeholder=t("triage.words_placeholder"), id="words", select_on_focus=False)
        yield TypeList(*(Option(f"{key} {script.type_label(ctype)}", id=ctype) for ctype, key in TYPE_KEYS.items()), id="types")
        yield Static("", id="suggestion")
        yield Static("", id="tree")
        yield Static("", id="say", classes="say")
        yield Vertical(id="action")
        yield Static("", id="say-after", classes="say")
        yield _error_line("confirm")

    def on_mount(self) -> None:
        if self.restored is not None:
            keeper(self.app).adopt(self.restored)
        self.query_one("#hits", OptionList).display = False
        self.query_one("#types", OptionList).display = False
        self.query_one("#tree", Static).display = False
        if self.draft.number:
            self._number_changed(self.draft.number)
        self._suggest()
        if self.draft.call_type:
            self.call_type = self.draft.call_type

    def set_number(self, number: str) -> None:
        """Caller ID arrived (``desk ring``): fill the number as if typed."""
        self.draft.number = number
        self.query_one("#number", Input).value = number

    def focus_first(self) -> None:
        target = "#words" if self.draft.number else "#number"
        focus_now(self.query_one(target, Input))

    @property
    def typed(self) -> bool:
        """Something of the call is typed or chosen: a panel without it is a phone not yet rung."""
        draft = self.draft
        return bool(draft.number or draft.words or draft.call_type)

    def drafts(self) -> list[Draft]:
        return [Draft("call", call_data(self.draft))] if self.typed and not self.recorded else []

    @property
    def title(self) -> str:
        number = display(self.draft.caller_number) or self.draft.number or t("triage.new_call")
        kind = script.type_label(self.draft.call_type) if self.draft.call_type else "…"
        mark = f" · {t('drafts.mark')}" if self.restored is not None else ""
        ring = "☎ " if self.waiting else ""
        return f"{ring}{number} · {kind}{mark}"

    # ----- number and lookup ----------------------------------------------------------------
    @on(Input.Changed, "#number")
    def _on_number(self, event: Input.Changed) -> None:
        event.stop()  # nothing above the panel listens: it need not climb the screen
        self._number_changed(event.value)

    def _mark_started(self) -> None:
        """A panel can wait ready for a while: the call starts at its first keystroke."""
        if not self._started:
            self._started = True
            self.draft.started_at = self.context.now()

    def _number_changed(self, value: str) -> None:
        self._mark_started()
        self.draft.number = value
        error = self.query_one("#number-error", Static)
        try:
            phone = parse(value, self.context.phone_region)
        except PhoneError as err:
            self.draft.caller_number = None
            # Letters among digits are a mistake said at once (nothing is saved until they
            # go); a number still being typed says nothing until it has 7 digits; and a name
            # or pinyin with no digit is a lookup, not a number (issue 12).
            self._number_letters = err.code == "phone.letters"
            if self._number_letters:
                _show(error, t(err.code))
            elif sum(c.isdigit() for c in value) >= 7:
                _show(error, t(err.code) + " " + t("phone.withheld_hint"))
            else:
                _show(error, "")
        else:
            self._number_letters = False
            self.draft.caller_number = phone.e164
            _show(error, "")
        self.post_message(self.LookupRequested(self, value))

    def show_hits(self, query: str, hits: list[CallerHit]) -> None:
        """The screen's answer to a lookup: shown unless the number changed since it asked
        (a newer answer is on its way); an exact number match is who is calling."""
        if not self.is_mounted or query != self.draft.number:
            return
        exact = [h for h in hits if h.phone and h.phone == self.draft.caller_number]
        self._hits = {str(i): h for i, h in enumerate(hits)}
        lines = [script.hit_line(hit) for hit in hits]
        if lines != self._hit_lines:  # each change lays out the screen: none for the same callers
            self._hit_lines = lines
            options = self.query_one("#hits", OptionList)
            options.set_options(Option(line, id=str(i)) for i, line in enumerate(lines))
            options.display = bool(hits)
        if exact:
            self._choose(exact[0])
        elif self.hit is not None and self.hit.phone != self.draft.caller_number:
            self._choose(None)

    def number_done(self) -> None:
        """Enter in the caller's number (NumberInput): on to what the caller says."""
        focus_now(self.query_one("#words", Input))

    def on_key(self, event) -> None:
        focused = self.app.focused
        if self._confirming is not None:
            if event.key == "y":
                person_id, self._confirming = self._confirming, None
                _say(self.query_one("#confirm", Static), "")
                self._transfer_to(person_id)
                event.stop()
                return
            if event.key in ("n", "escape"):
                event.stop()
            self._confirming = None
            _say(self.query_one("#confirm", Static), "")
            return
        if event.key == "down" and focused is self.query_one("#number", Input):
            options = self.query_one("#hits", OptionList)
            if options.display:
                focus_now(options)
                options.highlighted = 0
                event.stop()

    @on(OptionList.OptionSelected, "#hits")
    def _hit_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(self._hits[event.option.id])
        focus_now(self.query_one("#words", Input))

    def _choose(self, hit: CallerHit | None) -> None:
        self.hit = hit
        self.draft.lead_id = hit.id if hit and hit.kind in ("lead", "student") else None
        if hit is not None and hit.phone and not self.draft.caller_number:
            self.draft.caller_number = hit.phone
        if hit is not None and not self.draft.caller_name and hit.kind != "staff":
            self.draft.caller_name = hit.name
        self.query_one("#caller", Static).update(script.caller_card(hit, self.context.local) if hit else "")
        self._suggest()

    # ----- channel partner -----------------------------------------------------------------
    def _partner_suggester(self) -> SuggestFromList:
        return SuggestFromList(self.partner_names, case_sensitive=False)

    def show_partner_names(self, names: list[str]) -> None:
        """The partners on the list now (the screen's live read): what the field suggests."""
        if names != self.partner_names:
            self.partner_names = names
            if self.is_mounted:
                self.query_one("#partner", Input).suggester = self._partner_suggester()

    def action_partner(self) -> None:
        """Ctrl+P: to the partner field from anywhere in the call; Enter there goes back to
        the caller's words."""
        focus_now(self.query_one("#partner", Input))

    @on(Input.Changed, "#partner")
    def _on_partner(self, event: Input.Changed) -> None:
        self.draft.partner = event.value

    @on(Input.Submitted, "#partner")
    def _partner_done(self, event: Input.Submitted) -> None:
        event.stop()
        focus_now(self.query_one("#words", Input))

    # ----- words, suggestion, decision tree -------------------------------------------------
    @on(Input.Changed, "#words")
    def _on_words(self, event: Input.Changed) -> None:
        """A key in the caller's words asks for them to be classified once the typist pauses
        (``KEY_PAUSE``, ``LONG_PAUSE`` for long words), in a thread: the key itself costs the
        UI thread no classification and no repaint of the card or the lines (issue 16).
        Enter classifies what is typed if the answer has not come yet (``_words_done``)."""
        event.stop()  # nothing above the panel listens: it need not climb the screen
        self._mark_started()
        self.draft.words = event.value
        self._confirm_on_arrival = False  # still typing after Enter: she has not confirmed
        self._suggest(LONG_PAUSE if len(event.value) > CLASSIFY_AT_ONCE else KEY_PAUSE)

    def _suggest(self, pause: float = 0.0) -> None:
        """Classify the words as they are now, with who the caller is known to be: at once
        when nothing is said (the card then says so, and there is nothing to classify), else
        through the screen, in a thread, after ``pause``."""
        words, caller = self.draft.words, self._caller_context()
        if words == self.suggested_for and caller == self._suggested_caller:
            return
        if not words.strip():
            self._classify_now()
            return
        self.post_message(self.ClassifyRequested(self, words, self.people.roster, caller, pause))

    def _classify_now(self) -> None:
        from desk.rules import calls as calls_rules

        words, caller = self.draft.words, self._caller_context()
        self._take_suggestion(words, caller, calls_rules.classify(words, staff=self.people.roster, caller=caller))

    def show_suggestion(self, words: str, caller: str | None, suggestion) -> None:
        """The screen's classification of ``words`` (said by a ``caller`` known as such),
        shown unless the words or the caller changed since it was asked for: an older answer
        arriving after a newer one is dropped, never shown over it."""
        if self.is_mounted and words == self.draft.words and caller == self._caller_context():
            self._take_suggestion(words, caller, suggestion)

    def _take_suggestion(self, words: str, caller: str | None, suggestion) -> None:
        self.suggestion, self.suggested_for, self._suggested_caller = suggestion, words, caller
        if self._confirm_on_arrival:
            self._confirm_on_arrival = False
            self.action_set_type(suggestion.call_type.value)
        else:
            self._show_card()

    def _caller_context(self) -> str | None:
        if self.hit is None or self.hit.kind == "staff":
            return None
        return self.hit.kind

    def _show_card(self) -> None:
        card = (
            script.suggestion_card(self.suggestion, confirmed=self.draft.call_type, words=self.draft.words,
                                   by_questions=self.typed_by_questions)
            if self.draft.words.strip() or self.draft.call_type
            else t("triage.nothing_typed")
        )
        _show(self.query_one("#suggestion", Static), card)
        self._show_lines()

    # ----- the receptionist's lines (docs/domain.md §2.1) -----------------------------------
    def _sop(self, key: str, **params) -> str:
        """An action area's SOP line(s), in the call's language."""
        return script.sop(key, script.call_lang(self.draft.words), **params)

    def _owner(self):
        """A known repeat caller's consultant, as the board has them now (or None)."""
        if self.hit is None or self.hit.kind == "staff" or not self.hit.owner_id:
            return None
        return self.people.by_id(self.hit.owner_id)

    def moment(self) -> Moment:
        """Where the call is, for ``rules.script.lines_for``."""
        draft = self.draft
        owner = self._owner()
        cues = self.suggestion.cues if self.suggestion is not None and self.suggested_for == draft.words else ()
        return Moment(
            call_type=draft.call_type, said=bool(draft.words.strip()), other_open=self.other_open,
            course_question=draft.call_type == "proxy_inquiry" or any(cue.startswith("course:") for cue in cues),
            owner_state=owner.state if owner is not None else None,
            take_message=draft.take_message, refusals=int(draft.extra.get("refusals", 0)),
        )

    def _show_lines(self) -> None:
        """The line(s) that fit the step, in the call's language: the opening ones (greeting,
        "please hold") above the number, the others above the action area, and one said only
        if the caller insists (persuade) under it, so the transfer target stays in view."""
        moment = self.moment()
        lang = script.call_lang(self.draft.words)
        owner = self._owner()
        keys = lines_for(moment)
        now = tuple(key for key in keys if key not in IF_NEEDED)
        text = script.say(now, lang, self.context.greetings.get(lang, ""),
                          center=self.context.centers.get(lang, ""), name=owner.name if owner is not None else "")
        opening = moment.call_type is None and not moment.said
        _say(self.query_one("#say-open", Static), text if opening else "")
        _say(self.query_one("#say", Static), "" if opening else text)
        _say(self.query_one("#say-after", Static), script.say(tuple(key for key in keys if key in IF_NEEDED), lang, ""))

    @on(Input.Submitted, "#words")
    def _words_done(self) -> None:
        """Enter confirms the suggestion. Typed faster than the pause, the words are
        classified now: at once when short (~1 ms); long ones in the thread, and the answer
        confirms as it arrives, so even Enter never runs a long classification on the UI
        thread."""
        words = self.draft.words
        if not words.strip() and self.hit is None:
            self._start_tree()
            return
        if self.suggested_for != words or self._suggested_caller != self._caller_context():
            if len(words) > CLASSIFY_AT_ONCE:
                self._confirm_on_arrival = True
                self._suggest()
                return
            self._classify_now()
        self.action_set_type(self.suggestion.call_type.value)

    def open_type_list(self) -> None:
        """↓ in the caller's words: the numbered call types, the current one highlighted."""
        types = self.query_one("#types", OptionList)
        types.display = True
        current = self.draft.call_type or (self.suggestion.call_type.value if self.suggestion is not None else None)
        keys = list(TYPE_KEYS)
        types.highlighted = keys.index(current) if current in keys else 0
        focus_now(types)
        self.call_after_refresh(types.scroll_visible, animate=False)

    def close_type_list(self) -> None:
        self.query_one("#types", OptionList).display = False
        focus_now(self.query_one("#words", Input))

    def type_chosen(self, call_type: str) -> None:
        self.query_one("#types", OptionList).display = False
        self.typed_by_questions = False
        self.action_set_type(call_type)

    @on(OptionList.OptionSelected, "#types")
    def _type_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.type_chosen(str(event.option.id))

    def _start_tree(self) -> None:
        from desk.rules import tree

        self.tree_path = []
        self.tree_node = tree.start()
        walker = self.query_one("#tree", Static)
        walker.display = True
        walker.can_focus = True
        focus_now(walker)
        self._show_tree()

    def _show_tree(self) -> None:
        self.query_one("#tree", Static).update(script.tree_card(self.tree_node, len(self.tree_path)))

    def tree_answer(self, yes: bool | None) -> None:
        """y / n walk the decision tree; None steps back."""
        from desk.rules import tree

        if self.tree_node is None:
            return
        if yes is None:
            if self.tree_path:
                self.tree_node = self.tree_path.pop()
                self._show_tree()
            return
        nxt = tree.answer(self.tree_node.id, yes)
        if isinstance(nxt, str):  # a leaf: the call type
            self.tree_node = None
            self.query_one("#tree", Static).display = False
            self.typed_by_questions = True
            self.action_set_type(str(getattr(nxt, "value", nxt)))
            return
        self.tree_path.append(self.tree_node)
        self.tree_node = nxt
        self._show_tree()

    # ----- type and action ------------------------------------------------------------------
    def action_set_type(self, call_type: str) -> None:
        self.draft.call_type = call_type
        keeper(self.app).changed()
        if self.suggestion is not None:
            self._show_card()
        if self.call_type == call_type:
            self.watch_call_type(call_type)
        else:
            self.call_type = call_type

    def watch_call_type(self, call_type: str | None) -> None:
        if call_type is None:
            return
        self.call_later(self._build_action, call_type)

    async def _build_action(self, call_type: str) -> None:
        area = self.query_one("#action", Vertical)
        await area.remove_children()
        widgets = list(self._action_widgets(call_type))
        await area.mount_all(widgets)
        self._show_lines()
        self._focus_action()
        self.post_message(self.TitleChanged())

    class TitleChanged(Message):
        pass

    def _action_widgets(self, call_type: str):
        draft = self.draft
        draft.pick_id = None
        yield Static(script.action_header(call_type), classes="action-title")
        yield from self._ACTIONS[handling(call_type)](self, call_type)

    def _rotation_widgets(self, call_type: str):
        draft = self.draft
        free = self.people.free
        draft.pick_id = free[0].id if free else None
        if free and not draft.take_message:
            yield Static(self._sop("transfer_line"), classes="sop")
            yield self._targets([(s, script.target_label(s, first=(i == 0))) for i, s in enumerate(free)], default=free[0])
        else:
            yield from self._message_form(self._sop("all_busy"))

    def _person_widgets(self, call_type: str):
        if call_type == "business":
            yield from self._fields(("caller_name", "triage.caller_name"))
        people = list(self.people.staff)
        named = self.suggestion.named if self.suggestion is not None else None
        # Who is here first (the person asked for, then the rest); away and off duty last.
        people.sort(key=lambda s: (s.state in NOT_HERE, s.name != named and s.english_name != named,
                                   s.role == "consultant" and call_type == "business"))
        here = [s for s in people if s.state not in NOT_HERE]
        pick = self.people.free[0] if self.people.free else None
        # The default: the person asked for when here, else the rotation's pick, else the
        # first one here; never someone away or off duty.
        asked = next((s for s in here if named and named in (s.name, s.english_name)), None)
        default = asked or (pick if pick is not None and pick in here else (here[0] if here else None))
        if self.draft.take_message:
            yield from self._message_form("")
        else:
            yield self._targets([(s, script.person_label(s)) for s in people], default=default)

    def _directions_widgets(self, call_type: str):
        yield Static(self.context.directions, classes="sop directions")
        if not self.draft.extra.get("coming_set"):
            # A stranger who says they are coming to consult (§2.2): the box starts ticked,
            # from the classifier's cue; once she ticks or unticks it, hers stands.
            said = self.suggestion is not None and self.suggested_for == self.draft.words
            self.draft.coming_to_consult = bool(said and self.suggestion.opens_lead)
        yield Checkbox(t("triage.coming_to_consult"), self.draft.coming_to_consult, id="coming")
        yield from self._fields(("caller_name", "triage.caller_name"))
        yield Static(t("triage.record_hint"), classes="hint")

    def _screened_widgets(self, call_type: str):
        yield Static(self._sop("screened_decline"), classes="sop")
        yield from self._fields(("caller_name", "triage.caller_name"), ("purpose", "triage.purpose"))
        yield Static(t("triage.record_hint"), classes="hint")

    def _complaint_widgets(self, call_type: str):
        yield Static(self._sop("complaint"), classes="sop")
        yield from self._fields(("caller_name", "triage.caller_name"), ("purpose", "triage.complaint"))
        yield Static(t("triage.record_hint"), classes="hint")

    def _note_widgets(self, call_type: str):
        yield from self._fields(("purpose", "triage.note"))
        yield Static(t("triage.record_hint"), classes="hint")

    def _repeat_widgets(self, call_type: str):
        draft = self.draft
        hit = self.hit if self.hit is not None and self.hit.kind != "staff" else None
        free = self.people.free
        if hit is None:
            yield Static(t("triage.repeat_unknown"), classes="sop")
            yield from self._fields(("lookup_name", "triage.lookup_name"), ("lookup_date", "triage.lookup_date"))
            yield OptionList(id="repeat-hits")
            if free:
                yield Static(t("triage.on_behalf_hint"), classes="hint")
                yield self._targets([(s, script.target_label(s, first=False)) for s in free])
            else:
                yield from self._message_form(self._sop("all_busy"))
            return
        owner = self.people.by_id(hit.owner_id)
        if owner is not None and owner.state == "free" and not draft.take_message:
            yield Static(self._sop("repeat_transfer", name=owner.name), classes="sop")
            yield self._targets([(owner, script.target_label(owner, first=True))])
        elif owner is not None and owner.state in ("away", "off_duty") and not draft.take_message:
            yield Static(t("triage.owner_away", name=owner.name), classes="sop")
            if free:
                draft.on_behalf_of_id = owner.id
                yield self._targets([(s, script.target_label(s, first=False)) for s in free])
            else:
                yield from self._message_form(self._sop("all_busy"))
        else:
            # Owner on the phone or with a visitor: "xx老师 is on the phone" is the line above
            # (``_show_lines``); otherwise the message is asked for as when all are busy.
            busy = owner is not None and bool(lines_for(self.moment()))
            yield from self._message_form("" if busy else self._sop("all_busy"))

    # The action area of each way a call is handled (rules.calls.HANDLING); a silent call is
    # saved by its key and never shows one.
    _ACTIONS = {
        Handling.ROTATION: _rotation_widgets,
        Handling.OWNER: _repeat_widgets,
        Handling.PERSON: _person_widgets,
        Handling.DIRECTIONS: _directions_widgets,
        Handling.SCREENED: _screened_widgets,
        Handling.COMPLAINT: _complaint_widgets,
        Handling.SILENT: _note_widgets,
        Handling.NOTE: _note_widgets,
    }

    def _targets(self, people, default=None) -> OptionList:
        """The people a call can go to; ``default`` is highlighted (when None, the first one
        here). Someone away or off duty says so, and is never the default."""
        options = OptionList(id="targets")
        self._targets_by_id = {}
        for person, label in people:
            self._targets_by_id[str(person.id)] = person
            if person.state in NOT_HERE:
                label = f"{label}  [b yellow]({t('common.states.' + person.state)})[/]"
            options.add_option(Option(label, id=str(person.id)))
        here = [i for i, (person, _) in enumerate(people) if person.state not in NOT_HERE]
        self._default_target = next((i for i in here if default is not None and people[i][0].id == default.id),
                                    here[0] if here else None)
        return options

    def _fields(self, *fields, errors: bool = False):
        """Labelled fields of the action area; ``errors``: each with a line under it that
        says when it is missing."""
        for attr, label in fields:
            yield Label(t(label), classes="field-label")
            yield Field(str(self.draft.extra.get(attr, getattr(self.draft, attr, "")) or ""), id=f"f-{attr}", classes="action-field")
            if errors:
                yield _error_line(f"e-{attr}")

    # What a message must say, each asked for at its field when missing (Ctrl+R, the caller
    # would not leave one, saves without them).
    MESSAGE_FIELDS = ("caller_name", "best_time", "purpose")

    def _message_form(self, lead_line: str):
        self.draft.take_message = True
        if not self.draft.purpose.strip() and self.draft.words.strip():
            self.draft.purpose = self.draft.words.strip()  # what they said is their question
        if lead_line:
            yield Static(lead_line, classes="sop")
        yield Static(self._sop("message_ask"), classes="sop")
        yield from self._fields(
            ("caller_name", "triage.caller_name"),
            ("best_time", "triage.best_time"),
            ("purpose", "triage.question"),
            errors=True,
        )
        yield Static(t("triage.message_hint"), classes="hint")

    def _focus_action(self) -> None:
        area = self.query_one("#action", Vertical)
        for widget in area.query("OptionList#targets, Input, Checkbox"):
            if isinstance(widget, Input) and widget.value:
                continue
            focus_now(widget)
            if isinstance(widget, OptionList) and widget.option_count:
                widget.highlighted = self._default_target
            # Just mounted, so focus could not scroll to it yet: at 80x24 the action area
            # starts below the fold, and the receptionist must see what she types into.
            self.call_after_refresh(widget.scroll_visible, animate=False)
            return

    @on(Input.Changed, ".action-field")
    def _on_field(self, event: Input.Changed) -> None:
        attr = (event.input.id or "")[2:]
        if hasattr(self.draft, attr) and attr not in ("extra",):
            setattr(self.draft, attr, event.value)
        else:
            self.draft.extra[attr] = event.value
        if event.value.strip():
            for line in self.query(f"#e-{attr}"):
                _say(line, "")
        if attr in ("lookup_name", "lookup_date"):
            self._repeat_lookup()

    @on(Input.Submitted, ".action-field")
    def _field_done(self, event: Input.Submitted) -> None:
        fields = list(self.query(".action-field"))
        index = fields.index(event.input)
        if index + 1 < len(fields):
            focus_now(fields[index + 1])
            return
        targets = self.query("#targets")
        if targets and not self.draft.take_message:
            options = targets.first(OptionList)
            focus_now(options)
            if options.highlighted is None and options.option_count:
                options.highlighted = self._default_target
            return
        self.action_record()

    @on(Checkbox.Changed, "#coming")
    def _coming(self, event: Checkbox.Changed) -> None:
        self.draft.coming_to_consult = event.value
        self.draft.extra["coming_set"] = True
        keeper(self.app).changed()

    def _repeat_lookup(self) -> None:
        name = self.draft.extra.get("lookup_name", "")
        when = self.draft.extra.get("lookup_date", "").strip()
        around = None
        if when:
            try:
                around = date.fromisoformat(when)
            except ValueError:
                around = None
        self.post_message(self.RepeatLookupRequested(self, name, around))

    def show_repeat_hits(self, name: str, hits: list[CallerHit]) -> None:
        """The screen's answer to a repeat-caller search, unless the name changed since."""
        if not self.is_mounted or name != self.draft.extra.get("lookup_name", "") or not self.query("#repeat-hits"):
            return
        options = self.query_one("#repeat-hits", OptionList)
        options.clear_options()
        self._repeat_hits = {str(h.id): h for h in hits}
        for hit in hits:
            options.add_option(Option(script.hit_line(hit), id=str(hit.id)))

    @on(OptionList.OptionSelected, "#repeat-hits")
    def _repeat_found(self, event: OptionList.OptionSelected) -> None:
        self._choose(self._repeat_hits[event.option.id])
        self.call_later(self._build_action, "repeat_inquiry")

    @on(OptionList.OptionSelected, "#targets")
    def _target_chosen(self, event: OptionList.OptionSelected) -> None:
        person = self._targets_by_id[event.option.id]
        if person.state in NOT_HERE:
            # Not at work now: say so, and transfer only on y (any other key goes back).
            self._confirming = person.id
            _say(self.query_one("#confirm", Static),
                t("triage.confirm_not_here", name=literal(person.name), state=t("common.states." + person.state)))
            self.call_after_refresh(self.query_one("#confirm", Static).scroll_visible, animate=False)
            return
        self._transfer_to(person.id)

    def _transfer_to(self, person_id: int) -> None:
        self.draft.target_id = person_id
        self.action_record()

    # ----- recording ------------------------------------------------------------------------
    def action_take_message(self) -> None:
        if self.draft.call_type:
            self.draft.take_message = True
            keeper(self.app).changed()
            self.call_later(self._build_action, self.draft.call_type)

    def action_refused(self) -> None:
        """The caller will not leave a number (§2.6): the first Ctrl+R shows the warm retry
        to ask once more; the second (still no) saves the call with no lead, and the line
        left on screen says "please call again later"."""
        if not self.draft.take_message:
            return
        refusals = int(self.draft.extra.get("refusals", 0)) + 1
        self.draft.extra["refusals"] = refusals
        keeper(self.app).changed()
        if refusals < 2:
            self._show_lines()
            say = self.query_one("#say", Static)
            self.call_after_refresh(say.scroll_visible, animate=False)
            return
        self.draft.message_refused = True
        self.action_record()

    def action_silent(self) -> None:
        self.draft.call_type = "silent"
        self.action_record()

    def action_record(self) -> None:
        draft = self.draft
        if self.saving:
            return
        # The fields as they are now: a key typed just before Ctrl+S may not have been
        # told to the draft yet (Input.Changed comes a turn later).
        for field in self.query(".action-field"):
            if isinstance(field, Input):
                attr = (field.id or "")[2:]
                if hasattr(draft, attr) and attr != "extra":
                    setattr(draft, attr, field.value)
        draft.partner = self.query_one("#partner", Input).value
        if not draft.call_type:
            self.app.notify(t("triage.need_type"), severity="warning")
            return
        if handling(draft.call_type) is Handling.PERSON and draft.target_id is None:
            self.app.notify(t("triage.need_person"), severity="warning")
            return
        if self._number_letters and not draft.message_refused:
            self.app.notify(t("phone.letters"), severity="warning")
            focus_now(self.query_one("#number", Input))
            return
        if draft.take_message and not draft.message_refused and not self._message_complete():
            return
        if draft.take_message and not draft.message_refused and not draft.caller_number:
            self.app.notify(t("triage.need_number_for_message"), severity="warning")
            focus_now(self.query_one("#number", Input))
            return
        self.saving = True
        self.post_message(self.RecordRequested(self, draft))

    def _message_complete(self) -> bool:
        """Name, time and question are all there; else each missing one says so at its
        field and the first of them has the focus."""
        missing = []
        for attr in self.MESSAGE_FIELDS:
            gap = not str(getattr(self.draft, attr, "") or "").strip()
            for line in self.query(f"#e-{attr}"):
                _say(line, t(f"triage.missing_{attr}") if gap else "")
            if gap:
                missing.append(attr)
        if missing:
            field = self.query(f"#f-{missing[0]}")
            if field:
                focus_now(field.first(Input))
        return not missing

    def saved(self, call, to) -> None:
        """The call is in the database (committed): its draft leaves the disk at once, and
        the screen hears of it with the line to leave on screen (``to``: who it went to)."""
        self.saving = False
        self.recorded = True
        keeper(self.app).flush()
        self.post_message(self.Recorded(self, call, script.recorded_summary(call, to)))

    def not_saved(self, err: Exception) -> None:
        """Nothing was written (the reason is said already, or said here): everything typed
        stays, and the next Enter tries again."""
        self.saving = False
        if isinstance(err, PickChanged):
            # Show the panel again with who is free now, the new pick first and highlighted,
            # so one Enter transfers to them.
            if err.pick_name is None:
                text = t("triage.pick_gone_nobody", name=literal(err.chosen_name))
            else:
                text = t("triage.pick_changed", name=literal(err.chosen_name), pick=literal(err.pick_name))
            self.app.notify(text, severity="warning", timeout=8)
            self.draft.target_id = None
            self.call_later(self._build_action, self.draft.call_type)
        elif not is_database_error(err):
            self.app.notify(str(err), severity="error")
