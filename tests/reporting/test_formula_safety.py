"""Exports are safe to open (OWASP CSV injection): a cell of stored text that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is never a live formula. In csv and
rejects files it gets a leading ``'``; in xlsx it is a string cell (quote-prefixed) showing
the same text. Numbers stay numbers, negative ones too."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from desk.files import neutralise
from tests.helpers import desk, transferred_call

pytestmark = pytest.mark.usefixtures("english")

FORMULAS = ['=HYPERLINK("http://evil.example","click")', "=1+1", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_looking_text_gets_a_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-12.5, -3, 0, 7, "-12.5", "+8613812345678", "张伟", "a=1", "", None])
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert neutralise(value) == value


@pytest.fixture
def center(tmp_path) -> Path:
    """A center where a lead list brought formula-looking names and sources, and the desk
    typed one for a caller."""
    db = tmp_path / "desk.db"
    assert desk("--db", str(db), "staff", "add", "王芳", "--role", "consultant").exit_code == 0
    listing = tmp_path / "list.csv"
    with listing.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["姓名", "电话", "年龄", "学历", "意向课程", "来源"])
        writer.writerow(["=1+1", "13812345601", "20", "高中", "Java开发", "=HYPERLINK(\"http://evil.example\",\"x\")"])
        writer.writerow(["@SUM(A1)", "123", "20", "高中", "Java开发", "-2+3"])  # rejected: bad phone
    result = desk("--db", str(db), "import", str(listing), "--channel", "market")
    assert result.exit_code == 0, result.output
    from desk.dal.store import Store
    from desk.db import open_database

    store = Store(open_database(str(db)))
    from desk.dal import staff as staff_dal

    staff_dal.set_state(store, staff_dal.find_staff(store, "王芳").id, "free")
    transferred_call(store, number="+8613812345609", name="+cmd|' /C calc'!A0", words="=2+2 do you teach Java")
    store.engine.dispose()
    return db


def test_rejects_file_neutralises_the_file_s_cells(center, tmp_path):
    text = (tmp_path / "list.rejects.csv").read_text(encoding="utf-8-sig")
    row = list(csv.reader(io.StringIO(text)))[1]
    assert "'@SUM(A1)" in row and "'-2+3" in row and "@SUM(A1)" not in [c for c in row if not c.startswith("'")]


def _month() -> str:
    return date.today().strftime("%Y-%m")


def test_month_csv_neutralises_names_typed_at_the_desk(center, tmp_path):
    out = tmp_path / "month.csv"
    assert desk("--db", str(center), "report", "month", _month(), "-o", str(out)).exit_code == 0
    cells = [c for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))) for c in row]
    assert "'+cmd|' /C calc'!A0" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not _number(c))]


def test_day_csv_neutralises_sources_from_an_import(center, tmp_path):
    out = tmp_path / "day.csv"
    assert desk("--db", str(center), "report", "-o", str(out)).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not _number(c))]


def _number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("command", [["report", "month", "MONTH"], ["report"]], ids=["month", "day"])
def test_xlsx_has_no_formula_and_keeps_the_text(center, tmp_path, command):
    from openpyxl import load_workbook

    out = tmp_path / "out.xlsx"
    command = [_month() if c == "MONTH" else c for c in command]
    result = desk("--db", str(center), *command, "-o", str(out))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in book.read(name).decode("utf-8"), name
    book = load_workbook(out)
    texts = {cell.value: cell for ws in book.worksheets for row in ws.iter_rows() for cell in row
             if isinstance(cell.value, str)}
    # the month's register has the name typed at the desk; the day's sources, the import's
    wanted = ["+cmd|' /C calc'!A0"] if "month" in command else ['=HYPERLINK("http://evil.example","x")']
    for text in wanted:
        assert text in texts, sorted(texts)[:40]
        assert texts[text].data_type == "s" and texts[text].quotePrefix
    numbers = [cell.value for ws in book.worksheets for row in ws.iter_rows() for cell in row
               if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)]
    assert numbers  # counts and amounts stay numbers
