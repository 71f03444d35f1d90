"""``desk lead add`` (issue 13): a row of the referral or internal register from the command line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from desk.dal.store import Store
from desk.db import open_database
from desk.models import Enrollment, Lead
from tests.helpers import add_lead, assert_one_line_error, desk, staff_id

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def db(new_center):
    """王芳 and 赵强 (consultants), 何雪 (a teacher), and 老学员, who enrolled with 赵强."""
    db = new_center
    for name, role in (("王芳", "consultant"), ("赵强", "consultant"), ("何雪", "teacher")):
        assert desk("--db", str(db), "staff", "add", name, "--role", role).exit_code == 0
    store = Store(open_database(str(db)))
    student = add_lead(store, "老学员", "+8613900000001")
    with store.write() as s:
        s.add(Enrollment(lead_id=student.id, consultant_id=staff_id(store, "赵强"), course="Java", amount_fen=100000,
                         enrolled_at=store.now() - timedelta(days=3)))
    store.engine.dispose()
    return db


def _leads(db):
    store = Store(open_database(str(db)))
    with store.read() as s:
        rows = {lead.phone: lead for lead in s.exec(select(Lead)).all()}
    store.engine.dispose()
    return rows


def test_a_students_referral_goes_to_the_consultant_who_collects_their_fees(db):
    result = desk("--db", str(db), "lead", "add", "--channel", "referral", "--referrer", "139 0000 0001", "--name", "张伟",
                  "--phone", "13812345678", "--course", "Java开发", "--age", "20", "--education", "高中", "--as", "王芳")
    assert result.exit_code == 0, result.output
    assert "张伟" in result.stdout and "owner 赵强" in result.stdout and "valid" in result.stdout
    lead = _leads(db)["+8613812345678"]
    assert (lead.channel, lead.owner_id is not None, lead.valid) == ("referral", True, True)
    assert f"Lead {lead.id} " in result.stdout


def test_a_teachers_internal_lead_waits_for_the_supervisor(db):
    result = desk("--db", str(db), "lead", "add", "--channel", "internal", "--referrer", "何雪", "--name", "李四",
                  "--phone", "13812345679")
    assert result.exit_code == 0, result.output
    assert "unowned: the supervisor assigns" in result.stdout and "(teacher)" in result.stdout
    assert "李四" in desk("--db", str(db), "lead", "unowned").stdout
    lead = _leads(db)["+8613812345679"]
    assert (lead.channel, lead.owner_id, lead.referred_by_staff_id is not None) == ("internal", None, True)


@pytest.mark.parametrize(("args", "words"), [
    (["--channel", "referral", "--referrer", "没这人"], ["--referrer", "没这人"]),
    (["--channel", "phone", "--referrer", "何雪"], ["--channel", "phone"]),
    (["--channel", "referral", "--referrer", "何雪", "--as", "谁"], ["--as"]),
])
def test_an_unknown_referrer_channel_or_recorder_is_one_line_and_exit_2(db, args, words):
    result = desk("--db", str(db), "lead", "add", *args, "--name", "王五", "--phone", "13812345670")
    assert_one_line_error(result, *words)
    assert "+8613812345670" not in _leads(db)
