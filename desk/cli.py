"""desk's command line (Typer): ``desk`` starts the TUI; the commands manage a center.

Every problem the user can fix (a :class:`~desk.errors.DeskError`, a bad argument, a file
that cannot be written) ends as one line on stderr, ``desk: <message>``, and exit code 2 —
never a traceback. Imports are lazy: ``desk --version``, ``desk config`` and ``desk staff
list`` never import Textual, and the database layer is only imported by commands that use it.
"""

from __future__ import annotations

import sys
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer
from typer.core import TyperGroup

from desk import __version__
from desk.errors import DatabaseError, DeskError, one_line
from desk.errors import fail as _fail
from desk.i18n import LANGUAGES, detect_language, set_language, t

if TYPE_CHECKING:
    from desk.config import Config
    from desk.dal.store import Store
    from desk.db import Target



def _h(key: str) -> str:
    """Help text in the language of the environment (the config is not read for --help)."""
    return t(f"cli.{key}", detect_language())


def _click_exceptions() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = []
    try:
        from typer._click.exceptions import ClickException as vendored
    except ImportError:
        pass
    else:
        found.append(vendored)
    try:
        from click.exceptions import ClickException
    except ImportError:
        pass
    else:
        found.append(ClickException)
    return tuple(found)


class DeskGroup(TyperGroup):
    """The top-level group: turns every expected error into one line and exit code 2."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            result = super().main(args=args, prog_name=prog_name or "desk", complete_var=complete_var,
                                  standalone_mode=False, **extra)
            code = result if isinstance(result, int) else 0
        except _click_exceptions() as err:
            if type(err).__name__ == "NoArgsIsHelpError":  # `desk staff`: show what it offers
                print(err.ctx.get_help())
                code = 0
            else:
                message = err.format_message()
                ctx = getattr(err, "ctx", None)
                if ctx is not None:
                    message = f"{message} {t('cli.usage_hint', command=ctx.command_path)}"
                code = _fail(message)
        except typer.Abort:
            code = _fail(t("cli.aborted"), 1)
        except (Exception, KeyboardInterrupt) as err:
            handled = one_line(err)
            if handled is None:
                raise
            code = _fail(*handled)
        if not standalone_mode:
            return code
        sys.exit(code)


class Env:
    """What the global options chose, opened lazily: only what a command needs is imported."""

    def __init__(self, db: str | None, lang: str | None) -> None:
        self.db = db
        self.lang = lang

    @cached_property
    def target(self) -> Target:
        from desk.db import resolve

        return resolve(self.db)

    @property
    def config_path(self) -> Path:
        from desk.config import config_path

        return config_path(self.target.path)

    @cached_property
    def config(self) -> Config:
        from desk.config import load

        return load(self.config_path)

    def language(self) -> tuple[str, str]:
        """The effective language and where it came from; also makes it current."""
        if self.lang:
            lang, source = self.lang, "option"
        elif self.config.ui.language in LANGUAGES:
            lang, source = self.config.ui.language, "config"
        else:
            lang, source = detect_language(), "locale"
        set_language(lang)
        return lang, source

    @cached_property
    def store(self) -> Store:
        """The store on the migrated database (the config is read first: a bad one stops here)."""
        config = self.config
        self.language()
        from desk.dal.store import Store
        from desk.db import open_database

        return Store(open_database(self.db), tz=config.center.timezone)

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.engine.dispose()


def _env(ctx: typer.Context) -> Env:
    return ctx.find_root().obj


def _show_version(value: bool) -> None:
    if value:
        print(t("cli.version", detect_language(), version=__version__))
        raise typer.Exit()


def _check_lang(value: str | None) -> str | None:
    if value is not None and value not in LANGUAGES:
        raise typer.BadParameter(t("cli.bad_lang", detect_language(), value=value))
    return value


app = typer.Typer(
    cls=DeskGroup,
    help=_h("help"),
    add_completion=False,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
staff_app = typer.Typer(help=_h("help_staff"), no_args_is_help=True, pretty_exceptions_enable=False)
app.add_typer(staff_app, name="staff")


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: Optional[str] = typer.Option(None, "--db", metavar="PATH", help=_h("help_db")),
    lang: Optional[str] = typer.Option(None, "--lang", metavar="zh_CN|en", callback=_check_lang, help=_h("help_lang")),
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_show_version, help=_h("help_version")),
    demo: bool = typer.Option(False, "--demo", help=_h("help_root_demo")),
) -> None:
    if demo and ctx.invoked_subcommand is None and db is None:
        from desk.paths import user_dir

        db = str(user_dir() / "demo" / "desk.db")
    env = Env(db, lang)
    ctx.obj = env
    ctx.call_on_close(env.close)
    if lang:
        set_language(lang)
    if ctx.invoked_subcommand is None:
        from desk.app import run_app

        if demo:
            from desk.dal.reset import staff_count

            if not staff_count(env.store):
                _build_demo(env, seed=7, days=60, force=False)

        run_app(db=db, lang=lang)


# ---- desk init ---------------------------------------------------------------------------


def _interactive() -> bool:
    """Ask for the roster only when a person is typing (tests patch this)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


@app.command("init", help=_h("help_init"))
def init_cmd(
    ctx: typer.Context,
    demo: bool = typer.Option(False, "--demo", help=_h("help_init_demo")),
    center: Optional[str] = typer.Option(None, "--center", metavar="NAME", help=_h("help_init_center")),
    seed: int = typer.Option(7, "--seed", help=_h("help_seed")),
) -> None:
    env = _env(ctx)
    store = env.store  # reads the config (refusing a broken one), then opens and migrates
    from desk.dal.reset import staff_count

    count = staff_count(store)
    if demo and count:
        raise DeskError(t("cli.init_has_staff", path=env.target.description, count=count))
    written = write_config(env.config_path, center)
    print(t("cli.center_created", path=env.target.description))
    if written:
        print(t("cli.config_written", path=written))
    if demo:
        _build_demo(env, seed=seed, days=60, force=False)
    elif _interactive():
        _ask_roster(store)


CONFIG_HEADER = (
    "# desk configuration for this center. Every key, with its default and what it means,\n"
    "# is in data/config.default.toml; `desk config` shows where this file is.\n"
)


def write_config(path: Path, center: str | None) -> Path | None:
    """Create ``desk.toml`` (with the center's name if given), or set the name in an existing one.

    Returns the path when the file was written. An existing file is validated first (by the
    caller's config load) and rewritten atomically.
    """
    import os
    import tempfile
    import tomllib

    import tomli_w

    if path.exists() and center is None:
        return None
    values: dict[str, Any] = {}
    if path.exists():
        with path.open("rb") as fh:
            values = tomllib.load(fh)
    if center is not None:
        center = center.strip()
        if not center:
            raise DeskError(t("cli.help_init_center"))
        values.setdefault("center", {})["name"] = center
    text = CONFIG_HEADER + ("\n" + tomli_w.dumps(values) if values else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".desk.", suffix=".toml.tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _ask_roster(store: Store) -> None:
    from desk.dal import staff as staff_dal
    from desk.models.staff import ROLES

    print(t("cli.roster_intro"))
    choices = ", ".join(f"{i}={t(f'common.roles.{role}')}" for i, role in enumerate(ROLES, start=1))
    while True:
        name = typer.prompt(t("cli.roster_name"), default="", show_default=False).strip()
        if not name:
            break
        while True:
            answer = typer.prompt(t("cli.roster_role", choices=choices), default="1")
            try:
                role = _parse_role(answer)
                break
            except DeskError as err:
                print(f"desk: {err}", file=sys.stderr)
        while True:
            extension = typer.prompt(t("cli.roster_extension"), default="", show_default=False).strip() or None
            try:
                _check_extension(extension)
                break
            except DeskError as err:
                print(f"desk: {err}", file=sys.stderr)
        try:
            staff = staff_dal.add_staff(store, name=name, role=role, extension=extension)
        except DeskError as err:
            print(f"desk: {err}", file=sys.stderr)
            continue
        print(t("cli.roster_added", name=staff.name, role=t(f"common.roles.{role}"), extension=extension or t("common.none")))
    print(t("cli.roster_done", count=len(staff_dal.list_staff(store))))


# ---- desk staff --------------------------------------------------------------------------


def _parse_choice(value: str, values: tuple[str, ...], prefix: str, error_key: str) -> str:
    """A value given as itself, its number in the list, or its label in either language."""
    wanted = value.strip()
    if wanted.isdigit() and 1 <= int(wanted) <= len(values):
        return values[int(wanted) - 1]
    for item in values:
        labels = {item, t(f"{prefix}.{item}", "en"), t(f"{prefix}.{item}", "zh_CN")}
        if wanted.casefold() in {label.casefold() for label in labels}:
            return item
    raise DeskError(t(error_key, value=value, choices=", ".join(values)))


def _parse_role(value: str) -> str:
    from desk.models.staff import ROLES

    return _parse_choice(value, ROLES, "common.roles", "cli.bad_role")


def _parse_state(value: str) -> str:
    from desk.models.staff import CONSULTANT_STATES

    return _parse_choice(value, CONSULTANT_STATES, "common.states", "cli.bad_state")


def _check_extension(extension: str | None) -> None:
    if extension is not None and not extension.isdigit():
        raise DeskError(t("cli.bad_extension", value=extension))


@staff_app.command("add", help=_h("help_staff_add"))
def staff_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help=_h("help_name")),
    role: str = typer.Option(..., "--role", metavar="ROLE", help=_h("help_role")),
    ext: Optional[str] = typer.Option(None, "--ext", metavar="N", help=_h("help_ext")),
    english_name: Optional[str] = typer.Option(None, "--english-name", metavar="X", help=_h("help_english_name")),
    new: bool = typer.Option(False, "--new", help=_h("help_new")),
) -> None:
    env = _env(ctx)
    env.language()
    role = _parse_role(role)
    ext = ext.strip() if ext else None
    _check_extension(ext)
    from desk.dal import staff as staff_dal

    staff = staff_dal.add_staff(env.store, name=name, role=role, extension=ext,
                                english_name=(english_name or "").strip() or None, is_new=new)
    print(t("cli.staff_added", name=staff.name, role=t(f"common.roles.{role}"), extension=ext or t("common.none")))


@staff_app.command("list", help=_h("help_staff_list"))
def staff_list(ctx: typer.Context) -> None:
    env = _env(ctx)
    from rich.console import Console
    from rich.table import Table

    from desk.dal import staff as staff_dal

    rows = staff_dal.list_staff(env.store)
    console = Console()
    if not rows:
        console.print(t("cli.no_staff"), markup=False, highlight=False)
        return
    table = Table(title=t("cli.roster_title", center=env.config.center_name_for(env.language()[0])))
    for key in ("col_name", "col_role", "col_extension", "col_state", "col_on_duty", "col_position"):
        table.add_column(t(f"cli.{key}"), justify="right" if key == "col_position" else "left")
    for staff in rows:
        name = f"{staff.name} ({staff.english_name})" if staff.english_name else staff.name
        consultant = staff.role == "consultant"
        table.add_row(
            name,
            t(f"common.roles.{staff.role}"),
            staff.extension or t("common.none"),
            t(f"common.states.{staff.state}") if consultant else t("common.none"),
            t("common.yes") if staff.on_duty else t("common.no"),
            str(staff.rotation_position) if staff.rotation_position is not None else t("common.none"),
        )
    console.print(table)


@staff_app.command("set-state", help=_h("help_staff_set_state"))
def staff_set_state(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help=_h("help_name")),
    state: str = typer.Argument(..., metavar="STATE", help=_h("help_state")),
) -> None:
    env = _env(ctx)
    env.language()
    state = _parse_state(state)
    from desk.dal import staff as staff_dal

    store = env.store
    staff = staff_dal.find_staff(store, name.strip())
    if staff is None:
        wanted = name.strip().casefold()
        staff = next((s for s in staff_dal.list_staff(store) if (s.english_name or "").casefold() == wanted), None)
    if staff is None:
        raise DeskError(t("cli.no_such_staff", name=name))
    old = staff.state
    staff = staff_dal.set_state(store, staff.id, state)
    print(t("cli.state_set", name=staff.name, old=t(f"common.states.{old}"), new=t(f"common.states.{staff.state}")))


# ---- desk demo ---------------------------------------------------------------------------


@app.command("demo", help=_h("help_demo"))
def demo_cmd(
    ctx: typer.Context,
    seed: int = typer.Option(7, "--seed", metavar="N", help=_h("help_seed")),
    days: int = typer.Option(60, "--days", min=1, max=366, help=_h("help_days")),
    force: bool = typer.Option(False, "--force", help=_h("help_force")),
) -> None:
    _build_demo(_env(ctx), seed=seed, days=days, force=force)


def _build_demo(env: Env, *, seed: int, days: int, force: bool) -> None:
    """Build the demo center; ``force`` replaces a demo center (and only a demo), backed up first."""
    from desk.dal.reset import is_demo, staff_count
    from desk.demo import build_demo

    store = env.store
    count = staff_count(store)
    if count and not force:
        raise DeskError(t("cli.has_staff", path=env.target.description, count=count))
    if count:
        if not is_demo(store):
            raise DeskError(t("backup.not_a_demo", path=env.target.description, count=count))
        from desk.backup import backup_before

        print(t("backup.demo_kept", path=backup_before(store.engine, "before-demo")))
    summary = build_demo(store, seed=seed, days=days, replace=force)
    c = summary.counts
    print(t("cli.demo_built", path=env.target.description, seed=seed, days=days, today=summary.today))
    print(t("cli.demo_counts", staff=c.get("staff", 0), leads=c.get("lead", 0), calls=c.get("call", 0),
            visits=c.get("visit", 0), notes=c.get("consult_note", 0), follow_ups=c.get("follow_up", 0),
            enrollments=c.get("enrollment", 0), payments=c.get("payment", 0)))


# ---- desk config -------------------------------------------------------------------------


@app.command("config", help=_h("help_config"))
def config_cmd(ctx: typer.Context) -> None:
    env = _env(ctx)
    path = env.config_path
    if env.lang:
        set_language(env.lang)
    else:
        set_language(detect_language())
    state = t("cli.config_exists") if path.exists() else t("cli.config_missing")
    print(t("cli.config_file", path=path), state)
    print(t("cli.database", where=env.target.description))
    lang, source = env.language()  # reads the config: a broken one is reported here
    print(t("cli.language", language=lang, source=t(f"cli.source_{source}")))
    _print_targets(env)


def _print_targets(env: Env) -> None:
    """The daily targets (DOMAIN 6.4): the center's, then each person's own, with the names
    checked against the staff of an existing database file, read-only (exit 2 on a name that
    fits no one)."""
    from desk.dal.targets import roster_in_file

    config = env.config

    def line(name: str | None = None) -> str:
        mine = config.targets.daily(name)
        return t("targets.line", lo=mine.invitation_calls_min, hi=mine.invitation_calls_max,
                 st=mine.street_promotion_contacts, et=mine.event_forms)

    print(t("targets.shown", line=line()))
    for name in config.targets.staff:
        print(t("targets.own", name=name, line=line(name)))
    if not config.targets.staff:
        return
    roster = roster_in_file(env.target.path)
    if roster is None:
        print(t("targets.unchecked"))
        return
    problems = config.staff_target_problems(roster)
    for problem in problems:
        _fail(problem)
    if problems:
        raise typer.Exit(2)


# ---- desk ring ---------------------------------------------------------------------------


@app.command("ring", help=_h("help_ring"))
def ring_cmd(
    ctx: typer.Context,
    number: str = typer.Argument(..., metavar="NUMBER", help=_h("help_number")),
) -> None:
    env = _env(ctx)
    env.language()
    number = number.strip()
    if not any(ch.isdigit() for ch in number):
        raise typer.BadParameter(t("cli.bad_number", value=number), param_hint="NUMBER")
    target = env.target
    if target.path is not None and target.path.is_dir():
        raise DatabaseError(t("cli.not_a_database_file", path=target.path))
    from desk.paths import user_dir
    from desk.ring import post_ring

    folder = target.path.parent if target.path is not None else user_dir()
    written = post_ring(folder, number)
    print(t("cli.ring_posted", number=number, folder=written.parent))


# ---- desk report, desk import (desk/commands_report.py) -------------------------------------

from desk.commands_report import register as _register_reports  # noqa: E402

_register_reports(app)
from desk.commands_outreach import register as _register_outreach; _register_outreach(app)  # noqa: E402, E702
from desk.commands_lead import register as _register_lead; _register_lead(app)  # noqa: E402, E702
from desk.commands_backup import register as _register_backup; _register_backup(app)  # noqa: E402, E702


def main(argv: list[str] | None = None) -> None:
    """The ``desk`` console script."""
    app(args=argv, prog_name="desk")


if __name__ == "__main__":  # pragma: no cover
    main()
