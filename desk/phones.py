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
# What most lists hold: a Chinese mobile's 11 digits, maybe after +86, maybe grouped 3-4-4 by
# a space or a dash. libphonenumber takes ~100 us to read one; its verdict on such a number
# depends only on its first digits (the CN mobile pattern's prefixes are at most 5 long), so
# it is asked once per 7-digit prefix (tests/test_phones_fast.py proves the same results).
_PLAIN_MOBILE = re.compile(r"(?:\+86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})", re.ASCII)


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
    if region == "CN":
        plain = _PLAIN_MOBILE.fullmatch(raw.strip())
        if plain is not None:
            digits = "".join(plain.groups())
            problem = _mobile_prefix_problem(digits[:7])
            if problem is not None:
                raise PhoneError(problem)
            return Phone("+86" + digits)
    return _parse(raw, region)


@functools.lru_cache(maxsize=65536)
def _mobile_prefix_problem(prefix: str) -> str | None:
    """What the full reading says of a plain 11-digit number starting with ``prefix``: None
    (valid, E.164 is +86 and its digits) or the PhoneError code."""
    digits = prefix + "0" * (11 - len(prefix))
    try:
        phone = _parse(digits, "CN")
    except PhoneError as err:
        return err.code
    assert phone == Phone("+86" + digits)  # what parse() gives for the whole prefix group
    return None


def _parse(raw: str, region: str) -> Phone:
    """The full reading, by libphonenumber."""
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


def registered_city(e164: str, lang: str = "zh") -> str | None:
    """Where a Chinese mobile number is registered, as libphonenumber's geocoding data names it
    in ``lang`` ("zh": ``广东省广州市``, "en": ``Guangzhou, Guangdong``), or None: not a CN
    mobile, or the data places it no closer than the country (docs/domain.md §4.6, 异地号).

    CN mobiles are geocoded by their first seven digits, so the answer is cached per prefix:
    a 50,000-row market list asks the data once per prefix, not once per row. The data of a
    language (~0.5 s) loads on the first question in it."""
    digits = e164.removeprefix("+86")
    if len(digits) != 11 or not digits.startswith("1") or not e164.startswith("+86"):
        return None
    return _city_of_prefix(digits[:7], lang)


@functools.lru_cache(maxsize=65536)
def _city_of_prefix(prefix: str, lang: str) -> str | None:
    from phonenumbers import PhoneNumber, geocoder

    # Built, not parsed (a third of the cost), and not validated again: an 11-digit CN
    # number starting 1[3-9] that parse() accepted is a mobile (a landline's national number
    # starts with its area code: 10 for Beijing, 2x, 3xx...).
    if prefix[1] not in "3456789":
        return None
    number = PhoneNumber(country_code=86, national_number=int(f"{prefix}0000"))
    place = geocoder.description_for_valid_number(number, lang)
    if not place or place == geocoder.country_name_for_number(number, lang):
        return None
    return place


def shown_phone(e164: str | None, *, viewer_id: int | None, viewer_role: str | None, owner_id: int | None,
                guarded: bool, at_triage: bool = False, typed_by: int | None = None) -> str:
    """A lead's number as this viewer sees it (issue 14): :func:`display` where the work needs
    it, ``138****5678`` elsewhere (desk.rules.access.sees_full_phone decides). Whoever typed
    the number in (``typed_by``: an outreach contact) sees it in full, as its owner does.

    In an *open* center (no PINs, desk.dal.identity) numbers stay in full, as before PINs:
    anyone can pick anyone there, so masking would only pretend to hide them.
    """
    from desk.rules.access import mask_phone, sees_full_phone

    if not e164:
        return ""
    if viewer_id is not None and typed_by == viewer_id:
        owner_id = viewer_id
    if not guarded or sees_full_phone(viewer_id, viewer_role, owner_id, at_triage=at_triage):
        return display(e164)
    return mask_phone(e164)
