"""Pseudonymous caller keys and masked numbers: a caller's number never reaches the log."""

from __future__ import annotations

import hashlib
import hmac

import phonenumbers


class KeyedHash:
    """HMAC-SHA256 of the normalised number: the same caller gets the same key, irreversibly."""

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()

    def __call__(self, phone_number: str) -> str:
        normalised = _normalise(phone_number)
        return hmac.new(self._secret, normalised.encode(), hashlib.sha256).hexdigest()[:32]


def _normalise(number: str) -> str:
    try:
        parsed = phonenumbers.parse(number, "NL")
    except phonenumbers.NumberParseException:
        return number.strip()
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
