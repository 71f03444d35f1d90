"""``desk partner list|add|rename|set-lead``: the channel partners from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import assert_one_line_error, desk

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def db(new_center) -> Path:
    db = new_center
    for name, role in (("王芳", "consultant"), ("孙经理", "manager"), ("李娜", "receptionist")):
        assert desk("--db", str(db), "staff", "add", name, "--role", role).exit_code == 0
    return db


def run(db: Path, *args: str):
    return desk("--db", str(db), "partner", *args)


def listed(db: Path) -> list[dict]:
    result = run(db, "list", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_add_then_list_shows_the_partner_with_its_kind(db):
    result = run(db, "add", "  ABC学校 ", "--kind", "school")
    assert result.exit_code == 0, result.output
    assert "Added ABC学校 (School)." in result.stdout
    assert listed(db) == [{"name": "ABC学校", "kind": "school", "calls": 0, "visits": 0, "leads": 0}]
    table = run(db, "list")
    assert table.exit_code == 0 and "ABC学校" in table.stdout and "School" in table.stdout


def test_an_empty_list_says_how_partners_get_there(db):
    result = run(db, "list")
    assert result.exit_code == 0 and "desk partner add" in result.stdout


def test_a_name_already_listed_in_another_case_or_width_is_refused_in_one_line(db):
    assert run(db, "add", "ABC学校").exit_code == 0
    assert_one_line_error(run(db, "add", "ａｂｃ学校"), "ABC学校 is on the list already")
    assert_one_line_error(run(db, "add", "某公司", "--kind", "shop"), "school, agency, company, other")
    assert [p["name"] for p in listed(db)] == ["ABC学校"]


def test_the_manager_renames_a_partner_and_a_receptionist_may_not(db):
    assert run(db, "add", "ABC学效").exit_code == 0
    assert_one_line_error(run(db, "rename", "abc学效", "ABC学校", "--as", "李娜"), "manager")
    assert_one_line_error(run(db, "rename", "XYZ", "ABC学校", "--as", "孙经理"), "No partner called XYZ")
    result = run(db, "rename", "abc学效", "ABC学校", "--as", "孙经理")
    assert result.exit_code == 0, result.output
    assert "Renamed ABC学效 to ABC学校." in result.stdout
    assert [p["name"] for p in listed(db)] == ["ABC学校"]


def test_set_lead_gives_a_lead_its_partner_and_clear_takes_it_away(db):
    from desk.dal.store import Store
    from desk.db import open_database
    from tests.helpers import add_lead

    store = Store(open_database(str(db)))
    lead = add_lead(store, "张伟", "+8613812345678")
    store.engine.dispose()
    result = run(db, "set-lead", "--phone", "138 1234 5678", "abc学校", "--as", "孙经理")
    assert result.exit_code == 0, result.output
    assert "张伟: channel partner abc学校." in result.stdout
    assert listed(db) == [{"name": "abc学校", "kind": "other", "calls": 0, "visits": 0, "leads": 1}]
    result = run(db, "set-lead", "--id", str(lead.id), "ABC学校")  # another spelling: the same partner
    assert result.exit_code == 0 and "channel partner abc学校" in result.stdout
    assert run(db, "set-lead", "--id", str(lead.id), "--clear").exit_code == 0
    assert listed(db)[0]["leads"] == 0
    assert_one_line_error(run(db, "set-lead", "--id", str(lead.id)), "--clear")
    assert_one_line_error(run(db, "set-lead", "--phone", "13900000000", "X"), "No lead with the number")
