"""Making a center from the command line: its ``desk.toml``, its roster, or the demo center.

``desk init`` writes the config and asks for the roster; ``desk demo``, ``desk init --demo``
and ``desk --demo`` (on first use) build the demo center. The three share what is here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from desk.cli.values import check_extension, parse_role
from desk.errors import DeskError
from desk.i18n import t

if TYPE_CHECKING:
    from desk.cli.common import Env
    from desk.dal.store import Store

CONFIG_HEADER = (
    "# desk configuration for this center. Every key, with its default and what it means,\n"
    "# is in data/config.default.toml; `desk config` shows where this file is.\n"
)


def write_config(path: Path, center: str | None) -> Path | None:
    """Create ``desk.toml`` (with the center's name if given), or set the name in an existing one.

    Returns the path when the file was written. An existing file is validated first (by the
    caller's config load) and rewritten atomically, with only the name changed: the manager's
    comments, order and spacing are kept (tomlkit edits the document as written). It is the
    ``[files] group``'s to read when the center has one (desk.permissions), else its owner's.
    """
    import tomlkit

    from desk.files import write_text
    from desk.permissions import make_folder

    if path.exists() and center is None:
        return None
    if center is not None:
        center = center.strip()
        if not center:
            raise DeskError(t("cli.help.init.center"))
    if path.exists():
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
        if center is not None:
            if "center" not in document:
                document["center"] = tomlkit.table()
            document["center"]["name"] = center  # type: ignore[index]
        text = tomlkit.dumps(document)
    else:
        text = CONFIG_HEADER + (f"\n[center]\nname = {tomlkit.string(center).as_string()}\n" if center else "")
    make_folder(path.parent)
    return write_text(path, text)


def ask_roster(store: Store) -> None:
    """Ask for the staff one at a time until an empty name; a wrong answer is asked again."""
    from desk.dal import identity
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
                role = parse_role(answer)
                break
            except DeskError as err:
                print(f"desk: {err}", file=sys.stderr)
        while True:
            extension = typer.prompt(t("cli.roster_extension"), default="", show_default=False).strip() or None
            try:
                check_extension(extension)
                break
            except DeskError as err:
                print(f"desk: {err}", file=sys.stderr)
        try:
            staff = staff_dal.add_staff(store, name=name, role=role, extension=extension)
        except DeskError as err:
            print(f"desk: {err}", file=sys.stderr)
            continue
        print(t("cli.roster_added", name=staff.name, role=t(f"common.roles.{role}"), extension=extension or t("common.none")))
        if role in ("manager", "principal") and not identity.center_has_pins(store):
            ask_first_pin(store, staff)
            store = store.with_actor(staff.id)  # they just set it here: the rest is added as them
    print(t("cli.roster_done", count=len(staff_dal.list_staff(store))))


def ask_first_pin(store: Store, manager) -> None:
    """The center's first PIN, its first manager's, asked as the roster is typed (hidden,
    twice): from then on desk asks everyone for theirs (docs/domain.md §1.3)."""
    from desk.dal import identity
    from desk.errors import FieldError

    while True:
        pin = typer.prompt(t("cli.pin_new", name=manager.name), hide_input=True, confirmation_prompt=t("cli.pin_again"))
        try:
            identity.set_pin(store, manager.id, pin)
        except FieldError as err:
            print(f"desk: {t(err.key, **err.values)}", file=sys.stderr)
            continue
        print(t("cli.pin_set", name=manager.name))
        return


def build_demo_center(env: Env, *, seed: int, days: int, force: bool,
                      progress: Callable[[int, int], None] | None = None) -> None:
    """Build the demo center; ``force`` replaces a demo center (and only a demo), backed up first.
    ``progress(done, total)`` is told after each simulated day."""
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
    summary = build_demo(store, seed=seed, days=days, replace=force, progress=progress)
    c = summary.counts
    print(t("cli.demo_built", path=env.target.description, seed=seed, days=days, today=summary.today))
    print(t("cli.demo_counts", staff=c.get("staff", 0), leads=c.get("lead", 0), calls=c.get("call", 0),
            visits=c.get("visit", 0), notes=c.get("consult_note", 0), follow_ups=c.get("follow_up", 0),
            enrollments=c.get("enrollment", 0), payments=c.get("payment", 0)))


Progress = Callable[[int, int], None]


def demo_progress() -> AbstractContextManager[Progress | None]:
    """The progress callback for building the demo: a bar when stderr is a terminal, else None."""
    return day_progress() if stderr_is_terminal() else nullcontext(None)


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def day_progress() -> Iterator[Progress]:
    """A transient ``rich.progress`` bar on stderr, told ``(days done, days)``."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from desk.i18n import t

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(t("cli.demo_progress"), total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance
