"""Which of the receptionist's lines fits the step of the call she is at (docs/domain.md §2.1).

Her lines are data (``data/sop/<lang>.toml``, :mod:`desk.rules.sop`); this module only
chooses them. The call panel describes the moment in a :class:`Moment` and shows the lines
:func:`lines_for` names, in the call's language, so "what to say now" is decided in one pure
place and tested here instead of in the widget:

- the phone rings: the greeting with the center's name (and, if the line is silent, the same
  greeting once more before hanging up); while another call is open, "please hold" first;
- a silent call: the greeting again, then hang up;
- a new inquirer who asks a course or price question: the persuade line, for when they insist
  on an answer from the front desk (§2.5);
- a caller who will not leave a number: the warm retry, then "please call again later"
  (§2.6);
- a repeat caller whose consultant is on the phone or with a visitor: "xx老师 is on the phone"
  (or with a visitor), before taking the message (§2.5).

    >>> lines_for(Moment())
    ('greeting', 'greeting_twice')
    >>> lines_for(Moment(call_type="repeat_inquiry", owner_state="on_call"))
    ('owner_on_phone',)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BUSY_STATES", "IF_NEEDED", "Moment", "lines_for"]

# A consultant in one of these states cannot take their repeat caller now (§2.5).
BUSY_STATES = {"on_call": "owner_on_phone", "with_visitor": "owner_with_visitor"}
# Lines said only if the caller pushes (they insist on a course answer): shown after what to
# do, not before it.
IF_NEEDED = frozenset({"persuade"})
# The call types a course question comes with: a new inquirer, for themselves or another.
_NEW_INQUIRY = frozenset({"first_inquiry", "proxy_inquiry"})


@dataclass(frozen=True)
class Moment:
    """Where the call is.

    ``call_type`` None: not confirmed yet. ``said``: the caller has said something (words
    typed). ``other_open``: another call is open on the stack, this one came in on top of it.
    ``course_question``: the words ask about courses or fees. ``owner_state``: a repeat
    caller's consultant's board state, when known. ``refusals``: how many times the caller
    has declined to leave a number (0, 1 = ask once more warmly, 2+ = call again later).
    """

    call_type: str | None = None
    said: bool = False
    other_open: bool = False
    course_question: bool = False
    owner_state: str | None = None
    take_message: bool = False
    refusals: int = 0


def lines_for(moment: Moment) -> tuple[str, ...]:
    """The keys of the lines to say at ``moment``, in order (empty: nothing beyond the
    question back and the action area's own lines)."""
    if moment.take_message and moment.refusals:
        return ("message_retry_warm",) if moment.refusals == 1 else ("message_refused",)
    if moment.call_type == "silent":
        return ("greeting_again", "hang_up_silent")
    if moment.call_type is None and not moment.said:
        return ("hold_on", "greeting") if moment.other_open else ("greeting", "greeting_twice")
    if moment.call_type == "repeat_inquiry" and moment.owner_state in BUSY_STATES:
        return (BUSY_STATES[moment.owner_state],)
    if moment.call_type in _NEW_INQUIRY and moment.course_question and not moment.take_message:
        return ("persuade",)
    return ()
