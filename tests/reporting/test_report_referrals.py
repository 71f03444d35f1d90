"""The month report credits referrers (domain.md §6.3, issue 13): per referrer, the people they
introduced whose first contact is in the month, and of them those enrolled by its end."""

from __future__ import annotations

import pytest

from desk.config import load
from desk.dal import referrals as referrals_dal
from desk.models import Enrollment
from desk.reporting import month, tables
from tests.helpers import add_lead, at, staff_id


def _enroll(store, lead_id, when, consultant="赵强"):
    with store.write() as s:
        s.add(Enrollment(lead_id=lead_id, consultant_id=staff_id(store, consultant), course="Java", amount_fen=500000,
                         enrolled_at=when))


@pytest.mark.both_backends
def test_referrals_per_referrer_in_november(store, center, english):
    student = add_lead(store, "老学员", "+8613900000001")
    _enroll(store, student.id, at(15, 10, month_=10))

    def refer(phone, when, channel="referral", **who):
        return referrals_dal.add_referral(store, channel=channel, name=f"人{phone[-2:]}", phone=phone, when=when, **who).lead_id

    by_student = {"referrer_lead_id": student.id}
    p1 = refer("13812345601", at(3, 9), **by_student)
    refer("13812345602", at(10, 9), **by_student)  # never enrolls
    p3 = refer("13812345603", at(25, 9), **by_student)
    p4 = refer("13812345604", at(5, 9), referrer_staff_id=center["何雪"].id)
    refer("13812345605", at(30, 9, month_=10), channel="internal", referrer_staff_id=center["陈静"].id)  # October
    refer("13812345606", at(12, 9), channel="internal", referrer_staff_id=center["陈静"].id)
    _enroll(store, p1, at(20, 15))
    _enroll(store, p3, at(2, 11, month_=12))  # after the month: not yet enrolled in November's report
    _enroll(store, p4, at(6, 16))

    doc = month.build_month(store, load(None), 2026, 11)
    assert doc["referrals"] == [
        {"referrer": "老学员", "kind": "student", "referrals": 3, "enrolled": 1},
        {"referrer": "何雪", "kind": "teacher", "referrals": 1, "enrolled": 1},
        {"referrer": "陈静", "kind": "staff", "referrals": 1, "enrolled": 0},
    ]
    sheet = next(s for s in tables.month_sheets(doc) if s.key == "referrals")
    assert [label for label, _ in sheet.columns] == ["Referrer", "As", "Referrals", "Enrolled"]
    assert sheet.rows[1] == ["何雪", "teacher", 1, 1]
    october = month.build_month(store, load(None), 2026, 10)["referrals"]
    assert october == [{"referrer": "陈静", "kind": "staff", "referrals": 1, "enrolled": 0}]
