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

import itertools
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

CENTER_TZ = ZoneInfo("Asia/Shanghai")
# The fixed "now" of the store fixture: a Thursday morning at the center.
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=CENTER_TZ)


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
    """The fixed clock of the store fixture (2026-11-26 10:00 Asia/Shanghai)."""
    return lambda: NOW


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


@pytest.fixture
def engine(backend: str, db_path: Path, request: pytest.FixtureRequest):
    """A fresh database migrated to head: ``db_path``, or a PostgreSQL copy of the template."""
    if backend == "postgresql":
        engine = open_url(request.getfixturevalue("pg_database"))
    else:
        from desk.db import open_database

        engine = open_database(db_path)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def fresh_engine(backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """Opens another fresh database on the backend at each call, for a test or a module fixture
    that needs more than one; they are all disposed of at the end of the module."""
    from desk.db import open_database

    databases = request.getfixturevalue("pg_databases") if backend == "postgresql" else None
    engines, urls = [], []

    def fresh():
        if databases:
            urls.append(databases.create())
            engines.append(open_url(urls[-1]))
        else:
            engines.append(open_database(tmp_path_factory.mktemp("db") / "desk.db"))
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


@pytest.fixture
def demo_store(store):
    """The store fixture filled with the demo center (seed 7, 60 days up to NOW)."""
    from desk.demo import build_demo

    build_demo(store, seed=7)
    return store


# ---- PostgreSQL ------------------------------------------------------------------------------


def open_url(url: str):
    """An engine on ``url`` opened as a user does: ``DESK_DATABASE_URL``, then open_database."""
    from desk.db import open_database

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DESK_DATABASE_URL", url)
        return open_database()


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
