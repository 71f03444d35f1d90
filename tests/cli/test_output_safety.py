"""No output option writes over the database, its -wal/-shm/-journal, or a file desk did not
write, unless --force (and over the database never): desk report --output, desk report month
--output, desk import --rejects and its default rejects file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import assert_one_line_error, desk

pytestmark = pytest.mark.usefixtures("english")  # the commands speak English here

REPORTS = (["report"], ["report", "month", "2026-11"])
LIST = "姓名,电话,年龄,学历,意向课程\n张伟,13812345999,20,高中,Java开发\n坏,123,20,高中,Java\n"


@pytest.fixture
def center(new_center) -> Path:
    db = new_center
    assert desk("--db", str(db), "staff", "add", "王芳", "--role", "consultant").exit_code == 0
    return db


def state(db: Path) -> tuple:
    """What the center holds, and that it is still a whole database."""
    with sqlite3.connect(db) as conn:
        return (conn.execute("PRAGMA integrity_check").fetchone()[0],
                conn.execute("SELECT name FROM staff ORDER BY id").fetchall(),
                conn.execute("SELECT count(*) FROM lead").fetchone()[0])


def database_names(db: Path, tmp_path: Path, monkeypatch) -> list[str]:
    """The database and its journal files, as a user might name them: plainly, relative, by a
    link of either kind, through a folder that is a link."""
    (tmp_path / "alias.db").symlink_to(db)
    os.link(db, tmp_path / "hard.db")
    (tmp_path / "folder").symlink_to(tmp_path)
    monkeypatch.chdir(tmp_path)
    return [str(db), f"{db}-wal", f"{db}-shm", f"{db}-journal", "desk.db", "./desk.db-wal",
            str(tmp_path / "alias.db"), str(tmp_path / "hard.db"), str(tmp_path / "folder" / "desk.db-wal")]


@pytest.mark.parametrize("command", REPORTS, ids=["day", "month"])
def test_report_output_never_replaces_the_database(center, tmp_path, monkeypatch, command):
    before = state(center)
    for name in database_names(center, tmp_path, monkeypatch):
        for force in ([], ["--force"]):
            assert_one_line_error(desk("--db", str(center), *command, "--output", name, *force),
                                  "--output", "that is the database")
    # The option given before the subcommand is checked too.
    assert_one_line_error(desk("--db", str(center), "report", "--output", str(center), "month", "2026-11"),
                          "that is the database")
    assert state(center) == before
    assert not Path(f"{center}-journal").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp left


@pytest.mark.parametrize("command", REPORTS, ids=["day", "month"])
def test_report_output_over_another_file_needs_force(center, tmp_path, command):
    mine = tmp_path / "accounts.csv"
    mine.write_text("somebody's accounts\n", encoding="utf-8")
    assert_one_line_error(desk("--db", str(center), *command, "--output", str(mine)), "already exists", "--force")
    assert mine.read_text(encoding="utf-8") == "somebody's accounts\n"
    result = desk("--db", str(center), *command, "--output", str(mine), "--force")
    assert result.exit_code == 0, result.output
    assert "somebody's accounts" not in mine.read_text(encoding="utf-8-sig")
    fresh = tmp_path / "fresh.json"
    assert desk("--db", str(center), *command, "--output", str(fresh)).exit_code == 0 and fresh.exists()


def test_report_force_before_the_month_subcommand(center, tmp_path):
    mine = tmp_path / "month.json"
    mine.write_text("{}", encoding="utf-8")
    result = desk("--db", str(center), "report", "--output", str(mine), "--force", "month", "2026-11")
    assert result.exit_code == 0, result.output
    assert mine.read_text(encoding="utf-8") != "{}"


def test_import_rejects_never_replace_the_database(center, tmp_path, monkeypatch):
    source = tmp_path / "list.csv"
    source.write_text(LIST, encoding="utf-8")
    before = state(center)
    for name in database_names(center, tmp_path, monkeypatch):
        for force in ([], ["--force"]):
            result = desk("--db", str(center), "import", str(source), "--channel", "market", "--rejects", name, *force)
            assert_one_line_error(result, "--rejects", "that is the database")
    assert state(center) == before  # refused before anything was imported


def test_import_rejects_over_another_file_needs_force(center, tmp_path):
    source = tmp_path / "list.csv"
    source.write_text(LIST, encoding="utf-8")
    mine = tmp_path / "notes.csv"
    mine.write_text("my notes\n", encoding="utf-8")
    args = ["--db", str(center), "import", str(source), "--channel", "market"]
    assert_one_line_error(desk(*args, "--rejects", str(mine)), "notes.csv already exists", "--force")
    assert mine.read_text(encoding="utf-8") == "my notes\n" and state(center)[2] == 0
    # The default rejects file: somebody else's there is refused too ...
    default = tmp_path / "list.rejects.csv"
    default.write_text("my own list of rejects\n", encoding="utf-8")
    assert_one_line_error(desk(*args), "list.rejects.csv already exists")
    assert default.read_text(encoding="utf-8") == "my own list of rejects\n" and state(center)[2] == 0
    # ... with --force it is written over, and the one desk wrote is written over again freely.
    result = desk(*args, "--force")
    assert result.exit_code == 0 and "1 new leads" in result.stdout
    assert "my own list" not in default.read_text(encoding="utf-8-sig")
    result = desk("--lang", "zh_CN", *args)
    assert result.exit_code == 0, result.output
    assert default.read_text(encoding="utf-8-sig").startswith("行,")  # rewritten, in Chinese now
    result = desk(*args, "--rejects", str(mine), "--force")
    assert result.exit_code == 0 and "my notes" not in mine.read_text(encoding="utf-8-sig")
