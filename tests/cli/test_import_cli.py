"""``desk import`` from the command line: every row read is in exactly one count, the summary
as JSON, .xls lists, progress only on a terminal."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import desk

pytestmark = pytest.mark.usefixtures("english")

LIST = [
    "姓名,电话,年龄,学历,意向课程",
    "张伟,13812345601,20,高中,Java开发",
    "李娜,13812345602,22,本科,UI设计",
    "张伟,13812345601,20,高中,Java开发",  # the same person twice in the file
    "王强,13812345603,25,大专,平面设计",
    "坏,123,20,高中,Java",  # rejected
]


@pytest.fixture
def center(tmp_path) -> Path:
    db = tmp_path / "desk.db"
    assert desk("--db", str(db), "staff", "add", "王芳", "--role", "consultant").exit_code == 0
    return db


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_every_row_read_is_in_exactly_one_count(center, tmp_path):
    path = write(tmp_path / "list.csv", LIST)
    result = desk("--db", str(center), "import", str(path), "--channel", "market")
    assert result.exit_code == 0, result.output
    summary = result.stdout.splitlines()[0]
    numbers = [int(n) for n in re.findall(r"\b(\d+)\b", summary.split(":", 1)[1])]
    rows, counts = numbers[0], numbers[1:]
    assert rows == 5 and sum(counts) == rows, summary
    assert "1 repeated" in summary


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]], ids=["saved", "dry-run"])
def test_counts_add_up_when_the_list_is_imported_again(center, tmp_path, dry_run):
    path = write(tmp_path / "list.csv", LIST)
    assert desk("--db", str(center), "import", str(path), "--channel", "market").exit_code == 0
    result = desk("--db", str(center), "import", str(path), "--channel", "market", "--force", "--format", "json",
                  *dry_run)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    counts = [summary[k] for k in ("created", "merged", "unchanged", "duplicates_in_file", "rejected")]
    assert summary["rows"] == 5 and counts == [0, 0, 3, 1, 1], summary
    assert summary["dry_run"] is bool(dry_run)
