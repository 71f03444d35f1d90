"""``desk config``: where the config file and the database are, the language, the targets.

It never opens the database through the app (the roster is read from the file, read-only),
so it works on a center that does not exist yet: it says which option chose the database
(``--db``, ``--demo``, ``DESK_DB``, ...) and that nothing is there yet.
"""

from __future__ import annotations

import typer

from desk.cli.common import Env, env_of
from desk.errors import fail
from desk.i18n import detect_language, set_language, t


def config_cmd(ctx: typer.Context) -> None:
    env = env_of(ctx)
    path = env.config_path
    if env.lang:
        set_language(env.lang)
    else:
        set_language(detect_language())
    state = t("cli.config_exists") if path.exists() else t("cli.config_missing")
    print(t("cli.config_file", path=path), state)
    target = env.target
    source = t("cli.source_default") if target.source == "default" else target.source
    print(t("cli.database_from", where=target.description, source=source))
    if target.path is not None and not target.path.exists():
        print(t("cli.database_none"))
    lang, source = env.language()  # reads the config: a broken one is reported here
    print(t("cli.language", language=lang, source=t(f"cli.source_{source}")))
    _print_targets(env)


def _print_targets(env: Env) -> None:
    """The daily targets (docs/domain.md §7.5): the center's, then each person's own, with the names
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
        fail(problem)
    if problems:
        raise typer.Exit(2)
