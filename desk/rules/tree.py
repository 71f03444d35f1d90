"""The yes/no call-type decision tree (docs/domain.md §2.2, §2.3), walked with two keys.

The questions and branches are data (``data/rules/call_tree.toml``); this module is a pure walker:

    node = start()                   # the first Node
    nxt = answer(node.id, yes=True)  # the next Node, or a CallType (a leaf)
    paths()                          # every path: ((node_id, answer), ...) -> CallType

A branch target is a node id or ``"type:<call_type>"``. :func:`load_tree` validates a tree: every
target exists, every node is reachable from the start, there are no cycles.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from desk.rules.calls import CallType

__all__ = ["Node", "Tree", "answer", "default_tree", "load_tree", "node", "paths", "question", "start"]

_LEAF = "type:"


@dataclass(frozen=True)
class Node:
    id: str
    questions: Mapping[str, str]
    yes: str
    no: str

    def question(self, lang: str = "zh") -> str:
        from desk.rules.sop import lang_code

        return self.questions[lang_code(lang)]


@dataclass(frozen=True)
class Tree:
    start: str
    nodes: Mapping[str, Node]

    def node(self, node_id: str) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise KeyError(f"no tree node {node_id!r}") from None

    def first(self) -> Node:
        return self.node(self.start)

    def answer(self, node_id: str, yes: bool) -> Node | CallType:
        target = self.node(node_id).yes if yes else self.node(node_id).no
        if target.startswith(_LEAF):
            return CallType(target[len(_LEAF) :])
        return self.node(target)

    def paths(self) -> list[tuple[tuple[tuple[str, bool], ...], CallType]]:
        """Every root-to-leaf path, yes before no."""
        out: list[tuple[tuple[tuple[str, bool], ...], CallType]] = []

        def walk(node_id: str, trail: tuple[tuple[str, bool], ...]) -> None:
            for choice in (True, False):
                step = (*trail, (node_id, choice))
                nxt = self.answer(node_id, choice)
                if isinstance(nxt, CallType):
                    out.append((step, nxt))
                else:
                    walk(nxt.id, step)

        walk(self.start, ())
        return out

    def walk(self, answers: list[bool] | tuple[bool, ...]) -> Node | CallType:
        """Follow a sequence of answers from the start; returns where it ends."""
        here: Node | CallType = self.first()
        for yes in answers:
            if isinstance(here, CallType):
                raise ValueError("more answers than questions on this path")
            here = self.answer(here.id, yes)
        return here


def _target(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{where} must be a node id or 'type:<call type>'")
    if value.startswith(_LEAF):
        CallType(value[len(_LEAF) :])  # ValueError for an unknown call type
    return value


def load_tree(path: Path | str) -> Tree:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    raw = data.get("nodes")
    if not isinstance(raw, dict) or not raw:
        raise ValueError(f"{path}: no [nodes]")
    nodes: dict[str, Node] = {}
    for node_id, spec in raw.items():
        questions = {lang: spec[lang] for lang in ("zh", "en") if lang in spec}
        if set(questions) != {"zh", "en"}:
            raise ValueError(f"{path}: node {node_id!r} needs a zh and an en question")
        nodes[node_id] = Node(
            node_id,
            MappingProxyType(questions),
            _target(spec.get("yes"), f"{node_id}.yes"),
            _target(spec.get("no"), f"{node_id}.no"),
        )
    start_id = data.get("start")
    if start_id not in nodes:
        raise ValueError(f"{path}: start {start_id!r} is not a node")
    for n in nodes.values():
        for target in (n.yes, n.no):
            if not target.startswith(_LEAF) and target not in nodes:
                raise ValueError(f"{path}: {n.id!r} points at unknown node {target!r}")
    # no cycles, everything reachable
    seen: set[str] = set()

    def visit(node_id: str, stack: tuple[str, ...]) -> None:
        if node_id in stack:
            raise ValueError(f"{path}: cycle through {' -> '.join((*stack, node_id))}")
        seen.add(node_id)
        n = nodes[node_id]
        for target in (n.yes, n.no):
            if not target.startswith(_LEAF):
                visit(target, (*stack, node_id))

    visit(start_id, ())
    unreachable = set(nodes) - seen
    if unreachable:
        raise ValueError(f"{path}: unreachable nodes {sorted(unreachable)}")
    return Tree(start_id, MappingProxyType(nodes))


@cache
def default_tree() -> Tree:
    from desk.paths import data_dir

    return load_tree(data_dir() / "rules" / "call_tree.toml")


def start() -> Node:
    """The first question of the shipped tree."""
    return default_tree().first()


def node(node_id: str) -> Node:
    return default_tree().node(node_id)


def answer(node_id: str, yes: bool) -> Node | CallType:
    """The next node after answering ``node_id`` yes or no, or the call type at a leaf."""
    return default_tree().answer(node_id, yes)


def question(node_id: str, lang: str = "zh") -> str:
    return default_tree().node(node_id).question(lang)


def paths() -> list[tuple[tuple[tuple[str, bool], ...], CallType]]:
    return default_tree().paths()
