"""``desk import``: a lead list (csv or xlsx) from marketing, a campus talk or web registrations.

The work is in :mod:`desk.dal.imports`; the rejected rows go to a file (``--rejects``) that is
never the database, and an existing one only if it is desk's own or with ``--force``.
"""

from __future__ import annotations

from pathlib import Path

import typer

from desk.cli.common import env_of, help_text
from desk.cli.output import listing_format, print_json, progress
from desk.i18n import t


def import_cmd(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE.csv|FILE.xlsx|FILE.xls", help=help_text("import.file")),
    channel: str = typer.Option(..., "--channel", metavar="market|outdoor|online", help=help_text("import.channel")),
    collector: str | None = typer.Option(None, "--collector", metavar="NAME", help=help_text("import.collector")),
    mapping: list[str] | None = typer.Option(None, "--map", metavar="SRC=DST", help=help_text("import.map")),
    rejects: Path | None = typer.Option(None, "--rejects", metavar="FILE", help=help_text("import.rejects")),
    dry_run: bool = typer.Option(False, "--dry-run", help=help_text("import.dry_run")),
    force: bool = typer.Option(False, "--force", help=help_text("import.force")),
    fmt: str = listing_format("import.format"),
) -> None:
    env = env_of(ctx)
    from desk.dal.imports import import_file, parse_map

    maps = parse_map(mapping or [])
    store = env.store
    env.language()
    with progress(t("cli.progress_import", file=file.name)) as bar:
        result = import_file(
            store, file, channel=channel, collector=collector, mapping=maps, rejects_path=rejects, dry_run=dry_run,
            force=force, progress=bar, city=env.config.center.city,
        )
    if fmt == "json":
        print_json(result.as_dict())
        return
    for line in result.lines():
        print(line)
