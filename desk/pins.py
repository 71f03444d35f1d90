"""PINs and passwords kept as salted scrypt hashes (stdlib ``hashlib.scrypt``), never the secret.

The stored form says its own parameters (``scrypt$n$r$p$salt$hash``), so a later desk can
raise the cost and still check the PINs set before. Checking takes a constant-time compare.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# scrypt's cost: about 30 ms and 16 MB per check on a small office PC, enough to make
# guessing a 6-digit PIN from a stolen database slow, short enough for a sign-in.
_N, _R, _P = 2**14, 8, 1
_SALT_BYTES = 16
_KEY_BYTES = 32
MIN_LENGTH = 4


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """The stored form of ``pin``: a fresh random salt each time, so equal PINs differ
    (``salt`` only for the demo center, which is the same for the same seed)."""
    salt = salt if salt is not None else secrets.token_bytes(_SALT_BYTES)
    key = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=_KEY_BYTES)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(key)}"


def check_pin(pin: str, stored: str | None) -> bool:
    """Whether ``pin`` is the one ``stored`` was made from; False for no or a malformed hash."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        got = hashlib.scrypt(pin.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(expected), maxmem=2**26)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be a PIN (a catalog key), or None: 4 or more characters, not all one."""
    if len(pin) < MIN_LENGTH:
        return "signin.pin_too_short"
    if len(set(pin)) == 1:
        return "signin.pin_all_same"
    return None
