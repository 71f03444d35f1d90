"""``desk ring NUMBER --recording REF``: the phone system's reference of the call's recording
goes with the ring onto the call it opens, and is saved with it (docs/domain.md §2.8)."""

from __future__ import annotations

from desk.ring import take_rings
from tests.helpers import assert_one_line_error, calls, desk, make_app, settle, start_call, type_text


def test_the_ring_carries_the_recording(tmp_path):
    db = tmp_path / "desk.db"
    assert desk("--db", str(db), "init").exit_code == 0
    assert desk("--db", str(db), "ring", "13812345678", "--recording", " 20261126-100000_13812345678.wav ").exit_code == 0
    assert desk("--db", str(db), "ring", "13900001111").exit_code == 0
    first, second = take_rings(tmp_path)
    assert (first.number, first.recording) == ("13812345678", "20261126-100000_13812345678.wav")
    assert (second.number, second.recording) == ("13900001111", None)


def test_an_empty_or_too_long_recording_is_a_usage_error(tmp_path):
    db = tmp_path / "desk.db"
    assert desk("--db", str(db), "init").exit_code == 0
    assert_one_line_error(desk("--db", str(db), "ring", "138", "--recording", "  "), "--recording", "200")
    assert_one_line_error(desk("--db", str(db), "ring", "138", "--recording", "x" * 201), "--recording")
    assert take_rings(tmp_path) == []


async def test_the_saved_call_holds_the_rings_recording(store, center, tmp_path):
    db = tmp_path / "desk.db"
    assert desk("--db", str(db), "init").exit_code == 0
    assert desk("--db", str(db), "ring", "13812345678", "--recording", "REC-0042").exit_code == 0
    app = make_app(store, user="陈静", lang="en", rings=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await app._take_rings()  # what the poll does every quarter second
        for _ in range(100):  # the call opens once the triage screen has mounted (slower on a busy machine)
            await settle(pilot)
            rung = [p for p in getattr(app.screen, "panels", []) if p.draft.number == "13812345678"]
            if rung:
                break
        [panel] = rung
        assert panel.draft.recording_ref == "REC-0042"
        for _ in range(3):  # F7 to the rung call if the receptionist's own empty call opened first
            if app.screen.current is panel:
                break
            await pilot.press("f7")
            await settle(pilot)
        assert app.screen.current is panel
        await type_text(pilot, "how much is the Java class")
        await settle(pilot)
        await pilot.press("enter", "enter")  # the suggested type; transfer to the rotation's pick
        await settle(pilot)
    [call] = calls(store)
    assert (call.caller_number, call.outcome, call.recording_ref) == ("+8613812345678", "transferred", "REC-0042")


async def test_a_ring_waiting_behind_a_typed_call_keeps_its_recording(store, center, tmp_path):
    db = tmp_path / "desk.db"
    assert desk("--db", str(db), "init").exit_code == 0
    app = make_app(store, user="陈静", lang="en", rings=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13700000000", "where are you")
        assert desk("--db", str(db), "ring", "13812345678", "--recording", "REC-7").exit_code == 0
        await app._take_rings()
        await settle(pilot)
        [waiting] = app.screen.waiting_panels
        assert waiting.draft.number == "13812345678" and waiting.draft.recording_ref == "REC-7"
