"""Column types shared by the models.

Times are always timezone-aware in Python. SQLite has no time zone type, so every timestamp
is stored as UTC and handed back as an aware UTC datetime; PostgreSQL gets ``timestamptz``.
Money is stored as integer fen (1/100 yuan) so that sums are exact on every backend.
Lookup keys compare by code point on every backend (:func:`code_point_string`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, String
from sqlalchemy.types import TypeDecorator, TypeEngine


class AwareDateTime(TypeDecorator):
    """A timestamp that refuses naive datetimes and always comes back aware (UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: desk stores timezone-aware times only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def code_point_string(length: int) -> TypeEngine:
    """A string that compares and sorts by code point, as SQLite compares all text.

    PostgreSQL compares by the database's collation, on most servers a language's
    (en_US.UTF-8), where U+FFFF sorts before the letters: caller lookup's prefix range scans
    (``key >= q AND key < q || U+FFFF``, desk.dal.lookup) would find nothing there. The "C"
    collation is code point order, and the column's index still serves those scans.
    """
    return String(length).with_variant(String(length, collation="C"), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)
