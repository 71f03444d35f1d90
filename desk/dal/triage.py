"""What the triage screen needs of the staff to offer a call to someone.

Read as one snapshot (in the screen's live read, off the UI thread) and handed to the call
panels, so choosing a type builds its list of people at once, from the same data the
consultant board beside it shows. Saving re-checks the pick under the write lock
(``calls.record_call``), so a snapshot a moment old never sends a caller to someone busy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from desk.dal import rotation as rotation_dal
from desk.dal import staff as staff_dal
from desk.dal.store import Store
from desk.models import Staff


@dataclass(frozen=True)
class TriagePeople:
    """The active staff (rotation order, then name) and the free consultants, the phone
    rotation's pick first, then the rest of its queue."""

    staff: list[Staff]
    free: list[Staff]

    def by_id(self, staff_id: int | None) -> Staff | None:
        return next((s for s in self.staff if s.id == staff_id), None) if staff_id else None

    @cached_property
    def roster(self) -> dict[str, str]:
        """Name (and English name) -> role: who a caller may name (``rules.calls.classify``)."""
        roster: dict[str, str] = {}
        for person in self.staff:
            roster[person.name] = person.role
            if person.english_name:
                roster[person.english_name] = person.role
        return roster


def triage_people(store: Store) -> TriagePeople:
    from desk.rules.rotation import explain

    staff = staff_dal.list_staff(store)
    data = rotation_dal.pool_inputs(store, "phone")
    order = [e.name for e in explain(order=data.order, available=data.available, counts=data.counts, last=data.last) if e.available]
    consultants = {s.name: s for s in staff if s.role == "consultant"}
    return TriagePeople(staff=staff, free=[consultants[name] for name in order if name in consultants])
