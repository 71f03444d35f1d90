"""The first caller lookup is not the slow one (issue 12, item 18): once the first screen is
painted and the store open, desk loads what a lookup needs in a thread. How long it takes is
measured in bench/first_lookup.py, not asserted here."""

from __future__ import annotations

import sys
import threading
import time

from desk.dal import lookup as lookup_dal
from tests.helpers import make_app


async def test_desk_warms_the_lookup_in_a_thread_after_the_first_paint(desk_store, monkeypatch):
    warmed = []
    real = lookup_dal.warm_up

    def spy(store):
        warmed.append((store, threading.current_thread() is threading.main_thread()))
        real(store)

    monkeypatch.setattr(lookup_dal, "warm_up", spy)
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        start = time.monotonic()
        while not warmed:
            assert time.monotonic() - start < 10, "never warmed"
            await pilot.pause(0.02)
        assert warmed[0][0].engine is desk_store.engine and warmed[0][1] is False  # off the UI thread
    assert "pypinyin" in sys.modules


def test_warm_up_leaves_the_lookup_answering_as_before(desk_store):
    from tests.helpers import add_lead

    add_lead(desk_store, "曾国藩", "+8613812345678")
    lookup_dal.warm_up(desk_store)
    assert [hit.name for hit in lookup_dal.lookup(desk_store, "ceng") if hit.kind == "lead"] == ["曾国藩"]
