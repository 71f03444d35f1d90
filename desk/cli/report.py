"""``desk report`` (with ``month``): the manager's end of day, and the month's registers.

The report goes to the terminal, or to a file (``--output``) checked before the database is
opened: never the database or its journal files, and an existing file only with ``--force``
(:func:`desk.files.refuse_overwrite`). Phone numbers are masked unless a manager asks for
them with ``--full-numbers`` (issue 14); every report written to a file, and every one with
full numbers, is on the audit trail (``export``: who, which report, how many rows). Every problem is a DeskError, which the CLI
prints as one line, ``desk: <message>``, with exit code 2. Imports are lazy.
"""

from __future__ import annotations

from pathlib import Path

import typer

from desk.cli.common import env_of, help_text
from desk.cli.values import period_from_options
from desk.i18n import t

report_app = typer.Typer(help=help_text("report.help"), pretty_exceptions_enable=False, invoke_without_command=True)


def _check_output(env, output: Path, force: bool) -> None:
    from desk.files import check_writable, refuse_overwrite

    refuse_overwrite(output, env.target.path, option="--output", force=force)
    check_writable(output)


# A report of more days than this shows that it is working (on a terminal's stderr only).
BIG_RANGE_DAYS = 7


def _working(days: int):
    """A progress line on stderr while a report over a big range is built (none for a day
    or a week, which take no time, and none when stderr is not a terminal)."""
    from contextlib import nullcontext

    from desk.cli.output import progress

    return progress(t("cli.progress_report")) if days > BIG_RANGE_DAYS else nullcontext()


def _emit(store, doc, fmt: str | None, output: Path | None, *, full_numbers: bool = False) -> None:
    from desk.reporting import MONTH_SCHEMA, PAY_SCHEMA, emit, guess_format, written_rows

    fmt = guess_format(fmt, output)
    written = emit(doc, fmt, output)
    if written is not None or full_numbers:
        from desk.dal import privacy

        what = {MONTH_SCHEMA: "month", PAY_SCHEMA: "pay"}.get(doc["schema"], "day")
        period = f"{doc['from']}..{doc['to']}" if what == "day" else doc["month"]
        privacy.record_export(store, what, period, written_rows(doc, fmt), full_numbers, written)
    if written is not None:
        print(t("report.written", path=written))


@report_app.callback(invoke_without_command=True)
def report_cmd(
    ctx: typer.Context,
    day: str | None = typer.Option(None, "--date", metavar="D", help=help_text("report.date")),
    start: str | None = typer.Option(None, "--from", metavar="D", help=help_text("report.from")),
    end: str | None = typer.Option(None, "--to", metavar="D", help=help_text("report.to")),
    consultant: str | None = typer.Option(None, "--consultant", metavar="NAME", help=help_text("report.consultant")),
    fmt: str | None = typer.Option(None, "--format", metavar="table|json|csv|xlsx", help=help_text("report.format")),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="FILE", help=help_text("report.output")),
    force: bool = typer.Option(False, "--force", help=help_text("report.force")),
) -> None:
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"format": fmt, "output": output, "force": force}
        return
    env = env_of(ctx)
    from desk.reporting import guess_format

    fmt = guess_format(fmt, output)
    if output is not None:
        _check_output(env, output, force)
    store = env.store
    env.language()
    first, last = period_from_options(store.today(), day, start, end)
    from desk.reporting.day import build

    with _working(last.toordinal() - first.toordinal() + 1):
        doc = build(store, first, last, consultant=consultant, window_days=env.config.pay.window_days)
    _emit(store, doc, fmt, output)


@report_app.command("month", help=help_text("report.month"))
def month_cmd(
    ctx: typer.Context,
    month: str = typer.Argument(..., metavar="YYYY-MM", help=help_text("report.month_arg")),
    fmt: str | None = typer.Option(None, "--format", metavar="table|json|csv|xlsx", help=help_text("report.format")),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="FILE", help=help_text("report.output")),
    force: bool = typer.Option(False, "--force", help=help_text("report.force")),
    full_numbers: bool = typer.Option(False, "--full-numbers", help=help_text("report.full_numbers")),
) -> None:
    env = env_of(ctx)
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
    with _working(31):
        doc = build_month(store, env.config, year, number, full_numbers=full_numbers)
    _emit(store, doc, fmt, output, full_numbers=full_numbers)



@report_app.command("pay", help=help_text("report.pay"))
def pay_cmd(
    ctx: typer.Context,
    month: str = typer.Option(..., "--month", metavar="YYYY-MM", help=help_text("report.pay_month")),
    fmt: str | None = typer.Option(None, "--format", metavar="table|json|csv|xlsx", help=help_text("report.format")),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="FILE", help=help_text("report.output")),
    force: bool = typer.Option(False, "--force", help=help_text("report.force")),
) -> None:
    """The month-end of docs/domain.md §10–§11, managers only (refused with exit 1 otherwise)."""
    env = env_of(ctx)
    from desk.reporting import guess_format
    from desk.reporting.month import parse_month
    from desk.reporting.pay import build_pay

    year, number = parse_month(month)
    fmt = guess_format(fmt, output)
    if output is not None:
        _check_output(env, output, force)
    store = env.store
    env.language()
    with _working(31):
        doc = build_pay(store, env.config, year, number)
    _emit(store, doc, fmt, output)
