"""Sales, team bonus, base salary, grade warnings and levels: docs/domain.md §10.1, §10.4,
§11.1–§11.3, with hypothesis properties."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk.rules.pay import grade_warnings, level_by_rank, next_base_salary, sales_for, team_bonus

yuan = st.integers(0, 2_000_000)
fen = st.decimals(min_value=0, max_value=2_000_000, places=2, allow_nan=False, allow_infinity=False)
days = st.integers(-5, 400)
payments = st.lists(st.fixed_dictionaries({"amount": fen, "days_after_enrollment": days}), max_size=8)


def half_up(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# ---- sales_for (§10.1) ----------------------------------------------------------------------


@given(paid=payments, refunds=st.lists(fen, max_size=4), window=st.integers(0, 120))
@settings(max_examples=300, deadline=None)
def test_sales_never_count_a_payment_outside_the_window(paid, refunds, window):
    inside = [p for p in paid if p["days_after_enrollment"] <= window]
    got = sales_for(paid, refunds, window_days=window)
    assert got == sum((p["amount"] for p in inside), Decimal(0)) - sum(refunds, Decimal(0))
    # a payment outside the window changes nothing, whatever its size
    late = {"amount": Decimal("99999.99"), "days_after_enrollment": window + 1}
    assert sales_for([*paid, late], refunds, window_days=window) == got


@given(paid=payments, refund=fen)
@settings(max_examples=200, deadline=None)
def test_every_refund_comes_off_and_sales_may_go_negative(paid, refund):
    assert sales_for(paid, [refund]) == sales_for(paid) - refund
    assert sales_for([], [refund]) == -refund


def test_the_window_is_thirty_days_inclusive_and_configurable():
    on_the_day = [{"amount": 3000, "days_after_enrollment": 30}]
    day_after = [{"amount": 3000, "days_after_enrollment": 31}]
    assert sales_for(on_the_day, []) == Decimal("3000")
    assert sales_for(day_after, []) == 0
    assert sales_for(day_after, [], window_days=31) == Decimal("3000")
    assert sales_for([{"amount": 800, "days_after_enrollment": -1}]) == Decimal("800")  # a deposit


def test_sales_are_exact_and_rounded_half_up_to_the_fen():
    assert sales_for([{"amount": 0.1, "days_after_enrollment": 0}] * 3) == Decimal("0.3")
    assert sales_for([{"amount": "10.005", "days_after_enrollment": 0}]) == Decimal("10.01")
    assert sales_for([{"amount": 5000, "days_after_enrollment": 3}], [1000]) == Decimal("4000")
    assert isinstance(sales_for([], []), Decimal)


@pytest.mark.parametrize(
    "call",
    [
        lambda: sales_for([], [], window_days=-1),
        lambda: sales_for([], [], window_days=True),
        lambda: sales_for([{"amount": 1, "days_after_enrollment": 1.5}]),
    ],
)
def test_sales_reject_what_is_not_a_number_of_days(call):
    with pytest.raises(ValueError):
        call()


# ---- team_bonus (§10.4) --------------------------------------------------------------------


@given(own=yuan, team=yuan, target=yuan, day=st.integers(1, 31), new=st.booleans())
@settings(max_examples=300, deadline=None)
def test_no_team_bonus_below_the_own_target_or_without_reaching(own, team, target, day, new):
    own_target = 30000 if new else 60000
    if own < own_target:
        assert team_bonus(own, team, target, day, new) == 0
    assert team_bonus(own, team, target, None, new) == 0
    assert team_bonus(own, 0, 0, day, new) == 0
    got = team_bonus(own, team, target, day, new)
    assert got >= 0
    if own >= own_target and team >= target and team > 0:
        assert got == half_up(Decimal(team) * Decimal("0.01" if day <= 25 else "0.005") * own / team)


@given(own=st.integers(60000, 400000), extra=yuan)
@settings(max_examples=200, deadline=None)
def test_the_25th_is_the_last_day_of_the_full_rate(own, extra):
    team = own + extra
    on_time = team_bonus(own, team, team, 25, False)
    late = team_bonus(own, team, team, 26, False)
    assert on_time == half_up(Decimal(own) / 100)
    assert late == half_up(Decimal(own) / 200)  # x.xx5 rounds up
    assert team_bonus(own, team, team, 1, False) == on_time
    assert team_bonus(own, team, team, 31, False) == late


def test_team_bonus_targets_and_overrides():
    assert team_bonus(30000, 400000, 350000, 24, new=True) == Decimal("300.00")
    assert team_bonus(30000, 400000, 350000, 24, new=False) == 0
    assert team_bonus(29999, 400000, 350000, 24, new=True) == 0
    assert team_bonus(45000, 400000, 350000, 24, new=False, own_target=40000) == Decimal("450.00")
    assert team_bonus(70000, 400000, 350000, 24, rate="0.02") == Decimal("1400.00")
    assert team_bonus(70000, 400000, 350000, 27, late_rate="0.004") == Decimal("280.00")
    assert team_bonus(70000, 400000, 350000, 26, deadline_day=26) == Decimal("700.00")


def test_a_target_lost_to_refunds_is_not_reached():
    assert team_bonus(70000, 340000, 350000, 20, False) == 0


@pytest.mark.parametrize("day", [0, 32, True, 24.0])
def test_reached_day_is_a_day_of_the_month(day):
    with pytest.raises(ValueError):
        team_bonus(70000, 400000, 350000, day, False)


# ---- next_base_salary (§11.1) --------------------------------------------------------------


@given(a=fen, b=fen)
@settings(max_examples=300, deadline=None)
def test_more_quarter_sales_never_lower_the_base_salary(a, b):
    low, high = sorted((a, b))
    assert next_base_salary(low) <= next_base_salary(high)
    assert next_base_salary(low) in {Decimal("2600"), Decimal("3600"), Decimal("4500")}


@pytest.mark.parametrize(
    ("sales", "base"),
    [(0, "2600"), (-5000, "2600"), (299999, "2600"), ("299999.99", "2600"), (300000, "3600"),
     (399999, "3600"), (400000, "4500"), (10_000_000, "4500")],
)
def test_base_salary_steps(sales, base):
    assert next_base_salary(sales) == Decimal(base)


def test_base_salary_steps_are_configurable_and_checked():
    assert next_base_salary(250000, steps={200000: 3000}, base=2800) == Decimal("3000")
    assert next_base_salary(150000, steps=[(200000, 3000)], base=2800) == Decimal("2800")
    with pytest.raises(ValueError):
        next_base_salary(0, steps={300000: 2000})  # a step below the base
    with pytest.raises(ValueError):
        next_base_salary(0, steps={300000: 4000, 400000: 3800})  # a higher step paying less


# ---- grade_warnings (§11.2) ----------------------------------------------------------------


@given(months=st.lists(yuan.map(lambda n: n % 120000), max_size=6))
@settings(max_examples=300, deadline=None)
def test_grade_warnings_look_at_the_latest_months(months):
    regular = grade_warnings(months, demoted=False)
    assert regular == (["demote"] if len(months) >= 2 and all(m < 50000 for m in months[-2:]) else [])
    demoted = grade_warnings(months, demoted=True)
    assert demoted == (["eliminate"] if len(months) >= 3 and sum(months[-3:]) < 80000 else [])
    # once there are enough months, older ones never change the verdict
    if len(months) >= 2:
        assert grade_warnings([0, 100000, *months], demoted=False) == regular
    if len(months) >= 3:
        assert grade_warnings([0, 100000, *months], demoted=True) == demoted


@pytest.mark.parametrize(
    ("months", "demoted", "expect"),
    [
        ([48000, 45000], False, ["demote"]),
        ([48000, 50000], False, []),
        ([45000], False, []),  # one month is not enough
        ([10000, 60000, 49999], False, []),
        ([20000, 25000, 30000], True, ["eliminate"]),
        ([30000, 25000, 25000], True, []),  # 80,000 is not below
        ([10000, 10000], True, []),  # two months are not enough
        ([10000, 10000, 10000], False, ["demote"]),
    ],
)
def test_grade_warning_boundaries(months, demoted, expect):
    assert grade_warnings(months, demoted) == expect


def test_grade_thresholds_are_configurable():
    assert grade_warnings([39000, 39000], False, demote_below=40000) == ["demote"]
    assert grade_warnings([45000, 45000], False, demote_below=40000) == []
    assert grade_warnings([1, 1, 1], False, demote_months=3) == ["demote"]
    with pytest.raises(ValueError):
        grade_warnings([1], False, demote_months=0)


# ---- level_by_rank (§11.3) -----------------------------------------------------------------


@given(n=st.integers(1, 40), data=st.data())
@settings(max_examples=300, deadline=None)
def test_a_better_rank_never_gives_a_worse_level(n, data):
    better = data.draw(st.integers(1, n))
    worse = data.draw(st.integers(better, n))
    assert level_by_rank(better, n) <= level_by_rank(worse, n)
    assert 1 <= level_by_rank(worse, n) <= 6


@pytest.mark.parametrize(
    ("rank", "n", "level"),
    [(1, 6, 1), (2, 6, 2), (3, 6, 3), (4, 6, 4), (4, 4, 4), (5, 8, 5), (6, 8, 5), (7, 8, 6), (8, 8, 6),
     (5, 6, 6), (1, 1, 1)],
)
def test_levels_by_rank(rank, n, level):
    assert level_by_rank(rank, n) == level


@pytest.mark.parametrize(("rank", "n"), [(0, 6), (7, 6), (1, 0), (1.0, 6), (True, 6)])
def test_a_rank_is_a_place_among_the_consultants(rank, n):
    with pytest.raises(ValueError):
        level_by_rank(rank, n)
