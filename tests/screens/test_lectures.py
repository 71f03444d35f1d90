"""Lectures (issue 5): booking ahead, checking bookings at the door, no-shows, the follow-up."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from desk.dal import lectures as lectures_dal
from desk.dal import visits as visits_dal
from desk.dal.store import Store
from desk.errors import FieldError
from desk.i18n import t
from desk.models import AuditEntry, FollowUp, Lead, LectureBooking, Visit
from desk.screens.dialogs.lectures import BookLeadDialog, LectureDialog
from desk.screens.lectures import BookingsScreen, BookPersonDialog, LecturesScreen
from desk.screens.notes import NoteForm
from desk.screens.walkins import WalkInsScreen
from tests.helpers import SHANGHAI, Clock, add_lead, choose_type, make_app, staff_id


@pytest.fixture
def clock():
    """Thursday 2026-11-26 10:00 at the center; tests move it."""
    return Clock(at(26, 10))


@pytest.fixture
def desk_store(engine, clock):
    """Two free consultants (王芳, 赵强), a receptionist (李娜) and a manager (孙经理)."""
    from desk.dal import staff as staff_dal

    store = Store(engine, tz=SHANGHAI, clock=clock)
    for name, role, ext in (("王芳", "consultant", "801"), ("赵强", "consultant", "802"), ("李娜", "receptionist", "800"),
                            ("孙经理", "manager", "888")):
        person = staff_dal.add_staff(store, name=name, role=role, extension=ext)
        if role == "consultant":
            staff_dal.set_state(store, person.id, "free")
    return store


def opening(day: int) -> datetime:
    """The center's opening time (config [hours] open) on 2026-11-``day``."""
    from desk.config import load

    return datetime.combine(at(day, 0).date(), load(None).hours.open, tzinfo=SHANGHAI)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def rows(app, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(table_id)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def booking_rows(store):
    with store.read() as session:
        return session.exec(
            select(LectureBooking, Lead).join(Lead, Lead.id == LectureBooking.lead_id).order_by(LectureBooking.id)
        ).all()


def as_user(store, name: str) -> Store:
    return store.with_actor(staff_id(store, name))


async def test_book_ahead_check_in_at_the_door_and_the_other_is_a_no_show(desk_store, clock):
    """Thursday 10:00: a 14:00 lecture; a known lead and a new person booked ahead; the known
    one checks in at the door from the walk-in form; on Friday the other shows as no-show."""
    zhang = add_lead(desk_store, "张伟", "+8613800000001", owner="王芳")
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, LecturesScreen)
        assert t("lectures.none") in shown(app, "#lec-empty")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, LectureDialog)
        await pilot.press(*"14:00", "enter", *"Java 入门", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LecturesScreen)
        assert rows(app, "#lec-table") == [["2026-11-26 Thu 14:00", "Java 入门", "0", "0", "today"]]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BookingsScreen)

        # the known lead, by phone: Enter books at once
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BookPersonDialog)
        await pilot.press(*"13800000001")
        await pilot.pause()
        assert "Known lead 张伟" in shown(app, "#bp-who-note")
        await pilot.press("enter")
        await pilot.pause()
        # a new person: phone, Enter, name, Enter, channel from the list
        await pilot.press("b")
        await pilot.pause()
        await pilot.press(*"13900009999")
        await pilot.pause()
        assert "new lead" in shown(app, "#bp-who-note")
        await pilot.press("enter", *"Lily", "enter", "down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BookingsScreen)
        assert "Lily booked for Java 入门" in shown(app, "#bk-status")
        assert rows(app, "#bk-table") == [
            ["Lily", "139 0000 9999", "李娜", "11-26 10:00", "booked"],
            ["张伟", "138 0000 0001", "李娜", "11-26 10:00", "booked"],
        ]
        assert "Booked 2 · came 0" in shown(app, "#bk-head")

        # booking the same person twice: said at the field, nothing written
        await pilot.press("b")
        await pilot.pause()
        await pilot.press(*"zw")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BookPersonDialog)
        assert "张伟 is already booked for this lecture." in shown(app, "#bp-who-error")
        await pilot.press("escape", "escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, WalkInsScreen)

        # 13:50, at the door: the walk-in form, lecture attendee, the phone; the only lecture today
        clock.moment = at(26, 13, 50)
        await choose_type(pilot, "lecture_attendee")
        await pilot.pause()
        assert "14:00 · Java 入门 · 2 booked, 0 came" in shown(app, "#wk-lectures")
        await pilot.press(*"13800000001", "ctrl+s")
        await pilot.pause()
        assert "张伟 checked in to Java 入门" in shown(app, "#wk-result")

        # the same person again at the door: refused at the lecture field, no second visit
        await choose_type(pilot, "lecture_attendee")
        await pilot.press(*"13800000001", "ctrl+s")
        await pilot.pause()
        assert "张伟 has already been checked in to this lecture." in shown(app, "#wk-lecture-error")

        # Friday: the lecture has passed; Lily never came
        clock.moment = at(27, 10)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert rows(app, "#lec-table") == [["2026-11-26 Thu 14:00", "Java 入门", "2", "1", "past"]]
        await pilot.press("enter")
        await pilot.pause()
        assert [r[4] for r in rows(app, "#bk-table")] == ["no-show", "came"]
        assert "Booked 2 · came 1 · no-show 1" in shown(app, "#bk-head")
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BookingsScreen)
        assert "bookings are closed" in shown(app, "#bk-status")
        await pilot.press("a")  # Lily, highlighted first: too late to check in
        await pilot.pause()
        assert "check-ins are taken on its day" in shown(app, "#bk-status")

    bookings = booking_rows(desk_store)
    assert [(lead.name, b.attended, b.booked_by_id) for b, lead in bookings] == [
        ("张伟", True, staff_id(desk_store, "李娜")), ("Lily", False, staff_id(desk_store, "李娜")),
    ]
    lily = bookings[1][1]
    assert (lily.phone, lily.channel, lily.owner_id) == ("+8613900009999", "outdoor", None)
    with desk_store.read() as session:
        (visit,) = session.exec(select(Visit)).all()
        follow_ups = session.exec(select(FollowUp).where(FollowUp.kind == "lecture_follow_up")).all()
        leads = session.exec(select(Lead)).all()
    assert (visit.visitor_type, visit.lead_id, visit.lecture_id) == ("lecture_attendee", zhang.id, bookings[0][0].lecture_id)
    assert len(leads) == 2  # the door check-in found 张伟: no new lead
    (follow,) = follow_ups
    assert (follow.lead_id, follow.owner_id, follow.note) == (zhang.id, staff_id(desk_store, "王芳"), "Java 入门")
    assert desk_store.local(follow.due_at) == opening(27)  # the next working day, at opening


async def test_marking_arrived_in_the_list_is_a_check_in_and_a_saturday_lecture_is_followed_up_monday(desk_store, clock):
    clock.moment = at(28, 9)  # Saturday, the last working day of the week (config [hours])
    lecture = lectures_dal.create_lecture(desk_store, at(28, 10), "Python")
    lead = add_lead(desk_store, "王五", "+8613800000005", owner="赵强")
    lectures_dal.book(as_user(desk_store, "王芳"), lecture.id, lead_id=lead.id)
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(140, 50)) as pilot:
        app.push_screen(BookingsScreen(lecture.id))
        await pilot.pause()
        assert rows(app, "#bk-table") == [["王五", "138 0000 0005", "王芳", "11-28 09:00", "booked"]]
        clock.moment = at(28, 9, 55)
        await pilot.press("a")
        await pilot.pause()
        assert rows(app, "#bk-table")[0][4] == "came"
        assert "王五 checked in to Python" in shown(app, "#bk-status")
        await pilot.press("a")
        await pilot.pause()
        assert "王五 has already been checked in" in shown(app, "#bk-status")
        await pilot.press("x", "y")
        await pilot.pause()
        assert "an attended booking stays on record" in shown(app, "#bk-status")
    with desk_store.read() as session:
        (visit,) = session.exec(select(Visit)).all()
        (follow,) = session.exec(select(FollowUp)).all()
    assert (visit.visitor_type, visit.lead_id, visit.received_by_id) == ("lecture_attendee", lead.id, staff_id(desk_store, "赵强"))
    assert (follow.kind, follow.owner_id) == ("lecture_follow_up", staff_id(desk_store, "赵强"))
    assert desk_store.local(follow.due_at) == opening(30)  # Monday


async def test_cancel_a_booking_asks_first_and_search_filters_the_list(desk_store, clock):
    lecture = lectures_dal.create_lecture(desk_store, at(28, 19), "Web design")
    for name, phone in (("张伟", "+8613800000001"), ("李雷", "+8613800000002"), ("韩梅梅", "+8613800000003")):
        lectures_dal.book(desk_store, lecture.id, name=name, phone=phone, channel="phone")
    app = make_app(desk_store, user="李娜", lang="zh_CN")
    async with app.run_test(size=(140, 50)) as pilot:
        app.push_screen(LecturesScreen())
        await pilot.pause()
        assert rows(app, "#lec-table")[0][1:4] == ["Web design", "3", "0"]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("slash", *"0002", "enter")
        await pilot.pause()
        assert [r[0] for r in rows(app, "#bk-table")] == ["李雷"]
        await pilot.press("x", "n")
        await pilot.pause()
        assert len(booking_rows(desk_store)) == 3
        await pilot.press("x")
        await pilot.pause()
        assert "李雷" in str(app.screen.query_one("#cf-box Static").render())
        await pilot.press("y")
        await pilot.pause()
        assert "已取消 李雷 的预约" in shown(app, "#bk-status")
        await pilot.press("escape")  # clears the search first
        await pilot.pause()
        assert [r[0] for r in rows(app, "#bk-table")] == ["韩梅梅", "张伟"]
        assert "预约 2 人" in shown(app, "#bk-head")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LecturesScreen)
        assert rows(app, "#lec-table")[0][2] == "2"
    assert sorted(lead.name for _, lead in booking_rows(desk_store)) == ["张伟", "韩梅梅"]
    with desk_store.read() as session:
        gone = session.exec(select(AuditEntry).where(AuditEntry.table_name == "lecture_booking", AuditEntry.action == "delete")).one()
    assert '"lead_id"' in gone.changes


async def test_a_consultant_on_the_phone_books_the_lead_from_the_note_form(desk_store, clock):
    lead = add_lead(desk_store, "张伟", "+8613800000001", owner="王芳")
    lectures_dal.create_lecture(desk_store, at(26, 9, 30), "Started already")
    soon = lectures_dal.create_lecture(desk_store, at(28, 14), "Java 入门")
    app = make_app(desk_store, user="王芳")
    async with app.run_test(size=(140, 50)) as pilot:
        app.push_screen(NoteForm(lead.id))
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, BookLeadDialog)
        options = app.screen.query_one("#bl-lectures")
        assert options.option_count == 1  # the lecture under way is not offered
        assert "Java 入门 · 0 booked" in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteForm)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "already booked" in str(app.screen.query_one("#bl-lectures").get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert "张伟 is already booked for this lecture." in shown(app, "#bl-lecture-error")
        # n: a new lecture from the dialog, then booked
        await pilot.press("n", *"12-05 10:00", "enter", *"Office", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BookLeadDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteForm)
        assert app.screen.query_one("#nf-name").value == "张伟"  # nothing typed was lost
    bookings = booking_rows(desk_store)
    assert next((b.lecture_id, b.booked_by_id) for b, _ in bookings) == (soon.id, staff_id(desk_store, "王芳"))
    assert len(bookings) == 2 and all(found.id == lead.id for _, found in bookings)


async def test_bad_input_is_said_at_the_field(desk_store, clock):
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(140, 50)) as pilot:
        app.push_screen(LecturesScreen())
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"02-30 19:00", "enter", "enter")
        await pilot.pause()
        assert "That date does not exist." in shown(app, "#lec-when-error")
        await pilot.press("ctrl+a", "ctrl+k", *"11-20 19:00", "ctrl+s")
        await pilot.pause()
        assert "2026-11-20 is already over" in shown(app, "#lec-when-error")
        await pilot.press("ctrl+a", "ctrl+k", *"12-01 19:00", "enter", "ctrl+s")
        await pilot.pause()
        assert "Type the topic." in shown(app, "#lec-topic-error")
        assert app.screen.query_one("#lec-when").value == "12-01 19:00"
        await pilot.press(*"   ", "enter")
        await pilot.pause()
        assert "Type the topic." in shown(app, "#lec-topic-error")
        await pilot.press(*"Linux", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LecturesScreen)
        await pilot.press("enter", "b")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Type a phone or a name." in shown(app, "#bp-who-error")
        await pilot.press(*"12345", "ctrl+s")
        await pilot.pause()
        assert "Not a phone number." in shown(app, "#bp-who-error")
        await pilot.press(*["backspace"] * 5, *"13911112222", "ctrl+s")
        await pilot.pause()
        assert "Type the name of the new person." in shown(app, "#bp-name-error")
        assert app.screen.focused.id == "bp-name"
    assert len(booking_rows(desk_store)) == 0


@pytest.mark.both_backends
def test_booking_rules_in_the_data_layer(desk_store, clock):
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    past = lectures_dal.create_lecture(desk_store, at(26, 9), "This morning")
    later = lectures_dal.create_lecture(desk_store, at(26, 19), "Tonight")
    with pytest.raises(FieldError) as err:
        lectures_dal.book(desk_store, past.id, lead_id=lead.id)
    assert (err.value.field, err.value.key) == ("lecture", "lectures.err_past")
    lectures_dal.book(desk_store, later.id, lead_id=lead.id)
    with pytest.raises(FieldError) as err:
        lectures_dal.book(desk_store, later.id, phone="+8613800000001")  # the same person by phone
    assert (err.value.field, err.value.key) == ("who", "lectures.err_twice")
    with pytest.raises(FieldError) as err:
        lectures_dal.book(desk_store, later.id, name="X", channel="fax")
    assert (err.value.field, err.value.key) == ("channel", "lectures.err_channel")
    with pytest.raises(FieldError) as err:
        lectures_dal.create_lecture(desk_store, at(27, 19), "x" * 201)
    assert err.value.field == "topic"
    # the unique index holds even if a writer skipped the check
    with pytest.raises(IntegrityError), desk_store.write() as session:
        session.add(LectureBooking(lecture_id=later.id, lead_id=lead.id))
    with pytest.raises(FieldError) as err:
        visits_dal.register(desk_store, visits_dal.VisitInput("lecture_attendee", phone="+8613800000001",
                                                              lecture_id=lectures_dal.create_lecture(desk_store, at(27, 19), "Tomorrow").id))
    assert (err.value.field, err.value.key) == ("lecture", "lectures.err_not_today")
    assert len(booking_rows(desk_store)) == 1


@pytest.mark.both_backends
def test_at_the_door_a_name_finds_the_one_booking_of_that_name(desk_store, clock):
    lecture = lectures_dal.create_lecture(desk_store, at(26, 14), "Java")
    lectures_dal.book(desk_store, lecture.id, name="Lily", channel="online")  # booked without a phone
    lectures_dal.book(desk_store, lecture.id, name="Tom", phone="+8613900000001", channel="phone")
    lectures_dal.book(desk_store, lecture.id, name="Tom", phone="+8613900000002", channel="phone")
    done = visits_dal.register(desk_store, visits_dal.VisitInput("lecture_attendee", name="Lily", phone="+8613700000000",
                                                                 lecture_id=lecture.id))
    tom = visits_dal.register(desk_store, visits_dal.VisitInput("lecture_attendee", name="Tom", lecture_id=lecture.id))
    attended = {(lead.name, lead.phone): b.attended for b, lead in booking_rows(desk_store)}
    assert attended[("Lily", "+8613700000000")] is True  # her booking, and her phone learned
    assert done.lead.id == booking_rows(desk_store)[0][1].id
    # two booked Toms and no phone: a new lead (the receptionist asks for the phone next time)
    assert tom.lead.id not in {lead.id for _, lead in booking_rows(desk_store)[:3]}
    assert [lectures_dal.get(desk_store, lecture.id).booked, lectures_dal.get(desk_store, lecture.id).attended] == [4, 2]


@pytest.mark.both_backends
def test_duplicate_bookings_are_folded_by_the_upgrade(blank_target):
    from desk.db import make_engine, make_engine_for, upgrade

    engine = make_engine(blank_target)
    upgrade(engine, "0002_lookup_keys")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO lead (id, name, education, channel, stage, has_contact, phone_contacted, it_related, "
                          "non_computer_only, brought_in_person, came_after_questionnaire, first_call_result, validity_reasons, "
                          "flag_checked, first_contact_at, created_at, updated_at) VALUES (1, '张伟', 'unknown', 'phone', 'lead', FALSE, "
                          "FALSE, FALSE, FALSE, FALSE, FALSE, 'connected', '[]', FALSE, '2026-11-01', '2026-11-01', '2026-11-01')"))
        conn.execute(text("INSERT INTO lecture (id, starts_at, topic) VALUES (1, '2026-11-02 06:00:00', 'Java')"))
        conn.execute(text("INSERT INTO lecture_booking (id, lecture_id, lead_id, attended) VALUES (1, 1, 1, FALSE), (2, 1, 1, TRUE), (3, 1, 1, FALSE)"))
    engine.dispose()
    engine = make_engine_for(blank_target)
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT id, lecture_id, lead_id, attended, booked_by_id FROM lecture_booking")).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in found] == [(1, 1, 1, 1, None)]


@pytest.mark.both_backends
def test_checking_in_lecture_attendees_leaves_their_consultants_free(desk_store, clock):
    from desk.dal import staff as staff_dal

    lecture = lectures_dal.create_lecture(desk_store, at(26, 14), "Java")
    wang = staff_id(desk_store, "王芳")
    for n in range(3):
        lead = add_lead(desk_store, f"学员{n}", f"+861390000000{n}")
        lectures_dal.book(desk_store, lecture.id, lead_id=lead.id)
        visits_dal.register(desk_store, visits_dal.VisitInput("lecture_attendee", phone=f"+861390000000{n}", lecture_id=lecture.id))
    assert staff_dal.get_staff(desk_store, wang).state == "free"  # three owners' leads at a lecture: still free
    assert [lectures_dal.get(desk_store, lecture.id).booked, lectures_dal.get(desk_store, lecture.id).attended] == [3, 3]
