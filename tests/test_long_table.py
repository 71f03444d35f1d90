"""LongTable: the first screenful now, the rest after the frame that shows it; every row in
the end, in order, and what people typed shown as typed."""

from __future__ import annotations

from rich.text import Text
from textual.app import App

from desk.widgets.long_table import LongTable


class OneTable(App):
    def compose(self):
        yield LongTable([("n", "N"), ("text", "Text")], id="table")


def rows(n: int, prefix: str = "row") -> list[tuple[str, tuple[str, str]]]:
    return [(f"{prefix}{i}", (str(i), f"{prefix} {i}")) for i in range(n)]


async def until_complete(pilot, table: LongTable) -> None:
    for _ in range(20):
        if table.complete:
            return
        await pilot.pause()
    raise AssertionError(f"still {table.row_count} rows")


def keys(table: LongTable) -> list[str]:
    return [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]


async def test_first_the_rows_that_fit_then_every_row_in_order():
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(LongTable)
        table.show(rows(100))
        assert table.row_count == 10 and not table.complete  # no more can show in 10 lines
        await until_complete(pilot, table)
        assert keys(table) == [f"row{i}" for i in range(100)]
        assert table.get_row_at(99) == ["99", "row 99"]


async def test_a_second_show_replaces_the_first_and_its_pending_rows():
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(LongTable)
        table.show(rows(100))
        table.show(rows(30, "new"))  # e.g. a filter typed before the first frame
        await until_complete(pilot, table)
        await pilot.pause()
        assert keys(table) == [f"new{i}" for i in range(30)]


async def test_the_cursor_row_is_kept_even_past_the_first_screenful():
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(LongTable)
        table.show(rows(100), cursor_row=60)
        assert table.cursor_row == 60
        await until_complete(pilot, table)
        assert table.cursor_row == 60 and table.row_count == 100
        table.show(rows(20), cursor_row=60)  # fewer rows now: the last one
        assert table.cursor_row == 19


async def test_columns_fit_every_row_from_the_first_frame_and_only_widen():
    app = OneTable()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(LongTable)
        table.show([*rows(50), ("long", ("50", "a much longer line at the end"))])
        # the last row is not in the table yet, its width already is
        assert table.columns["text"].width == len("a much longer line at the end")
        await until_complete(pilot, table)
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
