"""Each role tries every manager-only command and is refused in one line (issue 14); the
manager is not. In a center with PINs, on the command line, with the person's own PIN."""

from __future__ import annotations

import sqlite3

import pytest

from tests.helpers import desk

pytestmark = pytest.mark.usefixtures("english")

PINS = {"孙经理": "2580", "王芳": "1357", "李娜": "2468"}

MANAGER_ONLY = [
    ("staff", "add", "新人", "--role", "consultant"),
    ("staff", "pin", "孙经理"),
    ("report",),
    ("report", "month", "2026-11"),
    ("report", "month", "2026-11", "--full-numbers"),
    ("report", "pay", "--month", "2026-11"),
    ("audit",),
    ("audit", "verify"),
    ("backup",),
]


@pytest.fixture
def guarded(tmp_path, monkeypatch):
    db = str(tmp_path / "desk.db")
    for name, role in (("孙经理", "manager"), ("王芳", "consultant"), ("李娜", "receptionist")):
        assert desk("--db", db, "staff", "add", name, "--role", role).exit_code == 0
    monkeypatch.setenv("DESK_NEW_PIN", PINS["孙经理"])
    assert desk("--db", db, "staff", "pin", "孙经理").exit_code == 0
    monkeypatch.setenv("DESK_PIN", PINS["孙经理"])
    for name in ("王芳", "李娜"):
        monkeypatch.setenv("DESK_NEW_PIN", PINS[name])
        assert desk("--db", db, "--as", "孙经理", "staff", "pin", name).exit_code == 0
    monkeypatch.setenv("DESK_NEW_PIN", "9090")
    return db


@pytest.mark.parametrize("who", ["王芳", "李娜"])
@pytest.mark.parametrize("command", MANAGER_ONLY, ids=lambda c: " ".join(c))
def test_anyone_but_a_manager_is_refused_in_one_line(guarded, monkeypatch, who, command):
    monkeypatch.setenv("DESK_PIN", PINS[who])
    result = desk("--db", guarded, "--as", who, *command)
    assert result.exit_code == 1, (result.exit_code, result.output)
    err = result.stderr.strip()
    assert err.startswith("desk: ") and "\n" not in err and "may not" in err, err


@pytest.mark.parametrize("command", MANAGER_ONLY[2:], ids=lambda c: " ".join(c))
def test_the_manager_may(guarded, monkeypatch, command):
    monkeypatch.setenv("DESK_PIN", PINS["孙经理"])
    result = desk("--db", guarded, "--as", "孙经理", *command)
    assert result.exit_code == 0, result.output


def test_a_consultant_cannot_reassign_a_lead_by_naming_herself(guarded, monkeypatch):
    with sqlite3.connect(guarded) as conn:
        wang = conn.execute("SELECT id FROM staff WHERE name = '王芳'").fetchone()[0]
        conn.execute("INSERT INTO lead (name, phone, phone_digits, education, it_related, non_computer_only, channel,"
                     " stage, owner_id, has_contact, phone_contacted, brought_in_person, came_after_questionnaire,"
                     " first_call_result, validity_reasons, flag_checked, first_contact_at, created_at, updated_at)"
                     " VALUES ('张伟', '+8613812345678', '13812345678', 'unknown', 1, 0, 'phone', 'lead', ?, 1, 1, 0, 0,"
                     " 'connected', '[]', 0, '2026-11-26 02:00:00', '2026-11-26 02:00:00', '2026-11-26 02:00:00')", (wang,))
    monkeypatch.setenv("DESK_PIN", PINS["王芳"])
    result = desk("--db", guarded, "lead", "reassign", "--phone", "13812345678", "--to", "王芳", "--reason", "mine",
                  "--as", "王芳")
    assert result.exit_code != 0 and "\n" not in result.stderr.strip() and "manager" in result.stderr, result.stderr
