"""``desk audit``: the trail with its filters as a table or JSON, and ``desk audit verify``'s
exit codes (0 intact, 1 a row changed or removed)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import assert_one_line_error, desk

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def center(new_center, tmp_path) -> Path:
    """Audit rows 1-3: three staff added; 4: the manager (as herself) sets 王芳 free; 5: an import."""
    db = new_center
    for name, role in (("[b]王芳[/]", "consultant"), ("赵强", "consultant"), ("孙经理", "manager")):
        assert desk("--db", str(db), "staff", "add", name, "--role", role).exit_code == 0
    from desk.dal import staff as staff_dal
    from desk.dal.store import Store
    from desk.db import open_database

    store = Store(open_database(str(db)))
    boss = staff_dal.find_staff(store, "孙经理")
    staff_dal.set_state(store.with_actor(boss.id), staff_dal.find_staff(store, "[b]王芳[/]").id, "free")
    store.engine.dispose()
    listing = tmp_path / "list.csv"
    listing.write_text("姓名,电话,年龄,学历,意向课程,来源\n张伟,13812345601,20,高中,Java开发,传单\n", encoding="utf-8")
    assert desk("--db", str(db), "import", str(listing), "--channel", "market").exit_code == 0
    return db


def listed(db: Path, *args: str) -> list[dict]:
    result = desk("--db", str(db), "audit", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_table_shows_the_newest_first_and_stored_text_as_it_is(center, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # each row on one line
    result = desk("--db", str(center), "audit")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Audit trail" in out and "import" in out and "[b]王芳[/]" in out and "state: off_duty → free" in out
    assert out.index("import") < out.index("state: off_duty")


def test_json_and_every_filter(center):
    every = listed(center)
    assert [row["id"] for row in every] == [5, 4, 3, 2, 1]
    assert set(every[0]) == {"id", "at", "actor", "action", "table", "row_id", "changes", "reason"}
    assert every[1] | {"at": None} == {"id": 4, "at": None, "actor": "孙经理", "action": "state", "table": "staff", "row_id": 1,
                                       "changes": {"state": ["off_duty", "free"], "on_duty": [False, True]}, "reason": None}
    assert [row["id"] for row in listed(center, "--actor", "孙经理")] == [4]
    assert [row["id"] for row in listed(center, "--action", "create")] == [3, 2, 1]
    assert [row["id"] for row in listed(center, "--table", "lead")] == [5]
    assert [row["id"] for row in listed(center, "--table", "staff", "--row", "1")] == [4, 1]
    assert [row["id"] for row in listed(center, "--limit", "2")] == [5, 4]
    assert [row["id"] for row in listed(center, "--since", "today", "--until", "today")] == [5, 4, 3, 2, 1]
    assert listed(center, "--until", "2000-01-01") == []
    assert listed(center, "--since", "2999-01-01") == []


@pytest.mark.parametrize(
    ("args", "words"),
    [(["--since", "someday"], ["--since", "not a date"]), (["--actor", "nobody"], ["nobody"]),
     (["--since", "today", "--until", "yesterday"], ["inverted"]), (["--format", "xml"], ["xml"])],
)
def test_bad_options_are_one_line_and_exit_2(center, args, words):
    assert_one_line_error(desk("--db", str(center), "audit", *args), *words)


def test_verify_says_intact_or_names_the_row_changed_or_removed(center):
    result = desk("--db", str(center), "audit", "verify")
    assert (result.exit_code, result.stdout) == (0, "chain intact: 5 rows\n")

    with sqlite3.connect(center) as conn:
        conn.execute("UPDATE audit SET changes = '{}' WHERE id = 3")
    result = desk("--db", str(center), "audit", "verify")
    assert result.exit_code == 1
    assert result.stderr.strip() == "desk: audit row 3 was changed or removed (chain broken after row 2)"

    with sqlite3.connect(center) as conn:
        conn.execute("UPDATE audit SET changes = (SELECT changes FROM audit WHERE id = 2) WHERE id = 3")
        conn.execute("DELETE FROM audit WHERE id = 1")
    result = desk("--db", str(center), "audit", "verify")
    assert result.exit_code == 1
    assert result.stderr.strip() == "desk: audit row 2 was changed or removed (chain broken at its start)"


def test_verify_on_a_database_that_is_not_there_is_refused(tmp_path):
    assert_one_line_error(desk("--db", str(tmp_path / "none.db"), "audit", "verify"), "no database")
