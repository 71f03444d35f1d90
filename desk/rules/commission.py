"""Commission tiers and monthly targets, docs/domain.md §10.2, §10.3. Money is ``Decimal``.

| monthly sales (yuan) | rate |
|---|---|
| below 30,000 | 1% |
| 30,000 – 49,999 | 1.5% |
| 50,000 – 79,999 | 2% |
| 80,000 – 119,999 | 3% |
| 120,000 – 149,999 | 4% |
| 150,000 and above | 5% |

Refunds within the month are deducted first; the rate of the tier the month's sales fall in
applies to the whole of them. Tiers and targets are configuration: :func:`tiers_from_config`
builds tiers from a list of ``{"from": ..., "rate": ...}`` tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "DEFAULT_TARGET",
    "DEFAULT_TIERS",
    "NEW_CONSULTANT_TARGET",
    "Commission",
    "Tier",
    "attainment",
    "commission",
    "money",
    "monthly_sales",
    "target_for",
    "tier_for",
    "tiers_from_config",
]

CENT = Decimal("0.01")
DEFAULT_TARGET = Decimal("60000")
NEW_CONSULTANT_TARGET = Decimal("30000")


def money(value: Decimal | int | float | str) -> Decimal:
    """A Decimal amount; floats go through ``str`` so 0.1 stays 0.1."""
    if isinstance(value, bool):
        raise TypeError("a bool is not an amount")
    if isinstance(value, float):
        value = str(value)
    return Decimal(value)


@dataclass(frozen=True, order=True)
class Tier:
    """Sales from ``lower`` (inclusive) up to the next tier's ``lower`` earn ``rate``."""

    lower: Decimal
    rate: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "lower", money(self.lower))
        object.__setattr__(self, "rate", money(self.rate))
        if self.lower < 0 or not (0 <= self.rate <= 1):
            raise ValueError(f"bad tier {self.lower} @ {self.rate}")

    @property
    def percent(self) -> Decimal:
        return (self.rate * 100).normalize()


DEFAULT_TIERS: tuple[Tier, ...] = (
    Tier(Decimal("0"), Decimal("0.01")),
    Tier(Decimal("30000"), Decimal("0.015")),
    Tier(Decimal("50000"), Decimal("0.02")),
    Tier(Decimal("80000"), Decimal("0.03")),
    Tier(Decimal("120000"), Decimal("0.04")),
    Tier(Decimal("150000"), Decimal("0.05")),
)


def tiers_from_config(rows: Iterable[Mapping[str, object]]) -> tuple[Tier, ...]:
    """Tiers from configuration rows ``{"from": 30000, "rate": 0.015}`` (``rate`` a fraction;
    ``percent`` = 1.5 is accepted too). The lowest tier must start at 0."""
    tiers = []
    for row in rows:
        lower = row.get("from", row.get("lower", 0))
        if "rate" in row:
            rate = money(row["rate"])  # type: ignore[arg-type]  # a TOML number or string; Decimal() rejects the rest
        elif "percent" in row:
            rate = money(row["percent"]) / 100  # type: ignore[arg-type]  # as above
        else:
            raise ValueError(f"tier {row!r} has no rate")
        tiers.append(Tier(money(lower), rate))  # type: ignore[arg-type]  # as above
    return _checked(tiers)


def _checked(tiers: Iterable[Tier]) -> tuple[Tier, ...]:
    ordered = tuple(sorted(tiers))
    if not ordered or ordered[0].lower != 0:
        raise ValueError("commission tiers must start at 0")
    if len({t.lower for t in ordered}) != len(ordered):
        raise ValueError("two commission tiers start at the same amount")
    return ordered


def monthly_sales(
    enrollment_amounts: Iterable[Decimal | int | float | str],
    refunds_within_month: Iterable[Decimal | int | float | str] = (),
) -> Decimal:
    """The month's sales: amounts received, less refunds within one month of enrolling (§10.1);
    never below zero."""
    total = sum((money(a) for a in enrollment_amounts), Decimal(0))
    refunds = sum((abs(money(r)) for r in refunds_within_month), Decimal(0))
    return max(total - refunds, Decimal(0))


def tier_for(sales: Decimal | int | float | str, tiers: Sequence[Tier] = DEFAULT_TIERS) -> Tier:
    amount = money(sales)
    ordered = _checked(tiers)
    chosen = ordered[0]
    for tier in ordered:
        if amount >= tier.lower:
            chosen = tier
    return chosen


@dataclass(frozen=True)
class Commission:
    rate: Decimal
    amount: Decimal
    tier: Tier

    def __iter__(self) -> Iterator[Decimal | Tier]:  # (rate, amount, tier) unpacking
        return iter((self.rate, self.amount, self.tier))


def commission(sales: Decimal | int | float | str, tiers: Sequence[Tier] = DEFAULT_TIERS) -> Commission:
    """The rate, the commission (rounded half-up to the fen) and the tier for a month's sales."""
    amount = max(money(sales), Decimal(0))
    tier = tier_for(amount, tiers)
    return Commission(tier.rate, (amount * tier.rate).quantize(CENT, rounding=ROUND_HALF_UP), tier)


def target_for(new_consultant: bool = False, target: Decimal | int | str | None = None) -> Decimal:
    """The monthly target: ``target`` when configured, else 60,000 (30,000 for a new consultant)."""
    if target is not None:
        return money(target)
    return NEW_CONSULTANT_TARGET if new_consultant else DEFAULT_TARGET


def attainment(
    sales: Decimal | int | float | str,
    target: Decimal | int | str | None = None,
    *,
    new_consultant: bool = False,
) -> Decimal:
    """Sales as a fraction of the target (1 = target met), to 4 decimal places."""
    goal = target_for(new_consultant, target)
    if goal <= 0:
        raise ValueError("the target must be positive")
    return (money(sales) / goal).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
