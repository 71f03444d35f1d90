"""pick_consultant / explain / describe / route: docs/domain.md §5, with hypothesis properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk.rules.rotation import QueueEntry, Routing, describe, explain, pick_consultant, pick_order, route

ORDER = ["李", "王", "赵"]


def test_spec_example():
    assert pick_consultant(order=ORDER, available={"王", "赵"}, counts={"李": 2, "王": 3, "赵": 3}, last="王") == "赵"


def test_fewest_first():
    assert pick_consultant(ORDER, set(ORDER), {"李": 3, "王": 1, "赵": 2}, None) == "王"


def test_ties_start_after_last_and_wrap():
    counts = {n: 1 for n in ORDER}
    assert pick_consultant(ORDER, set(ORDER), counts, "李") == "王"
    assert pick_consultant(ORDER, set(ORDER), counts, "王") == "赵"
    assert pick_consultant(ORDER, set(ORDER), counts, "赵") == "李"


def test_last_none_or_unknown_starts_from_the_top():
    counts = {n: 0 for n in ORDER}
    assert pick_consultant(ORDER, set(ORDER), counts, None) == "李"
    assert pick_consultant(ORDER, set(ORDER), counts, "钱") == "李"


def test_missing_count_is_zero():
    assert pick_consultant(ORDER, set(ORDER), {"李": 1, "王": 1}, None) == "赵"
    assert pick_consultant(ORDER, set(ORDER), None, None) == "李"


def test_available_not_in_order_come_after_by_name():
    counts = {}
    assert pick_order(ORDER, {"孙", "钱", "王"}, counts, None) == ["王", "孙", "钱"]
    assert pick_consultant(["李"], {"Zed", "Amy"}, counts, None) == "Amy"
    # ... but a lower count still comes first
    assert pick_consultant(ORDER, {"钱", "王"}, {"王": 2}, None) == "钱"


def test_nobody_available():
    assert pick_consultant(ORDER, set(), {}, None) is None
    assert pick_consultant([], [], {}, None) is None


def test_explain_lists_everyone_available_first():
    entries = explain(ORDER, {"王", "赵"}, {"李": 2, "王": 3, "赵": 3}, "王", states={"李": "away", "王": "free"})
    assert [e.name for e in entries] == ["赵", "王", "李"]
    assert entries[0] == QueueEntry("赵", 3, True, "free", 1)
    assert entries[1].position == 2
    assert entries[2] == QueueEntry("李", 2, False, "away", None)


def test_explain_includes_people_only_in_counts_or_states():
    entries = explain(["李"], {"李"}, {"王": 1}, None, states={"赵": "off_duty"})
    assert [(e.name, e.available, e.state) for e in entries] == [
        ("李", True, "free"), ("王", False, "unavailable"), ("赵", False, "off_duty"),
    ]


def test_describe():
    counts = {"李": 2, "王": 2, "赵": 3}
    assert describe(ORDER, set(ORDER), counts, "赵") == "next: 李 (2 today), then 王 (2), 赵 (3)"
    assert describe(ORDER, set(ORDER), counts, "赵", lang="zh") == "下一位：李（今天 2 个），然后 王（2）、赵（3）"
    assert describe(ORDER, {"赵"}, counts, None) == "next: 赵 (3 today)"
    assert describe(ORDER, set(), counts, None) == "nobody is free"
    assert describe(ORDER, set(), counts, None, lang="zh_CN") == "暂无空闲的咨询师"
    assert describe(ORDER, set(ORDER), counts, "赵", limit=2) == "next: 李 (2 today), then 王 (2)"


# ---- properties --------------------------------------------------------------------------------

names = st.lists(st.text(alphabet="李王赵钱孙周吴郑ABC", min_size=1, max_size=2), min_size=1, max_size=8, unique=True)


@given(order=names, n=st.integers(0, 60), data=st.data())
@settings(max_examples=200, deadline=None)
def test_everyone_available_stays_balanced(order, n, data):
    last = data.draw(st.sampled_from([None, *order]))
    counts = {name: 0 for name in order}
    for _ in range(n):
        name = pick_consultant(order, set(order), counts, last)
        assert name is not None
        counts[name] += 1
        last = name
        assert max(counts.values()) - min(counts.values()) <= 1


@given(order=names, n=st.integers(0, 40), data=st.data())
@settings(max_examples=200, deadline=None)
def test_rotation_goes_round_in_order(order, n, data):
    counts = {name: 0 for name in order}
    last = None
    picked = []
    for _ in range(n):
        last = pick_consultant(order, set(order), counts, last)
        counts[last] += 1
        picked.append(last)
    assert picked == [order[i % len(order)] for i in range(n)]


@given(order=names, duty_extra=st.integers(1, 10), data=st.data())
@settings(max_examples=200, deadline=None)
def test_duty_consultant_is_skipped_until_the_others_catch_up(order, duty_extra, data):
    start = {name: data.draw(st.integers(0, 3)) for name in order}
    level = max(start.values())
    counts = {name: level for name in order}  # balanced before duty
    duty = data.draw(st.sampled_from(order))
    counts[duty] += duty_extra  # everything that arrived while alone on duty
    last = duty
    for _ in range(duty_extra * (len(order) - 1)):
        name = pick_consultant(order, set(order), counts, last)
        assert name != duty or len(order) == 1
        counts[name] += 1
        last = name
    # caught up: everyone level again, and the duty consultant is back in the rotation
    assert len(set(counts.values())) == 1


@given(
    order=names,
    data=st.data(),
)
@settings(max_examples=300, deadline=None)
def test_only_available_or_none(order, data):
    pool = order + data.draw(st.lists(st.sampled_from(["X", "Y", "Z"]), unique=True))
    available = set(data.draw(st.lists(st.sampled_from(pool), unique=True)))
    counts = {n: data.draw(st.integers(0, 5)) for n in data.draw(st.lists(st.sampled_from(pool), unique=True))}
    last = data.draw(st.sampled_from([None, "nobody", *pool]))
    got = pick_consultant(order, available, counts, last)
    if available:
        assert got in available
        assert counts.get(got, 0) == min(counts.get(n, 0) for n in available)
    else:
        assert got is None
    entries = explain(order, available, counts, last)
    assert {e.name for e in entries} >= set(order) | available
    assert [e.name for e in entries if e.available] == pick_order(order, available, counts, last)
    assert all(e.available for e in entries[: len(available)])


# ---- owner rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "pool"),
    [("phone", "phone"), ("first_inquiry", "phone"), ("proxy_inquiry", "phone"), ("walk_in", "walk_in"),
     ("consult_walk_in", "walk_in"), ("group", "walk_in"), ("accompanied", "walk_in"),
     ("channel_proxy", "walk_in"), ("market", "market")],
)
def test_rotation_pools(kind, pool):
    assert route(kind) == Routing("rotation", True, pool=pool)


def test_repeat_goes_to_the_owner_or_on_their_behalf():
    assert route("repeat", owner="王") == Routing("owner", False, owner="王")
    assert route("repeat_walk_in", owner="王") == Routing("owner", False, owner="王")
    away = route("repeat_inquiry", owner="王", owner_available=False)
    assert away == Routing("on_behalf", False, owner="王", on_behalf=True)
    assert away.needs_free_consultant
    assert route("repeat").rule == "free_consultant"


def test_referral_internal_outdoor_owners():
    assert route("referral", fee_consultant="赵") == Routing("fee_collector", False, owner="赵")
    assert route("internal", fee_consultant="赵") == Routing("fee_collector", False, owner="赵")
    assert route("outdoor", collector="钱") == Routing("collector", False, owner="钱")
    assert route("outdoor", collector="钱", owner_available=False).on_behalf
    assert route("referral").rule == "supervisor"


def test_online_enters_the_phone_rotation():
    """§5.3 / §6.1: an online lead with a phone number is rotated like a phone inquiry."""
    assert route("online") == Routing("rotation", True, pool="phone")
    assert route("online", has_phone=False).rule == "supervisor"


def test_outdoor_collected_by_a_consultant_stays_theirs_by_anyone_else_is_rotated():
    assert route("outdoor", collector="钱", collector_role="consultant") == Routing("collector", False, owner="钱")
    for role in ("manager", "principal", "events_officer", "media_officer", "receptionist"):
        assert route("outdoor", collector="孙", collector_role=role) == Routing("rotation", True, pool="market")


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["online", "outdoor"]),
    role=st.sampled_from(["consultant", "manager", "principal", "events_officer", "media_officer", "receptionist"]),
    available=st.booleans(),
    has_phone=st.booleans(),
)
def test_online_and_outdoor_never_go_to_a_non_consultant(kind, role, available, has_phone):
    """Whatever the collector's role, a lead is rotated, kept by a consultant collector, or
    left to the supervisor: a non-consultant collector never owns it."""
    got = route(kind, collector="孙", collector_role=role, owner_available=available, has_phone=has_phone)
    if got.rotation:
        assert got.owner is None and got.pool in ("phone", "market")
    if role != "consultant":
        assert got.owner != "孙"
    if kind == "online":
        assert got.rule == ("rotation" if has_phone else "supervisor")


def test_unknown_kind_raises():
    with pytest.raises(ValueError):
        route("carrier_pigeon")
