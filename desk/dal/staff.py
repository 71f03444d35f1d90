"""Staff: the roster, consultant states and duty."""

from __future__ import annotations

from sqlmodel import col, select

from desk.dal.first_paint import board_order
from desk.dal.identity import require
from desk.dal.store import Store, apply_changes, existing
from desk.errors import DeskError
from desk.models import Staff
from desk.models.staff import CONSULTANT_STATES, ROLES
from desk.rules.access import Action


def list_staff(store: Store, *, role: str | None = None, active_only: bool = True) -> list[Staff]:
    with store.read() as session:
        query = select(Staff)
        if role:
            query = query.where(col(Staff.role) == role)
        if active_only:
            query = query.where(col(Staff.active) == True)  # noqa: E712
        query = query.order_by(col(Staff.rotation_position).is_(None), col(Staff.rotation_position), col(Staff.name))
        return list(session.exec(query).all())


def consultants(store: Store) -> list[Staff]:
    """Active consultants in the fixed rotation order."""
    return list_staff(store, role="consultant")


def get_staff(store: Store, staff_id: int) -> Staff | None:
    with store.read() as session:
        return session.get(Staff, staff_id)


def find_staff(store: Store, name: str) -> Staff | None:
    with store.read() as session:
        return session.exec(select(Staff).where(col(Staff.name) == name)).first()


def find_by_name(store: Store, name: str) -> Staff | None:
    """The staff member called ``name`` as desk knows them, or by their English name in any case."""
    name = name.strip()
    with store.read() as session:
        found = session.exec(select(Staff).where(col(Staff.name) == name)).first()
        if found is None:
            wanted = name.casefold()
            found = next((s for s in session.exec(select(Staff).where(col(Staff.english_name).is_not(None)))
                          if (s.english_name or "").casefold() == wanted), None)
        return found


def add_staff(
    store: Store,
    *,
    name: str,
    role: str,
    extension: str | None = None,
    english_name: str | None = None,
    is_new: bool = False,
) -> Staff:
    name = name.strip()
    if not name:
        raise DeskError("a staff member needs a name")
    if role not in ROLES:
        raise DeskError(f"unknown role {role!r}; one of: {', '.join(ROLES)}")
    with store.write() as session:
        require(session, store, Action.STAFF_ADMIN)
        if session.exec(select(Staff).where(col(Staff.name) == name)).first():
            raise DeskError(f"there is already a staff member called {name}")
        position = None
        if role == "consultant":
            last = session.exec(
                select(col(Staff.rotation_position)).where(col(Staff.role) == "consultant").order_by(col(Staff.rotation_position).desc())
            ).first()
            position = (last or 0) + 1
        staff = Staff(
            name=name,
            role=role,
            extension=extension,
            english_name=english_name,
            is_new=is_new,
            rotation_position=position,
            state="off_duty" if role == "consultant" else "free",
        )
        session.add(staff)
        store.audit(session, "create", staff)
        return staff


def set_state(store: Store, staff_id: int, state: str, *, on_duty: bool | None = None) -> Staff:
    """Change a consultant's board state (free, on a call, with a visitor, away, off duty)."""
    if state not in CONSULTANT_STATES:
        raise DeskError(f"unknown state {state!r}; one of: {', '.join(CONSULTANT_STATES)}")
    with store.write() as session:
        if store.actor_id != staff_id:
            require(session, store, Action.TRIAGE)  # the front desk keeps the board; anyone their own state
        staff = existing(session, Staff, staff_id)
        values: dict = {"state": state}
        if on_duty is not None:
            values["on_duty"] = on_duty
        elif state == "off_duty":
            values["on_duty"] = False
        elif staff.state == "off_duty":
            values["on_duty"] = True
        was = staff.state
        changes = apply_changes(staff, values)
        if changes:
            store.audit(session, "state", staff, changes)
        if was == "on_call" and state != "on_call":
            # Free again (or anything but on a call): the call transferred to them is over,
            # and its register reminder counts from now (docs/domain.md §2.7).
            from desk.dal.calls import end_consults

            end_consults(session, store, staff_id)
        return staff


def on_duty(store: Store) -> list[Staff]:
    """Everyone on duty now, consultants first in rotation order: the home screen's roster."""
    with store.read() as session:
        rows = session.exec(select(Staff).where(col(Staff.active) == True, col(Staff.on_duty) == True)).all()  # noqa: E712
    return sorted(rows, key=board_order)

