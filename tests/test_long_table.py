"""LongTable: every row at once with widths fixed from all of them (so DataTable's per-cell
measuring is skipped), what people typed shown as typed, and a repaint asked for until the
new rows are drawn."""

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

