"""``desk lead add|reassign|unowned``: a referred or mined lead, and the manager's decision on
who owns a lead (docs/domain.md §6.3, §5.4).

``add`` writes one row of the referral or internal register (``--channel``): the person, and
the ``--referrer``, a staff member's name (a teacher or staff referrer) or a lead's phone or
exact name (a student); the fee-collecting consultant owns it, or nobody until the supervisor
assigns one (it is then on ``unowned``'s list).

``reassign`` gives one lead (by ``--phone`` or ``--id``) to the consultant ``--to`` for a
``--reason``, with its open follow-ups; there is no person at a keyboard here, so the
manager or principal deciding is named by ``--as`` and recorded in the audit trail as the
one who did it. ``unowned`` lists the leads with open follow-ups and nobody to do them.
Every refusal is a DeskError, printed by the CLI as one line with exit code 2. No Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from desk.cli.common import env_of, help_text, lead_by_option
from desk.cli.output import add_row, console, listing_format, print_json, table
from desk.errors import DeskError
from desk.i18n import t

if TYPE_CHECKING:
    from desk.dal.store import Store
    from desk.models import Staff


lead_app = typer.Typer(help=help_text("lead.help"), no_args_is_help=True, pretty_exceptions_enable=False)

# The option a refusal of desk.dal.ownership is about.
_OPTION = {"owner": "--to", "reason": "--reason", "actor": "--as", "lead": "--id"}


def _person(store: Store, name: str, option: str) -> Staff:
    """The staff member called ``name`` (or with that English name, any case), active or not:
    the data layer says why an inactive one cannot be chosen."""
    from desk.dal import staff as staff_dal

    person = staff_dal.find_by_name(store, name) if name.strip() else None
    if person is None:
        raise DeskError(f"{option}: {t('reassign.cli.no_staff', name=name.strip())}")
    return person


@lead_app.command("reassign", help=help_text("lead.reassign"))
def reassign_cmd(
    ctx: typer.Context,
    phone: str | None = typer.Option(None, "--phone", metavar="P", help=help_text("lead.phone")),
    lead_id: int | None = typer.Option(None, "--id", metavar="N", help=help_text("lead.id")),
    to: str = typer.Option(..., "--to", metavar="NAME", help=help_text("lead.to")),
    reason: str = typer.Option(..., "--reason", metavar="TEXT", help=help_text("lead.reason")),
    acting: str = typer.Option(..., "--as", metavar="NAME", help=help_text("lead.as_")),
) -> None:
    env = env_of(ctx)
    store = env.store
    env.language()
    from desk.dal import ownership
    from desk.errors import FieldError
    from desk.phones import display

    manager = _person(store, acting, "--as")
    found = lead_by_option(store, phone, lead_id, env.config.center.phone_region, "reassign.cli")
    new_owner = _person(store, to, "--to")
    try:
        # Who decides proves it (their PIN, in a center with PINs): --as alone named anyone.
        done = ownership.reassign(env.signed_in(store, manager.name), found, new_owner.id, reason)
    except FieldError as err:
        raise DeskError(f"{_OPTION[err.field]}: {t(err.key, **err.values)}") from None
    print(t("reassign.cli.reassigned", name=done.name or "-", phone=display(done.phone) if done.phone else "",
            old=done.old_owner or t("reassign.no_owner"), new=done.new_owner, n=done.moved, reason=reason.strip()))


@lead_app.command("unowned", help=help_text("lead.unowned"))
def unowned_cmd(
    ctx: typer.Context,
    fmt: str = listing_format("lead.format"),
) -> None:
    env = env_of(ctx)
    store = env.store
    env.language()
    from desk.dal import ownership, privacy

    rows = ownership.unowned(store)
    looking = privacy.viewer(store)

    def phone(row, stored: bool = False) -> str:
        """Nobody's lead: in full to a manager, masked to anyone else (issue 14)."""
        return looking.phone(row.phone, None, stored=stored)

    if fmt == "json":
        print_json([
            {"id": row.lead_id, "name": row.name, "phone": phone(row, stored=True), "open_follow_ups": row.open_follow_ups,
             "first_due": store.local(row.first_due).isoformat(timespec="minutes")}
            for row in rows
        ])
        return
    out = console()
    if not rows:
        out.print(t("reassign.cli.none"), markup=False)
        return
    listing = table(t("reassign.cli.title"))
    for key in ("id", "name", "phone", "open", "due"):
        listing.add_column(t(f"reassign.cli.col_{key}"), justify="right" if key in ("id", "open") else "left")
    for row in rows:
        add_row(listing, row.lead_id, row.name, phone(row), row.open_follow_ups,
                store.local(row.first_due).strftime("%Y-%m-%d %H:%M"))
    out.print(listing)


@lead_app.command("merge", help=help_text("lead_merge.help"))
def merge_cmd(
    ctx: typer.Context,
    keep: str = typer.Argument(..., metavar="KEEP", help=help_text("lead_merge.keep")),
    drop: str = typer.Argument(..., metavar="DROP", help=help_text("lead_merge.drop")),
    acting: str = typer.Option(..., "--as", metavar="NAME", help=help_text("lead_merge.as_")),
) -> None:
    """Fold the duplicate DROP into KEEP (docs/domain.md §4.1); each is an id or a phone."""
    env = env_of(ctx)
    store = env.store
    env.language()
    from desk.dal import merge
    from desk.phones import display

    person = _person(store, acting, "--as")
    region = env.config.center.phone_region
    done = merge.merge_leads(env.signed_in(store, person.name), _merge_side(store, keep, region),
                             _merge_side(store, drop, region), person)
    print(t("merge.done", drop=done.drop_id, keep=done.keep_id, moves=merge.moves_text(done.counts)))
    if done.other_phone:
        print(t("merge.other_phone", phone=display(done.other_phone)))


def _merge_side(store: Store, which: str, region: str) -> int:
    """A lead given as its id (a short number) or its phone (seven digits or more)."""
    from desk.dal import leads as leads_dal
    from desk.phones import PhoneError, parse

    text = which.strip()
    if text.isdigit() and len(text) < 7:
        return int(text)
    try:
        lead = leads_dal.lead_by_phone(store, parse(text, region).e164)
    except PhoneError:
        lead = None
    if lead is None or lead.id is None:
        raise DeskError(t("merge.cli.no_lead", which=text))
    return lead.id


# The option a refusal of desk.dal.referrals is about.
_ADD_OPTION = {"channel": "--channel", "name": "--name", "phone": "--phone", "course": "--course", "notes": "--notes",
               "referrer": "--referrer", "age": "--age", "education": "--education"}


@lead_app.command("add", help=help_text("lead.add"))
def add_cmd(
    ctx: typer.Context,
    channel: str = typer.Option(..., "--channel", metavar="referral|internal", help=help_text("lead.channel")),
    referrer: str = typer.Option(..., "--referrer", metavar="NAME_OR_PHONE", help=help_text("lead.referrer")),
    name: str = typer.Option(..., "--name", metavar="NAME", help=help_text("lead.name")),
    phone: str = typer.Option(..., "--phone", metavar="P", help=help_text("lead.new_phone")),
    course: str = typer.Option("", "--course", metavar="TEXT", help=help_text("lead.course")),
    age: int | None = typer.Option(None, "--age", metavar="N", help=help_text("lead.age")),
    education: str = typer.Option("", "--education", metavar="LEVEL", help=help_text("lead.education")),
    notes: str = typer.Option("", "--notes", metavar="TEXT", help=help_text("lead.notes")),
    acting: str | None = typer.Option(None, "--as", metavar="NAME", help=help_text("lead.as_add")),
) -> None:
    env = env_of(ctx)
    store = env.store
    env.language()
    from desk.dal import referrals
    from desk.errors import FieldError
    from desk.phones import display

    if acting is not None:
        store = env.signed_in(store, _person(store, acting, "--as").name)
    region = env.config.center.phone_region
    try:
        if channel not in referrals.CHANNELS:
            raise FieldError("channel", "registers.err_channel", value=channel)
        who = referrals.resolve_referrer(store, referrer, region)
        done = referrals.add_referral(
            store, channel=channel, name=name, phone=phone, course_interest=course, age=age, education=education,
            notes=notes, region=region,
            referrer_lead_id=None if who.is_staff else who.id, referrer_staff_id=who.id if who.is_staff else None,
        )
    except FieldError as err:
        raise DeskError(f"{_ADD_OPTION.get(err.field, err.field)}: {t(err.key, **err.values)}") from None
    owner = t("registers.cli.owner", name=done.owner) if done.owner else t("registers.cli.unowned")
    from desk.reporting.tables import reason_text

    valid = t("registers.valid_yes") if done.valid else t("registers.cli.invalid", reasons=" ".join(map(reason_text, done.reasons)))
    print(t("registers.cli.added" if done.new_lead else "registers.cli.known", id=done.lead_id, name=done.name,
            phone=display(done.phone), referrer=who.name, kind=t(f"registers.kind_{who.kind}"), owner=owner, valid=valid))
