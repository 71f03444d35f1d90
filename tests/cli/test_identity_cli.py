"""The command line acts as a signed-in person (issue 14): --as with a PIN, or the OS login
the config maps to a staff member; every write is audited with that person."""

from __future__ import annotations

import getpass
import json

import pytest

from tests.helpers import desk

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def guarded(tmp_path, monkeypatch):
    """A center of a manager and a consultant, the manager's PIN 2580, the consultant's 1357."""
    db = str(tmp_path / "desk.db")
    assert desk("--db", db, "staff", "add", "孙经理", "--role", "manager").exit_code == 0
    assert desk("--db", db, "staff", "add", "王芳", "--role", "consultant").exit_code == 0
    monkeypatch.setenv("DESK_NEW_PIN", "2580")
    assert desk("--db", db, "staff", "pin", "孙经理").exit_code == 0  # the first PIN: no one to ask yet
    monkeypatch.setenv("DESK_PIN", "2580")
    monkeypatch.setenv("DESK_NEW_PIN", "1357")
    done = desk("--db", db, "--as", "孙经理", "staff", "pin", "王芳")
    assert done.exit_code == 0, done.output
    monkeypatch.delenv("DESK_PIN")
    monkeypatch.delenv("DESK_NEW_PIN")
    return db


def _last_audit(db):
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT a.action, s.name, a.changes FROM audit a LEFT JOIN staff s ON s.id = a.actor_id"
                            " ORDER BY a.id DESC LIMIT 1").fetchone()


def test_nobody_signed_in_is_refused_a_write_in_a_center_with_pins(guarded):
    result = desk("--db", guarded, "staff", "add", "新人", "--role", "consultant")
    assert result.exit_code == 1 and "Sign in first" in result.stderr
    assert "\n" not in result.stderr.strip()


def test_a_consultant_is_refused_what_is_a_managers(guarded, monkeypatch):
    monkeypatch.setenv("DESK_PIN", "1357")
    result = desk("--db", guarded, "--as", "王芳", "staff", "add", "新人", "--role", "consultant")
    assert result.exit_code == 1 and "may not change the staff list" in result.stderr


def test_the_manager_with_the_right_pin_writes_and_is_named_in_the_audit(guarded, monkeypatch):
    monkeypatch.setenv("DESK_PIN", "2580")
    result = desk("--db", guarded, "--as", "孙经理", "staff", "add", "新人", "--role", "consultant")
    assert result.exit_code == 0, result.output
    action, actor, changes = _last_audit(guarded)
    assert (action, actor, json.loads(changes)["name"]) == ("create", "孙经理", "新人")


def test_a_wrong_pin_is_refused_and_audited(guarded, monkeypatch):
    monkeypatch.setenv("DESK_PIN", "0000")
    result = desk("--db", guarded, "--as", "孙经理", "staff", "add", "新人", "--role", "consultant")
    assert result.exit_code == 1 and "Wrong PIN" in result.stderr
    assert _last_audit(guarded)[:2] == ("signin_failed", "孙经理")


def test_without_a_terminal_or_desk_pin_the_pin_is_asked_for_by_name(guarded):
    result = desk("--db", guarded, "--as", "孙经理", "staff", "add", "新人", "--role", "consultant")
    assert result.exit_code == 2 and "DESK_PIN" in result.stderr


def test_an_os_login_mapped_in_the_config_needs_no_pin(guarded, tmp_path):
    (tmp_path / "desk.toml").write_text(f'[signin.os_users]\n"{getpass.getuser()}" = "孙经理"\n', encoding="utf-8")
    result = desk("--db", guarded, "staff", "add", "新人", "--role", "consultant")
    assert result.exit_code == 0, result.output
    assert _last_audit(guarded)[:2] == ("create", "孙经理")


def test_an_unknown_name_after_as_is_a_usage_error(guarded):
    result = desk("--db", guarded, "--as", "nobody", "staff", "list")
    assert result.exit_code == 2 and "Nobody called nobody" in result.stderr


def test_a_pin_never_appears_in_the_database_or_the_audit(guarded):
    import sqlite3

    with sqlite3.connect(guarded) as conn:
        dump = "\n".join(conn.iterdump())
    assert "2580" not in dump and "1357" not in dump


def test_reassigning_by_name_alone_no_longer_works_the_pin_proves_it(guarded, monkeypatch):
    monkeypatch.setenv("DESK_PIN", "2580")
    assert desk("--db", guarded, "--as", "孙经理", "staff", "add", "赵强", "--role", "consultant").exit_code == 0
    import sqlite3

    with sqlite3.connect(guarded) as conn:
        wang = conn.execute("SELECT id FROM staff WHERE name = '王芳'").fetchone()[0]
        conn.execute("INSERT INTO lead (name, phone, phone_digits, education, it_related, non_computer_only, channel,"
                     " stage, owner_id, has_contact, phone_contacted, brought_in_person, came_after_questionnaire,"
                     " first_call_result, validity_reasons, flag_checked, first_contact_at, created_at, updated_at)"
                     " VALUES ('张伟', '+8613812345678', '13812345678', 'unknown', 1, 0, 'phone', 'lead', ?, 1, 1, 0, 0,"
                     " 'connected', '[]', 0, '2026-11-26 02:00:00', '2026-11-26 02:00:00', '2026-11-26 02:00:00')", (wang,))
    args = ("--db", guarded, "lead", "reassign", "--phone", "13812345678", "--to", "赵强", "--reason", "away")
    monkeypatch.setenv("DESK_PIN", "1357")  # 王芳's PIN: not the manager's
    refused = desk(*args, "--as", "孙经理")
    assert refused.exit_code == 1 and "Wrong PIN" in refused.stderr
    monkeypatch.setenv("DESK_PIN", "2580")
    done = desk(*args, "--as", "孙经理")
    assert done.exit_code == 0, done.output
    assert _last_audit(guarded)[:2] == ("reassign", "孙经理")


def test_importing_a_list_needs_a_role_that_may(guarded, tmp_path, monkeypatch):
    listing = tmp_path / "list.csv"
    listing.write_text("姓名,电话,年龄,学历,意向课程\n张伟,13812345999,20,高中,Java开发\n", encoding="utf-8")
    monkeypatch.setenv("DESK_PIN", "1357")
    refused = desk("--db", guarded, "--as", "王芳", "import", str(listing), "--channel", "market")
    assert refused.exit_code == 1 and "may not import lead lists" in refused.stderr
    monkeypatch.setenv("DESK_PIN", "2580")
    assert desk("--db", guarded, "--as", "孙经理", "import", str(listing), "--channel", "market").exit_code == 0
