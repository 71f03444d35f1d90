"""Leads: creating, merging by phone (one phone, one lead), search keys and validity."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, func, select

from desk.dal.store import Store, apply_changes
from desk.models import Call, ConsultNote, Lead
from desk.search_keys import name_keys, other_name_keys, phone_digits

# The Lead fields check_lead reads (docs/domain.md §12.1), besides channel/age/education.
_FACT_FIELDS = (
    "it_related",
    "non_computer_only",
    "has_contact",
    "phone_contacted",
    "brought_in_person",
    "came_after_questionnaire",
)

# Not merged into another lead (desk.dal.merge: the lead it went into answers for it). Written
# so that no index answers it (ids start at 1): as "merged_into_id IS NULL", true of nearly
# every lead, SQLite read the leads through ix_lead_merged_into_id instead of the range the
# query is about, 50-450 ms a keystroke on 200,000 leads in the caller lookup.
LIVE = func.coalesce(col(Lead.merged_into_id), 0) == 0


def refresh_keys(lead: Lead) -> None:
    """Keep the lookup keys in step with the name and phone."""
    lead.phone_digits = phone_digits(lead.phone)
    lead.name_pinyin, lead.name_initials = name_keys(lead.name or "")
    lead.name_pinyin_other, lead.name_initials_other = other_name_keys(lead.name or "")


def get_lead(store: Store, lead_id: int) -> Lead | None:
    with store.read() as session:
        return session.get(Lead, lead_id)


def lead_by_phone(store: Store, e164: str) -> Lead | None:
    """The lead with this number (E.164), if any."""
    with store.read() as session:
        return find_by_phone(session, e164)


def find_by_phone(session: Session, e164: str | None) -> Lead | None:
    if not e164:
        return None
    return session.exec(select(Lead).where(col(Lead.phone) == e164)).first()


def new_lead(session: Session, store: Store, **values: Any) -> Lead:
    """Add a lead inside an open write transaction (with its audit row)."""
    values.setdefault("first_contact_at", store.now())
    values.setdefault("created_at", store.now())
    values.setdefault("updated_at", store.now())
    values["has_contact"] = values.get("has_contact") or bool(values.get("phone"))
    lead = Lead(**values)
    refresh_keys(lead)
    session.add(lead)
    store.audit(session, "create", lead)
    return lead


def merge_into(session: Session, store: Store, lead: Lead, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Fill what ``lead`` does not know yet from ``values``; never overwrite a known fact."""
    fill = {}
    for key, value in values.items():
        if value in (None, "", "unknown", False):
            continue
        current = getattr(lead, key)
        if current in (None, "", "unknown", False):
            fill[key] = value
    changes = apply_changes(lead, fill)
    if changes:
        lead.updated_at = store.now()
        refresh_keys(lead)
        store.audit(session, "merge", lead, changes)
    return changes


def lead_facts(session: Session, lead: Lead) -> dict[str, Any]:
    """The keyword arguments of ``check_lead`` for this lead, read from its row and calls."""
    # A recording of a call of the lead, or of a phone consult noted on it (docs/domain.md §2.8).
    has_recording = (
        session.exec(select(col(Call.id)).where(col(Call.lead_id) == lead.id, col(Call.recording_ref).is_not(None))).first()
        is not None
        or session.exec(
            select(col(ConsultNote.id)).where(col(ConsultNote.lead_id) == lead.id, col(ConsultNote.kind) == "phone",
                                              col(ConsultNote.recording_ref).is_not(None))
        ).first()
        is not None
    )
    facts: dict[str, Any] = {
        "channel": lead.channel,
        "age": lead.age,
        "education": lead.education or "unknown",
        "has_recording": has_recording,
        "first_call_result": lead.first_call_result or "connected",
        # a consultant's mark counts unless a check overruled it (§4.5); "invalid" counts once upheld
        "is_repeat": lead.flag == "repeat" and lead.flag_verdict != "overruled",
        "checked_invalid": lead.flag == "invalid" and lead.flag_verdict == "upheld",
    }
    facts.update({name: bool(getattr(lead, name)) for name in _FACT_FIELDS})
    return facts


def evaluate(session: Session, store: Store, lead: Lead):
    """Run the validity rules on ``lead`` and store the verdict with every failed reason."""
    from desk.rules.leads import check_lead

    verdict = check_lead(**lead_facts(session, lead))
    changes = apply_changes(
        lead,
        {
            "valid": verdict.valid,
            "validity_reasons": json.dumps(list(verdict.reasons)),
            "counted_as": verdict.counted_as,
        },
    )
    if changes:
        store.audit(session, "validity", lead, changes)
    return verdict

