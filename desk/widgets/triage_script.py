"""What the triage screen says: SOP lines, type labels, caller and suggestion cards.

Text only (Rich markup strings) from the rules, the catalog and data the screen already has,
so the call panel stays about keys and focus.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.markup import escape

from desk.i18n import language, t
from desk.phones import display
from desk.widgets.markup import literal

if TYPE_CHECKING:
    from desk.dal.lookup import CallerHit


def _lang() -> str:
    return "zh" if language() == "zh_CN" else "en"


def call_lang(words: str) -> str:
    """The call's language: the caller's (``detect_lang`` of their words) once they have said
    something; before that, the receptionist's own."""
    from desk.rules.calls import detect_lang

    return detect_lang(words) if words.strip() else _lang()


def sop(key: str, lang: str | None = None, **params) -> str:
    """The SOP line(s) for a step of the call, in ``lang`` (the call's; default the reader's)."""
    from desk.rules import sop as rules_sop

    lang = lang or _lang()
    steps = {
        "transfer_line": ("transfer",),
        "all_busy": ("message_intro",),
        "message_ask": ("message_ask_name", "message_ask_time", "message_promise"),
        "repeat_transfer": ("transfer_person", "call_for_you"),
        "screened_decline": ("screened_ask", "screened_decline"),
        "complaint": ("complaint_ask_who", "complaint_listen", "complaint_pass_on"),
    }.get(key, (key,))
    params.setdefault("name", t("triage.the_person"))
    return "\n".join(f"“{rules_sop.line(step, lang, **params)}”" for step in steps)


def say(keys: tuple[str, ...], lang: str, greeting: str, **params) -> str:
    """The lines ``desk.rules.script.lines_for`` chose, as the receptionist reads them: the
    greeting is the center's configured one (``greeting``); a line in brackets (what to do,
    not what to say) is dim; the persuade line says it is for a caller who insists."""
    from desk.rules import sop as rules_sop

    out = []
    for key in keys:
        text = greeting if key == "greeting" else rules_sop.line(key, lang, **params)
        if text.startswith(("(", "（")):
            out.append(f"[dim]{escape(text)}[/dim]")
            continue
        lead = f"[dim]{t('triage.say_if_insists')}[/dim] " if key == "persuade" else ""
        out.append(f"{lead}[b]“{escape(text)}”[/b]")
    return "\n".join(out)


def type_label(call_type: str | None) -> str:
    return t(f"calltypes.{call_type}") if call_type else ""


def suggestion_card(suggestion, confirmed: str | None, words: str, by_questions: bool = False) -> str:
    """The suggested type with the question to ask back, large; the cues that decided it.

    Once a type is confirmed, the suggestion and its cues stay under it only when the caller
    said something (the suggestion came from their words). A type from the yes/no questions
    or the type list with nothing typed says how it was decided, never "Suggested: Silent /
    cues: nothing said" under "Type: Complaint" (issue 12).
    """
    ctype = suggestion.call_type.value
    question = suggestion.question(call_lang(words))  # in the call's language (§2.1)
    said = bool(words.strip())
    lines = []
    if confirmed:
        how = f" [dim]({t('triage.by_questions')})[/dim]" if by_questions else ""
        lines.append(f"[b reverse] {t('triage.confirmed')} [/] [b]{type_label(confirmed)}[/b]{how}")
        if not said:
            return "\n".join(lines)
        if confirmed != ctype:
            lines.append(f"[dim]{t('triage.suggested')}: {type_label(ctype)}[/dim]")
    else:
        low = f" [dim]({t('triage.low_confidence')})[/dim]" if suggestion.low_confidence else ""
        lines.append(f"{t('triage.suggested')}: [b]{type_label(ctype)}[/b]{low}   [dim]{t('triage.enter_confirms')}[/dim]")
    if question and not confirmed:
        lines.append(f"[b $accent]“{question}”[/]")
    if suggestion.cues:
        cues = " · ".join(escape(cue_text(cue)) for cue in suggestion.cues)
        lines.append(f"[dim]{t('triage.cues')}: {cues}[/dim]")
    return "\n".join(lines)


def cue_text(cue: str) -> str:
    """A cue of ``classify`` (``course:java``, ``caller:lead``, ``named:王芳(consultant)``) in
    the reader's words: the kind from the catalog, then the words the caller used."""
    kind, _, found = cue.partition(":")
    if kind == "caller" or not found:  # a fact, not a word: the whole cue is the label
        return t(f"triage.cue.{kind}_{found}" if found else f"triage.cue.{kind.replace('-', '_')}")
    found, _, note = found.partition("(")
    note = note.rstrip(")")
    if kind == "named":
        note = t(f"common.roles.{note}") if note else ""
    elif note:
        note = t(f"triage.cue.note_{note.replace(' ', '_')}")
    gap = "" if language() == "zh_CN" else " "
    return f"{t(f'triage.cue.{kind}')}{gap}{found.replace('->', '→')}" + (f"{gap}({note})" if note else "")


def tree_card(node, depth: int) -> str:
    question = node.question(_lang())
    return f"[b]{t('triage.tree_title')}[/b] ({depth + 1})\n[b $accent]{question}[/]\n[dim]{t('triage.tree_keys')}[/dim]"


def hit_line(hit: CallerHit) -> str:
    kind = t(f"triage.kind_{hit.kind}")
    if hit.kind == "staff":
        return f"{literal(hit.name)} · {kind} · {t('common.roles.' + (hit.role or 'consultant'))} #{hit.extension or ''}"
    owner = f" · {t('triage.owner')}: {literal(hit.owner)}" if hit.owner else ""
    return f"{literal(hit.name or t('triage.no_name'))} · {display(hit.phone)} · {kind}{owner}"


def caller_card(hit: CallerHit, local: Callable[[datetime], datetime]) -> str:
    """Who is calling; the last contact in the center's time, not the workstation's."""
    kind = t(f"triage.kind_{hit.kind}")
    if hit.kind == "staff":
        return f"[b]{literal(hit.name)}[/b] · {kind} · {t('common.roles.' + (hit.role or 'consultant'))} #{hit.extension or ''}"
    parts = [f"[b]{literal(hit.name or t('triage.no_name'))}[/b] · {kind}"]
    parts.append(f"{t('triage.owner')}: {literal(hit.owner or t('common.none'))}")
    if hit.last_contact:
        parts.append(f"{t('triage.last_contact')}: {local(hit.last_contact).strftime('%Y-%m-%d %H:%M')}")
    if hit.open_follow_ups:
        parts.append(f"[b yellow]{t('triage.open_follow_ups', n=hit.open_follow_ups)}[/]")
    return " · ".join(parts)


def action_header(call_type: str) -> str:
    return f"[b]{t('triage.action')}: {type_label(call_type)}[/b]"


def target_label(person, first: bool) -> str:
    tag = f"  [b green]{t('triage.rotation_pick')}[/]" if first else ""
    return f"→ {person.name}  {t('triage.dial')} {person.extension or '?'}{tag}"


def person_label(person) -> str:
    return f"→ {person.name}  {t('common.roles.' + person.role)}  {t('triage.dial')} {person.extension or '?'}"


def recorded_summary(call, to) -> str:
    """The line left on screen after a call is saved: what happened and, for ``to``, the
    person it went to, the extension to dial."""
    outcome = t(f"outcomes.{call.outcome}")
    if call.outcome == "message_refused":
        return f"{t('triage.saved', type=type_label(call.call_type), outcome=outcome)} {_closing_line(call.words)}"
    if call.outcome == "transferred" and to is not None:
        return t("triage.saved_transfer", type=type_label(call.call_type), name=to.name, ext=to.extension or "?")
    if to is not None:
        return t("triage.saved_with_person", type=type_label(call.call_type), outcome=outcome, name=to.name)
    return t("triage.saved", type=type_label(call.call_type), outcome=outcome)


def _closing_line(words: str) -> str:
    """The line a refused number ends with ("please call again later"), plain text: the
    summary is shown literally."""
    from desk.rules import sop as rules_sop
    from desk.rules.script import Moment, lines_for

    lang = call_lang(words)
    return " ".join(f"“{rules_sop.line(key, lang)}”" for key in lines_for(Moment(take_message=True, refusals=2)))
