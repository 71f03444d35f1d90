"""xlsx exports are ready to print (landscape, fit to one page wide, the header row on every
page) and their columns are as wide as the text in cells, CJK counted twice."""

from __future__ import annotations

from openpyxl import load_workbook

from desk.reporting.export import write_xlsx
from desk.reporting.tables import INT, TEXT, Sheet


def sheet() -> Sheet:
    return Sheet(
        "register",
        "电话登记",
        [("姓名", TEXT), ("Course", TEXT), ("n", INT)],
        [["欧阳娜娜娜娜娜娜娜娜娜娜", "Java", 1], ["Zhang", "ｶﾀｶﾅ✅✅ Java班", 2]],
    )


def test_print_settings_on_every_table(tmp_path):
    book = load_workbook(write_xlsx(tmp_path / "r.xlsx", "月报", [sheet()]))
    ws = book["电话登记"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$1:$1"


def test_column_widths_count_cjk_cells(tmp_path):
    ws = load_workbook(write_xlsx(tmp_path / "r.xlsx", "月报", [sheet()]))["电话登记"]
    # 12 CJK characters are 24 cells; half-width kana one each, the emoji two each
    assert ws.column_dimensions["A"].width == 24 + 2
    assert ws.column_dimensions["B"].width == 15 + 2
