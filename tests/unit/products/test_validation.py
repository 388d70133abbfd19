from __future__ import annotations

from decimal import Decimal

import pytest

from shared.errors import DomainError
from subgraphs.products import validation as pv


def code_of(call: object) -> tuple[str, str | None]:
    with pytest.raises(DomainError) as raised:
        call()  # type: ignore[operator]
    return raised.value.code.value, raised.value.field


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Crème Brûlée, 2 Pack", "creme-brulee-2-pack"),
        ("  --Hello   World--  ", "hello-world"),
        ("東京", "item"),
    ],
)
def test_slugify_keeps_latin_letters_and_digits(name: str, slug: str) -> None:
    # when / then
    assert pv.slugify(name) == slug


def test_prices_are_rounded_to_cents_and_must_be_positive() -> None:
    # when / then
    assert pv.price(Decimal("19.9"), "price") == Decimal("19.90")
    assert code_of(lambda: pv.price(Decimal("0"), "price")) == ("INVALID_PRICE", "price")
    assert code_of(lambda: pv.price(Decimal("1.001"), "price")) == ("INVALID_PRICE", "price")
    assert pv.cost(Decimal("0"), "costPrice") == Decimal("0.00")


def test_compare_at_price_is_never_below_the_price() -> None:
    # when / then
    pv.check_compare_at(Decimal("10"), Decimal("10"), "compareAtPrice")
    pv.check_compare_at(Decimal("10"), None, "compareAtPrice")
    assert code_of(
        lambda: pv.check_compare_at(Decimal("10"), Decimal("9.99"), "compareAtPrice")
    ) == ("INVALID_PRICE", "compareAtPrice")


def test_tags_are_normalised_and_deduplicated_in_order() -> None:
    # when / then
    assert pv.tags([" Winter ", "WINTER", "gift   idea", "wool"]) == [
        "winter",
        "gift idea",
        "wool",
    ]
    assert code_of(lambda: pv.tags(["ok", "  "])) == ("BAD_USER_INPUT", "tags")


def test_attributes_are_an_object_of_scalars() -> None:
    # when / then
    assert pv.attributes({"size": "M", "count": 2, "eco": True}, "attributes") == {
        "size": "M",
        "count": 2,
        "eco": True,
    }
    assert pv.attributes(None, "attributes") == {}
    assert code_of(lambda: pv.attributes({"a": None}, "attributes")) == (
        "INVALID_ATTRIBUTES",
        "attributes",
    )
    assert code_of(lambda: pv.attributes({"a": {"b": 1}}, "attributes")) == (
        "INVALID_ATTRIBUTES",
        "attributes",
    )


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("draft", "active", True),
        ("active", "draft", True),
        ("active", "archived", True),
        ("archived", "draft", True),
        ("archived", "active", False),
        ("archived", "archived", True),
    ],
)
def test_status_transitions(current: str, target: str, allowed: bool) -> None:
    # when / then
    if allowed:
        pv.check_transition(current, target)
    else:
        assert code_of(lambda: pv.check_transition(current, target)) == (
            "INVALID_STATUS_TRANSITION",
            "status",
        )


def test_skus_are_upper_cased_and_limited_to_safe_characters() -> None:
    # when / then
    assert pv.sku(" ab-12.x ", "sku") == "AB-12.X"
    assert code_of(lambda: pv.sku("a b", "sku")) == ("BAD_USER_INPUT", "sku")
