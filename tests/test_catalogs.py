"""Every message catalog in both languages: the same files, the same keys, the same fields.

A key only one language has falls back to English (or shows itself) on the other's screens, and
a ``{field}`` only one side names fails at ``t(...)`` in that language alone: both would show
only when someone opens that screen in that language.
"""

from __future__ import annotations

import string
import tomllib

import pytest

from desk.paths import data_dir

CATALOGS = data_dir() / "i18n"
NAMES = sorted(path.name for path in (CATALOGS / "en").glob("*.toml"))


def _flat(table: dict, prefix: str = "") -> dict[str, object]:
    found: dict[str, object] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            found |= _flat(value, f"{prefix}{key}.")
        else:
            found[f"{prefix}{key}"] = value
    return found


def _entries(lang: str, name: str) -> dict[str, object]:
    with (CATALOGS / lang / name).open("rb") as fh:
        return _flat(tomllib.load(fh))


def _fields(value: object) -> set[str]:
    texts = value if isinstance(value, list) else [value]
    return {field for text in texts if isinstance(text, str)
            for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_both_languages_have_the_same_catalog_files():
    assert NAMES
    assert sorted(path.name for path in (CATALOGS / "zh_CN").glob("*.toml")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_both_languages_have_the_same_keys_and_placeholders(name):
    en, zh = _entries("en", name), _entries("zh_CN", name)
    assert sorted(en) == sorted(zh)
    assert {key: _fields(en[key]) for key in en} == {key: _fields(zh[key]) for key in en}
