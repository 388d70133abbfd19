from __future__ import annotations

import pytest

from shared import validation as v
from shared.errors import DomainError
from subgraphs.users import validation as uv


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("+1 (415) 555-0123", "+14155550123"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+49.30.1234567", "+49301234567"),
        ("  ", None),
    ],
)
def test_phone_numbers_become_e164(raw: str, number: str | None) -> None:
    assert uv.phone_number(raw, "phone") == number


@pytest.mark.parametrize(
    "raw", ["555-0123", "+0123456789", "+1234567", "+1234567890123456", "+1 415 CALL ME"]
)
def test_phone_numbers_that_are_not_international_are_rejected(raw: str) -> None:
    # when
    with pytest.raises(DomainError) as caught:
        uv.phone_number(raw, "phone")

    # then
    assert (caught.value.code, caught.value.field) == ("BAD_USER_INPUT", "phone")


@pytest.mark.parametrize(
    ("raw", "tag"),
    [("EN", "en"), ("pt_br", "pt-BR"), ("zh-hant-tw", "zh-Hant-TW"), ("es-419", "es-419")],
)
def test_language_tags_get_their_conventional_case(raw: str, tag: str) -> None:
    assert v.language_tag(raw, "preferredLanguage") == tag


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("4242424242424242", True),
        ("4242 4242 4242 4242", True),
        ("tok_4000-0566-5566-5556-x", True),
        ("378282246310005", True),
        ("4242424242424241", False),
        ("pm_1Q2w3E4r5T6y", False),
        ("424242424242", False),
        ("42424242424242424242", False),
    ],
)
def test_card_numbers_are_found_by_length_and_luhn(value: str, found: bool) -> None:
    assert uv.contains_card_number(value) is found


def test_camel_gives_the_graphql_name() -> None:
    assert [v.camel(name) for name in ("city", "address_line1", "is_default")] == [
        "city",
        "addressLine1",
        "isDefault",
    ]


def test_text_trims_and_treats_blank_as_absent() -> None:
    assert (v.text(10)("  Ada  ", "name"), v.text(10)(" ", "name")) == ("Ada", None)


def test_required_refuses_blank() -> None:
    # when
    with pytest.raises(DomainError) as caught:
        v.required(v.text(10))("  ", "city")

    # then
    assert (caught.value.code, caught.value.message, caught.value.field) == (
        "BAD_USER_INPUT",
        "city is required.",
        "city",
    )
