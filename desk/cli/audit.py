"""``desk audit [verify]``: the audit trail from the command line, and the check of its chain.

``desk audit`` lists the newest rows (filters: a period, who, what action, which table or
row) as a table or JSON; ``desk audit verify`` recomputes the hash chain and names the first
row that was changed or removed (exit 1), or says it holds (exit 0). The trail is the
managers' to read: desk.dal.audit refuses it to anyone else in a center with PINs
(``desk --as NAME audit``).
"""

from __future__ import annotations

import json

import typer

from desk.cli.common import env_of, help_text, runtime_exit
from desk.cli.output import add_row, console, listing_format, print_json, table
from desk.cli.values import parse_day
from desk.errors import DeskError
from desk.i18n import t

audit_app = typer.Typer(help=help_text("audit.help"), invoke_without_command=True, pretty_exceptions_enable=False)


@audit_app.callback()
def audit_cmd(
    ctx: typer.Context,
    since: str | None = typer.Option(None, "--since", metavar="D", help=help_text("audit.since")),
    until: str | None = typer.Option(None, "--until", metavar="D", help=help_text("audit.until")),
    actor: str | None = typer.Option(None, "--actor", metavar="NAME", help=help_text("audit.actor")),
    action: str | None = typer.Option(None, "--action", metavar="ACTION", help=help_text("audit.action")),
    table_name: str | None = typer.Option(None, "--table", metavar="TABLE", help=help_text("audit.table")),
    row: int | None = typer.Option(None, "--row", metavar="ID", help=help_text("audit.row")),
    limit: int = typer.Option(100, "--limit", metavar="N", min=0, help=help_text("audit.limit")),
    fmt: str = listing_format("audit.format"),
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    env = env_of(ctx)
    store = env.store
    env.language()
    from desk.dal import audit as audit_dal

    today = store.today()
    first = parse_day(since, today, "--since") if since else None
    last = parse_day(until, today, "--until") if until else None
    if first and last and last < first:
        raise DeskError(t("audit.cli.inverted", since=first, until=last))
    actor_id = None
    if actor:
        actor_id = audit_dal.find_actor(store, actor)
        if actor_id is None:
            raise DeskError(t("cli.no_such_staff", name=actor))
    where = audit_dal.AuditFilter(
        since=store.day_bounds(first)[0] if first else None, until=store.day_bounds(last)[1] if last else None,
        actor_id=actor_id, action=(action or "").strip() or None, table=(table_name or "").strip() or None, row_id=row,
    )
    rows = audit_dal.entries(store, where, limit=limit or None)
    if fmt == "json":
        print_json([
            {"id": r.id, "at": store.local(r.at).isoformat(timespec="seconds"), "actor": r.actor, "action": r.action,
             "table": r.table_name, "row_id": r.row_id, "changes": _parsed(r.changes), "reason": r.reason}
            for r in rows
        ])
        return
    out = console()
    if not rows:
        out.print(t("audit.cli.none"), markup=False)
        return
    listing = table(t("audit.cli.title"))
    for key in ("id", "time", "who", "action", "what", "row", "changes"):
        listing.add_column(t(f"audit.col_{key}"), justify="right" if key in ("id", "row") else "left",
                           overflow="fold" if key == "changes" else "ellipsis")
    for r in rows:
        add_row(listing, r.id, store.local(r.at).strftime("%Y-%m-%d %H:%M:%S"), r.actor or t("audit.desk_itself"),
                r.action, r.table_name, "" if r.row_id is None else r.row_id, audit_dal.summary(r))
    out.print(listing)


@audit_app.command("verify", help=help_text("audit.verify"))
def verify_cmd(ctx: typer.Context) -> None:
    env = env_of(ctx)
    store = env.store
    env.language()
    from desk.dal import audit as audit_dal

    check = audit_dal.verify_chain(store)
    if check.broken_id is None:
        print(t("audit.intact", n=check.rows))
        return
    if check.after_id is None:
        raise runtime_exit(DeskError(t("audit.broken_first", id=check.broken_id)))
    raise runtime_exit(DeskError(t("audit.broken", id=check.broken_id, after=check.after_id)))


def _parsed(changes: str) -> object:
    """The stored change JSON as JSON (kept as text if a hand edit left it unreadable)."""
    try:
        return json.loads(changes)
    except ValueError:
        return changes
