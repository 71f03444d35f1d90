"""The audit trail's hash chain (desk.rules.audit_chain): an unedited chain verifies; any edit
of any field, a deleted row or two rows swapped is found at the first row it touches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.rules.audit_chain import GENESIS, AuditFields, canonical, row_hash, verify

texts = st.text(max_size=20)
optional_ids = st.none() | st.integers(min_value=1, max_value=10**9)
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC))


@st.composite
def trails(draw, min_size=1):
    """A chain as desk writes it: fields with increasing ids, each row hashed onto the one before."""
    size = draw(st.integers(min_value=min_size, max_value=12))
    ids = sorted(draw(st.sets(st.integers(min_value=1, max_value=10**6), min_size=size, max_size=size)))
    rows, prev = [], GENESIS
    for row_id in ids:
        fields = AuditFields(row_id, draw(moments), draw(optional_ids), draw(texts), draw(texts), draw(optional_ids),
                             draw(texts), draw(st.none() | texts))
        prev = row_hash(prev, fields)
        rows.append((fields, prev))
    return rows


def _other(value):
    """A value that differs from ``value``, of a kind the field could hold."""
    if isinstance(value, datetime):
        return value + timedelta(microseconds=1)
    if isinstance(value, int):
        return value + 1
    if value is None:
        return ""
    return value + "x"


@given(trails())
def test_an_unedited_chain_verifies(rows):
    assert verify(rows) is None
    assert verify([]) is None


@given(trails(), st.data())
def test_any_edit_of_any_field_is_found_at_that_row(rows, data):
    index = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    field = data.draw(st.sampled_from(AuditFields._fields))
    fields, stored = rows[index]
    edited = fields._replace(**{field: _other(getattr(fields, field))})
    tampered = [*rows[:index], (edited, stored), *rows[index + 1:]]
    assert verify(tampered) == edited.id


@given(trails(), st.data())
def test_an_edited_hash_is_found_at_that_row(rows, data):
    index = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    fields, stored = rows[index]
    forged = "0" * 64 if stored != "0" * 64 else "1" * 64
    assert verify([*rows[:index], (fields, forged), *rows[index + 1:]]) == fields.id
    assert verify([*rows[:index], (fields, None), *rows[index + 1:]]) == fields.id


@given(trails(min_size=2), st.data())
def test_a_deleted_row_is_found_at_the_row_after_it(rows, data):
    index = data.draw(st.integers(min_value=0, max_value=len(rows) - 2))
    assert verify([*rows[:index], *rows[index + 1:]]) == rows[index + 1][0].id


@given(trails(min_size=2), st.data())
def test_two_rows_swapped_are_found(rows, data):
    index = data.draw(st.integers(min_value=0, max_value=len(rows) - 2))
    swapped = [*rows[:index], rows[index + 1], rows[index], *rows[index + 2:]]
    assert verify(swapped) == rows[index + 1][0].id


def test_the_same_moment_in_any_time_zone_hashes_the_same():
    """The center's local time and UTC are one moment: every workstation gets one hash."""
    utc = AuditFields(7, datetime(2026, 11, 26, 2, 0, tzinfo=UTC), 1, "create", "lead", 3, '{"name": "张伟"}', None)
    local = utc._replace(at=utc.at.astimezone(timezone(timedelta(hours=8))))
    assert row_hash("a" * 64, utc) == row_hash("a" * 64, local)
    assert canonical(utc) == '[7,"2026-11-26T02:00:00.000000+00:00",1,"create","lead",3,"{\\"name\\": \\"张伟\\"}",null]'
    assert len(row_hash(GENESIS, utc)) == 64


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        canonical(AuditFields(1, datetime(2026, 1, 1), None, "create", "lead", 1, "{}", None))
