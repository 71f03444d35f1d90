"""desk.dal.import_keys puts a name's keys together per character: the same keys as
desk.search_keys.name_readings reading the name whole (issue 16)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from desk.dal.import_keys import _has_phrase, _readings, name_keys
from desk.search_keys import SURNAME_READINGS, name_readings, other_name_keys
from desk.search_keys import name_keys as whole_keys

# Surnames (with those read otherwise), given-name characters, characters that form phrases
# (长江, 重庆, 银行), a rare one and a Latin letter.
CHARS = "王李张刘陈杨赵黄周吴伟芳娜敏静丽强磊军洋长江重庆行银乐音朝阳𠀀a " + "".join(SURNAME_READINGS)


@settings(max_examples=3000, deadline=None)
@given(st.text(CHARS, min_size=1, max_size=5))
@example("曾国藩")
@example("单长江")
@example("长江")
@example("乐乐")
def test_keys_put_together_per_character_are_the_whole_names(name):
    assert _readings(name) == name_readings(name)
    assert name_keys(name) == (whole_keys(name), other_name_keys(name))


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=4))
def test_any_chinese_characters(name):
    assert _readings(name) == name_readings(name)


def test_a_phrase_is_read_whole():
    assert _has_phrase("张长江") and not _has_phrase("张伟")
    assert name_keys("长江")[0] == ("changjiang", "cj")
