"""Is a number's registered city the center's own? (docs/domain.md §4.6, 异地号)

A market list often does not say how the first call went; desk can still tell a mobile
registered in another city (out of area) from the number alone. The lookup is libphonenumber's
geocoding (``desk.phones.registered_city``); this module only compares its descriptions with
the configured ``[center] city``, so the comparison is pure and testable:

    language_of("上海") -> "zh"; language_of("Guangzhou") -> "en"
    compare_city("上海", "上海市")                          -> "same"
    compare_city("Guangzhou", "Guangzhou, Guangdong")       -> "same"
    compare_city("上海", "江苏省连云港市")                   -> "other"
    compare_city("", "北京市")                              -> "unknown"

The data names a city as ``[province]city`` in Chinese (``广东省广州市``, ``内蒙古呼和浩特市``,
``北京市``, ``新疆喀什地区``, ``吉林省延边朝鲜族自治州``) and ``City, Province`` in English; a
number it cannot place is ``中国`` / ``China`` (unknown). A configured city with Chinese
characters is compared with the Chinese description, any other with the English one (so only
one language's data is loaded: :func:`language_of`); either may carry the province, the 市 / 地区 / 盟 suffix, or "city". English
spells a few cities alike (Suzhou is 苏州 and 宿州, Taizhou 台州 and 泰州): configure those in
Chinese, or with the province ("Suzhou, Jiangsu").
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["AreaMatch", "city_key", "compare_city", "language_of"]

AreaMatch = Literal["same", "other", "unknown"]

# Provinces and autonomous regions as the zh data writes them before the city.
_ZH_PROVINCE = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}?省|内蒙古(?:自治区)?|广西(?:壮族自治区)?|宁夏(?:回族自治区)?"
                          r"|新疆(?:维吾尔自治区)?|西藏(?:自治区)?)")  # fmt: skip
_ZH_SUFFIX = re.compile(r"(?:市|地区|林区|盟)$")
_EN_SUFFIX = re.compile(r"(?:city|shi|prefecture)$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# What the data says of a number it cannot place more closely than the country.
_COUNTRY = frozenset({"中国", "china"})


def city_key(name: str) -> str:
    """The city a description or a configured name means, reduced for comparison: the zh city
    without province and suffix (``广东省广州市`` -> ``广州``), the en city before the comma,
    lower case, letters only (``Guangzhou, Guangdong`` -> ``guangzhou``); empty when it names
    no city."""
    text = name.strip()
    if _CJK.search(text):
        city = _ZH_PROVINCE.sub("", re.sub(r"\s+", "", text))  # a province alone names no city
        city = _ZH_SUFFIX.sub("", city) if len(city) > 2 else city
    else:
        city = _en_key(text.split(",")[0])
    return "" if city in _COUNTRY else city


def _en_key(part: str) -> str:
    letters = re.sub(r"[^a-z]", "", part.casefold())
    return _EN_SUFFIX.sub("", letters) if len(letters) > 6 else letters


def _en_province(name: str) -> str:
    """The province after the comma (``Suzhou, Jiangsu`` -> ``jiangsu``): English names two
    cities 苏州 and 宿州 alike, and the province tells them apart."""
    parts = name.split(",")
    return re.sub(r"[^a-z]", "", parts[1].casefold()) if len(parts) > 1 else ""


def _same(configured: str, described: str) -> bool:
    if configured == described:
        return True
    # an autonomous prefecture is called by its short name: 延边 for 延边朝鲜族自治州
    return described.endswith("自治州") and described.startswith(configured) and len(configured) >= 2


def language_of(city: str) -> str:
    """The language of the geocoding description to compare ``city`` with: "zh" or "en"."""
    return "zh" if _CJK.search(city) else "en"


def compare_city(city: str, description: str) -> AreaMatch:
    """Whether a number registered where ``description`` (in :func:`language_of` ``city``)
    says is in the configured ``city``: ``unknown`` when no city is configured or the data
    does not place the number."""
    wanted = city_key(city)
    described = city_key(description)
    if not wanted or not described or language_of(description) != language_of(city):
        return "unknown"
    if language_of(city) == "zh":
        return "same" if _same(wanted, described) else "other"
    province = _en_province(city)
    same = wanted == described and (not province or province == _en_province(description))
    return "same" if same else "other"
