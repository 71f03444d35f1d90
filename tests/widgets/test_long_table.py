"""LongTable: every row at once with widths fixed from all of them (so DataTable's per-cell
measuring is skipped), what people typed shown as typed, and a repaint asked for until the
new rows are drawn; refreshed in place by sync."""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.widgets import DataTable

from desk.widgets.long_table import LongTable


class OneTable(App):
    def compose(self):
        yield LongTable([("n", "N"), ("text", "Text")], id="table")


def rows(n: int, prefix: str = "row") -> list[tuple[str, tuple[str, str]]]:
    return [(f"{prefix}{i}", (str(i), f"{prefix} {i}")) for i in range(n)]


def keys(table: LongTable) -> list[str]:
    return [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]


async def test_every_row_in_order_and_sized_without_measuring_each_cell(monkeypatch):
    measured = []
    monkeypatch.setattr(DataTable, "_update_dimensions", lambda self, new_rows: measured.append(len(list(new_rows))))
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(LongTable)
        table.show(rows(500))
        await pilot.pause()
        assert keys(table) == [f"row{i}" for i in range(500)]
        assert table.get_row_at(499) == ["499", "row 499"]
        assert measured == []  # DataTable's measuring never ran
        assert table.virtual_size.height == 501  # the rows and the header: all can be scrolled to


async def test_a_second_show_replaces_the_rows():
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(LongTable)
        table.show(rows(100))
        table.show(rows(30, "new"))  # e.g. a filter typed before the first frame
        await pilot.pause()
        assert keys(table) == [f"new{i}" for i in range(30)]


async def test_the_cursor_row_is_kept_and_clamped():
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(LongTable)
        table.show(rows(100), cursor_row=60)
        await pilot.pause()
        assert table.cursor_row == 60
        table.show(rows(20), cursor_row=60)  # fewer rows now: the last one
        assert table.cursor_row == 19


async def test_columns_fit_every_row_and_only_widen():
    app = OneTable()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(LongTable)
        table.show([*rows(50), ("long", ("50", "a much longer line at the end"))])
        assert table.columns["text"].width == len("a much longer line at the end")
        await pilot.pause()
        table.show(rows(3))
        assert table.columns["text"].width == len("a much longer line at the end")


async def test_typed_brackets_show_as_typed():
    app = OneTable()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(LongTable)
        table.show([("a", ("[/]", "[b]VIP[/b] 张伟")), ("b", ("1", Text("styled", style="red")))])
        await pilot.pause()
        shot = app.export_screenshot()
        assert "[/]" in shot and "[b]VIP[/b]" in shot.replace("&#160;", " ")
        assert table.columns["text"].width == len("[b]VIP[/b] ") + 4  # two wide characters



async def test_sync_changes_only_what_differs_and_the_cursor_stays_on_its_row(monkeypatch):
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(LongTable)
        table.show([("a", ("1", Text("x", style="red"))), *rows(5)], cursor_row=3)  # on row2
        await pilot.pause()
        touched = []
        for method in ("add_row", "update_cell", "remove_row", "clear"):
            original = getattr(LongTable, method)
            monkeypatch.setattr(LongTable, method, lambda self, *a, _m=method, _o=original, **k: touched.append((_m, *a[:2])) or _o(self, *a, **k))
        table.sync([("a", ("1", Text("x", style="red"))), *rows(5)])
        assert touched == []  # the same rows: nothing touched
        table.sync([("a", ("1", Text("x", style="green"))), *rows(5)])  # the style alone changed
        assert touched == [("update_cell", "a", "text")]
        touched.clear()
        table.sync([("new", ("9", "new")), ("a", ("1", Text("x", style="green"))), *rows(5)[1:]])
        assert sorted(m for m, *_ in touched) == ["add_row", "remove_row"]
        assert keys(table) == ["new", "a", "row1", "row2", "row3", "row4"]
        assert table.cursor_key == "row2" and table.cursor_row == 3
        table.sync([("a", ("1", "x")), ("row3", ("3", "row 3"))])  # its row gone: the one in its place
        assert table.cursor_key == "row3"


async def test_sync_fills_afresh_when_a_cell_outgrows_its_column():
    app = OneTable()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(LongTable)
        table.show(rows(5), cursor_row=2)
        await pilot.pause()
        table.sync([*rows(5)[:4], ("row4", ("4", "a much longer line at the end"))])
        assert table.columns["text"].width == len("a much longer line at the end")
        assert table.get_row("row4") == ["4", "a much longer line at the end"] and table.cursor_key == "row2"
