"""SOP script lines per call type (docs/domain.md §2.1, §2.4–§2.6), zh and en.

The lines are data, in ``data/sop/<lang>.toml``: ``[lines]`` (every line, with ``{center}``,
``{name}``, ``{route}``, ``{confirm}`` placeholders), ``[confirm]`` (the question back per call
type; the Chinese ones are docs/domain.md §2.4's exactly, with ``xx`` standing for the person asked for)
and ``[scripts]`` (the order of lines per call type; ``<type>_busy`` when no consultant is free,
``insist`` when the caller wants the receptionist to answer course questions herself).

    >>> line("transfer", "en")
    "I'll put you through to our course advisor, one moment."
    >>> line("greeting", "zh", center="星辰电脑培训")
    '您好，星辰电脑培训'
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["LANGS", "SopLine", "confirm", "keys", "lang_code", "line", "load_sop", "script"]

LANGS = ("zh", "en")


def lang_code(lang: str | None) -> str:
    """``zh``, ``zh_CN``, ``zh-Hans`` -> ``zh``; ``en``, ``en_US`` -> ``en``; None -> ``zh``."""
    if not lang:
        return "zh"
    code = lang.replace("-", "_").split("_")[0].casefold()
    if code not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
    return code


@dataclass(frozen=True)
class SopLine:
    key: str
    text: str


class _Keep(dict[str, object]):
    """format_map helper: a placeholder with no value stays as it is."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def load_sop(path: Path | str) -> dict[str, Any]:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    for table in ("lines", "confirm", "scripts"):
        if not isinstance(data.get(table), dict):
            raise ValueError(f"{path}: missing [{table}] table")
    for name, keys_ in data["scripts"].items():
        for key in keys_:
            if key not in data["lines"]:
                raise ValueError(f"{path}: script {name!r} names unknown line {key!r}")
    return data


@cache
def _sop(lang: str) -> dict[str, Any]:
    from desk.paths import data_dir

    return load_sop(data_dir() / "sop" / f"{lang}.toml")


def keys(lang: str = "zh") -> tuple[str, ...]:
    """Every line key (the same in every language)."""
    return tuple(_sop(lang_code(lang))["lines"])


def line(key: str, lang: str = "zh", /, **params: Any) -> str:
    """One SOP line in ``lang`` with its placeholders filled from ``params`` (missing ones kept)."""
    lines: dict[str, str] = _sop(lang_code(lang))["lines"]
    if key not in lines:
        raise KeyError(f"no SOP line {key!r}")
    return lines[key].format_map(_Keep(params))


def confirm(call_type: str, lang: str = "zh", name: str | None = None) -> str:
    """The question back for a call type (§2.4); ``xx`` becomes ``name`` when given.

    ``repeat_inquiry_then`` is the repeat caller's second question.
    """
    table = _sop(lang_code(lang))["confirm"]
    key = str(getattr(call_type, "value", call_type))
    if key not in table:
        raise KeyError(f"no confirm question for {key!r}")
    text: str = table[key]
    if name:
        text = text.replace("xx", name)
    return text


def script(call_type: str, lang: str = "zh", /, *, busy: bool = False, **params: Any) -> list[SopLine]:
    """The lines for a call type in order; ``busy`` picks the message-taking script where the
    type has one (no consultant free). ``{confirm}`` is filled with the type's question back."""
    code = lang_code(lang)
    data = _sop(code)
    key = str(getattr(call_type, "value", call_type))
    if busy and f"{key}_busy" in data["scripts"]:
        key = f"{key}_busy"
    elif busy and key == "proxy_inquiry":
        key = "first_inquiry_busy"
    if key not in data["scripts"]:
        raise KeyError(f"no SOP script for {key!r}")
    base = key.removesuffix("_busy")
    params.setdefault("confirm", data["confirm"].get(base, ""))
    return [SopLine(k, line(k, code, **params)) for k in data["scripts"][key]]
