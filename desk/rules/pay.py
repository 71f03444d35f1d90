"""What a consultant's results are worth: sales, team bonus, base salary, grade and level
(docs/domain.md §10.1, §10.4, §11.1–§11.3; the contract of §12.1).

Pure: amounts in (``Decimal`` or int yuan; a float goes through ``str`` as in
:func:`desk.rules.commission.money`), ``Decimal`` out, rounded half up to the fen. The numbers
the center may change (window, rates, steps, thresholds) are keywords with the SOP's values as
defaults, so the data layer can pass configuration without this module reading it.

    sales_for([{"amount": 5000, "days_after_enrollment": 3},
               {"amount": 2000, "days_after_enrollment": 45}], [1000])     # Decimal("4000")
    team_bonus(70000, 400000, 350000, reached_day=24, new=False)          # Decimal("700.00")
    next_base_salary(410000)                                               # Decimal("4500")
    grade_warnings([48000, 45000], demoted=False)                         # ["demote"]
    level_by_rank(rank=5, consultants=8)                                   # 5
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from desk.rules.commission import CENT, money, target_for

__all__ = [
    "BASE_SALARY",
    "BASE_STEPS",
    "DEMOTE",
    "ELIMINATE",
    "SALES_WINDOW_DAYS",
    "TEAM_DEADLINE_DAY",
    "TEAM_RATE",
    "TEAM_RATE_LATE",
    "grade_warnings",
    "level_by_rank",
    "next_base_salary",
    "sales_for",
    "team_bonus",
]

Amount = Decimal | int | float | str

# §10.1: a payment counts for the consultant within one month (30 days) of the enrollment.
SALES_WINDOW_DAYS = 30
# §10.4: 1% of team sales when the center reaches its target on or before the 25th, else 0.5%.
TEAM_RATE = Decimal("0.01")
TEAM_RATE_LATE = Decimal("0.005")
TEAM_DEADLINE_DAY = 25
# §11.1: the base, and (quarter's sales from, next quarter's base), any order.
BASE_SALARY = Decimal("2600")
BASE_STEPS: tuple[tuple[Decimal, Decimal], ...] = (
    (Decimal("300000"), Decimal("3600")),
    (Decimal("400000"), Decimal("4500")),
)
# §11.2: the warning names; the managers' screens and reports translate them.
DEMOTE = "demote"
ELIMINATE = "eliminate"


def _fen(value: Decimal) -> Decimal:
    """Rounded half up to the fen; an amount already in whole fen keeps its form (4000 stays
    ``Decimal("4000")``, as docs/domain.md writes it)."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -2:
        return value
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def sales_for(
    payments: Iterable[Mapping[str, Amount]],
    refunds: Iterable[Amount] = (),
    window_days: int = SALES_WINDOW_DAYS,
) -> Decimal:
    """A consultant's sales (实际销售额, §10.1): money received for their enrollments within
    ``window_days`` of signing, less every refund made in the period, whenever the enrollment
    was signed. It may be negative (a month of refunds and no new money).

    ``payments`` are ``{"amount", "days_after_enrollment"}``; a payment on or before the day of
    signing (a deposit) is within the window, one after it counts for the center only. Refunds
    are amounts given back: their size is deducted whatever their sign, as in
    :func:`desk.rules.commission.monthly_sales`.
    """
    if isinstance(window_days, bool) or not isinstance(window_days, int) or window_days < 0:
        raise ValueError(f"the sales window is a whole number of days, not {window_days!r}")
    received = Decimal(0)
    for payment in payments:
        days = payment["days_after_enrollment"]
        if isinstance(days, bool) or not isinstance(days, int):
            raise ValueError(f"days_after_enrollment is a whole number of days, not {days!r}")
        if days <= window_days:
            received += money(payment["amount"])
    given_back = sum((abs(money(r)) for r in refunds), Decimal(0))
    return _fen(received - given_back)


def team_bonus(
    own: Amount,
    team: Amount,
    team_target: Amount,
    reached_day: int | None,
    new: bool = False,
    own_target: Amount | None = None,
    *,
    rate: Amount = TEAM_RATE,
    late_rate: Amount = TEAM_RATE_LATE,
    deadline_day: int = TEAM_DEADLINE_DAY,
) -> Decimal:
    """A consultant's share of the team bonus (中心达标团队提成, §10.4).

    ``reached_day`` is the day of the month the center's sales reached ``team_target`` (None:
    not reached). The share is team × rate × own / team, i.e. own × rate, with ``rate`` up to
    the ``deadline_day`` (the 25th) and ``late_rate`` after it. It is 0 when the target was not
    reached, when the month's team sales (``team``, after refunds) are 0 or below
    ``team_target`` (a target reached and then lost to refunds is not reached), and when
    ``own`` is below the consultant's own target (§10.2: 30,000 when ``new``, else 60,000;
    ``own_target`` overrides).
    """
    own_sales, team_sales = money(own), money(team)
    if reached_day is None:
        return Decimal(0)
    if isinstance(reached_day, bool) or not isinstance(reached_day, int) or not 1 <= reached_day <= 31:
        raise ValueError(f"reached_day is a day of the month (1-31) or None, not {reached_day!r}")
    if team_sales <= 0 or team_sales < money(team_target):
        return Decimal(0)
    if own_sales < target_for(new, None if own_target is None else money(own_target)):
        return Decimal(0)
    share = money(rate) if reached_day <= deadline_day else money(late_rate)
    return _fen(own_sales * share)  # team × share × own / team, without the division


def next_base_salary(
    quarter_sales: Amount,
    steps: Iterable[tuple[Amount, Amount]] | Mapping[Amount, Amount] = BASE_STEPS,
    base: Amount = BASE_SALARY,
) -> Decimal:
    """Next quarter's base salary (季度底薪, §11.1) from this calendar quarter's cumulative
    sales: the salary of the highest step reached (``steps`` are (sales from, salary) pairs or a
    mapping), else ``base``. Each quarter is judged afresh, so a weaker one brings it down.

    A step must not pay less than ``base`` or than a lower step: more sales never lower the
    base salary.
    """
    pairs = steps.items() if isinstance(steps, Mapping) else steps
    ladder = sorted((money(lower), money(salary)) for lower, salary in pairs)
    floor = money(base)
    salary = floor
    previous = floor
    for lower, step_salary in ladder:
        if step_salary < previous:
            raise ValueError(f"the base salary step from {lower} pays less than the one below it")
        previous = step_salary
    sales = money(quarter_sales)
    for lower, step_salary in ladder:
        if sales >= lower:
            salary = step_salary
    return _fen(salary)


def grade_warnings(
    months: Sequence[Amount],
    demoted: bool,
    *,
    demote_below: Amount = 50000,
    demote_months: int = 2,
    eliminate_below: Amount = 80000,
    eliminate_months: int = 3,
) -> list[str]:
    """The manager's warnings for one consultant (§11.2); a person decides.

    ``months`` are monthly sales, oldest first. A regular consultant (not ``demoted``) whose
    last ``demote_months`` are each below ``demote_below`` → ``["demote"]`` (demoted from the
    next month, new-consultant target, a mentor). A demoted consultant whose last
    ``eliminate_months`` total below ``eliminate_below`` → ``["eliminate"]``. Otherwise, and
    with fewer months than the rule needs, ``[]``.
    """
    if min(demote_months, eliminate_months) < 1:
        raise ValueError("a grade rule looks at one month or more")
    amounts = [money(m) for m in months]
    if demoted:
        last = amounts[-eliminate_months:]
        if len(last) == eliminate_months and sum(last, Decimal(0)) < money(eliminate_below):
            return [ELIMINATE]
        return []
    last = amounts[-demote_months:]
    if len(last) == demote_months and all(m < money(demote_below) for m in last):
        return [DEMOTE]
    return []


def level_by_rank(rank: int, consultants: int) -> int:
    """The best level (6 → 1, §11.3) a 3-month cumulative sales ``rank`` (1 = the highest)
    among ``consultants`` allows: level 1–4 for rank 1–4, level 5 when the rank is not below
    third from last (rank ≤ consultants − 2), else 6. The other criteria (exams, teaching,
    lectures) are the manager's, so this is a proposal: a better rank never gives a worse one.
    """
    for value, name in ((rank, "rank"), (consultants, "consultants")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} is a whole number, not {value!r}")
    if not 1 <= rank <= consultants:
        raise ValueError(f"rank {rank} is not a place among {consultants} consultants")
    if rank <= 4:
        return rank
    if rank <= consultants - 2:
        return 5
    return 6
