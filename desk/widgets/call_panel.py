"""One open call on the triage screen: number, who it is, what they said, what to do.

Each open call is its own panel holding its own ``CallDraft``, so a second call can be taken
while the first one waits with everything typed intact. The panel is what desk keeps on disk
of the call until it is saved (desk.screens.keeper): a call put back after desk closed says
so in its title.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Checkbox, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from desk.dal import calls as calls_dal
from desk.dal.calls import CallDraft, CallerHit
from desk.drafts import Draft, call_data
from desk.i18n import language, t
from desk.phones import PhoneError, display, parse
from desk.screens.base import translate_bindings
from desk.screens.keeper import KeepsDrafts, keeper
from desk.widgets import triage_script as script
from desk.widgets.focus import focus_now
from desk.widgets.guard import DatabaseGuard
from desk.widgets.markup import literal

TYPE_KEYS = {
    "first_inquiry": "alt+f",
    "proxy_inquiry": "alt+p",
    "repeat_inquiry": "alt+r",
    "student": "alt+s",
    "directions": "alt+d",
    "business": "alt+b",
    "screened": "alt+x",
    "complaint": "alt+c",
    "other": "alt+o",
}
# Types whose action is a transfer to a person chosen from a list.
_PERSON_TYPES = ("student", "business")


class NumberInput(Input):
    """The caller's number. Enter moves on to the caller's words in the Enter key's own turn:
    a priority binding runs as the app takes the key, before it hands on the next one, so
    words typed straight after Enter (a fast typist, a busy machine) land in the words field.
    Input.Submitted would reach the panel a turn later, after those keys went to the number."""

    BINDINGS = [Binding("enter", "to_words", show=False, priority=True)]

    def action_to_words(self) -> None:
        self.query_ancestor(CallPanel).number_done()


class CallPanel(DatabaseGuard, KeepsDrafts, VerticalScroll):
    """The form of one call. Posts ``Recorded`` when the call is saved."""

    BINDINGS = [
        *(Binding(key, f"set_type('{ctype}')", f"keys.type_{ctype}", show=False) for ctype, key in TYPE_KEYS.items()),
        Binding("f8", "silent", "keys.silent"),
        Binding("ctrl+s", "record", "keys.record"),
        Binding("ctrl+t", "take_message", "keys.take_message"),
        Binding("ctrl+r", "refused", "keys.refused", show=False),
    ]

    call_type: reactive[str | None] = reactive(None, init=False)

    class Recorded(Message):
        def __init__(self, panel: CallPanel, call, summary: str) -> None:
            super().__init__()
            self.panel = panel
            self.call = call
            self.summary = summary

    def __init__(self, draft: CallDraft, roster: dict[str, str], restored: Draft | None = None, **kwargs) -> None:
        """``restored``: the call was open when desk closed, and this is its draft on disk."""
        super().__init__(**kwargs)
        translate_bindings(self)
        self.draft = draft
        self.roster = roster
        self.restored = restored
        self.recorded = False
        self.hit: CallerHit | None = None
        self.suggestion = None
        self.tree_node = None
        self.tree_path: list = []
        self._started = bool(draft.number) or restored is not None

    # ----- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Label(t("triage.number"), classes="field-label")
        # Focus does not select what is typed (Textual's default): coming back to a call on
        # hold or restored, the next key goes on with the text instead of replacing it.
        yield NumberInput(self.draft.number, placeholder=t("triage.number_placeholder"), id="number", select_on_focus=False)
        yield Static("", id="number-error", classes="field-error")
        yield OptionList(id="hits")
        yield Static("", id="caller")
        yield Label(t("triage.words"), classes="field-label")
        yield Input(self.draft.words, placeholder=t("triage.words_placeholder"), id="words", select_on_focus=False)
        yield Static("", id="suggestion")
        yield Static("", id="tree")
        yield Vertical(id="action")

    def on_mount(self) -> None:
        if self.restored is not None:
            keeper(self.app).adopt(self.restored)
        self.query_one("#hits", OptionList).display = False
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
        return f"{number} · {kind}{mark}"

    # ----- number and lookup ----------------------------------------------------------------
    @on(Input.Changed, "#number")
    def _on_number(self, event: Input.Changed) -> None:
        self._number_changed(event.value)

    def _mark_started(self) -> None:
        """A panel can wait ready for a while: the call starts at its first keystroke."""
        if not self._started:
            self._started = True
            self.draft.started_at = self.app.store.now()

    def _number_changed(self, value: str) -> None:
        self._mark_started()
        self.draft.number = value
        error = self.query_one("#number-error", Static)
        try:
            phone = parse(value, self.app.config.center.phone_region)
        except PhoneError as err:
            self.draft.caller_number = None
            shown = value.strip() and sum(c.isdigit() for c in value) >= 7 or err.code == "phone.no_digits" and value.strip()
            error.update(t(err.code) + " " + t("phone.withheld_hint") if shown else "")
        else:
            self.draft.caller_number = phone.e164
            error.update("")
        hits = calls_dal.lookup(self.app.store, value)
        exact = [h for h in hits if h.phone and h.phone == self.draft.caller_number]
        self._show_hits(hits)
        if exact:
            self._choose(exact[0])
        elif self.hit is not None and self.hit.phone != self.draft.caller_number:
            self._choose(None)

    def _show_hits(self, hits: list[CallerHit]) -> None:
        options = self.query_one("#hits", OptionList)
        options.clear_options()
        self._hits = {str(i): h for i, h in enumerate(hits)}
        for key, hit in self._hits.items():
            options.add_option(Option(script.hit_line(hit), id=key))
        options.display = bool(hits)

    def number_done(self) -> None:
        """Enter in the caller's number (NumberInput): on to what the caller says."""
        focus_now(self.query_one("#words", Input))

    def on_key(self, event) -> None:
        focused = self.app.focused
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
        self.query_one("#caller", Static).update(script.caller_card(hit, self.app.store) if hit else "")
        self._suggest()

    # ----- words, suggestion, decision tree -------------------------------------------------
    @on(Input.Changed, "#words")
    def _on_words(self, event: Input.Changed) -> None:
        self._mark_started()
        self.draft.words = event.value
        self._suggest()

    def _caller_context(self) -> str | None:
        if self.hit is None or self.hit.kind == "staff":
            return None
        return self.hit.kind

    def _suggest(self) -> None:
        from desk.rules.calls import classify

        self.suggestion = classify(self.draft.words, staff=self.roster, caller=self._caller_context())
        card = (
            script.suggestion_card(self.suggestion, confirmed=self.draft.call_type)
            if self.draft.words.strip() or self.draft.call_type
            else t("triage.nothing_typed")
        )
        self.query_one("#suggestion", Static).update(card)

    @on(Input.Submitted, "#words")
    def _words_done(self) -> None:
        if not self.draft.words.strip() and self.hit is None:
            self._start_tree()
            return
        self.action_set_type(self.suggestion.call_type.value)

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
            self.query_one("#suggestion", Static).update(script.suggestion_card(self.suggestion, confirmed=call_type))
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
        self._focus_action()
        self.post_message(self.TitleChanged())

    class TitleChanged(Message):
        pass

    def _action_widgets(self, call_type: str):
        from desk.dal import staff as staff_dal

        draft = self.draft
        draft.pick_id = None
        store = self.app.store
        yield Static(script.action_header(call_type), classes="action-title")
        if call_type in calls_dal.INQUIRY_TYPES:
            free = script.free_consultants(store)
            draft.pick_id = free[0].id if free else None
            if free and not draft.take_message:
                yield Static(script.sop("transfer_line"), classes="sop")
                yield self._targets([(s, script.target_label(s, first=(i == 0))) for i, s in enumerate(free)])
            else:
                yield from self._message_form(script.sop("all_busy"))
        elif call_type == "repeat_inquiry":
            yield from self._repeat_widgets(store)
        elif call_type in _PERSON_TYPES:
            if call_type == "business":
                yield from self._fields(("caller_name", "triage.caller_name"))
            people = staff_dal.list_staff(store)
            named = self.suggestion.named if self.suggestion is not None else None
            people.sort(key=lambda s: (s.name != named and s.english_name != named, s.role == "consultant" and call_type == "business"))
            if draft.take_message:
                yield from self._message_form("")
            else:
                yield self._targets([(s, script.person_label(s)) for s in people])
        elif call_type == "directions":
            yield Static(self.app.config.directions(language()), classes="sop directions")
            yield Checkbox(t("triage.coming_to_consult"), draft.coming_to_consult, id="coming")
            yield from self._fields(("caller_name", "triage.caller_name"))
            yield Static(t("triage.record_hint"), classes="hint")
        elif call_type == "screened":
            yield Static(script.sop("screened_decline"), classes="sop")
            yield from self._fields(("caller_name", "triage.caller_name"), ("purpose", "triage.purpose"))
            yield Static(t("triage.record_hint"), classes="hint")
        elif call_type == "complaint":
            yield Static(script.sop("complaint"), classes="sop")
            yield from self._fields(("caller_name", "triage.caller_name"), ("purpose", "triage.complaint"))
            yield Static(t("triage.record_hint"), classes="hint")
        else:
            yield from self._fields(("purpose", "triage.note"))
            yield Static(t("triage.record_hint"), classes="hint")

    def _repeat_widgets(self, store):
        draft = self.draft
        hit = self.hit if self.hit is not None and self.hit.kind != "staff" else None
        if hit is None:
            yield Static(t("triage.repeat_unknown"), classes="sop")
            yield from self._fields(("lookup_name", "triage.lookup_name"), ("lookup_date", "triage.lookup_date"))
            yield OptionList(id="repeat-hits")
            free = script.free_consultants(store)
            if free:
                yield Static(t("triage.on_behalf_hint"), classes="hint")
                yield self._targets([(s, script.target_label(s, first=False)) for s in free])
            else:
                yield from self._message_form(script.sop("all_busy"))
            return
        owner = script.staff_by_id(store, hit.owner_id)
        if owner is not None and owner.state == "free" and not draft.take_message:
            yield Static(script.sop("repeat_transfer", name=owner.name), classes="sop")
            yield self._targets([(owner, script.target_label(owner, first=True))])
        elif owner is not None and owner.state in ("away", "off_duty") and not draft.take_message:
            free = script.free_consultants(store)
            yield Static(t("triage.owner_away", name=owner.name), classes="sop")
            if free:
                draft.on_behalf_of_id = owner.id
                yield self._targets([(s, script.target_label(s, first=False)) for s in free])
            else:
                yield from self._message_form(script.sop("all_busy"))
        else:
            yield from self._message_form(script.sop("owner_busy", name=owner.name if owner else "?"))

    def _targets(self, people) -> OptionList:
        options = OptionList(id="targets")
        self._targets_by_id = {}
        for person, label in people:
            self._targets_by_id[str(person.id)] = person
            options.add_option(Option(label, id=str(person.id)))
        return options

    def _fields(self, *fields):
        for attr, label in fields:
            yield Label(t(label), classes="field-label")
            yield Input(str(self.draft.extra.get(attr, getattr(self.draft, attr, "")) or ""), id=f"f-{attr}", classes="action-field")

    def _message_form(self, lead_line: str):
        self.draft.take_message = True
        if lead_line:
            yield Static(lead_line, classes="sop")
        yield Static(script.sop("message_ask"), classes="sop")
        yield from self._fields(
            ("caller_name", "triage.caller_name"),
            ("best_time", "triage.best_time"),
            ("purpose", "triage.question"),
        )
        yield Static(t("triage.message_hint"), classes="hint")

    def _focus_action(self) -> None:
        area = self.query_one("#action", Vertical)
        for widget in area.query("OptionList#targets, Input, Checkbox"):
            if isinstance(widget, Input) and widget.value:
                continue
            focus_now(widget)
            if isinstance(widget, OptionList) and widget.option_count:
                widget.highlighted = 0
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
                options.highlighted = 0
            return
        self.action_record()

    @on(Checkbox.Changed, "#coming")
    def _coming(self, event: Checkbox.Changed) -> None:
        self.draft.coming_to_consult = event.value

    def _repeat_lookup(self) -> None:
        from datetime import date

        name = self.draft.extra.get("lookup_name", "")
        when = self.draft.extra.get("lookup_date", "").strip()
        around = None
        if when:
            try:
                around = date.fromisoformat(when)
            except ValueError:
                around = None
        hits = calls_dal.find_leads_by_name_and_date(self.app.store, name, around)
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
        self.draft.target_id = int(event.option.id)
        self.action_record()

    # ----- recording ------------------------------------------------------------------------
    def action_take_message(self) -> None:
        if self.draft.call_type:
            self.draft.take_message = True
            keeper(self.app).changed()
            self.call_later(self._build_action, self.draft.call_type)

    def action_refused(self) -> None:
        if self.draft.take_message:
            self.draft.message_refused = True
            self.action_record()

    def action_silent(self) -> None:
        self.draft.call_type = "silent"
        self.action_record()

    def action_record(self) -> None:
        from desk.errors import DeskError

        draft = self.draft
        if not draft.call_type:
            self.app.notify(t("triage.need_type"), severity="warning")
            return
        if draft.call_type in _PERSON_TYPES and draft.target_id is None:
            self.app.notify(t("triage.need_person"), severity="warning")
            return
        if draft.take_message and not draft.message_refused and not draft.caller_number:
            self.app.notify(t("triage.need_number_for_message"), severity="warning")
            focus_now(self.query_one("#number", Input))
            return
        try:
            call = calls_dal.record_call(self.app.store, draft)
        except calls_dal.PickChanged as err:
            # Nothing was written: show the panel again with who is free now, the new pick
            # first and highlighted, so one Enter transfers to them.
            if err.pick_name is None:
                text = t("triage.pick_gone_nobody", name=literal(err.chosen_name))
            else:
                text = t("triage.pick_changed", name=literal(err.chosen_name), pick=literal(err.pick_name))
            self.app.notify(text, severity="warning", timeout=8)
            draft.target_id = None
            self.call_later(self._build_action, draft.call_type)
            return
        except DeskError as err:
            self.app.notify(str(err), severity="error")
            return
        self.recorded = True
        keeper(self.app).flush()  # saved: its draft leaves the disk at once
        self.post_message(self.Recorded(self, call, script.recorded_summary(self.app.store, call)))
