"""Who may do what, phone masking and sign-in back-off (issue 14)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.rules.access import GRANTS, Action, allowed, mask_phone, sees_full_phone
from desk.rules.calls import ROLES
from desk.rules.signin import FREE_TRIES, MAX_WAIT_SECONDS, locked_by_idle, wait_after

MANAGER_ONLY = [Action.DASHBOARD, Action.MONEY, Action.PAY, Action.REASSIGN, Action.STAFF_ADMIN, Action.BACKUP,
                Action.FULL_EXPORT, Action.AUDIT, Action.QA_REVIEW, Action.MERGE_ANY]


def test_every_role_has_its_grants():
    assert set(GRANTS) == set(ROLES)


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("manager", "principal")])
@pytest.mark.parametrize("action", MANAGER_ONLY)
def test_manager_only_actions_are_refused_to_everyone_else(role, action):
    assert not allowed(role, action)


@pytest.mark.parametrize("role", ["manager", "principal"])
def test_managers_may_do_everything(role):
    assert all(allowed(role, action) for action in Action)


def test_the_front_desk_triages_and_consultants_consult():
    assert allowed("receptionist", "triage") and not allowed("receptionist", "consult")
    assert allowed("consultant", "consult") and allowed("consultant", "triage")
    assert not allowed(None, "triage")
    with pytest.raises(ValueError):
        allowed("manager", "fly")


@pytest.mark.parametrize(("number", "masked"), [
    ("13812345678", "138****5678"), ("+8613812345678", "138****5678"), ("138 1234 5678", "138****5678"),
    ("02112345678", "021****5678"), ("12345", "*****"), ("", ""), (None, ""),
])
def test_a_masked_number_keeps_three_and_four_digits(number, masked):
    assert mask_phone(number) == masked


@given(st.text(alphabet="0123456789", min_size=8, max_size=15))
def test_a_masked_number_never_shows_its_middle(digits):
    masked = mask_phone(digits)
    assert len(masked) == len(digits) and masked[3:-4] == "*" * (len(digits) - 7)
    assert masked[:3] == digits[:3] and masked[-4:] == digits[-4:]


def test_who_sees_a_number_in_full():
    assert sees_full_phone(7, "consultant", 7)  # her own lead
    assert not sees_full_phone(7, "consultant", 8)  # another consultant's
    assert not sees_full_phone(7, "consultant", None)
    assert sees_full_phone(7, "receptionist", 8, at_triage=True)  # the caller she is looking up
    assert not sees_full_phone(7, "receptionist", 8)
    assert sees_full_phone(1, "manager", 8)


@given(st.integers(min_value=0, max_value=100))
def test_wrong_pins_back_off_more_and_more_up_to_a_limit(failures):
    assert wait_after(failures) <= wait_after(failures + 1) <= MAX_WAIT_SECONDS
    assert (wait_after(failures) == 0) == (failures < FREE_TRIES)


def test_the_idle_lock():
    assert locked_by_idle(300, 5) and not locked_by_idle(299, 5) and not locked_by_idle(10**6, 0)
