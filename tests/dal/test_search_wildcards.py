"""A % or _ typed in a name search is that character, not a LIKE wildcard (issue 14)."""

from __future__ import annotations

import pytest

from desk.dal.lookup import find_leads_by_name_and_date, lookup
from tests.helpers import add_lead


@pytest.mark.both_backends
@pytest.mark.parametrize("typed", ["%", "_", "a%", "a_c", "%c"])
def test_wildcards_in_the_repeat_caller_name_search_match_literally(desk_store, typed):
    add_lead(desk_store, "abc", "+8613812345678")
    add_lead(desk_store, "张伟", "+8613812345679")
    assert find_leads_by_name_and_date(desk_store, typed, None) == []


@pytest.mark.both_backends
def test_a_name_holding_a_wildcard_character_is_found_by_it(desk_store):
    add_lead(desk_store, "50%_班", "+8613812345678")
    add_lead(desk_store, "abc", "+8613812345679")
    assert [hit.name for hit in find_leads_by_name_and_date(desk_store, "%_", None)] == ["50%_班"]
    assert [hit.name for hit in lookup(desk_store, "50%") if hit.kind == "lead"] == ["50%_班"]
    assert [hit.name for hit in lookup(desk_store, "a_") if hit.kind == "lead"] == []
