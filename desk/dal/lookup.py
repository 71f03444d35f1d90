"""Caller lookup as the receptionist types: indexed range scans, then a typo-tolerant pass.

Digits find a number by any part of it; Latin letters find a name by pinyin initials ("zw"),
full pinyin ("zhangwei") or an English name, a special surname by either reading ("zeng" and
"ceng" for 曾); other text finds a name by its characters.
Prefix searches are index range scans (``key >= q AND key < q + U+FFFF``), so they stay
fast on a center with 100,000 leads. When they find nothing, rapidfuzz scores the pinyin
of recent leads, for typos ("zhangwie").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, col, func, or_, select

from desk.dal.ids import pk
from desk.dal.leads import LIVE
from desk.dal.store import Store
from desk.models import Call, FollowUp, Lead, Staff, Visit

_DIGITS_ONLY = re.compile(r"^[\d\s\-+()（）]+$")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z\s.'-]*$")
_HIGH = "\uffff"
_FUZZY_POOL = 5000
_SCAN_CAP = 200


@dataclass(frozen=True)
class CallerHit:
    """One line of the caller lookup: who it is and what is open with them."""

    kind: str  # "lead", "student" or "staff"
    id: int
    name: str
    phone: str | None
    owner: str | None = None
    owner_id: int | None = None
    last_contact: datetime | None = None
    open_follow_ups: int = 0
    role: str | None = None
    extension: str | None = None


def lookup(store: Store, query: str, limit: int = 8) -> list[CallerHit]:
    """Find a caller by any run of phone digits, a name, pinyin initials or full pinyin."""
    with store.read() as session:
        return _search(session, query, limit)


def find_leads_by_name_and_date(store: Store, name: str, around: date | None, limit: int = 8) -> list[CallerHit]:
    """A repeat caller who does not remember their consultant: by name and first-call date."""
    name = name.strip()
    if not name:
        return []
    with store.read() as session:
        # icontains: SQLite's LIKE ignores the case of ASCII letters, PostgreSQL's does not;
        # autoescape: a % or _ typed in the name is that character, not a wildcard.
        query = select(Lead).where(LIVE, or_(
            col(Lead.name).icontains(name, autoescape=True),
            col(Lead.name_pinyin).startswith(name.lower(), autoescape=True),
            col(Lead.name_pinyin_other).startswith(name.lower(), autoescape=True),
        ))
        if around is not None:
            start, _ = store.day_bounds(date.fromordinal(around.toordinal() - 15))
            _, end = store.day_bounds(date.fromordinal(around.toordinal() + 15))
            query = query.where(col(Lead.first_contact_at) >= start, col(Lead.first_contact_at) < end)
        leads = session.exec(query.order_by(col(Lead.first_contact_at).desc()).limit(limit)).all()
        return _lead_hits(session, list(leads))


def _prefix(column, text: str):
    return (column >= text) & (column < text + _HIGH)


def _search(session: Session, query: str, limit: int = 8) -> list[CallerHit]:
    text = query.strip()
    if not text:
        return []
    hits: list[CallerHit] = _staff_hits(session, text)
    if _DIGITS_ONLY.match(text):
        digits = re.sub(r"\D", "", text)
        if len(digits) < 3:
            return hits
        leads = _leads(session, _prefix(col(Lead.phone_digits), digits), limit) if len(digits) >= 7 else []
        if not leads:
            leads = _scan(session, col(Lead.phone_digits), digits, limit)
    elif _LATIN.match(text):
        key = re.sub(r"[^a-z0-9]", "", text.lower())
        leads = _leads(
            session,
            or_(
                _prefix(col(Lead.name_initials), key), _prefix(col(Lead.name_pinyin), key), _prefix(col(Lead.name), text),
                # A surname's everyday reading (曾 "ceng" beside "zeng"): NULL for most leads.
                _prefix(col(Lead.name_initials_other), key), _prefix(col(Lead.name_pinyin_other), key),
            ),
            limit,
        )
        if not leads and len(key) >= 3:
            leads = _fuzzy(session, key, limit)
    else:
        leads = _leads(session, _prefix(col(Lead.name), text), limit)
        if len(leads) < limit:
            seen = {lead.id for lead in leads}
            more = _scan(session, col(Lead.name), text, limit)
            leads += [lead for lead in more if lead.id not in seen][: limit - len(leads)]
    return hits + _lead_hits(session, leads)


# Newest first, in an order no index answers: the key's own ranges find the matches, which are
# then sorted. Ordered by the column itself, SQLite (with no statistics yet) walked every lead
# newest first looking for the key's few, reading all of them when there were none.
_NEWEST_FIRST = func.coalesce(col(Lead.first_contact_at), col(Lead.first_contact_at)).desc()


def _leads(session: Session, condition, limit: int) -> list[Lead]:
    condition = condition & LIVE
    return list(session.exec(select(Lead).where(condition).order_by(_NEWEST_FIRST).limit(limit)).all())


def _scan(session: Session, column, text: str, limit: int) -> list[Lead]:
    """Any-part matches: scan the column's covering index (not the table in date order, which
    reads every row when matches are rare), then order the few found by recency."""
    ids = session.exec(select(col(Lead.id)).where(column.contains(text, autoescape=True)).limit(_SCAN_CAP)).all()
    if not ids:
        return []
    return _leads(session, col(Lead.id).in_(ids), limit)


def _fuzzy(session: Session, key: str, limit: int) -> list[Lead]:
    from rapidfuzz import fuzz, process

    pool = session.exec(
        select(col(Lead.id), col(Lead.name_pinyin)).where(LIVE).order_by(col(Lead.first_contact_at).desc()).limit(_FUZZY_POOL)
    ).all()
    choices = {row[0]: row[1] or "" for row in pool}
    best = process.extract(key, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=75)
    ids = [match[2] for match in best]
    if not ids:
        return []
    found = {lead.id: lead for lead in session.exec(select(Lead).where(col(Lead.id).in_(ids))).all()}
    return [found[i] for i in ids if i in found]


def _staff_hits(session: Session, text: str) -> list[CallerHit]:
    """Staff calling in (or being asked for) by name or extension."""
    from desk.search_keys import name_readings

    people = session.exec(select(Staff).where(col(Staff.active) == True)).all()  # noqa: E712
    lowered = text.lower()
    hits = []
    for person in people:
        readings = name_readings(person.name)
        if (
            text == person.extension
            or (not text.isdigit() and text in person.name)
            or (len(lowered) >= 2 and any(full.startswith(lowered) or initials == lowered for full, initials in readings))
            or (person.english_name and person.english_name.lower().startswith(lowered))
        ):
            hits.append(
                CallerHit(kind="staff", id=pk(person), name=person.name, phone=None, role=person.role, extension=person.extension)
            )
    return hits


def _lead_hits(session: Session, leads: list[Lead]) -> list[CallerHit]:
    """Who each lead is (lead or student), their owner, last contact and open follow-ups."""
    if not leads:
        return []
    ids = [lead.id for lead in leads]
    owners = {
        s.id: s.name
        for s in session.exec(select(Staff).where(col(Staff.id).in_({lead.owner_id for lead in leads if lead.owner_id}))).all()
    }
    last_call = dict(
        session.exec(select(col(Call.lead_id), func.max(col(Call.started_at))).where(col(Call.lead_id).in_(ids)).group_by(col(Call.lead_id))).all()
    )
    last_visit = dict(
        session.exec(select(col(Visit.lead_id), func.max(col(Visit.arrived_at))).where(col(Visit.lead_id).in_(ids)).group_by(col(Visit.lead_id))).all()
    )
    # Open = all of the lead's follow-ups less the done ones, read by ix_follow_up_lead_id (a
    # few rows a lead). With "done_at IS NULL" in the WHERE, SQLite walked every open
    # follow-up of the center by the done_at index instead: 18.9 ms a keystroke at 1M calls.
    open_counts = dict(
        session.exec(
            select(col(FollowUp.lead_id), func.count() - func.count(col(FollowUp.done_at)))
            .where(col(FollowUp.lead_id).in_(ids))
            .group_by(col(FollowUp.lead_id))
        ).all()
    )
    hits = []
    for lead in leads:
        contacts = [t for t in (last_call.get(lead.id), last_visit.get(lead.id), lead.first_contact_at) if t]
        hits.append(
            CallerHit(
                kind="student" if lead.stage == "student" else "lead",
                id=pk(lead),
                name=lead.name,
                phone=lead.phone,
                owner=owners.get(lead.owner_id),
                owner_id=lead.owner_id,
                last_contact=_aware_max(contacts),
                open_follow_ups=open_counts.get(lead.id, 0),
            )
        )
    return hits


def _aware_max(values):

    fixed = [v if v.tzinfo else v.replace(tzinfo=UTC) for v in values]
    return max(fixed) if fixed else None


def warm_up(store: Store) -> None:
    """Load what the first lookup would load while the receptionist waits (pypinyin's
    dictionary, ~0.3 s; rapidfuzz; the queries' compiled SQL), so the first number or name she
    types is answered as fast as the next. DeskApp runs it in a thread after the first paint."""
    from rapidfuzz import fuzz, process  # noqa: F401  (imported for the typo pass)

    from desk.search_keys import name_readings

    name_readings("曾王芳")
    with store.read() as session:
        for query in ("138", "13812345678", "zw", "zhangw", "张"):
            _search(session, query, limit=1)
