"""Shared fixtures: a private DESK_HOME for every test, and a Store on a fresh database."""

from __future__ import annotations

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


@pytest.fixture
def engine(db_path: Path):
    from desk.db import open_database

    engine = open_database(db_path)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine, clock):
    """A Store on a fresh migrated SQLite file, center time zone, clock fixed at NOW."""
    from desk.dal.store import Store

    return Store(engine, tz=CENTER_TZ, clock=clock)


@pytest.fixture
def demo_store(store):
    """The store fixture filled with the demo center (seed 7, 60 days up to NOW)."""
    from desk.demo import build_demo

    build_demo(store, seed=7)
    return store
