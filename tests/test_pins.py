"""PINs are kept as salted scrypt hashes and checked against them (issue 14)."""

from __future__ import annotations

from desk.pins import check_pin, hash_pin, pin_problem


def test_a_pin_checks_against_its_hash_and_no_other():
    stored = hash_pin("2468")
    assert "2468" not in stored and stored.startswith("scrypt$")
    assert check_pin("2468", stored)
    assert not check_pin("2469", stored) and not check_pin("", stored)


def test_equal_pins_get_different_salts():
    assert hash_pin("2468") != hash_pin("2468")


def test_no_or_a_broken_hash_never_lets_anyone_in():
    for stored in (None, "", "2468", "scrypt$1$2", "md5$1$1$1$AAAA$AAAA", "scrypt$x$8$1$AAAA$AAAA"):
        assert not check_pin("2468", stored)


def test_what_cannot_be_a_pin():
    assert pin_problem("12") == "signin.pin_too_short"
    assert pin_problem("0000") == "signin.pin_all_same"
    assert pin_problem("2468") is None and pin_problem("密码很长很长") is None
