"""Who is at the keyboard (F9, and at first start), at 80x24 (issue 12, items 13 and 20).

Every person is reachable by scrolling with the highlight always on a row that is shown; the
picker starts on the last person at this workstation; typing filters by name, pinyin
initials, full pinyin and extension, so switching to the receptionist is a few keys.
"""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from desk.dal import staff as staff_dal
from desk.screens.pick_user import PickUserScreen
from desk.workstation import remember_user
from tests.helpers import make_app, staff_id

MORE = [  # 13 more, so the center has 17 people: more than fit a 24-line terminal
    ("陈静", "consultant", "803"), ("周敏", "consultant", "804"), ("吴磊", "consultant", "805"),
    ("郑丽", "consultant", "806"), ("冯涛", "consultant", "807"), ("褚洁", "consultant", "808"),
    ("卫东", "consultant", "809"), ("蒋欣", "consultant", "810"), ("沈平", "head_teacher", "841"),
    ("韩梅", "head_teacher", "842"), ("杨帆", "receptionist", "811"), ("朱红", "manager", "889"),
    ("秦川", "consultant", "812"),
]


@pytest.fixture
def big_center(desk_store):
    for name, role, ext in MORE:
        person = staff_dal.add_staff(desk_store, name=name, role=role, extension=ext)
        if role == "consultant":
            staff_dal.set_state(desk_store, person.id, "free")
    return desk_store


def visible(options: OptionList) -> range:
    """The option indexes the list shows now."""
    top = round(options.scroll_offset.y)
    return range(top, top + options.scrollable_content_region.height)


def inside(inner, outer) -> bool:
    return outer.x <= inner.x and outer.y <= inner.y and inner.right <= outer.right and inner.bottom <= outer.bottom


async def test_every_person_is_reached_by_scrolling_and_the_highlight_is_always_shown(big_center):
    app = make_app(big_center, user=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickUserScreen)
        options = app.screen.query_one(OptionList)
        box = app.screen.query_one("#pick-user-box")
        assert options.option_count == 17
        assert options.highlighted == 0  # something is highlighted from the start
        assert inside(options.region, box.content_region) and inside(box.region, app.screen.region)
        for expected in range(1, 17):
            await pilot.press("down")
            await pilot.pause()
            assert options.highlighted == expected
            assert expected in visible(options), f"row {expected} highlighted but not shown"
        last = options.get_option_at_index(16).id
        await pilot.press("enter")
        await pilot.pause()
        assert app.user.id == int(last)


async def test_the_picker_starts_on_the_last_person_at_this_workstation(big_center):
    remember_user("test.db", staff_id(big_center, "韩梅"))
    app = make_app(big_center, user=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.get_option_at_index(options.highlighted).id == str(staff_id(big_center, "韩梅"))
        assert options.highlighted in visible(options)


async def test_f9_starts_on_the_person_at_the_keyboard(big_center):
    app = make_app(big_center, user="秦川")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.get_option_at_index(options.highlighted).id == str(staff_id(big_center, "秦川"))
        assert options.highlighted in visible(options)


@pytest.mark.parametrize(
    ("typed", "found"),
    [("ln", ["李娜"]), ("lina", ["李娜"]), ("李", ["李娜"]), ("800", ["李娜"]), ("zq", ["赵强"]),
     ("zhao", ["赵强"]), ("81", ["蒋欣", "杨帆", "秦川"]), ("h", ["韩梅"]), ("sun", ["孙经理"])],
)
async def test_typing_filters_by_name_initials_pinyin_and_extension(big_center, typed, found):
    app = make_app(big_center, user=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*typed)
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        shown = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert sorted(shown) == sorted(str(staff_id(big_center, name)) for name in found)
        assert options.highlighted == 0


async def test_switching_to_the_receptionist_takes_a_few_keys(big_center):
    from desk.screens.triage import TriageScreen

    app = make_app(big_center, user="王芳")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f9", "l", "n", "enter")  # F9, her initials, Enter
        await pilot.pause()
        assert app.user.name == "李娜"
        assert isinstance(app.screen, TriageScreen)


async def test_nothing_matches_then_enter_picks_nobody_and_escape_goes_back(big_center):
    app = make_app(big_center, user="王芳")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f9", "q", "q", "q", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PickUserScreen) and app.user.name == "王芳"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PickUserScreen) and app.user.name == "王芳"
