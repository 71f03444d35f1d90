"""The recording dialogs (docs/domain.md §2.8): picking a call's recording from the recordings
folder, and attaching a reference to a call or a note already saved (the timeline), since a
recording often arrives after the call.

The picker lists the folder's files that fit the call (its number, its time: the rule is
desk.rules.recordings), likeliest first; Enter picks, Esc leaves without one. The folder is
read in a thread: a share on the network may be slow.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from desk.dal import recordings as recordings_dal
from desk.errors import DeskError, FieldError
from desk.i18n import t
from desk.phones import display
from desk.recordings import find, folder_of
from desk.rules.recordings import Candidate
from desk.screens.base import DeskModal
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.forms import error_text
from desk.widgets.markup import literal

# More than a screenful is a folder with no number to go by: the nearest ones are enough.
SHOWN = 200


def _how_near(found: Candidate) -> str:
    parts = [t("recordings.same_number")] if found.number_match else []
    if found.delta is not None:
        if found.delta < timedelta(days=1):
            parts.append(t("recordings.minutes_off", n=round(found.delta.total_seconds() / 60)))
        else:
            parts.append(t("recordings.days_off", n=found.delta.days))
    return " · ".join(parts)


class RecordingPicker(DeskModal):
    """The folder's files that may be this call's recording; dismissed with the file name
    (relative to the folder) or None."""

    BINDINGS = [Binding("escape", "cancel", "keys.cancel")]

    def __init__(self, *, call_id: int | None = None, note_id: int | None = None, lead_id: int | None = None) -> None:
        super().__init__()
        self._sought = {"call_id": call_id, "note_id": note_id, "lead_id": lead_id}
        self._files = OptionList(id="rp-files")
        self._status = Static(t("recordings.searching"), id="rp-status")

    def compose(self) -> ComposeResult:
        with Vertical(id="rp-box", classes="dialog-box"):
            yield Static(t("recordings.pick_title"), classes="panel-title")
            yield self._status
            yield self._files
        yield DeskFooter()

    def on_mount(self) -> None:
        focus_now(self._files)
        folder = folder_of(getattr(self.app, "config", None))
        if folder is None:
            self._status.update(t("recordings.no_folder"))
            return
        store, sought = self.store, self._sought

        def search():
            wanted = recordings_dal.sought(store, **sought)
            return folder, wanted, find(folder, wanted.number, wanted.at)

        self.in_thread(search, self._show)

    def _show(self, found: tuple[Path, recordings_dal.Sought, list[Candidate]]) -> None:
        folder, wanted, files = found
        number = display(wanted.number) if wanted.number else t("recordings.no_number")
        when = wanted.at.strftime("%m-%d %H:%M") if wanted.at else ""
        if not files:
            self._status.update(t("recordings.none_found", folder=literal(str(folder)), number=number, time=when))
            return
        self._status.update(t("recordings.found", n=len(files), number=number, time=when))
        self._files.add_options(
            Option(f"{literal(c.name)}  [dim]{_how_near(c)}[/]", id=c.name) for c in files[:SHOWN]
        )
        self._files.highlighted = 0

    @on(OptionList.OptionSelected, "#rp-files")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AttachRecordingDialog(DeskModal):
    """A recording for a call or a note already saved: typed, or picked from the folder
    (Ctrl+R). Saving re-checks the lead; the dialog is dismissed with what was attached
    (desk.dal.recordings.Attached) or None."""

    BINDINGS = [
        Binding("ctrl+s", "save", "recordings.k_attach"),
        Binding("ctrl+r", "pick", "recordings.k_pick"),
        Binding("escape", "cancel", "keys.cancel"),
    ]

    def __init__(self, *, call_id: int | None = None, note_id: int | None = None, current: str | None = None) -> None:
        super().__init__()
        self.call_id = call_id
        self.note_id = note_id
        self._input = Input(current or "", placeholder=t("recordings.ph_ref"), id="ar-ref")
        self._error = Static("", id="ar-ref-error", classes="field-error")

    def compose(self) -> ComposeResult:
        with Vertical(id="ar-box", classes="dialog-box"):
            yield Static(t("recordings.attach_title_call" if self.call_id is not None else "recordings.attach_title_note"),
                         classes="panel-title")
            yield Label(t("recordings.f_ref"))
            yield self._input
            yield self._error
        yield DeskFooter()

    def on_mount(self) -> None:
        focus_now(self._input)

    @on(Input.Submitted, "#ar-ref")
    def _submitted(self) -> None:
        self.action_save()

    def action_pick(self) -> None:
        def picked(name: str | None) -> None:
            if name:
                self._input.value = name
            focus_now(self._input)

        self.app.push_screen(RecordingPicker(call_id=self.call_id, note_id=self.note_id), picked)

    def action_save(self) -> None:
        self._error.update("")
        store, ref = self.store, self._input.value
        user = getattr(self.app, "user", None)
        ids = {"call_id": self.call_id, "note_id": self.note_id}

        def attach():
            return recordings_dal.attach_recording(store, **ids, ref=ref, by=user.id if user else None)

        def done(attached: recordings_dal.Attached) -> None:
            self.app.notify(t("recordings.attached", ref=literal(attached.ref)), title=t("common.saved"))
            self.dismiss(attached)

        def failed(err: Exception) -> None:
            if isinstance(err, FieldError):
                self._error.update(error_text(err))
                focus_now(self._input)
            elif isinstance(err, DeskError):  # the call or note is gone (deleted elsewhere)
                self.app.notify(str(err), severity="error")

        self.in_thread(attach, done, failed=failed)

    def action_cancel(self) -> None:
        self.dismiss(None)
