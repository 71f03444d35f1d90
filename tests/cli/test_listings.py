"""Every table the CLI prints shows stored text as it is (``[b]``, ``[/]`` in a name, a source
or a place never end in a traceback nor vanish), and every listing has ``--format json``."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import update

from tests.helpers import add_follow_up, add_lead, assert_one_line_error, desk

pytestmark = pytest.mark.usefixtures("english")

ODD = "[b]王芳[/]"  # a consultant whose name Rich would read as markup
LEAD = "张[/]伟"
PLACE = "[bold]东门[/bold] [/]"
SOURCE = "[/]传单"


@pytest.fixture
def center(new_center, tmp_path) -> Path:
    db = new_center
    run = lambda *a: desk("--db", str(db), *a)  # noqa: E731
    assert run("staff", "add", ODD, "--role", "consultant", "--ext", "801").exit_code == 0
    assert run("staff", "add", "赵强", "--role", "consultant", "--english-name", "[i]Zhao").exit_code == 0
    listing = tmp_path / "list.csv"
    listing.write_text(f"姓名,电话,年龄,学历,意向课程,来源\n{LEAD},13812345601,20,高中,Java开发,{SOURCE}\n", encoding="utf-8")
    result = run("import", str(listing), "--channel", "market")
    assert result.exit_code == 0, result.output
    result = run("outreach", "add", "--kind", "street_promotion", "--place", PLACE, "--staff", ODD,
                 "--contact", f"{LEAD}[x],13812345602,Java开发")
    assert result.exit_code == 0, result.output
    # an unowned lead with an open follow-up, named with brackets
    from desk.dal.store import Store
    from desk.db import open_database
    from desk.models import Lead

    store = Store(open_database(str(db)))
    lead = add_lead(store, "[red]李娜", "+8613812345603", owner=ODD)
    add_follow_up(store, "callback", lead, store.now() + timedelta(hours=1), owner=ODD)
    with store.write() as session:
        session.execute(update(Lead).where(Lead.id == lead.id).values(owner_id=None))
    store.engine.dispose()
    return db


def shown(db: Path, *args: str) -> str:
    result = desk("--db", str(db), *args)
    assert result.exit_code == 0, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    return result.stdout


def test_staff_list_shows_names_literally(center):
    out = shown(center, "staff", "list")
    assert ODD in out and "[i]Zhao" in out


def test_outreach_list_and_contacts_show_places_and_names_literally(center):
    out = shown(center, "outreach", "list", "--contacts")
    assert PLACE in out.replace("\n", "") or "[bold]东门[/bold]" in out
    assert ODD in out and f"{LEAD}[x]" in out


def test_lead_unowned_shows_names_literally(center):
    assert "[red]李娜" in shown(center, "lead", "unowned")


@pytest.mark.parametrize("command", [["report"], ["report", "month", "2026-11"], ["report", "--from", "2026-11-01"]])
def test_reports_show_stored_text_literally(center, command):
    from datetime import date

    month = date.today().strftime("%Y-%m")
    command = [month if c == "2026-11" else c for c in command]
    command = [date.today().replace(day=1).isoformat() if c == "2026-11-01" else c for c in command]
    out = shown(center, *command, "--format", "table")
    assert ODD in out


def test_report_title_with_markup_in_the_center_name(center, tmp_path):
    (tmp_path / "desk.toml").write_text('[center]\nname = "[b]Star[/b] 培训"\n', encoding="utf-8")
    assert "[b]Star[/b] 培训" in shown(center, "staff", "list")


def test_listings_as_json(center):
    staff = json.loads(shown(center, "staff", "list", "--format", "json"))
    assert [s["name"] for s in staff] == [ODD, "赵强"]
    assert set(staff[0]) == {"name", "english_name", "role", "extension", "state", "on_duty", "rotation_position", "is_new"}
    unowned = json.loads(shown(center, "lead", "unowned", "--format", "json"))
    assert [(u["name"], u["phone"], u["open_follow_ups"]) for u in unowned] == [("[red]李娜", "+8613812345603", 1)]
    assert set(unowned[0]) == {"id", "name", "phone", "open_follow_ups", "first_due"}
    activities = json.loads(shown(center, "outreach", "list", "--contacts", "--format", "json"))
    assert [(a["place"], a["staff"], a["kind"]) for a in activities] == [(PLACE, [ODD], "street_promotion")]
    assert [c["name"] for c in activities[0]["contacts"]] == [f"{LEAD}[x]"]
    assert set(activities[0]) == {"id", "day", "kind", "place", "staff", "new_leads", "known", "tallies", "contacts"}
    assert json.loads(shown(center, "outreach", "list", "--format", "json", "--date", "2020-01-01")) == []


def test_a_listing_format_that_is_not_known_is_a_usage_error(center):
    assert_one_line_error(desk("--db", str(center), "staff", "list", "--format", "xml"), "--format", "xml")
