"""desk import in batches (issue 16): a list streams through in batches, each all or nothing;
duplicates across batches are one lead; the rejects file is the same whatever the batches;
phones are looked up by their index; course words match as the word-by-word rule did."""

from __future__ import annotations

import csv
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from sqlmodel import select

from desk.dal import Store, import_save
from desk.dal import staff as staff_dal
from desk.dal.imports import IT_WORDS, NON_IT_WORDS, course_interest, import_file
from desk.errors import DeskError
from desk.i18n import set_language
from desk.models import AuditEntry, Lead

pytestmark = pytest.mark.both_backends

SH = ZoneInfo("Asia/Shanghai")
HEADER = ["姓名", "电话", "年龄", "学历", "意向课程", "来源"]


@pytest.fixture
def istore(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("DESK_HOME", str(tmp_path / "home"))
    set_language("en")
    store = Store(engine, tz=SH, clock=lambda: datetime(2026, 11, 26, 10, 0, tzinfo=SH))
    for name in ("王芳", "赵强"):
        staff_dal.add_staff(store, name=name, role="consultant")
    return store


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(import_save, "BATCH", 2)
    monkeypatch.setattr(import_save, "PG_BATCH", 2)


def write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


def leads(store):
    with store.read() as s:
        return {lead.phone: lead for lead in s.exec(select(Lead)).all()}


ROWS = [
    ["张伟", "13812345678", "", "", "", ""],
    ["坏号", "12345", "20", "", "", ""],  # rejected
    ["李娜", "13912345678", "22", "本科", "", "传单"],
    ["", "138 1234 5678", "21", "高中", "Java开发", ""],  # batch 2: the first phone again
    ["老人", "13712345678", "130", "", "", ""],  # rejected
    ["", "+86 139-1234-5678", "", "", "", ""],  # batch 3: the third row's phone again, nothing new
]


def test_a_phone_met_again_in_a_later_batch_fills_its_lead_and_counts_as_a_duplicate(istore, tmp_path, small_batches):
    result = import_file(istore, write(tmp_path / "list.csv", ROWS), channel="market")
    assert result.counts() == {"created": 2, "merged": 0, "unchanged": 0, "duplicates_in_file": 2, "rejected": 2}
    assert result.rows == 6
    got = leads(istore)
    zhang = got["+8613812345678"]
    assert (zhang.name, zhang.age, zhang.education, zhang.course_interest) == ("张伟", 21, "high_school", "Java开发")
    assert zhang.it_related and zhang.valid  # the verdict follows what the later row added
    with istore.read() as s:
        merges = s.exec(select(AuditEntry).where(AuditEntry.action == "merge")).all()
    assert [m.row_id for m in merges] == [zhang.id]  # the third phone's repeat added nothing
    again = import_file(istore, tmp_path / "list.csv", channel="market")
    assert again.counts() == {"created": 0, "merged": 0, "unchanged": 2, "duplicates_in_file": 2, "rejected": 2}


def test_the_rejects_file_is_the_same_whatever_the_batches(istore, tmp_path, monkeypatch):
    path = write(tmp_path / "list.csv", ROWS)
    files = []
    for size in (1000, 2, 1):
        monkeypatch.setattr(import_save, "BATCH", size)
        monkeypatch.setattr(import_save, "PG_BATCH", size)
        result = import_file(istore, path, channel="market", rejects_path=tmp_path / f"rejects-{size}.csv")
        files.append(result.rejects_path.read_bytes())
        assert [(r.line, r.column) for r in result.rejects] == [(3, "电话"), (6, "年龄")]
    assert files[0] == files[1] == files[2]
    with (tmp_path / "rejects-2.csv").open(encoding="utf-8-sig", newline="") as fh:
        back = list(csv.reader(fh))
    assert back[0] == ["Line", "Column", "Reason", *HEADER]
    assert back[1][0] == "3" and back[1][3:] == ROWS[1]
    assert back[2][0] == "6" and back[2][3:] == ROWS[4]


def test_each_batch_is_all_or_nothing_and_a_rerun_finishes_the_list(istore, tmp_path, small_batches, monkeypatch):
    rows = [[f"人{i}", f"1381234{i:04d}", "20", "", "", ""] for i in range(5)]
    path = write(tmp_path / "list.csv", rows)
    real, calls = import_save.insert_rows, []

    def failing(session, table, batch, defaults=None):
        if table.name == "audit":
            calls.append(1)
            if len(calls) == 2:  # the second batch's audit rows: after its leads went in
                raise RuntimeError("disk full")
        return real(session, table, batch, defaults)

    monkeypatch.setattr(import_save, "insert_rows", failing)
    with pytest.raises(RuntimeError):
        import_file(istore, path, channel="market")
    assert sorted(leads(istore)) == ["+8613812340000", "+8613812340001"]  # the first batch only
    monkeypatch.setattr(import_save, "insert_rows", real)
    result = import_file(istore, path, channel="market")
    assert (result.created, result.unchanged) == (3, 2)
    assert len(leads(istore)) == 5


def test_a_rejects_file_that_may_not_be_written_matters_only_with_a_bad_row(istore, tmp_path, small_batches):
    other = tmp_path / "notes.csv"
    other.write_text("mine\n", encoding="utf-8")
    good = write(tmp_path / "good.csv", [ROWS[0], ROWS[2]])
    assert import_file(istore, good, channel="market", rejects_path=other).created == 2
    bad = write(tmp_path / "bad.csv", [["王强", "13712345678", "", "", "", ""], *ROWS[3:]])
    with pytest.raises(DeskError):
        import_file(istore, bad, channel="market", rejects_path=other)
    assert "+8613712345678" not in leads(istore)  # its bad row is in a later batch: still nothing saved
    assert other.read_text(encoding="utf-8") == "mine\n"


def test_phones_are_looked_up_by_their_index_even_with_a_small_tables_statistics(istore, tmp_path, backend):
    if backend != "sqlite":
        pytest.skip("SQLite's planner: PostgreSQL's reads an IN list by the index anyway")
    import_file(istore, write(tmp_path / "few.csv", [ROWS[0], ROWS[2]]), channel="market")  # ANALYZE: 2 leads
    statements = []

    def seen(conn, cursor, statement, params, context, executemany):
        if "FROM lead" in statement and "phone IN" in statement:
            statements.append((statement, params))

    event.listen(istore.engine, "before_cursor_execute", seen)
    try:
        with istore.read() as s:
            found = list(import_save.by_phone(s, ["id", "phone", "name"], [*(f"+86150{i:08d}" for i in range(499)), "+8613812345678"]))
    finally:
        event.remove(istore.engine, "before_cursor_execute", seen)
    assert [row["phone"] for row in found] == ["+8613812345678"]
    with istore.engine.connect() as conn:
        statement, params = statements[0]
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params).all()
    steps = " ".join(str(step) for step in plan)
    assert "INDEX ix_lead_phone" in steps and "SCAN" not in steps, steps


def _word_by_word(course: str) -> tuple[bool, bool]:
    """The rule as it was written before one pattern matched every word."""
    low = course.lower()

    def word_in(word: str) -> bool:
        if word.isascii() and word.isalpha() and len(word) <= 3:
            return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", low) is not None
        return word in low

    it = any(word_in(w) for w in IT_WORDS)
    other = any(w in low for w in NON_IT_WORDS)
    return it, other and not it


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from([*IT_WORDS, *NON_IT_WORDS, "a", "x", "UI", " ", "-", "设", "会", "课程", "培训", "PS"]),
                min_size=1, max_size=5).map("".join))
def test_course_words_match_as_word_by_word(course):
    assert course_interest(course) == _word_by_word(course)


def test_a_known_lead_a_later_batch_adds_to_counts_as_merged(istore, tmp_path, small_batches):
    import_file(istore, write(tmp_path / "a.csv", [ROWS[0]]), channel="market")
    rows = [ROWS[0], ROWS[2], ["", "13812345678", "30", "", "", ""]]  # the known phone, then again with an age
    result = import_file(istore, write(tmp_path / "b.csv", rows), channel="market")
    assert result.counts() == {"created": 1, "merged": 1, "unchanged": 0, "duplicates_in_file": 1, "rejected": 0}
    assert leads(istore)["+8613812345678"].age == 30
