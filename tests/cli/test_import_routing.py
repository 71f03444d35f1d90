"""``desk import`` routing (docs/domain.md §5.3, §6.1; issue 13 items 4 and 5): online leads join
the phone rotation with a callback each; outdoor leads stay with a consultant who collected
them, and are shared by the market rotation when anyone else did."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import desk

pytestmark = pytest.mark.usefixtures("english")

LIST = [
    "姓名,电话,年龄,学历,意向课程,来源",
    "张伟,13812345601,20,高中,Java开发,官网",
    "李娜,13812345602,22,本科,UI设计,QQ",
    "王强,13812345603,25,大专,平面设计,微信",
    "赵敏,13812345604,19,高中,Python,官网",
]


@pytest.fixture
def center(new_center) -> Path:
    db = new_center
    for name, role in (("王芳", "consultant"), ("赵强", "consultant"), ("刘经理", "manager"), ("周杰", "events_officer")):
        result = desk("--db", str(db), "staff", "add", name, "--role", role)
        assert result.exit_code == 0, result.output
    return db


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def owners(db: Path) -> dict[str, str | None]:
    return dict(rows(db, "SELECT lead.name, staff.name FROM lead LEFT JOIN staff ON staff.id = lead.owner_id"))


def unowned(db: Path) -> list[dict]:
    result = desk("--db", str(db), "lead", "unowned", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_an_online_list_is_shared_by_the_phone_rotation_each_with_a_callback(center, tmp_path):
    result = desk("--db", str(center), "import", str(write(tmp_path / "web.csv", LIST)), "--channel", "online")
    assert result.exit_code == 0, result.output
    got = owners(center)
    assert set(got) == {"张伟", "李娜", "王强", "赵敏"}
    assert sorted(got.values()) == ["王芳", "王芳", "赵强", "赵强"]  # fair: two each
    assert "phone rotation" in result.stdout and "王芳 2" in result.stdout
    # the phone pool counts them, so the next phone inquiry is still fair
    pools = rows(center, "SELECT pool, COUNT(*) FROM rotation_assignment GROUP BY pool")
    assert pools == [("phone", 4)]
    # one open callback per lead, owned by the lead's owner, in their queue
    callbacks = rows(center, "SELECT lead.owner_id, follow_up.owner_id, follow_up.done_at FROM follow_up "
                             "JOIN lead ON lead.id = follow_up.lead_id WHERE follow_up.kind = 'callback'")
    assert len(callbacks) == 4 and all(lead == fu and lead is not None and done is None for lead, fu, done in callbacks)
    assert unowned(center) == []
    # the same list again: known phones keep their owner, no second callback
    again = desk("--db", str(center), "import", str(tmp_path / "web.csv"), "--channel", "online", "--force")
    assert again.exit_code == 0, again.output
    assert owners(center) == got
    assert rows(center, "SELECT COUNT(*) FROM follow_up") == [(4,)]


def test_online_leads_with_no_consultant_wait_in_unowned(tmp_path):
    db = tmp_path / "desk.db"
    assert desk("--db", str(db), "staff", "add", "刘经理", "--role", "manager").exit_code == 0
    result = desk("--db", str(db), "import", str(write(tmp_path / "web.csv", LIST[:2])), "--channel", "online")
    assert result.exit_code == 0, result.output
    assert owners(db) == {"张伟": None}
    assert [row["name"] for row in unowned(db)] == ["张伟"]  # the manager sees the callback nobody owns


@pytest.mark.parametrize("collector", ["刘经理", "周杰"], ids=["manager", "events_officer"])
def test_an_outdoor_list_a_non_consultant_collected_is_shared_by_the_market_rotation(center, tmp_path, collector):
    path = write(tmp_path / "fair.csv", LIST)
    result = desk("--db", str(center), "import", str(path), "--channel", "outdoor", "--collector", collector,
                  "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["collected"] == 0 and summary["assigned"] == {"王芳": 2, "赵强": 2}
    got = owners(center)
    assert sorted(got.values()) == ["王芳", "王芳", "赵强", "赵强"]
    assert collector not in got.values()
    # the collector is still recorded (credited for the forms), and the market pool counts them
    assert {name for (name,) in rows(center, "SELECT staff.name FROM lead JOIN staff ON staff.id = lead.collector_id")} == {collector}
    assert rows(center, "SELECT pool, COUNT(*) FROM rotation_assignment GROUP BY pool") == [("market", 4)]
    assert unowned(center) == []


def test_an_outdoor_list_a_consultant_collected_stays_theirs(center, tmp_path):
    path = write(tmp_path / "fair.csv", LIST)
    result = desk("--db", str(center), "import", str(path), "--channel", "outdoor", "--collector", "赵强",
                  "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["collected"] == 4 and summary["assigned"] == {}
    assert set(owners(center).values()) == {"赵强"}
    assert rows(center, "SELECT COUNT(*) FROM rotation_assignment") == [(0,)]
