"""desk's log: errors and their tracebacks, in a rotating file the user can send on.

A database error on a workstation is a one-line message on screen (see
``desk.widgets.guard``); the whole story goes here, with every database password masked.
The file lives in the platform's log folder (``DESK_HOME/logs`` when DESK_HOME is set), is
capped at 1 MB and keeps three old files.
"""

from __future__ import annotations

import logging
import os
from functools import cache
from logging.handlers import RotatingFileHandler
from pathlib import Path

from desk.errors import mask_secrets

_MAX_BYTES = 1_000_000
_BACKUPS = 3


def log_dir() -> Path:
    override = os.environ.get("DESK_HOME")
    if override:
        return Path(override) / "logs"
    from platformdirs import user_log_dir

    return Path(user_log_dir("desk", appauthor=False))


def log_path() -> Path:
    return log_dir() / "desk.log"


class _Masking(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_secrets(super().format(record))


@cache
def _logger_for(path: Path) -> logging.Logger:
    logger = logging.getLogger(f"desk.file.{path}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()  # a read-only home must not turn an error into a crash
    handler.setFormatter(_Masking("%(asctime)s %(process)d %(levelname)s %(message)s"))
    logger.addHandler(handler)
    return logger


def logger() -> logging.Logger:
    """The log of this user folder (tests give every test its own DESK_HOME)."""
    return _logger_for(log_path())


def log_error(message: str, err: BaseException) -> Path:
    """Write ``message`` and ``err``'s traceback to the log; return where the log is."""
    logger().error(message, exc_info=(type(err), err, err.__traceback__))
    return log_path()
