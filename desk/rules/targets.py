"""A person's daily activity targets, docs/domain.md §7.5: the center's, or the ones a manager set
for them.

"Daily activity targets a manager may configure per consultant: 2–5 invitation calls to
interested leads, 2+ contacts per street promotion, 10+ forms per event." The center's
numbers are ``[targets]`` in the config; a manager gives one person their own in a table
``[targets.staff."王芳"]`` that names only what differs (a new consultant lower, a senior
one higher); every key it leaves out is the center's.

The table is named by the person as the center knows them, ``Staff.name``; a person with an
English name may be named by it instead, in any case (``[targets.staff.fang]``), because a
manager who types the config in English writes it so. When both name one person the table
under ``Staff.name`` is the one used (the data layer reports the pair, see
:func:`table_owners`). Pure: the config's ``[targets]`` values in, the numbers out; the
config loader checks the values, the data layer checks the names against the roster.

    center = {"invitation_calls_min": 2, "invitation_calls_max": 5, "street_promotion_contacts": 2,
              "event_forms": 10, "staff": {"王芳": {"invitation_calls_min": 3}}}
    daily_targets(center, "王芳").invitation_calls_min   # -> 3, her own
    daily_targets(center, "王芳").invitation_calls_max   # -> 5, the center's
    daily_targets(center, "赵强") == daily_targets(center)  # -> True: no table of his own
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from desk.rules.outreach import target_key

__all__ = ["DAILY_KEYS", "DailyTargets", "daily_targets", "own_targets", "table_name", "table_owners"]

# The keys of [targets] a person may have their own value of; the monthly sales target is
# not one: it follows ``Staff.is_new`` (docs/domain.md §10.2, ``monthly_sales_new``).
DAILY_KEYS = ("invitation_calls_min", "invitation_calls_max", "street_promotion_contacts", "event_forms")


@dataclass(frozen=True)
class DailyTargets:
    invitation_calls_min: int
    invitation_calls_max: int
    street_promotion_contacts: int  # new contacts per street promotion, "2+"
    event_forms: int  # forms per other activity (talk, fair, event), "10+"

    def for_kind(self, kind: str) -> int:
        """The floor an outreach activity of ``kind`` is judged against (contacts or forms)."""
        floor: int = getattr(self, target_key(kind))
        return floor


def table_name(staff: Mapping[str, Any], name: str, english_name: str | None = None) -> str | None:
    """Which table of ``[targets.staff]`` is this person's: their name, else their English name
    in any case; None when they have none."""
    if name in staff:
        return name
    if english_name:
        wanted = english_name.casefold()
        return next((key for key in staff if key.casefold() == wanted), None)
    return None


def daily_targets(targets: Mapping[str, Any], name: str | None = None, english_name: str | None = None) -> DailyTargets:
    """The daily targets of the person called ``name`` (``english_name``: theirs, if any), from
    the config's ``[targets]`` table; without a name, or for a person with no table of their
    own, the center's."""
    center = DailyTargets(**{k: int(targets[k]) for k in DAILY_KEYS})
    return own_targets(center, targets.get("staff") or {}, name, english_name)


def own_targets(
    center: DailyTargets, staff: Mapping[str, Mapping[str, Any]], name: str | None = None, english_name: str | None = None
) -> DailyTargets:
    """The center's daily targets with what the person's own table of ``staff`` changes (the
    typed config's ``[targets.staff]``); the center's for no name or a person with no table."""
    key = table_name(staff, name, english_name) if name is not None else None
    if key is None:
        return center
    return replace(center, **{k: int(v) for k, v in staff[key].items() if k in DAILY_KEYS})


def table_owners(staff: Mapping[str, Any], roster: Iterable[tuple[str, str | None]]) -> dict[str, list[str]]:
    """Each table of ``[targets.staff]`` with the names of the people it is used for, by
    :func:`table_name` over the roster's (name, English name) pairs: an empty list is a table
    no one gets (a name not on the staff, or an English name whose person has a table under
    their own name), more than one a name that means several people."""
    owners: dict[str, list[str]] = {key: [] for key in staff}
    for name, english_name in roster:
        key = table_name(staff, name, english_name)
        if key is not None:
            owners[key].append(name)
    return owners
