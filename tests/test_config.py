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
    assert config.center_name == "星辰电脑培训中心"
    assert config.language == ""
    assert str(config.timezone) == "Asia/Shanghai"
    assert config.greeting("zh_CN") == "您好，星辰电脑培训中心"
    assert config.greeting("en").startswith("Hello, ")
    assert config.get("targets", "monthly_sales") == 60000
    assert load(None).center_name == config.center_name


def test_file_overrides_only_what_it_names(tmp_path):
    path = write(tmp_path, '[center]\nname = "明日IT学院"\n\n[ui]\nlanguage = "en"\n\n[targets]\nmonthly_sales = 80000\n')
    config = load(path)
    assert config.exists
    assert config.center_name == "明日IT学院"
    assert config.greeting("zh_CN") == "您好，明日IT学院"
    assert config.language == "en"
    assert config.get("targets", "monthly_sales") == 80000
    assert config.get("targets", "monthly_sales_new") == 30000  # still the default


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
