"""The demo center: a believable training center with 60 days of front-desk history.

``build_demo(store)`` fills an empty database with the roster of ``data/demo/demo.toml`` and
simulates the days before ``store.today()`` one event at a time: calls triaged by type,
walk-ins received in rotation, leads with their consult notes, follow-ups, trials,
enrollments, balance payments and refunds. Everything comes from ``random.Random(seed)`` and
the store's clock, so the same seed on the same "today" gives the same rows.

This module is part of the data layer: it adds the model rows directly, in one transaction,
with one audit row for the whole build. It numbers the rows itself, so on PostgreSQL it moves
the id sequences past them at the end (desk.dal.ids).
"""

from __future__ import annotations

import heapq
import json
import random
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from desk.dal.ids import move_sequences_past_ids
from desk.dal.reset import wipe
from desk.dal.store import Store
from desk.errors import DeskError
from desk.models import (
    AuditEntry,
    Call,
    ConsultNote,
    Enrollment,
    FollowUp,
    Lead,
    Lecture,
    LectureBooking,
    Outreach,
    OutreachContact,
    OutreachStaff,
    Payment,
    RotationAssignment,
    Staff,
    Trial,
    Visit,
)
from desk.paths import data_dir
from desk.search_keys import name_keys, phone_digits

# How often each call type rings at a training center's front desk (mostly first inquiries).
CALL_WEIGHTS = {
    "first_inquiry": 36,
    "proxy_inquiry": 9,
    "repeat_inquiry": 13,
    "student": 10,
    "directions": 8,
    "business": 6,
    "screened": 6,
    "complaint": 2,
    "silent": 5,
    "other": 5,
}
# Visitors that walk in unannounced; repeat visits, enrollments, refunds and lecture
# attendees are scheduled by the leads' own stories.
WALK_IN_WEIGHTS = {
    "consult_walk_in": 40,
    "accompanied": 12,
    "group": 4,
    "channel_proxy": 5,
    "business_visitor": 7,
    "interviewee": 3,
    "passer_by": 6,
}
EDUCATION_WEIGHTS = {
    "junior_high": 10,
    "high_school": 20,
    "vocational_high": 12,
    "technical_secondary": 10,
    "associate": 24,
    "bachelor": 18,
    "master": 2,
    "unknown": 4,
}


# Outdoor activities (docs/domain.md §6.2): how often each kind, and where. Their leads' media source is
# the kind's Chinese name, as desk.dal.outreach gives it.
OUTREACH_KINDS = {"street_promotion": 5, "campus_talk": 2, "job_fair": 2, "event": 1}
OUTREACH_PLACES = {
    "street_promotion": ("人民广场地铁站C口", "万达广场", "大学城商业街", "火车站南广场"),
    "campus_talk": ("城市职业技术学院", "理工大学报告厅", "财经学院"),
    "job_fair": ("人才市场三楼", "会展中心春季招聘会", "大学生就业双选会"),
    "event": ("科技馆开放日", "社区职业规划沙龙"),
}


def outreach_source(kind: str) -> str:
    from desk.i18n import t

    return t(f"outreach.kind_{kind}", "zh_CN")


@dataclass
class DemoSummary:
    seed: int
    days: int
    today: date
    counts: dict[str, int] = field(default_factory=dict)


def load_data() -> dict[str, Any]:
    with (data_dir() / "demo" / "demo.toml").open("rb") as fh:
        return tomllib.load(fh)


def build_demo(store: Store, seed: int = 7, days: int = 60, *, replace: bool = False) -> DemoSummary:
    """Build the demo center into ``store``'s database, in one transaction.

    ``replace`` wipes every data row first (same transaction); without it the database must
    have no staff yet. "Today" is ``store.today()``; nothing is dated after ``store.now()``.
    """
    if days < 1:
        raise DeskError("the demo needs at least one day")
    with store.write() as session:
        if replace:
            wipe(session)
        elif session.exec(select(func.count()).select_from(Staff)).one():
            raise DeskError("the database already has staff; the demo center needs an empty one")
        builder = _Builder(store, session, seed, days)
        builder.run()
        summary = DemoSummary(seed=seed, days=days, today=store.today(), counts=builder.counts())
        session.add(
            AuditEntry(
                id=builder.next_id(AuditEntry),
                at=store.now(),
                actor_id=store.actor_id,
                action="demo",
                table_name="demo",
                changes=json.dumps({"seed": seed, "days": days, "counts": summary.counts}, ensure_ascii=False),
                reason=f"demo center built from seed {seed}",
            )
        )
        move_sequences_past_ids(session)
    return summary


class _Builder:
    """The simulation. Rows get explicit ids so the whole build is one batched flush."""

    def __init__(self, store: Store, session: Session, seed: int, days: int) -> None:
        self.store = store
        self.session = session
        self.rng = random.Random(seed)
        # The outdoor activities draw from their own stream, so they leave the rest of the
        # center (every lead, call and visit of a seed) exactly as it was before they existed.
        self.outreach_rng = random.Random(f"outreach-{seed}")
        # Who booked each lecture seat and when: a stream of its own too, for the same reason.
        self.booking_rng = random.Random(f"bookings-{seed}")
        self.tz = store.tz
        self.now = store.now()
        self.today = self.now.date()
        self.first_day = self.today - timedelta(days=days - 1)
        self.data = load_data()
        self._ids: dict[type, int] = {}
        self.rows: list[SQLModel] = []
        self._count: dict[str, int] = {}
        self.used_phones: set[str] = set()
        self.used_names: set[str] = set()
        self.events: list[tuple[datetime, int, str, dict]] = []  # heap of scheduled stories
        self.promised: dict[int, date] = {}  # lead id -> the day they promised to visit
        self._trials: dict[int, Trial] = {}
        self._seq = 0
        self.courses = [(name, price) for name, price in self.data["courses"]["it"]]
        media = self.data["sources"]["media"]
        self.media_names = [m for m, _ in media]
        self.media_weights = [w for _, w in media]

    # ---- plumbing -------------------------------------------------------------------
    def next_id(self, model: type) -> int:
        if model not in self._ids:
            last = self.session.exec(select(func.max(model.id))).one()
            self._ids[model] = last or 0
        self._ids[model] += 1
        return self._ids[model]

    def add(self, row: SQLModel) -> SQLModel:
        row.id = self.next_id(type(row))
        self.rows.append(row)
        name = row.__tablename__
        self._count[name] = self._count.get(name, 0) + 1
        return row

    def counts(self) -> dict[str, int]:
        return dict(sorted(self._count.items()))

    def at(self, day: date, hh: int, mm: int = 0) -> datetime:
        return datetime.combine(day, time(hh, mm), tzinfo=self.tz)

    def schedule(self, when: datetime, kind: str, **payload: Any) -> None:
        self._seq += 1
        heapq.heappush(self.events, (when, self._seq, kind, payload))

    def working_day(self, day: date) -> date:
        while day.isoweekday() == 7:
            day += timedelta(days=1)
        return day

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def weighted(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    # ---- people -----------------------------------------------------------------------
    def person_name(self, female: bool | None = None) -> str:
        people = self.data["people"]
        for _ in range(20):
            if female is None:
                female = self.rng.random() < 0.5
            given = self.pick(people["given_female"] if female else people["given_male"])
            name = self.pick(people["surnames"]) + given
            if name not in self.used_names:
                break
        self.used_names.add(name)
        return name

    def mobile(self) -> str:
        while True:
            number = self.pick(self.data["people"]["mobile_prefixes"]) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return "+86" + number

    def new_lead(self, when: datetime, channel: str, owner: Staff | None, *, young: bool = False, **extra: Any) -> Lead:
        rng = self.rng
        name = self.person_name()
        age = rng.randint(16, 19) if young else min(40, max(16, int(rng.gauss(23, 5))))
        background, education = self.pick(self.data["people"]["backgrounds"])
        if age < 18:
            background, education = self.pick([("初三毕业", "junior_high"), ("高中在读", "high_school"), ("职高在读", "vocational_high")])
        elif rng.random() < 0.25:
            education = self.weighted(EDUCATION_WEIGHTS)
        non_computer = rng.random() < 0.04
        course = self.pick(self.data["courses"]["non_it"]) if non_computer else self.pick(self.courses)[0]
        phone = self.mobile()
        full, initials = name_keys(name)
        lead = Lead(
            name=name,
            phone=phone,
            phone_digits=phone_digits(phone),
            name_pinyin=full,
            name_initials=initials,
            age=age if rng.random() > 0.05 else None,
            education=education,
            school_or_job=background,
            course_interest=course,
            it_related=not non_computer,
            non_computer_only=non_computer,
            media_source=rng.choices(self.media_names, weights=self.media_weights)[0],
            channel=channel,
            owner_id=owner.id if owner else None,
            has_contact=True,
            first_contact_at=when,
            created_at=when,
            updated_at=when,
        )
        for key, value in extra.items():
            setattr(lead, key, value)
        self.add(lead)
        self.leads.append(lead)
        return lead

    # ---- the roster -------------------------------------------------------------------
    def build_staff(self) -> None:
        self.staff: list[Staff] = []
        position = 0
        hired = self.at(self.first_day, 8) - timedelta(days=400)
        for name, english, role, extension, is_new in self.data["center"]["staff"]:
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
                created_at=hired if not is_new else self.at(self.first_day, 8) + timedelta(days=self._join_offset()),
            )
            self.add(staff)
            self.staff.append(staff)
        self.consultants = [s for s in self.staff if s.role == "consultant"]
        self.by_role: dict[str, list[Staff]] = {}
        for s in self.staff:
            self.by_role.setdefault(s.role, []).append(s)
        self.manager = self.by_role["manager"][0]

    def _join_offset(self) -> int:
        days = (self.today - self.first_day).days
        return max(0, days - 25) if days > 30 else 0

    # ---- the simulation ---------------------------------------------------------------
    def run(self) -> None:
        self.leads: list[Lead] = []
        self.students: list[Lead] = []
        self.enrollment_of: dict[int, Enrollment] = {}
        self.build_staff()
        self.lectures: dict[date, Lecture] = {}
        self.event_forms: list[tuple[Outreach, list[Staff], datetime]] = []
        day = self.first_day
        while day <= self.today:
            if day.isoweekday() != 7:
                self.simulate_day(day)
            day += timedelta(days=1)
        self.run_events_until(None)
        self.set_today_states()
        self.finish_leads()
        self.collect_forms()
        # No relationships are mapped, so the flush would not order the tables: add them
        # parents first, one flush per table.
        by_table: dict[str, list[SQLModel]] = {}
        for row in self.rows:
            by_table.setdefault(row.__tablename__, []).append(row)
        for table in SQLModel.metadata.sorted_tables:
            if table.name in by_table:
                self.session.add_all(by_table[table.name])
                self.session.flush()

    def simulate_day(self, day: date) -> None:
        rng = self.rng
        joined = [c for c in self.consultants if c.created_at.astimezone(self.tz).date() <= day]
        present = [c for c in joined if rng.random() < 0.88]
        if day == self.today:
            resting = self.pick(joined[:-1] or joined)
            present = [c for c in joined if c is not resting]
        if len(present) < 2:
            present = joined[:2]
        self.present = present
        self.early_duty = present[day.toordinal() % len(present)]
        self.lunch_duty = present[(day.toordinal() + 1) % len(present)]
        self.busy_until = {c.id: self.at(day, 8) for c in present}
        self.present_ids = {c.id for c in present}
        self.day_counts: dict[str, dict[int, int]] = {"phone": {}, "walk_in": {}, "market": {}}
        self.last: dict[str, int | None] = {"phone": None, "walk_in": None, "market": None}
        receptionists = self.by_role["receptionist"]
        self.receptionist_am, self.receptionist_pm = (
            receptionists if day.toordinal() % 2 else list(reversed(receptionists))
        )

        if day.isoweekday() == 6:
            self.plan_lecture(day)
        weekend = day.isoweekday() == 6
        arrivals: list[tuple[datetime, str]] = []
        for _ in range(rng.randint(12, 22) + (4 if weekend else 0)):
            arrivals.append((self.random_time(day), "call"))
        for _ in range(rng.randint(2, 6) + (3 if weekend else 0)):
            arrivals.append((self.random_time(day, start=9), "walk_in"))
        for _ in range(rng.choice((0, 1, 1, 2))):
            arrivals.append((self.random_time(day, start=9), "online"))
        if rng.random() < 0.3:
            arrivals.append((self.at(day, 10, rng.randrange(60)), "market"))
        if rng.random() < 0.2:
            arrivals.append((self.at(day, 17, rng.randrange(60)), "outdoor"))
        if rng.random() < 0.15 and self.students:
            arrivals.append((self.random_time(day, start=10), "referral"))
        for when, kind in sorted(arrivals):
            self.run_events_until(when)
            if when > self.now:
                continue
            getattr(self, f"on_{kind}")(when)
        self.run_events_until(self.at(day + timedelta(days=1), 0))

    def run_events_until(self, moment: datetime | None) -> None:
        while self.events and (moment is None or self.events[0][0] <= moment):
            when, _, kind, payload = heapq.heappop(self.events)
            if when > self.now:
                self.on_future(when, kind, payload)
            else:
                getattr(self, f"story_{kind}")(when, **payload)

    def random_time(self, day: date, start: int = 8) -> datetime:
        # Busier late morning and after work.
        hour = self.rng.choices(range(start, 20), weights=[2 if h in (8,) else 5 if h in (10, 11, 14, 15, 18, 19) else 3 for h in range(start, 20)])[0]
        minute = self.rng.randrange(60) if hour > 8 else 30 + self.rng.randrange(30)
        return self.at(day, hour, minute)

    # ---- rotation -----------------------------------------------------------------------
    def duty_only(self, when: datetime) -> Staff | None:
        local = when.astimezone(self.tz).time()
        if local < time(9, 30):
            return self.early_duty
        if time(12, 0) <= local < time(13, 0):
            return self.lunch_duty
        return None

    def available(self, when: datetime) -> list[Staff]:
        duty = self.duty_only(when)
        candidates = [duty] if duty else self.present
        return [c for c in candidates if self.busy_until.get(c.id, when) <= when and self.rng.random() > 0.08]

    def rotate(self, pool: str, among: list[Staff]) -> Staff:
        """Fair rotation (docs/domain.md §5.1): fewest assignments today, ties after the last one picked."""
        counts = self.day_counts[pool]
        order = [c.id for c in self.consultants]
        last = self.last[pool]
        start = order.index(last) + 1 if last in order else 0
        rank = {cid: (i - start) % len(order) for i, cid in enumerate(order)}
        return min(among, key=lambda c: (counts.get(c.id, 0), rank[c.id]))

    def assign(self, pool: str, staff: Staff, when: datetime, *, lead=None, call=None, visit=None) -> None:
        counts = self.day_counts[pool]
        counts[staff.id] = counts.get(staff.id, 0) + 1
        self.last[pool] = staff.id
        self.add(
            RotationAssignment(
                pool=pool,
                staff_id=staff.id,
                day=when.astimezone(self.tz).date(),
                assigned_at=when,
                lead_id=lead.id if lead else None,
                call_id=call.id if call else None,
                visit_id=visit.id if visit else None,
                on_duty=self.duty_only(when) is not None,
            )
        )

    # ---- calls --------------------------------------------------------------------------
    def words(self, call_type: str, **names: str) -> str:
        course = self.pick(self.courses)[0]
        values = {
            "course": course,
            "consultant": self.pick(self.consultants).name,
            "teacher": self.pick(self.by_role["teacher"]).name,
            "head_teacher": self.pick(self.by_role["head_teacher"]).name,
            "employment_officer": self.by_role["employment_officer"][0].name,
            "principal": self.by_role["principal"][0].name[0],
            "media_officer": self.by_role["media_officer"][0].name,
            "events_officer": self.by_role["events_officer"][0].name,
        }
        values.update(names)
        return self.pick(self.data["words"][call_type]).format(**values)

    def receptionist(self, when: datetime) -> Staff:
        return self.receptionist_am if when.astimezone(self.tz).time() < time(14, 30) else self.receptionist_pm

    def call(self, when: datetime, call_type: str, **values: Any) -> Call:
        duration = timedelta(seconds=self.rng.randint(20, 240))
        row = Call(
            started_at=when,
            ended_at=when + duration,
            call_type=call_type,
            taken_by_id=self.receptionist(when).id,
            **values,
        )
        return self.add(row)

    def recording(self, when: datetime, number: str | None) -> str | None:
        if self.rng.random() < 0.08:
            return None  # the recorder missed it: such a phone lead cannot be valid
        local = when.astimezone(self.tz)
        return f"rec/{local:%Y/%m/%d}/{local:%H%M%S}-{(number or 'unknown').lstrip('+')}.wav"

    def on_call(self, when: datetime) -> None:
        call_type = self.weighted(CALL_WEIGHTS)
        if call_type == "repeat_inquiry" and not self.leads:
            call_type = "first_inquiry"
        if call_type == "student" and not self.students:
            call_type = "other"
        getattr(self, f"call_{call_type}")(when)

    def call_first_inquiry(self, when: datetime, proxy: bool = False) -> None:
        call_type = "proxy_inquiry" if proxy else "first_inquiry"
        words = self.words(call_type)
        free = self.available(when)
        if not free and self.rng.random() < 0.15:
            # No consultant free and the caller would not leave a number (docs/domain.md §2.6).
            self.call(when, call_type, caller_number=self.mobile(), words=words, outcome="message_refused")
            return
        lead = self.new_lead(when, "phone", None, young=proxy)
        caller_name = self.person_name() if proxy else None
        number = self.mobile() if proxy else lead.phone
        if free:
            consultant = self.rotate("phone", free)
            lead.owner_id = consultant.id
            call = self.call(
                when,
                call_type,
                caller_number=number,
                caller_name=caller_name,
                words=words,
                outcome="transferred",
                to_staff_id=consultant.id,
                lead_id=lead.id,
                recording_ref=self.recording(when, number),
                register_complete=True,
            )
            self.assign("phone", consultant, when, lead=lead, call=call)
            self.busy_until[consultant.id] = when + timedelta(minutes=self.rng.randint(6, 18))
            lead.phone_contacted = True
            self.register_reminder(call, consultant)
            self.phone_consult(lead, consultant, call)
        else:
            consultant = self.rotate("phone", self.present)
            call = self.call(
                when,
                call_type,
                caller_number=number,
                caller_name=caller_name or lead.name,
                words=words,
                outcome="message_taken",
                lead_id=lead.id,
                to_staff_id=consultant.id,
                best_time=self.pick(["马上", "下午三点以后", "晚上七点后", "中午", "明天上午"]),
                purpose=f"想了解{lead.course_interest}",
            )
            lead.owner_id = consultant.id
            self.assign("phone", consultant, when, lead=lead, call=call)
            self.follow_up(
                "callback", consultant, when + timedelta(minutes=5), lead=lead, call=call,
                note=f"{lead.name} {phone_digits(lead.phone)}：{call.purpose}，方便时间：{call.best_time}",
                quick=True,
            )
            if self.rng.random() < 0.8:
                self.schedule(when + timedelta(minutes=self.rng.randint(3, 40)), "callback_consult", lead_id=lead.id)
        self.lead_story(lead, when)

    def call_proxy_inquiry(self, when: datetime) -> None:
        self.call_first_inquiry(when, proxy=True)

    def call_repeat_inquiry(self, when: datetime) -> None:
        recent = [l for l in self.leads[-150:] if l.stage in ("lead", "visited", "trial") and l.owner_id]
        if not recent:
            return self.call_first_inquiry(when)
        lead = self.pick(recent)
        owner = self.staff_by_id(lead.owner_id)
        words = self.words("repeat_inquiry", consultant=owner.name)
        free = self.available(when)
        if owner in free:
            to, behalf, outcome = owner, None, "transferred"
        elif free and self.rng.random() < 0.6:
            to, behalf, outcome = self.pick(free), owner, "transferred"
        else:
            to, behalf, outcome = owner, None, "message_taken"
        call = self.call(
            when, "repeat_inquiry", caller_number=lead.phone, caller_name=lead.name, words=words,
            outcome=outcome, to_staff_id=to.id, on_behalf_of_id=behalf.id if behalf else None, lead_id=lead.id,
            recording_ref=self.recording(when, lead.phone), register_complete=True,
            purpose=None if outcome == "transferred" else self.pick(self.data["notes"]["asked"]),
        )
        if outcome == "transferred":
            self.busy_until[to.id] = when + timedelta(minutes=self.rng.randint(5, 15))
            self.phone_consult(lead, to, call)
        else:
            self.follow_up("callback", owner, when + timedelta(minutes=5), lead=lead, call=call,
                           note=f"{lead.name}再次来电：{call.purpose}", quick=True)

    def call_student(self, when: datetime) -> None:
        student = self.pick(self.students)
        role = self.pick(["teacher", "head_teacher", "head_teacher", "employment_officer", "consultant"])
        person = self.pick(self.by_role[role])
        names = {"teacher": person.name, "head_teacher": person.name, "employment_officer": person.name, "consultant": person.name}
        template = {"teacher": "我是这里的学员，{teacher}老师在吗？", "head_teacher": "我找一下我们班主任{head_teacher}",
                    "employment_officer": "{employment_officer}老师在吗？我想问推荐工作的事",
                    "consultant": "我是学员，找一下{consultant}老师"}[role]
        self.call(when, "student", caller_number=student.phone, caller_name=student.name,
                  words=template.format(**names), outcome="transferred", to_staff_id=person.id, lead_id=student.id)

    def call_directions(self, when: datetime) -> None:
        coming = self.rng.random() < 0.3
        number = self.mobile()
        self.call(when, "directions", caller_number=number, words=self.words("directions"),
                  outcome="directions_given", purpose="来中心咨询" if coming else None)
        if coming:
            self.schedule(when + timedelta(minutes=self.rng.randint(25, 90)), "walk_in_arrives", phone=number)

    def call_business(self, when: datetime) -> None:
        role = self.pick(["principal", "manager", "media_officer", "events_officer", "employment_officer"])
        person = self.pick(self.by_role[role])
        caller = self.pick(self.data["people"]["surnames"]) + self.pick(["总", "经理", "老师", "主任"])
        words = {"principal": f"请问{person.name[0]}校长在吗？", "manager": f"找一下{person.name[0]}经理，约好了的"}.get(
            role, f"帮我转一下{person.name}")
        self.call(when, "business", caller_number=self.landline(), caller_name=caller, words=words,
                  outcome="transferred", to_staff_id=person.id, purpose=self.pick(["合作洽谈", "回复邮件", "活动场地", "招聘合作", "广告排期"]))

    def landline(self) -> str:
        return f"+8621{self.rng.randrange(10**8):08d}"

    def call_screened(self, when: datetime) -> None:
        caller = self.pick(["某办公用品公司", "某网络推广公司", "某保险公司", "某饮水机公司", "某广告公司"])
        self.call(when, "screened", caller_number=self.landline() if self.rng.random() < 0.5 else self.mobile(),
                  caller_name=f"{self.person_name()}（{caller}）", words=self.words("screened"),
                  outcome="declined", purpose=f"{caller}推销")

    def call_complaint(self, when: datetime) -> None:
        source = self.pick(self.students) if self.students and self.rng.random() < 0.7 else None
        call = self.call(
            when, "complaint", caller_number=source.phone if source else self.mobile(),
            caller_name=source.name if source else self.person_name(), words=self.words("complaint"),
            outcome="escalated", to_staff_id=self.manager.id, lead_id=source.id if source else None,
            purpose=self.pick(["上课老师迟到", "退费进度慢", "教室空调坏了", "课程和宣传不符", "班主任不回消息"]),
        )
        self.follow_up("complaint", self.manager, when, lead=source, call=call, note=call.purpose, quick=True)

    def call_silent(self, when: datetime) -> None:
        self.call(when, "silent", caller_number=self.mobile() if self.rng.random() < 0.7 else None,
                  words=self.words("silent"), outcome="hung_up")

    def call_other(self, when: datetime) -> None:
        words = self.words("other")
        self.call(when, "other", caller_number=self.mobile(), words=words, outcome="handled",
                  purpose={"快": "快递", "招": "应聘", "打": "打错电话", "外": "外卖"}.get(words[1] if words[0] == "我" else words[0], "其他"))

    def register_reminder(self, call: Call, consultant: Staff) -> None:
        """A few register rows stay incomplete: the front desk reminds the consultant."""
        recent = self.now - call.started_at < timedelta(hours=2)
        if recent or self.rng.random() < 0.05:
            call.register_complete = not recent and self.rng.random() < 0.5
            self.follow_up("complete_register", consultant, call.ended_at + timedelta(minutes=10), call=call,
                           lead_id=call.lead_id, note="电话登记表未填完整", quick=True)

    # ---- notes, follow-ups and the story of each lead -----------------------------------
    def phone_consult(self, lead: Lead, consultant: Staff, call: Call) -> None:
        if self.rng.random() > 0.85:
            return
        notes = self.data["notes"]
        promised = None
        if self.rng.random() < 0.45:
            promised = self.working_day(call.started_at.astimezone(self.tz).date() + timedelta(days=self.rng.randint(1, 5)))
        self.add(
            ConsultNote(
                lead_id=lead.id, staff_id=consultant.id, kind="phone", call_id=call.id,
                asked=self.pick(notes["asked"]), intent=self.rng.choice(["high", "medium", "medium", "low"]),
                promised_visit_on=promised, next_step=f"约{promised:%m月%d日}来中心" if promised else self.pick(notes["next_steps"]),
                text=f"{lead.age or '?'}岁，{lead.school_or_job}，想学{lead.course_interest}，{lead.media_source}看到的",
                created_at=call.ended_at,
            )
        )
        if promised:
            self.promised[lead.id] = promised

    def follow_up(self, kind: str, owner: Staff, due: datetime, *, lead=None, call=None, visit=None,
                  enrollment=None, note: str | None = None, quick: bool = False, lead_id: int | None = None) -> FollowUp:
        row = FollowUp(
            kind=kind, owner_id=owner.id, lead_id=lead.id if lead else lead_id, call_id=call.id if call else None,
            visit_id=visit.id if visit else None, enrollment_id=enrollment.id if enrollment else None,
            due_at=due, note=note,
            created_at=call.started_at if call else visit.arrived_at if visit else min(due, self.now),
        )
        if due <= self.now:
            age = self.now - due
            chance = 0.97 if quick and age > timedelta(hours=1) else 0.85 if age > timedelta(days=3) else 0.4
            if self.rng.random() < chance:
                delay = timedelta(minutes=self.rng.randint(1, 8)) if quick else timedelta(hours=self.rng.randint(0, 30))
                row.done_at = min(due + delay, self.now)
                row.result = self.rng.choices(["reached", "not_reached", "rescheduled", "closed"], weights=[60, 20, 12, 8])[0]
                row.result_note = {
                    "reached": self.pick(["已联系，约好来访", "已回电，解答了学费问题", "已处理", "已联系，考虑中"]),
                    "not_reached": self.pick(["无人接听", "关机", "占线"]),
                    "rescheduled": f"改到{(row.done_at + timedelta(days=1)).astimezone(self.tz):%m-%d %H:00}再联系",
                    "closed": self.pick(["已在别处报名", "暂不考虑", "号码错误"]),
                }[row.result]
        return self.add(row)

    def lead_story(self, lead: Lead, when: datetime) -> None:
        """What happens to a lead after the first contact, scheduled as future events."""
        rng = self.rng
        if lead.non_computer_only:
            return
        promised = self.promised.get(lead.id)
        if promised or rng.random() < 0.3:
            day = promised or self.working_day(when.astimezone(self.tz).date() + timedelta(days=rng.randint(1, 7)))
            if rng.random() < 0.7:
                self.schedule(self.at(day, rng.randint(10, 19), rng.randrange(60)), "repeat_visit", lead_id=lead.id)
            elif promised:
                owner = self.staff_by_id(lead.owner_id)
                self.follow_up("promised_visit", owner, self.at(self.working_day(promised + timedelta(days=1)), 10),
                               lead=lead, note=f"约{promised:%m月%d日}来访，未到")

    def lead_by_id(self, lead_id: int) -> Lead:
        return self._lead_index().get(lead_id)

    def _lead_index(self) -> dict[int, Lead]:
        if len(getattr(self, "_leads_by_id", {})) != len(self.leads):
            self._leads_by_id = {l.id: l for l in self.leads}
        return self._leads_by_id

    def staff_by_id(self, staff_id: int) -> Staff:
        return next(s for s in self.staff if s.id == staff_id)

    def story_callback_consult(self, when: datetime, lead_id: int) -> None:
        lead = self.lead_by_id(lead_id)
        owner = self.staff_by_id(lead.owner_id)
        lead.phone_contacted = True
        self.add(ConsultNote(lead_id=lead.id, staff_id=owner.id, kind="phone", asked=self.pick(self.data["notes"]["asked"]),
                             intent=self.rng.choice(["medium", "low", "high"]), next_step=self.pick(self.data["notes"]["next_steps"]),
                             text="回电：" + f"想学{lead.course_interest}", created_at=when))

    def story_repeat_visit(self, when: datetime, lead_id: int) -> None:
        lead = self.lead_by_id(lead_id)
        owner = self.staff_by_id(lead.owner_id)
        receiver = owner if owner.id in self.present_ids else self.pick(self.present)
        visit = self.add(Visit(
            arrived_at=when, visitor_type="repeat_walk_in", visitor_name=lead.name, phone=lead.phone, lead_id=lead.id,
            course_interest=lead.course_interest, received_by_id=receiver.id, came_for=owner.name,
            left_at=when + timedelta(minutes=self.rng.randint(30, 80)), taken_by_id=self.receptionist(when).id,
        ))
        self.face_to_face(lead, receiver, visit)

    def story_walk_in_arrives(self, when: datetime, phone: str) -> None:
        self.on_walk_in(when, visitor_type="consult_walk_in", phone=phone)

    def face_to_face(self, lead: Lead, consultant: Staff, visit: Visit) -> None:
        rng = self.rng
        notes = self.data["notes"]
        if lead.stage == "lead":
            lead.stage = "visited"
        self.busy_until[consultant.id] = visit.left_at or visit.arrived_at + timedelta(minutes=45)
        roll = rng.random()
        outcome = "enroll" if roll < 0.18 else "trial" if roll < 0.42 else "unpaid"
        self.add(ConsultNote(
            lead_id=lead.id, staff_id=consultant.id, kind="face_to_face", visit_id=visit.id,
            asked=self.pick(notes["asked"]), objections=self.pick(notes["objections"]) or None,
            intent={"enroll": "high", "trial": "high", "unpaid": rng.choice(["medium", "low", "medium"])}[outcome],
            next_step={"enroll": "已报名", "trial": "约试听课", "unpaid": self.pick(notes["next_steps"])}[outcome],
            text=f"{lead.school_or_job}，目标：{self.pick(['转行做设计', '找份坐办公室的工作', '提升学历和技能', '自己开网店', '进互联网公司'])}；"
                 f"倾向{self.pick(['周末班', '全日制', '晚班'])}",
            created_at=visit.left_at or visit.arrived_at,
        ))
        day = visit.arrived_at.astimezone(self.tz).date()
        if outcome == "enroll":
            self.enroll(lead, consultant, visit.left_at or visit.arrived_at)
        elif outcome == "trial":
            booked = self.at(self.working_day(day + timedelta(days=rng.randint(1, 5))), rng.choice((10, 14, 19)))
            trial = self.add(Trial(lead_id=lead.id, consultant_id=consultant.id, course=lead.course_interest,
                                   booked_for=booked, attended=False, created_at=visit.arrived_at))
            self.schedule(booked, "trial", trial_id=trial.id, lead_id=lead.id)
            self._trials[trial.id] = trial
        else:
            self.follow_up("unpaid_after_consult", consultant, self.at(self.working_day(day + timedelta(days=1)), 10),
                           lead=lead, visit=visit, note="面谈未交费，跟进报名意向")
            if rng.random() < 0.25:
                self.schedule(self.at(self.working_day(day + timedelta(days=rng.randint(2, 10))), rng.randint(10, 19), rng.randrange(60)),
                              "enrolling", lead_id=lead.id)

    def story_trial(self, when: datetime, trial_id: int, lead_id: int) -> None:
        trial = self._trials[trial_id]
        lead = self.lead_by_id(lead_id)
        trial.attended = self.rng.random() < 0.75
        if trial.attended:
            lead.stage = "trial" if lead.stage in ("lead", "visited") else lead.stage
            if self.rng.random() < 0.5:
                self.schedule(when + timedelta(hours=3) if self.rng.random() < 0.4 else
                              self.at(self.working_day(when.astimezone(self.tz).date() + timedelta(days=self.rng.randint(1, 6))), 15),
                              "enrolling", lead_id=lead.id)

    def story_enrolling(self, when: datetime, lead_id: int) -> None:
        lead = self.lead_by_id(lead_id)
        if lead.stage in ("student", "refunded"):
            return
        owner = self.staff_by_id(lead.owner_id)
        receiver = owner if owner.id in self.present_ids else self.pick(self.present)
        visit = self.add(Visit(arrived_at=when, visitor_type="enrolling_student", visitor_name=lead.name, phone=lead.phone,
                               lead_id=lead.id, course_interest=lead.course_interest, received_by_id=receiver.id,
                               came_for=owner.name, left_at=when + timedelta(minutes=40), taken_by_id=self.receptionist(when).id))
        self.enroll(lead, owner, visit.left_at)

    def enroll(self, lead: Lead, consultant: Staff, when: datetime) -> None:
        rng = self.rng
        price = dict(self.courses).get(lead.course_interest) or self.pick(self.courses)[1]
        amount = max(3000, min(20000, round(price * rng.choice((1, 1, 0.95, 0.9, 0.85)) / 100) * 100))
        full = rng.random() < 0.5
        paid = amount if full else max(1000, round(amount * rng.uniform(0.3, 0.6) / 100) * 100)
        due_on = None if full else when.astimezone(self.tz).date() + timedelta(days=rng.randint(7, 30))
        enrollment = self.add(Enrollment(lead_id=lead.id, consultant_id=consultant.id, course=lead.course_interest,
                                         amount_fen=amount * 100, balance_due_on=due_on, enrolled_at=when))
        self.add(Payment(enrollment_id=enrollment.id, kind="initial", amount_fen=paid * 100, paid_at=when, staff_id=consultant.id))
        lead.stage = "student"
        lead.updated_at = when
        self.students.append(lead)
        if due_on:
            due = self.at(self.working_day(due_on), 10)
            fu = self.follow_up("balance_due", consultant, due, lead=lead, enrollment=enrollment,
                                note=f"尾款 {amount - paid} 元，约定 {due_on:%m-%d} 交")
            if fu.done_at and fu.result != "not_reached":
                self.schedule(fu.done_at, "balance", enrollment_id=enrollment.id, amount=amount - paid, staff_id=consultant.id)
        if rng.random() < 0.07:
            later = when + timedelta(days=rng.choice((3, 9, 16, 25, 38, 45)), hours=rng.randint(0, 3))
            self.schedule(later, "refund", enrollment_id=enrollment.id, lead_id=lead.id, paid=paid)

    def story_balance(self, when: datetime, enrollment_id: int, amount: int, staff_id: int) -> None:
        self.add(Payment(enrollment_id=enrollment_id, kind="balance", amount_fen=amount * 100, paid_at=when, staff_id=staff_id))

    def story_refund(self, when: datetime, enrollment_id: int, lead_id: int, paid: int) -> None:
        lead = self.lead_by_id(lead_id)
        visit = self.add(Visit(arrived_at=when, visitor_type="refund_student", visitor_name=lead.name, phone=lead.phone,
                               lead_id=lead.id, received_by_id=self.manager.id, came_for=self.manager.name,
                               left_at=when + timedelta(minutes=30), taken_by_id=self.receptionist(when).id))
        amount = paid if self.rng.random() < 0.5 else round(paid * 0.7 / 100) * 100
        self.add(Payment(enrollment_id=enrollment_id, kind="refund", amount_fen=amount * 100,
                         reason=self.pick(self.data["notes"]["refund_reasons"]), paid_at=visit.left_at, staff_id=self.manager.id))
        lead.stage = "refunded"
        lead.updated_at = when

    def on_future(self, when: datetime, kind: str, payload: dict) -> None:
        """A story that would happen after now: leave what is owed open in the queues."""
        if kind == "repeat_visit":
            lead = self.lead_by_id(payload["lead_id"])
            promised = self.promised.get(lead.id)
            if promised:
                owner = self.staff_by_id(lead.owner_id)
                self.follow_up("promised_visit", owner, self.at(self.working_day(promised + timedelta(days=1)), 10),
                               lead=lead, note=f"约{promised:%m月%d日}来访")

    # ---- walk-ins -----------------------------------------------------------------------
    def on_walk_in(self, when: datetime, visitor_type: str | None = None, phone: str | None = None) -> None:
        rng = self.rng
        visitor_type = visitor_type or self.weighted(WALK_IN_WEIGHTS)
        receptionist = self.receptionist(when)
        if visitor_type in ("business_visitor", "interviewee", "passer_by"):
            return self.other_visitor(when, visitor_type)
        free = self.available(when)
        waited_from = waited_until = None
        if free:
            consultant = self.rotate("walk_in", free)
        else:
            consultant = self.rotate("walk_in", self.present)
            waited_from = when
            waited_until = max(when + timedelta(minutes=rng.randint(3, 10)), self.busy_until.get(consultant.id, when))
            waited_until = min(waited_until, when + timedelta(minutes=35))
        channel_name = self.pick(self.data["sources"]["channels_for_proxy"]) if visitor_type == "channel_proxy" else None
        lead = self.new_lead(when, "walk_in", consultant, young=visitor_type == "accompanied")
        if phone:
            self.used_phones.discard(lead.phone[3:])
            lead.phone, lead.phone_digits = phone, phone_digits(phone)
        lead.media_source = "渠道推荐" if channel_name else lead.media_source
        lead.stage = "visited"
        start = waited_until or when
        visit = self.add(Visit(
            arrived_at=when, visitor_type=visitor_type, visitor_name=lead.name, phone=lead.phone, lead_id=lead.id,
            companions={"accompanied": self.pick(["妈妈", "爸爸", "朋友", "姐姐", "男朋友"]), "group": "同学"}.get(visitor_type),
            group_size=rng.randint(2, 4) if visitor_type == "group" else 1, channel_name=channel_name,
            course_interest=lead.course_interest, received_by_id=consultant.id, waited_from=waited_from,
            waited_until=waited_until, left_at=start + timedelta(minutes=rng.randint(25, 75)), taken_by_id=receptionist.id,
        ))
        self.assign("walk_in", consultant, when, lead=lead, visit=visit)
        self.face_to_face(lead, consultant, visit)

    def other_visitor(self, when: datetime, visitor_type: str) -> None:
        rng = self.rng
        receptionist = self.receptionist(when)
        if visitor_type == "business_visitor":
            person = self.pick(self.by_role["principal"] + self.by_role["manager"] + self.by_role["media_officer"] + self.by_role["events_officer"])
            self.add(Visit(arrived_at=when, visitor_type=visitor_type, visitor_name=self.person_name() + "（合作方）",
                           received_by_id=person.id, came_for=person.name, left_at=when + timedelta(minutes=40), taken_by_id=receptionist.id))
        elif visitor_type == "interviewee":
            self.add(Visit(arrived_at=when, visitor_type=visitor_type, visitor_name=self.person_name(), phone=self.mobile(),
                           received_by_id=self.manager.id, came_for="面试：咨询师岗位", left_at=when + timedelta(minutes=30),
                           taken_by_id=receptionist.id))
        else:
            gave_contact = rng.random() < 0.4
            lead = None
            if gave_contact:
                consultant = self.rotate("walk_in", self.present)
                lead = self.new_lead(when, "walk_in", consultant)
                lead.stage = "visited"
            visit = self.add(Visit(arrived_at=when, visitor_type=visitor_type, visitor_name=lead.name if lead else None,
                                   phone=lead.phone if lead else None, lead_id=lead.id if lead else None,
                                   received_by_id=receptionist.id, left_at=when + timedelta(minutes=10), taken_by_id=receptionist.id))
            if lead:
                self.assign("walk_in", self.staff_by_id(lead.owner_id), when, lead=lead, visit=visit)

    # ---- other channels -----------------------------------------------------------------
    def on_online(self, when: datetime) -> None:
        consultant = self.rotate("phone", self.present)
        lead = self.new_lead(when, "online", consultant, phone_contacted=self.rng.random() < 0.8)
        lead.media_source = self.pick(["官网", "微信公众号", "小红书", "百度"])
        self.assign("phone", consultant, when, lead=lead)
        self.lead_story(lead, when)

    def on_market(self, when: datetime) -> None:
        for _ in range(self.rng.randint(2, 5)):
            consultant = self.rotate("market", self.present)
            result = self.rng.choices(["connected", "powered_off", "suspended", "out_of_area", "unreachable"], weights=[70, 10, 5, 5, 10])[0]
            lead = self.new_lead(when, "market", consultant, first_call_result=result, phone_contacted=result == "connected")
            lead.media_source = "招聘网站"
            self.assign("market", consultant, when, lead=lead)
            if result == "connected":
                self.lead_story(lead, when)

    def on_outdoor(self, when: datetime) -> None:
        collector = self.pick(self.present)
        known = [lead for lead in self.leads[-200:] if lead.channel != "outdoor"]
        collected = []
        for _ in range(self.rng.randint(1, 4)):
            brought = self.rng.random() < 0.3
            lead = self.new_lead(when, "outdoor", collector, collector_id=collector.id, brought_in_person=brought,
                                 came_after_questionnaire=not brought and self.rng.random() < 0.4)
            lead.media_source = self.pick(["校园讲座", "招聘会", "街头推广"])
            collected.append(lead)
            self.lead_story(lead, when)
        self.outreach(when, collector, collected, known)

    def outreach(self, when: datetime, collector: Staff, collected: list[Lead], known: list[Lead]) -> None:
        """The activity the outdoor leads were collected at (docs/domain.md §6.2), sometimes run with a
        second consultant, now and then meeting a person desk already knew (linked, not new)."""
        rng = self.outreach_rng
        kind = rng.choices(list(OUTREACH_KINDS), weights=list(OUTREACH_KINDS.values()))[0]
        for lead in collected:
            lead.media_source = outreach_source(kind)
        recorder = collector if kind == "street_promotion" else self.by_role["events_officer"][0]
        activity = self.add(Outreach(kind=kind, day=when.date(), place=rng.choice(OUTREACH_PLACES[kind]), created_at=when,
                                     created_by_id=recorder.id))
        runners = [collector]
        others = [c for c in self.present if c is not collector]
        if others and rng.random() < 0.4:
            runners.append(rng.choice(others))
        for person in runners:
            self.add(OutreachStaff(outreach_id=activity.id, staff_id=person.id))
        for lead in collected:
            self.add(OutreachContact(outreach_id=activity.id, lead_id=lead.id, collector_id=collector.id, new_lead=True, created_at=when))
        if known and rng.random() < 0.3:
            self.add(OutreachContact(outreach_id=activity.id, lead_id=rng.choice(known).id, collector_id=runners[-1].id,
                                     new_lead=False, created_at=when))
        if kind != "street_promotion":
            self.event_forms.append((activity, runners, when))

    def collect_forms(self) -> None:
        """A fair or a talk brings a stack of forms (docs/domain.md §7.5: 10+ per event). They are typed
        in after the simulation, from the outreach stream, so every other row of the seed stays
        as it was; like any contact just collected, they have no story and no verdict yet."""
        main, self.rng = self.rng, self.outreach_rng
        try:
            for activity, runners, when in self.event_forms:
                for person in runners:
                    for _ in range(self.rng.randint(3, 11)):
                        lead = self.new_lead(when, "outdoor", person, collector_id=person.id,
                                             came_after_questionnaire=self.rng.random() < 0.2)
                        lead.media_source = outreach_source(activity.kind)
                        self.add(OutreachContact(outreach_id=activity.id, lead_id=lead.id, collector_id=person.id,
                                                 new_lead=True, created_at=when))
        finally:
            self.rng = main

    def on_referral(self, when: datetime) -> None:
        referrer = self.pick(self.students)
        enrollment_owner = self.staff_by_id(referrer.owner_id)
        channel = "referral" if self.rng.random() < 0.7 else "internal"
        lead = self.new_lead(when, channel, enrollment_owner, referred_by_id=referrer.id)
        lead.media_source = "老学员推荐" if channel == "referral" else "学员二次需求"
        self.lead_story(lead, when)

    # ---- lectures -----------------------------------------------------------------------
    def plan_lecture(self, day: date) -> None:
        lecture = self.add(Lecture(starts_at=self.at(day, 14), topic=self.pick(self.data["sources"]["lecture_topics"])))
        self.lectures[day] = lecture
        candidates = [l for l in self.leads[-80:] if l.stage in ("lead", "visited") and not l.non_computer_only]
        for lead in self.rng.sample(candidates, min(len(candidates), self.rng.randint(3, 8))):
            booked_by, booked_at = self.booked(lead, lecture)
            booking = self.add(LectureBooking(lecture_id=lecture.id, lead_id=lead.id, attended=False,
                                              booked_by_id=booked_by.id, booked_at=booked_at))
            if lecture.starts_at <= self.now and self.rng.random() < 0.65:
                booking.attended = True
                arrived = lecture.starts_at - timedelta(minutes=self.rng.randint(5, 20))
                visit = self.add(Visit(arrived_at=arrived, visitor_type="lecture_attendee", visitor_name=lead.name, phone=lead.phone,
                                       lead_id=lead.id, lecture_id=lecture.id, course_interest=lead.course_interest,
                                       received_by_id=lead.owner_id, left_at=lecture.starts_at + timedelta(minutes=90),
                                       taken_by_id=self.receptionist(arrived).id))
                owner = self.staff_by_id(lead.owner_id)
                self.follow_up("lecture_follow_up", owner, self.at(self.working_day(day + timedelta(days=1)), 10),
                               lead=lead, visit=visit, note=f"参加了「{lecture.topic}」")

    def booked(self, lead: Lead, lecture: Lecture) -> tuple[Staff, datetime]:
        """Who booked ``lead`` for ``lecture``, and when, as the lectures screen shows it.

        Mostly their own consultant, on an invitation call; otherwise the receptionist on
        duty, who books callers and visitors ahead. One to six days before the lecture (a
        Sunday, closed, becomes the Saturday before), in opening hours; a lead first known
        later than that was booked on that first contact, a few minutes after it.
        """
        rng = self.booking_rng
        day = lecture.starts_at.astimezone(self.tz).date() - timedelta(days=rng.randint(1, 6))
        if day.isoweekday() == 7:
            day -= timedelta(days=1)
        when = self.at(day, rng.randint(9, 18), rng.randrange(60))
        if when < lead.created_at:
            when = lead.created_at + timedelta(minutes=rng.randint(3, 15))
        when = min(when, lecture.starts_at, self.now)
        if lead.owner_id is not None and rng.random() < 0.7:
            return self.staff_by_id(lead.owner_id), when
        # The front-desk rota of simulate_day: the two receptionists swap mornings and
        # afternoons (at 14:30) from one day to the next.
        local = when.astimezone(self.tz)
        first, second = self.by_role["receptionist"]
        morning, afternoon = (first, second) if local.date().toordinal() % 2 else (second, first)
        return (morning if local.time() < time(14, 30) else afternoon), when

    # ---- today --------------------------------------------------------------------------
    def set_today_states(self) -> None:
        states = ["free", "on_call", "with_visitor", "free", "away"]
        present = [c for c in self.consultants if c.id in self.present_ids] if self.today.isoweekday() != 7 else self.consultants[:3]
        for i, consultant in enumerate(present):
            consultant.state = states[i % len(states)]
            consultant.on_duty = True
        receptionist = self.receptionist(self.now) if self.today.isoweekday() != 7 else self.by_role["receptionist"][0]
        receptionist.on_duty = True
        for role in ("manager", "principal", "teacher", "head_teacher", "employment_officer"):
            for person in self.by_role[role]:
                person.on_duty = True

    def finish_leads(self) -> None:
        """Consultants' marks, and each lead's validity verdict when the rules module is there."""
        for lead in self.leads:
            doubtful = lead.non_computer_only or (lead.age is not None and lead.age < 18)
            if doubtful and self.rng.random() < 0.6:
                lead.flag = "invalid"
                lead.flag_checked = self.rng.random() < 0.5
        try:
            from desk.rules.leads import check_lead
        except ImportError:
            return
        recorded = {r.lead_id for r in self.rows if isinstance(r, Call) and r.recording_ref and r.lead_id}
        for lead in self.leads:
            verdict = check_lead(
                channel=lead.channel, age=lead.age, education=lead.education, it_related=lead.it_related,
                non_computer_only=lead.non_computer_only, has_recording=lead.id in recorded,
                has_contact=lead.has_contact, phone_contacted=lead.phone_contacted,
                brought_in_person=lead.brought_in_person, came_after_questionnaire=lead.came_after_questionnaire,
                first_call_result=lead.first_call_result,
            )
            lead.valid = verdict.valid
            lead.validity_reasons = json.dumps(list(verdict.reasons), ensure_ascii=False)
            lead.counted_as = verdict.counted_as
