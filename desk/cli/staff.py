"""``desk staff add|list|set-state``: the roster from the command line."""

from __future__ import annotations

import typer

from desk.cli.common import env_of, help_text
from desk.cli.output import add_row, console, listing_format, print_json, table
from desk.cli.values import check_extension, parse_role, parse_state
from desk.errors import DeskError, FieldError
from desk.i18n import t

staff_app = typer.Typer(help=help_text("staff.help"), no_args_is_help=True, pretty_exceptions_enable=False)


@staff_app.command("add", help=help_text("staff.add"))
def staff_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help=help_text("staff.name")),
    role: str = typer.Option(..., "--role", metavar="ROLE", help=help_text("staff.role")),
    ext: str | None = typer.Option(None, "--ext", metavar="N", help=help_text("staff.ext")),
    english_name: str | None = typer.Option(None, "--english-name", metavar="X", help=help_text("staff.english_name")),
    new: bool = typer.Option(False, "--new", help=help_text("staff.new")),
) -> None:
    env = env_of(ctx)
    env.language()
    role = parse_role(role)
    ext = ext.strip() if ext else None
    check_extension(ext)
    from desk.dal import staff as staff_dal

    staff = staff_dal.add_staff(env.store, name=name, role=role, extension=ext,
                                english_name=(english_name or "").strip() or None, is_new=new)
    print(t("cli.staff_added", name=staff.name, role=t(f"common.roles.{role}"), extension=ext or t("common.none")))


@staff_app.command("list", help=help_text("staff.list"))
def staff_list(
    ctx: typer.Context,
    fmt: str = listing_format("staff.format"),
) -> None:
    env = env_of(ctx)
    from desk.dal import staff as staff_dal

    rows = staff_dal.list_staff(env.store)
    if fmt == "json":
        print_json([
            {"name": s.name, "english_name": s.english_name, "role": s.role, "extension": s.extension,
             "state": s.state, "on_duty": s.on_duty, "rotation_position": s.rotation_position, "is_new": s.is_new}
            for s in rows
        ])
        return
    out = console()
    if not rows:
        out.print(t("cli.no_staff"), markup=False)
        return
    roster = table(t("cli.roster_title", center=env.config.center_name_for(env.language()[0])))
    for key in ("col_name", "col_role", "col_extension", "col_state", "col_on_duty", "col_position"):
        roster.add_column(t(f"cli.{key}"), justify="right" if key == "col_position" else "left")
    for staff in rows:
        name = f"{staff.name} ({staff.english_name})" if staff.english_name else staff.name
        consultant = staff.role == "consultant"
        add_row(
            roster,
            name,
            t(f"common.roles.{staff.role}"),
            staff.extension or t("common.none"),
            t(f"common.states.{staff.state}") if consultant else t("common.none"),
            t("common.yes") if staff.on_duty else t("common.no"),
            str(staff.rotation_position) if staff.rotation_position is not None else t("common.none"),
        )
    out.print(roster)


@staff_app.command("set-state", help=help_text("staff.set_state"))
def staff_set_state(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help=help_text("staff.name")),
    state: str = typer.Argument(..., metavar="STATE", help=help_text("staff.state")),
) -> None:
    env = env_of(ctx)
    env.language()
    state = parse_state(state)
    from desk.dal import staff as staff_dal

    store = env.store
    staff = staff_dal.find_by_name(store, name)
    if staff is None:
        raise DeskError(t("cli.no_such_staff", name=name))
    old = staff.state
    staff = staff_dal.set_state(store, staff.id, state)
    print(t("cli.state_set", name=staff.name, old=t(f"common.states.{old}"), new=t(f"common.states.{staff.state}")))


@staff_app.command("pin", help=help_text("staff.pin"))
def staff_pin(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help=help_text("staff.name")),
) -> None:
    """Set or reset a PIN: asked twice, hidden (``DESK_NEW_PIN`` for a script). A manager sets
    anyone's; everyone their own; the center's very first PIN is its manager's."""
    import os

    from desk.cli.common import interactive
    from desk.dal import identity
    from desk.dal import staff as staff_dal

    env = env_of(ctx)
    env.language()
    store = env.store
    person = staff_dal.find_by_name(store, name)
    if person is None:
        raise DeskError(t("cli.no_such_staff", name=name))
    pin = os.environ.get("DESK_NEW_PIN")
    if pin is None:
        if not interactive():
            raise DeskError(t("cli.pin_needs_terminal"))
        pin = typer.prompt(t("cli.pin_new", name=person.name), hide_input=True, confirmation_prompt=t("cli.pin_again"))
    try:
        identity.set_pin(store, person.id, pin)
    except FieldError as err:
        raise DeskError(t(err.key, **err.values)) from None
    print(t("cli.pin_set", name=person.name))


@staff_app.command("level", help=help_text("staff.level"))
def staff_level(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help=help_text("staff.name")),
    level: int = typer.Option(..., "--level", metavar="N", help=help_text("staff.level_n")),
    status: str = typer.Option("regular", "--status", metavar="S", help=help_text("staff.level_status")),
    exams: bool | None = typer.Option(None, "--exams/--no-exams", help=help_text("staff.level_exams")),
    lectures: bool | None = typer.Option(None, "--lectures/--no-lectures", help=help_text("staff.level_lectures")),
    train: bool | None = typer.Option(None, "--train/--no-train", help=help_text("staff.level_train")),
    note: str | None = typer.Option(None, "--note", metavar="TEXT", help=help_text("staff.level_note")),
) -> None:
    """Record a consultant's level (a manager's decision, docs/domain.md §11.3); a criterion
    not given keeps its current tick, so correcting one needs no repeating the others."""
    from desk.dal import grade
    from desk.dal import staff as staff_dal

    env = env_of(ctx)
    env.language()
    store = env.store
    person = staff_dal.find_by_name(store, name)
    if person is None:
        raise DeskError(t("cli.no_such_staff", name=name))
    given = {"exams_passed": exams, "can_host_lectures": lectures, "can_train": train}
    history = grade.level_history(store, person.id)
    criteria = {key: value if value is not None else bool(history and history[0].criteria[key]) for key, value in given.items()}
    try:
        record = grade.record_level(store, person.id, level, status.strip().lower(), criteria, note)
    except FieldError as err:
        raise DeskError(t(err.key, **err.values)) from None
    print(t("levels.cli_recorded", name=person.name, level=record.level, status=t(f"levels.status_{record.status}"),
            proposed=record.proposed_level if record.proposed_level is not None else t("common.none")))
