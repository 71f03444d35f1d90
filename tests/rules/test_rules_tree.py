"""The yes/no call-type decision tree: data + pure walker; every path ends in a call type."""

from __future__ import annotations

import pytest

from desk.rules import tree
from desk.rules.calls import CallType
from desk.rules.tree import Node, load_tree

PATHS = tree.paths()


def test_start_node():
    node = tree.start()
    assert isinstance(node, Node)
    assert node.question("zh") and node.question("en") and node.question("en_US")


@pytest.mark.parametrize(
    ("trail", "leaf"), PATHS, ids=[" ".join(f"{n}={'y' if a else 'n'}" for n, a in p) for p, _ in PATHS]
)
def test_every_path_reaches_its_leaf(trail, leaf):
    node = tree.start()
    for node_id, yes in trail:
        assert isinstance(node, Node) and node.id == node_id
        assert node.questions["zh"] and node.questions["en"]
        node = tree.answer(node_id, yes)
    assert isinstance(node, CallType) and node == leaf
    assert tree.default_tree().walk([a for _, a in trail]) == leaf


def test_every_call_type_is_reachable():
    assert {leaf for _, leaf in PATHS} == set(CallType)


def test_every_node_is_used():
    used = {node_id for trail, _ in PATHS for node_id, _ in trail}
    assert used == set(tree.default_tree().nodes)


def test_order_follows_the_precedence():
    assert tree.default_tree().walk([False]) == CallType.SILENT
    assert tree.default_tree().walk([True, True]) == CallType.COMPLAINT
    # named, caller is a student -> student whoever they name
    assert tree.default_tree().walk([True, False, False, True, True]) == CallType.STUDENT
    # named, not a student, principal/manager -> business
    assert tree.default_tree().walk([True, False, False, True, False, True]) == CallType.BUSINESS
    # nothing else: first inquiry
    assert tree.default_tree().walk([True] + [False] * 9) == CallType.FIRST_INQUIRY


def test_walk_past_a_leaf_raises():
    with pytest.raises(ValueError):
        tree.default_tree().walk([False, True])


def test_unknown_node_raises():
    with pytest.raises(KeyError):
        tree.answer("nope", True)


def _write(tmp_path, body):
    path = tmp_path / "t.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_load_tree_validates(tmp_path):
    ok = 'start = "a"\n[nodes.a]\nzh = "?"\nen = "?"\nyes = "type:silent"\nno = "type:other"\n'
    assert load_tree(_write(tmp_path, ok)).walk([True]) == CallType.SILENT
    bad = [
        ok.replace('start = "a"', 'start = "b"'),
        ok.replace('"type:other"', '"b"'),
        ok.replace('"type:other"', '"type:spam"'),
        ok.replace('"type:other"', '"a"'),  # a cycle
        ok.replace('en = "?"\n', ""),
        ok + '[nodes.orphan]\nzh = "?"\nen = "?"\nyes = "type:silent"\nno = "type:other"\n',
        'start = "a"\n',
    ]
    for body in bad:
        with pytest.raises(ValueError):
            load_tree(_write(tmp_path, body))
