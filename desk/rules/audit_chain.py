"""The audit trail's hash chain: each row's hash covers its fields and the previous row's hash.

Someone who edits the database file by hand (a row's changes, who did it, when) or deletes a
row breaks the chain at that row: ``desk audit verify`` finds it. A row's hash is
``sha256(previous hash + canonical fields)``; the first row's previous hash is "". The
canonical form is fixed text (JSON of the fields in a fixed order, the time in UTC ISO with
microseconds), so every backend and every workstation computes the same hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import NamedTuple

GENESIS = ""  # the "previous hash" of the first row
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one, not one a row


class AuditFields(NamedTuple):
    """What a row's hash covers: every field of the audit row but the hash itself (a tuple:
    ``desk audit verify`` makes a million of them)."""

    id: int
    at: datetime  # aware
    actor_id: int | None
    action: str
    table_name: str
    row_id: int | None
    changes: str
    reason: str | None


def canonical(fields: AuditFields) -> str:
    """The fields as one fixed text: the same row gives the same text everywhere."""
    if fields.at.tzinfo is None or fields.at.utcoffset() is None:
        raise ValueError(f"naive time {fields.at!r}: an audit row's time is aware")
    at = fields.at.astimezone(UTC).isoformat(timespec="microseconds")
    return _JSON.encode([fields[0], at, *fields[2:]])


def row_hash(prev: str, fields: AuditFields) -> str:
    """The hash of a row whose predecessor's hash is ``prev`` (hex, 64 characters)."""
    return hashlib.sha256((prev + canonical(fields)).encode("utf-8")).hexdigest()


def verify(rows: Iterable[tuple[AuditFields, str | None]]) -> int | None:
    """The id of the first row, in id order, whose stored hash is not what its fields and the
    stored hash before it give (an edited row, or the row after a deleted one); None when the
    whole chain holds. ``rows`` is (fields, stored hash) pairs, streamed in id order."""
    prev = GENESIS
    for fields, stored in rows:
        if stored is None or row_hash(prev, fields) != stored:
            return fields.id
        prev = stored
    return None
