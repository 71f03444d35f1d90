"""``desk report`` and ``desk import``: the manager's end of day and the lead lists from marketing.

``register(app)`` adds both to the CLI. They follow its conventions: the global ``--db`` and
``--lang`` options (the root context's ``Env``), and every problem as a DeskError, which the
CLI prints as one line, ``desk: <message>``, with exit code 2. Imports are lazy.

A file they write (``--output``, ``--rejects``) is checked before the database is opened: never
the database or its journal files, and an existing file only with ``--force``
(:func:`desk.reporting.files.refuse_overwrite`).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Optional

import typer

from desk.errors import DeskError
from desk.i18n import detect_language, t


def _h(key: str) -> str:
    return t(f"report.help.{key}", detect_language())


report_app = typer.Typer(help=_h("report"), pretty_exceptions_enable=False, invoke_without_command=True)


def _env(ctx: typer.Context):
    return ctx.find_root().obj


def parse_day(text: str, today: date, option: str) -> date:
    """``2026-11-25``, ``today``, ``yesterday`` or ``-N`` (N days ago)."""
    value = (text or "").strip().lower()
    if value in ("today", "今天"):
        return today
    if value in ("yesterday", "昨天"):
        return today - timedelta(days=1)
    if value.startswith("-") and value[1:].isdigit():
        return today - timedelta(days=int(value[1:]))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DeskError(f"{option}: not a date: {text!r}; give it as YYYY-MM-DD (or today, yesterday)") from None


def period_from_options(today: date, day: str | None, start: str | None, end: str | None) -> tuple[date, date]:
    if day and (start or end):
        raise DeskError("give either --date or --from/--to, not both")
    if day:
        one = parse_day(day, today, "--date")
        return one, one
    first = parse_day(start, today, "--from") if start else None
    last = parse_day(end, today, "--to") if end else None
    if first is None and last is None:
        return today, today
    first = first or last
    last = last or today
    if last < first:
        raise DeskError(f"the range is inverted: --from {first} is after --to {last}")
    return first, last


def _check_output(env, output: Path, force: bool) -> None:
    from desk.reporting.files import check_writable, refuse_overwrite

    refuse_overwrite(output, env.target.path, option="--output", force=force)
    check_writable(output)


def _emit(doc, fmt: str | None, output: Path | None) -> None:
    from desk.reporting import emit, guess_format

    fmt = guess_format(fmt, output)
    written = emit(doc, fmt, output)
    if written is not None:
        print(t("report.written", path=written))


@report_app.callback(invoke_without_command=True)
def report_cmd(
    ctx: typer.Context,
    day: Optional[str] = typer.Option(None, "--date", metavar="D", help=_h("date")),
    start: Optional[str] = typer.Option(None, "--from", metavar="D", help=_h("from")),
    end: Optional[str] = typer.Option(None, "--to", metavar="D", help=_h("to")),
    consultant: Optional[str] = typer.Option(None, "--consultant", metavar="NAME", help=_h("consultant")),
    fmt: Optional[str] = typer.Option(None, "--format", metavar="table|json|csv|xlsx", help=_h("format")),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help=_h("output")),
    force: bool = typer.Option(False, "--force", help=t("backup.help.output_force", detect_language())),
) -> None:
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"format": fmt, "output": output, "force": force}
        return
    env = _env(ctx)
    from desk.reporting import guess_format

    fmt = guess_format(fmt, output)
    if output is not None:
        _check_output(env, output, force)
    store = env.store
    env.language()
    first, last = period_from_options(store.today(), day, start, end)
    from desk.reporting.day import build

    _emit(build(store, first, last, consultant=consultant), fmt, output)


@report_app.command("month", help=_h("month"))
def month_cmd(
    ctx: typer.Context,
    month: str = typer.Argument(..., metavar="YYYY-MM", help=_h("month_arg")),
    fmt: Optional[str] = typer.Option(None, "--format", metavar="table|json|csv|xlsx", help=_h("format")),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help=_h("output")),
    force: bool = typer.Option(False, "--force", help=t("backup.help.output_force", detect_language())),
) -> None:
    env = _env(ctx)
    parent = ctx.parent.obj if ctx.parent is not None and isinstance(ctx.parent.obj, dict) else {}
    fmt = fmt or parent.get("format")
    output = output or parent.get("output")
    force = force or parent.get("force", False)
    from desk.reporting import guess_format
    from desk.reporting.month import build_month, parse_month

    year, number = parse_month(month)
    fmt = guess_format(fmt, output)
    if output is not None:
        _check_output(env, output, force)
    store = env.store
    env.language()
    _emit(build_month(store, env.config, year, number), fmt, output)


def import_cmd(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE.csv|FILE.xlsx", help=_h("import_file")),
    channel: str = typer.Option(..., "--channel", metavar="market|outdoor|online", help=_h("channel")),
    collector: Optional[str] = typer.Option(None, "--collector", metavar="NAME", help=_h("collector")),
    mapping: Optional[list[str]] = typer.Option(None, "--map", metavar="SRC=DST", help=_h("map")),
    rejects: Optional[Path] = typer.Option(None, "--rejects", metavar="FILE", help=_h("rejects")),
    dry_run: bool = typer.Option(False, "--dry-run", help=_h("dry_run")),
    force: bool = typer.Option(False, "--force", help=_h("rejects_force")),
) -> None:
    env = _env(ctx)
    from desk.dal.imports import import_file, parse_map

    maps = parse_map(mapping or [])
    store = env.store
    env.language()
    result = import_file(
        store, file, channel=channel, collector=collector, mapping=maps, rejects_path=rejects, dry_run=dry_run,
        force=force,
    )
    for line in result.lines():
        print(line)


def register(app: typer.Typer) -> None:
    """Add ``desk report`` (with ``month``) and ``desk import`` to the CLI's ``app``."""
    app.add_typer(report_app, name="report")
    app.command("import", help=_h("import"))(import_cmd)
