"""Channel partners (docs/domain.md §6.4): the list grows as calls and visits name partners,
spellings of one name fold into one partner, and a lead takes the partner it came through."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from desk.dal import partners as partners_dal
from desk.dal import visits as visits_dal
from desk.dal.calls import record_call
from desk.drafts import CallDraft
from desk.errors import FieldError
from desk.models import AuditEntry, Lead, Partner
from tests.helpers import add_lead, staff_id


def partners(store) -> list[Partner]:
    with store.read() as session:
        return list(session.exec(select(Partner).order_by(Partner.id)).all())


def lead_of(store, lead_id) -> Lead:
    with store.read() as session:
        return session.get(Lead, lead_id)


def inquiry(store, clock, number, partner, **more) -> object:
    draft = CallDraft(started_at=clock(), caller_number=number, words="有Java培训吗", call_type="first_inquiry",
                      caller_name="张伟", partner=partner, **more)
    return record_call(store, draft)


@pytest.mark.both_backends
def test_a_call_naming_a_new_partner_adds_it_and_its_new_lead_gets_it(desk_store, clock):
    call = inquiry(desk_store, clock, "+8613800001111", "  ABC学校 ")
    [partner] = partners(desk_store)
    assert (partner.name, partner.kind) == ("ABC学校", "other")
    assert call.partner_id == partner.id
    assert lead_of(desk_store, call.lead_id).partner_id == partner.id


@pytest.mark.both_backends
def test_other_spellings_of_a_listed_partner_are_that_partner(desk_store, clock):
    first = inquiry(desk_store, clock, "+8613800001111", "ABC学校")
    second = inquiry(desk_store, clock, "+8613800002222", "abc学校")
    third = inquiry(desk_store, clock, "+8613800003333", "ＡＢＣ  学校")  # full width, two spaces
    fourth = inquiry(desk_store, clock, "+8613800004444", "ＡＢＣ 学校")
    assert [p.name for p in partners(desk_store)] == ["ABC学校", "ＡＢＣ  学校".replace("  ", " ")]
    assert first.partner_id == second.partner_id
    assert third.partner_id == fourth.partner_id


def test_the_key_folds_case_width_and_spacing_only():
    assert partners_dal.name_key("ＡＢＣ学校") == partners_dal.name_key("abc学校")
    assert partners_dal.name_key(" New  Oriental ") == partners_dal.name_key("new oriental")
    assert partners_dal.name_key("ABC学校") != partners_dal.name_key("ABC中学")


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30))
def test_a_name_and_its_cleaned_form_have_one_key(name):
    assert partners_dal.name_key(partners_dal.clean_name(name)) == partners_dal.name_key(name)
    assert partners_dal.name_key(name) == partners_dal.name_key(partners_dal.name_key(name))


@pytest.mark.both_backends
def test_a_lead_keeps_the_partner_it_has_and_a_call_without_one_changes_nothing(desk_store, clock):
    first = inquiry(desk_store, clock, "+8613800001111", "ABC学校")
    again = inquiry(desk_store, clock, "+8613800001111", "新东方")  # the same caller, through another partner
    plain = inquiry(desk_store, clock, "+8613800001111", "")
    abc, xdf = partners(desk_store)
    assert (first.partner_id, again.partner_id, plain.partner_id) == (abc.id, xdf.id, None)
    assert again.lead_id == first.lead_id and lead_of(desk_store, first.lead_id).partner_id == abc.id


@pytest.mark.both_backends
def test_a_known_lead_without_a_partner_gets_the_one_a_call_names(desk_store, clock):
    lead = add_lead(desk_store, "李雷", "+8613800005555")
    record_call(desk_store, CallDraft(started_at=clock(), caller_number="+8613800005555", words="我再问一下",
                                      call_type="repeat_inquiry", partner="ABC学校"))
    assert lead_of(desk_store, lead.id).partner_id == partners(desk_store)[0].id
    with desk_store.read() as session:
        audit = session.exec(select(AuditEntry).where(AuditEntry.table_name == "lead", AuditEntry.action == "partner")).all()
    assert [a.row_id for a in audit] == [lead.id]


@pytest.mark.both_backends
def test_a_visit_with_a_partner_records_it_on_the_visit_and_its_lead(desk_store):
    done = visits_dal.register(desk_store, visits_dal.VisitInput("consult_walk_in", name="韩梅梅", phone="+8613800006666",
                                                                 partner="abc学校"))
    again = visits_dal.register(desk_store, visits_dal.VisitInput("channel_proxy", name="王老师", partner="ABC学校"))
    [partner] = partners(desk_store)
    assert done.visit.partner_id == again.visit.partner_id == partner.id and partner.name == "abc学校"
    assert lead_of(desk_store, done.lead.id).partner_id == partner.id


def test_a_channel_proxy_must_name_its_partner(desk_store):
    with pytest.raises(FieldError) as err:
        visits_dal.register(desk_store, visits_dal.VisitInput("channel_proxy", name="王老师", partner="  "))
    assert (err.value.field, err.value.key) == ("partner", "partners.err_proxy")
    assert partners(desk_store) == []


def test_names_are_suggested_most_used_first_and_by_prefix_in_any_case(desk_store, clock):
    partners_dal.add_partner(desk_store, "Zeta School", "school")
    inquiry(desk_store, clock, "+8613800001111", "新东方")
    inquiry(desk_store, clock, "+8613800002222", "新东方")
    inquiry(desk_store, clock, "+8613800003333", "ABC学校")
    assert partners_dal.partner_names(desk_store) == ["新东方", "ABC学校", "Zeta School"]
    assert partners_dal.partner_names(desk_store, "ｚｅ") == ["Zeta School"]
    [top, *_] = partners_dal.list_partners(desk_store)
    assert (top.name, top.calls, top.visits, top.leads) == ("新东方", 2, 0, 2)


def test_adding_a_listed_name_in_another_spelling_is_refused(desk_store):
    partners_dal.add_partner(desk_store, "ABC学校", "school")
    with pytest.raises(FieldError) as err:
        partners_dal.add_partner(desk_store, "abc学校", "agency")
    assert err.value.key == "partners.err_exists" and err.value.values == {"name": "ABC学校"}
    with pytest.raises(FieldError):
        partners_dal.add_partner(desk_store, "某公司", "shop")
    assert [(p.name, p.kind) for p in partners(desk_store)] == [("ABC学校", "school")]


def test_only_a_manager_renames_and_never_onto_another_partner(desk_store):
    partners_dal.add_partner(desk_store, "ABC学效")
    partners_dal.add_partner(desk_store, "新东方")
    with pytest.raises(FieldError) as err:
        partners_dal.rename_partner(desk_store.with_actor(staff_id(desk_store, "李娜")), "ABC学效", "ABC学校")
    assert err.value.key == "partners.err_not_manager"
    manager = desk_store.with_actor(staff_id(desk_store, "孙经理"))
    with pytest.raises(FieldError) as err:
        partners_dal.rename_partner(manager, "abc学效", "新東方".replace("東", "东"))
    assert err.value.key == "partners.err_exists"
    renamed = partners_dal.rename_partner(manager, "abc学效", "ABC学校")
    assert renamed.name == "ABC学校" and [p.name for p in partners(desk_store)] == ["ABC学校", "新东方"]


def test_setting_a_leads_partner_replaces_it_and_a_blank_clears_it(desk_store):
    lead = add_lead(desk_store, "李雷", "+8613800005555")
    by = staff_id(desk_store, "孙经理")
    partners_dal.set_lead_partner(desk_store, lead.id, "ABC学校", by)
    partners_dal.set_lead_partner(desk_store, lead.id, "新东方", by)
    assert lead_of(desk_store, lead.id).partner_id == partners(desk_store)[1].id
    partners_dal.set_lead_partner(desk_store, lead.id, "", by)
    assert lead_of(desk_store, lead.id).partner_id is None
    with desk_store.read() as session:
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "partner")).all()
    assert [a.actor_id for a in audit] == [by, by, by]
