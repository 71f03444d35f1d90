"""Outdoor promotion (docs/domain.md §7.5): which target an activity counts for, and when it is met."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desk.rules.outreach import KINDS, STREET, meets, target_key
from desk.rules.rotation import route

REPO = Path(__file__).resolve().parents[2]


def test_street_promotion_counts_contacts_every_other_kind_forms():
    assert target_key(STREET) == "street_promotion_contacts"
    assert {target_key(kind) for kind in KINDS if kind != STREET} == {"event_forms"}


def test_the_targets_are_keys_of_the_default_config():
    from desk.config import load

    config = load(None)
    assert {key: getattr(config.targets, key) for key in map(target_key, KINDS)} == {
        "street_promotion_contacts": 2, "event_forms": 10,
    }


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown outreach kind"):
        target_key("flash_mob")


@pytest.mark.parametrize(("count", "target", "met"), [(0, 2, False), (1, 2, False), (2, 2, True), (3, 2, True), (9, 10, False), (10, 10, True)])
def test_a_target_is_a_floor(count, target, met):
    assert meets(count, target) is met


def test_an_outdoor_lead_belongs_to_its_collector():
    routing = route("outdoor", collector="王芳")
    assert (routing.rule, routing.owner, routing.rotation) == ("collector", "王芳", False)


def test_pure():
    code = "import sys, desk.rules.outreach; assert not [m for m in sys.modules if m.startswith(('sqlalchemy', 'sqlmodel', 'textual'))]"
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0
