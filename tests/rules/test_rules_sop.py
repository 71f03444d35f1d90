"""SOP script lines (docs/domain.md §2.1, §2.4–§2.6), zh and en."""

from __future__ import annotations

import pytest

from desk.rules import sop
from desk.rules.calls import CallType


def test_same_keys_in_both_languages():
    assert sop.keys("zh") == sop.keys("en")


def test_greeting_with_center():
    assert sop.line("greeting", "zh", center="星辰电脑培训") == "您好，星辰电脑培训"
    assert sop.line("greeting", "en", center="Star IT") == "Hello, Star IT"
    assert sop.line("greeting", "zh") == "您好，{center}"  # a missing value stays visible


def test_spec_lines():
    assert sop.line("transfer", "en") == "I'll put you through to our course advisor, one moment."
    assert sop.line("call_for_you", "en") == "A call for you."
    persuade = sop.line("persuade", "en")
    assert "experienced" in persuade and "each department has its own responsibility" in persuade
    assert "in your interest" in persuade
    assert "5" in sop.line("message_promise", "zh") and "5" in sop.line("message_promise", "en")


@pytest.mark.parametrize("lang", sop.LANGS)
@pytest.mark.parametrize("call_type", list(CallType))
def test_every_call_type_has_a_script(call_type, lang):
    lines = sop.script(call_type, lang, center="X", name="Y", route="Z")
    assert lines and all(line.text for line in lines)
    assert lines[0].key == "greeting"


@pytest.mark.parametrize("lang", sop.LANGS)
def test_busy_scripts_take_a_message(lang):
    keys = [line.key for line in sop.script("first_inquiry", lang, busy=True)]
    assert keys[:2] == ["greeting", "confirm"]
    assert {"message_ask_name", "message_ask_phone", "message_ask_time", "message_retry_warm",
            "message_refused"} <= set(keys)
    assert [line.key for line in sop.script("proxy_inquiry", lang, busy=True)] == keys
    repeat = [line.key for line in sop.script("repeat_inquiry", lang, busy=True)]
    assert "message_ask_question" in repeat  # a repeat caller's question is taken too


def test_confirm_line_is_filled():
    lines = sop.script("directions", "zh", route="地铁2号线A口")
    assert lines[1].text == "请问您是要来我们中心咨询吗？"
    assert lines[2].text == "地铁2号线A口"


def test_confirm_and_errors():
    assert sop.confirm(CallType.STUDENT, "zh", "李明") == "请问您找李明老师有什么事？"
    assert sop.confirm("silent", "en") == ""
    with pytest.raises(KeyError):
        sop.line("no_such_line")
    with pytest.raises(KeyError):
        sop.confirm("no_such_type")
    with pytest.raises(KeyError):
        sop.script("no_such_type")
    with pytest.raises(ValueError):
        sop.line("greeting", "fr")


def test_lang_code():
    assert sop.lang_code("zh_CN") == "zh" and sop.lang_code("zh-Hans") == "zh"
    assert sop.lang_code("en_US") == "en" and sop.lang_code(None) == "zh"


def test_load_sop_validates(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text('[lines]\na = "A"\n[confirm]\n[scripts]\ns = ["a", "b"]\n', encoding="utf-8")
    with pytest.raises(ValueError):
        sop.load_sop(path)
    path.write_text('[lines]\na = "A"\n', encoding="utf-8")
    with pytest.raises(ValueError):
        sop.load_sop(path)
