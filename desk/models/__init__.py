"""The SQLModel tables of desk. Importing this package registers every table."""

from desk.models.audit import AuditEntry
from desk.models.call import Call
from desk.models.consult import ConsultNote
from desk.models.followup import FollowUp
from desk.models.grade import LevelRecord, QaReview
from desk.models.lead import Lead
from desk.models.money import Enrollment, Payment, Trial
from desk.models.outreach import Outreach, OutreachContact, OutreachStaff
from desk.models.partner import Partner
from desk.models.rotation import RotationAssignment
from desk.models.staff import Staff
from desk.models.visit import Lecture, LectureBooking, Visit

__all__ = [
    "AuditEntry",
    "Call",
    "ConsultNote",
    "Enrollment",
    "FollowUp",
    "Lead",
    "Lecture",
    "LectureBooking",
    "LevelRecord",
    "Outreach",
    "OutreachContact",
    "OutreachStaff",
    "Partner",
    "Payment",
    "QaReview",
    "RotationAssignment",
    "Staff",
    "Trial",
    "Visit",
]
