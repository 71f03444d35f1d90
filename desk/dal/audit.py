"""Reading the audit trail: pages of it, newest first, with filters; and checking its chain.

``desk audit`` and the managers' audit screen read through here. A page is found by id
(``before_id``: the rows older than the last one shown), so the trail of a busy center (a
million rows) opens with its 500 newest at the cost of 500 rows. The chain is checked a batch
at a time in id order (desk.rules.audit_chain), never holding the whole trail in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlmodel import Session, col

from desk.dal.identity import require
from desk.dal.store import AUDIT_FIELDS, AUDIT_TABLE, Store, audit_fields
from desk.models import Staff
from desk.rules.access import Action
from desk.rules.audit_chain import AuditFields, verify

PAGE = 500
_VERIFY_BATCH = 5000


@dataclass(frozen=True)
class AuditFilter:
    """Which rows: each field set narrows them (``text``: in the action, table, changes,
    reason or the actor's name, any case)."""

    since: datetime | None = None  # from this moment on
    until: datetime | None = None  # before this moment
    actor_id: int | None = None
    action: str | None = None
    table: str | None = None
    row_id: int | None = None
    text: str | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str | None  # the staff member's name; None for desk itself (an import, the sweep)
    action: str
    table_name: str
    row_id: int | None
    changes: str  # JSON, as stored
    reason: str | None


@dataclass(frozen=True)
class ChainCheck:
    """``rows`` in the trail; ``broken_id`` the first row whose hash does not hold (None: the
    chain is intact) and ``after_id`` the row before it (None when it is the first)."""

    rows: int
    broken_id: int | None
    after_id: int | None


def entries(store: Store, where: AuditFilter | None = None, *, before_id: int | None = None,
            limit: int | None = PAGE) -> list[AuditRow]:
    """The rows ``where`` picks, newest first: ``limit`` of them (None: all), older than
    ``before_id`` when given (the next page)."""
    where = where or AuditFilter()
    c = AUDIT_TABLE.c
    query = (
        select(*AUDIT_FIELDS, col(Staff.name).label("actor"))
        .select_from(AUDIT_TABLE.outerjoin(Staff.__table__, c.actor_id == col(Staff.id)))  # type: ignore[attr-defined]
        .order_by(c.id.desc())
    )
    conditions = [
        (where.since is not None, lambda: c.at >= where.since),
        (where.until is not None, lambda: c.at < where.until),
        (where.actor_id is not None, lambda: c.actor_id == where.actor_id),
        (bool(where.action), lambda: c.action == where.action),
        (bool(where.table), lambda: c.table_name == where.table),
        (where.row_id is not None, lambda: c.row_id == where.row_id),
        (before_id is not None, lambda: c.id < before_id),
    ]
    for wanted, condition in conditions:
        if wanted:
            query = query.where(condition())
    text = (where.text or "").strip()
    if text:
        query = query.where(or_(*(column.icontains(text, autoescape=True)
                                  for column in (c.action, c.table_name, c.changes, c.reason, col(Staff.name)))))
    if limit is not None:
        query = query.limit(limit)
    with store.read() as session:
        require(session, store, Action.AUDIT)  # the trail names everyone: a manager's to read
        return [AuditRow(r.id, r.at, r.actor, r.action, r.table_name, r.row_id, r.changes, r.reason)
                for r in session.execute(query)]


def find_actor(store: Store, name: str) -> int | None:
    """The id of the staff member called ``name`` (or with that English name, any case)."""
    wanted = name.strip()
    with store.read() as session:
        found = session.execute(
            select(col(Staff.id)).where(or_(col(Staff.name) == wanted, func.lower(col(Staff.english_name)) == wanted.lower()))
            .order_by(col(Staff.id)).limit(1)
        ).scalar()
    return found


def verify_chain(store: Store) -> ChainCheck:
    """Check every row's hash against its fields and the row before it, in id order."""
    with store.read() as session:
        require(session, store, Action.AUDIT)
        count = session.execute(select(func.count()).select_from(AUDIT_TABLE)).scalar_one()
        broken = verify(_chained(session))
        after = None
        if broken is not None:
            after = session.execute(select(func.max(AUDIT_TABLE.c.id)).where(AUDIT_TABLE.c.id < broken)).scalar()
    return ChainCheck(count, broken, after)


def _chained(session: Session) -> Iterator[tuple[AuditFields, str | None]]:
    """Every row's fields and stored hash in id order, read ``_VERIFY_BATCH`` at a time."""
    c = AUDIT_TABLE.c
    last = None
    while True:
        query = select(*AUDIT_FIELDS, c.hash).order_by(c.id).limit(_VERIFY_BATCH)
        if last is not None:
            query = query.where(c.id > last)
        rows = session.execute(query).all()
        if not rows:
            return
        for row in rows:
            yield audit_fields(row), row.hash
        last = rows[-1].id


def summary(row: AuditRow, width: int = 120) -> str:
    """The row's changes on one line: ``field: old → new`` for an update, ``field=value`` for
    a created row, cut at ``width`` characters (the whole JSON is one key away)."""
    try:
        changes = json.loads(row.changes)
    except ValueError:
        changes = row.changes
    if isinstance(changes, dict):
        parts = [
            f"{key}: {_short(value[0])} → {_short(value[1])}" if isinstance(value, list) and len(value) == 2
            else f"{key}={_short(value)}"
            for key, value in changes.items()
        ]
        text = "; ".join(parts)
    else:
        text = str(changes)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _short(value: object) -> str:
    return "∅" if value is None else json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
