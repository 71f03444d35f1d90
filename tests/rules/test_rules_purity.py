"""The rules are pure and light: no UI, no database on import; data files extendable."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from desk.rules.calls import CallType, classify
from desk.rules.lexicon import default_lexicon, load_lexicon, normalize

REPO = Path(__file__).resolve().parents[2]


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True,
                          text=True, timeout=60)


def test_import_pulls_in_no_ui_and_no_database():
    got = _run(
        "import desk.rules.calls, sys; "
        "assert not any(m.startswith(('textual','sqlalchemy','sqlmodel')) for m in sys.modules)"
    )
    assert got.returncode == 0, got.stderr


def test_every_rules_module_is_pure():
    got = _run(
        """
        import sys
        import desk.rules.calls, desk.rules.leads, desk.rules.rotation, desk.rules.followups
        import desk.rules.commission, desk.rules.tree, desk.rules.sop, desk.rules.lexicon, desk.rules.pay, desk.rules.qa
        import desk.rules.recordings, desk.rules.area, desk.rules.audit_chain
        from desk.rules.calls import classify
        classify("王芳老师在吗", staff={"王芳": "consultant"})
        heavy = [m for m in sys.modules if m.startswith(("textual", "sqlalchemy", "sqlmodel", "rich",
                 "typer", "alembic", "openpyxl", "pypinyin", "rapidfuzz", "platformdirs", "socket"))]
        assert not heavy, heavy
        """
    )
    assert got.returncode == 0, got.stderr


def test_import_is_fast():
    got = _run(
        """
        import time, re, enum, dataclasses, typing, pathlib, unicodedata  # the stdlib anyone loads
        t = time.perf_counter()
        import desk.rules.calls
        print(time.perf_counter() - t)
        """
    )
    assert got.returncode == 0, got.stderr
    assert float(got.stdout) < 0.1  # milliseconds in practice; generous for a loaded CI machine


def test_lazy_package_exports():
    import desk.rules

    assert desk.rules.classify is classify
    assert desk.rules.CallType is CallType


def test_normalize():
    assert normalize("  Ｊａｖａ，ＰＳ！  Is   Ms.Chen?? ") == "java ps is ms chen"
    assert normalize("C++ 和 C#") == "c++ 和 c#"
    assert normalize("") == ""


def test_a_center_can_add_its_own_course_names(tmp_path):
    text = "你们有没有星火特训营"
    assert classify(text).low_confidence
    (tmp_path / "center.toml").write_text('[cues]\ncourses = ["星火特训营"]\n', encoding="utf-8")
    from desk.paths import data_dir

    lex = load_lexicon(data_dir() / "lexicon", tmp_path)
    got = classify(text, lexicon=lex)
    assert got.call_type == CallType.FIRST_INQUIRY and not got.low_confidence
    assert got.cues == ("course:星火特训营",)


def test_shipped_lexicons_have_every_category_in_both_languages():
    import tomllib

    from desk.paths import data_dir
    from desk.rules.lexicon import CATEGORIES

    for lang in ("zh", "en"):
        with open(data_dir() / "lexicon" / f"{lang}.toml", "rb") as fh:
            cues = tomllib.load(fh)["cues"]
        shared = set(CATEGORIES) - {"surnames", "compound_surnames"}
        assert shared <= set(cues) | ({"surnames", "compound_surnames"} if lang == "en" else set()), lang
    assert set(default_lexicon().words) <= set(CATEGORIES)


def test_bad_lexicon_entry_fails_loudly(tmp_path):
    import re

    import pytest

    (tmp_path / "bad.toml").write_text('[cues]\ncourses = ["re:(unclosed"]\n', encoding="utf-8")
    with pytest.raises(re.error):
        load_lexicon(tmp_path)
    (tmp_path / "bad.toml").write_text('[cues]\ncourses = "java"\n', encoding="utf-8")
    with pytest.raises(ValueError):
        load_lexicon(tmp_path)
