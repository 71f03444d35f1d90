"""Money at the demo center: enrollments with their first payment, balances paid later and
the odd refund.

The reports (pay, commission, the dashboard) read these rows, so amounts stay within the
courses' prices, nobody pays more than they owe and a refund never exceeds what was paid.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from desk.demo.context import DemoContext
from desk.demo.followups import FollowUps
from desk.demo.people import People
from desk.demo.roster import Roster
from desk.models import Enrollment, Lead, Payment, Staff, Visit


class Money:
    """Enrollments, payments and refunds, and the stories that bring them."""

    def __init__(self, ctx: DemoContext, roster: Roster, people: People, followups: FollowUps) -> None:
        self.ctx = ctx
        self.roster = roster
        self.people = people
        self.followups = followups

    def enroll(self, lead: Lead, consultant: Staff, when: datetime) -> None:
        """``lead`` signs up: all paid, or part now and the balance due within a month (a
        follow-up, paid as a later story when it was reached); a few will ask for a refund."""
        ctx = self.ctx
        if when > ctx.now:
            return  # still in the consult room: they have not signed yet
        rng = ctx.rng
        price = dict(ctx.courses).get(lead.course_interest) or ctx.pick(ctx.courses)[1]
        amount = max(3000, min(20000, round(price * rng.choice((1, 1, 0.95, 0.9, 0.85)) / 100) * 100))
        full = rng.random() < 0.5
        paid = amount if full else max(1000, round(amount * rng.uniform(0.3, 0.6) / 100) * 100)
        due_on = None if full else ctx.local_day(when) + timedelta(days=rng.randint(7, 30))
        enrollment = ctx.add(Enrollment(lead_id=lead.id, consultant_id=consultant.id, course=lead.course_interest,
                                        amount_fen=amount * 100, balance_due_on=due_on, enrolled_at=when))
        ctx.add(Payment(enrollment_id=enrollment.id, kind="initial", amount_fen=paid * 100, paid_at=when, staff_id=consultant.id))
        self.people.enrolled(lead, when)
        if due_on:
            due = ctx.at(ctx.working_day(due_on), 10)
            fu = self.followups.create("balance_due", consultant, due, lead=lead, enrollment=enrollment,
                                       note=f"尾款 {amount - paid} 元，约定 {due_on:%m-%d} 交")
            if fu.done_at and fu.result != "not_reached":
                ctx.schedule(fu.done_at, "balance", enrollment_id=enrollment.id, amount=amount - paid, staff_id=consultant.id)
        if rng.random() < 0.07:
            later = when + timedelta(days=rng.choice((3, 9, 16, 25, 38, 45)), hours=rng.randint(0, 3))
            ctx.schedule(later, "refund", enrollment_id=enrollment.id, lead_id=lead.id, paid=paid)

    def enrolling(self, when: datetime, lead_id: int) -> None:
        """Story: a lead comes back to sign up (unless they already did)."""
        lead = self.people.lead(lead_id)
        if lead.stage in ("student", "refunded"):
            return
        roster = self.roster
        owner = roster.staff_by_id(lead.owner_id)
        receiver = roster.receiver_for(owner)
        visit = self.ctx.add(Visit(arrived_at=when, visitor_type="enrolling_student", visitor_name=lead.name, phone=lead.phone,
                                   lead_id=lead.id, course_interest=lead.course_interest, received_by_id=receiver.id,
                                   came_for=owner.name, left_at=when + timedelta(minutes=40), taken_by_id=roster.receptionist(when).id))
        self.enroll(lead, owner, visit.left_at)

    def balance(self, when: datetime, enrollment_id: int, amount: int, staff_id: int) -> None:
        """Story: the balance is paid."""
        self.ctx.add(Payment(enrollment_id=enrollment_id, kind="balance", amount_fen=amount * 100, paid_at=when, staff_id=staff_id))

    def refund(self, when: datetime, enrollment_id: int, lead_id: int, paid: int) -> None:
        """Story: a student comes to the manager for a refund, of all they paid or 70% of it."""
        ctx, manager = self.ctx, self.roster.manager
        lead = self.people.lead(lead_id)
        visit = ctx.add(Visit(arrived_at=when, visitor_type="refund_student", visitor_name=lead.name, phone=lead.phone,
                              lead_id=lead.id, received_by_id=manager.id, came_for=manager.name,
                              left_at=min(when + timedelta(minutes=30), ctx.now),  # nothing after now
                              taken_by_id=self.roster.receptionist(when).id))
        amount = paid if ctx.rng.random() < 0.5 else round(paid * 0.7 / 100) * 100
        ctx.add(Payment(enrollment_id=enrollment_id, kind="refund", amount_fen=amount * 100,
                        reason=ctx.pick(ctx.data["notes"]["refund_reasons"]), paid_at=visit.left_at, staff_id=manager.id))
        lead.stage = "refunded"
        lead.updated_at = when
