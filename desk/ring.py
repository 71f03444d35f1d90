"""Ring requests: ``desk ring NUMBER`` tells a running desk that the phone is ringing.

A request is one small JSON file in a ``rings/`` folder beside the database, written
atomically (temp file, then ``os.replace``), so a desk polling the folder never reads half a
file. ``take_rings`` claims each file by renaming it before reading, so two desks on the same
folder never both take the same ring.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

RINGS = "rings"


def rings_dir(target_dir: Path) -> Path:
    return Path(target_dir) / RINGS


def post_ring(target_dir: Path, number: str, at: datetime | None = None) -> Path:
    """Write a ring request for ``number`` into ``target_dir/rings``; return its path."""
    folder = rings_dir(target_dir)
    folder.mkdir(parents=True, exist_ok=True)
    moment = (at or datetime.now(UTC)).astimezone(UTC)
    payload = json.dumps({"number": number, "time": moment.isoformat()}, ensure_ascii=False)
    # The name sorts oldest first: nanoseconds, then the process id to keep names apart.
    name = f"{time.time_ns():020d}-{os.getpid()}.json"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(payload)
        os.replace(tmp, folder / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return folder / name


def take_rings(target_dir: Path) -> list[tuple[str, datetime]]:
    """Read and delete every waiting ring request, oldest first, as (number, time)."""
    folder = rings_dir(target_dir)
    if not folder.is_dir():
        return []
    taken: list[tuple[str, datetime, str]] = []
    for path in sorted(folder.glob("*.json")):
        claimed = path.with_name(f".{path.name}.taken-{os.getpid()}")
        try:
            os.replace(path, claimed)
        except FileNotFoundError:
            continue  # another desk took it
        try:
            data = json.loads(claimed.read_text(encoding="utf-8"))
            number = str(data["number"])
            moment = datetime.fromisoformat(data["time"])
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
        except (OSError, ValueError, KeyError, TypeError):
            number = None  # a broken request: drop it
        finally:
            claimed.unlink(missing_ok=True)
        if number is not None:
            taken.append((number, moment, path.name))
    taken.sort(key=lambda item: (item[1], item[2]))
    return [(number, moment) for number, moment, _ in taken]
