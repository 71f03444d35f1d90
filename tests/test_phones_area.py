"""desk.phones.registered_city: where libphonenumber places a CN mobile, or None."""

from __future__ import annotations

import pytest

from desk.phones import registered_city


@pytest.mark.parametrize(
    ("e164", "expected"),
    [
        ("+8613801601234", ("上海市", "Shanghai")),
        ("+8613500001111", ("广东省广州市", "Guangzhou, Guangdong")),
        ("+8613812345678", ("江苏省连云港市", "Lianyungang, Jiangsu")),
        ("+8617012345678", (None, None)),  # placed no closer than China
        ("+862161234567", (None, None)),  # a landline: only mobiles are judged
        ("+861061234567", (None, None)),  # a Beijing landline (area code 10)
        ("+85291234567", (None, None)),  # not a CN number
    ],
)
def test_registered_city(e164, expected):
    assert (registered_city(e164, "zh"), registered_city(e164, "en")) == expected


def test_numbers_sharing_a_prefix_share_a_city():
    assert registered_city("+8613801600000") == registered_city("+8613801609999") == "上海市"
