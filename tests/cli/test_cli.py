"""The desk command line: commands, one-line errors with exit code 2, and a light start-up."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import types
from datetime import UTC
from pathlib import Path

import pytest

from desk import __version__
from desk.cli import app
from desk.ring import post_ring, take_rings
from tests.helpers import PROBE, ROOT, assert_one_line_error, desk

pytestmark = pytest.mark.usefixtures("english")  # the commands speak English here


def staff_rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT name, role, extension, state, on_duty, rotation_position, english_name, is_new FROM staff ORDER BY id").fetchall()


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


# ---- commands ----------------------------------------------------------------------------


def test_version():
    result = desk("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"desk {__version__}"


def test_no_command_starts_the_tui(monkeypatch, tmp_path):
    calls = []
    fake = types.ModuleType("desk.app")
    fake.run_app = lambda db=None, lang=None: calls.append((db, lang))
    monkeypatch.setitem(sys.modules, "desk.app", fake)
    assert desk().exit_code == 0
    assert desk("--db", str(tmp_path / "x.db"), "--lang", "zh_CN").exit_code == 0
    assert calls == [(None, None), (str(tmp_path / "x.db"), "zh_CN")]


def test_staff_add_list_set_state(tmp_path):
    db = tmp_path / "c.db"
    assert desk("--db", str(db), "staff", "add", "王芳", "--role", "consultant", "--ext", "801", "--english-name", "Fiona").exit_code == 0
    assert desk("--db", str(db), "staff", "add", "陈静", "--role", "咨询师", "--ext", "805", "--new").exit_code == 0
    result = desk("--db", str(db), "staff", "add", "赵敏", "--role", "Receptionist", "--ext", "800")
    assert result.exit_code == 0 and "赵敏" in result.stdout
    assert staff_rows(db) == [
        ("王芳", "consultant", "801", "off_duty", 0, 1, "Fiona", 0),
        ("陈静", "consultant", "805", "off_duty", 0, 2, None, 1),
        ("赵敏", "receptionist", "800", "free", 0, None, None, 0),
    ]

    result = desk("--db", str(db), "staff", "set-state", "王芳", "on_call")
    assert result.exit_code == 0 and "on a call" in result.stdout
    assert desk("--db", str(db), "staff", "set-state", "jenny", "free").exit_code == 2  # nobody is Jenny
    assert desk("--db", str(db), "staff", "set-state", "FIONA", "with_visitor").exit_code == 0
    assert staff_rows(db)[0][3:5] == ("with_visitor", 1)

    listing = desk("--db", str(db), "--lang", "en", "staff", "list")
    assert listing.exit_code == 0
    for word in ("王芳 (Fiona)", "Consultant", "Receptionist", "801", "with a visitor", "Rotation"):
        assert word in listing.stdout
    zh = desk("--db", str(db), "--lang", "zh_CN", "staff", "list")
    assert "咨询师" in zh.stdout and "接待中" in zh.stdout


def test_staff_list_empty_says_what_to_do(tmp_path):
    assert desk("--db", str(tmp_path / "c.db"), "init").exit_code == 0
    result = desk("--db", str(tmp_path / "c.db"), "staff", "list")
    assert result.exit_code == 0 and "desk staff add" in result.stdout


def test_init_demo_writes_config_and_center(tmp_path):
    db = tmp_path / "center" / "desk.db"
    result = desk("--db", str(db), "init", "--demo", "--center", "明日IT学院")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "center" / "desk.toml").read_text(encoding="utf-8").count('name = "明日IT学院"') == 1
    assert len(staff_rows(db)) == 17
    listing = desk("--db", str(db), "staff", "list")
    assert "明日IT学院" in listing.stdout
    # A second init --demo refuses to overwrite the center.
    assert_one_line_error(desk("--db", str(db), "init", "--demo"), "demo --force")


def test_init_asks_for_the_roster_when_someone_types(tmp_path, monkeypatch):
    monkeypatch.setattr("desk.cli.common.interactive", lambda: True)
    db = tmp_path / "desk.db"
    # The first manager sets the center's first PIN (hidden, twice; a too-short one is asked again).
    typed = "王芳\n1\n801\n赵敏\nreceptionist\nabc\n800\n周强\n经理\n\n12\n12\n2580\n2580\n林涛\nteacher\n\n\n"
    result = desk("--db", str(db), "init", input=typed)
    assert result.exit_code == 0, result.output
    assert [row[:3] for row in staff_rows(db)] == [
        ("王芳", "consultant", "801"), ("赵敏", "receptionist", "800"), ("周强", "manager", None), ("林涛", "teacher", None),
    ]
    monkeypatch.setenv("DESK_PIN", "2580")
    assert desk("--db", str(db), "--as", "周强", "staff", "add", "新人", "--role", "consultant").exit_code == 0
    monkeypatch.setenv("DESK_PIN", "1111")
    assert desk("--db", str(db), "--as", "周强", "staff", "add", "新人2", "--role", "consultant").exit_code == 1
    assert (tmp_path / "desk.toml").exists()


def test_init_without_a_terminal_asks_nothing(tmp_path):
    result = desk("--db", str(tmp_path / "desk.db"), "init")
    assert result.exit_code == 0
    assert staff_rows(tmp_path / "desk.db") == []


def test_init_keeps_an_existing_config(tmp_path):
    config = tmp_path / "desk.toml"
    config.write_text('[ui]\nlanguage = "en"\n', encoding="utf-8")
    assert desk("--db", str(tmp_path / "desk.db"), "init").exit_code == 0
    assert config.read_text(encoding="utf-8") == '[ui]\nlanguage = "en"\n'
    assert desk("--db", str(tmp_path / "desk.db"), "init", "--center", "新中心").exit_code == 0
    text = config.read_text(encoding="utf-8")
    assert 'language = "en"' in text and 'name = "新中心"' in text


def test_demo_refuses_a_center_unless_forced_and_a_real_one_always(tmp_path, monkeypatch):
    db = tmp_path / "desk.db"
    assert desk("--db", str(db), "demo", "--days", "3").exit_code == 0
    monkeypatch.setenv("DESK_PIN", "1234")  # the demo's documented PIN; its manager adds staff
    assert desk("--db", str(db), "--as", "周强", "staff", "add", "老王", "--role", "teacher").exit_code == 0
    monkeypatch.delenv("DESK_PIN")
    assert_one_line_error(desk("--db", str(db), "demo", "--days", "3"), "--force")
    assert "老王" in [r[0] for r in staff_rows(db)]
    result = desk("--db", str(db), "demo", "--days", "3", "--seed", "5", "--force")
    assert result.exit_code == 0, result.output
    assert "seed 5" in result.stdout
    assert "老王" not in [r[0] for r in staff_rows(db)]
    real = tmp_path / "real.db"
    assert desk("--db", str(real), "staff", "add", "老王", "--role", "teacher").exit_code == 0
    assert_one_line_error(desk("--db", str(real), "demo", "--days", "3", "--force"), "real center")
    assert [r[0] for r in staff_rows(real)] == ["老王"]


def test_config_shows_where_things_are(tmp_path):
    db = tmp_path / "desk.db"
    result = desk("--db", str(db), "config")
    assert result.exit_code == 0
    assert str(tmp_path / "desk.toml") in result.stdout and "not created yet" in result.stdout
    assert str(db) in result.stdout and "en (from the system locale)" in result.stdout
    (tmp_path / "desk.toml").write_text('[ui]\nlanguage = "zh_CN"\n', encoding="utf-8")
    assert "zh_CN" in desk("--db", str(db), "config").stdout
    assert "en (from --lang)" in desk("--db", str(db), "--lang", "en", "config").stdout
    assert not db.exists()  # config opens nothing


def test_ring_posts_a_request_beside_the_database(tmp_path):
    db = tmp_path / "desk.db"
    assert desk("--db", str(db), "init").exit_code == 0
    assert desk("--db", str(db), "ring", "138 1234 5678").exit_code == 0
    assert desk("--db", str(db), "ring", "+86 10 6234 5678").exit_code == 0
    folder = tmp_path / "rings"
    files = sorted(folder.iterdir())
    assert len(files) == 2 and all(f.suffix == ".json" for f in files)
    assert json.loads(files[0].read_text(encoding="utf-8"))["number"] == "138 1234 5678"
    rings = take_rings(tmp_path)
    assert [ring.number for ring in rings] == ["138 1234 5678", "+86 10 6234 5678"]
    assert rings[0][1] <= rings[1][1] and rings[0][1].tzinfo is not None
    assert list(folder.iterdir()) == [] and take_rings(tmp_path) == []


def test_take_rings_oldest_first_and_drops_broken_files(tmp_path):
    from datetime import datetime

    post_ring(tmp_path, "222", at=datetime(2026, 11, 26, 2, 5, tzinfo=UTC))
    post_ring(tmp_path, "111", at=datetime(2026, 11, 26, 2, 0, tzinfo=UTC))
    (tmp_path / "rings" / "0-broken.json").write_text("{not json", encoding="utf-8")
    assert [ring.number for ring in take_rings(tmp_path)] == ["111", "222"]
    assert list((tmp_path / "rings").iterdir()) == []


# ---- errors: one line, exit code 2, files untouched ---------------------------------------


def test_db_is_a_directory(tmp_path):
    assert_one_line_error(desk("--db", str(tmp_path), "staff", "list"), "directory")
    assert_one_line_error(desk("--db", str(tmp_path), "ring", "138"), "directory")


def test_db_unreadable(tmp_path, monkeypatch):
    db = tmp_path / "desk.db"
    db.write_bytes(b"")
    before = snapshot(db)
    real_access = os.access
    monkeypatch.setattr("desk.db.os.access", lambda p, mode: False if Path(p) == db else real_access(p, mode))
    assert_one_line_error(desk("--db", str(db), "staff", "list"), "permission")
    assert snapshot(db) == before


@pytest.mark.parametrize("content", [b"just some notes\n", b"SQLite format 3\x00" + b"\x01" * 100])
def test_db_not_sqlite(tmp_path, content):
    db = tmp_path / "notes.txt"
    db.write_bytes(content)
    before = snapshot(db)
    assert_one_line_error(desk("--db", str(db), "staff", "list"), str(db))
    assert snapshot(db) == before


def test_db_with_foreign_tables(tmp_path):
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    before = snapshot(db)
    for args in (["staff", "list"], ["staff", "add", "X", "--role", "teacher"], ["demo"], ["init"]):
        assert_one_line_error(desk("--db", str(db), *args), "not a desk database")
    assert snapshot(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_db_from_a_newer_desk(tmp_path):
    db = tmp_path / "desk.db"
    assert desk("--db", str(db), "init").exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999_future'")
    before = snapshot(db)
    assert_one_line_error(desk("--db", str(db), "staff", "list"), "newer desk")
    assert snapshot(db) == before


@pytest.mark.parametrize(("url", "word"), [("foo://x", "foo"), ("mysql+mysqldb://u:pw@h/db", "not installed")])
def test_bad_database_url(monkeypatch, url, word):
    monkeypatch.setenv("DESK_DATABASE_URL", url)
    assert_one_line_error(desk("staff", "list"), word)
    assert_one_line_error(desk("demo"), word)


@pytest.mark.parametrize(
    ("source", "words"),
    [('[center]\nname = "x\n', ["desk.toml", "line 2"]), ('[center]\nname = "x"\ncolour = "red"\n', ["desk.toml:3:", "center.colour"])],
    ids=["syntax", "unknown-key"],
)
def test_broken_config(tmp_path, source, words):
    db = tmp_path / "desk.db"
    for command in ["staff", "list"], ["ring", "138"]:  # a center with no database is refused first
        assert_one_line_error(desk("--db", str(db), *command), "no database")
    assert desk("--db", str(db), "init").exit_code == 0
    config = tmp_path / "desk.toml"
    config.write_text(source, encoding="utf-8")
    before = snapshot(config)
    for args in (["staff", "list"], ["config"], ["init", "--center", "新名字"], ["demo"], ["ring", "138"]):
        assert_one_line_error(desk("--db", str(db), *args), *words)
    assert snapshot(config) == before


@pytest.mark.parametrize(
    "args",
    [
        ["nonsense"],
        ["--lang", "fr", "config"],
        ["staff", "add", "X"],
        ["staff", "add", "X", "--role", "janitor"],
        ["staff", "add", "X", "--role", "teacher", "--ext", "80a"],
        ["staff", "set-state", "X", "sleeping"],
        ["staff", "set-state", "Nobody", "free"],
        ["demo", "--days", "0"],
        ["demo", "--seed", "abc"],
        ["ring", "no digits"],
        ["--db"],
    ],
)
def test_bad_arguments(tmp_path, args):
    if args != ["--db"]:
        args = ["--db", str(tmp_path / "desk.db"), *args]
    assert_one_line_error(desk(*args))


def test_the_console_script_exits_2_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "desk", "--db", str(tmp_path), "staff", "list"],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith("desk: ") and "\n" not in result.stderr.strip()


# ---- start-up cost ------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["--version"], ["staff", "list"], ["config"], ["ring", "13812345678"]])
def test_light_commands_do_not_import_textual(tmp_path, args):
    db = tmp_path / "desk.db"
    if args in (["staff", "list"], ["ring", "13812345678"]):
        assert desk("--db", str(db), "init").exit_code == 0  # migrated: alembic is not needed
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(db), *args],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert "HEAVY [] CODE 0" in result.stderr, result.stderr


def test_group_without_a_command_shows_its_help():
    result = desk("staff")
    assert result.exit_code == 0 and "set-state" in result.stdout


# ---- the package's shape ------------------------------------------------------------------

CLI_SHARED = {"__init__", "common", "values", "center", "output"}  # desk/cli/ modules that hold no command


def test_every_help_text_comes_from_the_cli_help_catalog():
    """One namespace for the command line's help: every command's and option's help is a
    ``cli.help.*`` entry, and both languages have the same ones."""
    from typer.main import get_command

    from desk.i18n import catalog

    keys = {lang: {k for k in catalog(lang) if k.startswith("cli.help.")} for lang in ("en", "zh_CN")}
    assert keys["en"] == keys["zh_CN"]
    known = {catalog(lang)[k] for lang in keys for k in keys[lang]}

    def helps(command):
        yield command.name, command.help
        for param in command.params:
            if param.name != "help" and getattr(param, "help", None) is not None:
                yield f"{command.name} {param.name}", param.help
        for sub in getattr(command, "commands", {}).values():
            yield from helps(sub)

    found = list(helps(get_command(app)))
    assert len(found) > 60
    assert [where for where, text in found if text not in known] == []


def test_command_modules_import_no_other_command_module():
    """A command module of desk/cli/ imports only the shared ones, so none can loop."""
    import ast

    folder = ROOT / "desk" / "cli"
    commands = {path.stem for path in folder.glob("*.py")} - CLI_SHARED
    for stem in commands:
        tree = ast.parse((folder / f"{stem}.py").read_text(encoding="utf-8"))
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "desk.cli":
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("desk.cli."):
                imported.add(node.module.split(".")[2])
            elif isinstance(node, ast.Import):
                imported |= {a.name.split(".")[2] for a in node.names if a.name.startswith("desk.cli.")}
        assert imported <= CLI_SHARED, (stem, imported - CLI_SHARED)
