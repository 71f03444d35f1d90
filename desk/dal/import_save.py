"""Saving an import's checked rows (:mod:`desk.dal.imports`), a batch per write transaction.

What does not need the database (search keys, the validity verdict, the row itself) is
prepared before the batch takes the write lock (:func:`prepare`); under the lock the batch
reads which of its phones desk knows, merges those, and inserts the rest, their rotation
assignments and their audit rows, each table in one plain ``executemany`` (:func:`insert_rows`):
the read-check-write of a batch is one transaction, all of it or nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, insert, select
from sqlmodel import Session, col

from desk.dal.identity import require
from desk.dal.ids import pk
from desk.dal.leads import refresh_keys
from desk.dal.store import Store
from desk.models import AuditEntry, Call, FollowUp, Lead, RotationAssignment, Staff
from desk.rules.access import Action

if TYPE_CHECKING:
    from desk.dal.imports import ImportResult

# Rows per write transaction on SQLite: the lock is held for the database work alone (~100 ms
# a batch on 2 cores at load ~11; BENCHMARKS.md "Import in batches"), so a workstation saving
# while a big list goes in waits about one batch. Between batches the import
# checks the next rows, which leaves the lock free longer than a waiting save sleeps between
# tries (desk.db._begin_immediate); when that took less than YIELD_S it sleeps the rest.
# PostgreSQL queues the waiters on its lock, so smaller batches cost no pauses there.
BATCH = 500
PG_BATCH = 250
YIELD_S = 0.006

_TABLES: dict[str, Table] = {
    "lead": Lead.__table__,  # type: ignore[attr-defined]  # SQLAlchemy sets it on every table class; SQLModel does not declare it
    "audit": AuditEntry.__table__,  # type: ignore[attr-defined]
    "rotation": RotationAssignment.__table__,  # type: ignore[attr-defined]
    "follow_up": FollowUp.__table__,  # type: ignore[attr-defined]
}


# What the audit row of a new lead records of it.
_AUDITED = ("phone", "name", "channel", "owner_id", "valid", "validity_reasons", "first_call_result")
# json.dumps(changes, default=str, ensure_ascii=False), without a new encoder per row
_JSON = json.JSONEncoder(default=str, ensure_ascii=False)


@dataclass
class MarketPool:
    """The import's rotation (``market``, or ``phone`` for online leads) as it goes: read in
    the first batch that needs it, then counted in memory (reading today's assignments again
    each batch grew with the file)."""

    pool: str | None = None
    data: Any = None
    counts: dict[str, int] = field(default_factory=dict)
    last: str | None = None


def pool_of(channel: str, collector: Staff | None) -> str | None:
    """The rotation pool new leads of this import are shared by, or None (the collector keeps
    them): docs/domain.md §5.3."""
    from desk.rules.rotation import route

    routing = route(channel, collector=collector.name if collector else None,
                    collector_role=collector.role if collector else "consultant")
    return routing.pool if routing.rotation else None


def warm_up() -> None:
    """Load pinyin's dictionary and the validity rules (~250 ms, once per process) before
    the first batch takes the write lock, not while it holds it."""
    from desk.dal.import_keys import name_keys

    name_keys("王芳")
    name_keys("长江")  # and its phrases
    _verdict(_facts({"channel": "market"}))


def known_phones(store: Store, phones: list[str]) -> set[str]:
    with store.read() as session:
        return {row["phone"] for row in by_phone(session, ["phone"], phones)}


def by_phone(session: Session, fields: list[str], phones: list[str]) -> Iterator[Any]:
    """The leads with these phones, as mappings of ``fields``, 500 phones a query, each looked
    up in the phone index. SQLite is told the index (``INDEXED BY``): with statistics from
    when the table was small (ANALYZE after a first import of 500 leads) its planner reads
    500 phones by scanning the table, which grew with every batch (a 50,000-row import spent
    more time in these lookups than in its inserts, and more in each batch than the last)."""
    table = _TABLES["lead"]
    connection = session.connection()
    for start in range(0, len(phones), 500):
        chunk = phones[start : start + 500]
        if connection.dialect.name == "sqlite":
            names = ", ".join(fields)
            marks = ", ".join("?" * len(chunk))
            yield from connection.exec_driver_sql(
                f"SELECT {names} FROM lead INDEXED BY ix_lead_phone WHERE phone IN ({marks})", tuple(chunk)
            ).mappings()
        else:
            yield from session.execute(select(*[table.c[f] for f in fields]).where(table.c.phone.in_(chunk))).mappings()


@lru_cache(maxsize=1)
def lead_defaults() -> dict[str, Any]:
    """Every Lead column with its model default: bulk inserts bypass the model's constructor."""
    from pydantic_core import PydanticUndefined

    return {
        name: info.default
        for name, info in Lead.model_fields.items()
        if name != "id" and info.default is not PydanticUndefined and info.default_factory is None
    }


_FACTS = ("channel", "age", "education", "it_related", "non_computer_only", "has_recording", "has_contact",
          "phone_contacted", "brought_in_person", "came_after_questionnaire", "first_call_result", "is_repeat")


def _facts(values: dict[str, Any], has_recording: bool = False) -> tuple[Any, ...]:
    """What the validity rules read of a lead (as ``_FACTS`` names them), as a key: a list
    has few distinct ones."""
    get = values.get
    return (values["channel"], get("age"), get("education") or "unknown", bool(get("it_related")),
            bool(get("non_computer_only")), has_recording, bool(get("has_contact")), bool(get("phone_contacted")),
            bool(get("brought_in_person")), bool(get("came_after_questionnaire")),
            get("first_call_result") or "connected", get("flag") == "repeat")


def _check(facts: tuple[Any, ...]) -> Any:
    from desk.rules.leads import check_lead

    return check_lead(**dict(zip(_FACTS, facts, strict=True)))


@lru_cache(maxsize=4096)
def _verdict(facts: tuple[Any, ...]) -> dict[str, Any]:
    """The lead columns desk.rules.leads.check_lead sets, once per distinct set of facts."""
    verdict = _check(facts)
    return {"valid": verdict.valid, "validity_reasons": json.dumps(list(verdict.reasons)),
            "counted_as": verdict.counted_as}


def prepare(values: dict[str, Any], channel: str, collector: Staff | None, keep: bool, now: datetime) -> dict[str, Any]:
    """A new lead's row from a checked row's ``values``, as it is inserted if its phone turns out
    new: defaults, times, verdict, search keys, collector (and owner when ``keep``: outdoor
    leads a consultant collected are theirs)."""
    from desk.dal.import_keys import name_keys
    from desk.search_keys import phone_digits

    row = dict(lead_defaults())
    row.update(values, channel=channel, first_contact_at=now, created_at=now, updated_at=now)
    row.update(_verdict(_facts(row)))
    name = row.get("name") or ""
    phone = row["phone"]  # a CN mobile's national digits are its last 11: phone_digits without its regex
    row["phone_digits"] = phone[3:] if len(phone) == 14 and phone.startswith("+861") else phone_digits(phone)
    (row["name_pinyin"], row["name_initials"]), (row["name_pinyin_other"], row["name_initials_other"]) = name_keys(name)
    if collector is not None:
        row["collector_id"] = collector.id
        if keep:
            row["owner_id"] = collector.id
    return row


def audit_row(at: datetime, store: Store, action: str, table: str, row_id: int, changes: dict, reason: str) -> dict[str, Any]:
    """An audit row of the batch saved at ``at`` (desk.dal.store.Store.write chains it)."""
    return {
        "at": at,
        "actor_id": store.actor_id,
        "action": action,
        "table_name": table,
        "row_id": row_id,
        "changes": _JSON.encode(changes),
        "reason": reason,
    }


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]], defaults: dict[str, Any] | None = None) -> None:
    """``rows`` in one ``executemany`` on the driver, each missing column from ``defaults``;
    the dicts are left holding the values as the driver took them (``1`` for ``True``...).

    SQLAlchemy compiles the statement once and each column's type converts each distinct
    value once (an import's rows share their times): its own per-row parameter processing
    took longer than the database's inserting (issue 16: 2.17 s of 8 at 50,000 rows)."""
    if not rows:
        return
    defaults = defaults or {}
    columns = sorted({key for row in rows for key in row})
    for row in rows:
        if len(row) < len(columns):
            for name in columns:
                row.setdefault(name, defaults.get(name))
    connection = session.connection()
    dialect = connection.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=columns)
    order = list(compiled.positiontup or []) if compiled.positional else columns
    assert sorted(order) == columns, (order, columns)  # no column default SQLAlchemy would add
    convert = [(i, _once(processor)) for i, name in enumerate(order)
               if (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None]
    for i, process in convert:  # in place: each row's values as the driver takes them
        name = order[i]
        for row in rows:
            row[name] = process(row[name])
    get = itemgetter(*order)
    params = [get(row) for row in rows] if len(order) > 1 else [(get(row),) for row in rows]
    if not compiled.positional:
        params = [dict(zip(order, values, strict=True)) for values in params]
    connection.exec_driver_sql(compiled.string, params)


def _once(processor: Any) -> Any:
    seen: dict[Any, Any] = {}

    def process(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = done = processor(value)
            return done

    return process


def save(
    store: Store, result: ImportResult, fresh: dict[str, dict[str, Any]], again: dict[str, dict[str, Any]],
    prepared: dict[str, dict[str, Any]], make: Callable[[dict[str, Any]], dict[str, Any]], channel: str,
    market_pool: MarketPool, now: datetime,
) -> tuple[list[str], list[str]]:
    """One batch in one transaction; returns (phones of ``fresh`` desk knew and the file added
    nothing to, phones of ``again`` whose lead learned something). ``fresh``: phones first met in this batch; ``prepared``
    holds the new rows of those desk did not know a moment ago (``make`` makes any other one
    that turns out new); ``again``: phones an earlier batch of the same file saved, whose
    later rows fill what their lead does not know (counted as duplicates in the file)."""
    from desk.dal.store import apply_changes

    reason = f"import {result.file.name}"
    wanted = {**fresh, **again}
    phones = list(wanted)
    audit: list[dict[str, Any]] = []
    unchanged: list[str] = []
    filled: list[str] = []
    with store.write() as session:
        require(session, store, Action.IMPORT)
        # known phones: read as plain rows; only a lead the file adds something to is loaded
        fields = sorted({key for values in wanted.values() for key in values} | {"id", "phone"})
        existing = {found["phone"]: found for found in by_phone(session, fields, phones)}

        # fill what the lead does not know yet, never overwrite (as leads.merge_into)
        merged: list[tuple[Lead, dict]] = []
        for phone, known in existing.items():
            fill = {}
            for key, value in wanted[phone].items():
                if value in (None, "", "unknown", False):
                    continue
                if known[key] in (None, "", "unknown", False):
                    fill[key] = value
            if phone in fresh:
                result.merged += bool(fill)
                result.unchanged += not fill
                if not fill:
                    unchanged.append(phone)
            elif fill:
                filled.append(phone)
            if not fill:
                continue
            lead = session.get(Lead, known["id"])
            assert lead is not None  # read a moment ago, in this transaction
            changes = apply_changes(lead, fill)
            lead.updated_at = now
            refresh_keys(lead)
            merged.append((lead, changes))
        if merged:
            ids = [lead.id for lead, _ in merged]
            recorded: set[int] = set()
            for start in range(0, len(ids), 500):
                recorded.update(
                    session.execute(
                        select(col(Call.lead_id)).where(col(Call.lead_id).in_(ids[start : start + 500]), col(Call.recording_ref).is_not(None)).distinct()
                    ).scalars()
                )
            for lead, changes in merged:
                verdict = _check(_facts(lead.model_dump(), lead.id in recorded))
                changes.update(
                    apply_changes(
                        lead,
                        {"valid": verdict.valid, "validity_reasons": json.dumps(list(verdict.reasons)), "counted_as": verdict.counted_as},
                    )
                )
                audit.append(audit_row(now, store, "merge", "lead", pk(lead), changes, reason))
            session.flush()

        rows = [prepared.get(phone) or make(values) for phone, values in fresh.items() if phone not in existing]
        if rows:
            _insert_new(session, store, result, rows, channel, market_pool, now, reason, audit)
        if audit:
            insert_rows(session, _TABLES["audit"], audit)
    return unchanged, filled


def _insert_new(
    session: Session, store: Store, result: ImportResult, rows: list[dict[str, Any]], channel: str,
    market_pool: MarketPool, now: datetime, reason: str, audit: list[dict[str, Any]],
) -> None:
    """New leads, with their rotation assignments (and callbacks for online leads)."""
    from desk.dal import rotation

    if rows[0].get("collector_id") is not None and market_pool.pool is None:  # outdoor, a consultant's: theirs
        result.collected += len(rows)
    # the fair rotation, counts kept in memory as it goes: valid market leads, outdoor
    # leads a non-consultant collected (market pool), online leads (phone pool)
    market = [row for row in rows if market_pool.pool is not None and (channel != "market" or row["valid"])]
    if market and market_pool.pool is not None:
        from desk.rules.rotation import pick_consultant

        if market_pool.data is None:  # read once: the pool is the import's own
            data = rotation.inputs(session, store, market_pool.pool)
            market_pool.data, market_pool.counts, market_pool.last = data, dict(data.counts), data.last
        data, counts = market_pool.data, market_pool.counts
        order = list(data.order)
        available = set(data.available) or set(order)  # after hours: every active consultant shares the list
        for row in market:
            name = pick_consultant(order=order, available=available, counts=counts, last=market_pool.last)
            if name is None:
                break
            counts[name] = counts.get(name, 0) + 1
            market_pool.last = name
            row["owner_id"] = data.ids[name]
            result.assigned[name] += 1

    audited = [{k: row.get(k) for k in _AUDITED} for row in rows]  # before insert_rows converts them
    insert_rows(session, _TABLES["lead"], rows, lead_defaults())
    new_ids = {found["phone"]: found["id"] for found in by_phone(session, ["phone", "id"], [row["phone"] for row in rows])}
    result.created += len(rows)
    today = store.today()
    insert_rows(session, _TABLES["rotation"], [
        {"pool": market_pool.pool, "staff_id": row["owner_id"], "day": today, "assigned_at": now,
         "lead_id": new_ids[row["phone"]], "on_duty": False}
        for row in market if row.get("owner_id") is not None
    ])  # fmt: skip
    if channel == "online":  # §6.1: forwarded, each with a callback for its new owner
        from desk.rules.followups import callback_due

        due = callback_due(now)
        insert_rows(session, _TABLES["follow_up"], [
            {"kind": "callback", "owner_id": row.get("owner_id"), "lead_id": new_ids[row["phone"]], "due_at": due,
             "created_at": now, "note": row.get("media_source") or None}
            for row in rows
        ])  # fmt: skip
    for created in audited:
        audit.append(audit_row(now, store, "import", "lead", new_ids[created["phone"]], created, reason))
