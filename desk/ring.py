"""Ring requests: ``desk ring NUMBER`` tells a running desk that the phone is ringing.

A request is one small JSON file in a ``rings/`` folder beside the database, written
atomically (temp file, then ``os.replace``), so a desk polling the folder never reads half a
file. ``take_rings`` claims each file by renaming it before reading, so two desks on the same
folder never both take the same ring.

Which folder is decided by the one database rule (:func:`desk.db.resolve`): the ring hook
and the desk it rings use the same options, so ``desk --demo ring N`` reaches ``desk
--demo``. A ring is only worth answering while the phone still rings: one older than
:data:`RING_MAX_AGE` (posted while desk was closed, or for a desk that was not polling) is
discarded with a note in the log, and the running desk says so in a toast.

A ring may carry the phone system's reference of the call's recording (``--recording``):
it goes on the call the ring opens, and is saved with it (docs/domain.md §2.8).
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from desk.db import Target

RINGS = "rings"
# A caller gives up within a minute or two; a ring older than this is not a call any more.
RING_MAX_AGE = timedelta(minutes=2)


class Ring(NamedTuple):
    """One ring: the number as the phone system gave it, when, and its recording if known."""

    number: str
    time: datetime
    recording: str | None = None


def rings_dir(target_dir: Path) -> Path:
    return Path(target_dir) / RINGS


def rings_home(target: Target) -> Path:
    """The folder whose ``rings/`` the desk on ``target`` polls: beside an SQLite file, else
    (a database URL) the user folder."""
    if target.path is not None:
        return target.path.parent
    from desk.paths import user_dir

    return user_dir()


def post_ring(target_dir: Path, number: str, at: datetime | None = None, recording: str | None = None) -> Path:
    """Write a ring request for ``number`` (with its recording's reference, if given) into
    ``target_dir/rings``; return its path."""
    from desk.files import atomic_write
    from desk.permissions import Kind, make_folder

    folder = make_folder(rings_dir(target_dir))
    moment = (at or datetime.now(UTC)).astimezone(UTC)
    request = {"number": number, "time": moment.isoformat()}
    if recording:
        request["recording"] = recording
    payload = json.dumps(request, ensure_ascii=False)
    # The name sorts oldest first: nanoseconds, then the process id to keep names apart.
    name = f"{time.time_ns():020d}-{os.getpid()}.json"
    # Written whole under a hidden temporary name (take_rings reads *.json only), for the
    # group's desks to take.
    return atomic_write(folder / name, lambda temp: temp.write_text(payload, encoding="utf-8"), kind=Kind.SHARED)


def take_rings(target_dir: Path) -> list[Ring]:
    """Read and delete every waiting ring request, oldest first."""
    folder = rings_dir(target_dir)
    if not folder.is_dir():
        return []
    taken: list[tuple[Ring, str]] = []
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
            recording = str(data.get("recording") or "").strip() or None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            number = None  # a broken request: drop it
        finally:
            claimed.unlink(missing_ok=True)
        if number is not None:
            taken.append((Ring(number, moment, recording), path.name))
    taken.sort(key=lambda item: (item[0].time, item[1]))
    return [ring for ring, _ in taken]


def take_rings_split(target_dir: Path, now: datetime | None = None) -> tuple[list[Ring], list[Ring]]:
    """Take every waiting ring as :func:`take_rings`, split into (fresh, stale); each stale
    one is discarded with a line in the log."""
    now = now or datetime.now(UTC)
    fresh: list[Ring] = []
    stale: list[Ring] = []
    for ring in take_rings(target_dir):
        (stale if now - ring.time > RING_MAX_AGE else fresh).append(ring)
    if stale:
        from desk.log import logger

        for ring in stale:
            logger().warning("ring for %s posted at %s discarded: older than %s", ring.number,
                             ring.time.isoformat(timespec="seconds"), RING_MAX_AGE)
    return fresh, stale
