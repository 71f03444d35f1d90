"""``desk import`` from the command line: every row read is in exactly one count, the summary
as JSON, .xls lists, progress only on a terminal."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import desk

pytestmark = pytest.mark.usefixtures("english")

LIST = [
    "姓名,电话,年龄,学历,意向课程",
    "张伟,13812345601,20,高中,Java开发",
    "李娜,13812345602,22,本科,UI设计",
    "张伟,13812345601,20,高中,Java开发",  # the same person twice in the file
    "王强,13812345603,25,大专,平面设计",
    "坏,123,20,高中,Java",  # rejected
]


@pytest.fixture
def center(new_center) -> Path:
    db = new_center
    assert desk("--db", str(db), "staff", "add", "王芳", "--role", "consultant").exit_code == 0
    return db


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_every_row_read_is_in_exactly_one_count(center, tmp_path):
    path = write(tmp_path / "list.csv", LIST)
    result = desk("--db", str(center), "import", str(path), "--channel", "market")
    assert result.exit_code == 0, result.output
    summary = result.stdout.splitlines()[0]
    numbers = [int(n) for n in re.findall(r"\b(\d+)\b", summary.split(":", 1)[1])]
    rows, counts = numbers[0], numbers[1:]
    assert rows == 5 and sum(counts) == rows, summary
    assert "1 repeated" in summary


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]], ids=["saved", "dry-run"])
def test_counts_add_up_when_the_list_is_imported_again(center, tmp_path, dry_run):
    path = write(tmp_path / "list.csv", LIST)
    assert desk("--db", str(center), "import", str(path), "--channel", "market").exit_code == 0
    result = desk("--db", str(center), "import", str(path), "--channel", "market", "--force", "--format", "json",
                  *dry_run)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    counts = [summary[k] for k in ("created", "merged", "unchanged", "duplicates_in_file", "rejected")]
    assert summary["rows"] == 5 and counts == [0, 0, 3, 1, 1], summary
    assert summary["dry_run"] is bool(dry_run)


def test_nothing_on_stderr_when_it_is_not_a_terminal(center, tmp_path):
    """As CliRunner and cron see it: the summary on stdout, not one byte on stderr."""
    path = write(tmp_path / "list.csv", LIST)
    result = desk("--db", str(center), "import", str(path), "--channel", "market")
    assert result.exit_code == 0 and result.stdout and result.stderr == ""


def test_nothing_on_stderr_of_a_real_process_with_a_pipe(center, tmp_path):
    import subprocess
    import sys

    path = write(tmp_path / "list.csv", LIST)
    for args in (["import", str(path), "--channel", "market", "--force"], ["report", "--from", "2026-01-01"],
                 ["report", "month", "2026-11"], ["backup"]):
        done = subprocess.run([sys.executable, "-m", "desk", "--db", str(center), *args], capture_output=True,
                              text=True, env={**__import__("os").environ, "DESK_LANG": "en"})
        assert done.returncode == 0, done.stderr
        assert done.stdout and done.stderr == "", (args, done.stderr)


@pytest.mark.parametrize("command, what", [
    (["import", "LIST", "--channel", "market"], "Importing list.csv"),
    (["report", "--from", "2026-01-01", "--to", "2026-03-31"], "Building the report"),
    (["report", "month", "2026-11"], "Building the report"),
    (["backup"], "Backing up"),
], ids=["import", "report-range", "month", "backup"])
def test_progress_on_a_terminal_s_stderr(center, tmp_path, monkeypatch, command, what):
    monkeypatch.setattr("desk.cli.output.stderr_is_terminal", lambda: True)
    path = write(tmp_path / "list.csv", LIST)
    command = [str(path) if c == "LIST" else c for c in command]
    result = desk("--db", str(center), *command)
    assert result.exit_code == 0, result.output
    assert what in result.stderr and "\x1b[" in result.stderr  # drawn for a terminal, then cleared
    assert what not in result.stdout


def test_no_progress_for_a_day_report_even_on_a_terminal(center, monkeypatch):
    monkeypatch.setattr("desk.cli.output.stderr_is_terminal", lambda: True)
    result = desk("--db", str(center), "report")
    assert result.exit_code == 0 and result.stderr == ""


def xls(path: Path, rows: list[list]) -> Path:
    xlwt = pytest.importorskip("xlwt")  # writes the old binary format, for the tests only
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))
    return path


def test_an_xls_list_is_imported(center, tmp_path):
    path = xls(tmp_path / "名单.xls", [
        ["姓名", "电话", "年龄", "学历", "意向课程"],
        ["张伟", 13812345601, 20, "高中", "Java开发"],  # numbers as Excel stores them
        ["李娜", "139 1234 5602", 22.0, "本科", "UI设计"],
        ["坏", 123, 20, "高中", "Java"],
    ])
    result = desk("--db", str(center), "import", str(path), "--channel", "market", "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["rows"], summary["created"], summary["rejected"]) == (3, 2, 1)
    assert summary["rejects"][0]["line"] == 4
    import sqlite3

    with sqlite3.connect(center) as conn:
        got = dict(conn.execute("SELECT phone, age FROM lead").fetchall())
    assert got == {"+8613812345601": 20, "+8613912345602": 22}


def test_a_damaged_xls_is_one_line(center, tmp_path):
    from tests.helpers import assert_one_line_error

    good = xls(tmp_path / "a.xls", [["姓名", "电话"], ["张伟", 13812345601]])
    broken = tmp_path / "broken.xls"
    broken.write_bytes(good.read_bytes()[:600])
    assert_one_line_error(desk("--db", str(center), "import", str(broken), "--channel", "market"), "xls")


def test_a_market_list_with_yidihao_and_no_age_or_education(center, tmp_path):
    """Issue 13: ``desk import`` of a typical market list: 异地号 is accepted, rows without age
    or education are valid when the first call got through and go round the market rotation."""
    from sqlmodel import Session, create_engine, select

    from desk.models import Lead, RotationAssignment

    assert desk("--db", str(center), "staff", "add", "赵强", "--role", "consultant").exit_code == 0
    path = write(tmp_path / "market.csv", [
        "姓名,电话,首次电话",
        "钱一,13812340001,接通",
        "钱二,13812340002,异地号",
        "钱三,13812340003,",
        "钱四,13812340004,关机",
    ])
    result = desk("--db", str(center), "import", str(path), "--channel", "market", "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["rows"], summary["created"], summary["rejected"]) == (4, 4, 0), summary
    assert sum(summary["assigned"].values()) == 2 and set(summary["assigned"]) == {"王芳", "赵强"}
    engine = create_engine(f"sqlite:///{center}")
    try:
        with Session(engine) as s:
            got = {lead.name: lead for lead in s.exec(select(Lead)).all()}
            pool = s.exec(select(RotationAssignment).where(RotationAssignment.pool == "market")).all()
    finally:
        engine.dispose()
    assert got["钱二"].first_call_result == "out_of_area" and not got["钱二"].valid
    assert got["钱二"].owner_id is None and got["钱四"].owner_id is None
    assert got["钱一"].valid and got["钱三"].valid and got["钱一"].age is None
    assert {r.lead_id for r in pool} == {got["钱一"].id, got["钱三"].id}
