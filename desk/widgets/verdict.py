"""A lead's validity in words: the verdict line of the consult note and the lead timeline."""

from __future__ import annotations

from desk.i18n import language, t


def reason_lines(codes: list[str]) -> list[str]:
    """Why a lead is not valid, one line per reason code, in the reader's language."""
    from desk.rules.leads import reason_text

    lang = "zh" if language() == "zh_CN" else "en"
    out = []
    for code in codes:
        try:
            out.append(reason_text(code, lang))
        except KeyError:
            out.append(code)
    return out


def verdict_text(valid: bool | None, codes: list[str]) -> str:
    """"✔ valid", or "✘ not valid" with the reasons under it; nothing before it is judged."""
    if valid is None:
        return ""
    if valid:
        return f"[b green]✔ {t('notes.valid')}[/]"
    lines = [f"[b red]✘ {t('notes.invalid')}[/]"] + [f"  • {line}" for line in reason_lines(codes)]
    return "\n".join(lines)
