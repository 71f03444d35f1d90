"""QA scoring (质检评分, docs/domain.md §11.4): ``q`` on the dashboard for a reviewer, ``q`` on
the consult-notes queue for a consultant.

:class:`QaScreen` for a reviewer (a role with QA_REVIEW): the consultants on the left, the
month's consults of the highlighted one on the right (time, call or face to face, caller or
lead, the recording's reference or the note's text, the score once reviewed), her average
and what the highlighted consult's review found below; Enter scores the consult in :class:`QaFormScreen`. ``[`` and ``]`` change the
month. For a consultant the same screen lists her own reviews, read-only: the score, the
faults found and the reviewer's comments of the highlighted one below.

:class:`QaFormScreen`: the rubric's items, each with its faults as checkboxes (deducting
five points, or setting the item to 0) and a comment field that opens under a ticked fault;
the bonuses; the fatal errors. The total is worked out by ``desk.rules.qa`` as boxes are
ticked and stays in view under the scrolling form. Ctrl+S saves, Esc goes back.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from desk.dal import qa
from desk.dal import staff as staff_dal
from desk.errors import DeskError, FieldError
from desk.i18n import language, t
from desk.rules.access import Action, allowed
from desk.rules.qa import DEDUCT, Rubric, default_rubric
from desk.screens.base import DeskScreen
from desk.widgets.checkbox import DeskCheckbox
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.forms import error_text
from desk.widgets.header import DeskHeader
from desk.widgets.markup import literal
from desk.widgets.table import DeskTable


def _label(named) -> str:
    """A rubric name's label in desk's language (the rubric holds zh and en)."""
    return named.label("zh" if language() == "zh_CN" else "en")


def _month_step(month: date, step: int) -> date:
    months = month.year * 12 + month.month - 1 + step
    return date(months // 12, months % 12 + 1, 1)


def _one_line(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def marks_text(marks: qa.Marks, rubric: Rubric) -> str:
    """What a review found, one fault a line with the reviewer's comment; bonuses and fatal
    errors after them."""
    lines = [
        t("qa.detail_fault", label=_label(rubric.faults[f]),
          comment=f": {literal(marks.comments[f])}" if marks.comments.get(f) else "")
        for f in marks.faults if f in rubric.faults
    ]
    lines += [t("qa.detail_bonus", label=_label(rubric.bonuses[b])) for b in marks.bonuses if b in rubric.bonuses]
    lines += [t("qa.detail_fatal", label=_label(rubric.fatal[x])) for x in marks.fatal if x in rubric.fatal]
    return "\n".join(lines) or t("qa.detail_clean")


class QaScreen(DeskScreen):
    BINDINGS = [
        Binding("left_square_bracket", "month(-1)", "qa.k_prev_month"),
        Binding("right_square_bracket", "month(1)", "qa.k_next_month"),
        Binding("escape", "back", "qa.k_back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.month = date(2000, 1, 1)
        self.people: list[tuple[int, str]] = []
        self.consults: list[qa.Consult] = []
        self.reviews: list[qa.Review] = []
        self._average = ""

    @property
    def reviewer(self) -> bool:
        user = self.desk.user
        return user is not None and allowed(user.role, Action.QA_REVIEW)

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield Static("", id="qa-title", classes="panel-title")
        with Horizontal(id="qa-main"):
            if self.reviewer:
                yield OptionList(id="qa-people")
            yield DeskTable(id="qa-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="qa-detail")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.month = self.desk.today().replace(day=1)
        table = self.query_one("#qa-table", DeskTable)
        keys = ("when", "kind", "who", "ref", "score") if self.reviewer else ("when", "kind", "who", "score", "reviewer")
        for key in keys:
            table.add_column(t(f"qa.col_{key}"), key=key)
        if self.reviewer:
            store = self.store
            self.in_thread(lambda: [(p.id, p.name) for p in staff_dal.consultants(store)], self._people, group="qa-people")
        else:
            focus_now(table)
            self._read()

    def _people(self, people: list[tuple[int, str]]) -> None:
        self.people = people
        options = self.query_one("#qa-people", OptionList)
        options.add_options([Option(literal(name), id=str(pid)) for pid, name in people])
        if people:
            options.highlighted = 0
        focus_now(options)
        self._read()

    @property
    def person(self) -> tuple[int, str] | None:
        """Whose consults or reviews are shown: the highlighted consultant, or oneself."""
        if not self.reviewer:
            user = self.desk.user
            return (user.id, user.name) if user is not None else None
        picked = self.query_one("#qa-people", OptionList).highlighted
        return self.people[picked] if picked is not None and picked < len(self.people) else None

    def _read(self) -> None:
        person = self.person
        title = "qa.title_review" if self.reviewer else "qa.title_own"
        self.query_one("#qa-title", Static).update(t(title, month=self.month.strftime("%Y-%m"),
                                                     name=literal(person[1]) if person else ""))
        if person is None:
            return
        store, month, staff_id, reviewer = self.store, self.month, person[0], self.reviewer

        def read():
            average = qa.qa_average(store, staff_id, month)
            if reviewer:
                return qa.consults_to_review(store, staff_id, month), [], average
            return [], qa.reviews_for(store, staff_id, month), average

        self.in_thread(read, self._show, group="qa-read", exclusive=True)

    def _show(self, read: tuple[list[qa.Consult], list[qa.Review], tuple]) -> None:
        self.consults, self.reviews, (average, count) = read
        table = self.query_one("#qa-table", DeskTable)
        keep = table.cursor_row
        table.clear()
        when = lambda moment: self.store.local(moment).strftime("%m-%d %H:%M")  # noqa: E731
        for c in self.consults:
            table.add_row(when(c.at), t(f"qa.kind_{c.kind}"), c.who, _one_line(c.ref),
                          str(c.total) if c.total is not None else "", key=f"{c.kind}-{c.id}")
        for r in self.reviews:
            table.add_row(when(r.consult_at), t(f"qa.kind_{r.consult_kind}"), r.who, str(r.total), r.reviewer,
                          key=str(r.id))
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self._detail(average, count)

    def _detail(self, average=None, count: int | None = None) -> None:
        if count is not None:
            self._average = t("qa.average", average=average, n=count) if count else t("qa.no_average")
        lines = [self._average]
        table = self.query_one("#qa-table", DeskTable)
        marks = None
        if self.reviews and table.row_count:
            marks = self.reviews[table.cursor_row].marks
        elif self.consults and table.row_count:
            marks = self.consults[table.cursor_row].marks  # what the review found, once scored
        if marks is not None:
            lines.append(marks_text(marks, default_rubric()))
        elif not table.row_count:
            lines.append(t("qa.none_consults" if self.reviewer else "qa.none_reviews"))
        self.query_one("#qa-detail", Static).update("\n".join(lines))

    @on(OptionList.OptionHighlighted, "#qa-people")
    def _person_changed(self) -> None:
        self._read()

    @on(OptionList.OptionSelected, "#qa-people")
    def _person_picked(self) -> None:
        focus_now(self.query_one("#qa-table", DeskTable))

    @on(DataTable.RowHighlighted, "#qa-table")
    def _row_changed(self) -> None:
        if self.reviews or self.consults:
            self._detail()

    @on(DataTable.RowSelected, "#qa-table")
    def _score(self) -> None:
        person = self.person
        if not self.reviewer or not self.consults or person is None:
            return
        consult = self.consults[self.query_one("#qa-table", DeskTable).cursor_row]

        def closed(saved: bool | None) -> None:
            if saved:
                self._read()

        self.app.push_screen(QaFormScreen(consult, person[1]), closed)

    def action_month(self, step: int) -> None:
        self.month = _month_step(self.month, step)
        self._read()

    def on_screen_resume(self) -> None:
        if self.people or not self.reviewer:
            self._read()

    def action_back(self) -> None:
        self.dismiss()


class QaFormScreen(DeskScreen):
    BINDINGS = [Binding("ctrl+s", "save", "qa.k_save"), Binding("escape", "back", "qa.k_back")]

    def __init__(self, consult: qa.Consult, name: str) -> None:
        super().__init__()
        self.consult = consult
        self.name_shown = name
        self.rubric = default_rubric()

    def compose(self) -> ComposeResult:
        c, rubric = self.consult, self.rubric
        marks = c.marks or qa.Marks()
        yield DeskHeader()
        yield Static(t("qa.form_title", name=literal(self.name_shown), kind=t(f"qa.kind_{c.kind}"), who=literal(c.who),
                       when=self.desk.store.local(c.at).strftime("%Y-%m-%d %H:%M")), classes="panel-title")
        yield Static(t(f"qa.ref_{c.kind}", ref=literal(c.ref)), id="qf-ref")
        with VerticalScroll(id="qf-scroll"):
            for name, item in rubric.items.items():
                yield Static("", id=f"qf-item-{name}", classes="qf-item")
                for fault in item.faults:
                    kind = t("qa.deducts", points=rubric.deduct_points) if rubric.faults[fault].kind == DEDUCT else t("qa.zeroes")
                    yield DeskCheckbox(f"{_label(rubric.faults[fault])} {kind}", fault in marks.faults, id=f"qf-f-{fault}",
                                      compact=True)
                    comment = Input(marks.comments.get(fault, ""), placeholder=t("qa.ph_comment"), id=f"qf-c-{fault}",
                                    classes="qf-comment", compact=True)
                    comment.display = fault in marks.faults
                    yield comment
            yield Static(t("qa.bonuses"), classes="qf-item")
            for name, bonus in rubric.bonuses.items():
                yield DeskCheckbox(f"{_label(bonus)} +{bonus.points}", name in marks.bonuses, id=f"qf-b-{name}", compact=True)
            yield Static(t("qa.fatal"), classes="qf-item")
            for name, fatal in rubric.fatal.items():
                yield DeskCheckbox(_label(fatal), name in marks.fatal, id=f"qf-x-{name}", compact=True)
        yield Static("", id="qf-error", classes="field-error")
        yield Static("", id="qf-total")
        yield DeskFooter()

    def on_mount(self) -> None:
        self._recount()
        focus_now(self.query(DeskCheckbox).first())

    def _ticked(self, prefix: str, names) -> list[str]:
        return [name for name in names if self.query_one(f"#qf-{prefix}-{name}", DeskCheckbox).value]

    def marks(self) -> qa.Marks:
        rubric = self.rubric
        faults = self._ticked("f", rubric.faults)
        return qa.Marks(tuple(faults), tuple(self._ticked("b", rubric.bonuses)), tuple(self._ticked("x", rubric.fatal)),
                        {f: self.query_one(f"#qf-c-{f}", Input).value for f in faults})

    def _recount(self) -> None:
        """The scores as the boxes stand, by the rubric: each item's line and the total."""
        marks = self.marks()
        scored = self.rubric.review(marks.faults, marks.bonuses, marks.fatal)
        for name, item in self.rubric.items.items():
            self.query_one(f"#qf-item-{name}", Static).update(
                t("qa.item_line", label=_label(item), max=item.max, points=scored.items[name]))
        items = sum(scored.items.values())
        key = "qa.total_fatal" if scored.fatal else "qa.total"
        self.query_one("#qf-total", Static).update(t(key, total=scored.total, items=items, bonus=scored.bonus))

    @on(Checkbox.Changed)
    def _ticked_changed(self, event: Checkbox.Changed) -> None:
        box_id = event.checkbox.id or ""
        if box_id.startswith("qf-f-"):
            comment = self.query_one(f"#qf-c-{box_id[5:]}", Input)
            comment.display = event.value
        self._recount()

    def action_save(self) -> None:
        self.query_one("#qf-error", Static).update("")
        marks, c, store = self.marks(), self.consult, self.store
        ids = {"call_id": c.id} if c.kind == qa.CALL else {"note_id": c.id}
        self.in_thread(lambda: qa.save_review(store, c.staff_id, faults=marks.faults, bonuses=marks.bonuses,
                                              fatal=marks.fatal, comments=marks.comments, **ids),
                       self._saved, failed=self._failed, group="qa-save")

    def _saved(self, review) -> None:
        self.app.notify(t("qa.saved", name=literal(self.name_shown), total=review.total), title=t("common.saved"))
        self.dismiss(True)

    def _failed(self, err: Exception) -> None:
        if isinstance(err, FieldError):
            self.query_one("#qf-error", Static).update(error_text(err))
        elif isinstance(err, DeskError):
            self.query_one("#qf-error", Static).update(literal(str(err)))

    def action_back(self) -> None:
        self.dismiss(None)
