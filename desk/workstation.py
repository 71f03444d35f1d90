"""What this workstation remembers between runs: who was at the keyboard, per database.

Kept in a small JSON file in the user's folder (not in the shared database), because two
workstations on one center database have two different people at them.
"""

from __future__ import annotations

import json
from pathlib import Path

from desk.files import atomic_write
from desk.paths import user_dir
from desk.permissions import Kind


def _state_file() -> Path:
    return user_dir() / "workstation.json"


def _read() -> dict:
    try:
        return json.loads(_state_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def remembered_user(database: str) -> int | None:
    value = _read().get("users", {}).get(database)
    return value if isinstance(value, int) else None


def remember_user(database: str, staff_id: int) -> None:
    state = _read()
    state.setdefault("users", {})[database] = staff_id
    path = _state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(state, ensure_ascii=False, indent=2)
    atomic_write(path, lambda temp: temp.write_text(text, encoding="utf-8"), kind=Kind.PRIVATE)
