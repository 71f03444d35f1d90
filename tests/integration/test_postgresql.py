"""What only PostgreSQL can get wrong: a server whose collation is a language's."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import DBAPIError

from desk.dal import Store
from desk.dal import staff as staff_dal
from desk.dal.leads import new_lead
from desk.dal.lookup import lookup
from tests.helpers import open_url

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=SH)


@pytest.fixture
def en_us_store(pg_databases):
    """A store on a database created as most servers create them: en_US.UTF-8 (glibc), where
    U+FFFF sorts before the letters and upper case beside lower case."""
    try:
        url = pg_databases.create(migrated=False, locale="en_US.utf8")
    except DBAPIError as err:
        pytest.skip(f"the PostgreSQL server has no en_US.UTF-8 locale ({err.orig})")
    engine = open_url(url)
    yield Store(engine, tz=SH, clock=lambda: NOW)
    engine.dispose()
    pg_databases.drop(url)


def test_caller_lookup_finds_by_prefix_under_a_language_collation(en_us_store):
    """Prefixes of the initials, the pinyin, the digits and the name, none of them whole (a
    whole key is found whatever the collation), none long enough for the typo pass."""
    store = en_us_store
    wang = staff_dal.add_staff(store, name="王芳", role="consultant")
    with store.write() as session:
        new_lead(session, store, name="张伟", phone="+8613811112222", owner_id=wang.id)
        new_lead(session, store, name="张三丰", phone="+8613811113333", owner_id=wang.id)
        new_lead(session, store, name="Anna Li", phone="+8613933334444", owner_id=wang.id)
    assert [h.name for h in lookup(store, "zs")] == ["张三丰"]
    assert [h.name for h in lookup(store, "zhangs")] == ["张三丰"]
    assert sorted(h.name for h in lookup(store, "1381111")) == ["张三丰", "张伟"]
    assert [h.name for h in lookup(store, "Ann")] == ["Anna Li"]


def test_a_server_restart_is_a_message_then_the_next_save_works():
    """A workstation keeps its pooled connections across a restart of the server: the save
    made while it is down is a database error (the screen says so and keeps what was typed),
    and the first save after it is up again reconnects and is written."""
    from sqlalchemy.exc import OperationalError

    from desk.errors import describe_database_error
    from tests import pgserver

    if not pgserver.available():
        pytest.skip("no PostgreSQL programs to start a server of our own (one we may restart)")
    server = pgserver.start()  # its own folder: the postgres user cannot reach pytest's
    try:
        store = Store(open_url(server.url), tz=SH, clock=lambda: NOW)
        staff_dal.add_staff(store, name="王芳", role="consultant")
        pg_ctl, data = pgserver.find_binary("pg_ctl"), str(server.folder / "data")
        # A clean stop: the throwaway server's commits are not synchronous, and an immediate
        # stop can lose the last of them (a real server would keep them).
        pgserver._run([pg_ctl, "-D", data, "-m", "fast", "-w", "stop"])
        with pytest.raises(OperationalError) as down:
            staff_dal.add_staff(store, name="李娜", role="consultant")
        assert "cannot be reached" in describe_database_error(down.value)
        pgserver._run([pg_ctl, "-D", data, "-l", str(server.folder / "server.log"), "-w", "-t", "60", "start"])
        staff_dal.add_staff(store, name="李娜", role="consultant")
        assert [s.name for s in staff_dal.consultants(store)] == ["王芳", "李娜"]
        store.engine.dispose()
    finally:
        server.stop()
