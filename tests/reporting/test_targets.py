"""A person's own daily targets (docs/domain.md §7.5) where they are counted: the follow-up queue's day
line, the outreach tallies, the manager's warning and ``desk config``."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from desk.app import DeskApp
from desk.cli import app as cli_app
from desk.config import CONFIG_NAME, load
from desk.dal import followups as fu_dal
from desk.dal import outreach as outreach_dal
from desk.dal import staff as staff_dal
from desk.dal import targets as targets_dal
from desk.dal.outreach import ContactInput
from desk.i18n import set_language
from desk.screens.followups import FollowUpsScreen
from tests.helpers import staff_id

TODAY = date(2026, 11, 26)
# 王芳 by her name, 陈静 by her English name; 王房 is a typo for no one.
OWN = """\
[targets.staff."王芳"]
invitation_calls_min = 3
invitation_calls_max = 6
street_promotion_contacts = 4

[targets.staff.jing]
event_forms = 4

[targets.staff."王房"]
event_forms = 1
"""


@pytest.fixture
def config(tmp_path):
    path = tmp_path / CONFIG_NAME
    path.write_text(OWN, encoding="utf-8")
    return load(path)


@pytest.fixture
def center(desk_store):
    """The follow-up tests' center with 陈静 (Jing), a third consultant, and a street promotion
    today where 王芳 collected 3 new contacts and 赵强 1."""
    staff_dal.add_staff(desk_store, name="陈静", role="consultant", english_name="Jing", is_new=True)
    activity = outreach_dal.record(desk_store, "street_promotion", TODAY, "人民广场",
                                   [staff_id(desk_store, "王芳"), staff_id(desk_store, "赵强")])
    outreach_dal.add_contacts(desk_store, activity.id, [
        ContactInput("13900000001", "a"), ContactInput("13900000002", "b"), ContactInput("13900000003", "c"),
        ContactInput("13900000004", "d", collector_id=staff_id(desk_store, "赵强")),
    ])
    return desk_store, activity


@pytest.mark.both_backends
def test_counts_and_tallies_use_each_persons_own_targets(center, config):
    store, activity = center
    wang = fu_dal.day_counts(store, staff_id(store, "王芳"), config)
    assert (wang.invitation_min, wang.invitation_max, wang.street_contacts, wang.street_target, wang.event_target) == (3, 6, (3,), 4, 10)
    zhao = fu_dal.day_counts(store, staff_id(store, "赵强"), config)
    assert (zhao.invitation_min, zhao.invitation_max, zhao.street_contacts, zhao.street_target) == (2, 5, (1,), 2)
    chen = fu_dal.day_counts(store, staff_id(store, "陈静"), config)
    assert (chen.invitation_min, chen.street_target, chen.event_target) == (2, 2, 4)
    everyone = fu_dal.day_counts(store, None, config)
    assert (everyone.invitation_min, everyone.invitation_max, everyone.street_target) == (2, 5, 2)
    tallies = {t.name: (t.count, t.target, t.met) for t in outreach_dal.activity(store, activity.id, config).tallies}
    assert tallies == {"王芳": (3, 4, False), "赵强": (1, 2, False)}


@pytest.mark.both_backends
def test_the_data_layer_names_the_table_that_fits_no_one(center, config):
    store, _ = center
    set_language("en")
    (problem,) = targets_dal.problems(store, config)
    assert problem.startswith(f"{config.path}:9: [targets.staff.\"王房\"]") and "no one is called 王房" in problem
    assert targets_dal.problems(store, load(None)) == []


def counts_line(app) -> str:
    return str(app.screen.query_one("#fu-counts").render())


async def test_a_manager_switching_the_queue_sees_each_consultants_own_targets(center, config):
    store, _ = center
    set_language("en")
    app = DeskApp(store, config, database="test.db", user_id=staff_id(store, "孙经理"))
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        assert "invitation calls 0 (target 2–5)" in counts_line(app)  # everyone: the center's
        assert "street promotion contacts 3, 1/2+" in counts_line(app)
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert len(warnings) == 1 and "[targets.staff.\"王房\"]" in warnings[0]
        seen = {}
        for _ in range(3):  # o: 王芳, 赵强, 陈静 in rotation order
            await pilot.press("o")
            await pilot.pause()
            owner = str(app.screen.query_one("#fu-filter").render()).split("Consultant: ")[1].split(" ·")[0]
            seen[owner] = counts_line(app)
        assert "invitation calls 0 (target 3–6)" in seen["王芳"] and "street promotion contacts 3/4+" in seen["王芳"]
        assert "invitation calls 0 (target 2–5)" in seen["赵强"] and "street promotion contacts 1/2+" in seen["赵强"]
        assert "event forms —/4+" in seen["陈静"] and "event forms —/10+" in seen["王芳"]


async def test_a_consultant_sees_her_own_targets_and_no_warning(center, config):
    store, _ = center
    set_language("zh_CN")
    app = DeskApp(store, config, database="test.db", user_id=staff_id(store, "王芳"))
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        assert "邀约电话 0（目标 3–6）" in counts_line(app) and "街头推广联系人 3/4+" in counts_line(app)
        assert not [n for n in app._notifications if n.severity == "warning"]


def desk(*args: str):
    return CliRunner().invoke(cli_app, list(args))


def test_desk_config_lists_own_targets_and_checks_the_names(tmp_path, monkeypatch):
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    db = tmp_path / "desk.db"
    (tmp_path / CONFIG_NAME).write_text(OWN, encoding="utf-8")
    result = desk("--db", str(db), "config")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "Targets:     invitation calls 2–5 · street promotion contacts 2+ · event forms 10+" in lines
    assert "  王芳: invitation calls 3–6 · street promotion contacts 4+ · event forms 10+" in lines
    assert "  jing: invitation calls 2–5 · street promotion contacts 2+ · event forms 4+" in lines
    assert "names not checked" in result.stdout and not db.exists()  # config opens nothing

    for args in (["王芳", "--role", "consultant"], ["陈静", "--role", "consultant", "--english-name", "Jing"]):
        assert desk("--db", str(db), "staff", "add", *args).exit_code == 0
    result = desk("--db", str(db), "config")
    assert result.exit_code == 2
    assert "  王芳: invitation calls 3–6" in result.stdout and "names not checked" not in result.stdout
    assert result.stderr.strip() == (
        f"desk: {tmp_path / CONFIG_NAME}:9: [targets.staff.\"王房\"] names no one on the staff: no one is called 王房 "
        "or has it as their English name (see `desk staff list`), so these targets are used for no one"
    )
    assert desk("--db", str(db), "staff", "add", "王房", "--role", "teacher").exit_code == 0
    assert desk("--db", str(db), "config").exit_code == 0


def test_desk_config_without_own_targets_shows_the_centers(tmp_path, monkeypatch):
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    result = desk("--db", str(tmp_path / "desk.db"), "config")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "每日目标：邀约电话 2–5 · 街头推广联系人 2+ · 活动表单 10+"
