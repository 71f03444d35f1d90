"""``desk outreach add|list``: outdoor promotion from the command line (docs/domain.md §6.2, §7.5).

``add`` records a street promotion, campus talk, job fair or event with who ran it, or goes
on with one already recorded (``--to ID``), and adds the contacts collected there, all or
none. ``list`` shows the activities of a day or a range with each runner's count against
the target. Like the other commands, every problem is a DeskError, printed by the CLI as
one line with exit code 2. No Textual here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import typer

from desk.cli.common import env_of, help_text
from desk.cli.output import add_row, console, listing_format, print_json, table
from desk.cli.values import parse_day, period_from_options
from desk.errors import DeskError
from desk.i18n import t

if TYPE_CHECKING:
    from desk.dal.outreach import ContactInput


outreach_app = typer.Typer(help=help_text("outreach.help"), no_args_is_help=True, pretty_exceptions_enable=False)
_FIELDS = re.compile(r"\s*[,，]\s*")


def _said(err, prefix: str) -> DeskError:
    """A FieldError of the data layer as the one line the CLI prints."""
    values = {k: v for k, v in err.values.items() if k != "row"}
    return DeskError(f"{prefix}: {t(err.key, **values)}")


def read_contact(text: str, number: int, people) -> ContactInput:
    """``NAME,PHONE[,COURSE[,COLLECTOR]]`` -> a ContactInput (the collector among ``people``)."""
    from desk.dal.outreach import ContactInput

    parts = _FIELDS.split(text.strip())
    if len(parts) < 2 or len(parts) > 4:
        raise DeskError(t("outreach.cli.bad_contact", n=number, value=text))
    name, phone, course, collector = [*parts, "", ""][:4]
    collector_id = None
    if collector:
        person = next((p for p in people if collector in (p.name, p.english_name)
                       or collector.casefold() == (p.english_name or "").casefold()), None)
        if person is None:
            raise DeskError(f"--contact {number}: {t('outreach.err_collector')}")
        collector_id = person.id
    return ContactInput(phone=phone, name=name, course=course, collector_id=collector_id)


@outreach_app.command("add", help=help_text("outreach.add"))
def add_cmd(
    ctx: typer.Context,
    kind: str | None = typer.Option(None, "--kind", metavar="street_promotion|campus_talk|job_fair|event", help=help_text("outreach.kind")),
    place: str | None = typer.Option(None, "--place", metavar="TEXT", help=help_text("outreach.place")),
    staff: list[str] | None = typer.Option(None, "--staff", metavar="NAME", help=help_text("outreach.staff")),
    day: str | None = typer.Option(None, "--date", metavar="D", help=help_text("outreach.date")),
    to: int | None = typer.Option(None, "--to", metavar="ID", help=help_text("outreach.to")),
    contact: list[str] | None = typer.Option(None, "--contact", metavar="NAME,PHONE[,COURSE[,COLLECTOR]]", help=help_text("outreach.contact")),
) -> None:
    env = env_of(ctx)
    store = env.store
    env.language()
    from desk.dal import outreach as outreach_dal
    from desk.errors import FieldError

    config = env.config
    region = config.center.phone_region
    if to is not None:
        if kind or place or staff or day:
            raise DeskError(t("outreach.cli.to_alone"))
        activity = outreach_dal.activity(store, to, config)
        if activity is None:
            raise DeskError(t("outreach.err_no_activity", id=to))
        contacts = [read_contact(text, i, activity.staff) for i, text in enumerate(contact or [], start=1)]
        try:
            added = outreach_dal.add_contacts(store, activity.id, contacts, region=region)
        except FieldError as err:
            raise _said(err, _option(err)) from None
    else:
        if not kind or not place or not staff:
            raise DeskError(t("outreach.cli.needs"))
        try:
            parsed = outreach_dal.parse_kind(kind)
            people = outreach_dal.find_people(store, [name for item in staff for name in _FIELDS.split(item)])
            when = parse_day(day, store.today(), "--date") if day else store.today()
            contacts = [read_contact(text, i, people) for i, text in enumerate(contact or [], start=1)]
            saved, added = outreach_dal.record_with_contacts(
                store, parsed, when, place, [p.id for p in people], contacts, region=region
            )
        except FieldError as err:
            raise _said(err, _option(err)) from None
        activity = outreach_dal.activity(store, saved.id, config)
        print(t("outreach.cli.recorded", id=activity.id, kind=t(f"outreach.kind_{activity.kind}"),
                day=activity.day.isoformat(), place=activity.place, staff=", ".join(p.name for p in activity.staff)))
    from desk.phones import display

    for item in added:
        key = "outreach.cli.contact_new" if item.new_lead else "outreach.cli.contact_known"
        print(t(key, name=item.name or "-", phone=display(item.phone), collector=item.collector,
                owner=item.owner or t("common.none")))
    print(_tallies(outreach_dal.activity(store, activity.id, config)))


def _option(err) -> str:
    """The option a FieldError of the data layer is about: ``--contact N`` for a contact."""
    if "row" in err.values:
        return f"--contact {err.values['row']}"
    return "--date" if err.field == "day" else f"--{err.field}"


def _tallies(activity) -> str:
    what = t("outreach.target_contacts" if activity.kind == "street_promotion" else "outreach.target_forms")
    parts = [
        t("outreach.cli.tally", name=x.name, n=x.count, target=x.target, mark="✓" if x.met else "✗") for x in activity.tallies
    ]
    totals = t("outreach.totals", new=activity.new_leads, known=activity.known)
    return t("outreach.tallies_line", what=what, tallies=" · ".join(parts), totals=totals)


@outreach_app.command("list", help=help_text("outreach.list"))
def list_cmd(
    ctx: typer.Context,
    day: str | None = typer.Option(None, "--date", metavar="D", help=help_text("outreach.list_date")),
    start: str | None = typer.Option(None, "--from", metavar="D", help=help_text("outreach.from")),
    end: str | None = typer.Option(None, "--to", metavar="D", help=help_text("outreach.until")),
    staff: str | None = typer.Option(None, "--staff", metavar="NAME", help=help_text("outreach.list_staff")),
    show_contacts: bool = typer.Option(False, "--contacts", help=help_text("outreach.contacts")),
    fmt: str = listing_format("outreach.format"),
) -> None:
    env = env_of(ctx)
    store = env.store
    env.language()
    from desk.dal import outreach as outreach_dal
    from desk.dal import privacy
    from desk.errors import FieldError

    if day or start or end:
        first, last = period_from_options(store.today(), day, start, end)
    else:
        first, last = store.today(), store.today()
    staff_id = None
    if staff:
        try:
            staff_id = outreach_dal.find_people(store, [staff])[0].id
        except FieldError as err:
            raise _said(err, "--staff") from None
    found = outreach_dal.activities(store, first=first, last=last, staff_id=staff_id, config=env.config)
    contacts = {item.id: outreach_dal.contacts(store, item.id) for item in found} if show_contacts else {}
    looking = privacy.viewer(store)

    def phone(row, stored: bool = False) -> str:
        """Another consultant's contact masked, as on the screens (issue 14)."""
        return looking.phone(row.phone, row.owner_id, typed_by=row.collector_id, stored=stored)

    if fmt == "json":
        print_json([_activity_json(item, contacts.get(item.id), phone) for item in found])
        return
    out = console()
    if not found:
        out.print(t("outreach.cli.none", first=first.isoformat(), last=last.isoformat()), markup=False)
        return
    listing = table(t("outreach.cli.title", first=first.isoformat(), last=last.isoformat()))
    for key in ("id", "day", "kind", "place", "staff", "new", "known", "tallies"):
        listing.add_column(t(f"outreach.lcol_{key}"), justify="right" if key in ("id", "new", "known") else "left")
    for item in found:
        add_row(
            listing, item.id, item.day.isoformat(), t(f"outreach.kind_{item.kind}"), item.place,
            ", ".join(p.name for p in item.staff), item.new_leads, item.known,
            " · ".join(t("outreach.cli.tally", name=x.name, n=x.count, target=x.target, mark="✓" if x.met else "✗") for x in item.tallies),
        )
    out.print(listing)
    for item in found if show_contacts else ():
        sub = table(t("outreach.cli.contacts_title", id=item.id, place=item.place))
        for key in ("name", "phone", "course", "collector", "lead"):
            sub.add_column(t(f"outreach.col_{key}"))
        for row in contacts[item.id]:
            lead = t("outreach.lead_new") if row.new_lead else t("outreach.lead_known", owner=row.owner or t("common.none"))
            add_row(sub, row.name, phone(row), row.course or "", row.collector, lead)
        out.print(sub)


def _activity_json(item, contacts, phone) -> dict:
    """One activity for ``outreach list --format json`` (keys in docs/report-schema.md)."""
    out = {
        "id": item.id, "day": item.day.isoformat(), "kind": item.kind, "place": item.place,
        "staff": [p.name for p in item.staff], "new_leads": item.new_leads, "known": item.known,
        "tallies": [{"name": x.name, "count": x.count, "target": x.target, "met": x.met} for x in item.tallies],
    }
    if contacts is not None:
        out["contacts"] = [
            {"lead_id": c.lead_id, "name": c.name, "phone": phone(c, stored=True), "course": c.course, "collector": c.collector,
             "new_lead": c.new_lead, "owner": c.owner}
            for c in contacts
        ]
    return out
