"""``desk partner list|add|rename|set-lead``: the channel partners (渠道, docs/domain.md §6.4).

The list grows by itself as calls and visits name partners; these commands show it, add a
partner ahead of its first student, let the manager (named by ``--as``: there is nobody at a
keyboard here) correct a misspelt name, and set the partner of one lead. Every refusal is
one line with exit code 2. No Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from desk.cli.common import env_of, help_text, lead_by_option
from desk.cli.output import add_row, console, listing_format, print_json, table
from desk.errors import DeskError, FieldError
from desk.i18n import t

if TYPE_CHECKING:
    from desk.dal.store import Store

partner_app = typer.Typer(help=help_text("partner.help"), no_args_is_help=True, pretty_exceptions_enable=False)


def _said(err: FieldError) -> DeskError:
    """The data layer's refusal as the one line the command prints."""
    return DeskError(t(err.key, **err.values))


def _staff_id(store: Store, name: str) -> int:
    """The staff member called ``name`` (or with that English name, any case)."""
    from desk.dal import staff as staff_dal

    wanted = name.strip()
    people = staff_dal.list_staff(store, active_only=False)
    person = next((p for p in people if p.name == wanted), None) or next(
        (p for p in people if wanted and (p.english_name or "").casefold() == wanted.casefold()), None
    )
    if person is None:
        raise DeskError(t("cli.no_such_staff", name=wanted))
    return person.id


@partner_app.command("list", help=help_text("partner.list"))
def list_cmd(ctx: typer.Context, fmt: str = listing_format("partner.format")) -> None:
    env = env_of(ctx)
    env.language()
    from desk.dal import partners as partners_dal

    rows = partners_dal.list_partners(env.store)
    if fmt == "json":
        print_json([{"name": r.name, "kind": r.kind, "calls": r.calls, "visits": r.visits, "leads": r.leads} for r in rows])
        return
    out = console()
    if not rows:
        out.print(t("partners.cli.none"), markup=False)
        return
    listing = table(t("partners.cli.title"))
    for key in ("name", "kind", "calls", "visits", "leads"):
        listing.add_column(t(f"partners.cli.col_{key}"), justify="left" if key in ("name", "kind") else "right")
    for r in rows:
        add_row(listing, r.name, t(f"partners.kinds.{r.kind}"), r.calls, r.visits, r.leads)
    out.print(listing)


@partner_app.command("add", help=help_text("partner.add"))
def add_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help=help_text("partner.name")),
    kind: str = typer.Option("other", "--kind", metavar="KIND", help=help_text("partner.kind")),
) -> None:
    env = env_of(ctx)
    env.language()
    from desk.dal import partners as partners_dal

    try:
        partner = partners_dal.add_partner(env.store, name, kind.strip().lower())
    except FieldError as err:
        raise _said(err) from None
    print(t("partners.cli.added", name=partner.name, kind=t(f"partners.kinds.{partner.kind}")))


@partner_app.command("rename", help=help_text("partner.rename"))
def rename_cmd(
    ctx: typer.Context,
    old: str = typer.Argument(..., metavar="OLD", help=help_text("partner.old")),
    new: str = typer.Argument(..., metavar="NEW", help=help_text("partner.new")),
    acting: str = typer.Option(..., "--as", metavar="NAME", help=help_text("partner.as_")),
) -> None:
    env = env_of(ctx)
    env.language()
    from desk.dal import partners as partners_dal

    store = env.store
    manager = _staff_id(store, acting)
    try:
        found = partners_dal.list_partners(store)
        before = next((r.name for r in found if partners_dal.name_key(r.name) == partners_dal.name_key(old)), old.strip())
        partner = partners_dal.rename_partner(store.with_actor(manager), old, new)
    except FieldError as err:
        raise _said(err) from None
    print(t("partners.cli.renamed", old=before, new=partner.name))


@partner_app.command("set-lead", help=help_text("partner.set_lead"))
def set_lead_cmd(
    ctx: typer.Context,
    name: str | None = typer.Argument(None, metavar="PARTNER", help=help_text("partner.partner")),
    phone: str | None = typer.Option(None, "--phone", metavar="P", help=help_text("partner.phone")),
    lead_id: int | None = typer.Option(None, "--id", metavar="N", help=help_text("partner.id")),
    clear: bool = typer.Option(False, "--clear", help=help_text("partner.clear")),
    by: str | None = typer.Option(None, "--as", metavar="NAME", help=help_text("partner.by")),
) -> None:
    env = env_of(ctx)
    env.language()
    from desk.dal import partners as partners_dal

    if clear == bool(name and name.strip()):  # a name or --clear, exactly one
        raise DeskError(t("partners.cli.name_or_clear"))
    store = env.store
    found = lead_by_option(store, phone, lead_id, env.config.center.phone_region, "partners.cli")
    actor = _staff_id(store, by) if by else None
    try:
        lead = partners_dal.set_lead_partner(store, found, None if clear else name, actor)
    except FieldError as err:
        raise _said(err) from None
    who = lead.name or (phone or "").strip() or f"#{lead.id}"
    if clear:
        print(t("partners.cli.lead_cleared", lead=who))
    else:
        key = partners_dal.name_key(name or "")
        shown = next((n for n in partners_dal.partner_names(store) if partners_dal.name_key(n) == key), name)
        print(t("partners.cli.lead_set", lead=who, name=shown))


