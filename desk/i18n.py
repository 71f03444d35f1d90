"""The one message catalog of desk: every user-facing string goes through ``t``.

Catalogs are TOML files in ``data/i18n/<lang>/``; a file ``home.toml`` with ``title = "…"``
gives the key ``home.title``, so each screen keeps its strings in its own file. The language
comes from the config (``ui.language``), else from the locale; English is the fallback for a
key a catalog lacks, and a missing key shows itself rather than crashing the screen.
"""

from __future__ import annotations

import locale
import os
import sys
import tomllib
from functools import cache
from typing import TYPE_CHECKING

from desk.paths import data_dir

if TYPE_CHECKING:
    from textual.dom import DOMNode

LANGUAGES = ("zh_CN", "en")
_current = "en"


def detect_language(configured: str = "") -> str:
    """The configured language if set, else the locale's: Chinese for any Chinese locale."""
    if configured in LANGUAGES:
        return configured
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh_CN" if is_chinese_locale(value) else "en"
    return "zh_CN" if is_chinese_locale(_system_locale()) else "en"


def is_chinese_locale(name: str) -> bool:
    """POSIX names (``zh_CN.UTF-8``), BCP 47 tags (``zh-Hans-CN``) and the names Windows gives
    Python (``Chinese (Simplified)_China``, ``Chinese_People's Republic of China``)."""
    lowered = name.strip().lower()
    return lowered.startswith(("zh", "chinese"))


def _system_locale() -> str:
    """The user's locale: Windows' own name for it (``zh-CN``) where Python's is a display name."""
    if sys.platform == "win32":
        import ctypes

        buffer = ctypes.create_unicode_buffer(85)
        if ctypes.windll.kernel32.GetUserDefaultLocaleName(buffer, len(buffer)):  # type: ignore[attr-defined]
            return buffer.value
    return locale.getlocale()[0] or ""


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; one of {LANGUAGES}")
    _current = lang


def language() -> str:
    return _current


def is_zh() -> bool:
    return _current == "zh_CN"


def _flatten(prefix: str, table: dict, out: dict[str, str]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}"
        if isinstance(value, dict):
            _flatten(name, value, out)
        else:
            out[name] = value


@cache
def catalog(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    folder = data_dir() / "i18n" / lang
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as fh:
            _flatten(path.stem, tomllib.load(fh), out)
    return out


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The message ``key`` in ``lang`` (default: the current language), formatted with ``values``."""
    text = catalog(lang or _current).get(key)
    if text is None:
        text = catalog("en").get(key, key)
    return text.format(**values) if values else text


def translate_bindings(node: DOMNode) -> None:
    """Give ``node``'s key bindings the text of their descriptions in the current language.

    Bindings are declared on classes, before the language is known, with a catalog key as
    the description ("keys.help", "followups.k_done"); the footer and the help screen show
    what each instance holds, so the keys are replaced by their text per instance. Textual
    has no public way to do this (pinned at 8.2.8): the node's binding map is rewritten. A
    description that is not a key (no dot, or words with spaces) stays as it is.
    """
    from dataclasses import replace

    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(b, description=t(b.description)) if "." in b.description and " " not in b.description else b
            for b in bindings
        ]
