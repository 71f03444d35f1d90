"""The Store: an engine, the person at the keyboard, and the center's clock."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, tzinfo
from typing import Any, cast

from sqlalchemy import bindparam, event, func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from desk.errors import DeskError
from desk.models import AuditEntry
from desk.rules.audit_chain import GENESIS, AuditFields, row_hash

AUDIT_TABLE = AuditEntry.__table__  # type: ignore[attr-defined]  # SQLAlchemy sets it on every table class
# The columns an audit row's hash covers, in the order of desk.rules.audit_chain.AuditFields.
AUDIT_FIELDS = tuple(AUDIT_TABLE.c[name] for name in ("id", "at", "actor_id", "action", "table_name", "row_id", "changes", "reason"))


class Store:
    """Where reads and writes go.

    ``actor_id`` is the staff member at the keyboard; every write records them in the audit
    trail. ``clock`` returns the current aware time (tests and the demo builder pass their own);
    ``tz`` is the center's time zone, which decides what "today" means.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        actor_id: int | None = None,
        tz: tzinfo | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.engine = engine
        # Writes go through this view of the engine: their transactions take the database's
        # write lock as they begin (desk.db._sqlite_begin / _postgres_begin).
        self._writer = engine.execution_options(desk_lock="write")
        self.actor_id = actor_id
        self.tz = tz or datetime.now().astimezone().tzinfo or UTC
        self._clock = clock or (lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self._clock().astimezone(self.tz)

    def today(self) -> date:
        return self.now().date()

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """The aware instants where the center's local ``day`` starts and the next one starts."""
        from datetime import time, timedelta

        start = datetime.combine(day, time.min, tzinfo=self.tz)
        end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=self.tz)
        return start, end

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error.

        It holds the write lock from its first statement, so everything it reads stays true
        until it commits: a rotation pick, a follow-up still open, no lead yet with a phone.
        Other workstations' writes wait for it (a few milliseconds); reads never do.
        """
        with _WriteSession(self._writer, expire_on_commit=False) as session:
            try:
                yield session
                chain_new_rows(session)
                if self.engine.dialect.name == "postgresql":
                    _notify(session)
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def audit(
        self,
        session: Session,
        action: str,
        row: SQLModel,
        changes: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> None:
        """Append an audit row for ``row`` (flushes so a new row has its id); :meth:`write`
        chains it before it commits."""
        session.flush()
        session.info.setdefault("desk_tables", set()).add(row.__tablename__)
        if changes is None:
            changes = row.model_dump(exclude=_NEVER_AUDITED)
        session.add(
            AuditEntry(
                at=self.now(),
                actor_id=self.actor_id,
                action=action,
                table_name=_table_name(type(row)),
                row_id=getattr(row, "id", None),
                changes=json.dumps(changes, default=str, ensure_ascii=False),
                reason=reason,
            )
        )

    def with_actor(self, actor_id: int | None) -> Store:
        return Store(self.engine, actor_id=actor_id, tz=self.tz, clock=self._clock)


def audit_fields(row: Any) -> AuditFields:
    """What the hash of an audit row read as a plain row (``AUDIT_FIELDS`` first) covers."""
    return AuditFields(*row[:8])


class _WriteSession(Session):
    """The session of :meth:`Store.write`: notes the newest audit row as its transaction
    begins (``_note_newest_audit``), so the end of the write knows which rows are its own."""


# The chain's statements, built once: they run on every write.
_c = AUDIT_TABLE.c
_NEWEST = select(func.max(_c.id))
_ANCHOR = (
    select(_c.id).where(_c.id <= bindparam("start"), _c.hash.is_not(None)).order_by(_c.id.desc()).limit(1).scalar_subquery()
)
_FROM_ANCHOR = select(*AUDIT_FIELDS, _c.hash).where(_c.id >= func.coalesce(_ANCHOR, 0)).order_by(_c.id)
_SET_HASH = update(AUDIT_TABLE).where(_c.id == bindparam("b_id")).values(hash=bindparam("b_hash"))


def _note_newest_audit(session: Session, _transaction: Any, connection: Any) -> None:
    """The newest audit id when the write began, under the write lock (the lock is taken as the
    transaction begins, before this): rows after it are this write's to chain."""
    session.info["audit_from"] = connection.execute(_NEWEST).scalar() or 0


event.listen(_WriteSession, "after_begin", _note_newest_audit)


def chain_new_rows(session: Session) -> None:
    """Hash the audit rows this write added, chained to the last row hashed before it.

    It runs as the write ends, under the write lock, so no other workstation adds a row in
    between; it reads the database, never a cache (other workstations write too). It covers
    rows added by :meth:`Store.audit` and rows inserted in bulk alike (an import, the demo).
    A row someone put in the file by hand, without its hash, is not this write's: it stays
    unchained, and ``desk audit verify`` names it. With no hashed row before the write (a new
    center, or the demo rebuilt: its wipe empties the trail and ids start again) every row is
    the write's own and the chain starts afresh.

    One read: every row from the last one hashed before the write began (walking back from
    the newest id: one step when nobody tampered), then one update of the rows hashed.
    """
    session.flush()
    start = session.info.get("audit_from")
    if start is None:  # the write never reached the database
        return
    connection = session.connection()
    rows = connection.execute(_FROM_ANCHOR, {"start": start}).all()
    anchored = bool(rows) and rows[0].hash is not None and rows[0].id <= start
    prev, hashes = GENESIS, []
    for row in rows:
        if anchored and row.id <= start:  # the anchor, then rows put in by hand: left as they are
            prev = row.hash if row.hash is not None else prev
            continue
        prev = row_hash(prev, audit_fields(row))
        hashes.append({"b_id": row.id, "b_hash": prev})
    if hashes:
        connection.execute(_SET_HASH, hashes)


def _notify(session: Session) -> None:
    """Tell the other workstations what this transaction changed (PostgreSQL's NOTIFY is
    delivered at commit, and not at all on rollback); desk.dal.changes listens."""
    from sqlalchemy import text

    tables = session.info.get("desk_tables")
    if tables:  # a write that changed nothing (the sweep, most times) wakes nobody
        session.execute(text("SELECT pg_notify('desk_changes', :tables)"), {"tables": ",".join(sorted(tables))})


# Secrets kept out of the trail, which managers read: a staff row's PIN hash.
_NEVER_AUDITED = {"pin_hash"}
_NOUNS = {"staff": "staff member with id", "follow_up": "follow-up"}


def _table_name(model: type[SQLModel]) -> str:
    """The table of ``model``. SQLModel types ``__tablename__`` as a str or a declared_attr
    function; on a mapped class, which every desk model is, it is always the str."""
    return cast(str, model.__tablename__)


def existing(session: Session, model: type[SQLModel], row_id: int | None) -> Any:
    """The row ``row_id`` of ``model``; a DeskError naming what is missing when there is none."""
    row = session.get(model, row_id) if row_id is not None else None
    if row is None:
        table = _table_name(model)
        raise DeskError(f"no {_NOUNS.get(table, table)} {row_id}")
    return row


def apply_changes(row: SQLModel, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set ``values`` on ``row``; return {field: [old, new]} for the fields that changed."""
    changed: dict[str, list[Any]] = {}
    for key, new in values.items():
        old = getattr(row, key)
        if old != new:
            setattr(row, key, new)
            changed[key] = [old, new]
    return changed
