"""The demo center's staff and who is at work: the roster, each day's presence and duties,
the receptionists' rota and the fair rotation that hands out calls and visitors.

Every other part asks this one who takes a caller or a visitor, so the rotation the desk shows
(counts per pool, the last one picked, on-duty hours) is the one the history was built with.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from desk.demo.context import DemoContext
from desk.models import Call, Lead, RotationAssignment, Staff, Visit
from desk.pins import hash_pin

POOLS = ("phone", "walk_in", "market")


class Roster:
    """The staff of ``data/demo/demo.toml`` and the state of the day being simulated."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.staff: list[Staff] = []
        position = 0
        hired = ctx.at(ctx.first_day, 8) - timedelta(days=400)
        # Everyone has the one documented PIN (README), so the demo shows sign-in as a real
        # center does; hashed once, the demo is built in a blink more, not one per person.
        pin_hash = hash_pin(ctx.data["center"]["pin"], salt=ctx.pin_salt)
        for name, english, role, extension, is_new in ctx.data["center"]["staff"]:
            if role == "consultant":
                position += 1
            staff = Staff(
                name=name,
                english_name=english or None,
                role=role,
                extension=extension,
                state="off_duty" if role == "consultant" else "free",
                rotation_position=position if role == "consultant" else None,
                on_duty=False,
                is_new=is_new,
                pin_hash=pin_hash,
                created_at=hired if not is_new else ctx.at(ctx.first_day, 8) + timedelta(days=self._join_offset()),
            )
            ctx.add(staff)
            self.staff.append(staff)
        self.consultants = [s for s in self.staff if s.role == "consultant"]
        self.by_role: dict[str, list[Staff]] = {}
        for s in self.staff:
            self.by_role.setdefault(s.role, []).append(s)
        self.manager = self.by_role["manager"][0]

    def _join_offset(self) -> int:
        """The new consultant joined a few weeks before today, when the history is long enough."""
        days = (self.ctx.today - self.ctx.first_day).days
        return max(0, days - 25) if days > 30 else 0

    def staff_by_id(self, staff_id: int) -> Staff:
        return next(s for s in self.staff if s.id == staff_id)

    def receptionists_on(self, day: date) -> tuple[Staff, Staff]:
        """The morning and the afternoon receptionist: the two swap from one day to the next."""
        first, second = self.by_role["receptionist"]
        return (first, second) if day.toordinal() % 2 else (second, first)

    # ---- the day ----------------------------------------------------------------------
    def start_day(self, day: date) -> None:
        """Who came in today (one consultant rests on the last day), the early and lunch duties,
        and a fresh rotation for every pool."""
        ctx = self.ctx
        joined = [c for c in self.consultants if ctx.local_day(c.created_at) <= day]
        present = [c for c in joined if ctx.rng.random() < 0.88]
        if day == ctx.today:
            resting = ctx.pick(joined[:-1] or joined)
            present = [c for c in joined if c is not resting]
        if len(present) < 2:
            present = joined[:2]
        self.present = present
        self.early_duty = present[day.toordinal() % len(present)]
        self.lunch_duty = present[(day.toordinal() + 1) % len(present)]
        self.busy_until = {c.id: ctx.at(day, 8) for c in present}
        self.present_ids = {c.id for c in present}
        self.day_counts: dict[str, dict[int, int]] = {pool: {} for pool in POOLS}
        self.last: dict[str, int | None] = dict.fromkeys(POOLS)
        self.receptionist_am, self.receptionist_pm = self.receptionists_on(day)

    def receptionist(self, when: datetime) -> Staff:
        return self.receptionist_am if when.astimezone(self.ctx.tz).time() < time(14, 30) else self.receptionist_pm

    def engage(self, consultant: Staff, until: datetime) -> None:
        """``consultant`` is on the phone or with a visitor until then."""
        self.busy_until[consultant.id] = until

    def receiver_for(self, owner: Staff) -> Staff:
        """Who receives a lead coming back: their consultant, or whoever is in today."""
        return owner if owner.id in self.present_ids else self.ctx.pick(self.present)

    # ---- rotation ---------------------------------------------------------------------
    def duty_only(self, when: datetime) -> Staff | None:
        local = when.astimezone(self.ctx.tz).time()
        if local < time(9, 30):
            return self.early_duty
        if time(12, 0) <= local < time(13, 0):
            return self.lunch_duty
        return None

    def available(self, when: datetime) -> list[Staff]:
        duty = self.duty_only(when)
        candidates = [duty] if duty else self.present
        return [c for c in candidates if self.busy_until.get(c.id, when) <= when and self.ctx.rng.random() > 0.08]

    def rotate(self, pool: str, among: list[Staff]) -> Staff:
        """Fair rotation (docs/domain.md §5.1): fewest assignments today, ties after the last one picked."""
        counts = self.day_counts[pool]
        order = [c.id for c in self.consultants]
        last = self.last[pool]
        start = order.index(last) + 1 if last in order else 0
        rank = {cid: (i - start) % len(order) for i, cid in enumerate(order)}
        return min(among, key=lambda c: (counts.get(c.id, 0), rank[c.id]))

    def assign(self, pool: str, staff: Staff, when: datetime, *, lead: Lead | None = None,
               call: Call | None = None, visit: Visit | None = None) -> None:
        counts = self.day_counts[pool]
        counts[staff.id] = counts.get(staff.id, 0) + 1
        self.last[pool] = staff.id
        self.ctx.add(
            RotationAssignment(
                pool=pool,
                staff_id=staff.id,
                day=self.ctx.local_day(when),
                assigned_at=when,
                lead_id=lead.id if lead else None,
                call_id=call.id if call else None,
                visit_id=visit.id if visit else None,
                on_duty=self.duty_only(when) is not None,
            )
        )

    # ---- today ------------------------------------------------------------------------
    def set_today_states(self) -> None:
        """The board as the desk finds it this morning: a mix of states, the day's people on duty."""
        ctx = self.ctx
        states = ["free", "on_call", "with_visitor", "free", "away"]
        sunday = ctx.today.isoweekday() == 7
        present = self.consultants[:3] if sunday else [c for c in self.consultants if c.id in self.present_ids]
        for i, consultant in enumerate(present):
            consultant.state = states[i % len(states)]
            consultant.on_duty = True
        receptionist = self.by_role["receptionist"][0] if sunday else self.receptionist(ctx.now)
        receptionist.on_duty = True
        for role in ("manager", "principal", "teacher", "head_teacher", "employment_officer"):
            for person in self.by_role[role]:
                person.on_duty = True
