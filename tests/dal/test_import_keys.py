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


def test_an_import_asking_for_phrases_first_reads_names_as_the_workstations_do():
    """In a fresh process (``desk import``), the import's phrase check is the first to touch
    pypinyin: it must not load pypinyin's whole phrase dictionary, or its keys would differ
    from those a workstation gives the same name (宋朝阳: "songchaoyang" against "songzhaoyang")."""
    import subprocess
    import sys

    code = (
        "from desk.dal.import_keys import _has_phrase, name_keys as import_keys\n"
        "_has_phrase('宋朝阳')\n"
        "from desk.search_keys import name_keys\n"
        "from pypinyin.constants import PHRASES_DICT\n"
        "print(import_keys('宋朝阳')[0][0], name_keys('宋朝阳')[0], len(PHRASES_DICT))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == out[1] == "songzhaoyang"
    assert int(out[2]) < 10_000  # the names' phrases only, not pypinyin's 47,111
