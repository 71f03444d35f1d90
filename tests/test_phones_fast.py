"""desk.phones.parse's fast path for plain Chinese mobiles gives what libphonenumber's full
reading gives (issue 16): the same E.164, or the same error, for every number it takes."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from desk.phones import _PLAIN_MOBILE, Phone, PhoneError, _parse, parse


def outcome(read, raw: str) -> Phone | str:
    try:
        return read(raw, "CN")
    except PhoneError as err:
        return err.code


separator = st.sampled_from(["", "", " ", "-"])
prefix = st.sampled_from(["", "", "+86", "+86 ", "+86-", "+85", "86", "0086"])
plain_like = st.builds(
    lambda pre, first, a, s1, b, s2, c, pad: f"{pad}{pre}1{first}{a}{s1}{b}{s2}{c}{pad}",
    prefix, st.sampled_from("0123456789"), st.text("0123456789", min_size=1, max_size=1),
    separator, st.text("0123456789", min_size=4, max_size=4), separator,
    st.text("0123456789", min_size=3, max_size=5), st.sampled_from(["", " ", "\t"]),
)


@settings(max_examples=3000, deadline=None)
@given(plain_like)
@example("13812345678")
@example("17400012345")  # 1740[0-5]: a prefix longer than three digits decides
@example("17406012345")
@example("16101234567")
@example("14012345678")
def test_fast_path_gives_the_full_readings_result(raw):
    assert outcome(parse, raw) == outcome(_parse, raw)


@settings(max_examples=1000, deadline=None)
@given(st.text("0123456789 -+()１٣", max_size=20))
def test_any_digits_and_separators_read_the_same(raw):
    assert outcome(parse, raw) == outcome(_parse, raw)


@pytest.mark.parametrize("raw", ["13812345678", "+86 138-1234-5678", "139 1234 5678"])
def test_the_fast_path_takes_the_usual_forms(raw):
    assert _PLAIN_MOBILE.fullmatch(raw) is not None


@pytest.mark.parametrize("raw", ["１３８１２３４５６７８", "138123456789", "1381234567", "+85213812345678"])
def test_the_fast_path_leaves_the_rest_to_the_full_reading(raw):
    assert _PLAIN_MOBILE.fullmatch(raw) is None
