"""Nothing typed is lost (issue 10): drafts on disk as they are typed, back on the next
start, and Ctrl+Q asking before it throws any away.

What holds typed text not saved yet — an open call, the walk-in form, a consult note, the
outreach rows, the outcome, follow-up result and reassign dialogs — mixes in
:class:`KeepsDrafts` and says what it holds in ``drafts()``, without asking the DOM
(its own data, or the widgets it keeps at compose time): when desk closes, the last keys
are written while its widgets are already being taken down.

:class:`DraftKeeper`, one per app, writes them (desk.drafts) 0.4 s after the last change,
and at once when a screen is left, a call saved, a form registered, cleared or
closed, Ctrl+Q pressed, or desk closing. A screen that shows drafts again calls ``claim``
when it mounts; once the user is picked (``restore``, from DeskApp.set_user) it is offered
the drafts of the last run that are its own (``take``), and they leave the keeper's hands
when a holder shows them (``adopt``): no write in between goes without them.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from time import monotonic
from weakref import WeakKeyDictionary

from textual.app import App

from desk import drafts as drafts_io
from desk.drafts import Draft
from desk.i18n import t
from desk.widgets.markup import literal
from desk.widgets.ui_thread import deliver

DEBOUNCE = 0.4  # seconds after the last key: a typist's pause, not every key

# The kinds of draft, in the order they are named, with the key that leads to each.
WHERE = {
    "call": "F3",
    "walkin": "F4",
    "note": "F5",
    "outcome": "F5",
    "outreach": "F6 p",
    "result": "F6",
    "reassign": "F6",
}

_keepers: WeakKeyDictionary = WeakKeyDictionary()


def keeper(app: App) -> DraftKeeper:
    """The app's keeper, made on first use (reading the last run's drafts)."""
    found = _keepers.get(app)
    if found is None:
        found = _keepers[app] = DraftKeeper(app)
    return found


def found_keeper(app: App) -> DraftKeeper | None:
    """The app's keeper if one was made (nothing was held or typed otherwise)."""
    return _keepers.get(app)


def flush(app: App) -> None:
    """Write now what is typed, if anything is (a screen left)."""
    found = _keepers.get(app)
    if found is not None:
        found.flush()


def summary(drafts: list[Draft], where: bool = False) -> str:
    """What ``drafts`` are ("1 open call, the walk-in form"), optionally with their keys."""
    calls = sum(1 for d in drafts if d.kind == "call")
    parts = []
    for kind in WHERE:
        if kind == "call":
            named = [t("drafts.call_one") if calls == 1 else t("drafts.call_many", n=calls)] if calls else []
        else:
            named = [t(f"drafts.{kind}", name=literal(str(d.data.get("name") or "?"))) for d in drafts if d.kind == kind]
        parts += [f"{text} ({WHERE[kind]})" if where else text for text in named]
    return t("drafts.sep").join(parts)


class KeepsDrafts:
    """Mixed into a screen, dialog or widget holding typed text not saved yet.

    The class defines ``drafts() -> list[Draft]``: what it holds now, none when nothing is
    typed. It is held from its mount to its unmount, and every change of a field in it
    schedules a write.
    """

    def on_mount(self) -> None:
        keeper(self.app).hold(self)

    def on_unmount(self) -> None:
        keeper(self.app).release(self)

    def on_input_changed(self) -> None:
        keeper(self.app).changed()

    def on_checkbox_changed(self) -> None:
        keeper(self.app).changed()

    def on_option_list_option_selected(self) -> None:
        keeper(self.app).changed()


class DraftKeeper:
    def __init__(self, app: App) -> None:
        self.app = app
        self.database: str = app.database  # type: ignore[attr-defined]
        # The last run's drafts, until a holder shows them.
        self._pending = [d for d in drafts_io.load(self.database) if d.kind in WHERE]
        self._offered: list[Draft] = []
        self._holders: list = []
        self._claimers: list = []
        self._restored = False
        self._written = [d.as_json() for d in self._pending]
        self._due: float | None = None  # when the scheduled write is due
        self._armed = False
        self._closed = False
        self._failed = False
        # The write after a pause in typing runs here, one at a time, in order (flush).
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desk-drafts")
        self._writing: Future | None = None
        self._serial = 0  # of the last write started: only its outcome is recorded

    # ----- holding ------------------------------------------------------------------------------
    def hold(self, holder) -> None:
        if holder not in self._holders:
            self._holders.append(holder)

    def release(self, holder) -> None:
        """``holder`` is gone: a call saved, a form closed. While desk is closing, its holders
        go one by one: the first writes what they all hold, and nothing is written after."""
        if not self.app.is_running:
            self.flush()
            self._closed = True
            return
        if holder in self._holders:
            self._holders.remove(holder)
        if holder in self._claimers:
            self._claimers.remove(holder)
        self.flush()

    def entries(self) -> list[Draft]:
        """Everything typed and not saved: the last run's not shown yet, then the holders'."""
        found = list(self._pending)
        for holder in self._holders:
            found += holder.drafts()
        return found

    def at_stake(self) -> list[Draft]:
        """What quitting now would lose: the last run's drafts count once they are this run's."""
        found = list(self._pending) if self._restored else []
        for holder in self._holders:
            found += holder.drafts()
        return found

    def keep(self, draft: Draft) -> None:
        """A screen closing with ``draft`` typed (Esc on the outreach form): its next opening
        takes it (``take``); it is written when the screen goes."""
        self._pending.append(draft)

    # ----- writing ------------------------------------------------------------------------------
    def changed(self) -> None:
        """Something was typed: write ``DEBOUNCE`` seconds after the last change."""
        if self._closed:
            return
        self._due = monotonic() + DEBOUNCE
        if not self._armed:
            self._armed = True
            self.app.set_timer(DEBOUNCE, self._tick)

    def _tick(self) -> None:
        self._armed = False
        if self._due is None:
            return
        left = self._due - monotonic()
        if left > 0.01:
            self._armed = True
            self.app.set_timer(left, self._tick)
            return
        self.flush(wait=False)

    def flush(self, *, wait: bool = True) -> None:
        """Write what is typed now, when it differs from what was last written.

        The write after a pause in typing (``wait=False``) goes to a thread: its fsync takes
        ~20 ms, and the next key must not wait for the disk (issue 16). Every other write (a
        screen left, a call saved, desk closing) is done when this returns, after any write
        still running, so an earlier state never lands over a later one.
        """
        self._due = None
        if self._closed:
            return
        if wait and self._writing is not None:
            self._writing.result()
        entries = self.entries()
        shape = [d.as_json() for d in entries]
        if shape == self._written:
            return
        self._serial += 1
        serial = self._serial
        if wait:
            self._saved(serial, shape, self._save(entries))
            return
        self._written = shape  # on its way: the same again is not written twice
        self._writing = self._writer.submit(self._save, entries)
        # Said on the UI thread once written (not inside the write: a flush waiting for it
        # there would wait for the UI thread it holds).
        self._writing.add_done_callback(lambda done: deliver(self.app, self._saved, serial, shape, done.result()))

    def _save(self, entries: list[Draft]) -> OSError | None:
        try:
            drafts_io.save(self.database, entries)
        except OSError as err:
            return err
        return None

    def _saved(self, serial: int, shape: list, err: OSError | None) -> None:
        """A write's outcome, on the UI thread; a newer write's decides what is on disk."""
        if serial != self._serial:
            return
        if err is None:
            self._written = shape
            self._failed = False
            return
        self._written = None  # each later change tries again
        if not self._failed:  # said once
            self._failed = True
            self.app.notify(t("drafts.write_failed", error=literal(str(err))), severity="error", timeout=20)

    def discard(self) -> None:
        """Ctrl+Q answered y: what this run typed goes; the last run's, not shown yet, stays."""
        self._closed = True
        self._due = None
        if self._writing is not None:
            self._writing.result()
        try:
            drafts_io.save(self.database, [] if self._restored else self._pending)
        except OSError:
            pass  # desk is quitting as asked; the next start shows what is left

    # ----- restoring ----------------------------------------------------------------------------
    def restore(self) -> None:
        """The user is picked: say what the last run left, and offer it to the screens."""
        if self._restored:
            return
        self._restored = True
        if self._pending:
            self.app.notify(t("drafts.restored", what=summary(self._pending, where=True)),
                            title=t("drafts.restored_title"), timeout=30)
        for claimer in list(self._claimers):
            claimer.take_drafts()

    def claim(self, claimer) -> None:
        """``claimer`` shows drafts again: ``claimer.take_drafts()`` takes its own, now if
        they are restored already, else when they are."""
        if claimer not in self._claimers:
            self._claimers.append(claimer)
        if self._restored:
            claimer.take_drafts()

    def take(self, *kinds: str) -> list[Draft]:
        """The restored drafts of ``kinds`` not offered yet (each is offered once)."""
        if not self._restored:
            return []
        found = [d for d in self._pending if d.kind in kinds and d not in self._offered]
        self._offered += found
        return found

    def adopt(self, draft: Draft) -> None:
        """A holder shows ``draft`` now (or it has nowhere to go): no longer the keeper's."""
        if draft in self._pending:
            self._pending.remove(draft)
        if draft in self._offered:
            self._offered.remove(draft)
