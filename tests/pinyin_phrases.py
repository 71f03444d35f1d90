"""The phrases desk gives pypinyin (data/pinyin/name_phrases.json): the entries of pypinyin's
own phrase dictionary whose toneless reading differs from their characters' everyday
readings (长青 "chang qing", not "zhang qing"). desk loads only these (desk.search_keys):
the whole dictionary is 43 MB of a running desk's memory and the rest read as their
characters do. On 120,000 made-up names the readings differ from the whole dictionary's
in 6 (a word of the list shadowed by one that is not); without any phrases, in 956.

    python -P tests/pinyin_phrases.py [--check]   (after upgrading pypinyin: rewrite the file)

Run with pypinyin's whole dictionary (PYPINYIN_NO_PHRASES unset); tests/test_search_keys.py
checks the file against the installed pypinyin with --check.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path

FILE = Path(__file__).resolve().parents[1] / "data" / "pinyin" / "name_phrases.json"


def expected() -> dict:
    """What the file should hold for the installed pypinyin."""
    import pypinyin
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_normal

    assert PHRASES_DICT, "run without PYPINYIN_NO_PHRASES: the whole dictionary is the source"
    toneless = cache(to_normal)

    def everyday(char: str) -> str:
        readings = PINYIN_DICT.get(ord(char))
        return toneless(readings.split(",")[0]) if readings else char

    phrases = {
        phrase: readings for phrase, readings in sorted(PHRASES_DICT.items())
        if [toneless(r[0]) for r in readings] != [everyday(c) for c in phrase]
    }
    return {"pypinyin": pypinyin.__version__, "phrases": phrases}


def main() -> None:
    found = expected()
    lines = [f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}" for k, v in found["phrases"].items()]
    wanted = f'{{"pypinyin": "{found["pypinyin"]}", "phrases": {{\n' + ",\n".join(lines) + "\n}}\n"
    if "--check" in sys.argv:
        current = FILE.read_text(encoding="utf-8") if FILE.exists() else ""
        sys.exit(0 if current == wanted else f"{FILE} is not what this pypinyin gives: run python -P {__file__}")
    FILE.write_text(wanted, encoding="utf-8")


if __name__ == "__main__":
    main()
