"""desk report files and command line: json, csv, xlsx written whole; bad input is one line, exit 2."""

from __future__ import annotations

import csv
import json
import os
from datetime import date

import pytest
from openpyxl import load_workbook

from desk.config import load
from desk.errors import DeskError
from desk.i18n import set_language
from desk.reporting import day, emit, guess_format, month
from tests.helpers import DAY

pytestmark = pytest.mark.both_backends


def test_json_file_is_the_document(known, tmp_path):
    doc = day.build(known, DAY)
    out = emit(doc, "json", tmp_path / "day.json")
    assert json.loads(out.read_text(encoding="utf-8")) == doc
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_csv_day_is_key_value_lines(known, tmp_path):
    out = emit(day.build(known, DAY), "csv", tmp_path / "day.csv")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = dict(list(csv.reader(fh))[1:])
    assert rows["calls.by_type.first_inquiry"] == "4"
    assert rows["leads.by_channel.market"] == "1"
    assert rows["consultants.王芳.calls"] == "3"
    assert rows["enrollments.amount_fen"] == "2270050"


def test_csv_month_is_the_register_with_headers(known, tmp_path):
    set_language("zh_CN")
    try:
        out = emit(month.build_month(known, load(None), 2026, 11), "csv", tmp_path / "register.csv")
    finally:
        set_language("en")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:4] == ["日期", "时间", "姓名", "电话"]
    assert len(rows) == 1 + 7


def test_xlsx_has_headers_widths_and_number_formats(known, tmp_path):
    out = emit(day.build(known, DAY), "xlsx", tmp_path / "day.xlsx")
    book = load_workbook(out)
    names = book.sheetnames
    assert "Calls" in names and "Per consultant" in names and names[-1] == "info"
    sheet = book["Per consultant"]
    assert [c.value for c in sheet[1]][:3] == ["Name", "Calls", "Walk-ins"]
    assert sheet[1][0].font.bold and sheet.freeze_panes == "A2"
    assert sheet["A2"].value == "王芳" and sheet["G2"].value == 12800.0 and sheet["G2"].number_format == "#,##0.00"
    assert sheet["H2"].value == 5000.0 and sheet["H2"].number_format == "#,##0.00"  # sales: money received
    assert sheet["I2"].number_format == "0.0%"
    assert sheet.column_dimensions["A"].width >= 8
    calls = book["Calls"]
    assert calls["B2"].value == 4 and calls["A2"].value == "First inquiry"

    month_out = emit(month.build_month(known, load(None), 2026, 11), "xlsx", tmp_path / "month.xlsx")
    book = load_workbook(month_out)
    assert book.sheetnames[0] == "Phone register"
    register = book["Phone register"]
    assert register.max_row == 1 + 7 and register.max_column == 16
    assert register["P1"].value == "Channel partner"  # the register's last column
    sales = book["Sales, commission and targets"]
    assert sales["G1"].value == "Sales (¥)" and sales["C1"].value == "Tuition agreed (¥)"
    assert sales["I1"].value == "Attainment" and sales["I2"].number_format == "0.0%"


def test_unwritable_output_leaves_nothing(known, tmp_path):
    doc = day.build(known, DAY)
    with pytest.raises(DeskError, match="does not exist"):
        emit(doc, "json", tmp_path / "missing" / "day.json")
    with pytest.raises(DeskError, match="directory"):
        emit(doc, "xlsx", tmp_path)
    with pytest.raises(DeskError, match="xlsx is a file format"):
        emit(doc, "xlsx", None)
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        with pytest.raises(DeskError, match="permission"):
            emit(doc, "csv", locked / "day.csv")
        locked.chmod(0o700)
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_failed_write_removes_the_temp_file_and_keeps_the_old_file(tmp_path):
    from desk.files import atomic_write

    target = tmp_path / "report.json"
    target.write_text("old")

    def boom(temp):
        temp.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, boom)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_format_is_guessed_from_the_output():
    from pathlib import Path

    assert guess_format(None, Path("x.xlsx")) == "xlsx"
    assert guess_format(None, None) == "table"
    assert guess_format("JSON", None) == "json"
    with pytest.raises(DeskError, match="unknown format"):
        guess_format("pdf", None)


# ---- the command line ---------------------------------------------------------------------


def run(args, capsys):
    from desk.cli import app

    code = app(args=args, prog_name="desk", standalone_mode=False)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def cli_db(known, monkeypatch):
    """The command line's way to the known day: ``--db FILE``, or on PostgreSQL none, with
    ``DESK_DATABASE_URL`` set as a center's workstations have it."""
    url = known.engine.url
    if url.get_backend_name() == "sqlite":
        return ["--db", url.database]
    monkeypatch.setenv("DESK_DATABASE_URL", url.render_as_string(hide_password=False))
    return []


def test_cli_report_json_and_errors(cli_db, capsys, tmp_path):
    code, out, err = run([*cli_db, "report", "--date", "2026-11-25", "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["calls"]["total"] == 9
    code, out, err = run([*cli_db, "report", "--from", "2026-11-24", "--to", "2026-11-25", "--format", "json"], capsys)
    assert json.loads(out)["calls"]["total"] == 10
    code, out, err = run([*cli_db, "--lang", "en", "report", "--date", "2026-11-25", "--consultant", "王芳"], capsys)
    assert code == 0 and "End-of-day report 2026-11-25" in out and "王芳" in out
    bad = [
        (["report", "--date", "2026-02-30"], "not a date"),
        (["report", "--date", "tomorrowish"], "not a date"),
        (["report", "--from", "2026-11-25", "--to", "2026-11-01"], "inverted"),
        (["report", "--date", "2026-11-25", "--from", "2026-11-01"], "either --date"),
        (["report", "--consultant", "Nobody"], "unknown consultant"),
        (["report", "--output", str(tmp_path / "nope" / "x.json")], "does not exist"),
        (["report", "--format", "pdf"], "unknown format"),
        (["report", "month", "2026-13"], "not a month"),
        (["import", str(tmp_path / "none.csv"), "--channel", "market"], "no such file"),
        (["import", str(tmp_path / "none.csv"), "--channel", "outdoor"], "collector"),
    ]
    for args, message in bad:
        code, out, err = run([*cli_db, *args], capsys)
        assert code == 2, args
        assert err.startswith("desk: ") and message in err and err.count("\n") == 1, (args, err)
    assert not (tmp_path / "nope").exists()


def test_cli_month_xlsx_and_import(cli_db, capsys, tmp_path):
    target = tmp_path / "november.xlsx"
    code, out, _err = run([*cli_db, "report", "month", "2026-11", "-o", str(target)], capsys)
    assert code == 0 and target.exists() and str(target) in out
    source = tmp_path / "list.csv"
    source.write_text("姓名,电话,年龄,学历,意向课程\n张伟,13812345999,20,高中,Java开发\n坏,123,20,高中,Java\n", encoding="gbk")
    code, out, _err = run([*cli_db, "--lang", "en", "import", str(source), "--channel", "market"], capsys)
    assert code == 0 and "1 new leads" in out and "line 3" in out
    assert (tmp_path / "list.rejects.csv").exists()
    code, out, _err = run([*cli_db, "--lang", "en", "import", str(source), "--channel", "market"], capsys)
    assert "0 new leads" in out and "1 already known" in out


def test_report_defaults_to_today(known, capsys):
    assert day.build(known, known.today())["from"] == date(2026, 11, 26).isoformat()
