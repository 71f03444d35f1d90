"""``desk import --channel market`` and the first call (docs/domain.md §4.6): 异地号 rows, lists
without age or education, and numbers desk judges out of area from the city they are
registered in when the list does not say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.helpers import desk

pytestmark = pytest.mark.usefixtures("english")

# libphonenumber's geocoding data: 138 0160 is Shanghai, 138 1234 Lianyungang (Jiangsu),
# 186 0000 Beijing.
SHANGHAI = "13801601234"
LIANYUNGANG = "13812345678"
BEIJING = "18600001234"


@pytest.fixture
def center(new_center) -> Path:
    db = new_center
    for name in ("王芳", "李娜"):
        assert desk("--db", str(db), "staff", "add", name, "--role", "consultant").exit_code == 0
    return db


def in_city(db: Path, city: str) -> None:
    (db.parent / "desk.toml").write_text(f'[center]\ncity = "{city}"\n', encoding="utf-8")


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def leads(db: Path) -> dict[str, tuple]:
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT lead.phone, first_call_result, valid, owner_id IS NOT NULL, "
            "(SELECT count(*) FROM rotation_assignment r WHERE r.lead_id = lead.id) FROM lead"
        )).all()  # fmt: skip
    engine.dispose()
    return {row[0].removeprefix("+86"): tuple(row[1:]) for row in rows}


def run_import(db: Path, path: Path, *args: str):
    result = desk("--db", str(db), "import", str(path), "--channel", "market", *args)
    assert result.exit_code == 0, result.output
    return result


def test_a_list_saying_out_of_area_is_recorded_not_valid_not_rotated(center, tmp_path):
    path = write(tmp_path / "list.csv", ["姓名,电话,首次电话", f"张伟,{SHANGHAI},接通", f"李娜,{BEIJING},异地号",
                                         f"王强,{LIANYUNGANG},关机"])
    run_import(center, path)
    got = leads(center)
    assert got[SHANGHAI] == ("connected", True, True, 1)
    assert got[BEIJING] == ("out_of_area", False, False, 0)
    assert got[LIANYUNGANG] == ("powered_off", False, False, 0)


def test_market_rows_without_age_or_education_are_valid_and_rotated(center, tmp_path):
    path = write(tmp_path / "list.csv", ["姓名,电话,年龄,学历", f"张伟,{SHANGHAI},,", f"李娜,{BEIJING},16,初中"])
    result = run_import(center, path)
    got = leads(center)
    assert got[SHANGHAI] == ("connected", True, True, 1)
    assert got[BEIJING] == ("connected", True, True, 1)  # no city configured: not judged by number
    assert "out of area" not in result.stdout


def test_a_number_from_another_city_is_judged_out_of_area_when_the_list_does_not_say(center, tmp_path):
    in_city(center, "上海")
    path = write(tmp_path / "list.csv", ["姓名,电话", f"张伟,{SHANGHAI}", f"李娜,{BEIJING}"])
    result = run_import(center, path)
    got = leads(center)
    assert got[SHANGHAI] == ("connected", True, True, 1)
    assert got[BEIJING] == ("out_of_area", False, False, 0)
    assert "Judged out of area by their number (a mobile registered outside 上海), not rotated: 1" in result.stdout


def test_a_result_the_list_gives_wins_over_the_number(center, tmp_path):
    in_city(center, "Shanghai")
    path = write(tmp_path / "list.csv", ["姓名,电话,首次电话", f"张伟,{SHANGHAI},异地号", f"李娜,{BEIJING},接通",
                                         f"王强,{LIANYUNGANG},"])
    result = run_import(center, path, "--format", "json")
    got = leads(center)
    assert got[SHANGHAI][0] == "out_of_area"
    assert got[BEIJING] == ("connected", True, True, 1)
    assert got[LIANYUNGANG][0] == "out_of_area"  # an empty cell says nothing: judged
    assert json.loads(result.stdout)["out_of_area_by_number"] == 1
