"""The desk Textual app: the shell around the four workstation screens.

Each screen is a Textual *mode* with its own stack, so switching from a half-typed note to
the phone and back keeps everything where it was.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.binding import Binding

from desk.config import Config
from desk.i18n import t, translate_bindings
from desk.screens.home import HomeScreen
from desk.widgets import wide_toasts
from desk.widgets.guard import DatabaseGuard
from desk.widgets.live import DataChanged
from desk.widgets.ui_thread import deliver

if TYPE_CHECKING:
    from desk.dal import Store
    from desk.dal.changes import Watcher
    from desk.dal.first_paint import FirstPaint


def _lazy(module: str, name: str):
    """A mode's screen, imported when first opened: start-up only pays for the home screen."""

    def make():
        from importlib import import_module

        return getattr(import_module(module), name)()

    return make


class DeskApp(DatabaseGuard, App):
    # The shell's sheet, then one per screen beside its module: all read and parsed once at
    # start-up. A screen's own CSS_PATH would be read when it is first shown, and Textual then
    # parses every sheet and every widget's default CSS again and restyles every widget.
    CSS_PATH = [
        "desk.tcss",
        *(f"screens/{name}.tcss" for name in ("notes", "walkins", "timeline", "lectures", "followups", "outreach",
                                               "dashboard", "reassign", "registers", "audit", "levels", "qa", "pay")),
        "screens/dialogs/dialogs.tcss",
    ]
    TITLE = "desk"
    ENABLE_COMMAND_PALETTE = False

    # Keys that change screen are priority bindings: handled the moment they arrive, so the
    # keys typed right after them go to the new screen, not to the field being left.
    BINDINGS = [
        Binding("f1", "help", "keys.help", priority=True),
        Binding("question_mark", "help", "keys.help", show=False),
        Binding("f2", "switch_mode('home')", "keys.home", priority=True),
        Binding("f3", "switch_mode('triage')", "keys.triage", priority=True),
        Binding("f4", "switch_mode('walkins')", "keys.walkins", priority=True),
        Binding("f5", "switch_mode('notes')", "keys.notes", priority=True),
        Binding("f6", "switch_mode('followups')", "keys.followups", priority=True),
        # Not in the footer: at 80 columns one more key there pushes F12 off; F1 lists it.
        Binding("f11", "switch_mode('registers')", "keys.registers", priority=True, show=False),
        Binding("f12", "switch_mode('dashboard')", "keys.dashboard", priority=True),
        Binding("f9", "switch_user", "keys.switch_user", priority=True),
        Binding("ctrl+f", "lock", "keys.lock", show=False, priority=True),
        Binding("ctrl+n", "new_call", "keys.new_call", priority=True),
        Binding("ctrl+q", "quit", "keys.quit", priority=True),
    ]

    MODES = {
        "home": HomeScreen,
        "triage": _lazy("desk.screens.triage", "TriageScreen"),
        "walkins": _lazy("desk.screens.walkins", "WalkInsScreen"),
        "notes": _lazy("desk.screens.notes", "NotesScreen"),
        "followups": _lazy("desk.screens.followups", "FollowUpsScreen"),
        "dashboard": _lazy("desk.screens.dashboard", "DashboardScreen"),
        "registers": _lazy("desk.screens.registers", "RegistersScreen"),
    }

    # What the UI thread uses once the store is open (_store_opened, set_user, the picker,
    # each role's working screen): imported beforehand in the thread that opens the store.
    NEXT_IMPORTS = (
        "desk.dal.staff", "desk.dal.identity", "desk.dal.changes", "desk.dal.followups", "desk.workstation",
        "desk.widgets.keeper", "desk.screens.pick_user", "desk.screens.triage", "desk.screens.followups",
    )

    def __init__(
        self,
        store: Store | Callable[[], Store],
        config: Config,
        *,
        database: str,
        user_id: int | None = None,
        rings_folder: Path | None = None,
        first_paint: FirstPaint | None = None,
        sign_in: bool = False,
    ) -> None:
        """``store`` is a Store, or a function that opens one: then desk paints the home screen
        (and, signing in to a center with PINs, the picker over it) from ``first_paint`` (read
        without SQLAlchemy) and opens the store after the first paint."""
        super().__init__()
        wide_toasts.install()  # toasts keep their Chinese whole (Textual #6357)
        self.rings_folder = rings_folder
        translate_bindings(self)
        self._store: Future[Store] = Future()
        self._open_store = None
        if callable(store):
            self._open_store = store
        else:
            self._store.set_result(store)
        self.first_paint = first_paint
        self.user = None  # the person at the keyboard, once picked (set_user)
        # Rings that came while someone typed, before the triage screen existed (_take_rings):
        # (number, recording reference or None).
        self.pending_rings: list[tuple[str, str | None]] = []
        self._changes: Watcher | None = None  # tells when the database changed (_watch_changes)
        self.freeze_gc = False  # run_app: a real session, not one of many apps in a test run
        self.config = config
        self.database = database
        self.title = config.center_name_for(_lang())
        self.initial_user = user_id  # who desk starts for: named by a test, or the last one here
        # desk itself (run_app) asks who is at the keyboard and, in a center with PINs, for
        # their PIN; a test harness names the user. F9 and the lock always ask for the PIN.
        self._sign_in = sign_in
        # The center has PINs (desk.dal.identity): known from the first paint's read, else
        # once the store is open.
        self.guarded = bool(first_paint and first_paint.guarded)
        self._picking = False  # the sign-in picker is up (no one to sign in again behind it)
        self._locked = False
        self._last_key = time.monotonic()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Until someone has said who is at the keyboard (the picker is open), only help, quit
        and the picker itself work: every screen and every write needs a person to name."""
        return not (action in ("switch_mode", "new_call") and self.user is None and (self.store_open or self._picking))

    @property
    def store(self) -> Store:
        """The store; a key pressed while it is still opening waits for it (a fraction of a second)."""
        return self._store.result()

    @store.setter
    def store(self, store: Store) -> None:
        self._store = Future()
        self._store.set_result(store)

    @property
    def store_open(self) -> bool:
        return self._store.done()

    @property
    def open_error(self) -> BaseException | None:
        """Why the store opened in the background could not be opened, if it could not."""
        return self._store.exception() if self._store.done() else None

    def now(self) -> datetime:
        """The center's time; while the store is still opening, by the config's time zone."""
        if self.store_open:
            return self.store.now()
        return datetime.now(self.config.center.timezone)

    def today(self) -> date:
        return self.now().date()

    def on_mount(self) -> None:
        self.switch_mode("home")
        if self._open_store is None:
            self._store_opened()
            return
        if self._sign_in and self.guarded:
            # Sign-in is the first paint: the picker lists the people read with the roster,
            # and the store opens while the PIN is typed (issue 16: PIN to working screen).
            self.action_switch_user()
        self.call_after_refresh(self._open_in_background)

    def _open_in_background(self) -> None:
        """Import SQLAlchemy and open the store in a thread, after the first screen is painted;
        then, in the same thread, import what the UI thread needs next (signing in, the
        working screens), so the UI thread does not stop to import it (issue 16)."""
        future, opener = self._store, self._open_store

        def work() -> None:
            try:
                future.set_result(opener())
            except BaseException as err:  # shown by _store_opened on the UI thread
                future.set_exception(err)
            else:
                from importlib import import_module

                for module in self.NEXT_IMPORTS:
                    import_module(module)
            deliver(self, self._store_opened)  # nothing if desk was closed meanwhile

        threading.Thread(target=work, name="desk-open-store", daemon=True).start()

    def database_error(self, err: BaseException) -> None:
        """A database error reached a screen (desk.widgets.guard): log it, say it in one line."""
        from desk.errors import describe_database_error
        from desk.log import log_error
        from desk.widgets.markup import literal

        where = log_error("database error on a workstation", err)
        self.notify(literal(t("errors.not_saved", reason=describe_database_error(err), log=where)), severity="error", timeout=15)

    def _handle_exception(self, error: Exception) -> None:
        """Anything else still ends desk (a bug), but its traceback goes to the log first."""
        from desk.log import log_error

        log_error("desk stopped on an unexpected error", error)
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Textual's crash screen, without local variables and with every password masked: a
        database URL can be in a local, an error message or a line of the code shown. It is
        shown as plain text (the log has the same traceback)."""
        from io import StringIO

        import rich
        from rich.console import Console
        from rich.text import Text
        from rich.traceback import Traceback

        from desk.errors import mask_secrets

        self.bell()
        buffer = StringIO()
        Console(file=buffer, width=self.console.width, color_system=None, legacy_windows=False).print(
            Traceback(show_locals=False, width=None, suppress=[rich])
        )
        self._exit_renderables.append(Text(mask_secrets(buffer.getvalue())))
        self._close_messages_no_wait()

    def _end_batch(self) -> None:
        """Wake the current screen when an update batch ends (Textual 8.2.8 wakes only the app).

        A screen's paint timer skips its tick while a batch runs (a footer remounting its
        keys, a mode switch) and nothing re-arms it when the batch ends, so a screen shown
        with fresh rows could wait for the next event, the header clock's second, to paint.
        """
        super()._end_batch()
        if not self._batch_count and self._screen_stack:
            self.screen.check_idle()

    def _store_opened(self) -> None:
        """Everything that needs the database beyond the first paint: the user, rings, the sweep."""
        if self.open_error is not None:
            self.exit(return_code=2)
            return
        from desk.dal import staff as staff_dal

        if self.rings_folder is not None:
            self.set_interval(0.25, self._take_rings)
        self._watch_changes()
        self.call_after_refresh(self._sweep)
        self.call_after_refresh(self._warm_lookup)
        from desk.dal import identity

        self.guarded = identity.center_has_pins(self.store)
        if self._picking:
            from desk.screens.pick_user import PickUserScreen

            if isinstance(self.screen, PickUserScreen):
                self.prepare_for(self.screen.person_at_hand())
        elif self.user is None:  # else the first paint's picker asks
            user = staff_dal.get_staff(self.store, self.initial_user) if self.initial_user else None
            if user is not None and user.active and not (self.guarded and self._sign_in):
                self.set_user(user)
            else:
                self.action_switch_user()
        if self.guarded and self.config.signin.lock_after_minutes:
            self.set_interval(15, self._lock_when_idle)
        if self.freeze_gc:
            # What start-up built (modules, the home screen, the store, the follow-up queue
            # built behind it) lives as long as desk: a second later, keep it out of the
            # collector's full passes, which otherwise cost ~100 ms every few refills of a
            # long list (bench/queue.py --freeze-gc).
            self.set_timer(1.0, gc.freeze)

    def _warm_lookup(self) -> None:
        """Load what the first caller lookup needs (pypinyin's dictionary, ~0.3 s and more on a
        busy machine) in a thread once the screen is up, so the first number or name the
        receptionist types is answered as fast as the next (bench/first_lookup.py). The
        classifier's matchers too (compiled on first use, ~60 ms): else the first words typed
        into a call pay for them on the UI thread (issue 16, bench/typing_keys.py)."""
        store = self.store

        def work() -> None:
            from desk.dal.lookup import warm_up
            from desk.rules.calls import classify

            try:
                warm_up(store)
            except Exception:  # only a head start: the lookup itself says what failed
                pass
            classify("您好，我想问一下Java周末班学费多少 hello, how much is the Python class?")

        threading.Thread(target=work, name="desk-warm-lookup", daemon=True).start()

    def _watch_changes(self) -> None:
        """Live across workstations: four times a second, ask the database whether anything
        was committed (microseconds; desk.dal.changes) and, when it was, tell the screens on
        show, which re-read their lists and repaint what differs (desk.widgets.live)."""
        from desk.dal import changes
        from desk.errors import DeskError
        from desk.widgets.markup import literal

        try:
            self._changes = changes.watch(self.store.engine)
        except DeskError as err:
            self.notify(t("common.not_live", reason=literal(str(err))), severity="warning", timeout=20)
            return
        self.set_interval(0.25, self._poll_changes)

    def switch_mode(self, mode: str):
        """A screen coming into view reads its lists as it is shown: changes committed before
        that are in what it reads, so the watcher starts counting afresh (one read, not two).

        A screen the person's role may not open (the dashboard, for all but managers) is not
        opened: a line says why. The data layer refuses its figures too.
        """
        from desk.rules.access import Action

        if mode == "dashboard" and self.user is not None and self._refused(Action.DASHBOARD, "dashboard"):
            return None
        if self._changes is not None:
            self._changes.changed()
        return super().switch_mode(mode)

    def _poll_changes(self) -> None:
        if self._changes.changed():
            for screen in self.screen_stack:
                screen.post_message(DataChanged())

    def on_unmount(self) -> None:
        if self._changes is not None:
            self._changes.close()

    def _sweep(self) -> None:
        """Follow-ups that became due while desk was closed (promised visits that did not happen),
        written in a worker thread: at start-up the UI thread belongs to the first keys typed
        (issue 16). The screens showing follow-ups hear of it as of any other workstation's
        write (``_watch_changes``); a database error is said on the message line."""
        store, config = self.store, self.config

        def work() -> None:
            from desk.dal import followups

            try:
                followups.sweep(store, config)
            except Exception as err:
                deliver(self, self._sweep_failed, err)

        self.run_worker(work, thread=True, group="sweep", exit_on_error=False)

    def _sweep_failed(self, err: Exception) -> None:
        from desk.widgets.guard import is_database_error

        if not is_database_error(err):
            raise err  # a bug: desk stops, with it in the log (_handle_exception)
        self.database_error(err)

    async def _take_rings(self) -> None:
        """``desk ring NUMBER`` from the phone system: open a call with the number filled in.

        A ring older than a couple of minutes (posted while desk was closed) is not a call any
        more: it is dropped, with a line in the log and a toast saying so. A ring never takes
        the screen from someone typing (issue 12): it goes on the call stack and in the header,
        and comes up once the receptionist is not in the middle of a call or a field, or at
        once with Ctrl+N.
        """
        from desk.ring import RING_MAX_AGE, take_rings_split
        from desk.widgets.markup import literal

        fresh, stale = take_rings_split(self.rings_folder)
        for ring in stale:
            self.notify(t("common.ring_stale", number=literal(ring.number), time=ring.time.astimezone().strftime("%m-%d %H:%M"),
                          minutes=int(RING_MAX_AGE.total_seconds() // 60)), severity="warning", timeout=10)
        for ring in fresh:
            if self._typing():
                await self._ring_waiting(ring.number, ring.recording)
            else:
                await self.action_new_call(ring.number, ring.recording)
        if (self.pending_rings or self._triage_waiting()) and not self._typing():
            await self.action_new_call()

    def _typing(self) -> bool:
        """In the middle of something typed: a call on triage with something in it, or, on
        any other screen, the focus in a field with text."""
        from desk.screens.triage import TriageScreen

        if self.user is None:
            return False
        if isinstance(self.screen, TriageScreen):
            return self.screen.busy
        value = getattr(self.focused, "value", None)
        if not isinstance(value, str):
            value = getattr(self.focused, "text", None)
        return isinstance(value, str) and bool(value.strip())

    def _triage(self):
        """The triage screen when it exists (its mode was opened), else None."""
        from desk.screens.triage import TriageScreen

        stack = self._screen_stacks.get("triage") or []
        screen = stack[0] if stack else None
        return screen if isinstance(screen, TriageScreen) and screen.is_mounted else None

    def _triage_waiting(self) -> bool:
        triage = self._triage()
        return triage is not None and bool(triage.waiting_panels)

    async def _ring_waiting(self, number: str, recording: str | None = None) -> None:
        triage = self._triage()
        if triage is not None:
            await triage.ring_waiting(number, recording)
        else:
            self.pending_rings.append((number, recording))
        self.show_ringing()

    def show_ringing(self) -> None:
        """The header says which calls ring unanswered, beside the person at the keyboard."""
        from desk.phones import PhoneError, display, parse

        triage = self._triage()
        numbers = [panel.draft.number for panel in triage.waiting_panels] if triage is not None else []
        numbers += [number for number, _ in self.pending_rings]
        shown = []
        for number in numbers:
            try:
                shown.append(display(parse(number, self.config.center.phone_region).e164))
            except PhoneError:
                shown.append(number)
        user = f"{self.user.name} · {t('common.roles.' + self.user.role)}" if self.user is not None else ""
        ringing = t("triage.ringing", number=", ".join(shown)) if shown else ""
        self.sub_title = " · ".join(part for part in (user, ringing) if part)

    def set_user(self, user) -> None:
        """Make ``user`` the person at the keyboard: shown in the header, named in the audit."""
        from desk.widgets.keeper import keeper
        from desk.workstation import remember_user

        self.store = self.store.with_actor(user.id)
        self.user = user
        self.show_ringing()
        remember_user(self.database, user.id)
        keeper(self).restore()  # what was typed before desk last closed, back in its screens
        if user.role == "receptionist" and self.current_mode == "home":
            # The receptionist lives on the phone: her workstation opens on call triage.
            self.call_later(self.switch_mode, "triage")
        elif user.role != "receptionist":
            self.call_after_refresh(self._build_followups)

    def _build_followups(self) -> None:
        """Build the follow-up queue's screen behind the current one, for the people who live in
        it (consultants, managers): their first F6 then only refills and paints it (issue 5:
        under 100 ms), instead of also importing, composing and styling it (~150 ms more).

        Textual has no public way to create a mode's screen without showing it;
        ``App._init_mode`` is what ``switch_mode`` itself calls, and textual is pinned
        (8.2.8). The screen fills itself when first shown (its data would be stale by then).
        Its widgets are styled as they mount, by the stylesheet of now: it is marked so, or
        F6 would re-parse all of desk's CSS and restyle every widget first (~25 ms); a
        theme changed later still restyles it.
        """
        self._build_behind("followups")

    def prepare_for(self, person) -> None:
        """The picker has ``person`` at hand (highlighted, or typing their PIN): once the store
        is open, build their working screen behind it, so their PIN opens it at once (issue 16:
        PIN to working screen). Only the receptionist's differs from home: call triage."""
        if person is not None and person.role == "receptionist" and self.store_open:
            self._build_behind("triage")

    def _build_behind(self, mode: str) -> None:
        if mode not in self._screen_stacks:
            self._init_mode(mode)
            self._screen_stacks[mode][0]._css_update_count = self._css_update_count

    def action_switch_user(self) -> None:
        """F9: another person takes the keyboard (their PIN, in a center with PINs)."""
        from desk.screens.pick_user import PickUserScreen

        if self._locked:
            self._locked = False
            self.screen.dismiss(None)  # the lock: whoever signs in next takes the workstation

        def picked(user) -> None:
            self._picking = False
            if user is not None:
                self.set_user(user)

        self._picking = True
        people = self.first_paint.people if self.first_paint is not None and not self.store_open else None
        self.push_screen(PickUserScreen(require_pin=self.guarded, cancel=self.user is not None, people=people), picked)

    def action_lock(self) -> None:
        """Ctrl+F, or idle time: the screen locks over whatever is open; everything typed stays
        behind it, and the same person's PIN (or F9 and another person's) opens it again."""
        from desk.screens.pick_user import PickUserScreen

        if not self.guarded or self.user is None or self._locked:
            return
        self._locked = True

        def unlocked(user) -> None:
            self._locked = False
            self._last_key = time.monotonic()

        self.push_screen(PickUserScreen(require_pin=True, only=self.user.id, cancel=False), unlocked)

    def _lock_when_idle(self) -> None:
        from desk.rules.signin import locked_by_idle

        if locked_by_idle(time.monotonic() - self._last_key, self.config.signin.lock_after_minutes):
            self.action_lock()

    async def on_event(self, event: events.Event) -> None:
        """Every key reaches the app first: it is the idle lock's clock."""
        if isinstance(event, events.Key):
            self._last_key = time.monotonic()
        await super().on_event(event)

    async def action_new_call(self, number: str = "", recording: str | None = None) -> None:
        """Start a call from anywhere in desk: the triage screen, focus in the number (a
        ring's ``recording`` goes with the call)."""
        await self.switch_mode("triage")
        from desk.screens.triage import TriageScreen

        screen = self.screen
        if isinstance(screen, TriageScreen):
            await screen.new_call(number, recording)

    def open_pay(self) -> None:
        """The month-end over the dashboard (``p``): only for a role that may see pay; others
        get a line saying why, as for the dashboard (the data layer refuses its figures too)."""
        from desk.rules.access import Action
        from desk.screens.pay import PayScreen

        if not self._refused(Action.PAY, "pay"):
            self.push_screen(PayScreen())

    def open_timeline(self, lead_id: int) -> None:
        """One lead's whole history over the screen that asked for it (notes, walk-ins,
        lectures and the follow-up queue all open it): the app opens it, so no screen
        imports another one."""
        from desk.screens.timeline import TimelineScreen

        self.push_screen(TimelineScreen(lead_id))

    def open_audit(self) -> None:
        """The audit trail over the dashboard that asked for it (the app opens screens, so
        the dashboard imports no other screen)."""
        from desk.screens.audit import AuditScreen

        self.push_screen(AuditScreen())

    def action_open_levels(self) -> None:
        """The consultants' levels (``l`` on the dashboard), a manager's: anyone else is told
        why not, as for the dashboard; the data layer refuses their figures too."""
        from desk.rules.access import Action
        from desk.screens.levels import LevelsScreen

        if not self._refused(Action.PAY, "pay"):
            self.push_screen(LevelsScreen())

    def _refused(self, action, what: str) -> bool:
        """Whether the person at the keyboard may not do ``action`` (a center with PINs; an
        open center checks no one): then a line says who they are and what they may not do.
        The data layer refuses it too; this only saves opening a screen that would."""
        from desk.rules.access import allowed

        who = self.user
        if not self.guarded or (who is not None and allowed(who.role, action)):
            return False
        self.notify(t("access.refused", name=who.name if who else "—", role=t("common.roles." + who.role) if who else "—",
                      action=t(f"access.actions.{what}")), severity="warning")
        return True

    def action_open_qa(self) -> None:
        """QA scoring (``q`` on the dashboard and on the notes queue): a reviewer scores
        consults, a consultant reads her own reviews; the screen asks the role which."""
        from desk.screens.qa import QaScreen

        self.push_screen(QaScreen())

    def action_quit(self) -> None:
        """Ctrl+Q: quit, asking first when something typed would be lost (desk.widgets.keeper)."""
        from desk.screens.quit import quit_desk

        quit_desk(self)

    def action_help_quit(self) -> None:
        """Ctrl+C outside a text field: people press it to quit, so say (in desk's language,
        not Textual's English "Press ctrl+q to quit the app") which key does."""
        self.notify(t("keys.quit_how"), title=t("keys.quit_title"))

    def action_help(self) -> None:
        from desk.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def _lang() -> str:
    from desk.i18n import language

    return language()


def run_app(db: str | None = None, lang: str | None = None) -> None:
    """Apply config and language, open the database (migrating it), run the TUI.

    A SQLite file already at the newest schema paints its first screen straight from the
    file and opens the store behind it; anything else is opened and migrated first.
    """
    from desk import config as config_mod
    from desk.dal.first_paint import first_paint_at_head
    from desk.db import checked_sqlite_file, resolve
    from desk.i18n import detect_language, set_language
    from desk.ring import rings_home
    from desk.workstation import remembered_user

    target = resolve(db)
    config = config_mod.load(config_mod.config_path(target.path))
    set_language(detect_language(lang or config.ui.language))
    path = checked_sqlite_file(target)
    first_paint = first_paint_at_head(path) if path is not None else None

    def open_store() -> Store:
        from desk.dal.store import Store
        from desk.db import make_engine_for

        return Store(make_engine_for(target), tz=config.center.timezone)

    rings = rings_home(target)  # the folder `desk ring` posts to under the same options
    app = DeskApp(
        open_store if first_paint is not None else open_store(),
        config,
        database=target.description,
        user_id=remembered_user(target.description),
        rings_folder=rings,
        first_paint=first_paint,
        sign_in=True,
    )
    app.freeze_gc = True
    app.run()
    if app.open_error is not None:
        raise app.open_error  # the CLI turns it into one line and exit code 2
