"""Commission tiers and targets (docs/domain.md §10.2, §10.3): boundaries, refunds first, configuration."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from desk.rules.commission import (
    DEFAULT_TIERS,
    Tier,
    attainment,
    commission,
    monthly_sales,
    target_for,
    tier_for,
    tiers_from_config,
)


@pytest.mark.parametrize(
    ("sales", "rate"),
    [
        ("0", "0.01"), ("29999.99", "0.01"), ("30000", "0.015"), ("49999", "0.015"),
        ("49999.99", "0.015"), ("50000", "0.02"), ("79999.99", "0.02"), ("80000", "0.03"),
        ("119999.99", "0.03"), ("120000", "0.04"), ("149999.99", "0.04"), ("150000", "0.05"),
        ("1000000", "0.05"),
    ],
)
def test_tier_boundaries(sales, rate):
    result = commission(Decimal(sales))
    assert result.rate == Decimal(rate)
    assert result.amount == (Decimal(sales) * Decimal(rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert result.tier.rate == Decimal(rate)


def test_amounts_and_unpacking():
    rate, amount, tier = commission(Decimal("60000"))
    assert (rate, amount, tier.lower) == (Decimal("0.02"), Decimal("1200.00"), Decimal("50000"))
    assert commission(29999.99).amount == Decimal("300.00")  # floats go through str
    assert commission("12345.67").amount == Decimal("123.46")  # half-up to the fen
    assert commission(-5).amount == Decimal("0.00")


def test_refunds_are_deducted_first():
    sales = monthly_sales([Decimal("20000"), Decimal("15000")], refunds_within_month=[Decimal("6000")])
    assert sales == Decimal("29000")
    assert commission(sales).rate == Decimal("0.01")  # 35,000 would have been 1.5%
    assert monthly_sales([], []) == 0
    assert monthly_sales([100], [500]) == 0  # never negative
    assert monthly_sales(["100.10", 200], [-50]) == Decimal("250.10")  # a refund's sign does not matter


def test_tiers_are_configuration():
    tiers = tiers_from_config([{"from": 0, "rate": 0.02}, {"from": 10000, "percent": 3}])
    assert commission(9999, tiers).rate == Decimal("0.02")
    assert commission(10000, tiers).rate == Decimal("0.03")
    assert commission(10000, tiers).amount == Decimal("300.00")
    # the order rows come in does not matter
    assert tiers_from_config([{"from": 10000, "rate": "0.03"}, {"from": 0, "rate": "0.02"}]) == tiers
    with pytest.raises(ValueError):
        tiers_from_config([{"from": 100, "rate": 0.01}])
    with pytest.raises(ValueError):
        tiers_from_config([{"from": 0}])
    with pytest.raises(ValueError):
        tiers_from_config([{"from": 0, "rate": 0.01}, {"from": 0, "rate": 0.02}])
    with pytest.raises(ValueError):
        Tier(Decimal(0), Decimal(2))


def test_default_tiers_match_the_spec():
    assert [(t.lower, t.percent) for t in DEFAULT_TIERS] == [
        (0, 1), (30000, Decimal("1.5")), (50000, 2), (80000, 3), (120000, 4), (150000, 5),
    ]
    assert tier_for(55000) == DEFAULT_TIERS[2]


def test_targets():
    assert target_for() == Decimal(60000)
    assert target_for(new_consultant=True) == Decimal(30000)
    assert target_for(target=45000) == Decimal(45000)
    assert attainment(45000) == Decimal("0.7500")
    assert attainment(45000, new_consultant=True) == Decimal("1.5000")
    assert attainment(60000, target=Decimal(80000)) == Decimal("0.7500")
    with pytest.raises(ValueError):
        attainment(1, target=0)
