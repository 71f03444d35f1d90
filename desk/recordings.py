"""The recordings folder (``[recordings] folder`` of desk.toml, docs/domain.md §2.8): the
files the phone system wrote, listed for the call a recording is looked for.

Which file fits which call is a pure rule (desk.rules.recordings); this module only reads
the folder: every audio file in it or its subfolders (recorders often write one folder per
day), named relative to the folder, since that relative name is the reference desk stores.
It lies below the layers so the screens can search the folder without the data layer.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desk.rules.recordings import Candidate, is_audio, rank

if TYPE_CHECKING:
    from desk.config import Config

# A folder of years of recordings can hold hundreds of thousands of files: the listing stops
# here rather than hold up the picker (the newest folders are usually the ones wanted).
MAX_FILES = 200_000


def folder_of(config: Config | None) -> Path | None:
    """The configured folder (a relative one is read beside desk.toml), or None when none is set."""
    raw = (config.recordings.folder if config is not None else "").strip()
    if not raw:
        return None
    folder = Path(raw).expanduser()
    if not folder.is_absolute() and config is not None and config.path is not None:
        folder = config.path.parent / folder
    return folder


def audio_files(folder: Path) -> list[str]:
    """Every audio file under ``folder``, as a path relative to it with "/" between parts;
    none when the folder cannot be read (a share not mounted is not an error here)."""
    names: list[str] = []
    for top, dirs, files in os.walk(folder):
        dirs.sort(reverse=True)  # newest dated subfolders first, if the listing has to stop
        base = Path(top).relative_to(folder)
        for file in files:
            if is_audio(file):
                names.append((base / file).as_posix())
                if len(names) >= MAX_FILES:
                    return names
    return names


def find(folder: Path, e164: str | None, at: datetime | None) -> list[Candidate]:
    """The files of ``folder`` that may be the recording of the call from ``e164`` started at
    ``at`` (the center's wall clock, naive), likeliest first."""
    return rank(audio_files(folder), e164, at)
