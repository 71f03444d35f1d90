"""Search keys that let a receptionist find a caller by what she can type fastest.

A Chinese name is found by its full pinyin ("zhangwei") or its initials ("zw"), a number by
any run of its national digits. The data layer stores these keys beside every lead, so
lookup is an indexed query and pypinyin is only imported when a lead is written.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from functools import cache, partial

from desk.paths import data_dir

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def phone_digits(e164: str | None) -> str | None:
    """National digits of a stored E.164 number, as people dial them inside China.

    "+8613812345678" -> "13812345678"; the Beijing landline "+861062345678" -> "01062345678".
    Other countries keep their full digits.
    """
    if not e164:
        return None
    digits = re.sub(r"\D", "", e164.split(";", 1)[0])
    if e164.startswith("+86") and digits.startswith("86"):
        digits = digits[2:]
        is_mobile = len(digits) == 11 and digits.startswith("1")
        if not is_mobile:
            digits = "0" + digits  # landlines are dialled with the trunk 0
    return digits


# Surnames read differently from the character's everyday reading, which is what pypinyin
# gives (曾 "ceng", 单 "dan", 解 "jie"): a receptionist types 曾 as "zeng". A name starting
# with one of these is indexed under both readings (name_readings).
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "查": "zha", "覃": "qin",
    "区": "ou", "朴": "piao", "盖": "ge", "缪": "miao", "柏": "bai",
}


@cache
def name_readings(name: str) -> tuple[tuple[str, str], ...]:
    """Every (full pinyin, initials) a name is found by: one, or two when it starts with a
    surname of SURNAME_READINGS read otherwise by pypinyin ("曾国藩": ("zengguofan", "zgf")
    then ("cengguofan", "cgf")). The surname reading comes first."""
    pieces = _pinyin_reader()(name)
    default = _keys(pieces)
    surname = SURNAME_READINGS.get(name.strip()[:1])
    if surname is None or not pieces:
        return (default,)
    first = next(i for i, piece in enumerate(pieces) if piece.strip())
    reading = _keys([*pieces[:first], surname, *pieces[first + 1:]])
    return (reading,) if reading == default else (reading, default)


@cache
def _pinyin_reader() -> Callable[[str], list[str]]:
    """pypinyin's lazy_pinyin, toneless, Latin words kept as words, reading phrases only where
    that changes the reading (长青 "changqing", not "zhangqing").

    pypinyin is imported here only, without its phrase dictionary (its documented
    PYPINYIN_NO_PHRASES; read when it is first imported): the dictionary is 43 MB of a
    running desk's memory (issue 16, bench/memory.py) and all but 3,437 of its 47,111
    phrases read as their characters do. Those are in data/pinyin/name_phrases.json,
    written from pypinyin's own dictionary by tests/pinyin_phrases.py (which says how close
    the readings stay).
    """
    os.environ["PYPINYIN_NO_PHRASES"] = "1"
    os.environ["PYPINYIN_NO_DICT_COPY"] = "1"  # its copy is for changed dictionaries: desk only adds
    from pypinyin import Style, lazy_pinyin, load_phrases_dict

    with (data_dir() / "pinyin" / "name_phrases.json").open(encoding="utf-8") as fh:
        load_phrases_dict(json.load(fh)["phrases"])
    return partial(lazy_pinyin, style=Style.NORMAL, errors=lambda chars: chars.split())


def pinyin_phrases() -> Mapping[str, object]:
    """The phrases pypinyin reads as phrases here (those of data/pinyin/name_phrases.json):
    its own module-level dictionary, asked only after :func:`_pinyin_reader` set pypinyin up,
    so a caller never makes it load its whole dictionary and read names otherwise."""
    _pinyin_reader()
    from pypinyin.constants import PHRASES_DICT

    return PHRASES_DICT


def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, lower case, letters and digits only, by its surname
    reading (name_readings). Latin words in a name are kept as words: "Anna 李" gives
    ("annali", "al")."""
    return name_readings(name)[0]


def other_name_keys(name: str) -> tuple[str | None, str | None]:
    """The second reading of name_readings (pypinyin's own), or (None, None) when there is none."""
    readings = name_readings(name)
    return readings[1] if len(readings) > 1 else (None, None)


def _keys(pieces: list[str]) -> tuple[str, str]:
    words = [w for w in (_NON_ALNUM.sub("", p.lower()) for p in pieces) if w]
    return "".join(words), "".join(w[0] for w in words)
