"""What every desk screen shares: key descriptions from the catalog, the store, keeping its
lists live while other workstations change them, and writing what is typed to disk when the
screen is left (desk.widgets.keeper)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual import on, work
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState, get_current_worker

from desk.errors import DeskError
from desk.i18n import translate_bindings
from desk.widgets.guard import DatabaseGuard, is_database_error
from desk.widgets.live import DataChanged
from desk.widgets.ui_thread import deliver

if TYPE_CHECKING:
    from desk.app import DeskApp
    from desk.dal import Store


T = TypeVar("T")


class InThread:
    """Data-layer work off the UI thread, for screens and dialogs (mixed in first).

    Widgets post what they want (a lookup, a save); the screen calls the data layer here, in
    a worker thread, so a slow disk or a busy database never holds up the keyboard, and
    hands the result back on the UI thread.
    """

    def in_thread(
        self,
        work: Callable[[], T],
        done: Callable[[T], object],
        *,
        failed: Callable[[Exception], object] | None = None,
        group: str = "io",
        exclusive: bool = False,
    ) -> None:
        """Run ``work`` in a thread, then ``done(result)`` on the UI thread.

        ``exclusive``: a newer run of the same ``group`` makes an older one's result be
        dropped (a lookup per key: only the last key's answer is shown). A database error is
        said on the message line (as everywhere in desk); a :class:`DeskError` goes to
        ``failed``, or is shown when there is none; ``failed`` hears of a database error too,
        after it was said, so a form can let the user try again.
        """
        app = self.app  # type: ignore[attr-defined]

        def run() -> None:
            worker = get_current_worker()
            try:
                result = work()
            except Exception as err:  # handed to the UI thread, which raises what is a bug
                if not worker.is_cancelled:
                    deliver(app, self._thread_failed, err, failed)
                return
            if not worker.is_cancelled:
                deliver(app, done, result)

        self.run_worker(run, thread=True, group=group, exclusive=exclusive, exit_on_error=False)  # type: ignore[attr-defined]

    def _thread_failed(self, err: Exception, failed: Callable[[Exception], object] | None) -> None:
        if is_database_error(err):
            self.app.database_error(err)  # type: ignore[attr-defined]
        elif not isinstance(err, DeskError):
            raise err
        elif failed is None:
            self.app.notify(str(err), severity="error")  # type: ignore[attr-defined]
        if failed is not None:
            failed(err)


class DeskScreen(InThread, DatabaseGuard, Screen):
    """A full screen of desk.

    A screen whose lists other workstations change defines :meth:`live_read` and
    :meth:`show_read`: on :class:`DataChanged` it reads them in a worker thread (a slow
    database never holds up the keyboard) and paints what differs on the UI thread. Each read
    is numbered and only the newest is painted, so a read that a :meth:`reload` (after this
    workstation's own write, or a new filter) overtook is dropped; one thread at a time, and
    changes that come meanwhile are read once it is done. A screen not on show does nothing:
    it re-reads when it is shown again (each refreshes on resume).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)
        self._reads = 0  # the number of the newest read of the lists
        self._reading = False
        self._read_again = False

    def live_read(self) -> Callable[[], Any] | None:
        """What the screen shows from the database, as a function that reads it without
        touching a widget (it runs in a thread: take what it needs from the widgets here);
        None for a screen that shows nothing that changes elsewhere."""
        return None

    def show_read(self, data: Any) -> None:
        """Paint what the :meth:`live_read` function returned, changing only what differs."""

    def reload(self) -> None:
        """Read and paint now, on the UI thread; a read still running in a thread is older."""
        read = self.live_read()
        if read is not None:
            self._reads += 1
            self.show_read(read())

    @property
    def showing(self) -> bool:
        """On the terminal: the current screen, or one that only dialogs are open over."""
        stack = self.app.screen_stack
        if self not in stack:
            return False
        return all(isinstance(screen, ModalScreen) for screen in stack[stack.index(self) + 1:])

    def on_data_changed(self, event: DataChanged) -> None:
        self.read_in_thread()

    def read_in_thread(self) -> None:
        """Read the lists again in a thread and paint what differs (after this workstation's
        own write done in a thread, or another workstation's)."""
        read = self.live_read() if self.showing else None
        if read is None:
            return
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        self._reads += 1
        self._read_in_thread(read, self._reads)

    @work(thread=True, group="live", exit_on_error=False)
    def _read_in_thread(self, read: Callable[[], Any], number: int) -> tuple[int, Any]:
        return number, read()

    @on(Worker.StateChanged)
    def _read_done(self, event: Worker.StateChanged) -> None:
        """Paint a thread's read if no newer one was made. A read that failed (the database
        unreachable a moment) leaves the lists as they were until the next change."""
        if event.worker.group != "live" or not event.worker.is_finished:
            return
        self._reading = False
        if event.state == WorkerState.SUCCESS:
            number, data = event.worker.result
            if number == self._reads:
                self.show_read(data)
        if self._read_again:
            self._read_again = False
            self.read_in_thread()

    @property
    def desk(self) -> DeskApp:
        return self.app  # type: ignore[return-value]

    def on_screen_suspend(self) -> None:
        _left(self)

    @property
    def store(self) -> Store:
        return self.desk.store


class DeskModal(InThread, DatabaseGuard, ModalScreen):
    """A dialog over a desk screen."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    @property
    def store(self) -> Store:
        return self.app.store  # type: ignore[attr-defined]

    def on_screen_suspend(self) -> None:
        _left(self)


def _left(screen: Screen) -> None:
    """Leaving the screen (for another mode, or a dialog over it): what is typed is written now."""
    from desk.widgets.keeper import flush

    flush(screen.app)
