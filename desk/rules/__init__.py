"""desk's rules: the center's standard operating procedure as pure functions and data.

No database, no UI, no network. The stable public API is docs/domain.md §12.1's:

    from desk.rules.calls import classify, CallType
    from desk.rules.leads import check_lead
    from desk.rules.rotation import pick_consultant, explain

Modules: ``calls`` (call types, question back, cues), ``tree`` (the yes/no decision tree),
``sop`` (script lines per call type, zh/en), ``leads`` (lead validity), ``rotation`` (who gets
the lead), ``followups`` (due times), ``commission`` (tiers and targets), ``pay`` (sales, team
bonus, base salary, grade warnings, levels), ``qa`` (scoring a consult), ``lexicon`` (the cue
words in ``data/lexicon``), ``recordings`` (which recording file is a call's), ``area`` (a
number's city against the center's). Importing this package imports none of them; names below load lazily.
"""

from __future__ import annotations

import importlib

_LAZY = {
    "CallType": "calls",
    "Classification": "calls",
    "classify": "calls",
    "confirm_question_for": "calls",
    "Verdict": "leads",
    "check_lead": "leads",
    "reason_text": "leads",
    "pick_consultant": "rotation",
    "explain": "rotation",
    "describe": "rotation",
    "route": "rotation",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'desk.rules' has no attribute {name!r}")
    return getattr(importlib.import_module(f"desk.rules.{module}"), name)
