"""daily_targets / table_name / table_owners: docs/domain.md §7.5, a person's own daily targets."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from desk.rules.targets import DAILY_KEYS, DailyTargets, daily_targets, table_name, table_owners

CENTER = {"invitation_calls_min": 2, "invitation_calls_max": 5, "street_promotion_contacts": 2, "event_forms": 10}

names = st.sampled_from(["王芳", "赵强", "李雷", "陈静", "Amy"])
counts = st.integers(0, 50)
own_tables = st.dictionaries(st.sampled_from(DAILY_KEYS), counts)
centers = st.fixed_dictionaries({key: counts for key in DAILY_KEYS})


def test_the_spec_example():
    targets = {**CENTER, "staff": {"王芳": {"invitation_calls_min": 3}, "Lei": {"event_forms": 5}}}
    assert daily_targets(targets, "王芳") == DailyTargets(3, 5, 2, 10)
    assert daily_targets(targets, "赵强") == daily_targets(targets) == DailyTargets(2, 5, 2, 10)
    assert daily_targets(targets, "李雷", "lei").event_forms == 5  # by English name, any case
    assert daily_targets(targets, "李雷").event_forms == 10  # no English name known: not hers
    assert daily_targets(targets, "王芳").for_kind("street_promotion") == 2
    assert daily_targets(targets, "李雷", "LEI").for_kind("job_fair") == 5


@given(center=centers, staff=st.dictionaries(names, own_tables), person=names, other=names, own=own_tables)
@settings(max_examples=300, deadline=None)
def test_an_own_table_changes_only_its_person_and_only_the_keys_it_names(center, staff, person, other, own):
    before = {**center, "staff": staff}
    after = {**center, "staff": {**staff, person: own}}
    mine = daily_targets(after, person)
    for key in DAILY_KEYS:
        assert getattr(mine, key) == own.get(key, center[key])  # missing keys fall back to [targets]
    if other != person:
        assert daily_targets(after, other) == daily_targets(before, other)
    assert daily_targets(after) == daily_targets({**center}) == DailyTargets(*(center[k] for k in DAILY_KEYS))


@given(center=centers, own=own_tables, english=st.sampled_from(["fang", "FANG", "Fang"]))
@settings(max_examples=100, deadline=None)
def test_a_table_under_the_name_wins_over_one_under_the_english_name(center, own, english):
    staff = {"Fang": {key: 99 for key in DAILY_KEYS}, "王芳": own}
    assert table_name(staff, "王芳", english) == "王芳"
    assert daily_targets({**center, "staff": staff}, "王芳", english) == daily_targets({**center, "staff": {"王芳": own}}, "王芳")
    assert table_name({"Fang": {}}, "王芳", english) == "Fang"
    assert table_name({"Fang": {}}, "赵强", None) is None


def test_table_owners_finds_the_table_no_one_gets_and_the_one_meaning_two():
    roster = [("王芳", "Fang"), ("赵强", None), ("李雷", "Lei"), ("雷雷", "lei")]
    staff = {"王芳": {}, "Fang": {}, "王房": {}, "Lei": {}, "赵强": {}}
    assert table_owners(staff, roster) == {"王芳": ["王芳"], "Fang": [], "王房": [], "Lei": ["李雷", "雷雷"], "赵强": ["赵强"]}
    assert table_owners({}, roster) == {}


def test_the_module_stays_pure():
    code = (
        "import sys, desk.rules.targets as m; m.daily_targets({'invitation_calls_min': 1, 'invitation_calls_max': 2, "
        "'street_promotion_contacts': 2, 'event_forms': 3}, 'x'); "
        "assert not [n for n in sys.modules if n.startswith(('textual', 'sqlalchemy', 'sqlmodel', 'desk.config'))]"
    )
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert got.returncode == 0, got.stderr
