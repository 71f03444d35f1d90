"""``desk lead merge KEEP DROP --as NAME``: a duplicate folded into a lead by id or phone, by the
owner of either or a manager; a refusal is one line, exit 2, nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.helpers import add_lead, assert_one_line_error, desk

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def center(new_center) -> tuple[Path, int, int]:
    from desk.dal.store import Store
    from desk.db import open_database
    from desk.models import Call

    db = new_center
    for name, role in (("王芳", "consultant"), ("赵强", "consultant"), ("陈静", "consultant"), ("孙经理", "manager")):
        assert desk("--db", str(db), "staff", "add", name, "--role", role).exit_code == 0
    store = Store(open_database(str(db)))
    keep = add_lead(store, "张伟", "+8613811112222", owner="王芳")
    drop = add_lead(store, "张玮", "+8613933334444", owner="赵强")
    with store.write() as session:
        session.add(Call(lead_id=drop.id, call_type="repeat", started_at=store.now()))
        session.add(Call(lead_id=drop.id, call_type="repeat", started_at=store.now()))
    store.engine.dispose()
    return db, keep.id, drop.id


def lead_rows(db: Path) -> dict[int, tuple]:
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        found = conn.execute(text("SELECT id, phone, merged_into_id, "
                                  "(SELECT count(*) FROM call WHERE call.lead_id = lead.id) FROM lead")).all()
    engine.dispose()
    return {row[0]: tuple(row[1:]) for row in found}


def test_merge_by_phone_as_the_owner_of_the_duplicate(center):
    db, keep, drop = center
    result = desk("--db", str(db), "lead", "merge", "138 1111 2222", "13933334444", "--as", "赵强")
    assert result.exit_code == 0, result.output
    assert f"Merged lead #{drop} into #{keep}: 2 calls" in result.stdout
    assert "139 3333 4444 stays only in the audit trail" in result.stdout
    rows = lead_rows(db)
    assert rows[keep] == ("+8613811112222", None, 2)
    assert rows[drop] == (None, keep, 0)


def test_merge_by_id_as_a_manager(center):
    db, keep, drop = center
    result = desk("--db", str(db), "lead", "merge", str(keep), str(drop), "--as", "孙经理")
    assert result.exit_code == 0, result.output
    assert lead_rows(db)[drop][1] == keep


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["KEEP", "DROP", "--as", "陈静"], ["陈静 may not merge", "owner of either lead or a manager"]),
        (["KEEP", "KEEP", "--as", "孙经理"], ["itself"]),
        (["KEEP", "13700000000", "--as", "孙经理"], ["no lead '13700000000'"]),
        (["KEEP", "DROP", "--as", "nobody"], ["--as"]),
    ],
    ids=["another-consultant", "itself", "unknown-phone", "unknown-person"],
)
def test_a_refusal_is_one_line_and_changes_nothing(center, args, words):
    db, keep, drop = center
    before = lead_rows(db)
    args = [{"KEEP": str(keep), "DROP": str(drop)}.get(a, a) for a in args]
    result = desk("--db", str(db), "lead", "merge", *args)
    assert_one_line_error(result, *words)
    assert lead_rows(db) == before
