"""Shared fixtures: a private DESK_HOME for every test, and a Store on a fresh database.

The fresh database is an SQLite file, or, for a test marked ``both_backends``, also a
PostgreSQL database: the test runs once on each (``[sqlite]`` / ``[postgresql]`` in its id).
The server is ``DESK_TEST_PG_URL`` when set (CI), else a throwaway one started here
(tests/pgserver.py) when ``initdb`` is installed, else the PostgreSQL runs are skipped, or fail
when ``DESK_TEST_PG_REQUIRED=1``. The schema is migrated once into a template database; each
test gets a copy of it (``CREATE DATABASE ... TEMPLATE``), named after the worker's process so
pytest-xdist workers sharing one server never meet.
"""

from __future__ import annotations

import gc
import itertools
import json
import os
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import CENTER_TZ, DAY, NOW, Clock, at, open_url

# The collector's first generation holds this many new objects before a pass (Python's default
# is 700): a Textual app under Pilot allocates millions in a test, and each pass costs.
GC_THRESHOLD = (10_000, 20, 20)


def pytest_configure(config: pytest.Config) -> None:
    gc.set_threshold(*GC_THRESHOLD)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before each test, collect what the tests before it left (a Pilot test's app is a web
    of cycles) and freeze what survives (modules, caches, session fixtures) out of the
    collector's later passes. Without it a worker's heap grows to ~800k tracked objects by
    the end of a screen module and every full pass walks them all: 21% of a Pilot module's
    CPU went to the collector, 6% with this (tests/screens/test_triage_morning.py, one
    interleaved run). Garbage is still collected; each test starts from a clean heap."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def desk_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the real user folder or picks up the developer's database settings."""
    home = tmp_path_factory.mktemp("desk_home")
    monkeypatch.setenv("DESK_HOME", str(home))
    monkeypatch.delenv("DESK_DB", raising=False)
    monkeypatch.delenv("DESK_DATABASE_URL", raising=False)
    return home


@pytest.fixture(autouse=True)
def _restore_language():
    """Commands and apps switch the catalog's language; put it back after each test."""
    from desk import i18n

    before = i18n.language()
    yield
    i18n.set_language(before)


@pytest.fixture
def clock():
    """The clock of the store fixtures: 2026-11-26 10:00 Asia/Shanghai until a test moves it."""
    return Clock(NOW)


@pytest.fixture
def english(monkeypatch):
    """An English locale, for the commands that pick their language from it."""
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.db"


BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked both_backends (itself or its module) runs on each backend."""
    if metafunc.definition.get_closest_marker("both_backends") and "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS, indirect=True, scope="module")


@pytest.fixture(scope="module")
def backend(request: pytest.FixtureRequest) -> str:
    """The database the test runs on: SQLite, unless the test is marked both_backends."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite database migrated to head once per worker. Migrating a new file runs every
    Alembic revision (0.3-0.5 s on a busy machine); a test's fresh database is a copy of this
    one instead (``migrated_copy``), as the PostgreSQL runs copy their template database."""
    from desk.db import open_database

    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "desk.db"
    with pytest.MonkeyPatch.context() as patch:  # before any test's DESK_HOME: make its own
        patch.setenv("DESK_HOME", str(folder / "home"))
        open_database(path).dispose()
    assert not path.with_name("desk.db-wal").exists(), "the template's last connection left its WAL behind"
    return path


def migrated_copy(template: Path, path: Path) -> Path:
    """``path`` as a copy of ``template``: the file made as desk makes a database file (its
    rights, desk.permissions), then filled with the template's bytes."""
    import shutil

    from desk.permissions import create_database_file

    create_database_file(path)
    shutil.copyfile(template, path)
    return path


@pytest.fixture
def new_center(tmp_path: Path, sqlite_template: Path) -> Path:
    """``tmp_path/desk.db`` as the first desk command leaves a new database, created and
    migrated to head but empty (a copy of ``sqlite_template``), for the command-line tests
    whose center is made by running desk commands on it."""
    return migrated_copy(sqlite_template, tmp_path / "desk.db")


@pytest.fixture
def engine(backend: str, db_path: Path, request: pytest.FixtureRequest):
    """A fresh database migrated to head: ``db_path`` (a copy of ``sqlite_template``), or a
    PostgreSQL copy of the template database."""
    if backend == "postgresql":
        engine = open_url(request.getfixturevalue("pg_database"))
    else:
        from desk.db import open_database

        if not db_path.exists():
            migrated_copy(request.getfixturevalue("sqlite_template"), db_path)
        engine = open_database(db_path)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def fresh_engine(backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """Opens another fresh database on the backend at each call, for a test or a module fixture
    that needs more than one; they are all disposed of at the end of the module."""
    from desk.db import open_database

    databases = request.getfixturevalue("pg_databases") if backend == "postgresql" else None
    template = None if databases else request.getfixturevalue("sqlite_template")
    engines, urls = [], []

    def fresh():
        if databases:
            urls.append(databases.create())
            engines.append(open_url(urls[-1]))
        else:
            path = migrated_copy(template, tmp_path_factory.mktemp("db") / "desk.db")
            engines.append(open_database(path))
        return engines[-1]

    yield fresh
    for engine in engines:
        engine.dispose()
    for url in urls:
        databases.drop(url)


@pytest.fixture
def blank_target(backend: str, tmp_path: Path, request: pytest.FixtureRequest):
    """An empty database, for migrating step by step: a new SQLite file or PostgreSQL database."""
    from desk.db import resolve

    if backend != "postgresql":
        yield resolve(tmp_path / "old.db")
        return
    databases = request.getfixturevalue("pg_databases")
    url = databases.create(migrated=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DESK_DATABASE_URL", url)
        target = resolve()
    yield target
    databases.drop(url)


@pytest.fixture
def store(engine, clock):
    """A Store on a fresh migrated database (see engine), center time zone, clock fixed at NOW."""
    from desk.dal.store import Store

    return Store(engine, tz=CENTER_TZ, clock=clock)


@pytest.fixture(scope="session")
def demo_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo center (seed 7, 60 days up to NOW) built once per worker: building it takes
    seconds, and the demo and snapshot tests each start from it (``demo_store``, a copy)."""
    from desk.dal.store import Store
    from desk.db import open_database
    from desk.demo import build_demo

    folder = tmp_path_factory.mktemp("demo-template")
    path = migrated_copy(sqlite_template, folder / "desk.db")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DESK_HOME", str(folder / "home"))
        engine = open_database(path)
        build_demo(Store(engine, tz=CENTER_TZ, clock=Clock(NOW)), seed=7)
        engine.dispose()
    return path


def restore(template: Path, engine) -> None:
    """Replace the content of ``engine``'s SQLite database with ``template``'s, in place
    (sqlite3's backup API: the engine and its file stay the test's own)."""
    import sqlite3

    source = sqlite3.connect(template)
    target = engine.raw_connection()
    try:
        source.backup(target.driver_connection)
    finally:
        target.close()
        source.close()


@pytest.fixture
def demo_store(store, backend: str, request: pytest.FixtureRequest):
    """The store fixture filled with the demo center (seed 7, 60 days up to NOW), acting as
    its manager: the demo has PINs, so a nameless store may not change the staff list. On
    SQLite a copy of ``demo_template``; on PostgreSQL built here."""
    from desk.dal import staff as staff_dal

    if backend == "postgresql":
        from desk.demo import build_demo

        build_demo(store, seed=7)
    else:
        restore(request.getfixturevalue("demo_template"), store.engine)
    manager = staff_dal.list_staff(store, role="manager")[0]
    return store.with_actor(manager.id)


@pytest.fixture
def desk_store(engine, tmp_path, monkeypatch, clock):
    """A center of four: 王芳 and 赵强 (consultants, free), 李娜 (receptionist), 孙经理 (manager)."""
    from desk.dal import Store
    from desk.dal import staff as staff_dal

    monkeypatch.setenv("DESK_HOME", str(tmp_path / "home"))
    store = Store(engine, tz=CENTER_TZ, clock=clock)
    wang = staff_dal.add_staff(store, name="王芳", role="consultant", extension="801")
    staff_dal.set_state(store, wang.id, "free")
    zhao = staff_dal.add_staff(store, name="赵强", role="consultant", extension="802")
    staff_dal.set_state(store, zhao.id, "free")
    staff_dal.add_staff(store, name="李娜", role="receptionist", extension="800")
    staff_dal.add_staff(store, name="孙经理", role="manager", extension="888")
    return store


@pytest.fixture
def center(store):
    """Three free consultants in rotation order, a receptionist, a manager, a head teacher."""
    from desk.dal import staff as staff_dal

    people = {}
    for name, ext in (("李娜", "801"), ("王芳", "802"), ("赵强", "803")):
        person = staff_dal.add_staff(store, name=name, role="consultant", extension=ext)
        staff_dal.set_state(store, person.id, "free")
        people[name] = person
    for name, role, ext in (("陈静", "receptionist", "800"), ("周强", "manager", "820"), ("何雪", "head_teacher", "841")):
        people[name] = staff_dal.add_staff(store, name=name, role=role, extension=ext)
    return people


@pytest.fixture
def known(engine, tmp_path, monkeypatch):
    """A center with three consultants and one fully known day, 2026-11-25 (clock: 26th 10:00)."""
    from desk.dal import Store
    from desk.dal import staff as staff_dal
    from desk.i18n import set_language
    from desk.models import Call, Enrollment, FollowUp, Lead, Payment, RotationAssignment, Trial, Visit

    monkeypatch.setenv("DESK_HOME", str(tmp_path / "home"))
    set_language("en")
    store = Store(engine, tz=CENTER_TZ, clock=lambda: at(26, 10))
    wang = staff_dal.add_staff(store, name="王芳", role="consultant", english_name="Fang")
    zhao = staff_dal.add_staff(store, name="赵强", role="consultant")
    chen = staff_dal.add_staff(store, name="陈静", role="consultant", is_new=True)
    staff_dal.add_staff(store, name="李娜", role="receptionist")
    W, Z, C = wang.id, zhao.id, chen.id
    ids: dict[str, int] = {}
    with store.write() as s:

        def lead(key, channel, valid, reasons=(), source=None, owner=None, when=at(25, 9)):
            row = Lead(
                name=key,
                phone=f"+86138000000{len(ids):02d}",
                channel=channel,
                valid=valid,
                validity_reasons=json.dumps(list(reasons)),
                media_source=source,
                owner_id=owner,
                first_contact_at=when,
            )
            s.add(row)
            s.flush()
            ids[key] = row.id
            return row.id

        l1 = lead("L1", "phone", True, source="百度", owner=W)
        lead("L2", "phone", False, ["under_18"], source="百度", owner=Z)
        l3 = lead("L3", "walk_in", True, source="抖音", owner=Z)
        lead("L4", "market", False, ["first_call_not_connected"], owner=C)
        lead("L5", "outdoor", False, ["under_18", "education_below_high_school"], source="传单")
        lead("L6", "online", None, source="官网")
        l7 = lead("L7", "phone", True, source="百度", owner=C, when=at(24, 23, 59, 59))

        def call(when, call_type, outcome, to=None, lead_id=None):
            row = Call(started_at=when, call_type=call_type, outcome=outcome, to_staff_id=to, lead_id=lead_id)
            s.add(row)
            s.flush()
            return row.id

        call(at(25, 9), "first_inquiry", "transferred", W, l1)
        call(at(25, 9, 30), "first_inquiry", "transferred", Z)
        c3 = call(at(25, 10), "proxy_inquiry", "message_taken", W)
        call(at(25, 11), "repeat_inquiry", "transferred", W)
        call(at(25, 12), "directions", "directions_given")
        call(at(25, 13), "screened", "declined")
        call(at(25, 14), "silent", "hung_up")
        c8 = call(at(25, 15), "first_inquiry", "message_taken", C)
        call(at(25, 23, 59, 59), "first_inquiry", "transferred", Z)
        call(at(24, 23, 59, 59), "first_inquiry", "transferred", W)  # the day before
        call(at(26, 0, 0, 0), "complaint", "escalated")  # the day after

        for vt, lead_id, by in [
            ("consult_walk_in", l3, Z),
            ("accompanied", l1, W),
            ("business_visitor", None, None),
            ("repeat_walk_in", l1, W),
            ("enrolling_student", l1, W),
        ]:
            s.add(Visit(arrived_at=at(25, 14), visitor_type=vt, lead_id=lead_id, received_by_id=by))
        s.add(Visit(arrived_at=at(26, 9), visitor_type="consult_walk_in", received_by_id=C))

        for pool, staff_id in [("walk_in", Z), ("walk_in", W), ("phone", W), ("phone", Z), ("phone", W), ("phone", Z), ("phone", C), ("market", C)]:
            s.add(RotationAssignment(pool=pool, staff_id=staff_id, day=DAY, assigned_at=at(25, 12)))
        s.add(RotationAssignment(pool="walk_in", staff_id=C, day=date(2026, 11, 26), assigned_at=at(26, 9)))

        s.add(Trial(lead_id=l1, consultant_id=W, booked_for=at(25, 19), attended=True))
        s.add(Trial(lead_id=l3, consultant_id=Z, booked_for=at(25, 19), attended=False))
        s.add(Trial(lead_id=l3, consultant_id=Z, booked_for=at(26, 19)))

        e1 = Enrollment(lead_id=l1, consultant_id=W, course="Java", amount_fen=1_280_000, enrolled_at=at(25, 16))
        e2 = Enrollment(lead_id=l3, consultant_id=Z, course="UI", amount_fen=990_050, enrolled_at=at(25, 17))
        e0 = Enrollment(lead_id=l7, consultant_id=C, course="CAD", amount_fen=800_000, enrolled_at=at(10, 11))
        old = Enrollment(lead_id=l3, consultant_id=Z, course="Office", amount_fen=300_000, enrolled_at=at(1, 11, month_=10))
        s.add_all([e1, e2, e0, old])
        s.flush()
        s.add(Payment(enrollment_id=e1.id, kind="initial", amount_fen=500_000, paid_at=at(25, 16)))
        s.add(Payment(enrollment_id=e0.id, kind="balance", amount_fen=300_000, paid_at=at(25, 10)))
        s.add(Payment(enrollment_id=e0.id, kind="refund", amount_fen=200_000, paid_at=at(25, 18)))
        s.add(Payment(enrollment_id=old.id, kind="refund", amount_fen=100_000, paid_at=at(20, 10)))

        s.add(FollowUp(kind="callback", owner_id=W, call_id=c3, due_at=at(25, 10, 5), done_at=at(25, 10, 20), result="reached"))
        s.add(FollowUp(kind="callback", owner_id=C, call_id=c8, due_at=at(25, 15, 5), done_at=at(25, 15, 4), result="reached"))
        s.add(FollowUp(kind="promised_visit", owner_id=Z, due_at=at(24, 10)))
        s.add(FollowUp(kind="balance_due", owner_id=C, due_at=at(25, 12), done_at=at(26, 9), result="reached"))
        s.add(FollowUp(kind="complaint", owner_id=None, due_at=at(25, 16), done_at=at(25, 16, 30), result="closed"))
        s.add(FollowUp(kind="unpaid_after_consult", owner_id=W, due_at=at(27, 10)))
    return store


# ---- PostgreSQL ------------------------------------------------------------------------------


def _without_server(reason: str):
    if os.environ.get("DESK_TEST_PG_REQUIRED") == "1":
        pytest.fail(f"DESK_TEST_PG_REQUIRED=1 but {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL runs skipped: {reason}")


@pytest.fixture(scope="session")
def pg_server():
    """The URL of a PostgreSQL server's maintenance database, for creating test databases."""
    from desk.db import with_driver
    from tests import pgserver

    url = os.environ.get("DESK_TEST_PG_URL")
    if url:
        yield with_driver(url)
        return
    if not pgserver.available():
        _without_server("no DESK_TEST_PG_URL, and initdb/pg_ctl are not installed (apt install postgresql)")
    try:
        server = pgserver.start()
    except pgserver.PgServerError as err:
        _without_server(str(err))
    yield server.url
    server.stop()


class PgDatabases:
    """Databases of this worker on the server: a migrated template, and copies of it."""

    def __init__(self, server_url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import NullPool

        self.server = make_url(server_url)
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.prefix = f"desk_test_{os.getpid()}"
        self.numbers = itertools.count(1)
        self.template: str | None = None

    def url(self, name: str) -> str:
        return self.server.set(database=name).render_as_string(hide_password=False)

    def _execute(self, sql: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def create(self, *, migrated: bool = True, locale: str | None = None) -> str:
        """A new database: a copy of the migrated template, or an empty one (``migrated=False``),
        which may have a ``locale`` of its own (its collation and character classes)."""
        if migrated and locale:
            raise ValueError("a copy of the template has the template's locale")
        source = self._template() if migrated else "template0"
        name = f"{self.prefix}_{next(self.numbers)}"
        self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self._execute(f"CREATE DATABASE {name} TEMPLATE {source}" + (f" LOCALE '{locale}'" if locale else ""))
        return self.url(name)

    def _template(self) -> str:
        if self.template is None:
            self.template = f"{self.prefix}_template"
            self._execute(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)")
            self._execute(f"CREATE DATABASE {self.template}")
            open_url(self.url(self.template)).dispose()  # no connection may stay on a template
        return self.template

    def drop(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        self._execute(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)")

    def close(self) -> None:
        if self.template:
            self._execute(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)")
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_databases(pg_server: str):
    databases = PgDatabases(pg_server)
    yield databases
    databases.close()


@pytest.fixture
def pg_database(pg_databases: PgDatabases):
    """The URL of a fresh PostgreSQL database migrated to head, dropped after the test."""
    url = pg_databases.create()
    yield url
    pg_databases.drop(url)
