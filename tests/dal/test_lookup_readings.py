"""Caller lookup finds a lead whose surname has a special reading by either reading, and an
older database gets those keys when it is upgraded (issue 12, item 18)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from desk.dal.lookup import find_leads_by_name_and_date, lookup
from desk.db import make_engine, make_engine_for, upgrade
from tests.helpers import add_lead


@pytest.mark.parametrize("typed", ["zgf", "zeng", "zengguofan", "cgf", "ceng", "曾国"])
def test_a_special_surname_is_found_by_both_readings(desk_store, typed):
    add_lead(desk_store, "曾国藩", "+8613812345678")
    add_lead(desk_store, "张伟", "+8613812345679")
    assert [hit.name for hit in lookup(desk_store, typed) if hit.kind == "lead"] == ["曾国藩"]


def test_a_repeat_caller_by_name_is_found_by_the_surname_reading(desk_store):
    add_lead(desk_store, "单田芳", "+8613812345678")
    assert [hit.name for hit in find_leads_by_name_and_date(desk_store, "shan", None)] == ["单田芳"]
    assert [hit.name for hit in find_leads_by_name_and_date(desk_store, "dan", None)] == ["单田芳"]


@pytest.mark.both_backends
def test_upgrading_an_older_database_gives_its_leads_both_readings(blank_target):
    engine = make_engine(blank_target)
    upgrade(engine, "0006_audit_action_index")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO lead (id, name, phone, phone_digits, name_pinyin, name_initials, age, education, it_related,"
            " non_computer_only, channel, stage, has_contact, phone_contacted, brought_in_person, came_after_questionnaire,"
            " first_call_result, validity_reasons, flag_checked, first_contact_at, created_at, updated_at) VALUES"
            " (1, '曾伟', '+8613812345678', '13812345678', 'cengwei', 'cw', 22, 'associate', TRUE, FALSE, 'phone', 'lead',"
            " TRUE, TRUE, FALSE, FALSE, 'connected', '[]', FALSE, '2026-01-05 02:00:00', '2026-01-05 02:00:00', '2026-01-05 02:00:00'),"
            " (2, '王芳', '+8613812345679', '13812345679', 'wangfang', 'wf', 22, 'associate', TRUE, FALSE, 'phone', 'lead',"
            " TRUE, TRUE, FALSE, FALSE, 'connected', '[]', FALSE, '2026-01-05 02:00:00', '2026-01-05 02:00:00', '2026-01-05 02:00:00')"
        ))
    engine.dispose()
    engine = make_engine_for(blank_target)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT id, name_pinyin, name_initials, name_pinyin_other, name_initials_other FROM lead ORDER BY id"
            )).all()
        assert [tuple(r) for r in rows] == [(1, "zengwei", "zw", "cengwei", "cw"), (2, "wangfang", "wf", None, None)]
    finally:
        engine.dispose()
