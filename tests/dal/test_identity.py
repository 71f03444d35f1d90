"""Sign-in by PIN, its back-off, and the role checks of the data layer (issue 14)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from desk.dal import identity, ownership
from desk.dal import staff as staff_dal
from desk.errors import FieldError, Refused
from desk.models import AuditEntry, Staff
from tests.helpers import add_lead, staff_id

pytestmark = pytest.mark.usefixtures("english")


def _guard(store, pins=(("孙经理", "8080"), ("王芳", "1357"), ("李娜", "2468"))):
    """The manager sets the first PIN (anyone may, for a center with none), then the others."""
    manager = staff_id(store, "孙经理")
    identity.set_pin(store, manager, pins[0][1])
    as_manager = store.with_actor(manager)
    for name, pin in pins[1:]:
        identity.set_pin(as_manager, staff_id(store, name), pin)


def test_a_pin_is_stored_hashed_and_signs_in(desk_store):
    _guard(desk_store)
    with desk_store.read() as session:
        stored = session.get(Staff, staff_id(desk_store, "王芳")).pin_hash
    assert stored and "1357" not in stored
    assert identity.sign_in(desk_store, staff_id(desk_store, "王芳"), "1357").staff.name == "王芳"
    assert identity.sign_in(desk_store, staff_id(desk_store, "王芳"), "1358").staff is None


def test_three_wrong_pins_back_off_and_every_try_is_audited(desk_store, clock):
    _guard(desk_store)
    wang = staff_id(desk_store, "王芳")
    tries = [identity.sign_in(desk_store, wang, "0001") for _ in range(3)]
    assert [t.wait_seconds for t in tries] == [0, 0, 4]
    # Even the right PIN waits now; the wait is shared by every workstation (it is in the audit).
    assert identity.sign_in(desk_store, wang, "1357").staff is None
    clock.advance(seconds=5)
    assert identity.sign_in(desk_store, wang, "1357").staff is not None
    with desk_store.read() as session:
        actions = [a.action for a in session.exec(select(AuditEntry).where(AuditEntry.row_id == wang,
                                                                              AuditEntry.action.like("signin%")))]
    assert actions == ["signin_failed"] * 3 + ["signin"]
    # After a good sign-in the count starts again.
    assert identity.sign_in(desk_store, wang, "0001").wait_seconds == 0


def test_the_first_pin_is_a_managers(desk_store):
    with pytest.raises(Refused):
        identity.set_pin(desk_store, staff_id(desk_store, "王芳"), "1357")


def test_only_a_manager_sets_another_persons_pin_and_anyone_their_own(desk_store):
    _guard(desk_store)
    wang, li = staff_id(desk_store, "王芳"), staff_id(desk_store, "李娜")
    with pytest.raises(Refused, match="may not change the staff list"):
        identity.set_pin(desk_store.with_actor(wang), li, "9090")
    identity.set_pin(desk_store.with_actor(wang), wang, "2323")
    assert identity.sign_in(desk_store, wang, "2323").staff is not None
    with pytest.raises(FieldError):
        identity.set_pin(desk_store.with_actor(wang), wang, "12")


def test_a_guarded_center_refuses_staff_changes_and_reassigning_to_others(desk_store):
    _guard(desk_store)
    lead = add_lead(desk_store, "张伟", "+8613812345678")
    for name in ("王芳", "李娜"):
        with pytest.raises(Refused):
            staff_dal.add_staff(desk_store.with_actor(staff_id(desk_store, name)), name="新人", role="consultant")
    with pytest.raises(Refused, match="Sign in first"):
        staff_dal.add_staff(desk_store, name="新人", role="consultant")
    manager = desk_store.with_actor(staff_id(desk_store, "孙经理"))
    assert staff_dal.add_staff(manager, name="新人", role="consultant").name == "新人"
    with pytest.raises(FieldError):
        ownership.reassign(desk_store.with_actor(staff_id(desk_store, "王芳")), lead.id, staff_id(desk_store, "赵强"), "x")
    assert ownership.reassign(manager, lead.id, staff_id(desk_store, "赵强"), "away").new_owner == "赵强"


def test_an_open_center_works_as_before_until_a_pin_is_set(desk_store):
    assert not identity.center_has_pins(desk_store)
    assert staff_dal.add_staff(desk_store, name="新人", role="consultant").name == "新人"
