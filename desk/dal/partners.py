"""Channel partners (渠道, docs/domain.md §6.4): the list that grows as it is used.

Nobody keeps the list by hand: a name typed on a call, a visit or a lead is added by the
writer that saves it (:func:`ensure_partner`, inside that writer's transaction), and a name
that is already there in another case or width ("ABC学校", "abc学校", "ＡＢＣ学校") is that
partner, so the reports never split one school in two. The manager fixes a misspelt name
with :func:`rename_partner`; ``desk partner`` is the command line of all this.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session, col

from desk.dal.ids import pk
from desk.dal.ownership import is_manager
from desk.dal.store import Store, apply_changes, existing
from desk.errors import FieldError
from desk.models import Call, Lead, Staff, Visit
from desk.models.partner import PARTNER_KINDS, Partner

NAME_MAX = 100  # Partner.name's column


def clean_name(name: str | None) -> str:
    """The name as it is kept: trimmed, runs of spaces made one."""
    return " ".join((name or "").split())


def name_key(name: str) -> str:
    """What makes two spellings one partner: the same letters whatever their case or width
    (NFKC folds full-width Ｌａｔｉｎ and digits into ASCII) and spacing."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return clean_name(folded)


def _check(name: str, kind: str) -> str:
    name = clean_name(name)
    if not name:
        raise FieldError("partner", "partners.err_empty")
    if len(name) > NAME_MAX:
        raise FieldError("partner", "partners.err_long", n=NAME_MAX)
    if kind not in PARTNER_KINDS:
        raise FieldError("kind", "partners.err_kind", kinds=", ".join(PARTNER_KINDS))
    return name


def find_partner(session: Session, name: str) -> Partner | None:
    """The partner ``name`` is a spelling of, if any. The list is a few hundred names at
    most, so it is read whole: no index folds case and width on both SQLite and PostgreSQL."""
    key = name_key(name)
    return next((p for p in session.execute(select(Partner)).scalars() if name_key(p.name) == key), None)


def ensure_partner(session: Session, store: Store, name: str | None, kind: str = "other") -> Partner | None:
    """The partner called ``name``, added to the list when it is new (inside the caller's
    write transaction, with its audit row); None for a blank name."""
    if name is None or not clean_name(name):
        return None
    name = _check(name, kind)
    found = find_partner(session, name)
    if found is not None:
        return found
    partner = Partner(name=name, kind=kind, created_at=store.now())
    session.add(partner)
    store.audit(session, "create", partner)
    return partner


def ensure_partner_id(session: Session, store: Store, name: str | None) -> int | None:
    """:func:`ensure_partner`'s id, for a writer that stores the reference."""
    partner = ensure_partner(session, store, name)
    return partner.id if partner is not None else None


def inherit(session: Session, store: Store, lead: Lead | None, partner_id: int | None) -> None:
    """A lead reached through a partner's call or visit gets that partner, unless it already
    has one (the first partner that sent them keeps the credit)."""
    if lead is None or partner_id is None or lead.partner_id is not None:
        return
    changes = apply_changes(lead, {"partner_id": partner_id})
    session.add(lead)
    store.audit(session, "partner", lead, changes)


# ----- reading the list -------------------------------------------------------------------------
@dataclass(frozen=True)
class PartnerRow:
    id: int
    name: str
    kind: str
    calls: int
    visits: int
    leads: int

    @property
    def uses(self) -> int:
        return self.calls + self.visits + self.leads


def _uses(session: Session, model) -> Counter[int]:
    column = col(model.partner_id)
    rows = session.execute(select(column, func.count()).where(column.is_not(None)).group_by(column)).all()
    return Counter({pid: n for pid, n in rows})


def list_partners(store: Store) -> list[PartnerRow]:
    """Every partner with how many calls, visits and leads name it: the most used first,
    then by name."""
    with store.read() as session:
        partners = list(session.execute(select(Partner)).scalars())
        calls, visits, leads = (_uses(session, model) for model in (Call, Visit, Lead))
    rows = [PartnerRow(pk(p), p.name, p.kind, calls[pk(p)], visits[pk(p)], leads[pk(p)]) for p in partners]
    return sorted(rows, key=lambda r: (-r.uses, name_key(r.name)))


def partner_names(store: Store, prefix: str = "") -> list[str]:
    """The names to suggest as one types, the most used first; ``prefix`` in any case or width."""
    key = name_key(prefix)
    return [row.name for row in list_partners(store) if name_key(row.name).startswith(key)]


# ----- changing it ------------------------------------------------------------------------------
def add_partner(store: Store, name: str, kind: str = "other") -> Partner:
    """Add a partner ahead of its first call; a name already listed (in any spelling) is refused."""
    name = _check(name, kind)
    with store.write() as session:
        found = find_partner(session, name)
        if found is not None:
            raise FieldError("partner", "partners.err_exists", name=found.name)
        partner = ensure_partner(session, store, name, kind)
        assert partner is not None  # the name is not blank
        return partner


def rename_partner(store: Store, old: str, new: str) -> Partner:
    """The manager corrects a partner's name (every call, visit and lead follows, they hold its
    id). A new name that is another partner's is refused: that would be a merge."""
    with store.write() as session:
        actor = session.get(Staff, store.actor_id) if store.actor_id else None
        if not is_manager(actor):
            raise FieldError("actor", "partners.err_not_manager")
        partner = find_partner(session, old)
        if partner is None:
            raise FieldError("old", "partners.err_unknown", name=clean_name(old))
        name = _check(new, partner.kind)
        other = find_partner(session, name)
        if other is not None and other.id != partner.id:
            raise FieldError("new", "partners.err_exists", name=other.name)
        changes = apply_changes(partner, {"name": name})
        if changes:
            session.add(partner)
            store.audit(session, "rename", partner, changes)
        return partner


def set_lead_partner(store: Store, lead_id: int, name: str | None, by: int | None) -> Lead:
    """Set (or, with a blank name, clear) the partner of a lead, as ``by`` decided: unlike a
    call's partner, which only fills a lead that has none, this replaces it."""
    store = store.with_actor(by)
    with store.write() as session:
        lead = existing(session, Lead, lead_id)
        changes = apply_changes(lead, {"partner_id": ensure_partner_id(session, store, name)})
        if changes:
            lead.updated_at = store.now()
            session.add(lead)
            store.audit(session, "partner", lead, changes)
        return lead


# ----- the reports ------------------------------------------------------------------------------
@dataclass(frozen=True)
class PartnerFigures:
    """What one partner brought in a period (the reports' "by channel partner")."""

    name: str
    kind: str
    calls: int  # calls that named the partner
    visits: int  # visits that named the partner
    new_leads: int  # leads of the partner first contacted in the period
    valid_leads: int  # ... of them found valid
    enrollments: int  # enrollments in the period of the partner's leads


def figures(session: Session, counts: dict[int, tuple[int, int, int, int, int]]) -> list[PartnerFigures]:
    """The partners of ``counts`` (partner id -> calls, visits, new leads, valid leads,
    enrollments: ``desk.dal.reports.partner_counts`` of a period, read with the report's
    other figures) with their names, the most new leads first, then by name."""
    if not counts:
        return []
    names = select(col(Partner.id), col(Partner.name), col(Partner.kind)).where(col(Partner.id).in_(list(counts)))
    rows = [PartnerFigures(name, kind, *counts[i]) for i, name, kind in session.execute(names).all()]
    return sorted(rows, key=lambda r: (-r.new_leads, -r.calls - r.visits, name_key(r.name)))
