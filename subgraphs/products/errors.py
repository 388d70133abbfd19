"""The products domain's error codes; clients see them in ``extensions.code``.

Generic cases (not found, forbidden, bad input, conflict) use ``shared.errors.ErrorCode``;
this enum holds the cases a client may want to tell apart.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy.exc import IntegrityError

from shared.errors import DomainError


class ProductErrorCode(StrEnum):
    INVALID_PRICE = "INVALID_PRICE"
    DUPLICATE_SKU = "DUPLICATE_SKU"
    DUPLICATE_SLUG = "DUPLICATE_SLUG"
    CATEGORY_REQUIRED = "CATEGORY_REQUIRED"
    INVALID_STATUS_TRANSITION = "INVALID_STATUS_TRANSITION"
    PRODUCT_ARCHIVED = "PRODUCT_ARCHIVED"
    INVALID_ATTRIBUTES = "INVALID_ATTRIBUTES"
    DUPLICATE_VARIANT_OPTIONS = "DUPLICATE_VARIANT_OPTIONS"
    CATEGORY_CYCLE = "CATEGORY_CYCLE"
    CATEGORY_NOT_EMPTY = "CATEGORY_NOT_EMPTY"
    PRODUCT_NOT_FOUND = "PRODUCT_NOT_FOUND"
    PRODUCT_NOT_ACTIVE = "PRODUCT_NOT_ACTIVE"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    STOCK_BELOW_RESERVED = "STOCK_BELOW_RESERVED"
    RESERVATION_KEY_REUSED = "RESERVATION_KEY_REUSED"
    RESERVATION_NOT_ACTIVE = "RESERVATION_NOT_ACTIVE"
    REVIEW_ALREADY_EXISTS = "REVIEW_ALREADY_EXISTS"
    OWN_REVIEW_VOTE = "OWN_REVIEW_VOTE"
    ALREADY_VOTED = "ALREADY_VOTED"
    # Search and import.
    INVALID_CURSOR = "INVALID_CURSOR"
    IMPORT_TOO_LARGE = "IMPORT_TOO_LARGE"
    INVALID_IMPORT_FILE = "INVALID_IMPORT_FILE"


class ProductError(DomainError):
    """A products rule was broken; ``code`` is a ``ProductErrorCode``."""

    def __init__(
        self,
        code: ProductErrorCode,
        message: str,
        *,
        field: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(code, message, field=field, params=params)


# Which unique constraint a failed write broke, and the field the client is told of.
_CONFLICTS = {
    "pk_skus": (ProductErrorCode.DUPLICATE_SKU, "sku"),
    "uq_products_sku": (ProductErrorCode.DUPLICATE_SKU, "sku"),
    "uq_product_variants_sku": (ProductErrorCode.DUPLICATE_SKU, "sku"),
    "uq_products_slug": (ProductErrorCode.DUPLICATE_SLUG, "slug"),
    "uq_categories_slug": (ProductErrorCode.DUPLICATE_SLUG, "slug"),
}


def conflict_error(error: IntegrityError) -> ProductError | None:
    """The domain error a unique constraint broken by a concurrent writer is; None when
    ``error`` is something else."""
    cause = error.orig.__cause__ if error.orig is not None else None
    constraint = getattr(cause, "constraint_name", None)
    if constraint not in _CONFLICTS:
        return None
    code, field = _CONFLICTS[constraint]
    return ProductError(code, f"This {field} is already in use.", field=field)
