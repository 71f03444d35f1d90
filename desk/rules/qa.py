"""QA scoring of a consult (质检评分, docs/domain.md §11.4; the contract of §12.1).

A reviewer scores a consult (a call with its recording, or a face-to-face note) against a
rubric held as data, ``data/rules/qa_rubric.toml``: items with a maximum, named faults that
deduct 5 points each (not below 0) or set their item to 0, base items (product knowledge,
process) that take no bonus, two bonuses (+6, +5, both +5 in all) and fatal errors that make
the whole review 0 while the items keep their own scores for the record.

    s = score(items={"guidance": {"max": 10, "deducts": 1, "zeroed": False, "base": False}},
              bonuses=["structured_guidance"], fatal=False)
    s.total, s.items, s.bonus                  # 11, {"guidance": 5}, 6
    default_rubric().review(faults=["unanswered_minute"], bonuses=[], fatal=[]).total   # 95

:func:`score` is the contract's function over plain item dicts; :meth:`Rubric.review` builds
those dicts from the fault names a reviewer ticked, which is what a screen stores.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = [
    "DEDUCT",
    "ZERO",
    "Bonus",
    "Fatal",
    "Fault",
    "Item",
    "QaScore",
    "Rubric",
    "default_rubric",
    "load_rubric",
    "score",
]

DEDUCT = "deduct"  # a fault that takes the rubric's deduct_points from its item
ZERO = "zero"  # a fault that sets its item to 0
_ITEM_KEYS = frozenset({"max", "deducts", "zeroed", "base"})


@dataclass(frozen=True)
class _Labelled:
    name: str
    labels: Mapping[str, str]  # "zh" and "en"

    def label(self, lang: str = "zh") -> str:
        from desk.rules.sop import lang_code

        return self.labels[lang_code(lang)]


@dataclass(frozen=True)
class Fault(_Labelled):
    item: str
    kind: str  # DEDUCT or ZERO


@dataclass(frozen=True)
class Item(_Labelled):
    max: int
    base: bool
    faults: tuple[str, ...]


@dataclass(frozen=True)
class Bonus(_Labelled):
    points: int
    item: str  # the non-base item it rewards


@dataclass(frozen=True)
class Fatal(_Labelled):
    pass


@dataclass(frozen=True)
class QaScore:
    """One review: ``items`` each item's points, ``bonus`` the bonus points, ``fatal`` whether a
    fatal error zeroed it, ``total`` what the month report counts (0 when fatal)."""

    total: int
    items: Mapping[str, int]
    bonus: int
    fatal: bool


@dataclass(frozen=True)
class Rubric:
    deduct_points: int
    combined: int  # the bonus when more than one is present
    items: Mapping[str, Item]
    faults: Mapping[str, Fault]
    bonuses: Mapping[str, Bonus]
    fatal: Mapping[str, Fatal]

    @property
    def max_total(self) -> int:
        """The items' maxima added up: a review with no fault and no bonus."""
        return sum(item.max for item in self.items.values())

    def bonus_points(self, names: Iterable[str]) -> int:
        """The bonus for the bonuses present: its points for one, ``combined`` for more."""
        present = set(names)
        unknown = present - set(self.bonuses)
        if unknown:
            raise ValueError(
                f"unknown QA bonus {', '.join(sorted(unknown))}; known: {', '.join(self.bonuses)}"
            )
        if not present:
            return 0
        if len(present) == 1:
            return self.bonuses[present.pop()].points
        return self.combined

    def items_for(self, faults: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The :func:`score` input for every item of the rubric, from the names of the faults
        found (a deducting fault found twice deducts twice)."""
        found = Counter(faults)
        unknown = set(found) - set(self.faults)
        if unknown:
            raise ValueError(f"unknown QA fault {', '.join(sorted(unknown))}")
        return {
            name: {
                "max": item.max,
                "deducts": sum(found[f] for f in item.faults if self.faults[f].kind == DEDUCT),
                "zeroed": any(found[f] for f in item.faults if self.faults[f].kind == ZERO),
                "base": item.base,
            }
            for name, item in self.items.items()
        }

    def review(
        self, faults: Iterable[str] = (), bonuses: Iterable[str] = (), fatal: Iterable[str] = ()
    ) -> QaScore:
        """Score a review given by names: the faults, bonuses and fatal errors the reviewer found."""
        fatal_found = set(fatal)
        unknown = fatal_found - set(self.fatal)
        if unknown:
            raise ValueError(f"unknown QA fatal error {', '.join(sorted(unknown))}")
        return score(self.items_for(faults), bonuses, bool(fatal_found), rubric=self)


def _count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} is a whole number, 0 or more, not {value!r}")
    return value


def _flag(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{what} is true or false, not {value!r}")
    return value


def score(
    items: Mapping[str, Mapping[str, Any]],
    bonuses: Iterable[str] = (),
    fatal: bool = False,
    *,
    rubric: Rubric | None = None,
) -> QaScore:
    """Score one review (§11.4): each item ``max - 5 * deducts``, not below 0, and 0 when
    ``zeroed``; the bonus by the rubric (default: the shipped one: 6 for
    ``structured_guidance``, 5 for ``effective_questioning``, 5 for both); the total is the
    items plus the bonus, or 0 when ``fatal``.

    ``items`` maps an item name to ``{"max", "deducts", "zeroed", "base"}`` (``deducts``
    defaults to 0, the flags to False). An unknown bonus, or a bonus for an item given as a
    base item (base items take no bonus), raises ``ValueError``.
    """
    rules = rubric if rubric is not None else default_rubric()
    present = set(bonuses)
    bonus = rules.bonus_points(present)
    points: dict[str, int] = {}
    for name, spec in items.items():
        extra = set(spec) - _ITEM_KEYS
        if extra:
            raise ValueError(f"QA item {name!r} has unknown keys {', '.join(sorted(extra))}")
        top = _count(spec.get("max"), f"{name}.max")
        deducts = _count(spec.get("deducts", 0), f"{name}.deducts")
        zeroed = _flag(spec.get("zeroed", False), f"{name}.zeroed")
        _flag(spec.get("base", False), f"{name}.base")
        points[name] = 0 if zeroed else max(top - rules.deduct_points * deducts, 0)
    for name in present:
        item = rules.bonuses[name].item
        if item in items and items[item].get("base", False):
            raise ValueError(
                f"the bonus {name!r} rewards {item!r}, a base item, and base items take no bonus"
            )
    total = 0 if fatal else sum(points.values()) + bonus
    return QaScore(total=total, items=MappingProxyType(points), bonus=bonus, fatal=bool(fatal))


# ---- the rubric as data --------------------------------------------------------------------


def _table(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise ValueError(f"{where}: [{key}] must be a table")
    return value


def _keys(spec: object, allowed: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(spec, dict):
        raise ValueError(f"{where} must be a table")
    extra = set(spec) - allowed
    if extra:
        raise ValueError(f"{where}: unknown keys {', '.join(sorted(extra))}")
    return spec


def _labels(spec: Mapping[str, Any], where: str) -> Mapping[str, str]:
    labels = {lang: spec.get(lang) for lang in ("zh", "en")}
    if not all(isinstance(v, str) and v.strip() for v in labels.values()):
        raise ValueError(f"{where} needs a zh and an en label")
    return MappingProxyType(labels)  # type: ignore[arg-type]  # checked to be str just above


def _positive(value: object, what: str) -> int:
    number = _count(value, what)
    if number == 0:
        raise ValueError(f"{what} must be more than 0")
    return number


def load_rubric(path: Path | str) -> Rubric:
    """Load and check a rubric: every key known, labels in both languages, positive points,
    fault names unique across items, each bonus rewarding a non-base item."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    _keys(data, {"deduct_points", "combined", "items", "bonuses", "fatal"}, str(path))
    items: dict[str, Item] = {}
    faults: dict[str, Fault] = {}
    for name, raw in _table(data, "items", str(path)).items():
        where = f"{path}: item {name!r}"
        spec = _keys(raw, {"max", "base", "zh", "en", "faults"}, where)
        for fault_name, fault_raw in _table(spec, "faults", where).items():
            fault_where = f"{where} fault {fault_name!r}"
            fault = _keys(fault_raw, {"kind", "zh", "en"}, fault_where)
            if fault_name in faults:
                raise ValueError(f"{fault_where}: the name is used by item {faults[fault_name].item!r} too")
            if fault.get("kind") not in (DEDUCT, ZERO):
                raise ValueError(f"{fault_where}: kind is {DEDUCT!r} or {ZERO!r}")
            faults[fault_name] = Fault(fault_name, _labels(fault, fault_where), name, fault["kind"])
        item_faults = tuple(f for f in faults if faults[f].item == name)
        items[name] = Item(
            name,
            _labels(spec, where),
            _positive(spec.get("max"), f"{where} max"),
            _flag(spec.get("base"), f"{where} base"),
            item_faults,
        )
    if not items:
        raise ValueError(f"{path}: the rubric has no items")
    bonuses: dict[str, Bonus] = {}
    for name, raw in _table(data, "bonuses", str(path)).items():
        where = f"{path}: bonus {name!r}"
        spec = _keys(raw, {"points", "item", "zh", "en"}, where)
        item = items.get(spec.get("item"))  # type: ignore[arg-type]  # a wrong type finds no item
        if item is None:
            raise ValueError(f"{where}: unknown item {spec.get('item')!r}")
        if item.base:
            raise ValueError(f"{where}: {item.name!r} is a base item, and base items take no bonus")
        bonuses[name] = Bonus(
            name, _labels(spec, where), _positive(spec.get("points"), f"{where} points"), item.name
        )
    fatal = {
        name: Fatal(
            name, _labels(_keys(raw, {"zh", "en"}, f"{path}: fatal {name!r}"), f"{path}: fatal {name!r}")
        )
        for name, raw in _table(data, "fatal", str(path)).items()
    }
    if not fatal:
        raise ValueError(f"{path}: the rubric has no fatal errors")
    return Rubric(
        deduct_points=_positive(data.get("deduct_points"), f"{path}: deduct_points"),
        combined=_positive(data.get("combined"), f"{path}: combined"),
        items=MappingProxyType(items),
        faults=MappingProxyType(faults),
        bonuses=MappingProxyType(bonuses),
        fatal=MappingProxyType(fatal),
    )


@cache
def default_rubric() -> Rubric:
    """The shipped rubric, ``data/rules/qa_rubric.toml``, loaded once."""
    from desk.paths import data_dir

    return load_rubric(data_dir() / "rules" / "qa_rubric.toml")
