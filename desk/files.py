"""Writing the files desk makes (reports, exports, rejects) without ever leaving half a file
behind: temp file, then rename.

And without writing where they must not: :func:`refuse_overwrite` keeps every output option
off the database and its journal files, and off a file desk did not write, unless --force.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desk.errors import EXIT_FAILURE, DeskError
from desk.i18n import t
from desk.paths import database_file_at
from desk.permissions import Kind, apply

# OWASP's CSV-injection rule: a spreadsheet reads a cell starting with one of these as a
# formula (or, for tab and CR, lets the next character start one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Windows refuses to rename over a file another process has open; POSIX never does.
_WINDOWS = os.name == "nt"
_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


class CannotWrite(DeskError):
    """The file could not be written (permission, read-only, a full disk): the command was
    right and failed on the way, so the CLI exits 1."""

    exit_code = EXIT_FAILURE


def formula_like(value: object) -> bool:
    """Whether ``value`` is text a spreadsheet would run as a formula (a number written as
    text, ``-12.50`` or ``+8613812345678``, is not)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value)


def neutralise(value: Any) -> Any:
    """A csv cell that is never a formula: formula-looking text gets a leading ``'`` (the
    visible text is kept); numbers and other text are left as they are."""
    return "'" + value if formula_like(value) else value


def check_writable(path: Path) -> Path:
    """Refuse early, with one clear line, a path a file cannot be written to."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise DeskError(f"cannot write {path}: it is a directory; give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise DeskError(f"cannot write {path}: the folder {parent} does not exist")
    if not parent.is_dir():
        raise DeskError(f"cannot write {path}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise CannotWrite(f"cannot write {path}: permission denied in {parent}")
    if path.exists() and not os.access(path, os.W_OK):
        raise CannotWrite(f"cannot write {path}: the file is read-only")
    return path


def refuse_overwrite(path: Path, database: Path | None, *, option: str, force: bool,
                     ours: Callable[[Path], bool] | None = None) -> Path:
    """Refuse, before anything is written, an output ``path`` that would replace a file it must not.

    The database (``database``, None for a server) or its -wal/-shm/-journal: always, even with
    --force; renaming a file over them would cut every open connection off from the center.
    Any other existing file: unless ``force``, or ``ours(path)`` recognises a file desk wrote
    there itself (read only once it is known not to be the database).
    """
    path = Path(path).expanduser()
    hit = database_file_at(path, database)
    if hit is not None:
        raise DeskError(t("backup.output_is_database", option=option, path=path, file=hit))
    if force or not path.exists() or path.is_dir():
        return path
    if ours is not None and ours(path):
        return path
    raise DeskError(t("backup.output_exists", option=option, path=path))


def atomic_write(path: Path, write: Callable[[Path], object], *, durable: bool = False,
                 kind: Kind = Kind.SHARED) -> Path:
    """Call ``write(temp_path)`` then rename the temp file over ``path``; on any error remove it.

    The one way desk writes a file: the temp file has a unique name beside ``path`` (two
    processes writing the same file never share one), and a reader sees the old file or the
    new one, never half of either. ``durable`` also flushes the file and the rename to disk
    (the drafts, which must survive a power cut). The file gets the rights of its ``kind``
    (:mod:`desk.permissions`), whether it is new or replaces one: a report or the config is
    the center's group's when one is configured, a draft is always its user's alone.
    """
    path = check_writable(path)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    except OSError as err:  # the folder refuses a new file (a read-only or special file system)
        raise CannotWrite(f"cannot write {path}: {err.strerror or err}") from None
    os.close(fd)
    temp_path = Path(temp)
    try:
        write(temp_path)
        if durable:
            _sync(temp_path)
        apply(temp_path, kind)
        replace(temp_path, path)
        if durable:
            _sync_folder(path.parent)
    except OSError as err:
        temp_path.unlink(missing_ok=True)
        raise CannotWrite(f"cannot write {path}: {err.strerror or err}") from None
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise
    return path


def replace(source: Path, target: Path, *, tries: int = 20) -> None:
    """``os.replace``, retried for a moment where Windows refuses it while another process
    (a second desk, an antivirus scan) has ``target`` open; POSIX never refuses."""
    for attempt in range(tries):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if not _WINDOWS or attempt == tries - 1:
                raise
            time.sleep(0.05)


def _sync(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def _sync_folder(folder: Path) -> None:
    """Make a rename itself durable (POSIX); Windows cannot open a folder and needs none."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_text(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    return atomic_write(path, lambda temp: temp.write_text(text, encoding=encoding, newline=""))
