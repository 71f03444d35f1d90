"""Every worked case of docs/domain.md, one test each.

The worked cases are the repository's own, one JSON object a line in ``tests/cases/``; which
file holds the cases of which section is docs/domain.md §12.2. A new rule or a changed one
brings its cases with it.
Cases of rules that desk does not do yet are strict xfails naming their issue: they fail the
run the day they start to pass, so the mark is removed with the work.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from desk.rules import pay, qa
from desk.rules.calls import CallType, classify
from desk.rules.leads import check_lead
from desk.rules.rotation import pick_consultant
from tests.helpers import CASES, load_cases

# Rules of docs/domain.md not built yet: (file, case index) -> the issue that builds it.
PENDING = {
}


def _ids(cases: list[dict], key) -> list[str]:
    return [f"{i}-{key(c)}"[:60] for i, c in enumerate(cases)]


def _cases(name: str, cases: list[dict]) -> list:
    return [
        pytest.param(case, marks=pytest.mark.xfail(reason=PENDING[(name, i)], strict=True))
        if (name, i) in PENDING
        else case
        for i, case in enumerate(cases)
    ]


CALLS = load_cases("calls")
LEADS = load_cases("leads")
ROTATION = load_cases("rotation")
PAY = load_cases("pay")

# The functions a pay case names (docs/domain.md §12.2); ``qa_score`` is desk.rules.qa.score.
PAY_FUNCTIONS = {
    "sales_for": pay.sales_for,
    "team_bonus": pay.team_bonus,
    "next_base_salary": pay.next_base_salary,
    "grade_warnings": pay.grade_warnings,
    "level_by_rank": pay.level_by_rank,
    "qa_score": qa.score,
}


def test_examples_are_there():
    assert CASES.is_dir(), f"the worked cases are missing at {CASES}"
    assert CALLS and LEADS and ROTATION and PAY
    assert {"calls", "leads", "rotation", "pay"} <= {p.stem for p in CASES.glob("*.jsonl")}


@pytest.mark.parametrize("case", _cases("calls", CALLS), ids=_ids(CALLS, lambda c: c["text"] or "empty"))
def test_call_example(case):
    got = classify(case["text"], staff=case["staff"], caller=case["caller"])
    assert got.call_type == CallType(case["expect"]), got.cues
    assert got.call_type.value == case["expect"]
    assert isinstance(got.confirm_question, str)
    assert isinstance(got.cues, tuple)


@pytest.mark.parametrize("case", _cases("leads", LEADS), ids=_ids(LEADS, lambda c: c["facts"]["channel"]))
def test_lead_example(case):
    verdict = check_lead(**case["facts"])
    assert verdict.valid is case["expect_valid"], verdict.reasons
    assert bool(verdict.reasons) is (not case["expect_valid"])
    if "expect_counted_as" in case:
        assert verdict.counted_as == case["expect_counted_as"]


@pytest.mark.parametrize("case", ROTATION, ids=_ids(ROTATION, lambda c: c["expect"]))
def test_rotation_example(case):
    args = dict(case["args"])
    args["available"] = set(args["available"])
    assert pick_consultant(**args) == case["expect"]
    # the same with available as a list, positional
    a = case["args"]
    assert pick_consultant(a["order"], list(a["available"]), a["counts"], a["last"]) == case["expect"]


@pytest.mark.parametrize("case", _cases("pay", PAY), ids=_ids(PAY, lambda c: c["fn"]))
def test_pay_example(case):
    got = PAY_FUNCTIONS[case["fn"]](**case["args"])
    expect = case["expect"]
    if isinstance(got, Decimal):  # amounts: a string in the case, rounded to the fen
        assert isinstance(expect, str)
        assert got == Decimal(expect)
        assert got.as_tuple().exponent >= -2
    elif isinstance(got, qa.QaScore):
        assert {"total": got.total, "bonus": got.bonus, "items": dict(got.items)} == expect
    else:  # warnings, levels
        assert got == expect
        assert type(got) is type(expect)
