"""desk report: building the report documents and writing them as tables, json, csv or xlsx.

``day.build``, ``month.build_month`` and ``pay.build_pay`` return the documents of docs/report-schema.md;
``emit`` writes one in the chosen format (files atomically: temp file, then rename).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desk.errors import DeskError
from desk.reporting.documents import DAY_SCHEMA, MONTH_SCHEMA, PAY_SCHEMA

if TYPE_CHECKING:
    from desk.reporting.documents import DayReport, Report

FORMATS = ("table", "json", "csv", "xlsx")


def guess_format(fmt: str | None, output: Path | None) -> str:
    if fmt:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise DeskError(f"unknown format {fmt!r}; one of: {', '.join(FORMATS)}")
        return fmt
    if output is not None and output.suffix.lower().lstrip(".") in ("json", "csv", "xlsx"):
        return output.suffix.lower().lstrip(".")
    return "table"


def day_title(doc: DayReport) -> str:
    from desk.reporting.tables import L

    period = doc["from"] if doc["from"] == doc["to"] else f"{doc['from']} – {doc['to']}"
    title = L("day_title", period=period)
    if doc.get("consultant"):
        title += " · " + L("for_consultant", name=doc["consultant"])
    return title


def written_rows(doc: Report, fmt: str) -> int:
    """How many rows ``emit`` writes of ``doc`` as ``fmt``: what an export's audit row counts
    (a month's csv is its register alone; the other formats every sheet)."""
    from desk.reporting import tables

    if doc["schema"] == PAY_SCHEMA:
        sheets = tables.pay_sheets(doc)
        return len(sheets[0].rows) if fmt == "csv" else sum(len(sheet.rows) for sheet in sheets)
    if doc["schema"] == MONTH_SCHEMA:
        sheets = tables.month_sheets(doc)
        return len(sheets[0].rows) if fmt == "csv" else sum(len(sheet.rows) for sheet in sheets)
    return sum(len(sheet.rows) for sheet in tables.day_sheets(doc))


def emit(doc: Report, fmt: str, output: Path | None, *, console=None) -> Path | None:
    """Write ``doc`` (a day, month or month-end document) as ``fmt`` to ``output`` or the terminal."""
    from desk.i18n import t
    from desk.reporting import export, tables

    if doc["schema"] == PAY_SCHEMA:
        title = t("pay.title", month=doc["month"]) + " · " + tables.center_line(doc)
        sheets = tables.pay_sheets(doc)
        if fmt == "xlsx":  # a payslip per person after the tables
            sheets += [tables.payslip_sheet(doc, row) for row in doc["people"]]
    elif doc["schema"] == MONTH_SCHEMA:
        title = tables.L("month_title", month=doc["month"])
        sheets = tables.month_sheets(doc)
    else:
        title = day_title(doc)
        sheets = tables.day_sheets(doc)
    if output is not None:
        export.check_writable(output)
    if fmt == "json":
        text = export.to_json(doc)
    elif fmt == "csv":
        text = export.day_csv(doc) if doc["schema"] == DAY_SCHEMA else export.sheet_csv(sheets[0])
    elif fmt == "xlsx":
        if output is None:
            raise DeskError("xlsx is a file format: give --output FILE.xlsx")
        meta = [(k, doc.get(k)) for k in ("schema", "from", "to", "as_of", "consultant") if k in doc]
        return export.write_xlsx(output, title, sheets, meta=meta)
    else:
        if output is None:
            export.print_tables(title, sheets, console)
            return None
        import io

        from rich.console import Console

        capture = Console(width=160, record=True, file=io.StringIO())
        export.print_tables(title, sheets, capture)
        text = capture.export_text()
    if output is None:
        import sys

        sys.stdout.write(text)
        return None
    if fmt == "csv":
        return export.write_csv(output, text)
    return export.write_text(output, text)
