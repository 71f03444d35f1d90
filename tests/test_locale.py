"""Which language desk starts in: the configured one, else the locale's (issue 14: Windows)."""

from __future__ import annotations

import pytest

from desk import i18n


@pytest.mark.parametrize("name", [
    "zh_CN.UTF-8", "zh_TW.Big5", "zh-Hans-CN", "zh-CN", "Chinese (Simplified)_China",
    "Chinese_People's Republic of China", "Chinese (Traditional)_Taiwan",
])
def test_chinese_locales_in_every_spelling_are_chinese(name):
    assert i18n.is_chinese_locale(name)


@pytest.mark.parametrize("name", ["en_US.UTF-8", "C", "POSIX", "English_United States", "", "fr_CH"])
def test_other_locales_are_not(name):
    assert not i18n.is_chinese_locale(name)


def test_a_windows_chinese_locale_starts_desk_in_chinese(monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(i18n, "_system_locale", lambda: "Chinese (Simplified)_China")
    assert i18n.detect_language() == "zh_CN"
    assert i18n.detect_language("en") == "en"
    monkeypatch.setenv("LANG", "Chinese_China.936")
    assert i18n.detect_language() == "zh_CN"
