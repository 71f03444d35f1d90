"""Outdoor promotion (docs/domain.md §6.2, §4.3, §5.3, §7.5): which daily target an activity counts for.

Leads collected at a campus talk, a job fair, in the street or at any other event are
``outdoor`` leads: they belong to the consultant who collected them, or go to the market
rotation when anyone else did (§5.3, ``rotation.route("outdoor", collector=..., collector_role=...)``), and count as walk-ins once valid (§4.3, ``leads.check_lead``).

The daily targets a manager sets per consultant (§7.5) are "2+ contacts per street
promotion" and "10+ forms per event": a street promotion is judged on the contacts its
consultant collected there, every other kind (campus talk, job fair, event) on the forms.
The numbers themselves are configuration (``[targets] street_promotion_contacts`` and
``event_forms``), so they are passed in.

    target_key("street_promotion")     # -> "street_promotion_contacts"
    target_key("job_fair")             # -> "event_forms"
    meets(3, 2)                        # -> True: 3 contacts against "2+"
"""

from __future__ import annotations

__all__ = ["KINDS", "STREET", "meets", "target_key"]

STREET = "street_promotion"
# Street promotion first: the one kind judged on contacts; the others are events (forms).
KINDS = (STREET, "campus_talk", "job_fair", "event")


def target_key(kind: str) -> str:
    """The ``[targets]`` key that a ``kind`` of activity is judged against (§7.5)."""
    if kind not in KINDS:
        raise ValueError(f"unknown outreach kind {kind!r}; expected one of {KINDS}")
    return "street_promotion_contacts" if kind == STREET else "event_forms"


def meets(count: int, target: int) -> bool:
    """A target of §7.5 is a floor ("2+", "10+"): reached when the count is at least it."""
    return count >= target
