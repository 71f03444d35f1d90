"""A name's search keys for an import, character by character (issue 16).

pypinyin takes ~80 us a name, and a market list's names are nearly all different: at a
million rows that was the import's biggest cost. A name of Chinese characters none of whose
runs is one of the phrases pypinyin reads here (``pinyin_phrases``: "长江" reads "chang", not "zhang") reads as its characters
read one by one, so its keys are put together from each character's, asked of
:func:`desk.search_keys.name_readings` once per character. Any other name is asked whole.
tests/dal/test_import_keys.py proves the same keys as name_readings.
"""

from __future__ import annotations

import re
from functools import lru_cache

from desk.search_keys import name_readings, pinyin_phrases

Keys = tuple[str, str]
_HAN = re.compile(r"[\u4e00-\u9fff]+")  # CJK Unified Ideographs: one pinyin syllable each


def name_keys(name: str) -> tuple[Keys, tuple[str | None, str | None]]:
    """(name_keys(name), other_name_keys(name)) as desk.search_keys gives them."""
    readings = _readings(name)
    return readings[0], readings[1] if len(readings) > 1 else (None, None)


@lru_cache(maxsize=8192)  # a name met again; a new one costs a few us here
def _readings(name: str) -> tuple[Keys, ...]:
    if not _HAN.fullmatch(name) or _has_phrase(name):
        return name_readings(name)
    chars = [name_readings(c) for c in name]
    rest = [keys[-1] for keys in chars[1:]]  # the last of a character's readings is pypinyin's own
    reading = _join([chars[0][0], *rest])  # the first character's first: its surname reading
    default = _join([chars[0][-1], *rest])
    return (reading,) if reading == default else (reading, default)


def _join(keys: list[Keys]) -> Keys:
    return "".join(full for full, _ in keys), "".join(initials for _, initials in keys)


def _has_phrase(name: str) -> bool:
    phrases = pinyin_phrases()
    size = len(name)
    return any(name[i:j] in phrases for i in range(size) for j in range(i + 2, size + 1))
