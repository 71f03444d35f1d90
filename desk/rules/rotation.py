"""Who gets the lead (咨询量的分配制度), docs/domain.md §5.

    pick_consultant(order=["李", "王", "赵"], available={"王", "赵"},
                    counts={"李": 2, "王": 3, "赵": 3}, last="王")   # -> "赵"

Fair rotation, kept per pool (walk-ins, phone inquiries, valid market leads): among the
consultants who can take it now, the fewest assignments of that pool today; ties broken by the
fixed rotation order starting after the consultant assigned last. Duty needs no rule of its own:
whoever took extra work while alone on duty has the higher count and is skipped until the others
catch up.

:func:`explain` and :func:`describe` show the queue ("next: 李 (2 today), then 王 (2), 赵 (3)");
:func:`route` says whether the rotation applies to a lead at all, or who owns it (online
inquiries join the phone pool; outdoor leads collected by anyone but a consultant the market
pool).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "KINDS",
    "POOLS",
    "QueueEntry",
    "Routing",
    "describe",
    "explain",
    "pick_consultant",
    "pick_order",
    "route",
]

POOLS = ("walk_in", "phone", "market")


def _rank(order: Sequence[str], last: str | None) -> dict[str, int]:
    """Rotation position of everyone in ``order``, starting after ``last`` (from the top if
    ``last`` is None or not in ``order``)."""
    n = len(order)
    positions = {name: i for i, name in reversed(list(enumerate(order)))}  # first occurrence wins
    start = positions[last] + 1 if last is not None and last in positions else 0
    return {name: (i - start) % n for name, i in positions.items()}


def pick_order(
    order: Sequence[str],
    available: Iterable[str],
    counts: Mapping[str, int] | None,
    last: str | None,
) -> list[str]:
    """Every available consultant in the order the rotation would pick them now."""
    counts = counts or {}
    order = list(order)
    rank = _rank(order, last)
    n = len(order)
    pool = set(available)
    # In order: by (count, position after last). Not in order: after those who are, by name.
    return sorted(
        pool,
        key=lambda name: (
            counts.get(name, 0) or 0,
            0 if name in rank else 1,
            rank.get(name, n),
            name,
        ),
    )


def pick_consultant(
    order: Sequence[str],
    available: Iterable[str],
    counts: Mapping[str, int] | None,
    last: str | None,
) -> str | None:
    """The next consultant in the fair rotation, or None when nobody is available (§5.1)."""
    picked = pick_order(order, available, counts, last)
    return picked[0] if picked else None


@dataclass(frozen=True)
class QueueEntry:
    name: str
    count: int
    available: bool
    state: str
    position: int | None  # 1 = next; None when not available


def explain(
    order: Sequence[str],
    available: Iterable[str],
    counts: Mapping[str, int] | None,
    last: str | None,
    states: Mapping[str, str] | None = None,
) -> list[QueueEntry]:
    """Every consultant with today's count and state: the available ones first, in pick order,
    then the others (in rotation order, then by name). A consultant in ``counts`` or ``states``
    but not in ``order`` is listed too."""
    counts = counts or {}
    states = states or {}
    avail = set(available)
    picked = pick_order(order, avail, counts, last)
    entries = [
        QueueEntry(name, counts.get(name, 0) or 0, True, states.get(name, "free"), i + 1)
        for i, name in enumerate(picked)
    ]
    seen = set(picked)
    rest = [name for name in dict.fromkeys(order) if name not in seen]
    seen.update(rest)
    rest += sorted((set(counts) | set(states)) - seen)
    entries += [
        QueueEntry(name, counts.get(name, 0) or 0, False, states.get(name, "unavailable"), None)
        for name in rest
    ]
    return entries


_WORDS = {
    "en": {"next": "next: {name} ({count} today)", "then": "then", "sep": ", ", "item": "{name} ({count})", "none": "nobody is free"},
    "zh": {"next": "下一位：{name}（今天 {count} 个）", "then": "然后", "sep": "、", "item": "{name}（{count}）", "none": "暂无空闲的咨询师"},
}


def describe(
    order: Sequence[str],
    available: Iterable[str],
    counts: Mapping[str, int] | None,
    last: str | None,
    lang: str = "en",
    limit: int | None = None,
) -> str:
    """The queue in one line: ``next: 李 (2 today), then 王 (2), 赵 (3)`` /
    ``下一位：李（今天 2 个），然后 王（2）、赵（3）``."""
    from desk.rules.sop import lang_code

    words = _WORDS[lang_code(lang)]
    counts = counts or {}
    picked = pick_order(order, available, counts, last)
    if limit is not None:
        picked = picked[: max(limit, 1)]
    if not picked:
        return words["none"]
    head = words["next"].format(name=picked[0], count=counts.get(picked[0], 0) or 0)
    if len(picked) == 1:
        return head
    tail = words["sep"].join(words["item"].format(name=n, count=counts.get(n, 0) or 0) for n in picked[1:])
    sep = ", " if words is _WORDS["en"] else "，"
    return f"{head}{sep}{words['then']} {tail}"


# --------------------------------------------------------------------------------------------
# Owner rules: does the rotation apply, or who owns the lead?
# --------------------------------------------------------------------------------------------

# kind -> rotation pool (None: an owner rule decides)
KINDS: Mapping[str, str | None] = {
    # phone inquiries
    "phone": "phone",
    "first_inquiry": "phone",
    "proxy_inquiry": "phone",
    # walk-ins (§3.1: accompanied, group and channel-proxy visits are handled as walk-ins)
    "walk_in": "walk_in",
    "consult_walk_in": "walk_in",
    "accompanied": "walk_in",
    "group": "walk_in",
    "channel_proxy": "walk_in",
    # valid market leads
    "market": "market",
    # owner rules
    "repeat": None,
    "repeat_inquiry": None,
    "repeat_walk_in": None,
    "referral": None,
    "internal": None,
    "outdoor": None,  # the collector if a consultant, else the market rotation
    # online inquiries with a phone number (§6.1): rotated like a phone inquiry
    "online": "phone",
}


@dataclass(frozen=True)
class Routing:
    """Where a lead goes. ``rule`` is one of ``rotation`` (pick from ``pool``), ``owner``,
    ``fee_collector`` (referral/internal), ``collector`` (outdoor, collected by a consultant), ``on_behalf`` (the owner is
    away: a free consultant handles it, the lead stays ``owner``'s), ``free_consultant`` (a repeat
    caller whose first consultant can't be found: a free consultant who agrees takes it) or
    ``supervisor`` (outside these rules, §5.4: a manager assigns it)."""

    rule: str
    rotation: bool
    pool: str | None = None
    owner: str | None = None
    on_behalf: bool = False

    @property
    def needs_free_consultant(self) -> bool:
        return self.rule in ("on_behalf", "free_consultant")


def route(
    kind: str,
    *,
    owner: str | None = None,
    collector: str | None = None,
    collector_role: str = "consultant",
    fee_consultant: str | None = None,
    owner_available: bool = True,
    has_phone: bool = True,
) -> Routing:
    """Apply §5.3's owner rules to a lead of ``kind`` (a channel, call type or visitor type).

    * phone / walk-in / market: the fair rotation of that pool;
    * online, with a phone number (``has_phone``): the phone rotation, like a phone inquiry
      (the caller adds its ``callback`` follow-up, §6.1); without one, the supervisor;
    * repeat callers and visitors: their ``owner``;
    * referral / internal: ``fee_consultant``, the consultant in charge of the referring
      student's fee collection (no rotation);
    * outdoor: the ``collector`` who collected it at the event when ``collector_role`` is
      ``consultant``; collected by anyone else (marketing staff, a manager): the market rotation;
    * the owner away (``owner_available=False``): a free consultant handles it on the owner's
      behalf and the lead stays the owner's;
    * anything else (an owner missing): the supervisor decides.
    """
    kind = str(getattr(kind, "value", kind))
    if kind not in KINDS:
        raise ValueError(f"unknown lead kind {kind!r}; expected one of {tuple(KINDS)}")
    pool = KINDS[kind]
    if kind == "online" and not has_phone:  # nothing to call back: the supervisor decides
        return Routing("supervisor", False, owner=owner)
    if kind == "outdoor" and collector is not None and collector_role != "consultant":
        return Routing("rotation", True, pool="market")  # §5.3: only consultants keep what they collect
    if pool is not None:
        return Routing("rotation", True, pool=pool)
    if kind in ("repeat", "repeat_inquiry", "repeat_walk_in"):
        who, rule = owner, "owner"
        if who is None:
            return Routing("free_consultant", False)
    elif kind in ("referral", "internal"):
        who, rule = fee_consultant or owner, "fee_collector"
    else:  # outdoor, collected by a consultant
        who, rule = collector or owner, "collector"
    if who is None:
        return Routing("supervisor", False)
    if not owner_available:
        return Routing("on_behalf", False, owner=who, on_behalf=True)
    return Routing(rule, False, owner=who)
