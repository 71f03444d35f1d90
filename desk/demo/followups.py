"""Follow-ups in the demo center, and the promises that lead to them.

Calls, visits and payments all leave something owed (a callback, a visit promised, a balance
due); this part writes those rows and decides which of them the staff already did, so the
follow-up queue opens with a believable mix of done, overdue and upcoming work.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from desk.demo.context import DemoContext
from desk.demo.people import People
from desk.demo.roster import Roster
from desk.models import Call, Enrollment, FollowUp, Lead, Staff, Visit


class FollowUps:
    """The follow-up rows, the visits leads promised, and what is left open after now."""

    def __init__(self, ctx: DemoContext, roster: Roster, people: People) -> None:
        self.ctx = ctx
        self.roster = roster
        self.people = people
        self.promised: dict[int, date] = {}  # lead id -> the day they promised to visit

    def create(self, kind: str, owner: Staff, due: datetime, *, lead: Lead | None = None, call: Call | None = None,
               visit: Visit | None = None, enrollment: Enrollment | None = None, note: str | None = None,
               quick: bool = False, lead_id: int | None = None) -> FollowUp:
        """A follow-up due then; one due before now is most likely done (a quick one, soon)."""
        ctx = self.ctx
        row = FollowUp(
            kind=kind, owner_id=owner.id, lead_id=lead.id if lead else lead_id, call_id=call.id if call else None,
            visit_id=visit.id if visit else None, enrollment_id=enrollment.id if enrollment else None,
            due_at=due, note=note,
            created_at=call.started_at if call else visit.arrived_at if visit else min(due, ctx.now),
        )
        if due <= ctx.now:
            age = ctx.now - due
            chance = 0.97 if quick and age > timedelta(hours=1) else 0.85 if age > timedelta(days=3) else 0.4
            if ctx.rng.random() < chance:
                delay = timedelta(minutes=ctx.rng.randint(1, 8)) if quick else timedelta(hours=ctx.rng.randint(0, 30))
                row.done_at = min(due + delay, ctx.now)
                row.result = ctx.rng.choices(["reached", "not_reached", "rescheduled", "closed"], weights=[60, 20, 12, 8])[0]
                row.result_note = {
                    "reached": ctx.pick(["已联系，约好来访", "已回电，解答了学费问题", "已处理", "已联系，考虑中"]),
                    "not_reached": ctx.pick(["无人接听", "关机", "占线"]),
                    "rescheduled": f"改到{(row.done_at + timedelta(days=1)).astimezone(ctx.tz):%m-%d %H:00}再联系",
                    "closed": ctx.pick(["已在别处报名", "暂不考虑", "号码错误"]),
                }[row.result]
        return ctx.add(row)

    def promise(self, lead: Lead, day: date) -> None:
        self.promised[lead.id] = day

    def lead_story(self, lead: Lead, when: datetime) -> None:
        """What happens to a lead after the first contact: a repeat visit, scheduled as a story,
        or a promised visit that never came."""
        ctx = self.ctx
        rng = ctx.rng
        if lead.non_computer_only:
            return
        promised = self.promised.get(lead.id)
        if promised or rng.random() < 0.3:
            day = promised or ctx.working_day(ctx.local_day(when) + timedelta(days=rng.randint(1, 7)))
            if rng.random() < 0.7:
                ctx.schedule(ctx.at(day, rng.randint(10, 19), rng.randrange(60)), "repeat_visit", lead_id=lead.id)
            elif promised:
                self._promised_visit(lead, promised, missed=True)

    def left_open(self, kind: str, payload: dict) -> None:
        """A story that would happen after now: leave what is owed open in the queue."""
        if kind == "repeat_visit":
            lead = self.people.lead(payload["lead_id"])
            promised = self.promised.get(lead.id)
            if promised:
                self._promised_visit(lead, promised, missed=False)

    def _promised_visit(self, lead: Lead, promised: date, *, missed: bool) -> None:
        """Remind the consultant of a visit promised for ``promised``: missed, or still to come."""
        ctx = self.ctx
        owner = self.roster.staff_by_id(lead.owner_id)
        self.create("promised_visit", owner, ctx.at(ctx.working_day(promised + timedelta(days=1)), 10),
                    lead=lead, note=f"约{promised:%m月%d日}来访" + ("，未到" if missed else ""))
