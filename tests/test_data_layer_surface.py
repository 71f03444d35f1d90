"""The data layer's surface: screens, the app and the CLI call only store-level functions.

A data-layer function that takes a ``session`` works inside a transaction someone else
opened; only the data layer itself (and the reports, which read many queries in one
transaction) may call it. Everything above calls functions that take the ``Store`` and open
their own transaction, so a screen can never half-write or hold a transaction open.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import desk

ROOT = Path(desk.__file__).parent
CALLERS = sorted([*ROOT.glob("screens/**/*.py"), *ROOT.glob("cli/*.py"), *ROOT.glob("widgets/*.py"), ROOT / "app.py"])


def _dal_names(tree: ast.AST) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Aliases of data-layer modules, and names imported from them."""
    modules: dict[str, str] = {}
    names: dict[str, tuple[str, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "desk.dal":
            for alias in node.names:
                modules[alias.asname or alias.name] = f"desk.dal.{alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("desk.dal."):
            for alias in node.names:
                names[alias.asname or alias.name] = (node.module, alias.name)
    return modules, names


def _session_level(module: str, name: str) -> bool:
    found = getattr(importlib.import_module(module), name, None)
    if not inspect.isfunction(found):
        return False
    params = list(inspect.signature(found).parameters)
    return bool(params) and params[0] == "session"


@pytest.mark.parametrize("path", CALLERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_store_level_data_functions_are_called(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules, names = _dal_names(tree)
    wrong = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in modules:
            if _session_level(modules[func.value.id], func.attr):
                wrong.append(f"line {node.lineno}: {func.value.id}.{func.attr}")
        elif isinstance(func, ast.Name) and func.id in names and _session_level(*names[func.id]):
            wrong.append(f"line {node.lineno}: {func.id}")
    assert not wrong, f"{path.name} calls session-level data functions: {wrong}"


@pytest.mark.parametrize("path", CALLERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_transaction_is_opened_above_the_data_layer(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    opened = [
        f"line {node.lineno}: {ast.unparse(item.context_expr)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.With)
        for item in node.items
        if isinstance(item.context_expr, ast.Call)
        and isinstance(item.context_expr.func, ast.Attribute)
        and item.context_expr.func.attr in ("read", "write")
        and ast.unparse(item.context_expr.func.value).endswith("store")
    ]
    assert not opened, f"{path.name} opens transactions itself: {opened}"
