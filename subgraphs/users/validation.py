"""Validators for values only users' data holds: phone numbers, payment card numbers.
The generic ones are in ``shared.validation``.

A validator takes the value and the input field's client-facing name (camelCase, as
``extensions.field`` reports it) and returns the value to store.
"""

from __future__ import annotations

import re

from shared.errors import bad_input

_PHONE_SEPARATORS = re.compile(r"[\s().\-/]")
_E164 = re.compile(r"\+[1-9][0-9]{7,14}")
_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9](?:[ \-]?[0-9])*(?![0-9])")


def phone_number(value: str | None, field: str) -> str | None:
    """E.164: '+', country code and number, separators dropped; '00' reads as '+'."""
    if value is None or not value.strip():
        return None
    compact = _PHONE_SEPARATORS.sub("", value)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not _E164.fullmatch(compact):
        raise bad_input(
            f"{field} must be an international phone number such as +14155550123.", field=field
        )
    return compact


def contains_card_number(value: str) -> bool:
    """True when ``value`` holds 13 to 19 digits (spaces or dashes between them allowed)
    that pass the Luhn check: what a payment card number looks like."""
    for match in _DIGIT_RUN.finditer(value):
        digits = re.sub(r"[^0-9]", "", match.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            return True
    return False


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0
