"""``desk init --center NAME`` on an existing desk.toml changes the name and nothing else: the
manager's comments, order and spacing stay."""

from __future__ import annotations

import pytest

from tests.helpers import desk

pytestmark = pytest.mark.usefixtures("english")

MINE = """\
# 明日IT学院 front desk — edited by 张经理, 2026-11-02
[ui]
language = "zh_CN"   # the receptionists read Chinese

# who we are
[center]
timezone = "Asia/Shanghai"
name = "旧名字"  # on every report
phone_region = "CN"

[backup]
keep = 14
"""


def test_init_renames_the_center_and_keeps_the_managers_file(tmp_path):
    config = tmp_path / "desk.toml"
    config.write_text(MINE, encoding="utf-8")
    result = desk("--db", str(tmp_path / "desk.db"), "init", "--center", "明日IT学院")
    assert result.exit_code == 0, result.output
    assert config.read_text(encoding="utf-8") == MINE.replace('name = "旧名字"', 'name = "明日IT学院"')


def test_init_adds_a_center_name_where_there_was_none(tmp_path):
    config = tmp_path / "desk.toml"
    mine = "# ours\n[ui]\nlanguage = \"en\"  # keep\n"
    config.write_text(mine, encoding="utf-8")
    assert desk("--db", str(tmp_path / "desk.db"), "init", "--center", "Star").exit_code == 0
    text = config.read_text(encoding="utf-8")
    assert text.startswith(mine) and '[center]\nname = "Star"' in text
