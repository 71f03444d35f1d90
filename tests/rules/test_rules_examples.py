"""Every worked case of the domain spec (../shared/spec/examples/*.jsonl), one test each.

The spec lives beside the repository (``<repo>/../shared``), in CI as on a developer's machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desk.rules.calls import CallType, classify
from desk.rules.leads import check_lead
from desk.rules.rotation import pick_consultant

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "examples"


def _load(name: str) -> list[dict]:
    path = EXAMPLES / f"{name}.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _ids(cases: list[dict], key) -> list[str]:
    return [f"{i}-{key(c)}"[:60] for i, c in enumerate(cases)]


CALLS = _load("calls")
LEADS = _load("leads")
ROTATION = _load("rotation")


def test_examples_are_there():
    assert EXAMPLES.is_dir(), f"the shared spec examples are missing at {EXAMPLES}"
    assert CALLS and LEADS and ROTATION
    assert sorted(p.stem for p in EXAMPLES.glob("*.jsonl")) >= ["calls", "leads", "rotation"]


@pytest.mark.parametrize("case", CALLS, ids=_ids(CALLS, lambda c: c["text"] or "empty"))
def test_call_example(case):
    got = classify(case["text"], staff=case["staff"], caller=case["caller"])
    assert got.call_type == CallType(case["expect"]), got.cues
    assert got.call_type.value == case["expect"]
    assert isinstance(got.confirm_question, str)
    assert isinstance(got.cues, tuple)


@pytest.mark.parametrize("case", LEADS, ids=_ids(LEADS, lambda c: c["facts"]["channel"]))
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
