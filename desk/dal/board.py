"""The consultant board: each consultant's state and today's counts per rotation pool."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlmodel import col, func, select

from desk.dal import rotation as rotation_dal
from desk.dal.ids import pk
from desk.dal.store import Store
from desk.models import RotationAssignment, Staff


@dataclass(frozen=True)
class BoardRow:
    id: int
    name: str
    extension: str | None
    state: str
    on_duty: bool
    counts: dict[str, int]  # pool -> assignments today


@dataclass(frozen=True)
class Board:
    rows: list[BoardRow]
    queue: dict[str, rotation_dal.RotationInputs]  # pool -> the rotation's inputs


def board(store: Store, pools: tuple[str, ...] = ("phone", "walk_in", "market")) -> Board:
    with store.read() as session:
        people = session.exec(
            select(Staff).where(col(Staff.role) == "consultant", col(Staff.active) == True).order_by(col(Staff.rotation_position))  # noqa: E712
        ).all()
        counts: dict[int, Counter] = {pk(p): Counter() for p in people}
        for staff_id, pool, n in session.exec(
            select(col(RotationAssignment.staff_id), col(RotationAssignment.pool), func.count())
            .where(col(RotationAssignment.day) == store.today())
            .group_by(col(RotationAssignment.staff_id), col(RotationAssignment.pool))
        ).all():
            if staff_id in counts:
                counts[staff_id][pool] = n
        queue = {pool: rotation_dal.inputs(session, store, pool) for pool in pools}
    rows = [
        BoardRow(pk(p), p.name, p.extension, p.state, p.on_duty, {pool: counts[pk(p)][pool] for pool in pools})
        for p in people
    ]
    return Board(rows=rows, queue=queue)
