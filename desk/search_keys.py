"""Search keys that let a receptionist find a caller by what she can type fastest.

A Chinese name is found by its full pinyin ("zhangwei") or its initials ("zw"), a number by
any run of its national digits. The data layer stores these keys beside every lead, so
lookup is an indexed query and pypinyin is only imported when a lead is written.
"""

from __future__ import annotations

import re
from functools import cache

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


@cache
def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, lower case, letters and digits only.

    Latin words in a name are kept as words: "Anna 李" gives ("annali", "al").
    """
    from pypinyin import Style, lazy_pinyin

    pieces = lazy_pinyin(name, style=Style.NORMAL, errors=lambda chars: chars.split())
    words = [w for w in (_NON_ALNUM.sub("", p.lower()) for p in pieces) if w]
    return "".join(words), "".join(w[0] for w in words)
