"""What every part of the demo shares: the random streams, the clock, the rows and their ids,
and the stories scheduled for later.

The demo is repeatable only if every draw happens in the same order for a seed, so the parts
draw from this one object's streams instead of owning any; a part that must leave the main
stream alone borrows another one for a while (``drawing_from``).
"""

from __future__ import annotations

import heapq
import random
import tomllib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from desk.dal.ids import pk
from desk.dal.store import Store
from desk.models import Partner
from desk.paths import data_dir

T = TypeVar("T")
Row = TypeVar("Row", bound=SQLModel)


def load_data() -> dict[str, Any]:
    """The roster, names, courses, sources and words of ``data/demo/demo.toml``."""
    with (data_dir() / "demo" / "demo.toml").open("rb") as fh:
        return tomllib.load(fh)


class DemoContext:
    """The streams, the clock, the rows and the story queue of one build.

    Rows get explicit ids (``add``) so the whole build is one batched flush (``flush``).
    """

    def __init__(self, store: Store, session: Session, seed: int, days: int) -> None:
        self.session = session
        self.rng = random.Random(seed)
        # The outdoor activities draw from their own stream, so they leave the rest of the
        # center (every lead, call and visit of a seed) exactly as it was before they existed.
        self.outreach_rng = random.Random(f"outreach-{seed}")
        # Who booked each lecture seat and when: a stream of its own too, for the same reason.
        self.booking_rng = random.Random(f"bookings-{seed}")
        # Who referred (a teacher now and then), the checks' verdicts, the partners named on
        # calls: streams of their own too, so every row the seed made before stays as it was.
        self.referrer_rng = random.Random(f"referrers-{seed}")
        self.check_rng = random.Random(f"checks-{seed}")
        self.register_rng = random.Random(f"registers-{seed}")
        self.partners: dict[str, int] = {}  # name -> Partner id, made the first time it is named
        # The demo PIN's salt: fixed by the seed (same seed, same rows), drawn from no stream.
        self.pin_salt = random.Random(f"pins-{seed}").randbytes(16)
        self.tz = store.tz
        self.now = store.now()
        self.today = self.now.date()
        self.first_day = self.today - timedelta(days=days - 1)
        self.data = load_data()
        self.courses: list[tuple[str, int]] = [(name, price) for name, price in self.data["courses"]["it"]]
        self.rows: list[SQLModel] = []
        self._ids: dict[type, int] = {}
        self._count: dict[str, int] = {}
        self._events: list[tuple[datetime, int, str, dict]] = []  # heap of scheduled stories
        self._seq = 0

    # ---- rows -------------------------------------------------------------------------
    def next_id(self, model: type) -> int:
        if model not in self._ids:
            last = self.session.exec(select(func.max(model.id))).one()
            self._ids[model] = last or 0
        self._ids[model] += 1
        return self._ids[model]

    def add(self, row: Row) -> Row:
        row.id = self.next_id(type(row))
        self.rows.append(row)
        name = row.__tablename__
        self._count[name] = self._count.get(name, 0) + 1
        return row

    def partner(self, name: str, kind: str, when: datetime) -> int:
        """The channel partner called ``name``: the list grows as visits and calls name them."""
        if name not in self.partners:
            self.partners[name] = pk(self.add(Partner(name=name, kind=kind, created_at=when)))
        return self.partners[name]

    def counts(self) -> dict[str, int]:
        return dict(sorted(self._count.items()))

    def flush(self) -> None:
        """No relationships are mapped, so the flush would not order the tables: add the rows
        parents first, one flush per table."""
        by_table: dict[str, list[SQLModel]] = {}
        for row in self.rows:
            by_table.setdefault(row.__tablename__, []).append(row)
        for table in SQLModel.metadata.sorted_tables:
            if table.name in by_table:
                self.session.add_all(by_table[table.name])
                self.session.flush()

    # ---- the clock --------------------------------------------------------------------
    def at(self, day: date, hh: int, mm: int = 0) -> datetime:
        return datetime.combine(day, time(hh, mm), tzinfo=self.tz)

    def local_day(self, when: datetime) -> date:
        return when.astimezone(self.tz).date()

    def working_day(self, day: date) -> date:
        """``day``, or the Monday after when it is a Sunday (the center is closed)."""
        while day.isoweekday() == 7:
            day += timedelta(days=1)
        return day

    # ---- draws ------------------------------------------------------------------------
    def pick(self, seq: Sequence[T]) -> T:
        return seq[self.rng.randrange(len(seq))]

    def weighted(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    @contextmanager
    def drawing_from(self, rng: random.Random) -> Iterator[None]:
        """Every draw of the block comes from ``rng``, leaving the main stream where it was."""
        main, self.rng = self.rng, rng
        try:
            yield
        finally:
            self.rng = main

    # ---- stories ----------------------------------------------------------------------
    def schedule(self, when: datetime, kind: str, **payload: Any) -> None:
        """A story to tell at ``when`` (a repeat visit, a trial, a payment...): see build.py."""
        self._seq += 1
        heapq.heappush(self._events, (when, self._seq, kind, payload))

    def due(self, moment: datetime | None) -> Iterator[tuple[datetime, str, dict]]:
        """The stories scheduled up to ``moment`` (all of them for None), in order; a story
        told may schedule another one, which comes out in its turn."""
        while self._events and (moment is None or self._events[0][0] <= moment):
            when, _, kind, payload = heapq.heappop(self._events)
            yield when, kind, payload
