"""The cues under the suggested type are in the reader's words, never classify's codes."""

from __future__ import annotations

import pytest

from desk.i18n import set_language
from desk.rules.calls import classify
from desk.widgets.triage_script import cue_text
from tests.helpers import load_cases

MORE = [
    ("", {}, None), ("你好", {}, None), ("我想找你们校长", {}, None), ("I'd like to speak to your boss", {}, None),
    ("我是你们学员，找王芳老师", {"王芳": "consultant"}, None), ("我找王总", {}, None), ("我想学jvaa", {}, None),
    ("我之前打过电话", {}, None), ("你们在哪里，怎么走", {}, None), ("快递，下来取一下", {}, None),
    ("我们公司做网络推广，想跟你们合作", {}, None), ("你好", {}, "lead"), ("你好", {}, "student"),
    ("帮我儿子问一下课程", {}, None), ("I want to complain", {}, None), ("退费", {}, None),
]


def all_cues() -> set[str]:
    cases = [(c["text"], c["staff"], c["caller"]) for c in load_cases("calls")] + MORE
    return {cue for text, staff, caller in cases for cue in classify(text, staff=staff, caller=caller).cues}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_cue_classify_gives_has_words_in_both_languages(lang):
    set_language(lang)
    cues = all_cues()
    assert len({cue.partition(":")[0] for cue in cues}) >= 12  # the cases reach most kinds of cue
    for cue in cues:
        shown = cue_text(cue)
        assert "triage.cue" not in shown and "common.roles" not in shown, (cue, shown)
        assert "->" not in shown, (cue, shown)


def test_a_course_cue_reads_as_words():
    set_language("en")
    assert cue_text("course:java") == "course: java"
    assert cue_text("caller:lead") == "a known lead calling"
    set_language("zh_CN")
    assert cue_text("named:王芳(consultant)") == "找王芳(咨询师)"
