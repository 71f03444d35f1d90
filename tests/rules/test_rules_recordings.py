"""Which recording file is a call's (docs/domain.md §2.8): recorders' file names read for
their time and number, and a folder's files ranked for one call."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.rules.recordings import candidate, is_audio, rank, read_name, same_number

AT = datetime(2026, 11, 29, 15, 30, 12)
MOBILE = "+8613812345678"


@pytest.mark.parametrize("name", [
    "20261129-153012_13812345678.wav",
    "13812345678_20261129153012.mp3",
    "in-13812345678-20261129-153012.amr",
    "2026-11-29 15.30.12 +8613812345678.wav",
    "2026/11/29/out_008613812345678_2026-11-29_15-30-12.m4a",
    "REC_20261129T153012_86-13812345678.ogg".replace("86-", "86"),
])
def test_common_recorder_names_give_the_time_and_the_number(name):
    read = read_name(name)
    assert read.at == AT
    assert any(same_number(run, MOBILE) for run in read.numbers)
    found = candidate(name, MOBILE, AT)
    assert found is not None and found.number_match and found.delta == timedelta(0)


def test_a_landline_written_nationally_with_its_trunk_zero():
    assert same_number("01062345678", "+861062345678")
    assert same_number("861062345678", "+861062345678")
    assert not same_number("62345678", "+861062345678")  # no area code: too little to be sure
    assert not same_number("13812345679", MOBILE)


def test_names_with_neither_number_nor_time_are_ignored():
    assert read_name("notes.txt").at is None
    assert candidate("backup-2026.wav", MOBILE, AT) is None
    assert candidate("20261399-153012_13900000000.wav", MOBILE, AT) is None  # month 13: no time
    assert not is_audio("index.csv") and is_audio("A.WAV") and not is_audio("wav")


def test_the_calls_own_number_near_its_time_comes_first():
    names = [
        "20261129-150100_13900000000.wav",  # another caller, 29 min before: in the window
        "20261129-153100_13900000000.wav",  # another caller, a minute off
        "20261120-100000_13812345678.wav",  # the same caller, another day
        "20261129-153500_13812345678.wav",  # the same caller, 5 min off
        "20261129-153030_13812345678.wav",  # the call itself
        "20261129-180000_13900000000.wav",  # another caller, hours away: not a candidate
        "readme.txt",
    ]
    assert [c.name for c in rank(names, MOBILE, AT)] == [names[4], names[3], names[2], names[1], names[0]]


def test_without_a_number_only_the_time_counts():
    names = ["20261129-153500_13812345678.wav", "20261129-170000_13812345678.wav"]
    assert [c.name for c in rank(names, None, AT)] == [names[0]]
    assert [c.name for c in rank(names, MOBILE, None)] == names  # no time: number only, by name


# ---- properties ------------------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(lambda d: d.replace(microsecond=0))
mobiles = st.from_regex(r"1[3-9]\d{9}", fullmatch=True)
STAMPS = ["%Y%m%d-%H%M%S", "%Y%m%d%H%M%S", "%Y-%m-%d_%H-%M-%S", "%Y%m%d_%H%M%S", "%Y-%m-%d %H.%M.%S"]
NUMBER_FORMS = ["{n}", "86{n}", "+86{n}", "0086{n}"]
LAYOUTS = ["{stamp}_{number}", "{number}_{stamp}", "in-{number}-{stamp}", "out_{stamp}_{number}", "{stamp} {number}"]
SUFFIXES = [".wav", ".mp3", ".amr", ".m4a"]


@given(moments, mobiles, st.sampled_from(STAMPS), st.sampled_from(NUMBER_FORMS), st.sampled_from(LAYOUTS),
       st.sampled_from(SUFFIXES))
def test_any_layout_of_time_and_number_is_read_back(at, mobile, stamp, form, layout, suffix):
    name = layout.format(stamp=at.strftime(stamp), number=form.format(n=mobile)) + suffix
    read = read_name(name)
    assert read.at == at
    assert any(same_number(run, f"+86{mobile}") for run in read.numbers)
    found = candidate(name, f"+86{mobile}", at)
    assert found is not None and found.number_match and found.near


@given(moments, mobiles, mobiles)
def test_another_number_never_matches(at, mobile, other):
    name = f"{at:%Y%m%d-%H%M%S}_{other}.wav"
    assert any(same_number(run, f"+86{mobile}") for run in read_name(name).numbers) == (mobile == other)


names = st.builds(
    lambda at, mobile, layout: layout.format(stamp=at.strftime("%Y%m%d-%H%M%S"), number=mobile) + ".wav",
    st.datetimes(min_value=datetime(2026, 11, 28), max_value=datetime(2026, 11, 30)).map(lambda d: d.replace(microsecond=0)),
    st.sampled_from(["13812345678", "13900000000", "13711112222"]),
    st.sampled_from(LAYOUTS),
) | st.text(max_size=12)


@given(st.lists(names, max_size=20), st.sampled_from([MOBILE, None]), st.sampled_from([AT, None]))
def test_ranking_keeps_only_fitting_files_likeliest_first_whatever_the_order(files, number, at):
    ranked = rank(files, number, at)
    assert all(c.number_match or c.near for c in ranked)
    assert {c.name for c in ranked} == {f for f in files if candidate(f, number, at) is not None}
    assert [c.name for c in rank(list(reversed(files)), number, at)] == [c.name for c in ranked]
    tiers = [0 if c.number_match and c.near else 1 if c.number_match else 2 for c in ranked]
    assert tiers == sorted(tiers)
    for first, second in pairwise(ranked):
        if (first.number_match, first.near) == (second.number_match, second.near) and first.delta and second.delta:
            assert first.delta <= second.delta


@given(st.lists(names, max_size=20))
def test_the_calls_own_file_is_always_first(files):
    own = f"{AT:%Y%m%d-%H%M%S}_13812345678.wav"
    first = rank([*files, own], MOBILE, AT)[0]
    assert first.delta == timedelta(0) and first.number_match
