"""Reports and listings mask phone numbers (issue 14): ``--full-numbers`` is a manager's, and
every report written to a file is on the audit trail with who, what and how many rows."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.helpers import CENTER_TZ, desk, staff_id, transferred_call

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def guarded(tmp_path, monkeypatch):
    """A center of a manager (PIN 2580) and consultants 王芳 (PIN 1357) and 赵强 (1470), one inquiry this month:
    张伟, +86 138 1111 2222, put through to the consultant."""
    db = str(tmp_path / "desk.db")
    assert desk("--db", db, "staff", "add", "孙经理", "--role", "manager").exit_code == 0
    assert desk("--db", db, "staff", "add", "王芳", "--role", "consultant").exit_code == 0
    assert desk("--db", db, "staff", "add", "赵强", "--role", "consultant").exit_code == 0
    from desk.dal import staff as staff_dal
    from desk.dal.store import Store
    from desk.db import open_database

    store = Store(open_database(db), tz=CENTER_TZ)  # the default config's center
    staff_dal.set_state(store, staff_id(store, "王芳"), "free")
    transferred_call(store, to="王芳", number="+8613811112222", name="张伟")
    monkeypatch.setenv("DESK_MONTH", store.today().strftime("%Y-%m"))
    store.engine.dispose()
    monkeypatch.setenv("DESK_NEW_PIN", "2580")
    assert desk("--db", db, "staff", "pin", "孙经理").exit_code == 0
    monkeypatch.setenv("DESK_PIN", "2580")
    monkeypatch.setenv("DESK_NEW_PIN", "1357")
    assert desk("--db", db, "--as", "孙经理", "staff", "pin", "王芳").exit_code == 0
    monkeypatch.setenv("DESK_NEW_PIN", "1470")
    assert desk("--db", db, "--as", "孙经理", "staff", "pin", "赵强").exit_code == 0
    monkeypatch.delenv("DESK_NEW_PIN")
    return db


def _month():
    import os

    return os.environ["DESK_MONTH"]


def _exports(db):
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT s.name, a.changes FROM audit a LEFT JOIN staff s ON s.id = a.actor_id"
                            " WHERE a.action = 'export' ORDER BY a.id").fetchall()
    return [(name, json.loads(changes)) for name, changes in rows]


def test_a_consultant_asking_for_full_numbers_is_refused_in_one_line(guarded, monkeypatch):
    monkeypatch.setenv("DESK_PIN", "1357")
    result = desk("--db", guarded, "--as", "王芳", "report", "month", _month(), "--full-numbers", "--format", "json")
    assert result.exit_code == 1, result.output
    assert "export full phone numbers" in result.stderr and "\n" not in result.stderr.strip()
    assert "13811112222" not in result.stdout and _exports(guarded) == []


def test_the_manager_gets_masked_numbers_unless_asking_for_full_ones(guarded):
    masked = desk("--db", guarded, "--as", "孙经理", "report", "month", _month(), "--format", "json")
    assert masked.exit_code == 0, masked.output
    [row] = json.loads(masked.stdout)["register"]
    assert row["phone"] == "138****2222"
    assert _exports(guarded) == []  # to the terminal, masked: no file, nothing exported
    full = desk("--db", guarded, "--as", "孙经理", "report", "month", _month(), "--full-numbers", "--format", "json")
    assert full.exit_code == 0, full.output
    [row] = json.loads(full.stdout)["register"]
    assert row["phone"] == "138 1111 2222"
    [(who, what)] = _exports(guarded)
    assert (who, what["what"], what["full_numbers"], what["file"]) == ("孙经理", "month", True, None)


def test_an_export_to_a_file_is_audited_with_its_rows(guarded, tmp_path):
    out = tmp_path / "register.csv"
    result = desk("--db", guarded, "--as", "孙经理", "report", "month", _month(), "--output", str(out))
    assert result.exit_code == 0, result.output
    assert "138****2222" in out.read_text(encoding="utf-8") and "1111" not in out.read_text(encoding="utf-8")
    [(who, what)] = _exports(guarded)
    assert who == "孙经理"
    assert what == {"what": "month", "period": _month(), "rows": 1, "full_numbers": False, "file": str(out)}


def test_the_day_report_to_a_file_is_audited_too(guarded, tmp_path):
    out = tmp_path / "day.xlsx"
    result = desk("--db", guarded, "--as", "孙经理", "report", "--output", str(out))
    assert result.exit_code == 0, result.output
    [(who, what)] = _exports(guarded)
    assert (who, what["what"], what["file"]) == ("孙经理", "day", str(out)) and what["rows"] > 0


def test_the_unowned_listing_is_masked_but_to_a_manager(guarded, monkeypatch):
    from datetime import timedelta

    from sqlmodel import update

    from desk.dal.store import Store
    from desk.db import open_database
    from desk.models import Lead
    from tests.helpers import add_follow_up, add_lead

    store = Store(open_database(guarded), tz=CENTER_TZ)
    lead = add_lead(store, "李雷", "+8613933334444", owner="王芳")
    add_follow_up(store, "callback", lead, store.now() + timedelta(hours=1), owner="王芳")
    with store.write() as session:
        session.execute(update(Lead).where(Lead.id == lead.id).values(owner_id=None))
    store.engine.dispose()
    monkeypatch.setenv("DESK_PIN", "1357")
    mine = desk("--db", guarded, "--as", "王芳", "lead", "unowned", "--format", "json")
    assert mine.exit_code == 0, mine.output
    assert [row["phone"] for row in json.loads(mine.stdout)] == ["139****4444"]
    monkeypatch.setenv("DESK_PIN", "2580")
    theirs = desk("--db", guarded, "--as", "孙经理", "lead", "unowned")
    assert theirs.exit_code == 0, theirs.output
    assert "139 3333 4444" in theirs.stdout


def test_outreach_contacts_are_masked_to_a_consultant_who_neither_owns_nor_collected_them(guarded, monkeypatch):
    monkeypatch.setenv("DESK_PIN", "2580")
    added = desk("--db", guarded, "--as", "孙经理", "outreach", "add", "--kind", "street_promotion", "--place", "东门",
                 "--staff", "孙经理", "--contact", "李雷,13955556666,Java")
    assert added.exit_code == 0, added.output
    manager = desk("--db", guarded, "--as", "孙经理", "outreach", "list", "--contacts", "--format", "json")
    assert [c["phone"] for c in json.loads(manager.stdout)[0]["contacts"]] == ["+8613955556666"]
    pins = {"王芳": "1357", "赵强": "1470"}
    owner = json.loads(manager.stdout)[0]["contacts"][0]["owner"]  # the rotation's pick
    [other] = set(pins) - {owner}
    for name, phone in ((owner, "+8613955556666"), (other, "139****6666")):
        monkeypatch.setenv("DESK_PIN", pins[name])
        listed = desk("--db", guarded, "--as", name, "outreach", "list", "--contacts", "--format", "json")
        assert listed.exit_code == 0, listed.output
        assert [c["phone"] for c in json.loads(listed.stdout)[0]["contacts"]] == [phone], name
