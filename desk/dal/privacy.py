"""Phone numbers seen in full only where the work needs them (issue 14), and the audit of
every look that goes further: a number revealed on a screen, a report exported to a file.

Which number a viewer sees is decided by ``desk.phones.shown_phone``; this module holds the
reads and writes around it: who is looking (:func:`viewer`), the audited reveal and the
audited export. The audit trail is the record the center's privacy rests on, so each is one
write transaction whatever the screen or command that asked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from desk.dal.identity import guarded
from desk.dal.store import Store, existing
from desk.errors import Refused
from desk.i18n import t
from desk.models import AuditEntry, Lead, Staff
from desk.phones import shown_phone


@dataclass(frozen=True)
class Viewer:
    """Who is looking, as ``shown_phone`` needs it: their id and role, and whether the
    center has PINs (an open center shows numbers in full)."""

    id: int | None
    role: str | None
    guarded: bool

    def phone(self, e164: str | None, owner_id: int | None, *, typed_by: int | None = None, stored: bool = False) -> str:
        """``e164`` as this viewer sees it (``desk.phones.shown_phone``); ``stored``: a number
        in full stays E.164, as json listings always gave it, and a masked one is masked."""
        text = shown_phone(e164, viewer_id=self.id, viewer_role=self.role, owner_id=owner_id, guarded=self.guarded,
                           typed_by=typed_by)
        return (e164 or "") if stored and "*" not in text else text


def viewer(store: Store) -> Viewer:
    """The person the store acts for, for a command that lists numbers."""
    with store.read() as session:
        actor = session.get(Staff, store.actor_id) if store.actor_id is not None else None
        return Viewer(actor.id if actor else None, actor.role if actor else None, guarded(session))


def reveal_phone(store: Store, lead_id: int) -> str:
    """A lead's number in full (E.164), audited ``reveal`` with the person who asked.

    Anyone signed in may look, since a consultant covering a colleague's call needs the
    number; what makes it acceptable is that the look is on record. Refused only to nobody
    in a center with PINs.
    """
    with store.write() as session:
        actor = session.get(Staff, store.actor_id) if store.actor_id is not None else None
        if guarded(session) and (actor is None or not actor.active):
            raise Refused(t("access.sign_in_first"))
        lead = existing(session, Lead, lead_id)
        store.audit(session, "reveal", lead, {"phone": "revealed"})
        return lead.phone or ""


def record_export(store: Store, what: str, period: str, rows: int, full_numbers: bool, path: Path | None) -> None:
    """One ``export`` audit row: who exported which report of which period, how many rows,
    with full numbers or masked, to which file (None: the terminal).

    An export changes no row of the center, so the entry names no row (table ``report``).
    """
    changes = {"what": what, "period": period, "rows": rows, "full_numbers": full_numbers,
               "file": str(path) if path is not None else None}
    with store.write() as session:
        session.add(AuditEntry(at=store.now(), actor_id=store.actor_id, action="export", table_name="report",
                               row_id=None, changes=json.dumps(changes, ensure_ascii=False)))
