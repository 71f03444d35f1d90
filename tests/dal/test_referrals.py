"""The referral and internal registers (docs/domain.md §6.3, §5.3; issue 13): who owns a referred
person, the supervisor's list when nobody does, staff referrers, a known phone, the day's rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from desk.dal import lectures as lectures_dal
from desk.dal import ownership
from desk.dal import referrals as referrals_dal
from desk.errors import FieldError
from desk.models import AuditEntry, Enrollment, FollowUp, Lead
from tests.helpers import add_lead, staff_id

pytestmark = pytest.mark.both_backends  # the registers' joins and the credit's EXISTS, on PostgreSQL too


def _student(store, name="老学员", phone="+8613900000001", consultant="赵强", owner="王芳"):
    """A lead who enrolled with ``consultant`` (who collects their fees), owned by ``owner``."""
    lead = add_lead(store, name, phone, owner=owner)
    with store.write() as s:
        s.add(Enrollment(lead_id=lead.id, consultant_id=staff_id(store, consultant), course="Java", amount_fen=800000,
                         enrolled_at=store.now() - timedelta(days=40)))
    return lead


def _add(store, referrer, channel="referral", phone="13812345678", name="张伟", **more):
    kind = {"referrer_staff_id": referrer.id} if not isinstance(referrer, Lead) else {"referrer_lead_id": referrer.id}
    return referrals_dal.add_referral(store, channel=channel, name=name, phone=phone, course_interest="Java开发", **kind, **more)


def _lead(store, lead_id) -> Lead:
    with store.read() as s:
        return s.get(Lead, lead_id)


def test_the_fee_collecting_consultant_owns_a_student_referral(store, center):
    student = _student(store)  # owned by 王芳, but 赵强 signed the enrollment and collects the fees
    added = _add(store, student, age=20, education="高中")
    assert (added.new_lead, added.owner, added.valid) == (True, "赵强", True)
    lead = _lead(store, added.lead_id)
    assert (lead.channel, lead.referred_by_id, lead.referred_by_staff_id) == ("referral", student.id, None)
    assert lead.owner_id == center["赵强"].id and lead.phone == "+8613812345678" and lead.education == "high_school"
    with store.read() as s:
        (callback,) = s.exec(select(FollowUp).where(FollowUp.lead_id == lead.id)).all()
        actions = {a.action for a in s.exec(select(AuditEntry).where(AuditEntry.table_name == "lead", AuditEntry.row_id == lead.id))}
    assert (callback.kind, callback.owner_id) == ("callback", center["赵强"].id)
    assert {"create", "validity"} <= actions
    assert ownership.unowned(store) == []


def test_a_student_with_no_consultant_leaves_the_lead_to_the_supervisor(store, center):
    student = add_lead(store, "没报名", "+8613900000002")  # a lead, never enrolled
    added = _add(store, student, channel="internal", notes="想学晚班")
    assert added.owner is None and added.valid is False  # age and education unknown
    assert set(added.reasons) == {"age_unknown", "education_unknown"}
    (waiting,) = ownership.unowned(store)
    assert (waiting.lead_id, waiting.name) == (added.lead_id, "张伟")
    with store.read() as s:
        callback = s.exec(select(FollowUp).where(FollowUp.lead_id == added.lead_id)).one()
    assert callback.note == "想学晚班" and callback.owner_id is None


def test_a_fee_consultant_who_left_is_nobody(store, center):
    from desk.models import Staff

    student = _student(store, consultant="李娜")
    with store.write() as s:
        s.get(Staff, center["李娜"].id).active = False
    assert _add(store, student).owner is None


@pytest.mark.parametrize(("name", "kind"), [("何雪", "teacher"), ("陈静", "staff")])
def test_a_teacher_or_staff_referrer_is_credited_and_the_supervisor_assigns(store, center, name, kind):
    added = _add(store, center[name])
    lead = _lead(store, added.lead_id)
    assert (lead.referred_by_staff_id, lead.referred_by_id, lead.owner_id) == (center[name].id, None, None)
    assert [u.lead_id for u in ownership.unowned(store)] == [added.lead_id]
    (row,) = referrals_dal.referral_register(store, store.today())
    assert (row.referrer, row.referrer_kind, row.owner) == (name, kind, None)
    assert referrals_dal.referrer_of(store, lead.id) == referrals_dal.Referrer(kind, center[name].id, name)


def test_a_known_phone_is_the_same_person_updated_not_a_new_lead(store, center):
    known = add_lead(store, "", "+8613812345678", owner="李娜")
    student = _student(store)
    added = _add(store, student, age=30)
    assert (added.lead_id, added.new_lead, added.owner) == (known.id, False, "李娜")
    lead = _lead(store, known.id)
    assert (lead.name, lead.age, lead.channel, lead.referred_by_id) == ("张伟", 30, "phone", student.id)
    with store.read() as s:
        assert s.exec(select(FollowUp).where(FollowUp.lead_id == known.id)).all() == []
        assert len(s.exec(select(Lead)).all()) == 2
    again = _add(store, center["何雪"])  # a second referrer does not replace the first
    assert _lead(store, again.lead_id).referred_by_staff_id is None


def test_bad_input_is_refused_at_its_field_and_nothing_is_written(store, center):
    student = _student(store)
    cases = [
        (dict(channel="phone"), "channel"),
        (dict(name=" "), "name"),
        (dict(phone="12"), "phone"),
        (dict(education="学前班"), "education"),
        (dict(phone="13900000001"), "referrer"),  # the student referring themselves
    ]
    for values, field in cases:
        with pytest.raises(FieldError) as err:
            _add(store, student, **values)
        assert err.value.field == field
    with pytest.raises(FieldError) as err:
        referrals_dal.add_referral(store, channel="referral", name="x", phone="13812345678")
    assert err.value.field == "referrer"
    with store.read() as s:
        assert len(s.exec(select(Lead)).all()) == 1


def test_the_referrer_is_resolved_from_a_staff_name_or_a_students_phone_or_name(store, center):
    student = _student(store)
    assert referrals_dal.resolve_referrer(store, "何雪").kind == "teacher"
    assert referrals_dal.resolve_referrer(store, "139 0000 0001").id == student.id
    assert referrals_dal.resolve_referrer(store, "老学员").id == student.id
    add_lead(store, "老学员", "+8613900000009")
    for text, key in (("老学员", "registers.err_referrer_ambiguous"), ("谁", "registers.err_referrer_unknown"),
                      ("", "registers.err_referrer_needed")):
        with pytest.raises(FieldError) as err:
            referrals_dal.resolve_referrer(store, text)
        assert err.value.key == key
    hits = referrals_dal.suggest_referrers(store, "老")
    assert {(h.kind, h.name) for h in hits} == {("student", "老学员")}
    assert [h.name for h in referrals_dal.suggest_referrers(store, "何")] == ["何雪"]
    for typed in ("1390000000 1", "+86 139 0000 0001"):
        assert [h.id for h in referrals_dal.suggest_referrers(store, typed)] == [student.id]


def test_the_registers_keep_their_day_and_channel(store, center, clock):
    student = _student(store)
    _add(store, student, phone="13812345601", name="甲")
    _add(store, student, channel="internal", phone="13812345602", name="乙")
    clock.advance(days=1)
    _add(store, student, phone="13812345603", name="丙")
    yesterday = store.today() - timedelta(days=1)
    assert [r.name for r in referrals_dal.referral_register(store, yesterday)] == ["甲"]
    assert [r.name for r in referrals_dal.internal_register(store, yesterday)] == ["乙"]
    assert [r.name for r in referrals_dal.referral_register(store, yesterday, store.today())] == ["甲", "丙"]
    assert [(r.referrer, r.referrer_kind, r.owner) for r in referrals_dal.internal_register(store, yesterday)] == [
        ("老学员", "student", "赵强")]


def test_a_referral_booked_for_a_lecture_gets_its_first_call_on_the_supervisors_list(store, center):
    lecture = lectures_dal.create_lecture(store, store.now() + timedelta(days=1), "Java 入门")
    _booking, lead = lectures_dal.book(store, lecture.id, name="听课人", phone="+8613812340000", channel="referral")
    assert lead.owner_id is None
    assert [u.lead_id for u in ownership.unowned(store)] == [lead.id]
