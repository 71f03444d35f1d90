"""QA scoring and its rubric: docs/domain.md §11.4, with hypothesis properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk.paths import data_dir
from desk.rules.qa import DEDUCT, ZERO, default_rubric, load_rubric, score

RUBRIC = default_rubric()
SHIPPED = data_dir() / "rules" / "qa_rubric.toml"

item_specs = st.dictionaries(
    st.sampled_from(["opening", "questioning", "guidance", "closing", "x"]),
    st.fixed_dictionaries(
        {"max": st.integers(0, 40), "deducts": st.integers(0, 12), "zeroed": st.booleans(), "base": st.just(False)}
    ),
    max_size=5,
)
bonus_names = st.lists(st.sampled_from(sorted(RUBRIC.bonuses)), max_size=3)


def test_the_contract_example():
    s = score(
        items={
            "guidance": {"max": 10, "deducts": 1, "zeroed": False, "base": False},
            "product_knowledge": {"max": 10, "deducts": 0, "zeroed": False, "base": True},
        },
        bonuses=["structured_guidance"],
        fatal=False,
    )
    assert (s.total, dict(s.items), s.bonus, s.fatal) == (21, {"guidance": 5, "product_knowledge": 10}, 6, False)


@given(items=item_specs, bonuses=bonus_names, fatal=st.booleans())
@settings(max_examples=300, deadline=None)
def test_item_scores_stay_within_their_maximum_and_fatal_totals_zero(items, bonuses, fatal):
    s = score(items, bonuses, fatal)
    for name, spec in items.items():
        assert 0 <= s.items[name] <= spec["max"]
        if spec["zeroed"]:
            assert s.items[name] == 0
        else:
            assert s.items[name] == max(spec["max"] - 5 * spec["deducts"], 0)
    if fatal:
        assert s.total == 0
        assert s.fatal is True
    else:
        assert s.total == sum(s.items.values()) + s.bonus
    # fatal zeroes the review, not the record of its items
    assert score(items, bonuses, True).items == score(items, bonuses, False).items


@pytest.mark.parametrize(
    ("bonuses", "points"),
    [
        ([], 0),
        (["structured_guidance"], 6),
        (["effective_questioning"], 5),
        (["structured_guidance", "effective_questioning"], 5),  # both: +5 in all
        (["structured_guidance", "structured_guidance"], 6),
    ],
)
def test_bonuses(bonuses, points):
    s = score({"guidance": {"max": 20}}, bonuses, False)
    assert s.bonus == points
    assert s.total == 20 + points


def test_an_unknown_bonus_is_an_error():
    with pytest.raises(ValueError, match="unknown QA bonus"):
        score({}, ["charm"], False)


def test_base_items_take_no_bonus():
    with pytest.raises(ValueError, match="base item"):
        score({"guidance": {"max": 20, "base": True}}, ["structured_guidance"], False)
    assert score({"product_knowledge": {"max": 20, "base": True}}, ["structured_guidance"], False).total == 26


@pytest.mark.parametrize(
    "items",
    [
        {"guidance": {"max": -1}},
        {"guidance": {"deducts": 1}},
        {"guidance": {"max": 10, "deducts": -1}},
        {"guidance": {"max": 10, "zeroed": "no"}},
        {"guidance": {"max": 10, "deduct": 1}},
        {"guidance": {"max": 10.0}},
    ],
)
def test_bad_items_are_errors(items):
    with pytest.raises(ValueError):
        score(items, [], False)


# ---- the shipped rubric --------------------------------------------------------------------


def test_the_shipped_rubric_is_the_sops():
    assert set(RUBRIC.items) == {"opening", "questioning", "product_knowledge", "process", "guidance", "closing"}
    assert {n for n, item in RUBRIC.items.items() if item.base} == {"product_knowledge", "process"}
    assert RUBRIC.max_total == 100
    assert RUBRIC.deduct_points == 5
    assert {n: b.points for n, b in RUBRIC.bonuses.items()} == {"structured_guidance": 6, "effective_questioning": 5}
    assert RUBRIC.combined == 5
    assert set(RUBRIC.fatal) == {"never_understood", "negative_no_soothing", "misleading_wording"}
    assert RUBRIC.faults["unanswered_minute"].kind == DEDUCT
    for item in RUBRIC.items.values():  # every item can lose points both ways
        assert {RUBRIC.faults[f].kind for f in item.faults} == {DEDUCT, ZERO}


def test_every_name_has_a_label_in_both_languages():
    named = [*RUBRIC.items.values(), *RUBRIC.faults.values(), *RUBRIC.bonuses.values(), *RUBRIC.fatal.values()]
    for thing in named:
        assert thing.label("zh") and thing.label("zh_CN") == thing.label("zh")
        assert thing.label("en") and thing.label("en") != thing.label("zh")
    assert RUBRIC.faults["unanswered_minute"].label("zh") == "问题超过一分钟未回答"


def test_a_review_by_names():
    assert RUBRIC.review().total == 100
    assert RUBRIC.review(faults=["unanswered_minute"]).items["product_knowledge"] == 15
    twice = RUBRIC.review(faults=["unanswered_minute", "inaccurate_answer", "unanswered_minute"])
    assert twice.items["product_knowledge"] == 5
    assert twice.total == 85
    assert RUBRIC.review(faults=["no_guidance"], bonuses=["effective_questioning"]).total == 85
    fatal = RUBRIC.review(faults=["no_thanks"], bonuses=["structured_guidance"], fatal=["misleading_wording"])
    assert (fatal.total, fatal.fatal, fatal.items["closing"], fatal.bonus) == (0, True, 10, 6)


@pytest.mark.parametrize(
    "review",
    [{"faults": ["rudeness"]}, {"fatal": ["rudeness"]}, {"bonuses": ["rudeness"]}, {"faults": ["guidance"]}],
)
def test_a_review_names_only_what_the_rubric_has(review):
    with pytest.raises(ValueError, match="unknown"):
        RUBRIC.review(**review)


@given(
    faults=st.lists(st.sampled_from(sorted(RUBRIC.faults)), max_size=12),
    bonuses=bonus_names,
    fatal=st.lists(st.sampled_from(sorted(RUBRIC.fatal)), max_size=2),
)
@settings(max_examples=200, deadline=None)
def test_any_review_stays_within_the_rubric(faults, bonuses, fatal):
    s = RUBRIC.review(faults, bonuses, fatal)
    for name, item in RUBRIC.items.items():
        assert 0 <= s.items[name] <= item.max
    assert s.total == (0 if fatal else sum(s.items.values()) + s.bonus)
    assert 0 <= s.total <= RUBRIC.max_total + max(b.points for b in RUBRIC.bonuses.values())
    fewer = RUBRIC.review(faults[1:], bonuses, fatal)  # a fault less never lowers the score
    assert fewer.total >= s.total


# ---- loading a rubric ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("deduct_points = 5", "deduct_points = 5\nscale = 2", "unknown keys"),
        ("deduct_points = 5", "deduct_points = 0", "more than 0"),
        ('[items.opening]\nmax = 10', "[items.opening]\nmax = 0", "more than 0"),
        ('[items.opening]\nmax = 10\nbase = false', "[items.opening]\nmax = 10\nbase = 0", "true or false"),
        ('kind = "zero"', 'kind = "halve"', "kind"),
        ("[items.closing.faults.no_thanks]", "[items.closing.faults.no_greeting]", "used by item"),
        ('item = "guidance"', 'item = "process"', "base item"),
        ('item = "guidance"', 'item = "charm"', "unknown item"),
        ('en = "Misleading wording"', "", "zh and an en label"),
        ('[fatal.never_understood]', "[fatal.never_understood]\npoints = 1", "unknown keys"),
    ],
)
def test_a_bad_rubric_is_refused(tmp_path: Path, old, new, error):
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "rubric.toml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=error):
        load_rubric(bad)


def test_a_rubric_of_ones_own(tmp_path: Path):
    own = tmp_path / "rubric.toml"
    own.write_text(
        """
        deduct_points = 2
        combined = 3
        [items.listening]
        max = 4
        base = false
        zh = "倾听"
        en = "Listening"
        [items.listening.faults.interrupted]
        kind = "deduct"
        zh = "打断"
        en = "Interrupted"
        [bonuses.patience]
        points = 1
        item = "listening"
        zh = "耐心"
        en = "Patience"
        [fatal.rude]
        zh = "粗鲁"
        en = "Rude"
        """,
        encoding="utf-8",
    )
    rubric = load_rubric(own)
    s = rubric.review(faults=["interrupted"], bonuses=["patience"])
    assert (s.items["listening"], s.bonus, s.total) == (2, 1, 3)
    with pytest.raises(ValueError, match="unknown QA bonus"):
        score({}, ["structured_guidance"], rubric=rubric)
