"""The center's configuration: defaults shipped in data/, overridden by a TOML file.

The file lives beside the database (``desk.toml``), so a center's settings travel with its
data. Errors name the file, the line and the key at fault.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, time
from functools import cached_property
from pathlib import Path
from typing import Any

from desk.errors import ConfigError
from desk.paths import data_dir, user_dir

CONFIG_NAME = "desk.toml"


def config_path(db_path: Path | None) -> Path:
    """``desk.toml`` beside a database file; in the user folder for a database URL."""
    return (db_path.parent if db_path else user_dir()) / CONFIG_NAME


@dataclass(frozen=True)
class Config:
    values: dict[str, dict[str, Any]]
    path: Path | None = None
    exists: bool = False
    _source: str = field(default="", repr=False, compare=False)

    def get(self, section: str, key: str) -> Any:
        return self.values[section][key]

    @property
    def center_name(self) -> str:
        return self.get("center", "name")

    def center_name_for(self, lang: str) -> str:
        return self.get("center", "name") if lang.startswith("zh") else self.get("center", "name_en") or self.center_name

    def greeting(self, lang: str) -> str:
        key = "greeting_zh" if lang.startswith("zh") else "greeting_en"
        return self.get("center", key).format(center=self.center_name_for(lang))

    def directions(self, lang: str) -> str:
        return self.get("center", "directions_zh" if lang.startswith("zh") else "directions_en")

    @property
    def language(self) -> str:
        return self.get("ui", "language")

    @cached_property
    def timezone(self):
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.get("center", "timezone"))

    @property
    def open_time(self) -> time:
        return time.fromisoformat(self.get("hours", "open"))

    @property
    def close_time(self) -> time:
        return time.fromisoformat(self.get("hours", "close"))

    @property
    def working_days(self) -> frozenset[int]:
        return frozenset(self.get("hours", "working_days"))

    @property
    def holidays(self) -> frozenset[date]:
        return frozenset(date.fromisoformat(d) for d in self.get("hours", "holidays"))


def _defaults() -> dict[str, dict[str, Any]]:
    with (data_dir() / "config.default.toml").open("rb") as fh:
        return tomllib.load(fh)


def load(path: Path | None) -> Config:
    """Defaults, overlaid by ``path`` if it exists; every value checked against its default."""
    values = _defaults()
    if path is None or not path.exists():
        return Config(values=values, path=path, exists=False)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot be read ({err})") from None
    try:
        user = tomllib.loads(source)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: {err}") from None
    for section, table in user.items():
        if section not in values:
            raise ConfigError(f"{path}:{_line_of(source, section, None)}: unknown section [{section}]")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}:{_line_of(source, None, section)}: {section} must be a [section]")
        for key, value in table.items():
            if key not in values[section]:
                raise ConfigError(f"{path}:{_line_of(source, section, key)}: unknown key {section}.{key}")
            problem = _check(section, key, value, values[section][key])
            if problem:
                raise ConfigError(f"{path}:{_line_of(source, section, key)}: {section}.{key} {problem}")
            values[section][key] = value
    if "name" in user.get("center", {}) and "name_en" not in user["center"]:
        # The shipped English name belongs to the shipped center: a center that set its own
        # name is called by it in English too, until it sets name_en.
        values["center"]["name_en"] = ""
    return Config(values=values, path=path, exists=True, _source=source)


def _check(section: str, key: str, value: Any, default: Any) -> str | None:
    """Why ``value`` cannot stand in for ``default``, or None when it can."""
    if isinstance(default, bool) or isinstance(value, bool):
        if type(value) is not type(default):
            return f"must be true or false, not {value!r}"
    elif isinstance(default, (int, float)) and not isinstance(value, (int, float)):
        return f"must be a number, not {value!r}"
    elif isinstance(default, str) and not isinstance(value, str):
        return f"must be text in quotes, not {value!r}"
    elif isinstance(default, list) and not isinstance(value, list):
        return f"must be a list, not {value!r}"
    if (section, key) == ("ui", "language") and value not in ("", "zh_CN", "en"):
        return f'must be "zh_CN", "en" or "" (from the locale), not {value!r}'
    if section == "hours" and key in ("open", "close"):
        try:
            time.fromisoformat(value)
        except ValueError:
            return f'must be a time like "08:30", not {value!r}'
    if (section, key) == ("hours", "working_days") and not all(isinstance(d, int) and 1 <= d <= 7 for d in value):
        return "must list weekday numbers 1 (Monday) to 7 (Sunday)"
    if (section, key) == ("hours", "holidays"):
        for day in value:
            try:
                date.fromisoformat(day)
            except (TypeError, ValueError):
                return f'must list dates like "2026-10-01", not {day!r}'
    if (section, key) == ("center", "timezone"):
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            return f'is not a known time zone like "Asia/Shanghai": {value!r}'
    if (section, key) == ("commission", "tiers"):
        ok = all(isinstance(t, list) and len(t) == 2 and all(isinstance(x, (int, float)) for x in t) for t in value)
        if not ok or [t[0] for t in value] != sorted(t[0] for t in value) or not value:
            return "must be [[from_yuan, rate], ...] in ascending order"
    return None


def _line_of(source: str, section: str | None, key: str | None) -> int:
    """The 1-based line where ``key`` (inside ``[section]``) or the section header stands."""
    current = None
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"^\[([^\[\]]+)\]", stripped)
        if header:
            current = header.group(1).strip()
            if key is None and current == section:
                return number
            continue
        if key is not None and current == section and re.match(rf"^\"?{re.escape(key)}\"?\s*=", stripped):
            return number
        if key is not None and section is not None and re.match(rf"^{re.escape(section)}\.{re.escape(key)}\s*=", stripped):
            return number
    return 1
