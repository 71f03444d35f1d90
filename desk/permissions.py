"""Who may read and write a center's files: its owner alone, or the owner and one group.

Several OS users on one machine share a center when ``[files] group`` in its ``desk.toml``
names a group they are all in. SQLite needs every one of them to write the database, its
-wal/-shm/-journal and the folder it creates those in; the rest is read by the group and
written by whoever makes it. On POSIX:

====================================================  ============  ==========
file                                                  with a group  without
====================================================  ============  ==========
the database, -wal, -shm, -journal                    0660          0600
desk.toml, reports, exports, backups, ring requests   0640          0600
a folder desk makes (the center's, backups/, rings/)  2770          0700
drafts, the workstation's memory (one per user)       0600          0600
====================================================  ============  ==========

The folders are setgid with a group, so what anyone makes in them is the group's (SQLite
gives -wal and -shm the database file's mode, not its group). A file that cannot be given to
the group (no such group, or its writer is not in it) keeps owner-only rights rather than
opening them to the writer's own group; ``desk check`` says what to fix. Windows has ACLs
for this: desk sets nothing there.

The group is the process's, set by :func:`desk.config.load` from the center's config: one
process works on one center.
"""

from __future__ import annotations

import os
import stat
from enum import Enum
from pathlib import Path

from desk.i18n import t

WINDOWS = os.name == "nt"
_group = ""


class Kind(Enum):
    """What a file is for, which decides who may read and write it."""

    DATABASE = "database"  # read and written by every user of the center
    SHARED = "shared"  # written by one, read by the group
    PRIVATE = "private"  # one user's own


_FILE_MODES = {Kind.DATABASE: (0o660, 0o600), Kind.SHARED: (0o640, 0o600), Kind.PRIVATE: (0o600, 0o600)}
FOLDER_MODES = (0o2770, 0o700)


def share_with(group: str) -> None:
    """Make the files this process writes from now on the ``group``'s ("": the owner's only)."""
    global _group
    _group = group


def shared_group() -> str:
    return _group


def file_mode(kind: Kind, group: str | None = None) -> int:
    """The mode of a new file of ``kind``, with ``group`` (default: the process's) or without."""
    shared, alone = _FILE_MODES[kind]
    return shared if (_group if group is None else group) else alone


def folder_mode(group: str | None = None) -> int:
    return FOLDER_MODES[0] if (_group if group is None else group) else FOLDER_MODES[1]


def group_id(group: str) -> int | None:
    """The id of ``group``, None when there is no such group (or no groups: Windows)."""
    if WINDOWS or not group:
        return None
    import grp

    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        return None


def apply(path: Path, kind: Kind | None) -> None:
    """Give ``path`` its mode and group: a file of ``kind``, or a folder (``kind`` None).

    The group first, then the mode: a file the group cannot be given keeps owner-only rights.
    """
    if WINDOWS:
        return
    gid = group_id(_group) if kind is not Kind.PRIVATE else None
    if gid is not None:
        try:
            if os.stat(path).st_gid != gid:
                os.chown(path, -1, gid)
        except PermissionError:
            gid = None
    group = _group if gid is not None else ""
    os.chmod(path, folder_mode(group) if kind is None else file_mode(kind, group))


def make_folder(folder: Path) -> Path:
    """``folder`` and any folder missing above it, each made with :func:`apply`'s rights (a
    folder that is there is left as it is: it may be the user's own)."""
    missing, above = [], Path(folder)
    while not above.exists() and above != above.parent:
        missing.append(above)
        above = above.parent
    for made in reversed(missing):
        try:
            made.mkdir()
        except FileExistsError:
            continue
        apply(made, None)
    return Path(folder)


def create_database_file(path: Path) -> None:
    """An empty database file with its rights, made before SQLite makes it (with the umask's)
    and before its -wal and -shm, which SQLite gives the database file's mode. One already
    there (another workstation was quicker) is left alone."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    apply(path, Kind.DATABASE)


# ---- desk check --------------------------------------------------------------------------


def problems(database: Path | None, config: Path, backups: Path) -> list[str]:
    """What would keep the center's files from being private to its owner, or from being shared
    with the configured group: one line each, with the command that fixes it."""
    if WINDOWS:
        return []
    found = []
    gid = None
    if _group:
        gid = group_id(_group)
        if gid is None:
            found.append(t("permissions.no_group", group=_group, config=config))
        elif os.geteuid() != 0 and gid not in os.getgroups() and gid != os.getgid():
            found.append(t("permissions.not_member", group=_group, user=_user()))
    # (path, its kind or None for a folder, whether others may not even read it)
    files: list[tuple[Path, Kind | None, bool]] = [(config, Kind.SHARED, True), (backups, None, True)]
    if database is not None:
        from desk.paths import sqlite_files

        files.append((database.parent, None, False))
        files += [(name, Kind.DATABASE, True) for name in sqlite_files(database)]
    for path, kind, private in files:
        found += _wrong(path, kind, gid, private)
    return found


def _wrong(path: Path, kind: Kind | None, gid: int | None, private: bool) -> list[str]:
    try:
        st = path.stat()
    except OSError:
        return []
    mode = stat.S_IMODE(st.st_mode)
    want = folder_mode() if kind is None else file_mode(kind)
    chmod = f"chmod {want:o} {path}"
    found = []
    opened = bool(mode & 0o007) and private
    if opened:
        found.append(t("permissions.others", path=path, mode=f"{mode:o}", fix=chmod))
    if _group and gid is not None and st.st_gid != gid:
        found.append(t("permissions.wrong_group", path=path, group=_group, fix=f"chgrp {_group} {path}"))
    if _group and mode & want & 0o2070 != want & 0o2070 and not opened:
        found.append(t("permissions.group_cannot", path=path, mode=f"{mode:o}", group=_group, fix=chmod))
    return found


def _user() -> str:
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name
