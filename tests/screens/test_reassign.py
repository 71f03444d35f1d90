"""A manager reassigns a lead, with a reason, logged (docs/domain.md §5.4): the data layer, the dialog
from the follow-up queue and the timeline, and ``desk lead reassign|unowned``."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from desk.cli import app as cli_app
from desk.dal import followups as fu_dal
from desk.dal import lectures as lectures_dal
from desk.dal import outcomes as outcomes_dal
from desk.dal import ownership
from desk.dal import pay as pay_dal
from desk.dal import reports as reports_dal
from desk.dal import staff as staff_dal
from desk.dal import visits as visits_dal
from desk.errors import FieldError
from desk.models import AuditEntry, FollowUp, Lead, Staff
from desk.reporting.day import payments_by_consultant
from desk.screens.followups import FollowUpsScreen
from desk.screens.reassign import ReassignDialog
from desk.screens.timeline import TimelineScreen
from tests.helpers import SHANGHAI, add_follow_up, add_lead, make_app, staff_id, table_rows


@pytest.fixture
def desk_store(store):
    """Two consultants on the floor, a receptionist, a manager, a principal and a consultant
    who has left; the clock of tests/conftest.py (Thursday 2026-11-26 10:00)."""
    for name, role, english in (("王芳", "consultant", None), ("赵强", "consultant", None), ("李娜", "receptionist", None),
                                ("孙经理", "manager", None), ("吴校长", "principal", "Wu"), ("钱多", "consultant", None)):
        person = staff_dal.add_staff(store, name=name, role=role, english_name=english)
        if role == "consultant":
            staff_dal.set_state(store, person.id, "free")
    with store.write() as session:
        session.get(Staff, staff_id(store, "钱多")).active = False
    return store


def as_(store, name):
    return store.with_actor(staff_id(store, name))


def owners(store, lead_id):
    """{follow-up kind: (owner name, done?)} of the lead."""
    with store.read() as session:
        rows = session.exec(
            select(FollowUp.kind, Staff.name, FollowUp.done_at).join(Staff, Staff.id == FollowUp.owner_id, isouter=True)
            .where(FollowUp.lead_id == lead_id)
        ).all()
    return {kind: (name, done is not None) for kind, name, done in rows}


def reassign_audit(store):
    with store.read() as session:
        return session.exec(select(AuditEntry).where(AuditEntry.action == "reassign").order_by(AuditEntry.id)).all()


def lecture_attendee(store, clock, phone="+8613900000009", name="陈晨"):
    """Someone who came to today's lecture unbooked: a lead with no owner and an open
    ``lecture_follow_up`` that nobody owns either (the check-in leaves the consultant free)."""
    lecture = lectures_dal.create_lecture(store, clock().replace(hour=9), "Python 入门")
    done = visits_dal.register(as_(store, "李娜"), visits_dal.VisitInput("lecture_attendee", name=name, phone=phone, lecture_id=lecture.id))
    assert done.lead.owner_id is None
    return done.lead


# ----- the data layer ---------------------------------------------------------------------------------
@pytest.mark.both_backends
def test_reassign_moves_the_lead_and_its_open_follow_ups_and_logs_the_reason(desk_store, clock):
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    add_follow_up(desk_store, "callback", lead, clock() + timedelta(hours=1))
    done = add_follow_up(desk_store, "balance_due", lead, clock() - timedelta(days=1))
    fu_dal.complete(desk_store, done.id, "reached")
    add_follow_up(desk_store, "complaint", lead, clock(), owner="孙经理")
    with desk_store.write() as session:  # a promised visit the sweep gave nobody
        fu_dal.create(session, desk_store, "promised_visit", None, clock() + timedelta(days=1), lead_id=lead.id)

    result = ownership.reassign(as_(desk_store, "孙经理"), lead.id, staff_id(desk_store, "赵强"), "  王芳 去了分校  ")

    assert (result.old_owner, result.new_owner, result.moved) == ("王芳", "赵强", 2)
    with desk_store.read() as session:
        assert session.get(Lead, lead.id).owner_id == staff_id(desk_store, "赵强")
    assert owners(desk_store, lead.id) == {
        "callback": ("赵强", False), "promised_visit": ("赵强", False),
        "balance_due": ("王芳", True),  # done: history is history
        "complaint": ("孙经理", False),  # a complaint is the manager's whoever owns the lead
    }
    entries = reassign_audit(desk_store)
    on_lead = [e for e in entries if e.table_name == "lead"]
    assert len(on_lead) == 1 and on_lead[0].row_id == lead.id
    assert on_lead[0].actor_id == staff_id(desk_store, "孙经理") and on_lead[0].reason == "王芳 去了分校"
    assert json.loads(on_lead[0].changes) == {"owner_id": [staff_id(desk_store, "王芳"), staff_id(desk_store, "赵强")]}
    assert sorted(e.table_name for e in entries) == ["follow_up", "follow_up", "lead"]
    assert {e.reason for e in entries} == {"王芳 去了分校"}


@pytest.mark.both_backends
def test_the_principal_may_reassign_too_and_an_unowned_lead_gets_its_first_owner(desk_store, clock):
    lead = lecture_attendee(desk_store, clock)
    result = ownership.reassign(as_(desk_store, "吴校长"), lead.id, staff_id(desk_store, "王芳"), "听完讲座，王芳跟进")
    assert (result.old_owner, result.new_owner, result.moved) == (None, "王芳", 1)
    assert owners(desk_store, lead.id) == {"lecture_follow_up": ("王芳", False)}


@pytest.mark.parametrize(
    ("actor", "to", "reason", "field", "key"),
    [
        ("孙经理", "赵强", "   ", "reason", "reassign.err_reason"),
        ("孙经理", "钱多", "离职前的交接", "owner", "reassign.err_not_consultant"),
        ("孙经理", "李娜", "前台接手", "owner", "reassign.err_not_consultant"),
        ("孙经理", "王芳", "还是她", "owner", "reassign.err_same"),
        ("孙经理", None, "没选人", "owner", "reassign.err_pick"),
        ("赵强", "赵强", "我想要", "actor", "reassign.err_not_manager"),
        ("李娜", "赵强", "前台决定", "actor", "reassign.err_not_manager"),
        (None, "赵强", "没人登录", "actor", "reassign.err_not_manager"),
    ],
)
@pytest.mark.both_backends
def test_refusals_name_their_field_and_change_nothing(desk_store, clock, actor, to, reason, field, key):
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    add_follow_up(desk_store, "callback", lead, clock() + timedelta(hours=1))
    store = as_(desk_store, actor) if actor else desk_store
    with pytest.raises(FieldError) as err:
        ownership.reassign(store, lead.id, staff_id(desk_store, to) if to else None, reason)
    assert (err.value.field, err.value.key) == (field, key)
    assert owners(desk_store, lead.id) == {"callback": ("王芳", False)}
    assert reassign_audit(desk_store) == []


@pytest.mark.both_backends
def test_no_such_lead_is_refused(desk_store):
    with pytest.raises(FieldError) as err:
        ownership.reassign(as_(desk_store, "孙经理"), 999, staff_id(desk_store, "赵强"), "x")
    assert (err.value.field, err.value.key, err.value.values) == ("lead", "reassign.err_no_lead", {"id": 999})


@pytest.mark.both_backends
def test_unowned_lists_leads_owed_something_with_nobody_to_do_it(desk_store, clock):
    waiting = lecture_attendee(desk_store, clock)
    add_lead(desk_store, "李雷", "+8613800000002")  # owned
    quiet = lecture_attendee(desk_store, clock, phone="+8613900000008", name="周周")
    with desk_store.write() as session:
        row = session.exec(select(FollowUp).where(FollowUp.lead_id == quiet.id)).one()
    fu_dal.complete(desk_store, row.id, "reached")  # nothing open: not the manager's worry
    found = ownership.unowned(desk_store)
    assert [(u.lead_id, u.name, u.open_follow_ups) for u in found] == [(waiting.id, "陈晨", 1)]
    assert found[0].first_due.tzinfo is not None
    ownership.reassign(as_(desk_store, "孙经理"), waiting.id, staff_id(desk_store, "赵强"), "讲座后分配")
    assert ownership.unowned(desk_store) == []


@pytest.mark.both_backends
def test_results_already_earned_stay_with_the_consultant_who_earned_them(desk_store, clock):
    """Enrollments and payments count for the enrollment's own consultant, not the lead's owner."""
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    outcomes_dal.enroll(desk_store, lead.id, course="UI 设计", amount_fen=1_280_000, paid_fen_now=1_280_000, due_on=None,
                        staff_id=staff_id(desk_store, "王芳"))
    ownership.reassign(as_(desk_store, "孙经理"), lead.id, staff_id(desk_store, "赵强"), "王芳离职")
    period = reports_dal.Period.of(desk_store, clock().date())
    with desk_store.read() as session:
        assert reports_dal.enrollments(session, period).by_consultant() == {staff_id(desk_store, "王芳"): (1, 1_280_000)}
        moves = pay_dal.movements(session, desk_store, period.start, period.end)
        assert payments_by_consultant(moves) == {("initial", staff_id(desk_store, "王芳")): (1, 1_280_000)}


@pytest.mark.both_backends
def test_candidates_are_active_consultants_with_todays_load(desk_store, clock):
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    add_follow_up(desk_store, "callback", lead, clock())
    visits_dal.register(desk_store, visits_dal.VisitInput("consult_walk_in", name="路人", phone="+8613800000005"))
    people = {p.name: p for p in ownership.candidates(desk_store)}
    assert list(people) == ["王芳", "赵强"]  # no receptionist, manager, nor the one who left
    assert (people["王芳"].open_follow_ups, people["赵强"].open_follow_ups) == (1, 0)
    assert people["王芳"].assigned_today + people["赵强"].assigned_today == 1


# ----- the dialog ------------------------------------------------------------------------------------------
def owner_cells(app):
    return [(row[3], str(row[5])) for row in table_rows(app)]


@pytest.mark.parametrize(("lang", "no_owner"), [("en", "no owner"), ("zh_CN", "无负责人")])
async def test_manager_gives_an_unowned_lecture_follow_up_to_a_consultant(desk_store, clock, lang, no_owner):
    lead = lecture_attendee(desk_store, clock)
    app = make_app(desk_store, user="孙经理", lang=lang)
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        assert owner_cells(app) == [("陈晨", no_owner)]
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReassignDialog) and dialog.focused.id == "ra-owners"
        await pilot.press("down", "enter")  # 王芳 is highlighted first; 赵强 is next
        assert dialog.focused.id == "ra-reason"
        await pilot.press(*"walk-in", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        assert owner_cells(app) == [("陈晨", "赵强")]
    assert owners(desk_store, lead.id) == {"lecture_follow_up": ("赵强", False)}
    with desk_store.read() as session:
        assert session.get(Lead, lead.id).owner_id == staff_id(desk_store, "赵强")
    assert [e.reason for e in reassign_audit(desk_store) if e.table_name == "lead"] == ["walk-in"]


async def test_a_refusal_shows_at_its_field_and_esc_leaves_everything_as_it_was(desk_store, clock):
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    add_follow_up(desk_store, "callback", lead, clock() + timedelta(hours=1))
    app = make_app(desk_store, user="孙经理")
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        await pilot.press("ctrl+s")  # 赵强 highlighted (王芳 owns it now), no reason yet
        await pilot.pause()
        assert "Give a reason" in str(dialog.query_one("#ra-reason-error").render())
        assert dialog.focused.id == "ra-reason"
        await pilot.press(*"dispute", "shift+tab", "up", "ctrl+s")  # back to 王芳, the owner now
        await pilot.pause()
        assert "owns this lead already" in str(dialog.query_one("#ra-owner-error").render())
        assert str(dialog.query_one("#ra-reason-error").render()) == ""
        assert dialog.query_one("#ra-reason").value == "dispute" and dialog.focused.id == "ra-owners"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
    assert owners(desk_store, lead.id) == {"callback": ("王芳", False)}
    assert reassign_audit(desk_store) == []


@pytest.mark.parametrize("user", ["王芳", "李娜"])
async def test_anyone_but_a_manager_is_told_why_not(desk_store, clock, user):
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    add_follow_up(desk_store, "callback", lead, clock() + timedelta(hours=1))
    app = make_app(desk_store, user=user)
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        if user == "李娜":  # the receptionist sees everyone's: a row to press on
            await pilot.press("o")
            await pilot.pause()
        assert len(table_rows(app)) == 1
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        assert [n.message for n in app._notifications] == ["Only a manager or the principal can reassign a lead."]
    assert owners(desk_store, lead.id) == {"callback": ("王芳", False)}


async def test_from_the_timeline_and_it_shows_the_new_owner(desk_store, clock):
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    add_follow_up(desk_store, "callback", lead, clock() + timedelta(hours=1))
    app = make_app(desk_store, user="孙经理")
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        depth = len(app.screen_stack)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("tab", *"王芳休产假", "enter")
        await pilot.pause()
        timeline = app.screen
        assert isinstance(timeline, TimelineScreen) and len(app.screen_stack) == depth
        table = timeline.query_one("#tl-table")
        assert [table.get_row_at(i)[2] for i in range(table.row_count)] == ["赵强"]
        assert "now 赵强's (open follow-ups moved: 1)" in [n.message for n in app._notifications][-1]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen) and owner_cells(app) == [("张伟", "赵强")]


# ----- the command line -------------------------------------------------------------------------------------
@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    """A center made with the CLI, with one lead of 王芳's owed a callback and an unowned one."""
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    db = tmp_path / "c.db"
    for args in (["王芳", "--role", "consultant"], ["赵强", "--role", "consultant", "--english-name", "Zack"],
                 ["孙经理", "--role", "manager", "--english-name", "Sun"], ["李娜", "--role", "receptionist"]):
        assert desk("--db", str(db), "staff", "add", *args).exit_code == 0
    from desk.dal.store import Store
    from desk.db import open_database

    engine = open_database(db)
    store = Store(engine, tz=SHANGHAI, clock=lambda: datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI))
    lead = add_lead(store, "张伟", "+8613800000001")
    add_follow_up(store, "callback", lead, store.now() + timedelta(hours=1))
    other = add_lead(store, "陈晨", "+8613900000009")
    with store.write() as session:
        session.get(Lead, other.id).owner_id = None
        fu_dal.create(session, store, "lecture_follow_up", None, store.now() + timedelta(days=1), lead_id=other.id)
    engine.dispose()
    return db


def desk(*args):
    return CliRunner().invoke(cli_app, list(args))


def test_cli_reassigns_by_phone_and_by_id_as_the_manager(cli_db):
    result = desk("--db", str(cli_db), "lead", "reassign", "--phone", "138 0000 0001", "--to", "zack", "--reason", "王芳休假",
                  "--as", "孙经理")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "张伟 138 0000 0001: 王芳 → 赵强 (open follow-ups moved: 1). Reason: 王芳休假"
    listed = desk("--db", str(cli_db), "lead", "unowned")
    assert listed.exit_code == 0 and "陈晨" in listed.stdout and "张伟" not in listed.stdout
    result = desk("--db", str(cli_db), "lead", "reassign", "--id", "2", "--to", "王芳", "--reason", "讲座后", "--as", "Sun")
    assert result.exit_code == 0 and "陈晨 139 0000 0009: no owner → 王芳" in result.stdout
    assert "Every lead with open follow-ups has an owner." in desk("--db", str(cli_db), "lead", "unowned").stdout
    import sqlite3

    with sqlite3.connect(cli_db) as conn:
        rows = conn.execute("SELECT a.row_id, s.name, a.reason FROM audit a JOIN staff s ON s.id = a.actor_id "
                            "WHERE a.action = 'reassign' AND a.table_name = 'lead' ORDER BY a.id").fetchall()
    assert rows == [(1, "孙经理", "王芳休假"), (2, "孙经理", "讲座后")]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--id", "1", "--to", "赵强", "--reason", "x"], ["--as"]),
        (["--id", "1", "--to", "赵强", "--reason", "x", "--as", "王芳"], ["--as", "Only a manager"]),
        (["--id", "1", "--to", "赵强", "--reason", "x", "--as", "Nobody"], ["--as", "Nobody"]),
        (["--id", "1", "--to", "Nobody", "--reason", "x", "--as", "孙经理"], ["--to", "Nobody"]),
        (["--id", "1", "--to", "李娜", "--reason", "x", "--as", "孙经理"], ["--to", "not an active consultant"]),
        (["--id", "1", "--to", "王芳", "--reason", "x", "--as", "孙经理"], ["--to", "owns this lead already"]),
        (["--id", "1", "--to", "赵强", "--reason", "  ", "--as", "孙经理"], ["--reason", "Give a reason"]),
        (["--id", "9", "--to", "赵强", "--reason", "x", "--as", "孙经理"], ["--id", "no lead 9"]),
        (["--to", "赵强", "--reason", "x", "--as", "孙经理"], ["--phone", "--id"]),
        (["--id", "1", "--phone", "13800000001", "--to", "赵强", "--reason", "x", "--as", "孙经理"], ["not both"]),
        (["--phone", "12", "--to", "赵强", "--reason", "x", "--as", "孙经理"], ["--phone", "short"]),
        (["--phone", "13800000077", "--to", "赵强", "--reason", "x", "--as", "孙经理"], ["13800000077"]),
    ],
)
def test_cli_bad_input_is_one_line_exit_2_and_changes_nothing(cli_db, args, words):
    result = desk("--db", str(cli_db), "lead", "reassign", *args)
    assert result.exit_code == 2, result.output
    err = result.stderr.strip()
    assert err.startswith("desk: ") and "\n" not in err and "Traceback" not in result.output
    for word in words:
        assert word in err, err
    import sqlite3

    with sqlite3.connect(cli_db) as conn:
        assert conn.execute("SELECT count(*) FROM audit WHERE action = 'reassign'").fetchone() == (0,)


def test_cli_does_not_import_textual(cli_db):
    from tests.helpers import PROBE, ROOT
    for args in (["lead", "unowned"], ["lead", "reassign", "--id", "1", "--to", "赵强", "--reason", "x", "--as", "孙经理"]):
        result = subprocess.run([sys.executable, "-c", PROBE, "--db", str(cli_db), *args], capture_output=True, text=True, cwd=ROOT)
        assert "HEAVY [] CODE 0" in result.stderr, result.stderr
