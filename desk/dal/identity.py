"""Who is at the keyboard, proved by a PIN, and what their role lets them do (docs/domain.md §1.3).

A center is *guarded* once any staff member has a PIN (``desk init`` sets the first
manager's): from then on every protected action needs a signed-in person whose role allows
it, checked here, in the data layer, whatever the screen or command that asked. A center
upgraded from before PINs existed stays open (as it was) until its manager sets one;
``desk check`` says so.

Wrong PINs are audited (``signin_failed``) and back off (desk.rules.signin): the count is
kept in the audit trail, so every workstation and the CLI share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from desk.dal.store import Store, existing
from desk.errors import FieldError, Refused
from desk.i18n import t
from desk.models import AuditEntry, Staff
from desk.pins import check_pin, hash_pin, pin_problem
from desk.rules.access import Action, allowed, is_manager
from desk.rules.signin import wait_after


def guarded(session: Session) -> bool:
    """Whether the center has PINs: then nobody acts without signing in."""
    return session.exec(select(col(Staff.id)).where(col(Staff.pin_hash).is_not(None)).limit(1)).first() is not None


def center_has_pins(store: Store) -> bool:
    with store.read() as session:
        return guarded(session)


def require(session: Session, store: Store, action: Action) -> Staff | None:
    """The person at the keyboard if they may do ``action``; :class:`Refused` saying why if not.

    An open center (no PINs yet) refuses nothing, as before PINs existed: anyone could be
    anyone there, so a role check would only pretend. None when nobody is named.
    """
    actor = session.get(Staff, store.actor_id) if store.actor_id is not None else None
    if not guarded(session):
        return actor
    if actor is None or not actor.active:
        raise Refused(t("access.sign_in_first"))
    if not allowed(actor.role, action):
        raise Refused(t("access.refused", name=actor.name, role=t("common.roles." + actor.role),
                        action=t("access.actions." + Action(action).value)))
    return actor


def check_allowed(store: Store, action: Action) -> None:
    """:func:`require` in a read of its own, for a command or screen that only reads
    (a report, the dashboard): refused before anything is shown."""
    with store.read() as session:
        require(session, store, action)


@dataclass(frozen=True)
class SignIn:
    """The outcome of a PIN: ``staff`` when it was right; else how long to wait before the next try."""

    staff: Staff | None
    wait_seconds: int = 0
    failures: int = 0


def sign_in(store: Store, staff_id: int, pin: str) -> SignIn:
    """Check ``pin`` for ``staff_id``: audited either way, refused outright while backing off.

    One write transaction, so two workstations guessing at once count every try. A person
    with no PIN in a guarded center cannot sign in until a manager sets one.
    """
    with store.write() as session:
        staff = existing(session, Staff, staff_id)
        if not staff.active:
            raise Refused(t("access.inactive", name=staff.name))
        failures, last = _failures_since_success(session, staff_id)
        now = store.now()
        if last is not None:
            ready = wait_after(failures) - int((now - last).total_seconds())
            if ready > 0:
                return SignIn(None, ready, failures)
        if staff.pin_hash is None and guarded(session):
            raise Refused(t("access.no_pin", name=staff.name))
        if staff.pin_hash is not None and not check_pin(pin, staff.pin_hash):
            store.with_actor(staff.id).audit(session, "signin_failed", staff, {})
            return SignIn(None, wait_after(failures + 1), failures + 1)
        store.with_actor(staff.id).audit(session, "signin", staff, {})
        return SignIn(staff)


def _failures_since_success(session: Session, staff_id: int) -> tuple[int, datetime | None]:
    """Wrong PINs in a row for this person (since their last sign-in) and when the last one was."""
    last_ok = session.exec(
        select(func.max(col(AuditEntry.id))).where(
            col(AuditEntry.action) == "signin", col(AuditEntry.table_name) == "staff", col(AuditEntry.row_id) == staff_id)
    ).one()
    row = session.exec(
        select(func.count(), func.max(col(AuditEntry.at))).where(
            col(AuditEntry.action) == "signin_failed", col(AuditEntry.table_name) == "staff",
            col(AuditEntry.row_id) == staff_id, col(AuditEntry.id) > (last_ok or 0))
    ).one()
    return int(row[0]), row[1]


def set_pin(store: Store, staff_id: int, pin: str) -> Staff:
    """Set or reset a person's PIN: a manager's action, or anyone's own PIN, or the very
    first PIN of a center (``desk init``: its first manager). Audited without the hash."""
    problem = pin_problem(pin)
    if problem:
        raise FieldError("pin", problem)
    with store.write() as session:
        staff = existing(session, Staff, staff_id)
        first = not guarded(session)
        if first and not is_manager(staff.role):
            raise Refused(t("access.first_pin_manager"))
        if not first and store.actor_id != staff_id:
            require(session, store, Action.STAFF_ADMIN)
        had = staff.pin_hash is not None
        staff.pin_hash = hash_pin(pin)
        session.add(staff)
        store.audit(session, "pin", staff, {"pin": ["set" if had else None, "reset" if had else "set"]})
        return staff
