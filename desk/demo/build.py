"""Building the demo center: one transaction, the day-by-day simulation, one audit row.

The simulation walks the days one event at a time, in time order: each day's arrivals (calls,
walk-ins, other channels) and the stories earlier events scheduled (a callback, a repeat visit,
a trial, a payment). This module only orders them and hands each to the part it belongs to.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from desk.dal.ids import move_sequences_past_ids
from desk.dal.reset import wipe
from desk.dal.store import Store
from desk.demo.calls import Calls
from desk.demo.channels import Channels
from desk.demo.context import DemoContext
from desk.demo.followups import FollowUps
from desk.demo.lectures import Lectures
from desk.demo.money import Money
from desk.demo.people import People
from desk.demo.roster import Roster
from desk.demo.visits import Visits
from desk.errors import DeskError
from desk.models import AuditEntry, Staff


@dataclass
class DemoSummary:
    seed: int
    days: int
    today: date
    counts: dict[str, int] = field(default_factory=dict)


def build_demo(store: Store, seed: int = 7, days: int = 60, *, replace: bool = False,
               progress: Callable[[int, int], None] | None = None) -> DemoSummary:
    """Build the demo center into ``store``'s database, in one transaction.

    ``replace`` wipes every data row first (same transaction); without it the database must
    have no staff yet. "Today" is ``store.today()``; nothing is dated after ``store.now()``.
    ``progress(done, total)`` is told after each simulated day (``desk demo``'s progress bar).
    """
    if days < 1:
        raise DeskError("the demo needs at least one day")
    with store.write() as session:
        if replace:
            wipe(session)
        elif session.exec(select(func.count()).select_from(Staff)).one():
            raise DeskError("the database already has staff; the demo center needs an empty one")
        simulation = Simulation(store, session, seed, days)
        simulation.run(progress)
        ctx = simulation.ctx
        summary = DemoSummary(seed=seed, days=days, today=store.today(), counts=ctx.counts())
        session.add(
            AuditEntry(
                id=ctx.next_id(AuditEntry),
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


class Simulation:
    """The days before today, event by event, handed to the parts of the demo center."""

    def __init__(self, store: Store, session: Session, seed: int, days: int) -> None:
        self.ctx = ctx = DemoContext(store, session, seed, days)
        self.people = People(ctx)
        self.roster = Roster(ctx)
        self.followups = FollowUps(ctx, self.roster, self.people)
        self.calls = Calls(ctx, self.roster, self.people, self.followups)
        self.channels = Channels(ctx, self.roster, self.people, self.followups)
        self.lectures = Lectures(ctx, self.roster, self.people, self.followups)
        self.money = Money(ctx, self.roster, self.people, self.followups)
        self.visits = Visits(ctx, self.roster, self.people, self.followups, self.money)
        # Who handles each kind of arrival, and each story scheduled for later.
        self.arrivals: dict[str, Callable[[datetime], None]] = {
            "call": self.calls.ring,
            "walk_in": self.visits.walk_in,
            "online": self.channels.online,
            "market": self.channels.market,
            "outdoor": self.channels.outdoor,
            "referral": self.channels.referral,
            "referral_only": lambda when: self.channels.referral(when, channel="referral"),
            "internal_only": lambda when: self.channels.referral(when, channel="internal"),
        }
        self.stories: dict[str, Callable[..., None]] = {
            "callback_consult": self.calls.callback_consult,
            "walk_in_arrives": self.visits.walk_in_arrives,
            "repeat_visit": self.visits.repeat_visit,
            "trial": self.visits.trial,
            "enrolling": self.money.enrolling,
            "balance": self.money.balance,
            "refund": self.money.refund,
        }

    def run(self, progress: Callable[[int, int], None] | None = None) -> None:
        ctx = self.ctx
        day = ctx.first_day
        total = (ctx.today - ctx.first_day).days + 1
        while day <= ctx.today:
            if day.isoweekday() != 7:
                self.simulate_day(day)
            day += timedelta(days=1)
            if progress is not None:
                progress((day - ctx.first_day).days, total)
        self.tell_stories_until(None)
        self.roster.set_today_states()
        self.people.judge(checkers=self.roster.by_role["receptionist"])
        self.channels.collect_forms()
        ctx.flush()

    def simulate_day(self, day: date) -> None:
        ctx = self.ctx
        rng = ctx.rng
        self.roster.start_day(day)
        weekend = day.isoweekday() == 6
        if weekend:
            self.lectures.plan(day)
        arrivals: list[tuple[datetime, str]] = []
        for _ in range(rng.randint(12, 22) + (4 if weekend else 0)):
            arrivals.append((self.random_time(day), "call"))
        for _ in range(rng.randint(2, 6) + (3 if weekend else 0)):
            arrivals.append((self.random_time(day, start=9), "walk_in"))
        for _ in range(rng.choice((0, 1, 1, 2))):
            arrivals.append((self.random_time(day, start=9), "online"))
        if rng.random() < 0.3:
            arrivals.append((ctx.at(day, 10, rng.randrange(60)), "market"))
        if rng.random() < 0.2:
            arrivals.append((ctx.at(day, 17, rng.randrange(60)), "outdoor"))
        if rng.random() < 0.15 and self.people.students:
            arrivals.append((self.random_time(day, start=10), "referral"))
        if day >= self.last_working_day_before(ctx.today):
            arrivals += self.every_register(day)
        for when, kind in sorted(arrivals):
            self.tell_stories_until(when)
            if when > ctx.now:
                continue
            self.arrivals[kind](when)
        self.tell_stories_until(ctx.at(day + timedelta(days=1), 0))

    @staticmethod
    def last_working_day_before(day: date) -> date:
        """The center works every day but Sunday (run)."""
        day -= timedelta(days=1)
        return day - timedelta(days=1) if day.isoweekday() == 7 else day

    def every_register(self, day: date) -> list[tuple[datetime, str]]:
        """The last working day and today hold a row of every register (docs/domain.md §8): a market
        list's call, a referral and an internal-mining lead, whatever the dice said, so the
        demo's day and month reports show each one. Times from a stream of their own."""
        rng = self.ctx.register_rng
        extra = [(self.ctx.at(day, 11, rng.randrange(60)), "market")]
        if self.people.students:
            extra += [(self.ctx.at(day, 14, rng.randrange(60)), "referral_only"),
                      (self.ctx.at(day, 15, rng.randrange(60)), "internal_only")]
        return extra

    def tell_stories_until(self, moment: datetime | None) -> None:
        """Every story due by ``moment``; one that would happen after now leaves its
        follow-up open instead."""
        for when, kind, payload in self.ctx.due(moment):
            if when > self.ctx.now:
                self.followups.left_open(kind, payload)
            else:
                self.stories[kind](when, **payload)

    def random_time(self, day: date, start: int = 8) -> datetime:
        """A moment of the opening hours: busier late morning and after work."""
        rng = self.ctx.rng
        hour = rng.choices(range(start, 20), weights=[2 if h in (8,) else 5 if h in (10, 11, 14, 15, 18, 19) else 3 for h in range(start, 20)])[0]
        minute = rng.randrange(60) if hour > 8 else 30 + rng.randrange(30)
        return self.ctx.at(day, hour, minute)
