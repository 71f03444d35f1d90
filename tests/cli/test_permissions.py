"""Several OS users on one center (issue 14): ``[files] group`` makes the database and its
journals the group's to write, the config, reports and backups the group's to read; without
it every file is its owner's alone; ``desk check`` names what is not so, with the fix.

Modes are read with ``stat``: the tests may run as root, whom every access check lets through.
"""

from __future__ import annotations

import grp
import os
import shutil
import sqlite3
import stat
import tempfile
from pathlib import Path

import pytest

from desk.config import load
from desk.db import open_database
from desk.files import write_text
from desk.permissions import Kind
from tests.helpers import desk

pytestmark = [
    pytest.mark.usefixtures("english"),
    pytest.mark.skipif(os.name == "nt", reason="POSIX modes and groups"),
]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _owner_only_afterwards():
    """A group configured here is this process's (desk.config.load): not the next test's."""
    yield
    load(None)


@pytest.fixture
def group() -> tuple[str, int]:
    """A group the user may give files to, other than their primary one where there is one
    (so the group is seen to be given, not inherited)."""
    primary = os.getgid()
    if os.geteuid() == 0:
        gids = [g.gr_gid for g in grp.getgrall() if g.gr_gid != primary]
    else:
        gids = [g for g in os.getgroups() if g != primary]
    gid = (gids or [primary])[0]
    return grp.getgrgid(gid).gr_name, gid


def shared_folder(folder: Path, gid: int, group_name: str) -> Path:
    """A center folder as the README has the administrator make it: the group's, setgid."""
    folder.mkdir(parents=True)
    os.chown(folder, -1, gid)
    os.chmod(folder, 0o2770)
    (folder / "desk.toml").write_text(f'[files]\ngroup = "{group_name}"\n', encoding="utf-8")
    return folder


def test_without_a_group_every_file_is_the_owners_alone(tmp_path):
    db = tmp_path / "new" / "center" / "desk.db"
    assert desk("--db", str(db), "staff", "add", "王芳", "--role", "consultant").exit_code == 0
    assert mode(db) == 0o600
    assert mode(db.parent) == mode(db.parent.parent) == 0o700  # the folders desk made
    engine = open_database(db)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM staff").all()
            wal, shm = db.with_name("desk.db-wal"), db.with_name("desk.db-shm")
            assert mode(wal) == mode(shm) == 0o600  # SQLite gave them the database file's mode
    finally:
        engine.dispose()
    assert desk("--db", str(db), "backup").exit_code == 0
    (made,) = (db.parent / "backups").iterdir()
    assert mode(made.parent) == 0o700 and mode(made) == 0o600
    assert desk("--db", str(db), "report", "-o", str(tmp_path / "day.csv")).exit_code == 0
    assert mode(tmp_path / "day.csv") == 0o600


def test_with_a_group_the_database_and_its_journals_are_the_groups_to_write(tmp_path, group):
    name, gid = group
    center = shared_folder(tmp_path / "center", gid, name)
    db = center / "desk.db"
    assert desk("--db", str(db), "staff", "add", "王芳", "--role", "consultant").exit_code == 0
    assert (mode(db), db.stat().st_gid) == (0o660, gid)
    engine = open_database(db)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM staff").all()
            for journal in (db.with_name("desk.db-wal"), db.with_name("desk.db-shm")):
                assert (mode(journal), journal.stat().st_gid) == (0o660, gid), journal
    finally:
        engine.dispose()
    assert desk("--db", str(db), "backup").exit_code == 0
    (made,) = (center / "backups").iterdir()
    assert (mode(made.parent), made.parent.stat().st_gid) == (0o2770, gid)  # others may back up too
    assert (mode(made), made.stat().st_gid) == (0o640, gid)


def test_a_report_written_with_a_group_is_the_groups_to_read(tmp_path, group):
    name, gid = group
    db = shared_folder(tmp_path / "center", gid, name) / "desk.db"
    assert desk("--db", str(db), "staff", "add", "王芳", "--role", "consultant").exit_code == 0
    out = tmp_path / "reports" / "day.xlsx"  # a folder of the user's, not setgid: desk gives the group
    out.parent.mkdir()
    result = desk("--db", str(db), "report", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert (mode(out), out.stat().st_gid) == (0o640, gid)


def test_drafts_stay_their_users_alone_with_a_group(tmp_path, group):
    name, _ = group
    (tmp_path / "desk.toml").write_text(f'[files]\ngroup = "{name}"\n', encoding="utf-8")
    load(tmp_path / "desk.toml")
    from desk.files import atomic_write

    draft = atomic_write(tmp_path / "drafts.json", lambda temp: temp.write_text("{}"), kind=Kind.PRIVATE)
    shared = write_text(tmp_path / "out.csv", "a\n")
    assert (mode(draft), mode(shared)) == (0o600, 0o640)


def test_a_file_the_group_cannot_be_given_stays_the_owners_alone(tmp_path):
    """Not opened to the writer's own group instead: desk check says what is wrong."""
    (tmp_path / "desk.toml").write_text(f'[files]\ngroup = "{_missing_group()}"\n', encoding="utf-8")
    load(tmp_path / "desk.toml")
    out = write_text(tmp_path / "out.csv", "a\n")
    assert (mode(out), out.stat().st_gid) == (0o600, os.getegid())


def test_a_ring_request_is_the_groups_desks_to_take(tmp_path, group):
    name, gid = group
    db = shared_folder(tmp_path / "center", gid, name) / "desk.db"
    assert desk("--db", str(db), "staff", "add", "王芳", "--role", "consultant").exit_code == 0
    assert desk("--db", str(db), "ring", "13812345678").exit_code == 0
    (request,) = (db.parent / "rings").iterdir()
    assert (mode(request.parent), mode(request), request.stat().st_gid) == (0o2770, 0o640, gid)


def test_the_config_is_the_groups_to_read_with_a_group(tmp_path, group):
    name, gid = group
    center = shared_folder(tmp_path / "center", gid, name)
    result = desk("--db", str(center / "desk.db"), "init", "--center", "星辰")
    assert result.exit_code == 0, result.output
    config = center / "desk.toml"
    assert (mode(config), config.stat().st_gid) == (0o640, gid)
    assert load(config).center.name == "星辰" and load(config).files.group == name

    alone = tmp_path / "alone"
    assert desk("--db", str(alone / "desk.db"), "init", "--center", "星辰").exit_code == 0
    assert mode(alone / "desk.toml") == 0o600


def test_check_names_a_database_open_to_every_user(tmp_path):
    db = tmp_path / "desk.db"
    assert desk("--db", str(db), "staff", "add", "王芳", "--role", "consultant").exit_code == 0
    assert desk("--db", str(db), "check").exit_code == 0
    os.chmod(db, 0o644)
    result = desk("--db", str(db), "check")
    assert result.exit_code == 1
    assert f"{db} is open to every user of this computer (mode 644): chmod 600 {db}" in result.stdout
    assert "problem(s) found" in result.stderr  # with the -wal, which SQLite made 0644 like it


def test_check_names_what_the_group_cannot_use_with_the_fix(tmp_path, group):
    name, gid = group
    center = shared_folder(tmp_path / "center", gid, name)
    db = center / "desk.db"
    assert desk("--db", str(db), "staff", "add", "王芳", "--role", "consultant").exit_code == 0
    os.chmod(center / "desk.toml", 0o640)
    os.chown(center / "desk.toml", -1, gid)
    assert desk("--db", str(db), "check").exit_code == 0
    os.chmod(db, 0o600)
    os.chmod(center, 0o755)
    os.chown(center, -1, os.getgid() if os.getgid() != gid else 65534)
    lines = desk("--db", str(db), "check").stdout.splitlines()
    assert f"{db} (mode 600) cannot be used by the group {name}: chmod 660 {db}" in lines
    assert f"{center} does not belong to the group {name}: chgrp {name} {center}" in lines
    assert f"{center} (mode 755) cannot be used by the group {name}: chmod 2770 {center}" in lines


def test_check_names_a_group_that_does_not_exist(tmp_path):
    db = tmp_path / "desk.db"
    assert desk("--db", str(db), "staff", "add", "王芳", "--role", "consultant").exit_code == 0
    missing = _missing_group()
    (tmp_path / "desk.toml").write_text(f'[files]\ngroup = "{missing}"\n', encoding="utf-8")
    result = desk("--db", str(db), "check")
    assert result.exit_code == 1
    assert f"the group {missing} of [files] group in {tmp_path / 'desk.toml'} does not exist" in result.stdout
    assert f"sudo groupadd {missing}" in result.stdout


def test_a_group_name_that_cannot_be_one_is_refused_at_its_line(tmp_path):
    from desk.errors import ConfigError

    (tmp_path / "desk.toml").write_text('[files]\ngroup = "desk staff"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"desk.toml:2: files.group must be the name of a group"):
        load(tmp_path / "desk.toml")


def _missing_group() -> str:
    """A group name this computer does not have."""
    known = {g.gr_name for g in grp.getgrall()}
    return next(f"desk{n}" for n in range(1000) if f"desk{n}" not in known)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to act as another user")
def test_another_user_in_the_group_writes_the_center(group):
    """``nobody``, in the group and nothing else, opens the database read-write: SQLite makes
    its own -wal and -shm in the setgid folder, the group's, and the first user sees the row."""
    import pwd

    name, gid = group
    nobody = pwd.getpwnam("nobody")
    top = Path(tempfile.mkdtemp(prefix="desk-shared-"))  # not under pytest's 0700 folders
    try:
        os.chmod(top, 0o711)
        db = shared_folder(top / "center", gid, name) / "desk.db"
        assert desk("--db", str(db), "staff", "add", "王芳", "--role", "consultant").exit_code == 0
        assert not db.with_name("desk.db-wal").exists()  # nobody makes it
        pid = os.fork()
        if pid == 0:  # the other user: exit 0 only if every step worked
            code = 1
            try:
                os.setgroups([gid])
                os.setgid(nobody.pw_gid)
                os.setuid(nobody.pw_uid)
                conn = sqlite3.connect(db, timeout=10)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("UPDATE staff SET extension = '801' WHERE name = '王芳'")
                conn.commit()
                wal = db.with_name("desk.db-wal").stat()
                code = 0 if (stat.S_IMODE(wal.st_mode), wal.st_gid) == (0o660, gid) else 3
                conn.close()
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        listing = desk("--db", str(db), "staff", "list")
        assert "801" in listing.stdout, listing.stdout
    finally:
        shutil.rmtree(top)
