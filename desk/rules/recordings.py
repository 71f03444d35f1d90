"""Which recording file is a call's (docs/domain.md §2.8): read the caller's number and the
time from a recorder's file name, and rank a folder's files for one call.

Phone systems name a recording by its time and the other party's number, in their own order
and punctuation: ``20261129-153012_13812345678.wav``, ``13812345678_20261129153012.mp3``,
``in-13812345678-20261129-153012.amr``, ``2026-11-29 15.30.12 +8613812345678.wav``. A name is
read for one timestamp (year, month, day, hour, minute, second, with or without separators;
the recorder's wall clock, the center's time) and for runs of digits that can be a phone
number. A name that gives neither is ignored: no guess from other digits.

Pure: names and moments in, ranked candidates out; listing a folder is desk.recordings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

# Recorders write audio; a log or an index file beside them is not a recording.
AUDIO_SUFFIXES = frozenset({".wav", ".mp3", ".amr", ".m4a", ".ogg", ".opus", ".gsm", ".wma", ".aac", ".flac", ".3gp"})
# How far a file's time may be from the call's start and still be its recording: a call is
# answered within a minute, but the recorder may stamp the end, or run on another clock.
WINDOW = timedelta(minutes=30)
# A reference is stored in Call.recording_ref / ConsultNote.recording_ref (200 characters).
MAX_REF = 200

_STAMP = re.compile(
    r"(?<!\d)((?:19|20)\d\d)[-_.]?(\d\d)[-_.]?(\d\d)[-_T .]?(\d\d)[-_:.h]?(\d\d)[-_:.m]?(\d\d)(?!\d)"
)
_DIGITS = re.compile(r"\d+")
# Shorter than this, a run of digits is an extension or a counter, not a phone number.
_MIN_NUMBER = 7
# E.164 country codes are 1-3 digits: a number written without one is still the number.
_MAX_COUNTRY = 3


@dataclass(frozen=True)
class RecordingName:
    """What a file name says: its time (naive, the recorder's wall clock) and its digit runs
    that are not part of that time."""

    at: datetime | None
    numbers: tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    """A file that may be the call's recording; ``delta`` is |file time - call start|."""

    name: str
    number_match: bool
    delta: timedelta | None

    @property
    def near(self) -> bool:
        return self.delta is not None and self.delta <= WINDOW


def read_name(name: str) -> RecordingName:
    """The time and number-like digit runs of a recorder's file name (path and suffix ignored)."""
    stem = name.replace("\\", "/").rsplit("/", 1)[-1]
    if "." in stem:
        stem = stem[: stem.rindex(".")]
    at = None
    rest = stem
    for match in _STAMP.finditer(stem):
        try:
            year, month, day, hour, minute, second = (int(part) for part in match.groups())
            at = datetime(year, month, day, hour, minute, second)
        except ValueError:
            continue  # digits that look like a time but are not one (month 13): maybe a number
        rest = stem[: match.start()] + " " + stem[match.end():]
        break
    numbers = tuple(run for run in _DIGITS.findall(rest) if len(run) >= _MIN_NUMBER)
    return RecordingName(at, numbers)


def same_number(run: str, e164: str) -> bool:
    """A digit run of a file name is the number ``e164`` ("+8613812345678"): written in
    E.164 with or without "+", "00" or the country code, or nationally with a trunk "0"."""
    digits = e164.lstrip("+")
    if not digits.isdigit():
        return False
    local = run.lstrip("0")
    return len(local) >= max(_MIN_NUMBER, len(digits) - _MAX_COUNTRY) and digits.endswith(local)


def candidate(name: str, e164: str | None, at: datetime | None) -> Candidate | None:
    """``name`` as a candidate for the call from ``e164`` started at ``at`` (naive, the
    center's wall clock), or None when neither its number nor its time fits."""
    read = read_name(name)
    number_match = bool(e164) and any(same_number(run, e164 or "") for run in read.numbers)
    delta = abs(read.at - at) if read.at is not None and at is not None else None
    found = Candidate(name, number_match, delta)
    return found if number_match or found.near else None


def _order(found: Candidate) -> tuple[int, timedelta, str]:
    """The call's own number near its time first; then its number at another time (another
    call of the same caller); then another number near its time (a line shared or withheld)."""
    tier = 0 if found.number_match and found.near else 1 if found.number_match else 2
    return tier, found.delta if found.delta is not None else timedelta.max, found.name


def rank(names: Iterable[str], e164: str | None, at: datetime | None) -> list[Candidate]:
    """The files of ``names`` that may be the call's recording, the likeliest first."""
    found = (candidate(name, e164, at) for name in names)
    return sorted((c for c in found if c is not None), key=_order)


def is_audio(name: str) -> bool:
    lowered = name.lower()
    return "." in lowered and lowered[lowered.rindex("."):] in AUDIO_SUFFIXES
