"""The code gates as tests: import contracts, lint and types, run as CI would.

Each tool runs from the repository root with the configuration in pyproject.toml, so a plain
``pytest`` fails on the same things ``lint-imports``, ``ruff check desk tests bench`` and
``mypy`` fail on, and shows their report.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(*command: str) -> None:
    # This checkout's desk, not a copy installed in site-packages.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}", pytrace=False)


def test_import_contracts_hold():
    # lint-imports has no `python -m` entry point: its script sits beside this interpreter.
    _run(str(BIN / "lint-imports"))


def test_ruff_passes():
    _run(sys.executable, "-m", "ruff", "check", "desk", "tests", "bench")


def test_mypy_passes():
    _run(sys.executable, "-m", "mypy")
