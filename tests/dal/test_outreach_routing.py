"""Who owns a contact collected at an outdoor activity (docs/domain.md §5.3, §6.2; issue 13
item 5): the consultant who collected it, or the market rotation when anyone else did."""

from __future__ import annotations

from sqlmodel import select

from desk.dal import outreach as outreach_dal
from desk.dal.outreach import ContactInput
from desk.models import Lead, RotationAssignment
from tests.helpers import staff_id


def _activity(store, *names: str):
    return outreach_dal.record(store, "job_fair", store.today(), "人才市场", [staff_id(store, n) for n in names])


def test_contacts_a_manager_collects_are_shared_by_the_market_rotation(desk_store):
    activity = _activity(desk_store, "孙经理", "王芳")
    manager = staff_id(desk_store, "孙经理")
    added = outreach_dal.add_contacts(desk_store, activity.id, [
        ContactInput(phone=f"1381234560{i}", name=f"学生{i}", course="Java", collector_id=manager) for i in range(4)
    ])
    assert [a.collector for a in added] == ["孙经理"] * 4
    assert sorted(a.owner for a in added) == ["王芳", "王芳", "赵强", "赵强"]
    with desk_store.read() as s:
        leads = s.exec(select(Lead)).all()
        assert {lead.collector_id for lead in leads} == {manager}
        picks = s.exec(select(RotationAssignment)).all()
    assert sorted((p.pool, p.lead_id) for p in picks) == sorted(("market", lead.id) for lead in leads)


def test_contacts_a_consultant_collects_stay_theirs(desk_store):
    activity = _activity(desk_store, "王芳", "孙经理")
    added = outreach_dal.add_contacts(desk_store, activity.id, [
        ContactInput(phone=f"1381234560{i}", name=f"学生{i}", collector_id=staff_id(desk_store, "王芳")) for i in range(3)
    ] + [ContactInput(phone="13812345609", name="默认")])  # no collector: the first who ran it, 王芳
    assert {a.owner for a in added} == {"王芳"}
    with desk_store.read() as s:
        assert s.exec(select(RotationAssignment)).all() == []


def test_a_known_phone_keeps_its_owner_whoever_collects_it(desk_store):
    first = _activity(desk_store, "王芳")
    outreach_dal.add_contacts(desk_store, first.id, [ContactInput(phone="13812345601", name="张伟")])
    second = _activity(desk_store, "孙经理")
    added = outreach_dal.add_contacts(desk_store, second.id, [ContactInput(phone="13812345601", name="张伟")])
    assert added[0].owner == "王芳" and not added[0].new_lead
