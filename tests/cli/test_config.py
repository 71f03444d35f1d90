"""The center's config file: defaults, overrides, and errors that name the line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.config import CONFIG_NAME, config_path, load
from desk.errors import ConfigError


def write(tmp_path: Path, source: str) -> Path:
    path = tmp_path / CONFIG_NAME
    path.write_text(source, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path):
    config = load(tmp_path / CONFIG_NAME)
    assert not config.exists
    assert config.center.name == "星辰电脑培训中心"
    assert config.ui.language == ""
    assert str(config.center.timezone) == "Asia/Shanghai"
    assert config.greeting("zh_CN") == "您好，星辰电脑培训中心"
    assert config.greeting("en").startswith("Hello, ")
    assert config.targets.monthly_sales == 60000
    assert load(None).center.name == config.center.name


def test_file_overrides_only_what_it_names(tmp_path):
    path = write(tmp_path, '[center]\nname = "明日IT学院"\n\n[ui]\nlanguage = "en"\n\n[targets]\nmonthly_sales = 80000\n')
    config = load(path)
    assert config.exists
    assert config.center.name == "明日IT学院"
    assert config.greeting("zh_CN") == "您好，明日IT学院"
    assert config.ui.language == "en"
    assert config.targets.monthly_sales == 80000
    assert config.targets.monthly_sales_new == 30000  # still the default


def test_config_lives_beside_the_database(tmp_path, desk_home):
    assert config_path(tmp_path / "center.db") == tmp_path / CONFIG_NAME
    assert config_path(None) == desk_home / CONFIG_NAME


def test_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, '[center]\nname = "unterminated\n')
    with pytest.raises(ConfigError) as err:
        load(path)
    assert str(path) in str(err.value) and "line 2" in str(err.value)


@pytest.mark.parametrize(
    ("source", "line", "key"),
    [
        ('[center]\nname = "x"\nnmae = "typo"\n', 3, "center.nmae"),
        ('[ui]\n\nlanguage = "fr"\n', 3, "ui.language"),
        ('[hours]\nopen = "08:30"\nclose = "25:99"\n', 3, "hours.close"),
        ("[targets]\nmonthly_sales = \"lots\"\n", 2, "targets.monthly_sales"),
        ('[center]\ntimezone = "Mars/Olympus"\n', 2, "center.timezone"),
        ("[hours]\nworking_days = [1, 8]\n", 2, "hours.working_days"),
        ('# a comment\n[reports]\nx = 1\n', 2, "reports"),
    ],
)
def test_bad_key_or_value_names_line_and_key(tmp_path, source, line, key):
    path = write(tmp_path, source)
    with pytest.raises(ConfigError) as err:
        load(path)
    message = str(err.value)
    assert f"{path}:{line}:" in message
    assert key in message
    assert "\n" not in message


def test_own_center_name_is_used_in_english_until_name_en_is_set(tmp_path):
    config = load(write(tmp_path, '[center]\nname = "明日IT学院"\n'))
    assert config.center_name_for("en") == "明日IT学院"
    assert config.greeting("en") == "Hello, 明日IT学院"
    config = load(write(tmp_path, '[center]\nname = "明日IT学院"\nname_en = "Tomorrow IT"\n'))
    assert config.center_name_for("en") == "Tomorrow IT"
    assert load(None).center_name_for("en") == "Star Computer Training Center"


# ----- a person's own daily targets (docs/domain.md §7.5) ----------------------------------------
def test_own_daily_targets_are_read_beside_the_center_ones(tmp_path):
    path = write(tmp_path, '[targets]\nevent_forms = 8\n\n[targets.staff."王芳"]\ninvitation_calls_min = 3\n'
                           'invitation_calls_max = 6\n\n[targets.staff.Lei]\nevent_forms = 0\n')
    config = load(path)
    assert config.targets.event_forms == 8
    assert config.targets.staff == {"王芳": {"invitation_calls_min": 3, "invitation_calls_max": 6}, "Lei": {"event_forms": 0}}
    assert config.targets.daily("王芳").invitation_calls_max == 6 and config.targets.daily("Lei").event_forms == 0
    assert config.targets.daily("赵强") == config.targets.daily() and config.targets.daily().event_forms == 8
    assert load(None).targets.staff == {}


@pytest.mark.parametrize(
    ("source", "line", "key", "words"),
    [
        ('[targets.staff."王芳"]\ninvitation_calls = 3\n', 2, 'targets.staff."王芳".invitation_calls', "invitation_calls_min"),
        ('[targets.staff."王芳"]\nmonthly_sales = 90000\n', 2, 'targets.staff."王芳".monthly_sales', "monthly_sales_new"),
        ('[targets.staff."王芳"]\n\nevent_forms = 2.5\n', 3, 'targets.staff."王芳".event_forms', "whole number"),
        ('[targets.staff.Lei]\nstreet_promotion_contacts = -1\n', 2, "targets.staff.Lei.street_promotion_contacts", "0 or more"),
        ('[targets.staff.Lei]\nevent_forms = "ten"\n', 2, "targets.staff.Lei.event_forms", "'ten'"),
        ('[targets]\nevent_forms = 9.5\n', 2, "targets.event_forms", "whole number"),
        ('[targets]\ninvitation_calls_min = -2\n', 2, "targets.invitation_calls_min", "0 or more"),
        ('[targets]\ninvitation_calls_max = 1\n', 2, "targets.invitation_calls_max", "targets.invitation_calls_min 2 is above"),
        ('[targets.staff."王芳"]\ninvitation_calls_min = 6\n', 2, 'targets.staff."王芳".invitation_calls_min',
         "targets.invitation_calls_max 5 (the center's)"),
        ('[targets]\nevent_forms = 8\n\n[targets.staff.Lei]\n# a new consultant\nevent_forms = 4\ninvitation_calls_max = 1\n',
         7, "targets.staff.Lei.invitation_calls_max", "targets.invitation_calls_min 2 (the center's) is above"),
        ('[targets]\nstaff = 3\n', 2, "targets.staff", '[targets.staff."王芳"]'),
        ('[targets.staff]\n"王芳" = 3\n', 2, 'targets.staff."王芳"', "table of targets"),
        ('[targets.staff]\n" " = {}\n', 2, 'targets.staff." "', "name"),
        ('[targets]\nstaff."王芳".event_forms = -3\n', 2, 'targets.staff."王芳".event_forms', "0 or more"),
        ('[targets.staff]\n"王芳" = { event_forms = 10, street_promotion_contacts = true }\n', 2,
         'targets.staff."王芳".street_promotion_contacts', "whole number"),
    ],
)
def test_bad_own_targets_name_line_and_key(tmp_path, source, line, key, words):
    path = write(tmp_path, source)
    with pytest.raises(ConfigError) as err:
        load(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert key in message and words in message, message
    assert "\n" not in message


def test_own_targets_are_checked_against_the_roster_with_their_line(tmp_path):
    path = write(tmp_path, '[ui]\nlanguage = "en"\n\n[targets.staff."王芳"]\nevent_forms = 5\n\n[targets.staff."王房"]\n'
                           'event_forms = 5\n\n[targets.staff.fang]\nevent_forms = 3\n\n[targets.staff.Lei]\nevent_forms = 1\n')
    config = load(path)
    roster = [("王芳", "Fang"), ("李雷", "Lei"), ("雷雷", "LEI"), ("赵强", None)]
    unknown, twice, several = config.staff_target_problems(roster)
    assert unknown.startswith(f"{path}:7: [targets.staff.\"王房\"]") and "no one is called 王房" in unknown
    assert twice.startswith(f"{path}:10: [targets.staff.fang]") and '[targets.staff."王芳"]' in twice
    assert several.startswith(f"{path}:13: [targets.staff.Lei]") and "李雷, 雷雷" in several
    assert config.staff_target_problems([("王芳", None), ("王房", None), ("x", "fang"), ("李雷", "Lei")]) == []


def test_each_section_is_a_frozen_dataclass_of_typed_values(tmp_path):
    from dataclasses import FrozenInstanceError
    from datetime import date, time

    path = write(tmp_path, '[hours]\nopen = "09:00"\nholidays = ["2026-10-01"]\n\n[backup]\nkeep = 3\n')
    config = load(path)
    assert config.hours.open == time(9, 0) and config.hours.close == time(20, 30)
    assert config.hours.holidays == frozenset({date(2026, 10, 1)}) and config.hours.working_days == frozenset(range(1, 7))
    assert config.backup.keep == 3 and config.commission.tiers[0] == (0, 0.01)
    with pytest.raises(FrozenInstanceError):
        config.hours.open = time(7, 0)  # type: ignore[misc]
