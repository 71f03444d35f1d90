"""Drafts: what was typed on this workstation and not saved yet, kept on its disk.

Open calls and forms in progress are written here as they are typed, so a crash, ``kill -9``
or a power cut loses nothing: the next start puts them back. One small JSON file per
workstation and database, in the user's folder beside ``workstation.json`` (not in the
shared database: what one receptionist half typed is nobody else's business, and it must
survive the database being out of reach). Each write goes to a temporary file that is
flushed to the disk and then renamed over the old one, so the file on disk is always one
whole write, the last or the one before.

This module is the file and its JSON shape only; the screens say what they hold and take
back what was restored (desk.widgets.keeper).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from pathlib import Path

from desk.files import atomic_write
from desk.paths import user_dir
from desk.permissions import Kind

VERSION = 1


@dataclass
class CallDraft:
    """A call being taken: everything the receptionist has typed or chosen so far."""

    started_at: datetime
    number: str = ""  # as typed
    caller_number: str | None = None  # E.164 once read; None = withheld / not a number
    words: str = ""
    call_type: str | None = None
    lead_id: int | None = None
    target_id: int | None = None  # the person the call goes to (transfer / message owner)
    # The rotation's pick the receptionist saw and took (target_id == pick_id), or None when
    # she chose someone herself: saving checks it is still the pick (see PickChanged).
    pick_id: int | None = None
    on_behalf_of_id: int | None = None
    caller_name: str = ""
    purpose: str = ""
    best_time: str = ""
    take_message: bool = False
    message_refused: bool = False
    coming_to_consult: bool = False
    recording_ref: str | None = None
    extra: dict = field(default_factory=dict)


@dataclass(eq=False)
class Draft:
    """One open call or one form in progress: its kind ("call", "walkin", "note", ...) and
    what its screen needs to show it again, as JSON values. Two drafts are never equal:
    each is one thing typed, even when two say the same."""

    kind: str
    data: dict

    def as_json(self) -> dict:
        return {"kind": self.kind, "data": self.data}


def drafts_file(database: str) -> Path:
    """This workstation's drafts for ``database`` (a path or a URL without its password)."""
    digest = hashlib.sha256(database.encode("utf-8")).hexdigest()[:16]
    return user_dir() / "drafts" / f"{digest}.json"


def load(database: str) -> list[Draft]:
    """The drafts left by the last run on ``database``; none when there is no readable file."""
    try:
        state = json.loads(drafts_file(database).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(state, dict) or state.get("version") != VERSION:
        return []
    return [
        Draft(item["kind"], item["data"])
        for item in state.get("drafts", [])
        if isinstance(item, dict) and isinstance(item.get("kind"), str) and isinstance(item.get("data"), dict)
    ]


def save(database: str, drafts: list[Draft]) -> None:
    """Write ``drafts`` in place of the last ones, atomically; none left removes the file."""
    path = drafts_file(database)
    if not drafts:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(
        {"version": VERSION, "database": database, "drafts": [d.as_json() for d in drafts]},
        ensure_ascii=False,
        indent=1,
    )
    atomic_write(path, lambda temp: temp.write_text(text, encoding="utf-8"), durable=True, kind=Kind.PRIVATE)


def call_data(draft: CallDraft) -> dict:
    """An open call as JSON: every field of its CallDraft, the start as an ISO time."""
    data = asdict(draft)
    data["started_at"] = draft.started_at.isoformat()
    return data


def call_draft(data: dict) -> CallDraft:
    """The CallDraft of :func:`call_data`; fields a later desk no longer has are left out."""
    known = {f.name for f in fields(CallDraft)}
    values = {key: value for key, value in data.items() if key in known}
    values["started_at"] = datetime.fromisoformat(data["started_at"])
    return CallDraft(**values)
