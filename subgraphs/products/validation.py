"""Pure rules for catalog values: each validator cleans one value or raises.

Validators follow ``shared.validation``: they take the value and the input
field's client-facing (camelCase) name, and return the value to store.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from shared.errors import bad_input
from subgraphs.products.errors import ProductError, ProductErrorCode
from subgraphs.products.models import ProductStatus

MAX_MONEY = Decimal("9999999999.99")
CENT = Decimal("0.01")
MAX_MEASURE = Decimal("9999999.999")
MAX_TAGS = 50
MAX_TAG_LENGTH = 64
MAX_ATTRIBUTES = 50
MAX_ATTRIBUTE_KEY = 64
MAX_ATTRIBUTE_TEXT = 255

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SKU = re.compile(r"[A-Z0-9][A-Z0-9._\-/]{0,63}")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")

# Which status a product may move to from each status; staying put is always allowed.
# An archived product comes back as a draft and is reviewed before it is active again.
TRANSITIONS: dict[ProductStatus, frozenset[ProductStatus]] = {
    ProductStatus.DRAFT: frozenset({ProductStatus.ACTIVE, ProductStatus.ARCHIVED}),
    ProductStatus.ACTIVE: frozenset({ProductStatus.DRAFT, ProductStatus.ARCHIVED}),
    ProductStatus.ARCHIVED: frozenset({ProductStatus.DRAFT}),
}


def price(value: Decimal | None, field: str) -> Decimal | None:
    """A price: greater than zero, at most two decimals."""
    amount = _money(value, field)
    if amount is not None and amount <= 0:
        raise ProductError(
            ProductErrorCode.INVALID_PRICE, f"{field} must be greater than 0.", field=field
        )
    return amount


def cost(value: Decimal | None, field: str) -> Decimal | None:
    """A cost: zero or more, at most two decimals."""
    amount = _money(value, field)
    if amount is not None and amount < 0:
        raise ProductError(
            ProductErrorCode.INVALID_PRICE, f"{field} must not be negative.", field=field
        )
    return amount


def _money(value: Decimal | None, field: str) -> Decimal | None:
    if value is None:
        return None
    amount = _decimal(value, field)
    exponent = amount.as_tuple().exponent
    # Compared, not abs(): arithmetic on an exponent past the context's limit overflows.
    if exponent < -2 or not -MAX_MONEY <= amount <= MAX_MONEY:  # type: ignore[operator]
        raise ProductError(
            ProductErrorCode.INVALID_PRICE,
            f"{field} must have at most 2 decimals and at most 10 digits before them.",
            field=field,
        )
    return amount.quantize(CENT)


def measure(value: Decimal | None, field: str) -> Decimal | None:
    """A weight or dimension: zero or more, at most three decimals."""
    if value is None:
        return None
    amount = _decimal(value, field)
    if amount < 0 or amount > MAX_MEASURE or amount.as_tuple().exponent < -3:  # type: ignore[operator]
        raise bad_input(
            f"{field} must be between 0 and {MAX_MEASURE} with at most 3 decimals.", field=field
        )
    return amount


def _decimal(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise bad_input(f"{field} must be a decimal number.", field=field) from None
    if not amount.is_finite():
        raise bad_input(f"{field} must be a decimal number.", field=field)
    return amount


def check_compare_at(price: Decimal, compare_at: Decimal | None, field: str) -> None:
    """A compare-at ("was") price is never below the price it is shown next to."""
    if compare_at is not None and compare_at < price:
        raise ProductError(
            ProductErrorCode.INVALID_PRICE,
            f"{field} must be at least the price ({price}).",
            field=field,
        )


def sku(value: str | None, field: str) -> str | None:
    """Upper-cased: letters, digits and . _ - /, at most 64 characters."""
    if value is None:
        return None
    code = value.strip().upper()
    if not _SKU.fullmatch(code):
        raise bad_input(
            f"{field} must be 1 to 64 letters, digits or . _ - / (starting with a letter"
            " or digit).",
            field=field,
        )
    return code


def slug(value: str | None, field: str) -> str | None:
    """Lower-case words of letters and digits joined by single hyphens."""
    if value is None:
        return None
    cleaned = value.strip()
    if len(cleaned) > 255 or not _SLUG.fullmatch(cleaned):
        raise bad_input(
            f"{field} must be lower-case letters and digits joined by single hyphens.",
            field=field,
        )
    return cleaned


def long_text(max_length: int) -> Callable[[str | None, str], str | None]:
    """Trimmed text that may hold line breaks and tabs; blank counts as absent."""

    def validate(value: str | None, field: str) -> str | None:
        value = value.strip() if value is not None else None
        if not value:
            return None
        if len(value) > max_length:
            raise bad_input(f"{field} must be at most {max_length} characters.", field=field)
        if any(unicodedata.category(char) == "Cc" and char not in "\n\r\t" for char in value):
            raise bad_input(f"{field} must not contain control characters.", field=field)
        return value

    return validate


def slugify(name: str) -> str:
    """The slug a name suggests: 'Crème Brûlée, 2 Pack' → 'creme-brulee-2-pack'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = _NOT_SLUG.sub("-", ascii_name.lower()).strip("-")
    # A name with no latin letters or digits still gets a usable slug.
    return base[:200].rstrip("-") or "item"


def attributes(value: Any, field: str) -> dict[str, Any]:
    """An object whose values are strings, numbers or booleans; null is the empty object."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _bad_attributes(field, "must be an object")
    if len(value) > MAX_ATTRIBUTES:
        raise _bad_attributes(field, f"must have at most {MAX_ATTRIBUTES} keys")
    for key, item in value.items():
        if not key.strip() or len(key) > MAX_ATTRIBUTE_KEY:
            raise _bad_attributes(field, f"keys must be 1 to {MAX_ATTRIBUTE_KEY} characters")
        if not isinstance(item, str | int | float | bool):
            raise _bad_attributes(field, f"value of {key!r} must be a string, number or boolean")
        if isinstance(item, float) and not math.isfinite(item):
            # JSON has no NaN or Infinity; Python's parser and 1e400 make them anyway.
            raise _bad_attributes(field, f"value of {key!r} must be a finite number")
        if isinstance(item, str) and len(item) > MAX_ATTRIBUTE_TEXT:
            raise _bad_attributes(field, f"value of {key!r} is longer than {MAX_ATTRIBUTE_TEXT}")
    return dict(value)


def _bad_attributes(field: str, problem: str) -> ProductError:
    return ProductError(ProductErrorCode.INVALID_ATTRIBUTES, f"{field} {problem}.", field=field)


def tags(values: Iterable[str], field: str = "tags") -> list[str]:
    """Trimmed, lower-case, inner whitespace collapsed, duplicates dropped, order kept."""
    cleaned: dict[str, None] = {}
    for value in values:
        tag = _SPACES.sub(" ", value.strip().lower())
        if not tag or len(tag) > MAX_TAG_LENGTH:
            raise bad_input(f"Each tag must be 1 to {MAX_TAG_LENGTH} characters.", field=field)
        cleaned[tag] = None
    if len(cleaned) > MAX_TAGS:
        raise bad_input(f"A product has at most {MAX_TAGS} tags.", field=field)
    return list(cleaned)


def check_transition(current: str, target: str) -> None:
    """INVALID_STATUS_TRANSITION unless ``TRANSITIONS`` allows the move."""
    if current == target:
        return
    if ProductStatus(target) not in TRANSITIONS[ProductStatus(current)]:
        raise ProductError(
            ProductErrorCode.INVALID_STATUS_TRANSITION,
            f"A product cannot move from {current} to {target}.",
            field="status",
            params={"from": current, "to": target},
        )
