"""The city comparison behind 异地号 (docs/domain.md §4.6): descriptions as libphonenumber's
geocoding data writes them, configured names as a person types them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.rules.area import city_key, compare_city, language_of

# (zh, en) descriptions as the data gives them for CN mobiles
SHANGHAI = ("上海市", "Shanghai")
GUANGZHOU = ("广东省广州市", "Guangzhou, Guangdong")
HOHHOT = ("内蒙古呼和浩特市", "Hohhot, Inner Mongolia")
KASHGAR = ("新疆喀什地区", "Kashgar, Xinjiang")
YANBIAN = ("吉林省延边朝鲜族自治州", "Yanbian, Jilin")
SUZHOU_JS = ("江苏省苏州市", "Suzhou, Jiangsu")
SUZHOU_AH = ("安徽省宿州市", "Suzhou, Anhui")


@pytest.mark.parametrize(
    ("city", "place", "expected"),
    [
        ("上海", SHANGHAI, "same"),
        ("上海市", SHANGHAI, "same"),
        (" Shanghai ", SHANGHAI, "same"),
        ("shanghai city", SHANGHAI, "same"),
        ("广州", GUANGZHOU, "same"),
        ("广东省广州市", GUANGZHOU, "same"),
        ("Guangzhou", GUANGZHOU, "same"),
        ("呼和浩特", HOHHOT, "same"),
        ("喀什", KASHGAR, "same"),
        ("延边", YANBIAN, "same"),
        ("上海", GUANGZHOU, "other"),
        ("Shanghai", GUANGZHOU, "other"),
        ("广州", SHANGHAI, "other"),
        ("苏州", SUZHOU_AH, "other"),  # 宿州 is not 苏州, though English spells both Suzhou
        ("Suzhou, Jiangsu", SUZHOU_AH, "other"),
        ("Suzhou, Jiangsu", SUZHOU_JS, "same"),
        ("", SHANGHAI, "unknown"),
        ("  ", SHANGHAI, "unknown"),
        ("上海", ("中国", "China"), "unknown"),
        ("Shanghai", ("", ""), "unknown"),
        ("广东省", GUANGZHOU, "unknown"),  # a province names no city
    ],
)
def test_compare_city(city, place, expected):
    description = place[0] if language_of(city) == "zh" else place[1]
    assert compare_city(city, description) == expected


def test_a_description_in_the_other_language_is_not_compared():
    assert compare_city("上海", "Beijing") == compare_city("Shanghai", "北京市") == "unknown"


def test_city_key_drops_province_and_suffix():
    assert [city_key(x) for x in ("广东省广州市", "上海市", "新疆喀什地区", "湖北省神农架林区", "内蒙古锡林郭勒盟")] == [
        "广州", "上海", "喀什", "神农架", "锡林郭勒"]
    assert city_key("Guangzhou, Guangdong") == city_key("guangzhou") == "guangzhou"


_PROVINCES = st.sampled_from(["", "广东省", "江苏省", "黑龙江省", "内蒙古", "新疆", "广西", "西藏", "宁夏"])
_CITIES = st.text(alphabet="州阳安宁海江山京南北东西昌德", min_size=2, max_size=4)
_SUFFIXES = st.sampled_from(["", "市", "地区"])


@given(_PROVINCES, _CITIES, _SUFFIXES, _SUFFIXES)
def test_a_city_is_the_same_whatever_province_or_suffix_is_written(province, city, s1, s2):
    assert compare_city(city + s1, province + city + s2) == "same"


@given(_CITIES, _CITIES)
def test_two_different_cities_are_never_the_same(a, b):
    if city_key(a) != city_key(b):
        assert compare_city(a, "江苏省" + b + "市") == "other"


@given(st.text(max_size=12), st.text(max_size=12))
def test_never_raises_and_unknown_without_a_city(city, description):
    assert compare_city(city, description) in ("same", "other", "unknown")
    assert compare_city("", description) == "unknown"
    assert compare_city(city, "") == "unknown"
