from __future__ import annotations

import hashlib

import pytest

from shared.errors import DomainError
from subgraphs.auth.credentials import (
    hash_token,
    normalize_email,
    validate_email,
    validate_password,
)


def test_email_is_trimmed_and_lower_cased() -> None:
    # when
    email = validate_email("  Jane.Doe@Example.COM \n")

    # then
    assert email == "jane.doe@example.com"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Email is required."),
        ("   ", "Email is required."),
        ("jane", "Enter a valid email address."),
        ("jane@example", "Enter a valid email address."),
        ("jane doe@example.com", "Enter a valid email address."),
        ("jane@@example.com", "Enter a valid email address."),
        (f"{'j' * 243}@example.com", "Enter a valid email address."),
    ],
)
def test_invalid_email_is_bad_input_on_the_email_field(raw: str, message: str) -> None:
    # when
    with pytest.raises(DomainError) as raised:
        validate_email(raw)

    # then
    assert (raised.value.code, raised.value.message, raised.value.field) == (
        "BAD_USER_INPUT",
        message,
        "email",
    )


def test_normalize_email_does_not_validate() -> None:
    # when
    email = normalize_email(" Not An Email ")

    # then
    assert email == "not an email"


@pytest.mark.parametrize("password", ["12345678", "x" * 128, "  spaces count  "])
def test_password_within_the_length_bounds_is_accepted(password: str) -> None:
    # when / then
    validate_password(password, field="password")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "The password must be at least 8 characters long."),
        ("1234567", "The password must be at least 8 characters long."),
        ("x" * 129, "The password must be at most 128 characters long."),
    ],
)
def test_password_outside_the_bounds_is_bad_input_on_the_given_field(
    password: str, message: str
) -> None:
    # when
    with pytest.raises(DomainError) as raised:
        validate_password(password, field="newPassword")

    # then
    assert (raised.value.code, raised.value.message, raised.value.field) == (
        "BAD_USER_INPUT",
        message,
        "newPassword",
    )


def test_tokens_are_stored_as_hex_sha256() -> None:
    # when
    digest = hash_token("opaque-token")

    # then
    assert digest == hashlib.sha256(b"opaque-token").hexdigest()
    assert len(digest) == 64
