"""The center's configuration: defaults shipped in data/, overridden by a TOML file.

The file lives beside the database (``desk.toml``), so a center's settings travel with its
data. Errors name the file, the line and the key at fault. The loader checks the file as TOML
(every value against its default), then hands out a frozen :class:`Config` of one dataclass per
section, so that the rest of desk reads ``config.center.phone_region``, never a string key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from desk.errors import ConfigError
from desk.paths import data_dir, user_dir
from desk.rules.targets import DAILY_KEYS, DailyTargets, daily_targets, own_targets

CONFIG_NAME = "desk.toml"


def config_path(db_path: Path | None) -> Path:
    """``desk.toml`` beside a database file; in the user folder for a database URL."""
    return (db_path.parent if db_path else user_dir()) / CONFIG_NAME


@dataclass(frozen=True)
class CenterConfig:
    """``[center]``: who the desk answers for, where it is, and its clock."""

    name: str
    name_en: str  # empty: the center is called by ``name`` in English too
    greeting_zh: str
    greeting_en: str
    directions_zh: str
    directions_en: str
    timezone: ZoneInfo
    phone_region: str  # for numbers typed without a country code
    city: str  # libphonenumber's name of the center's city; empty: numbers are not judged by city


@dataclass(frozen=True)
class UiConfig:
    """``[ui]``: how the desk speaks; an empty language follows the locale."""

    language: str


@dataclass(frozen=True)
class HoursConfig:
    """``[hours]``: the working calendar the follow-up due times are counted in."""

    open: time
    close: time
    working_days: frozenset[int]  # ISO weekdays, 1 = Monday
    holidays: frozenset[date]


@dataclass(frozen=True)
class TargetsConfig:
    """``[targets]``: the center's monthly and daily targets, and people's own daily ones."""

    monthly_sales: int | float  # yuan; as written, so reports print it as the file does
    monthly_sales_new: int | float
    invitation_calls_min: int
    invitation_calls_max: int
    street_promotion_contacts: int
    event_forms: int
    staff: Mapping[str, Mapping[str, int]]  # ``[targets.staff."王芳"]``: only what differs

    def daily(self, name: str | None = None, english_name: str | None = None) -> DailyTargets:
        """The daily targets of the person ``name`` (:func:`desk.rules.targets.own_targets`);
        without a name, the center's."""
        center = DailyTargets(*(getattr(self, key) for key in DAILY_KEYS))
        return own_targets(center, self.staff, name, english_name)


@dataclass(frozen=True)
class CommissionConfig:
    """``[commission]``: the tiers as (from yuan, rate), ascending."""

    tiers: tuple[tuple[int | float, int | float], ...]


@dataclass(frozen=True)
class PayConfig:
    """``[pay]``: the month-end figures of docs/domain.md §10.1, §10.4 and §11.1 (SOP values)."""

    center_target: int | float  # yuan a month the center as a whole must reach (team bonus)
    window_days: int  # a payment counts for the consultant this many days after signing
    base_salary: int | float  # yuan, the quarterly base below every step
    base_steps: tuple[tuple[int | float, int | float], ...]  # (quarter's sales from, next base)
    team_rate: float  # share of team sales when the target is reached by ``team_deadline_day``
    team_rate_late: float  # ... reached after it
    team_deadline_day: int


@dataclass(frozen=True)
class RecordingsConfig:
    """``[recordings]``: where the phone system's recordings are, if desk can see them."""

    folder: str  # empty: no folder to search


@dataclass(frozen=True)
class SigninConfig:
    """``[signin]``: the idle lock, and the OS logins the CLI trusts as staff members."""

    lock_after_minutes: int
    os_users: Mapping[str, str]


@dataclass(frozen=True)
class BackupConfig:
    """``[backup]``: how many backups ``desk backup`` keeps."""

    keep: int


@dataclass(frozen=True)
class FilesConfig:
    """``[files]``: the OS group whose users share this center's files (desk.permissions)."""

    group: str  # empty: the files are their owner's only


@dataclass(frozen=True)
class ServeConfig:
    """``[serve]``: ``desk serve`` on an address other machines reach asks the browser for this
    secret; empty: desk is served on this machine only (127.0.0.1)."""

    secret: str


@dataclass(frozen=True)
class Config:
    """The whole configuration, one typed section per table of the file; ``path`` and the
    source text stay so that a later check (the roster's) can still name the line at fault."""

    center: CenterConfig
    ui: UiConfig
    hours: HoursConfig
    targets: TargetsConfig
    commission: CommissionConfig
    pay: PayConfig
    recordings: RecordingsConfig
    signin: SigninConfig
    backup: BackupConfig
    files: FilesConfig
    serve: ServeConfig
    path: Path | None = None
    exists: bool = False
    _source: str = field(default="", repr=False, compare=False)

    def where(self, *path: str) -> str:
        """``file:line`` of a key of this config, for a message about it."""
        return f"{self.path}:{_line_of(self._source, *path)}"

    def staff_target_problems(self, roster: Iterable[tuple[str, str | None]]) -> list[str]:
        """What is wrong with the names of ``[targets.staff]`` against the roster's (name,
        English name) pairs, one line each: the loader cannot see the roster, the data layer
        (:func:`desk.dal.targets.problems`) and ``desk config`` pass it in."""
        from desk.i18n import t
        from desk.rules.targets import table_owners

        people = list(roster)
        problems = []
        for key, owners in table_owners(self.targets.staff, people).items():
            table = toml_key("targets", "staff", key)
            if len(owners) > 1:
                problems.append(t("targets.err_several", where=self.where("targets", "staff", key), table=table,
                                  names=", ".join(owners)))
            elif not owners:
                shadowed = next((n for n, e in people if e and e.casefold() == key.casefold()), None)
                if shadowed:
                    problems.append(t("targets.err_twice", where=self.where("targets", "staff", key), table=table,
                                      name=shadowed, own=toml_key("targets", "staff", shadowed)))
                else:
                    problems.append(t("targets.err_unknown", where=self.where("targets", "staff", key), table=table, name=key))
        return problems

    def center_name_for(self, lang: str) -> str:
        return self.center.name if lang.startswith("zh") else self.center.name_en or self.center.name

    def greeting(self, lang: str) -> str:
        template = self.center.greeting_zh if lang.startswith("zh") else self.center.greeting_en
        return template.format(center=self.center_name_for(lang))

    def directions(self, lang: str) -> str:
        return self.center.directions_zh if lang.startswith("zh") else self.center.directions_en


def _typed(values: dict[str, dict[str, Any]], path: Path | None, exists: bool, source: str = "") -> Config:
    """The checked values as a :class:`Config`: times, dates and the time zone parsed once here."""
    center, hours, targets = values["center"], values["hours"], values["targets"]
    staff = {name: MappingProxyType(dict(own)) for name, own in targets.get("staff", {}).items()}
    return Config(
        center=CenterConfig(**{**center, "timezone": ZoneInfo(center["timezone"])}),
        ui=UiConfig(**values["ui"]),
        hours=HoursConfig(
            open=time.fromisoformat(hours["open"]),
            close=time.fromisoformat(hours["close"]),
            working_days=frozenset(hours["working_days"]),
            holidays=frozenset(date.fromisoformat(d) for d in hours["holidays"]),
        ),
        targets=TargetsConfig(**{**targets, "staff": MappingProxyType(staff)}),
        commission=CommissionConfig(tiers=tuple((lower, rate) for lower, rate in values["commission"]["tiers"])),
        pay=PayConfig(**{**values["pay"], "base_steps": tuple((lower, salary) for lower, salary in values["pay"]["base_steps"])}),
        recordings=RecordingsConfig(**values["recordings"]),
        signin=SigninConfig(lock_after_minutes=values["signin"]["lock_after_minutes"],
                            os_users=MappingProxyType(dict(values["signin"]["os_users"]))),
        backup=BackupConfig(**values["backup"]),
        files=FilesConfig(**values["files"]),
        serve=ServeConfig(**values["serve"]),
        path=path,
        exists=exists,
        _source=source,
    )


def _defaults() -> dict[str, dict[str, Any]]:
    with (data_dir() / "config.default.toml").open("rb") as fh:
        return tomllib.load(fh)


def load(path: Path | None) -> Config:
    """Defaults, overlaid by ``path`` if it exists; every value checked against its default.

    The center's ``[files] group`` becomes the process's (:func:`desk.permissions.share_with`):
    the files desk writes for this center from now on are that group's.
    """
    config = _load(path)
    from desk.permissions import share_with

    share_with(config.files.group)
    return config


def _load(path: Path | None) -> Config:
    values = _defaults()
    if path is None or not path.exists():
        return _typed(values, path, exists=False)
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
            raise ConfigError(f"{path}:{_line_of(source, section)}: unknown section [{section}]")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}:{_line_of(source, section)}: {section} must be a [section]")
        for key, value in table.items():
            if (section, key) == ("targets", "staff"):
                _check_staff_targets(path, source, value)
                values[section][key] = value
                continue
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
    _check_invitation_range(path, source, values["targets"], user.get("targets", {}))
    return _typed(values, path, exists=True, source=source)


def _check(section: str, key: str, value: Any, default: Any) -> str | None:
    """Why ``value`` cannot stand in for ``default``, or None when it can."""
    if section == "targets" and key in DAILY_KEYS:
        return _count_problem(value)
    if isinstance(default, bool) or isinstance(value, bool):
        if type(value) is not type(default):
            return f"must be true or false, not {value!r}"
    elif isinstance(default, (int, float)) and not isinstance(value, (int, float)):
        return f"must be a number, not {value!r}"
    elif isinstance(default, str) and not isinstance(value, str):
        return f"must be text in quotes, not {value!r}"
    elif isinstance(default, list) and not isinstance(value, list):
        return f"must be a list, not {value!r}"
    if (section, key) == ("signin", "os_users") and not (
        isinstance(value, dict) and all(isinstance(v, str) and v.strip() for v in value.values())
    ):
        return 'must be a table of os login = "staff name"'
    if (section, key) == ("signin", "lock_after_minutes") and (not isinstance(value, int) or value < 0):
        return f"must be a whole number of minutes, 0 (never) or more, not {value!r}"
    if (section, key) == ("backup", "keep") and (not isinstance(value, int) or value < 1):
        return f"must be a whole number of backups, 1 or more, not {value!r}"
    if (section, key) == ("files", "group") and not re.fullmatch(r"[A-Za-z0-9_.][A-Za-z0-9_.-]*\$?|", value):
        return f'must be the name of a group of this computer like "desk", or "" for none, not {value!r}'
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
        from zoneinfo import ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            return f'is not a known time zone like "Asia/Shanghai": {value!r}'
    if (section, key) == ("commission", "tiers"):
        ok = all(isinstance(t, list) and len(t) == 2 and all(isinstance(x, (int, float)) for x in t) for t in value)
        if not ok or [t[0] for t in value] != sorted(t[0] for t in value) or not value:
            return "must be [[from_yuan, rate], ...] in ascending order"
    return _pay_problem(section, key, value)


def _pay_problem(section: str, key: str, value: Any) -> str | None:
    """``[pay]``: amounts and days the month-end can compute with (docs/domain.md §10, §11.1)."""
    if section != "pay":
        return None
    if key == "window_days" and (not isinstance(value, int) or value < 0):
        return f"must be a whole number of days, 0 or more, not {value!r}"
    if key == "team_deadline_day" and (not isinstance(value, int) or not 1 <= value <= 31):
        return f"must be a day of the month, 1 to 31, not {value!r}"
    if key in ("team_rate", "team_rate_late") and not 0 <= value <= 1:
        return f"must be a fraction from 0 to 1 (0.01 is 1%), not {value!r}"
    if key in ("center_target", "base_salary") and value < 0:
        return f"must be 0 or more yuan, not {value!r}"
    if key == "base_steps":
        ok = all(isinstance(s, list) and len(s) == 2 and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in s)
                 for s in value)
        if not ok or [s[1] for s in sorted(value)] != sorted(s[1] for s in value):
            return "must be [[quarter_sales_from, base_salary], ...], a higher step paying no less"
    return None


def _count_problem(value: Any) -> str | None:
    """A daily target is a count of calls, contacts or forms (docs/domain.md §7.5)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be a whole number, not {value!r}"
    if value < 0:
        return f"must be 0 or more, not {value}"
    return None


def _check_staff_targets(path: Path, source: str, staff: Any) -> None:
    """``[targets.staff."王芳"]`` tables: a name, and only daily targets as whole numbers.
    Whether the name is someone on the staff is the data layer's to say (it knows the roster)."""
    if not isinstance(staff, dict):
        raise ConfigError(
            f'{path}:{_line_of(source, "targets", "staff")}: targets.staff must hold one table per person, '
            f'like [targets.staff."王芳"]'
        )
    for name, table in staff.items():
        where, key = f"{path}:{_line_of(source, 'targets', 'staff', name)}", toml_key("targets", "staff", name)
        if not name.strip():
            raise ConfigError(f"{where}: {key} needs a staff member's name")
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: {key} must be a table of targets, like [{key}] then invitation_calls_min = 3")
        for target, value in table.items():
            where = f"{path}:{_line_of(source, 'targets', 'staff', name, target)}"
            if target not in DAILY_KEYS:
                why = (
                    "the monthly target is not set per person (a new consultant has [targets] monthly_sales_new)"
                    if target.startswith("monthly_sales") else f"a person's own targets are {', '.join(DAILY_KEYS)}"
                )
                raise ConfigError(f"{where}: unknown key {key}.{toml_key(target)}: {why}")
            problem = _count_problem(value)
            if problem:
                raise ConfigError(f"{where}: {key}.{target} {problem}")


def _check_invitation_range(path: Path, source: str, targets: dict[str, Any], user: dict[str, Any]) -> None:
    """At least as many invitation calls as at most, for the center and for each person, whose
    own minimum may meet the center's maximum (or the other way round): the line at fault is
    the one the file set."""
    lo, hi = targets["invitation_calls_min"], targets["invitation_calls_max"]
    if lo > hi:
        key = "invitation_calls_min" if "invitation_calls_min" in user else "invitation_calls_max"
        raise ConfigError(
            f"{path}:{_line_of(source, 'targets', key)}: targets.invitation_calls_min {lo} is above "
            f"targets.invitation_calls_max {hi}"
        )
    for name, own in targets.get("staff", {}).items():
        mine = daily_targets(targets, name)
        if mine.invitation_calls_min > mine.invitation_calls_max:
            key = "invitation_calls_min" if "invitation_calls_min" in own else "invitation_calls_max"
            table = toml_key("targets", "staff", name)

            def said(k: str, value: int, table: str = table, own: dict = own) -> str:
                return f"{table}.{k} {value}" if k in own else f"targets.{k} {value} (the center's)"

            raise ConfigError(
                f"{path}:{_line_of(source, 'targets', 'staff', name, key)}: "
                f"{said('invitation_calls_min', mine.invitation_calls_min)} is above "
                f"{said('invitation_calls_max', mine.invitation_calls_max)}"
            )


_BARE = re.compile(r"[A-Za-z0-9_-]+")
_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"^\[\[?\s*({_DOTTED})\s*\]")
_ASSIGN = re.compile(rf"^({_DOTTED})\s*=")


def toml_key(*parts: str) -> str:
    """A dotted key as it is written in TOML: ``targets.staff."王芳"``."""
    return ".".join(p if _BARE.fullmatch(p) else '"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in parts)


def _key_parts(dotted: str) -> tuple[str, ...] | None:
    """The parts of a dotted key as written (``a."b c".d``), read the way TOML reads them."""
    try:
        table: Any = tomllib.loads(f"{dotted} = 0")
    except tomllib.TOMLDecodeError:
        return None
    parts = []
    while isinstance(table, dict):
        ((key, table),) = table.items()
        parts.append(key)
    return tuple(parts)


def _line_of(source: str, *path: str) -> int:
    """The 1-based line where the key ``path`` (section, key, ...) is set or its table opens,
    however the file spells it (``[targets.staff."王芳"]``, a dotted key, an inline table);
    else the line of the nearest table around it that the file names; else 1."""
    best, best_length = 1, 0
    current: tuple[str, ...] = ()
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        header = _HEADER.match(stripped)
        key = header or _ASSIGN.match(stripped)
        if key is None:
            continue
        parts = _key_parts(key.group(1))
        if parts is None:
            continue
        full = parts if header else current + parts
        if header:
            current = parts
        if full == path:
            return number
        if best_length < len(full) <= len(path) and path[: len(full)] == full:
            best, best_length = number, len(full)
    return best
