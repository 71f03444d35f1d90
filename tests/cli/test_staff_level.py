"""``desk staff level`` (issue 15): a manager records a consultant's level beside the level the
ranking proposes; anyone else is refused in one line."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.helpers import assert_one_line_error, desk

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def guarded(tmp_path, monkeypatch):
    """A manager (PIN 2580) and two consultants, 王芳 (PIN 1357) and 赵强, with no sales yet."""
    db = str(tmp_path / "desk.db")
    for name, role in (("孙经理", "manager"), ("王芳", "consultant"), ("赵强", "consultant")):
        assert desk("--db", db, "staff", "add", name, "--role", role).exit_code == 0
    monkeypatch.setenv("DESK_NEW_PIN", "2580")
    assert desk("--db", db, "staff", "pin", "孙经理").exit_code == 0
    monkeypatch.setenv("DESK_PIN", "2580")
    monkeypatch.setenv("DESK_NEW_PIN", "1357")
    assert desk("--db", db, "--as", "孙经理", "staff", "pin", "王芳").exit_code == 0
    monkeypatch.delenv("DESK_NEW_PIN")
    return db


def _records(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT s.name, l.level, l.status, l.proposed_level, l.criteria, l.note, d.name"
                            " FROM level_record l JOIN staff s ON s.id = l.staff_id"
                            " LEFT JOIN staff d ON d.id = l.decided_by_id ORDER BY l.id").fetchall()


def test_the_manager_records_a_level_and_a_criterion_left_out_stays(guarded):
    done = desk("--db", guarded, "--as", "孙经理", "staff", "level", "王芳", "--level", "2", "--exams", "--train",
                "--note", "ready to lead")
    assert done.exit_code == 0, done.output
    # Both have no sales: they share the first place, and rank 1 allows level 1.
    assert done.stdout.strip() == "王芳: level 2 (regular), proposed by the ranking: 1."
    again = desk("--db", guarded, "--as", "孙经理", "staff", "level", "王芳", "--level", "3", "--status", "demoted",
                 "--no-exams")
    assert again.exit_code == 0, again.output
    rows = _records(guarded)
    assert [(r[0], r[1], r[2], r[3], r[5], r[6]) for r in rows] == [
        ("王芳", 2, "regular", 1, "ready to lead", "孙经理"), ("王芳", 3, "demoted", 1, None, "孙经理")]
    assert json.loads(rows[1][4]) == {"exams_passed": False, "can_host_lectures": False, "can_train": True}


def test_a_consultant_is_refused(guarded, monkeypatch):
    monkeypatch.setenv("DESK_PIN", "1357")
    result = desk("--db", guarded, "--as", "王芳", "staff", "level", "王芳", "--level", "1")
    assert result.exit_code == 1 and "may not see or change pay, levels" in result.stderr
    assert "\n" not in result.stderr.strip() and _records(guarded) == []


@pytest.mark.parametrize(("args", "words"), [
    (["王芳", "--level", "7"], ["from 1 to 6"]),
    (["王芳", "--level", "3", "--status", "senior"], ["new, regular or demoted"]),
    (["李雷", "--level", "3"], ["李雷"]),
])
def test_bad_input_is_one_line(guarded, args, words):
    result = desk("--db", guarded, "--as", "孙经理", "staff", "level", *args)
    assert_one_line_error(result, *words)
    assert _records(guarded) == []
