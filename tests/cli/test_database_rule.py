"""One rule picks the database of every command and of the ring hook (issue 12, items 8 and 9).

``--db`` first, then ``--demo`` (the demo center in the user folder), then
``DESK_DATABASE_URL``, then ``DESK_DB``, then the default file. Commands that only read (or
change rows that must exist) never create a database; a ring is posted only for a database
that is there, and a stale one is discarded with a note.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from desk.ring import RING_MAX_AGE, post_ring, take_rings, take_rings_split
from tests.helpers import ROOT, assert_one_line_error, desk

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def demo_center(desk_home):
    """The demo center built the way a new user builds it (a short one)."""
    result = desk("--demo", "demo", "--days", "3")
    assert result.exit_code == 0, result.output
    return desk_home / "demo" / "desk.db"


# ---- item 8: --demo and the ring hook ------------------------------------------------------


def test_demo_commands_use_the_demo_database(desk_home, demo_center):
    assert demo_center.exists()
    assert not (desk_home / "desk.db").exists()  # the user's own center is not touched
    listing = desk("--demo", "staff", "list")
    assert listing.exit_code == 0, listing.output
    assert "Rotation" in listing.stdout and "desk staff add" not in listing.stdout
    config = desk("--demo", "config")
    assert config.exit_code == 0
    assert str(demo_center) in config.stdout and str(desk_home / "demo" / "desk.toml") in config.stdout
    assert "--demo" in config.stdout  # says which option chose the database
    assert not (desk_home / "desk.db").exists()


def test_demo_report_is_the_demo_centers_not_an_empty_one(demo_center, monkeypatch):
    import json
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the demo center's clock
    monkeypatch.setenv("DESK_PIN", "1234")  # the demo's documented PIN: its manager reads the report
    result = desk("--demo", "--as", "周强", "report", "--from", (today - timedelta(days=4)).isoformat(), "--to", today.isoformat(),
                  "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["calls"]["total"] > 0


def test_demo_ring_reaches_the_demo_folder(desk_home, demo_center):
    result = desk("--demo", "ring", "13812345678")
    assert result.exit_code == 0, result.output
    assert [ring.number for ring in take_rings(demo_center.parent)] == ["13812345678"]
    assert not (desk_home / "rings").exists()


def test_demo_before_it_is_built_says_how_to_build_it(desk_home):
    for args in (["report"], ["staff", "list"], ["ring", "138"]):
        assert_one_line_error(desk("--demo", *args), "--demo")
    assert not (desk_home / "demo" / "desk.db").exists()


def test_db_and_demo_together_is_a_usage_error(tmp_path):
    assert_one_line_error(desk("--demo", "--db", str(tmp_path / "x.db"), "staff", "list"), "--demo", "--db")


def test_a_stale_ring_is_discarded_with_a_note_in_the_log(tmp_path, desk_home):
    now = datetime.now(UTC)
    post_ring(tmp_path, "111", at=now - RING_MAX_AGE - timedelta(seconds=30))
    post_ring(tmp_path, "222", at=now - timedelta(seconds=5))
    fresh, stale = take_rings_split(tmp_path, now=now)
    assert [ring.number for ring in fresh] == ["222"] and [ring.number for ring in stale] == ["111"]
    assert list((tmp_path / "rings").iterdir()) == []
    log = (desk_home / "logs" / "desk.log").read_text(encoding="utf-8")
    assert "111" in log and "discarded" in log


def test_ring_max_age_is_a_few_minutes():
    assert timedelta(minutes=1) <= RING_MAX_AGE <= timedelta(minutes=5)


# ---- item 9: reading commands never create a database --------------------------------------


READING = [
    ["report"], ["report", "month", "2026-11"], ["staff", "list"], ["lead", "unowned"],
    ["outreach", "list"], ["check"], ["backup"], ["staff", "set-state", "王芳", "free"],
]


@pytest.mark.parametrize("args", READING, ids=lambda a: " ".join(a))
def test_a_missing_db_named_by_the_option_is_an_error(tmp_path, args):
    db = tmp_path / "nowhere" / "desk.db"
    assert_one_line_error(desk("--db", str(db), *args), "--db", str(db))
    assert not db.exists() and not db.parent.exists()


@pytest.mark.parametrize("args", READING[:4], ids=lambda a: " ".join(a))
def test_a_missing_desk_db_is_an_error_naming_desk_db(tmp_path, monkeypatch, args):
    db = tmp_path / "typo.db"
    monkeypatch.setenv("DESK_DB", str(db))
    assert_one_line_error(desk(*args), "DESK_DB", str(db))
    assert not db.exists()


def test_a_missing_default_database_says_desk_init(desk_home):
    assert_one_line_error(desk("report"), "desk init")
    assert not (desk_home / "desk.db").exists()


def test_commands_that_make_a_center_still_create_it(tmp_path):
    assert desk("--db", str(tmp_path / "a.db"), "init").exit_code == 0
    assert desk("--db", str(tmp_path / "b.db"), "staff", "add", "王芳", "--role", "consultant").exit_code == 0
    assert (tmp_path / "a.db").exists() and (tmp_path / "b.db").exists()


def test_config_of_a_missing_database_says_so_and_creates_nothing(tmp_path, monkeypatch):
    db = tmp_path / "typo.db"
    monkeypatch.setenv("DESK_DB", str(db))
    result = desk("config")
    assert result.exit_code == 0
    assert str(db) in result.stdout and "DESK_DB" in result.stdout and "no database" in result.stdout
    assert not db.exists()


def test_a_ring_for_a_text_file_is_refused_like_every_command(tmp_path, monkeypatch):
    notes = tmp_path / "notes.txt"
    notes.write_text("just some notes\n", encoding="utf-8")
    monkeypatch.setenv("DESK_DB", str(notes))
    assert_one_line_error(desk("ring", "138"), "DESK_DB", str(notes))
    assert_one_line_error(desk("staff", "list"), "DESK_DB", str(notes))
    assert not (tmp_path / "rings").exists()


def test_a_ring_for_a_missing_database_is_refused(tmp_path):
    db = tmp_path / "desk.db"
    assert_one_line_error(desk("--db", str(db), "ring", "138"), "--db", str(db))
    assert not (tmp_path / "rings").exists()


def test_the_tui_on_a_text_file_names_desk_db(tmp_path, monkeypatch, capsys):
    from desk.entry import main

    notes = tmp_path / "notes.txt"
    notes.write_text("just some notes\n", encoding="utf-8")
    monkeypatch.setenv("DESK_DB", str(notes))
    with pytest.raises(SystemExit) as exit:
        main([])
    assert exit.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("desk: DESK_DB") and str(notes) in err and "\n" not in err


# ---- item 22: exit codes of these commands ------------------------------------------------


def test_a_ring_folder_that_cannot_be_written_exits_1(tmp_path, monkeypatch):
    db = tmp_path / "desk.db"
    assert desk("--db", str(db), "init").exit_code == 0

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "rings"))

    monkeypatch.setattr("desk.ring.post_ring", refuse)
    result = desk("--db", str(db), "ring", "138")
    assert result.exit_code == 1
    assert result.stderr.startswith("desk: ") and "Permission denied" in result.stderr
    assert result.stderr.count("\n") == 1


def test_ctrl_c_exits_130(tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("desk.cli.demo.build_demo_center", interrupted)
    assert desk("--db", str(tmp_path / "d.db"), "demo").exit_code == 130


# ---- item 16 (part): the help in the language asked for ------------------------------------


def _help(*args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    return subprocess.run([sys.executable, "-m", "desk", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**environ, "PYTHONPATH": str(ROOT), **env})


def test_help_in_chinese_with_lang_option():
    from desk.i18n import t

    result = _help("--lang", "zh_CN", "--help", LANG="en_US.UTF-8")
    assert result.returncode == 0, result.stderr
    assert t("cli.help.root.db", "zh_CN")[:4] in result.stdout
    assert t("cli.help.report.help", "zh_CN")[:4] in result.stdout
    assert t("cli.panel_options", "zh_CN") in result.stdout and "Options" not in result.stdout
    after_db = _help("--db", "x.db", "--lang", "zh_CN", "--help", LANG="en_US.UTF-8")
    assert t("cli.help.root.db", "zh_CN")[:4] in after_db.stdout
    sub = _help("--lang=zh_CN", "report", "--help", LANG="en_US.UTF-8")
    assert t("cli.help.report.format", "zh_CN")[:4] in sub.stdout


def test_help_in_chinese_from_the_locale_and_english_when_asked():
    from desk.i18n import t

    assert t("cli.help.root.db", "zh_CN")[:4] in _help("--help", LANG="zh_CN.UTF-8").stdout
    english = _help("--lang", "en", "--help", LANG="zh_CN.UTF-8").stdout
    assert t("cli.help.root.db", "en")[:17] in english


# ---- item 23 (part): desk demo's progress --------------------------------------------------


def test_demo_shows_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "desk", "--db", str(tmp_path / "d.db"), "demo", "--days", "2"],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_demo_shows_progress_on_a_terminal(tmp_path, monkeypatch):
    seen: list[tuple[int, int]] = []
    monkeypatch.setattr("desk.cli.center.stderr_is_terminal", lambda: True)
    monkeypatch.setattr("desk.cli.center.day_progress", lambda: _Recorder(seen))
    assert desk("--db", str(tmp_path / "d.db"), "demo", "--days", "3").exit_code == 0
    assert seen and seen[-1][0] == seen[-1][1] == 3


class _Recorder:
    def __init__(self, seen):
        self.seen = seen

    def __enter__(self):
        return lambda done, total: self.seen.append((done, total))

    def __exit__(self, *exc):
        return False
