"""Where desk finds its shipped data and keeps the user's files.

Shipped data lives in the repository's top-level ``data/``; an installed wheel carries the
same folder as ``desk/_data``. Everything else (database, config, workstation state) lives in
the user's data directory from platformdirs, unless overridden.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir() -> Path:
    """The shipped ``data/`` folder, in a wheel or in a source checkout."""
    for candidate in (_PACKAGE / "_data", _PACKAGE.parent / "data"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("desk's shipped data folder is missing; reinstall desk")


def user_dir() -> Path:
    """The per-user folder for the default database, its config and workstation state."""
    override = os.environ.get("DESK_HOME")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("desk", appauthor=False))


def default_db_path() -> Path:
    return user_dir() / "desk.db"
