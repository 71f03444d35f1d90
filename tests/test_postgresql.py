"""What only PostgreSQL can get wrong: a server whose collation is a language's."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import DBAPIError

from desk.dal import Store
from desk.dal import staff as staff_dal
from desk.dal.calls import lookup
from desk.dal.leads import new_lead
from tests.conftest import open_url

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
