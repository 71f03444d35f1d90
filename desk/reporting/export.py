"""Report outputs: Rich tables on the terminal, and json / csv / xlsx files written atomically."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk.files import atomic_write, check_writable, formula_like, neutralise, write_text
from desk.reporting.tables import INT, MONEY, PCT, Sheet

if TYPE_CHECKING:
    from desk.reporting.documents import DayReport, Report

FORMATS = ("table", "json", "csv", "xlsx")


def cell_text(value: Any, kind: str) -> str:
    if value is None:
        return "—" if kind != "text" else ""
    if kind == MONEY:
        return f"{value:,.2f}"
    if kind == PCT:
        return f"{value * 100:.1f}%"
    if kind == INT:
        return str(value)
    return str(value)


# -- Rich ----------------------------------------------------------------------------------


def rich_tables(sheets: list[Sheet]) -> list:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    out = []
    for sheet in sheets:
        keep = sheet.brief if sheet.brief is not None else list(range(len(sheet.columns)))
        columns = [sheet.columns[i] for i in keep]

        def cells(row, keep=keep, columns=columns):
            return [cell_text(row[i] if i < len(row) else None, kind) for i, (_, kind) in zip(keep, columns, strict=True)]

        body = [cells(row) for row in sheet.rows]
        total = cells(sheet.total) if sheet.total is not None else None
        # Stored text (names, sources, places) is shown as it is: Text is never read as markup.
        table = Table(title=Text(sheet.title), title_justify="left", box=box.SIMPLE_HEAD)
        for index, (label, kind) in enumerate(columns):
            widest = max([_width(r[index], "text") for r in body + ([total] if total else [])] or [0])
            word = max((_width(w, "text") for w in label.split()), default=0)
            widest = max(widest, word) if kind != "text" else widest
            table.add_column(
                Text(label),
                justify="left" if kind == "text" else "right",
                overflow="fold",
                min_width=min(max(widest, 2), 16) if kind == "text" else max(widest, 2),
            )
        for row in body:
            table.add_row(*map(Text, row))
        if not body and total is None:
            from desk.reporting.tables import L

            table.add_row(Text(L("no_rows")), *[""] * (len(columns) - 1))
        if total is not None:
            table.add_section()
            table.add_row(*map(Text, total), style="bold")
        out.append(table)
    return out


def print_tables(title: str, sheets: list[Sheet], console=None) -> None:
    from rich.console import Console
    from rich.text import Text

    console = console or Console()
    console.print(Text(title, style="bold"))
    for table in rich_tables(sheets):
        console.print(table)


# -- json / csv ------------------------------------------------------------------------------


def to_json(doc: Report) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def flatten(doc: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """``{"a": {"b": 1}}`` -> [("a.b", 1)]; list items by their ``name`` (or index)."""
    out: list[tuple[str, Any]] = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(doc, list) and doc and all(isinstance(v, (dict, list)) for v in doc):
        for index, value in enumerate(doc):
            name = value.get("name", value.get("date", index)) if isinstance(value, dict) else index
            out += flatten(value, f"{prefix}.{name}")
    else:
        out.append((prefix, json.dumps(doc, ensure_ascii=False) if isinstance(doc, list) else doc))
    return out


def day_csv(doc: DayReport) -> str:
    """The day report as ``key,value`` lines (``calls.by_type.first_inquiry,3``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["key", "value"])
    for key, value in flatten(doc):
        writer.writerow([neutralise(key), "" if value is None else neutralise(value)])
    return buf.getvalue()


def sheet_csv(sheet: Sheet) -> str:
    """One table (the month's register) with its headers, in the configured language."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise(label) for label, _ in sheet.columns])
    for row in sheet.rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return buf.getvalue()


def write_csv(path: Path, text: str) -> Path:
    # utf-8 with BOM: Excel (in China too) then opens it with the right encoding.
    return write_text(path, text, encoding="utf-8-sig")


# -- xlsx --------------------------------------------------------------------------------------

_FORMATS = {MONEY: "#,##0.00", PCT: "0.0%", INT: "0"}


def _width(value: Any, kind: str) -> int:
    """The text's width in cells: a CJK character takes two columns in Excel as on a terminal
    (Rich's table of East Asian widths, not a guess by code point)."""
    from rich.cells import cell_len

    return cell_len(cell_text(value, kind))


def _print_settings(ws) -> None:
    """Ready to print: landscape, every column on one page's width (as many pages down as it
    takes), the header row repeated on each page."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"


def write_xlsx(path: Path, title: str, sheets: list[Sheet], *, meta: Sequence[tuple[str, Any]] = ()) -> Path:
    """One worksheet per table: bold frozen header row, column widths, number formats."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    check_writable(path)
    book = Workbook()
    book.remove(book.active)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    used: set[str] = set()
    for sheet in sheets:
        name = _sheet_name(sheet.title, used)
        ws = book.create_sheet(name)
        ws.append([label for label, _ in sheet.columns])
        for cell in ws[1]:
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(vertical="center", wrap_text=False)
        rows = list(sheet.rows)
        if sheet.total is not None:
            rows.append(sheet.total)
        for row in rows:
            ws.append(list(row))
        if sheet.total is not None:
            for cell in ws[ws.max_row]:
                cell.font = header_font
        for index, (label, kind) in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            fmt = _FORMATS.get(kind)
            if fmt:
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = fmt
            widest = max([_width(label, "text")] + [_width(r[index - 1], kind) for r in rows if index - 1 < len(r)])
            ws.column_dimensions[letter].width = min(max(widest + 2, 8), 60)
        ws.freeze_panes = "A2"
        _print_settings(ws)
        if rows:
            ws.auto_filter.ref = ws.dimensions
    info = book.create_sheet(_sheet_name("info", used))
    info.append([title])
    info["A1"].font = Font(bold=True, size=13)
    for key, value in meta:
        info.append([key, value])
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 30
    for ws in book.worksheets:
        _no_formulas(ws)
    return atomic_write(path, lambda temp: book.save(temp))


def _no_formulas(ws) -> None:
    """Every cell of stored text a spreadsheet would run (``=1+1``, ``@SUM(A1)``) becomes a
    string cell with the same visible text, quote-prefixed so that editing it keeps it text."""
    for row in ws.iter_rows():
        for cell in row:
            if formula_like(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in '[]:*?/\\')[:31] or "sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name
