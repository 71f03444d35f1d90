"""Shell completion: ``desk --show-completion``/``--install-completion`` exist, and a shell's
completion request (``_DESK_COMPLETE``) is answered by Typer, also through the console
script's fast start (``desk`` with no arguments would otherwise start the TUI)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT, desk

pytestmark = pytest.mark.usefixtures("english")


def complete(words: str, tmp_path) -> subprocess.CompletedProcess:
    """What bash gets back for ``words`` typed so far, through desk.entry.main."""
    env = {**os.environ, "_DESK_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
           "DESK_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", "from desk.entry import main; main()"], env=env,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_show_completion_prints_a_script_for_the_shell(tmp_path):
    done = subprocess.run([sys.executable, "-c", "from desk.entry import main; main()", "--show-completion", "bash"],
                          env={**os.environ, "DESK_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert "_DESK_COMPLETE=complete_bash" in done.stdout and "complete -o default -F _desk_completion desk" in done.stdout


def test_help_lists_completion_in_desks_words():
    out = desk("--help").stdout
    assert "--install-completion" in out and "--show-completion" in out and "tab completion" in out


def test_a_completion_request_reaches_typer_through_the_fast_start(tmp_path):
    done = complete("desk sta", tmp_path)
    assert done.returncode == 0, done.stderr
    assert "staff" in done.stdout.split() and "Traceback" not in done.stderr


def test_completion_of_a_subcommand_and_options(tmp_path):
    assert "list" in complete("desk staff ", tmp_path).stdout.split()
    assert "--format" in complete("desk staff list --f", tmp_path).stdout.split()
