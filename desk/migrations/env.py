"""Alembic environment: always run on a connection handed over by desk.migrations.runner."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import desk.models  # noqa: F401  (registers every table on SQLModel.metadata)
from desk.models.types import AwareDateTime

target_metadata = SQLModel.metadata


def _render_item(type_, obj, autogen_context):
    """Migrations must not import desk's own types: render them as plain SQLAlchemy."""
    if type_ == "type" and isinstance(obj, AwareDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("desk migrations run through desk.db.upgrade, not the alembic command line")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER through table copies
        render_item=_render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
