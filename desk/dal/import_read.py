"""Reading a lead list for :mod:`desk.dal.imports`, row by row (issue 16).

A list can hold a million rows: it is never held whole. A csv (UTF-8 with or without BOM,
UTF-16 with BOM, else GB18030, a superset of GBK, as Excel in China saves it) is read three
times, each a stream: its bytes once to find the encoding (and refuse a binary or truncated
file), its records once to refuse a damaged or truncated one and count them, both before a
single row is saved, then its records again as the import goes. An xlsx is streamed by
openpyxl's read-only reader (a workbook damaged past its first rows is found when the import
gets there); an older xls is small by its format (65,536 rows) and read whole by calamine.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desk.errors import DeskError

Rows = Iterator[tuple[int, list[str]]]  # (line in the file, cells)
_CHUNK = 1 << 20
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls workbooks


@dataclass(frozen=True)
class Table:
    """A list's header, how many data rows it has (exact for a csv, the sheet's own dimension
    for a workbook, None when it does not say: for a progress bar), and its data rows, read
    afresh on each call of :meth:`rows` (blank rows skipped)."""

    header: list[str]
    count: int | None
    _rows: Callable[[], Rows]

    def rows(self) -> Rows:
        return self._rows()


def read_table(path: Path) -> Table:
    path = Path(path).expanduser()
    if path.is_dir():
        raise DeskError(f"cannot import {path}: it is a directory")
    if not path.exists():
        raise DeskError(f"cannot import {path}: no such file")
    try:
        with path.open("rb") as fh:
            head = fh.read(_CHUNK)
    except OSError as err:
        raise DeskError(f"cannot read {path}: {err.strerror or err}") from None
    if not head.strip() and path.stat().st_size <= len(head):
        raise DeskError(f"cannot import {path}: the file is empty")
    if path.suffix.lower() in (".xlsx", ".xlsm") or head[:4] == b"PK\x03\x04":
        return read_xlsx(path)
    if path.suffix.lower() == ".xls" or head[:8] == _OLE2:
        return read_xls(path)
    return read_csv(path)


# -- csv -----------------------------------------------------------------------------------------


def read_csv(path: Path) -> Table:
    encoding = _encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        sample = fh.read(4096)
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel

    def records(tail: list[str]) -> Rows:
        with path.open(encoding=encoding, newline="") as fh:
            yield from _records(path, fh, dialect, tail)

    tail = [""]
    header: list[str] | None = None
    count, last = 0, None
    for record in _non_blank(records(tail)):
        if header is None:
            header = [str(h).strip() for h in record[1]]
        else:
            count, last = count + 1, record
    header = _header(path, header)
    if last is not None and not tail[0].endswith(("\n", "\r")) and len(last[1]) < len([h for h in header if h]):
        raise DeskError(
            f"cannot import {path}: the file looks truncated (line {last[0]} ends after "
            f"{len(last[1])} of {len(header)} columns, with no line end)"
        )
    return Table(header, count, lambda: _body(records([""])))


def _records(path: Path, fh: Iterable[str], dialect: Any, tail: list[str]) -> Rows:
    """Every record with the line it starts on; ``tail[0]`` is the last physical line read."""

    def lines() -> Iterator[str]:
        for text in fh:
            tail[0] = text
            yield text

    reader = csv.reader(lines(), dialect, strict=True)
    line = 1
    try:
        for record in reader:
            yield line, record
            line = reader.line_num + 1
    except csv.Error as err:
        raise DeskError(f"cannot read {path}: line {reader.line_num}: {err} (truncated or damaged file?)") from None


class _Truncated(Exception):
    """The bytes end inside a character."""


def _encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030: the first the whole file
    decodes in, read in chunks."""
    with path.open("rb") as fh:
        head = fh.read(3)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            _decode_all(path, "utf-16", nul_is_binary=False)
        except (UnicodeDecodeError, _Truncated):
            raise DeskError(f"cannot read {path}: the utf-16 text is damaged or truncated") from None
        return "utf-16"
    for encoding in ("utf-8-sig",) if head == b"\xef\xbb\xbf" else ("utf-8", "gb18030"):
        try:
            _decode_all(path, encoding, nul_is_binary=True)
        except _Truncated:
            if encoding.startswith("utf-8"):
                raise DeskError(f"cannot read {path}: the file is truncated (it ends inside a character)") from None
        except UnicodeDecodeError:
            continue
        else:
            return encoding
    raise DeskError(f"cannot read {path}: the text is neither UTF-8 nor GB18030/GBK")


def _decode_all(path: Path, encoding: str, *, nul_is_binary: bool) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            if nul_is_binary and b"\x00" in chunk:
                raise DeskError(f"cannot read {path}: it is not a text (csv) file")
            decoder.decode(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise _Truncated from None


# -- workbooks -------------------------------------------------------------------------------------


def read_xlsx(path: Path) -> Table:
    def records() -> Rows:
        book = _open_xlsx(path)
        try:
            rows = book.worksheets[0].iter_rows(values_only=True)
            for number, values in enumerate(rows, start=1):
                yield number, [_cell(v) for v in values]
        except DeskError:
            raise
        except Exception as err:
            raise DeskError(f"cannot read {path}: the workbook is damaged ({type(err).__name__}: {err})") from None
        finally:
            book.close()

    header = _header(path, next(_non_blank(records()), (0, None))[1])
    book = _open_xlsx(path)
    try:
        size = book.worksheets[0].max_row
    finally:
        book.close()
    return Table(header, size - 1 if size else None, lambda: _body(records()))


def _open_xlsx(path: Path) -> Any:
    import zipfile

    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, EOFError, OSError, ValueError) as err:
        raise DeskError(f"cannot read {path}: not a complete xlsx file (truncated or damaged: {err})") from None
    except Exception as err:  # openpyxl's InvalidFileException and parser errors
        raise DeskError(f"cannot read {path}: not an xlsx workbook ({type(err).__name__})") from None


def read_xls(path: Path) -> Table:
    """An Excel 97-2003 workbook (.xls, as older office PCs still save lists): its first sheet,
    read by calamine (Rust; the one well-kept reader of the old binary format)."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        values = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError, IndexError) as err:
        raise DeskError(f"cannot read {path}: not a complete xls workbook (truncated or damaged: {err})") from None
    rows = [(number, [_cell(v) for v in row]) for number, row in enumerate(values, start=1)]
    kept = list(_non_blank(iter(rows)))
    header = _header(path, kept[0][1] if kept else None)
    return Table(header, len(kept) - 1, lambda: _body(iter(rows)))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- rows ----------------------------------------------------------------------------------------------


def _non_blank(records: Rows) -> Rows:
    return ((n, r) for n, r in records if any(str(c).strip() for c in r))


def _header(path: Path, header: list[Any] | None) -> list[str]:
    if header is None:
        raise DeskError(f"cannot import {path}: the file has no header row and no data")
    return [str(h).strip() for h in header]


def _body(records: Rows) -> Rows:
    """The non-blank records after the header."""
    rows = _non_blank(records)
    next(rows, None)
    yield from rows
