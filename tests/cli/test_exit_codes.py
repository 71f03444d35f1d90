"""The CLI's exit codes (issue 12 §22): 2 for a usage error (a bad option or value), 1 for a
failure on the way (a file that cannot be written, the database saying no), 130 on Ctrl+C;
every error one line on stderr, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import assert_one_line_error, desk

pytestmark = pytest.mark.usefixtures("english")

LIST = "姓名,电话,年龄,学历,意向课程\n张伟,13812345999,20,高中,Java开发\n坏,123,20,高中,Java\n"


@pytest.fixture
def center(new_center) -> Path:
    db = new_center
    assert desk("--db", str(db), "staff", "add", "王芳", "--role", "consultant").exit_code == 0
    return db


def assert_failed(result, *words: str, code: int = 1) -> None:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    err = result.stderr.strip()
    assert err.startswith("desk: ") and "\n" not in err, err
    assert "Traceback" not in result.output
    for word in words:
        assert word in err, err


@pytest.fixture
def denied(tmp_path, monkeypatch) -> Path:
    """A folder nobody may write in (tests run as root too, so the check is told so)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    real = os.access
    monkeypatch.setattr("desk.files.os.access", lambda p, mode: False if Path(p) == folder else real(p, mode))
    return folder


@pytest.mark.parametrize("command", [["report"], ["report", "month", "2026-11"]], ids=["day", "month"])
def test_an_output_that_cannot_be_written_exits_1(center, denied, command):
    assert_failed(desk("--db", str(center), *command, "-o", str(denied / "r.csv")), "cannot write", "permission")


def test_a_write_that_fails_on_the_way_exits_1(center, tmp_path, monkeypatch):
    def full(self, filename):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("openpyxl.Workbook.save", full)
    out = tmp_path / "r.xlsx"
    assert_failed(desk("--db", str(center), "report", "-o", str(out)), "No space left")
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_rejects_that_cannot_be_written_exit_1_and_import_nothing(center, tmp_path, denied):
    listing = tmp_path / "list.csv"
    listing.write_text(LIST, encoding="utf-8")
    assert_failed(desk("--db", str(center), "import", str(listing), "--channel", "market",
                       "--rejects", str(denied / "rejects.csv")), "cannot write")
    import sqlite3

    with sqlite3.connect(center) as conn:
        assert conn.execute("SELECT count(*) FROM lead").fetchone()[0] == 0


@pytest.mark.parametrize("where, command", [
    ("desk.dal.imports.import_file", ["import", "LIST", "--channel", "market"]),
    ("desk.reporting.day.build", ["report"]),
    ("desk.reporting.month.build_month", ["report", "month", "2026-11"]),
    ("desk.backup.backup", ["backup"]),
    ("desk.dal.staff.list_staff", ["staff", "list"]),
], ids=["import", "report", "month", "backup", "staff"])
def test_ctrl_c_exits_130_with_one_line(center, tmp_path, monkeypatch, where, command):
    listing = tmp_path / "list.csv"
    listing.write_text(LIST, encoding="utf-8")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(where, interrupted)
    command = [str(listing) if c == "LIST" else c for c in command]
    assert_failed(desk("--db", str(center), *command), "aborted", code=130)


@pytest.mark.parametrize("command, words", [
    (["report", "--format", "xml"], ["xml"]),
    (["report", "month", "2026-13"], ["2026-13"]),
    (["report", "--date", "someday"], ["--date"]),
    (["import", "LIST", "--channel", "street"], ["--channel"]),
    (["import", "LIST", "--channel", "market", "--format", "xml"], ["--format"]),
    (["import", "LIST", "--channel", "market", "--map", "nothing"], ["--map"]),
    (["backup", "--keep", "0"], ["--keep"]),
    (["staff", "list", "--format", "csv"], ["--format"]),
    (["lead", "unowned", "--format", "csv"], ["--format"]),
    (["outreach", "list", "--format", "csv"], ["--format"]),
    (["outreach", "list", "--from", "nope"], ["--from"]),
    (["init", "--center", " "], []),
], ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_usage_errors_exit_2(center, tmp_path, command, words):
    listing = tmp_path / "list.csv"
    listing.write_text(LIST, encoding="utf-8")
    command = [str(listing) if c == "LIST" else c for c in command]
    assert_one_line_error(desk("--db", str(center), *command), *words)


def test_a_folder_that_refuses_the_temp_file_exits_1_naming_the_output(center, tmp_path, monkeypatch):
    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("desk.files.tempfile.mkstemp", refused)
    out = tmp_path / "month.csv"
    assert_failed(desk("--db", str(center), "report", "month", "2026-11", "-o", str(out)),
                  f"cannot write {out}", "Permission denied")
