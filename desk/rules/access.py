"""Who may do what (docs/domain.md §1.3): the roles decide, in the TUI and the CLI alike.

The data layer asks :func:`allowed` before it reads or writes what a role may not see, and
:func:`refusal` gives the one line the person is told. Screens hide what a role cannot use,
but hiding is a convenience: the check that counts is the data layer's.
"""

from __future__ import annotations

from enum import StrEnum

MANAGERS = frozenset({"manager", "principal"})


class Action(StrEnum):
    """Things not everyone may do. Anything not listed here every signed-in person may do."""

    DASHBOARD = "dashboard"  # the manager's dashboard: revenue, commission, everyone's figures
    MONEY = "money"  # sales, payments, refunds, commission and pay of everyone
    PAY = "pay"  # the month-end: pay, levels, grade
    REASSIGN = "reassign"  # give a lead to another consultant
    STAFF_ADMIN = "staff_admin"  # add / change staff, set PINs
    BACKUP = "backup"  # backups, checks and restores of the whole center
    FULL_EXPORT = "full_export"  # exports with every phone number in full
    AUDIT = "audit"  # read the audit trail
    QA_REVIEW = "qa_review"  # score another person's consults
    TRIAGE = "triage"  # answer calls, log visits
    CONSULT = "consult"  # write consult notes, work a follow-up queue
    IMPORT = "import"  # import lead lists
    MERGE_ANY = "merge_any"  # merge leads one does not own


_FRONT_DESK = frozenset({Action.TRIAGE})
_CONSULTANT = frozenset({Action.TRIAGE, Action.CONSULT})
_EVERYTHING = frozenset(Action)

# What each role may do beyond what everyone may. The front desk triages and logs visits;
# consultants also consult and work their own leads; managers and the principal do everything.
GRANTS: dict[str, frozenset[Action]] = {
    "consultant": _CONSULTANT,
    "receptionist": _FRONT_DESK | {Action.IMPORT},
    "teacher": frozenset(),
    "head_teacher": frozenset(),
    "employment_officer": frozenset(),
    "principal": _EVERYTHING,
    "manager": _EVERYTHING,
    "media_officer": frozenset({Action.IMPORT}),
    "events_officer": frozenset({Action.IMPORT}),
}


def allowed(role: str | None, action: Action | str) -> bool:
    """Whether a person of ``role`` may do ``action``; no one signed in (``None``) may do any."""
    return role is not None and Action(action) in GRANTS.get(role, frozenset())


def is_manager(role: str | None) -> bool:
    return role in MANAGERS


def sees_full_phone(viewer_id: int | None, viewer_role: str | None, owner_id: int | None, *, at_triage: bool = False) -> bool:
    """Whether a lead's number is shown in full to this viewer (docs/domain.md §1.3).

    In full where the work needs it: the owner's own leads, the caller being looked up at
    triage, and managers; masked for another consultant's leads and everywhere else.
    """
    if at_triage or is_manager(viewer_role):
        return True
    return viewer_id is not None and owner_id == viewer_id


def mask_phone(number: str | None) -> str:
    """``13812345678`` → ``138****5678``: the first three and the last four digits kept.

    Any formatting of the number (spaces, a ``+86`` prefix) is dropped from the masked form;
    a number too short to hide anything in is all stars, so no digit of it leaks.
    """
    if not number:
        return ""
    digits = "".join(ch for ch in number if ch.isdigit())
    if number.strip().startswith("+86") and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
