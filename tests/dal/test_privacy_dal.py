"""The audited reveal and export of phone numbers (issue 14), and who may ask for full numbers."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from desk.config import load
from desk.dal import identity, privacy
from desk.errors import Refused
from desk.models import AuditEntry
from desk.reporting import month
from tests.helpers import add_lead, staff_id


@pytest.fixture
def guarded(desk_store):
    manager = staff_id(desk_store, "孙经理")
    identity.set_pin(desk_store, manager, "2580")
    identity.set_pin(desk_store.with_actor(manager), staff_id(desk_store, "王芳"), "1357")
    return desk_store


def _audit(store, action):
    with store.read() as session:
        return session.exec(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all()


def test_a_reveal_gives_the_number_and_names_who_looked(guarded):
    lead = add_lead(guarded, "张伟", "+8613811112222", owner="赵强")
    wang = staff_id(guarded, "王芳")
    assert privacy.reveal_phone(guarded.with_actor(wang), lead.id) == "+8613811112222"
    [row] = _audit(guarded, "reveal")
    assert (row.actor_id, row.table_name, row.row_id) == (wang, "lead", lead.id)


def test_nobody_signed_in_may_not_reveal_in_a_center_with_pins(guarded):
    lead = add_lead(guarded, "张伟", "+8613811112222", owner="赵强")
    with pytest.raises(Refused):
        privacy.reveal_phone(guarded, lead.id)
    assert _audit(guarded, "reveal") == []


def test_an_export_is_audited_with_what_and_how_many_rows(guarded, tmp_path):
    manager = guarded.with_actor(staff_id(guarded, "孙经理"))
    privacy.record_export(manager, "month", "2026-11", 12, True, tmp_path / "m.xlsx")
    [row] = _audit(guarded, "export")
    assert row.actor_id == staff_id(guarded, "孙经理")
    assert json.loads(row.changes) == {"what": "month", "period": "2026-11", "rows": 12, "full_numbers": True,
                                       "file": str(tmp_path / "m.xlsx")}


def test_only_a_manager_may_have_the_month_with_full_numbers(guarded):
    add_lead(guarded, "张伟", "+8613811112222", owner="赵强")
    with pytest.raises(Refused, match="full"):
        month.build_month(guarded.with_actor(staff_id(guarded, "王芳")), load(None), 2026, 11, full_numbers=True)
    doc = month.build_month(guarded.with_actor(staff_id(guarded, "孙经理")), load(None), 2026, 11, full_numbers=True)
    assert doc["month"] == "2026-11"


def test_the_month_register_masks_numbers_unless_full_numbers_are_asked_for(known):
    masked = month.build_month(known, load(None), 2026, 11)["register"]
    full = month.build_month(known, load(None), 2026, 11, full_numbers=True)["register"]
    assert [r["phone"] for r in masked if r["name"] == "L1"] == ["138****0000"]
    assert [r["phone"] for r in full if r["name"] == "L1"] == ["138 0000 0000"]
    assert all("*" in r["phone"] for r in masked if r["phone"])
