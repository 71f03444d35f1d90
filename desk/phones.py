"""Phone numbers: one rule for everything desk stores, E.164 ("+8613812345678").

Numbers are read with libphonenumber (China by default): mobiles, landlines with or without
the area code's trunk 0, +86 / 0086 prefixes, spaces and dashes, and an extension after
"ext", "x", "#", "转" or "分机". The extension is kept apart, since E.164 has none. Anything
else (letters) is an error, never read as keypad digits.
"""

from __future__ import annotations

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
