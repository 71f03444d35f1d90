"""A database error inside a screen is a message, never the end of desk.

Textual ends the whole app on an exception in any handler, and the message loop of the
widget it happened in stops for good. desk's screens, dialogs and the widgets that reach
the database take :class:`DatabaseGuard` first in their bases: a database error raised while
they handle a key, a click or a timer is caught there, at the one place every message passes
(``MessagePump._dispatch_message``, textual pinned at 8.2.8), and handed to the app, which
logs it and says what happened in one line. The write it interrupted was rolled back by the
Store; the fields still hold what was typed, so the user simply tries again.
"""

from __future__ import annotations

import sqlite3
import sys


def is_database_error(err: BaseException) -> bool:
    from desk.errors import DatabaseError

    if isinstance(err, (sqlite3.Error, DatabaseError)):
        return True
    if "sqlalchemy" in sys.modules:
        from sqlalchemy.exc import SQLAlchemyError

        return isinstance(err, SQLAlchemyError)
    return False


class DatabaseGuard:
    """Mixin for a Textual MessagePump (app, screen or widget): see the module docstring."""

    async def _dispatch_message(self, message) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except Exception as err:
            if not is_database_error(err):
                raise
            self.app.database_error(err)  # type: ignore[attr-defined]

