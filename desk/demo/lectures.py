"""Saturday lectures at the demo center: the seats booked, who booked them and when, and the
leads who came.

The lectures screen lists bookings with their booker and time, and attendees get a follow-up
the next working day, as at the desk.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from desk.demo.context import DemoContext
from desk.demo.followups import FollowUps
from desk.demo.people import People
from desk.demo.roster import Roster
from desk.models import Lead, Lecture, LectureBooking, Staff, Visit


class Lectures:
    """One lecture a Saturday, booked from the recent leads who are still deciding."""

    def __init__(self, ctx: DemoContext, roster: Roster, people: People, followups: FollowUps) -> None:
        self.ctx = ctx
        self.roster = roster
        self.people = people
        self.followups = followups

    def plan(self, day: date) -> None:
        ctx = self.ctx
        lecture = ctx.add(Lecture(starts_at=ctx.at(day, 14), topic=ctx.pick(ctx.data["sources"]["lecture_topics"])))
        candidates = [lead for lead in self.people.leads[-80:] if lead.stage in ("lead", "visited") and not lead.non_computer_only]
        for lead in ctx.rng.sample(candidates, min(len(candidates), ctx.rng.randint(3, 8))):
            booked_by, booked_at = self.booked(lead, lecture)
            booking = ctx.add(LectureBooking(lecture_id=lecture.id, lead_id=lead.id, attended=False,
                                             booked_by_id=booked_by.id, booked_at=booked_at))
            if lecture.starts_at <= ctx.now and ctx.rng.random() < 0.65:
                booking.attended = True
                arrived = lecture.starts_at - timedelta(minutes=ctx.rng.randint(5, 20))
                visit = ctx.add(Visit(arrived_at=arrived, visitor_type="lecture_attendee", visitor_name=lead.name, phone=lead.phone,
                                      lead_id=lead.id, lecture_id=lecture.id, course_interest=lead.course_interest,
                                      received_by_id=lead.owner_id, left_at=lecture.starts_at + timedelta(minutes=90),
                                      taken_by_id=self.roster.receptionist(arrived).id))
                owner = self.roster.staff_by_id(lead.owner_id)
                self.followups.create("lecture_follow_up", owner, ctx.at(ctx.working_day(day + timedelta(days=1)), 10),
                                      lead=lead, visit=visit, note=f"参加了「{lecture.topic}」")

    def booked(self, lead: Lead, lecture: Lecture) -> tuple[Staff, datetime]:
        """Who booked ``lead`` for ``lecture``, and when, as the lectures screen shows it.

        Mostly their own consultant, on an invitation call; otherwise the receptionist on
        duty, who books callers and visitors ahead. One to six days before the lecture (a
        Sunday, closed, becomes the Saturday before), in opening hours; a lead first known
        later than that was booked on that first contact, a few minutes after it.
        """
        ctx = self.ctx
        rng = ctx.booking_rng
        day = ctx.local_day(lecture.starts_at) - timedelta(days=rng.randint(1, 6))
        if day.isoweekday() == 7:
            day -= timedelta(days=1)
        when = ctx.at(day, rng.randint(9, 18), rng.randrange(60))
        if when < lead.created_at:
            when = lead.created_at + timedelta(minutes=rng.randint(3, 15))
        when = min(when, lecture.starts_at, ctx.now)
        if lead.owner_id is not None and rng.random() < 0.7:
            return self.roster.staff_by_id(lead.owner_id), when
        # The front-desk rota of that day: mornings and afternoons change at 14:30.
        local = when.astimezone(ctx.tz)
        morning, afternoon = self.roster.receptionists_on(local.date())
        return (morning if local.time() < time(14, 30) else afternoon), when
