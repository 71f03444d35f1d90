"""Outdoor promotion: recording an activity, its contacts, who owns them, the day's targets."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from desk.cli import app as cli_app
from desk.config import load
from desk.dal import followups as fu_dal
from desk.dal import outreach as outreach_dal
from desk.dal.outreach import ContactInput
from desk.errors import FieldError
from desk.models import AuditEntry, Lead, OutreachContact
from desk.reporting.day import build
from desk.screens.dialogs.confirm import ConfirmDialog
from desk.screens.followups import FollowUpsScreen
from desk.screens.outreach import CONTACT_FIELDS, OutreachScreen
from tests.helpers import add_lead, make_app, open_outreach, staff_id

TODAY = date(2026, 11, 26)


def street(store, *names, day=TODAY, place="人民广场", kind="street_promotion"):
    ids = [staff_id(store, n) for n in names or ("王芳",)]
    return outreach_dal.record(store, kind, day, place, ids)


def leads_by_phone(store):
    with store.read() as session:
        return {lead.phone: lead for lead in session.exec(select(Lead)).all()}


# ----- the data layer --------------------------------------------------------------------------
@pytest.mark.both_backends
def test_contacts_become_outdoor_leads_of_their_collector(desk_store):
    activity = street(desk_store, "王芳", "赵强")
    added = outreach_dal.add_contacts(desk_store, activity.id, [
        ContactInput("139-0000-0001", "张三", "UI设计"),
        ContactInput("+86 139 0000 0002", "李四", "会计", collector_id=staff_id(desk_store, "赵强")),
    ])
    assert [(a.name, a.new_lead, a.collector, a.owner) for a in added] == [
        ("张三", True, "王芳", "王芳"), ("李四", True, "赵强", "赵强"),
    ]
    leads = leads_by_phone(desk_store)
    zhang, li = leads["+8613900000001"], leads["+8613900000002"]
    assert (zhang.channel, zhang.owner_id, zhang.collector_id) == ("outdoor", staff_id(desk_store, "王芳"), staff_id(desk_store, "王芳"))
    assert zhang.media_source == "街头推广" and zhang.it_related and not zhang.non_computer_only
    assert zhang.has_contact and zhang.name_pinyin == "zhangsan"
    assert li.owner_id == staff_id(desk_store, "赵强") and li.non_computer_only and not li.it_related
    assert zhang.valid is None  # not judged until it is followed up (brought in, questionnaire)


@pytest.mark.both_backends
def test_a_known_phone_is_linked_not_duplicated_and_keeps_its_owner(desk_store):
    known = add_lead(desk_store, "李雷", "+8613800000002", owner="赵强")
    activity = street(desk_store, "王芳")
    added = outreach_dal.add_contacts(desk_store, activity.id, [ContactInput("13800000002", "李雷雷", "Java开发")])
    assert (added[0].new_lead, added[0].owner, added[0].lead_id) == (False, "赵强", known.id)
    leads = leads_by_phone(desk_store)
    assert len(leads) == 1
    lead = leads["+8613800000002"]
    assert (lead.name, lead.channel, lead.owner_id) == ("李雷", "phone", staff_id(desk_store, "赵强"))
    assert lead.course_interest == "Java开发"  # learned what it did not know
    with desk_store.read() as session:
        link = session.exec(select(OutreachContact)).one()
    assert (link.lead_id, link.new_lead, link.collector_id) == (known.id, False, staff_id(desk_store, "王芳"))
    summary = outreach_dal.activity(desk_store, activity.id)
    assert (summary.new_leads, summary.known) == (0, 1)


@pytest.mark.both_backends
def test_contacts_are_all_or_none_and_a_phone_once_per_activity(desk_store):
    activity = street(desk_store, "王芳")
    with pytest.raises(FieldError) as err:
        outreach_dal.add_contacts(desk_store, activity.id, [ContactInput("13900000001", "张三"), ContactInput("12345", "坏号")])
    assert (err.value.field, err.value.key, err.value.values["row"]) == ("phone", "phone.too_short", 2)
    with pytest.raises(FieldError) as err:
        outreach_dal.add_contacts(desk_store, activity.id, [ContactInput("13900000001", "张三"), ContactInput("139 0000 0001", "张三")])
    assert (err.value.key, err.value.values["row"]) == ("outreach.err_twice", 2)
    assert leads_by_phone(desk_store) == {}
    with pytest.raises(FieldError) as err:
        outreach_dal.add_contacts(desk_store, activity.id, [ContactInput("13900000001", collector_id=staff_id(desk_store, "赵强"))])
    assert err.value.field == "collector"
    with pytest.raises(FieldError) as err:
        outreach_dal.add_contacts(desk_store, 999, [ContactInput("13900000001")])
    assert err.value.key == "outreach.err_no_activity"


@pytest.mark.both_backends
def test_recording_checks_each_field(desk_store):
    wang = staff_id(desk_store, "王芳")
    cases = [
        (("flash_mob", TODAY, "x", [wang]), "kind"),
        (("event", TODAY + timedelta(days=1), "x", [wang]), "day"),
        (("event", TODAY, "  ", [wang]), "place"),
        (("event", TODAY, "x" * 201, [wang]), "place"),
        (("event", TODAY, "x", []), "staff"),
        (("event", TODAY, "x", [999]), "staff"),
    ]
    for args, field in cases:
        with pytest.raises(FieldError) as err:
            outreach_dal.record(desk_store, *args)
        assert err.value.field == field, args
    assert outreach_dal.activities(desk_store) == []
    saved = outreach_dal.record(desk_store, "job_fair", TODAY - timedelta(days=1), " 复旦招聘会 ", [wang, wang])
    with desk_store.read() as session:
        actions = [(a.action, a.table_name) for a in session.exec(select(AuditEntry)).all() if a.table_name.startswith("outreach")]
    assert actions == [("create", "outreach"), ("create", "outreach_staff")]
    assert outreach_dal.activity(desk_store, saved.id).place == "复旦招聘会"


@pytest.mark.both_backends
def test_kinds_and_people_are_read_as_typed(desk_store):
    assert [outreach_dal.parse_kind(x) for x in ("1", "校园讲座", "Job fair", "event")] == ["street_promotion", "campus_talk", "job_fair", "event"]
    with pytest.raises(FieldError):
        outreach_dal.parse_kind("5")
    assert [p.name for p in outreach_dal.find_people(desk_store, "王芳，赵强、王芳")] == ["王芳", "赵强"]
    with pytest.raises(FieldError) as err:
        outreach_dal.find_people(desk_store, "王芳, 钱七")
    assert err.value.values == {"name": "钱七"}


@pytest.mark.both_backends
def test_day_tally_per_activity_and_person_against_the_targets(desk_store):
    config = load(None)
    morning = street(desk_store, "王芳", "赵强")
    outreach_dal.add_contacts(desk_store, morning.id, [
        ContactInput("13900000001", "a"), ContactInput("13900000002", "b"), ContactInput("13900000003", "c"),
        ContactInput("13900000004", "d", collector_id=staff_id(desk_store, "赵强")),
    ])
    fair = street(desk_store, "王芳", kind="job_fair", place="人才市场")
    outreach_dal.add_contacts(desk_store, fair.id, [ContactInput(f"1390000010{i}", f"f{i}") for i in range(4)])
    yesterday = street(desk_store, "王芳", day=TODAY - timedelta(days=1))
    outreach_dal.add_contacts(desk_store, yesterday.id, [ContactInput("13900000201", "y")])

    wang = outreach_dal.day_tally(desk_store, staff_id(desk_store, "王芳"), config=config)
    assert (wang.street_contacts, wang.street_target, wang.event_forms, wang.event_target) == ((3,), 2, (4,), 10)
    zhao = outreach_dal.day_tally(desk_store, staff_id(desk_store, "赵强"), config=config)
    assert (zhao.street_contacts, zhao.event_forms) == ((1,), ())
    everyone = outreach_dal.day_tally(desk_store, None, config=config)
    assert (everyone.street_contacts, everyone.event_forms) == ((3, 1), (4,))
    assert outreach_dal.day_tally(desk_store, staff_id(desk_store, "王芳"), TODAY - timedelta(days=1)).street_contacts == (1,)
    counts = fu_dal.day_counts(desk_store, staff_id(desk_store, "王芳"), config)
    assert (counts.street_contacts, counts.event_forms, counts.street_target, counts.event_target) == ((3,), (4,), 2, 10)
    tallies = {t.name: (t.count, t.met) for t in outreach_dal.activity(desk_store, morning.id).tallies}
    assert tallies == {"王芳": (3, True), "赵强": (1, False)}


@pytest.mark.both_backends
def test_day_report_shows_outreach_per_consultant(desk_store):
    activity = street(desk_store, "王芳", "赵强")
    outreach_dal.add_contacts(desk_store, activity.id, [
        ContactInput("13900000001", "a"), ContactInput("13900000002", "b", collector_id=staff_id(desk_store, "赵强")),
    ])
    add_lead(desk_store, "李雷", "+8613800000002")
    talk = street(desk_store, "赵强", kind="campus_talk", place="复旦")
    outreach_dal.add_contacts(desk_store, talk.id, [ContactInput("13900000003", "c"), ContactInput("13800000002", "李雷")])
    doc = build(desk_store, TODAY)
    assert doc["outreach"]["street_promotion"] == {"activities": 1, "new_leads": 2, "known": 0}
    assert doc["outreach"]["campus_talk"] == {"activities": 1, "new_leads": 1, "known": 1}
    assert doc["outreach"]["job_fair"] == {"activities": 0, "new_leads": 0, "known": 0}
    rows = {c["name"]: c["outreach"] for c in doc["consultants"]}
    assert rows["王芳"] == {"street_promotions": 1, "street_contacts": 1, "events": 0, "event_forms": 0}
    assert rows["赵强"] == {"street_promotions": 1, "street_contacts": 1, "events": 1, "event_forms": 1}
    json.dumps(doc)
    only = build(desk_store, TODAY, consultant="赵强")
    assert [c["outreach"] for c in only["consultants"]] == [rows["赵强"]]
    assert build(desk_store, TODAY - timedelta(days=1))["outreach"]["street_promotion"]["activities"] == 0


# ----- the screen --------------------------------------------------------------------------------
async def test_street_promotion_with_three_contacts_one_already_a_lead(desk_store):
    known = add_lead(desk_store, "李雷", "+8613800000002", owner="赵强")
    app = make_app(desk_store)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        counts = app.screen.query_one("#fu-counts")
        assert "street promotion contacts —/2+" in str(counts.render())
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OutreachScreen)
        assert screen.focused.id == "or-place"
        assert screen.query_one("#or-staff").value == "王芳"
        await pilot.press(*"人民广场", "enter", "enter")  # place, then Enter in "run by" saves
        await pilot.pause()
        assert screen.focused.id == "or-name"
        assert screen.query_one("#or-place").disabled
        await pilot.press(*"Tom", "tab", *"13900000001", "tab", *"UI", "enter")
        await pilot.pause()
        assert screen.focused.id == "or-name" and screen.query_one("#or-phone").value == ""
        await pilot.press(*"Amy", "enter")  # Enter in the name moves to the phone
        assert screen.focused.id == "or-phone"
        await pilot.press(*"12345", "enter")
        await pilot.pause()
        assert "Too short" in str(screen.query_one("#or-phone-error").render())
        assert screen.query_one("#or-name").value == "Amy" and screen.focused.id == "or-phone"
        for _ in range(5):
            await pilot.press("backspace")
        await pilot.press(*"13900000003", "enter")
        await pilot.pause()
        await pilot.press(*"Lei", "tab", *"13800000002", "enter")
        await pilot.pause()
        assert "already a lead" in str(screen.query_one("#or-contact-status").render())
        table = screen.query_one("#or-contacts")
        assert [table.get_row_at(i)[1] for i in range(table.row_count)] == ["Tom", "Amy", "李雷"]
        assert "王芳 2/2+" in str(screen.query_one("#or-tallies").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        line = str(app.screen.query_one("#fu-counts").render())
        assert "street promotion contacts 2/2+" in line and "event forms —/10+" in line
    leads = leads_by_phone(desk_store)
    assert len(leads) == 3 and leads["+8613800000002"].id == known.id
    assert {leads[p].owner_id for p in ("+8613900000001", "+8613900000003")} == {staff_id(desk_store, "王芳")}
    assert leads["+8613800000002"].owner_id == staff_id(desk_store, "赵强")


async def test_events_officer_records_a_fair_run_by_a_consultant_in_chinese(desk_store):
    from desk.dal import staff as staff_dal

    staff_dal.add_staff(desk_store, name="周敏", role="events_officer")
    app = make_app(desk_store, user="周敏", lang="zh_CN")
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_outreach(pilot, app)
        assert screen.query_one("#or-staff").value == ""  # she records; the consultants collect
        await pilot.press("shift+tab", "shift+tab", "ctrl+a", "ctrl+k", *"3", "tab", "tab", *"人才市场", "enter", "enter")
        await pilot.pause()
        assert "谁参与了" in str(screen.query_one("#or-staff-error").render())
        await pilot.press(*"赵强", "ctrl+s")
        await pilot.pause()
        assert screen.query_one("#or-collector").value == "赵强"
        await pilot.press(*"小陈", "tab", *"13900000009", "enter")
        await pilot.pause()
        assert "新的户外咨询者" in str(screen.query_one("#or-contact-status").render())
        assert "赵强 1/10+" in str(screen.query_one("#or-tallies").render())
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.focused.id == "or-place" and screen.query_one("#or-place").value == ""
        await pilot.press("ctrl+l", "enter")  # go on with the fair
        await pilot.pause()
        assert screen.query_one("#or-place").value == "人才市场" and screen.focused.id == "or-name"
    fair = outreach_dal.activities(desk_store)[0]
    assert (fair.kind, fair.new_leads, [p.name for p in fair.staff]) == ("job_fair", 1, ["赵强"])
    with desk_store.read() as session:
        link = session.exec(select(OutreachContact)).one()
        recorded_by = session.exec(select(AuditEntry.actor_id).where(AuditEntry.table_name == "outreach")).one()
    assert link.collector_id == staff_id(desk_store, "赵强")
    assert leads_by_phone(desk_store)["+8613900000009"].owner_id == staff_id(desk_store, "赵强")
    assert recorded_by == staff_id(desk_store, "周敏")


async def test_esc_keeps_what_was_typed_for_the_next_opening(desk_store):
    """Esc is "back", in one key, even in a hurry; what was typed and not yet saved (an
    activity, or a contact row half done) is there again when the screen is reopened."""
    app = make_app(desk_store)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        await pilot.press(*"人民", "escape")  # called away while typing the place
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#or-place").value == "人民" and screen.focused.id == "or-place"
        assert outreach_dal.activities(desk_store) == []
        await pilot.press(*"广场", "enter", "enter")
        await pilot.pause()
        await pilot.press(*"Tom", "tab", *"1390000", "escape")  # the number only half taken down
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert [screen.query_one(f"#or-{n}").value for n in ("place", "name", "phone", "course", "collector")] == [
            "人民广场", "Tom", "1390000", "", "王芳"]
        assert screen.query_one("#or-place").disabled and screen.focused.id == "or-phone"
        assert "not added yet" in str(screen.query_one("#or-contact-status").render())
        await pilot.press(*"0001", "enter")
        await pilot.pause()
        table = screen.query_one("#or-contacts")
        assert [table.get_row_at(i)[1] for i in range(table.row_count)] == ["Tom"]
        await pilot.press("escape", "p")  # nothing left half typed: a new activity
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#or-place").value == "" and not screen.query_one("#or-place").disabled
        assert screen.query_one("#or-name").value == "" and screen.focused.id == "or-place"
    (activity,) = outreach_dal.activities(desk_store)
    assert (activity.place, activity.new_leads) == ("人民广场", 1)
    assert leads_by_phone(desk_store)["+8613900000001"].name == "Tom"


async def test_ctrl_o_asks_about_a_row_typed_and_not_added_and_never_carries_it_over(desk_store):
    """A row typed for one activity is never a contact of the next: Ctrl+O asks first, n
    goes back to it as typed, y adds it where it was typed; the new activity starts with an
    empty row. A row that cannot be added stays, with the message at its field."""
    app = make_app(desk_store)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_outreach(pilot, app)
        await pilot.press(*"人民广场", "enter", "enter")
        await pilot.pause()
        await pilot.press(*"Tom", "tab", *"13900000001", "ctrl+o")  # Enter forgotten
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.query_one("#cf-box Static").render())
        assert "Tom · 13900000001" in question and "人民广场" in question
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and screen.focused.id == "or-phone"
        assert [screen.query_one(f"#or-{n}").value for n in ("place", "name", "phone")] == ["人民广场", "Tom", "13900000001"]
        assert screen.query_one("#or-place").disabled and outreach_dal.activities(desk_store)[0].new_leads == 0
        await pilot.press("ctrl+o", "y")
        await pilot.pause()
        assert app.screen is screen and screen.focused.id == "or-place" and screen.query_one("#or-place").value == ""
        assert [screen.query_one(f"#or-{n}").value for n in CONTACT_FIELDS] == ["", "", "", ""]
        await pilot.press(*"复旦招聘会", "enter", "enter")
        await pilot.pause()
        assert [screen.query_one(f"#or-{n}").value for n in CONTACT_FIELDS] == ["", "", "", "王芳"]
        assert screen.query_one("#or-contacts").row_count == 0
        await pilot.press(*"Amy", "tab", *"139", "ctrl+o", "y")  # cannot be added: it stays
        await pilot.pause()
        assert app.screen is screen and screen.focused.id == "or-phone"
        assert "phone" in str(screen.query_one("#or-phone-error").render()).lower()
        assert [screen.query_one(f"#or-{n}").value for n in ("place", "name", "phone")] == ["复旦招聘会", "Amy", "139"]
    people = {a.place: [c.name for c in outreach_dal.contacts(desk_store, a.id)] for a in outreach_dal.activities(desk_store)}
    assert people == {"人民广场": ["Tom"], "复旦招聘会": []}


# ----- the command line --------------------------------------------------------------------------
@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    db = tmp_path / "c.db"
    for args in (["王芳", "--role", "consultant", "--english-name", "Fiona"], ["赵强", "--role", "consultant"]):
        assert desk("--db", str(db), "staff", "add", *args).exit_code == 0
    return db


def desk(*args):
    return CliRunner().invoke(cli_app, list(args))


def test_cli_add_then_list(cli_db):
    result = desk("--db", str(cli_db), "outreach", "add", "--kind", "street_promotion", "--place", "人民广场",
                  "--staff", "王芳,赵强", "--contact", "张三,13900000001,UI设计", "--contact", "李四，139 0000 0002，，赵强",
                  "--contact", "王五,13900000003,,fiona")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Activity #1 recorded: Street promotion") and "王芳, 赵强" in lines[0]
    assert "李四 139 0000 0002: new outdoor lead, collected by 赵强, owner 赵强" in lines[2]
    assert "王芳 2/2+ ✓ · 赵强 1/2+ ✗" in lines[-1]
    result = desk("--db", str(cli_db), "outreach", "add", "--to", "1", "--contact", "张三丰,13900000004")
    assert result.exit_code == 0 and "王芳 3/2+ ✓" in result.stdout
    result = desk("--db", str(cli_db), "outreach", "list", "--contacts", "--staff", "赵强")
    assert result.exit_code == 0 and "人民广场" in result.stdout and "张三丰" in result.stdout
    assert "No outdoor promotion" in desk("--db", str(cli_db), "outreach", "list", "--date", "2020-01-01").stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["add", "--kind", "fly", "--place", "x", "--staff", "王芳"], ["--kind", "Not a kind"]),
        (["add", "--kind", "1", "--place", "x", "--staff", "Nobody"], ["--staff", "Nobody"]),
        (["add", "--kind", "1", "--place", "x", "--staff", "王芳", "--date", "2999-01-01"], ["--date"]),
        (["add", "--kind", "1", "--place", "x", "--staff", "王芳", "--date", "soon"], ["--date", "not a date"]),
        (["add", "--kind", "1", "--staff", "王芳"], ["--place"]),
        (["add", "--to", "7", "--contact", "a,13900000001"], ["No activity 7"]),
        (["add", "--to", "1", "--kind", "1"], ["--to"]),
        (["add", "--kind", "1", "--place", "x", "--staff", "王芳", "--contact", "only-a-name"], ["--contact 1"]),
        (["add", "--kind", "1", "--place", "x", "--staff", "王芳", "--contact", "a,13900000001", "--contact", "b,123"],
         ["--contact 2", "Too short"]),
        (["add", "--kind", "1", "--place", "x", "--staff", "王芳", "--contact", "a,13900000001,,赵强"], ["--contact 1", "collector"]),
        (["list", "--from", "2026-11-26", "--to", "2026-11-01"], ["inverted"]),
        (["list", "--staff", "Nobody"], ["--staff"]),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(cli_db, args, words):
    result = desk("--db", str(cli_db), "outreach", *args)
    assert result.exit_code == 2, result.output
    err = result.stderr.strip()
    assert err.startswith("desk: ") and "\n" not in err and "Traceback" not in result.output
    for word in words:
        assert word in err, err


def test_cli_bad_contact_saves_nothing(cli_db):
    for bad in ("b,123", "b,13900000002,,Nobody", "a,139 0000 0001"):
        result = desk("--db", str(cli_db), "outreach", "add", "--kind", "1", "--place", "x", "--staff", "王芳",
                      "--contact", "a,13900000001", "--contact", bad)
        assert result.exit_code == 2 and "--contact 2" in result.stderr
    import sqlite3

    with sqlite3.connect(cli_db) as conn:
        assert [conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("lead", "outreach", "outreach_contact")] == [0, 0, 0]


# ----- the demo center ----------------------------------------------------------------------------
def test_demo_center_has_outdoor_activities_with_their_contacts(demo_store):
    found = outreach_dal.activities(demo_store, limit=1000)
    assert len(found) >= 3 and len({a.kind for a in found}) >= 2
    assert any(t.met for a in found for t in a.tallies) and any(not t.met for a in found for t in a.tallies)
    with demo_store.read() as session:
        links = session.exec(select(OutreachContact)).all()
        leads = {lead.id: lead for lead in session.exec(select(Lead)).all()}
    runners = {a.id: {p.id for p in a.staff} for a in found}
    assert links and all(link.collector_id in runners[link.outreach_id] for link in links)
    for link in links:
        lead = leads[link.lead_id]
        if link.new_lead:
            assert lead.channel == "outdoor" and lead.owner_id == lead.collector_id == link.collector_id
        else:
            assert lead.channel != "outdoor"
    assert any(not link.new_lead for link in links)


def test_cli_does_not_import_textual(cli_db):
    """The outreach commands are data-layer work: no Textual (nor Alembic on a migrated file)."""
    import subprocess
    import sys

    from tests.helpers import PROBE, ROOT
    for args in (["outreach", "list"], ["outreach", "add", "--kind", "1", "--place", "x", "--staff", "王芳", "--contact", "a,13900000001"]):
        result = subprocess.run([sys.executable, "-c", PROBE, "--db", str(cli_db), *args], capture_output=True, text=True, cwd=ROOT)
        assert "HEAVY [] CODE 0" in result.stderr, result.stderr
