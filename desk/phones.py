"""Phone numbers: one rule for everything desk stores, E.164 ("+8613812345678").

Numbers are read with libphonenumber (China by default): mobiles, landlines with or without
the area code's trunk 0, +86 / 0086 prefixes, spaces and dashes, and an extension after
"ext", "x", "#", "转" or "分机". The extension is kept apart, since E.164 has none. Anything
else (letters) is an error, never read as keypad digits.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
# What a typed number may hold besides its extension: libphonenumber would read letters as
# keypad digits ("138abcd1234" -> 138 2223 1234), a number nobody gave.
_NUMBER_CHARS = re.compile(r"[\d\s+\-().]*")


@dataclass(frozen=True)
class Phone:
    e164: str
    extension: str | None = None


class PhoneError(ValueError):
    """Not a phone number; ``code`` is a catalog key for the message under the field."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse(raw: str, region: str = "CN") -> Phone:
    """Read ``raw`` as typed by a person; raise PhoneError when it cannot be a number."""
    import phonenumbers

    text = raw.strip()
    if not text:
        raise PhoneError("phone.empty")
    extension = None
    match = _EXTENSION.search(text)
    if match:
        extension = match.group(1)
        text = text[: match.start()].strip()
    text = text.replace("（", "(").replace("）", ")").replace("－", "-").replace("＋", "+")
    if not _NUMBER_CHARS.fullmatch(text):
        raise PhoneError("phone.letters" if re.search(r"\d", text) else "phone.no_digits")
    if text.startswith("00"):
        text = "+" + text[2:]
    digits = re.sub(r"\D", "", text)
    if not digits:
        raise PhoneError("phone.no_digits")
    if len(digits) < 7:
        raise PhoneError("phone.too_short")
    if len(digits) > 15:
        raise PhoneError("phone.too_long")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise PhoneError("phone.invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise PhoneError("phone.invalid")
    if number.extension and not extension:
        extension = number.extension
    return Phone(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), extension)


def display(e164: str | None) -> str:
    """How a stored number is shown: the national digits people dial, grouped for reading."""
    from desk.search_keys import phone_digits

    digits = phone_digits(e164)
    if not digits:
        return ""
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return digits


def registered_city(e164: str) -> tuple[str, str] | None:
    """Where a Chinese mobile number is registered, as libphonenumber's geocoding data names it
    in Chinese and English (``("广东省广州市", "Guangzhou, Guangdong")``), or None: not a CN
    mobile, or the data places it no closer than the country (docs/domain.md §4.6, 异地号).

    CN mobiles are geocoded by their first seven digits, so the answer is cached per prefix:
    a 50,000-row market list asks the data once per prefix, not once per row."""
    digits = e164.removeprefix("+86")
    if len(digits) != 11 or not digits.startswith("1") or not e164.startswith("+86"):
        return None
    return _city_of_prefix(digits[:7])


@functools.lru_cache(maxsize=65536)
def _city_of_prefix(prefix: str) -> tuple[str, str] | None:
    import phonenumbers
    from phonenumbers import geocoder  # its data loads on first use, not with desk.phones

    number = phonenumbers.parse(f"+86{prefix}0000")
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        return None
    zh, en = geocoder.description_for_number(number, "zh"), geocoder.description_for_number(number, "en")
    country = geocoder.country_name_for_number(number, "en")
    if not zh or not en or en == country:
        return None
    return zh, en
