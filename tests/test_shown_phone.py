"""How a lead's number is shown to each viewer (issue 14): desk.phones.shown_phone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desk.phones import display, shown_phone
from desk.rules.access import GRANTS

NUMBER = "+8613812345678"


def _shown(viewer_id, role, owner_id, *, guarded=True, at_triage=False):
    return shown_phone(NUMBER, viewer_id=viewer_id, viewer_role=role, owner_id=owner_id, guarded=guarded,
                       at_triage=at_triage)


def test_masked_and_revealed_numbers_per_role():
    assert _shown(7, "consultant", 7) == "138 1234 5678"  # her own lead
    assert _shown(7, "consultant", 8) == "138****5678"  # another consultant's
    assert _shown(7, "consultant", None) == "138****5678"  # nobody's lead: not hers either
    assert _shown(3, "receptionist", 8, at_triage=True) == "138 1234 5678"  # the caller she is looking up
    assert _shown(3, "receptionist", 8) == "138****5678"
    assert _shown(1, "manager", 8) == _shown(2, "principal", None) == "138 1234 5678"
    assert _shown(None, None, 8) == "138****5678"  # nobody signed in


@given(st.sampled_from(sorted(GRANTS)), st.one_of(st.none(), st.integers(1, 5)), st.one_of(st.none(), st.integers(1, 5)))
def test_an_open_center_shows_every_number_in_full(role, viewer_id, owner_id):
    """No PINs: anyone can pick anyone, so masking would only pretend."""
    assert _shown(viewer_id, role, owner_id, guarded=False) == display(NUMBER)


@given(st.sampled_from(sorted(GRANTS)), st.integers(1, 5), st.one_of(st.none(), st.integers(1, 5)), st.booleans())
def test_a_number_is_either_in_full_or_keeps_only_its_ends(role, viewer_id, owner_id, at_triage):
    shown = _shown(viewer_id, role, owner_id, at_triage=at_triage)
    assert shown in (display(NUMBER), "138****5678")
    assert "1234" not in shown or shown == display(NUMBER)


def test_no_number_shows_nothing():
    assert shown_phone(None, viewer_id=1, viewer_role="manager", owner_id=1, guarded=True) == ""


def test_whoever_typed_a_contact_in_sees_it_in_full():
    number = shown_phone(NUMBER, viewer_id=7, viewer_role="consultant", owner_id=8, guarded=True, typed_by=7)
    assert number == "138 1234 5678"
    assert _shown(7, "consultant", 8) == "138****5678"
