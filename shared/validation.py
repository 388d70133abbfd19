"""Validators for values clients send: each cleans one value or raises BAD_USER_INPUT.

A validator takes the value and the input field's client-facing name (camelCase, as
``extensions.field`` reports it) and returns the value to store. A domain keeps a dict
of them by (snake_case) field name and runs its input through ``clean``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from enum import StrEnum
from typing import Any

from shared.database import utcnow
from shared.errors import bad_input

Validator = Callable[[Any, str], Any]

_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")


def camel(name: str) -> str:
    """``address_line1`` → ``addressLine1``: the GraphQL name of an input field."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def clean(values: Mapping[str, Any], validators: Mapping[str, Validator]) -> dict[str, Any]:
    """Run each value through the validator of its (snake_case) name."""
    return {name: validators[name](value, camel(name)) for name, value in values.items()}


def require(values: Mapping[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if values.get(name) is None:
            raise bad_input(f"{camel(name)} is required.", field=camel(name))


def is_id(value: str) -> bool:
    """Could be a row id: what cannot be is looked up as nothing, never sent to SQL."""
    return 0 < len(value) <= 36 and value.isprintable()


NUL_TEXT = "Text must not contain the NUL character (U+0000)."
_SURROGATE = re.compile("[\ud800-\udfff]")


def unstorable(value: object) -> str | None:
    """Why a JSON value cannot be stored, when a string in it (object keys included) holds
    a NUL, which PostgreSQL text cannot, or half a UTF-16 surrogate pair, which UTF-8
    cannot encode: JSON escapes both ("\\u0000", "\\ud800"). None when it can."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return NUL_TEXT
            if _SURROGATE.search(item):
                return "Text must be valid Unicode: no unpaired surrogates (U+D800 to U+DFFF)."
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return None


def required(validate: Validator) -> Validator:
    """The validator, refusing a value that it cleans to nothing."""

    def validate_required(value: Any, field: str) -> Any:
        cleaned = validate(value, field)
        if cleaned is None:
            raise bad_input(f"{field} is required.", field=field)
        return cleaned

    return validate_required


def text(max_length: int) -> Validator:
    """Trimmed text; blank counts as absent."""

    def validate(value: str | None, field: str) -> str | None:
        value = value.strip() if value is not None else None
        if not value:
            return None
        if len(value) > max_length:
            raise bad_input(f"{field} must be at most {max_length} characters.", field=field)
        if any(unicodedata.category(char) == "Cc" for char in value):
            raise bad_input(f"{field} must not contain control characters.", field=field)
        return value

    return validate


def currency_code(value: str | None, field: str) -> str | None:
    """ISO 4217 alphabetic code, upper-cased; the format is checked, not the registry."""
    return _letters(value, field, 3, "an ISO 4217 currency code such as EUR")


def country_code(value: str | None, field: str) -> str | None:
    """ISO 3166-1 alpha-2 code, upper-cased; the format is checked, not the registry."""
    return _letters(value, field, 2, "an ISO 3166-1 alpha-2 country code such as DE")


def _letters(value: str | None, field: str, length: int, what: str) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if len(code) != length or not code.isascii() or not code.isalpha():
        raise bad_input(f"{field} must be {what}.", field=field)
    return code


def language_tag(value: str | None, field: str) -> str | None:
    """A BCP 47 tag such as en or pt-BR, in its conventional case."""
    if value is None:
        return None
    tag = value.strip().replace("_", "-").lower()
    if len(tag) > 35 or not _LANGUAGE_TAG.fullmatch(tag):
        raise bad_input(f"{field} must be a language tag such as en or pt-BR.", field=field)
    primary, *subtags = tag.split("-")
    return "-".join([primary, *(_subtag_case(subtag) for subtag in subtags)])


def _subtag_case(subtag: str) -> str:
    if len(subtag) == 2 and subtag.isalpha():
        return subtag.upper()
    if len(subtag) == 4 and subtag.isalpha():
        return subtag.capitalize()
    return subtag


def web_url(value: str | None, field: str) -> str | None:
    url: str | None = text(2048)(value, field)
    if url is not None and (
        not url.startswith(("https://", "http://")) or any(char.isspace() for char in url)
    ):
        raise bad_input(f"{field} must be an http(s) URL.", field=field)
    return url


def past_date(value: date | None, field: str) -> date | None:
    if value is not None and value > utcnow().date():
        raise bad_input(f"{field} must not be in the future.", field=field)
    return value


def flag(value: bool | None, field: str) -> bool:
    if value is None:
        raise bad_input(f"{field} must be true or false.", field=field)
    return value


def choice(kind: type[StrEnum]) -> Validator:
    def validate(value: str | None, field: str) -> str | None:
        if value is None:
            return None
        try:
            return kind(value).value
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            raise bad_input(f"{field} must be one of: {allowed}.", field=field) from None

    return validate


def int_between(low: int, high: int) -> Validator:
    def validate(value: int | None, field: str) -> int | None:
        if value is not None and not low <= value <= high:
            raise bad_input(f"{field} must be between {low} and {high}.", field=field)
        return value

    return validate
