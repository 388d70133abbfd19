"""Schemathesis sends generated operations of every root field to the running products
subgraph: none may crash it (5xx) or end as an unexpected error (INTERNAL_SERVER_ERROR).

IDs are mostly those of real rows, so mutations get past their lookups to the values
they validate; strings come shaped as URLs, SKUs, cursors and CSV too, and decimals,
money and JSON with huge, NaN, infinite and deeply nested values.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from subgraphs.products import images, models, reviews, variants
from tests.fixtures.fuzz import (
    decimals,
    entity_representations,
    fuzz_each_field,
    fuzz_subgraph,
    json_values,
    known_ids,
    scalars,
    strings,
)
from tests.fixtures.products import Caller, ProductFactory, StockFactory
from tests.fixtures.services import RunningService

EXAMPLES_PER_FIELD = {"anonymous": 8, "customer": 12, "admin": 40, "service": 12}
ENTITY_EXAMPLES = 60
# TODO: add a type this subgraph does not know once SubgraphSchema answers it with a
# code; Strawberry's resolver fails the whole field on it (KeyError).
ENTITY_TYPES = ["Product", "ProductVariant", "Category"]
# After every other field: these archive or delete the catalog's rows.
REMOVALS = [
    "Mutation.productUpdate",
    "Mutation.productArchive",
    "Mutation.productVariantDelete",
    "Mutation.productImageRemove",
    "Mutation.productReviewDelete",
    "Mutation.categoryDelete",
]


@dataclass(frozen=True)
class Catalog:
    """An active product in stock, with a variant, an image and a review, in a category."""

    category_id: str
    product_id: str
    variant_id: str
    image_id: str
    review_id: str

    @property
    def ids(self) -> list[str]:
        return [self.category_id, self.product_id, self.variant_id, self.image_id, self.review_id]


@pytest.fixture
async def catalog(
    products_db: async_sessionmaker[AsyncSession],
    category: models.Category,
    product_factory: ProductFactory,
    stock_factory: StockFactory,
    customer_caller: Caller,
) -> Catalog:
    product = await product_factory()
    await stock_factory(product.id, 10)
    async with products_db() as db:
        variant = await variants.create_variant(
            db, product.id, {"sku": f"{product.sku}-M", "attributes": {"size": "M"}}, actor="test"
        )
        image = await images.add_image(
            db, product.id, url="https://img.example.com/1.jpg", actor="test"
        )
        review = await reviews.create_review(
            db, product_id=product.id, user_id=customer_caller.user_id, fields={"rating": 4}
        )
    return Catalog(category.id, product.id, variant.id, image.id, review.id)


@pytest.mark.parametrize("viewer", ["anonymous", "customer", "admin", "service"])
async def test_generated_operations_never_fail_unexpectedly(
    products_service: RunningService,
    catalog: Catalog,
    customer_caller: Caller,
    catalog_admin: Caller,
    service_token: str,
    viewer: str,
) -> None:
    # given
    tokens = {
        "anonymous": None,
        "customer": customer_caller.token,
        "admin": catalog_admin.token,
        "service": service_token,
    }
    generated = {
        "ID": known_ids(catalog.ids),
        "Decimal": decimals(),
        "Money": decimals(),
        "JSON": json_values(),
        "String": strings(),
    }

    # when / then
    with scalars(generated):
        await asyncio.to_thread(
            fuzz_each_field,
            products_service.url,
            token=tokens[viewer],
            examples_per_field=EXAMPLES_PER_FIELD[viewer],
            last=REMOVALS,
        )


@pytest.mark.parametrize("viewer", ["anonymous", "admin"])
async def test_generated_entity_lookups_never_fail_unexpectedly(
    products_service: RunningService, catalog: Catalog, catalog_admin: Caller, viewer: str
) -> None:
    # given
    representations = {"_Any": entity_representations(ENTITY_TYPES, catalog.ids)}
    token = catalog_admin.token if viewer == "admin" else None

    # when / then
    with scalars(representations):
        await asyncio.to_thread(
            fuzz_subgraph,
            products_service.url,
            token=token,
            max_examples=ENTITY_EXAMPLES,
            fields=["Query._entities"],
        )
