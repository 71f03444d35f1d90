"""Name keys: a surname read otherwise than its everyday reading is found by both (issue 12, item 18)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.search_keys import SURNAME_READINGS, name_keys, name_readings, other_name_keys

ROOT = Path(__file__).resolve().parents[1]

# (surname, its surname reading, pypinyin's everyday reading)
SURNAMES = [
    ("曾", "zeng", "ceng"), ("单", "shan", "dan"), ("解", "xie", "jie"), ("仇", "qiu", "chou"),
    ("查", "zha", "cha"), ("覃", "qin", "tan"), ("区", "ou", "qu"), ("朴", "piao", "pu"),
    ("盖", "ge", "gai"), ("缪", "miao", "mou"),
]


@pytest.mark.parametrize(("surname", "reading", "everyday"), SURNAMES)
def test_a_special_surname_is_keyed_by_its_surname_reading_then_the_everyday_one(surname, reading, everyday):
    assert name_readings(surname + "伟") == ((reading + "wei", reading[0] + "w"), (everyday + "wei", everyday[0] + "w"))
    assert name_keys(surname + "伟") == (reading + "wei", reading[0] + "w")
    assert other_name_keys(surname + "伟") == (everyday + "wei", everyday[0] + "w")


def test_every_surname_of_the_issue_is_listed():
    assert set(SURNAME_READINGS) == {s for s, _, _ in SURNAMES} | {"柏"}
    assert name_readings("柏杨") == (("baiyang", "by"),)  # pypinyin already reads it "bai": one reading


@pytest.mark.parametrize(
    ("name", "keys"),
    [("王芳", (("wangfang", "wf"),)), ("Anna 李", (("annali", "al"),)), ("", (("", ""),)),
     ("曾国藩", (("zengguofan", "zgf"), ("cengguofan", "cgf"))),
     ("王单", (("wangdan", "wd"),))],  # 单 in a given name keeps its everyday reading
)
def test_names(name, keys):
    assert name_readings(name) == keys


HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@given(st.sampled_from(sorted(SURNAME_READINGS)), st.text(HAN, min_size=1, max_size=3))
def test_the_surname_reading_only_changes_the_surname(surname, given_name):
    readings = name_readings(surname + given_name)
    assert len(readings) in (1, 2) and len(set(readings)) == len(readings)
    (full, initials), (everyday_full, everyday_initials) = readings[0], readings[-1]
    assert full.startswith(SURNAME_READINGS[surname]) and initials[0] == SURNAME_READINGS[surname][0]
    assert initials[1:] == everyday_initials[1:]  # the given name reads the same in both
    assert full.endswith(everyday_full[len(everyday_full) - (len(full) - len(SURNAME_READINGS[surname])):])


@given(st.text(HAN, min_size=1, max_size=4).filter(lambda s: s[0] not in SURNAME_READINGS))
def test_other_names_have_one_reading(name):
    assert len(name_readings(name)) == 1 and other_name_keys(name) == (None, None)


@pytest.mark.parametrize(
    ("name", "full"),
    [("王长青", "wangchangqing"), ("尉迟恭", "yuchigong"), ("万俟伟", "moqiwei"), ("宋朝阳", "songzhaoyang"),
     ("王长林", "wangzhanglin"), ("于思琪", "yusaiqi")],  # 长林 is no phrase; 于思 is one (a beard)
)
def test_a_phrase_read_otherwise_than_its_characters_keeps_its_reading(name, full):
    assert name_keys(name)[0] == full


def test_pypinyin_gets_only_the_phrases_read_otherwise_than_their_characters():
    """Its whole phrase dictionary is 43 MB of a running desk's memory (issue 16,
    bench/memory.py). A fresh process: the switch counts when pypinyin is first imported."""
    code = ("from desk.search_keys import name_keys; assert name_keys('王芳') == ('wangfang', 'wf'); "
            "from pypinyin.constants import PHRASES_DICT; print(sorted(PHRASES_DICT) == sorted(json.load(open(sys.argv[1]))['phrases']), "
            "'长青' in PHRASES_DICT, '中国' in PHRASES_DICT)")
    out = subprocess.run([sys.executable, "-c", "import json, sys; " + code, str(ROOT / "data" / "pinyin" / "name_phrases.json")],
                         capture_output=True, text=True, check=True, env=_env())
    assert out.stdout.split() == ["True", "True", "False"]


def test_the_phrases_are_those_of_the_installed_pypinyin():
    env = {**_env(), "PYPINYIN_NO_PHRASES": ""}
    out = subprocess.run([sys.executable, "-P", str(ROOT / "tests" / "pinyin_phrases.py"), "--check"], capture_output=True,
                         text=True, env=env)
    assert out.returncode == 0, out.stderr


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}
