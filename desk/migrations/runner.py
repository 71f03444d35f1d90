"""Running Alembic from inside desk, on an engine desk already opened."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

_HERE = Path(__file__).resolve().parent


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_HERE))
    return config


@cache
def known_revisions() -> frozenset[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(rev.revision for rev in script.walk_revisions())


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def run_upgrade(engine: Engine, revision: str = "head", before: Callable[[str], None] | None = None) -> None:
    """Upgrade in one transaction that holds the migration lock from its first statement.

    Workstations starting at the same moment queue on the lock (BEGIN IMMEDIATE on SQLite,
    an advisory lock on PostgreSQL) instead of failing; the stamped revision is read inside
    the transaction, so whoever comes second finds the work done and does nothing.
    ``before(current)`` runs under the lock when a stamped database is really about to be
    upgraded (the backup: one, however many workstations start at once).
    """
    from alembic.runtime.migration import MigrationContext

    config = alembic_config()
    with engine.execution_options(desk_lock="migrate").begin() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        if current == (head_revision() if revision == "head" else revision):
            return
        if current is not None and before is not None:
            before(current)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
